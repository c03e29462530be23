"""Care-seeking choice: a multinomial logit over the options a resident can reach, and self-care.

The utility of option k (a facility of level ℓ reached from the resident's village) for an episode of
type t is assembled here, and only here, in three layers by how often its terms change:

* yearly (``utility_table``): level constant[t, ℓ] + β_time[t] × travel hours + β_cost[t, ℓ] × expected
  out-of-pocket cost / 100 (by insured; for a serious illness the township could treat, the cost as priced
  where same-disease same-payment applies, 同病同价同付) + policy shifts: chronic follow-ups at primary care
  (``chronic_primary_bonus``, 慢病管理) and minor illness at the city hospital (``city_bypass_shift``);
* weekly (``static_utility``): + β_quality[t] × perceived quality of ℓ, + the usual provider's pull
  when ℓ is the usual level, + the family doctor's pull toward primary care for contracted residents,
  + the primary team's outreach (``outreach_pull`` × its share, ``provision``) for chronic follow-ups there;
* each round (``round_utility``): + β_wait[t] × expected wait (a referred patient's where slots are
  reserved), − ``bypass_penalty`` for a contracted resident going above the township unreferred (首诊);
  options with no slot left, below the level an episode was referred to, or that refused it are out.
  Self-care (column 0) is ``self_care[t]`` (+ ``self_care_shift`` for minor illness, 健康素养).

The choice is drawn by inverting the cumulative logit probabilities with one uniform per episode (stream
``choice``), so the same uniform under two policies picks "nearby" options (common random numbers).

The per-episode loops are compiled with numba and keep numpy's float32 arithmetic operation for operation;
the exponential stays numpy's. ``tests/oracles.py`` keeps the array formulas they replaced.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ygt_abm.pricing import expected_oop
from ygt_abm.processes.base import Process
from ygt_abm.state.episodes import contact_kind, keyed_uniforms
from ygt_abm.vocabulary import (
    CHRONIC, CITY, COUNTY, FIRST_SELF_CARE, INPATIENT, MINOR, N_EPISODE_TYPES, OUTPATIENT, SELF_CARE, SERIOUS,
    TOWNSHIP, UNMET, UNRESOLVED,
)

#: the yearly table's row for a serious illness the township could treat (after the episode types' rows)
TREATABLE_SERIOUS = N_EPISODE_TYPES


class Options(NamedTuple):
    """Each village's options (by village, option k): facility id (−1 pads), its level, and the capacity
    slot an episode of each type takes there (facility id, + facility count for an admission)."""

    facility: np.ndarray  # (village, K) int
    level: np.ndarray  # (village, K) int64
    slot: np.ndarray  # (type, village, K) int64


class Taste(NamedTuple):
    """Coefficients by episode type, and the two pulls toward primary care (float32)."""

    quality: np.ndarray
    wait: np.ndarray
    self_care: np.ndarray  # −inf: no self-care for this type
    usual_provider: np.float32
    family_doctor: np.float32


class Chooser(NamedTuple):
    """What the weekly and round kernels read of the week's episodes and of the residents."""

    resident: np.ndarray
    kind: np.ndarray
    table_row: np.ndarray  # the episode's row of the yearly table: its type, or TREATABLE_SERIOUS
    village: np.ndarray
    county: np.ndarray
    insured: np.ndarray  # residents'
    belief: np.ndarray  # residents'
    usual_level: np.ndarray  # residents'
    family_doctor: np.ndarray  # residents'


class Room(NamedTuple):
    """Remaining slots and expected waits, by capacity slot; the policy's round-time shifts by county."""

    general: np.ndarray
    reserved: np.ndarray
    wait_days: np.ndarray
    referred_wait_days: np.ndarray
    bypass_penalty: np.ndarray
    self_care_shift: np.ndarray


class Choice(Process):
    """Where (or whether) each open episode seeks care this round."""

    name = "choice"
    needs = ("onset", "access")
    writes = ("episodes.active", "episodes.outcome", "episodes.first_level", "round.act", "round.option",
              "round.facility", "round.level", "round.kind", "round.declined")
    # The cost residents expect is an unreferred contact's (so referral discounts and waivers do not enter
    # it): prices, reimbursement, deductibles, and same-payment pricing for township-treatable illness. It is
    # the scheme's schedule, whether or not this year's outpatient limit is used up (docs/model.md).
    reads = ("outpatient_price", "inpatient_price", "outpatient_reimbursement", "inpatient_reimbursement",
             "inpatient_deductible", "inpatient_in_catalogue", "unreferred_reimbursement_cut", "same_payment_severity",
             "chronic_primary_bonus", "city_bypass_shift", "bypass_penalty", "self_care_shift")
    round_streams = ("choice",)

    def init(self, model) -> None:
        r = model.region
        level = np.where(r.options >= 0, r.facility_level[np.maximum(r.options, 0)], 0).astype(np.int64)
        kinds = contact_kind(level[None], np.arange(N_EPISODE_TYPES)[:, None, None])
        slot = np.maximum(r.options, 0)[None] + r.n_facilities * (kinds == INPATIENT).astype(np.int64)
        self.options = Options(r.options, level, slot)
        per_type = [model.params.choice.for_type(t) for t in range(N_EPISODE_TYPES)]
        self.level_constant = np.array([p.level_constant.array() for p in per_type])  # (type, level)
        self.beta_time = np.array([p.travel_hour for p in per_type])
        self.beta_cost = np.array([p.cost_100_yuan * p.cost_level_weight.array() for p in per_type])  # (type, level)
        c = model.params.choice
        self.taste = Taste(np.array([p.quality for p in per_type]), np.array([p.wait_day for p in per_type]),
                           np.array([-np.inf if p.self_care is None else p.self_care for p in per_type]),
                           np.float32(c.usual_provider), np.float32(c.family_doctor))

    def start_year(self, model) -> None:
        """Yearly utility terms: level constants, travel time, expected out-of-pocket cost, policy shifts.
        Residents expect the charges of the intensity providers practised last year (provision decides this
        year's after the choice's terms are set): what they and their neighbours have seen. So case payment
        and budgets, which change what an admission uses, reach choices a year later."""
        self.table = utility_table(model.region, model.levers, self.options.level, self.level_constant,
                                   self.beta_time, self.beta_cost, model.practice.intensity)

    def start_week(self, model, week) -> None:
        """Weekly utility terms: perceived quality, usual provider, family doctor."""
        pop, ep = model.population, week.episodes
        treatable = (ep.kind == SERIOUS) & (ep.severity < model.levers.same_payment_severity[ep.county])
        row = np.where(treatable, TREATABLE_SERIOUS, ep.kind).astype(np.int64)
        self.chooser = Chooser(ep.resident, ep.kind, row, ep.village, ep.county, pop.insured, pop.belief,
                               pop.usual_level, pop.family_doctor)
        self.static = static_utility(self.table, self.chooser, self.options, self.taste)
        outreach = model.practice.outreach
        if outreach.any():  # the primary team's outreach (随访, provision) pulls chronic follow-ups to primary care
            add_outreach(self.static, ep.kind, ep.county, ep.village, outreach, model.params.providers.outreach_pull,
                         self.options.level)

    def care_round(self, model, week, rnd) -> None:
        """Each open episode picks self-care or a reachable option with room (multinomial logit)."""
        ep, fac, lev = week.episodes, model.facilities, model.levers
        act = rnd.open
        room = Room(week.general, week.reserved, fac.wait_days, fac.referred_wait_days, lev.bypass_penalty,
                    lev.self_care_shift)
        shifted = round_utility(act, self.chooser, ep.referred, ep.min_level, ep.excluded, self.options,
                                self.static, room, self.taste)
        chosen = pick(np.exp(shifted), keyed_uniforms(*rnd.stream("choice"), act))  # 0 self-care, k+1 option k
        rnd.act, rnd.option, rnd.facility, rnd.level, rnd.kind, twice = settle_choices(
            act, chosen, ep.village, ep.kind, self.options, ep.contact, ep.active, ep.outcome, ep.first_level)
        if twice:
            raise AssertionError("an episode ended twice")
        rnd.declined = np.zeros(len(rnd.act), dtype=bool)


def utility_table(region, levers, option_level: np.ndarray, level_constant: np.ndarray, beta_time: np.ndarray,
                  beta_cost: np.ndarray, intensity: np.ndarray | None = None) -> np.ndarray:
    """The yearly terms by (table row, insured, village, option), float32: one gather a week instead of
    many products. Rows are the episode types, then TREATABLE_SERIOUS: a serious illness the township could
    treat, whose expected cost follows same-disease same-payment pricing. ``intensity``: the practice whose
    charges residents expect (fee-for-service practice's if omitted)."""
    options = region.options
    county = region.village_county.astype(np.int64)
    hours = np.where(options >= 0, region.option_minutes, 0.0) / 60.0
    oop = expected_oop(levers, intensity=intensity)
    oop_treatable = expected_oop(levers, township_treatable=True, intensity=intensity)
    table = np.zeros((N_EPISODE_TYPES + 1, 2, region.n_villages, options.shape[1]))
    for row in range(N_EPISODE_TYPES + 1):
        t, expected = (SERIOUS, oop_treatable) if row == TREATABLE_SERIOUS else (row, oop)
        bonus = np.zeros_like(hours)
        if t == CHRONIC:
            bonus = levers.chronic_primary_bonus[county][:, None] * (option_level <= TOWNSHIP)
        elif t == MINOR:
            bonus = levers.city_bypass_shift[county][:, None] * (option_level == CITY)
        for insured in (0, 1):
            cost = expected[county[:, None], option_level, t, insured]
            table[row, insured] = (level_constant[t, option_level] + beta_time[t] * hours
                                   + beta_cost[t, option_level] * cost / 100.0 + bonus)
    return table.astype(np.float32)  # float32: half the memory traffic per week


@numba.njit(cache=True, nogil=True)
def pick(weight: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw per row of unnormalised logit ``weight``: the number of cumulative weights
    ≤ ``u`` × the row total (capped at the last column), or −1 where the total is 0."""
    n, width = weight.shape
    out = np.empty(n, dtype=np.int64)
    cum = np.empty(width, dtype=weight.dtype)
    for i in range(n):
        cum[0] = weight[i, 0]
        for j in range(1, width):
            cum[j] = cum[j - 1] + weight[i, j]
        total = cum[width - 1]
        if total <= 0:
            out[i] = -1
            continue
        threshold = u[i] * total
        count = 0
        for j in range(width):
            if cum[j] <= threshold:
                count += 1
        out[i] = min(count, width - 1)
    return out


@numba.njit(cache=True, nogil=True)
def settle_choices(act: np.ndarray, chosen: np.ndarray, village: np.ndarray, episode_type: np.ndarray,
                   options: Options, contact: np.ndarray, active: np.ndarray, outcome: np.ndarray,
                   first_level: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]:
    """The round's choices (``chosen``: 0 self-care, k + 1 option k, −1 nothing feasible) in one pass: episodes that
    stop end (unresolved after care, else self-care or unmet; self-care is then the first level); the others'
    contacts as (episode, option, facility, level, contact kind as patients expect it), in episode order; and
    whether an episode was ended twice."""
    n = 0
    for row in range(len(act)):
        n += chosen[row] > 0
    go, option = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    facility, level = np.empty(n, dtype=options.facility.dtype), np.empty(n, dtype=np.int64)
    kind = np.empty(n, dtype=np.int8)
    twice, j = False, 0
    for row in range(len(act)):
        e, k = act[row], chosen[row]
        if k <= 0:
            twice |= not active[e]
            active[e] = False
            if contact[e]:
                outcome[e] = UNRESOLVED
            elif k == 0:
                outcome[e] = SELF_CARE
                first_level[e] = FIRST_SELF_CARE
            else:
                outcome[e] = UNMET
            continue
        v = village[e]
        go[j], option[j] = e, k - 1
        facility[j], level[j] = options.facility[v, k - 1], options.level[v, k - 1]
        kind[j] = INPATIENT if episode_type[e] == SERIOUS and level[j] >= TOWNSHIP else OUTPATIENT  # contact_kind
        j += 1
    return go, option, facility, level, kind, twice


@numba.njit(cache=True, nogil=True)
def static_utility(table: np.ndarray, who: Chooser, options: Options, taste: Taste) -> np.ndarray:
    """(episode × option) utility terms fixed for the week, float32: the yearly table, perceived
    quality, the usual provider's and the family doctor's pull toward primary care."""
    n, width = len(who.resident), options.level.shape[1]
    out = np.empty((n, width), dtype=np.float32)
    for i in range(n):
        t, v, r = who.kind[i], who.village[i], who.resident[i]
        quality = np.float32(taste.quality[t])
        # the row's own terms, read once: its yearly terms, beliefs, usual level and family doctor
        yearly, belief = table[who.table_row[i], np.int64(who.insured[r]), v], who.belief[r]
        usual, contracted = who.usual_level[r], who.family_doctor[r]
        for k in range(width):
            lvl = options.level[v, k]
            x = yearly[k] + quality * belief[lvl]
            if lvl == usual:
                x += taste.usual_provider
            if contracted and lvl <= TOWNSHIP:
                x += taste.family_doctor
            out[i, k] = x
    return out


@numba.njit(cache=True, nogil=True)
def add_outreach(static_u: np.ndarray, episode_type: np.ndarray, county: np.ndarray, village: np.ndarray,
                 outreach: np.ndarray, pull: float, option_level: np.ndarray) -> None:
    """Add the primary team's outreach to chronic follow-ups' weekly utility of primary-care options (in place):
    ``outreach`` (by county) × ``pull``, rounded to float32, times 1 or 0 by the option's level, added to every
    option as the array rule added it."""
    for i in range(len(episode_type)):
        if episode_type[i] != CHRONIC:
            continue
        share, v = np.float32(outreach[county[i]] * pull), village[i]
        for k in range(static_u.shape[1]):
            static_u[i, k] += share * np.float32(option_level[v, k] <= TOWNSHIP)


@numba.njit(cache=True, nogil=True)
def round_utility(act: np.ndarray, who: Chooser, referred: np.ndarray, min_level: np.ndarray,
                  excluded: np.ndarray, options: Options, static_u: np.ndarray, room: Room,
                  taste: Taste) -> np.ndarray:
    """Logit utilities of the open episodes ``act``, shifted by each row's maximum: column 0 self-care,
    then every option of the episode's village; −inf where an option is padding, has no slot left for the
    episode (referred patients may also use reserved slots), is below the level it was referred to, or
    already refused it. Waits apply to outpatient slots."""
    n_fac = len(room.wait_days)
    width = options.facility.shape[1]
    out = np.empty((len(act), width + 1), dtype=np.float32)
    for row in range(len(act)):
        i = act[row]
        t, c, v, ref = who.kind[i], who.county[i], who.village[i], referred[i]
        shift = room.self_care_shift[c] if t == MINOR else 0.0
        top = out[row, 0] = np.float32(taste.self_care[t] + shift)
        # the row's own terms, read once: its floor, exclusions, waits, taste for waiting, bypass penalty
        floor, refused, beta = min_level[i], excluded[i], taste.wait[t]
        waits = room.referred_wait_days if ref else room.wait_days
        penalty = room.bypass_penalty[c]
        bypassing = penalty != 0.0 and who.family_doctor[who.resident[i]] and not ref
        for k in range(width):
            slot = options.slot[t, v, k]
            free = room.general[slot] + (room.reserved[slot] if ref else 0.0)
            lvl = options.level[v, k]
            if options.facility[v, k] < 0 or not free >= 1 or lvl < floor or (refused >> k) & 1:
                out[row, k + 1] = -np.inf
                continue
            wait = 0.0
            if slot < n_fac:
                wait = waits[slot]
            x = static_u[i, k] + np.float32(wait * beta)
            if bypassing and lvl >= COUNTY:
                x -= np.float32(penalty)
            out[row, k + 1] = x
            top = max(top, x)
        if np.isfinite(top):
            for k in range(width + 1):
                out[row, k] -= top
    return out
