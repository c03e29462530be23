"""Treatment and referral up: whether care succeeds, and where a failed episode goes next.

Care succeeds with a probability logistic in how far the facility's capability for the episode type
exceeds the illness's severity (stream ``treatment``); a provider practising less than fee-for-service
intensity (服务缩水, ``provision``) treats with less capability. Where the county has remote consultation (远程会诊),
a share of the outpatient contacts at village clinics and township centres that would fail (stream
``consultation``) are discussed with the lead hospital's specialists and succeed as if the lead hospital
treated them (the same draw against its success chance); the fund pays the consultation (``ygt_abm.pricing``).
An episode out of the facility's scope, whose care failed, or whose admission the provider declined (推诿,
``provision``; sent up by the doctor), moves up a level: a formal referral by the treating doctor (上转;
stream ``referral``, more often for residents with a family doctor) or a self-referral; at the city
hospital it ends unresolved. A provider may instead keep a failed case (留治, ``provision``; stream
``keep``): not referred, it may try the same level again. Episodes still open after the last round end
unresolved (if they had care) or unmet.
Chronic follow-ups at primary care count toward the year's managed chronic patients (慢病规范管理).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ygt_abm.pricing import pay_consultations
from ygt_abm.processes.base import Process
from ygt_abm.state.episodes import keyed_uniform
from ygt_abm.vocabulary import (
    CHRONIC, CITY, INPATIENT, OUTPATIENT, RESOLVED, TOWNSHIP, UNMET, UNRESOLVED,
)


class Treatment(Process):
    """Counts each contact, decides its success, and refers failures up."""

    name = "treatment"
    reads = ("remote_consultation_share",)
    needs = ("access", "payment")
    writes = ("counters.visits", "counters.admissions", "counters.inappropriate_admissions",
              "counters.declined_admissions", "counters.kept_after_failure", "counters.referrals_up",
              "counters.self_referrals_up", "counters.remote_consultations", "facilities.visits",
              "facilities.admissions", "population.admitted", "population.primary_followups", "run_counters.contacts",
              "episodes.active", "episodes.outcome", "episodes.min_level", "episodes.referred", "round.resolved",
              "week.experiences",
              # remote consultations, paid to the lead hospital (pricing.pay_consultations)
              "fund.spending", "counters.oop", "counters.charges", "counters.reimbursed", "counters.resources",
              "facilities.revenue_fund", "facilities.revenue_oop")
    round_streams = ("treatment", "referral", "consultation", "keep")  # the last two only where a lever acts

    def init(self, model) -> None:
        self.lead = model.facilities.lead_hospitals(np.arange(model.region.n_counties))
        self.appropriate = model.params.providers.appropriate_admission_severity.array()  # by level

    def invariants(self, model, week=None):
        if week is not None and week.episodes is not None:
            ep = week.episodes
            if (ep.active != (ep.outcome < 0)).any():
                yield "an episode is open with an outcome, or ended without one"

    def care_round(self, model, week, rnd) -> None:
        """Count the contacts, decide success, refer failures up (formal or self-referral)."""
        ep, fac, pop, counters = week.episodes, model.facilities, model.population, model.counters
        care, practice, share = model.params.care, model.practice, model.levers.remote_consultation_share
        act, lvl, fid, kind = rnd.act, rnd.level, rnd.facility, rnd.kind
        consults = bool(share.any())  # the lead hospital's chance, and a draw, only where a county consults
        keeps = practice.keeps_failed_care()  # a draw only where a provider keeps failed care
        cuts = practice.cuts_intensity()  # less intensity, less chance care succeeds (服务缩水)
        county, t, severity, resident, village, in_scope, exponent, lead_exponent = contact_exponents(
            act, lvl, kind, fid, Seen(ep.county, ep.kind, ep.severity, ep.resident, ep.village), fac.capability,
            practice.intensity if cuts else practice.intensity[:0], model.params.providers.intensity_capability_loss,
            care.success_slope, self.lead if consults else self.lead[:0])
        tally_contacts(county, lvl, kind, fid, t, severity, resident, self.appropriate, counters.visits,
                       counters.admissions, counters.inappropriate_admissions, fac.visits, fac.admissions,
                       pop.admitted, model.run_counters.contacts)
        odds = np.exp(exponent)  # numpy's exp, as success_probability takes it
        rnd.resolved, consulted, experiences, twice = treat(
            Treated(act, lvl, kind, county, t, resident, village, rnd.declined, in_scope, odds,
                    np.exp(lead_exponent) if consults else odds),
            Rules(share if consults else share[:0], practice.keep if keeps else practice.keep[:0],
                  care.formal_referral_share, care.formal_referral_share_contracted, pop.family_doctor),
            Draws(*rnd.stream("treatment"), *rnd.stream("referral"), *(rnd.stream("consultation") if consults else NONE),
                  *(rnd.stream("keep") if keeps else NONE)),
            ep.active, ep.outcome, ep.min_level, ep.referred, pop.primary_followups, counters.declined_admissions,
            counters.remote_consultations, counters.kept_after_failure, counters.referrals_up,
            counters.self_referrals_up)
        if twice:
            raise AssertionError("an episode ended twice")
        if consulted.any():
            pay_consultations(model, county[consulted], self.lead[county[consulted]])
        week.experiences.append(experiences)

    def end_week(self, model, week) -> None:
        """Episodes still open end unresolved (had care) or unmet."""
        ep = week.episodes
        ep.end(np.flatnonzero(ep.active), np.where(ep.contact[ep.active], UNRESOLVED, UNMET))


@numba.njit(cache=True, nogil=True)
def tally_contacts(county: np.ndarray, level: np.ndarray, kind: np.ndarray, facility: np.ndarray,
                   episode_type: np.ndarray, severity: np.ndarray, resident: np.ndarray, appropriate: np.ndarray,
                   visits: np.ndarray, admissions: np.ndarray, inappropriate: np.ndarray, facility_visits: np.ndarray,
                   facility_admissions: np.ndarray, admitted: np.ndarray, contacts: np.ndarray) -> None:
    """Count the round's contacts in place, in one pass: visits or admissions by (county, level) and by facility,
    admissions below the level's appropriate severity, who was admitted this year, contacts by (level, type)."""
    for i in range(len(county)):
        c, lvl = county[i], level[i]
        if kind[i] == INPATIENT:
            admissions[c, lvl] += 1
            facility_admissions[facility[i]] += 1
            admitted[resident[i]] = True
            if severity[i] < appropriate[lvl]:
                inappropriate[c, lvl] += 1
        else:
            visits[c, lvl] += 1
            facility_visits[facility[i]] += 1
        contacts[lvl, episode_type[i]] += 1


class Seen(NamedTuple):
    """What treatment reads of the week's episodes, by episode: home county, type, severity, resident, village."""

    county: np.ndarray
    episode_type: np.ndarray
    severity: np.ndarray
    resident: np.ndarray
    village: np.ndarray


@numba.njit(cache=True, nogil=True)
def contact_exponents(act: np.ndarray, level: np.ndarray, kind: np.ndarray, facility: np.ndarray, seen: Seen,
                      capability: np.ndarray, intensity: np.ndarray, capability_loss: float, slope: float,
                      lead: np.ndarray) -> tuple[np.ndarray, ...]:
    """The round's contacts' episodes (county, type, severity, resident, village), whether the facility treats the
    type, and ``success_probability``'s exponent −slope × (capability − severity) there and (where ``lead``, the
    counties' lead hospitals, is not empty) at the lead hospital, in one pass; the facility's capability less
    ``capability_loss`` × (1 − ``intensity``) where ``intensity`` (by county, level, kind) is not empty. The exp
    is left to numpy (its SIMD exp is not libm's, in the last bit)."""
    n = len(act)
    county, episode_type = np.empty(n, dtype=seen.county.dtype), np.empty(n, dtype=seen.episode_type.dtype)
    severity, resident = np.empty(n, dtype=seen.severity.dtype), np.empty(n, dtype=seen.resident.dtype)
    village, in_scope = np.empty(n, dtype=seen.village.dtype), np.empty(n, dtype=np.bool_)
    exponent, lead_exponent = np.empty(n), np.empty(n if len(lead) else 0)
    for i in range(n):
        e = act[i]
        c, t = seen.county[e], seen.episode_type[e]
        county[i], episode_type[i], severity[i] = c, t, seen.severity[e]
        resident[i], village[i] = seen.resident[e], seen.village[e]
        able = capability[facility[i], t]
        in_scope[i] = able > 0
        if len(intensity):
            able = able - capability_loss * (1.0 - intensity[c, level[i], kind[i]])
        exponent[i] = -slope * (able - np.float64(severity[i]))
        if len(lead):
            lead_exponent[i] = -slope * (capability[lead[c], t] - np.float64(severity[i]))
    return county, episode_type, severity, resident, village, in_scope, exponent, lead_exponent


class Treated(NamedTuple):
    """The round's contacts as treatment sees them: episode, level, contact kind, home county, episode type,
    resident, village, declined by the provider, in the facility's scope, and the odds of failure
    exp(−slope × (capability − severity)) there and at the county's lead hospital (remote consultation)."""

    act: np.ndarray
    level: np.ndarray
    kind: np.ndarray
    county: np.ndarray
    episode_type: np.ndarray
    resident: np.ndarray
    village: np.ndarray
    declined: np.ndarray
    in_scope: np.ndarray
    odds: np.ndarray
    lead_odds: np.ndarray


class Rules(NamedTuple):
    """Remote consultation's share by county (empty: none), the share of failed care kept by (county, level,
    kind) (empty: none), the formal referral shares without and with a family doctor, who has one."""

    consultation_share: np.ndarray
    keep: np.ndarray
    formal_share: float
    formal_share_contracted: float
    family_doctor: np.ndarray


#: the (key, offset) of a stream no contact draws from: its key is not derived
NONE = (np.uint64(0), np.uint64(0))


class Draws(NamedTuple):
    """(key, offset) of the round's keyed streams ``treatment``, ``referral``, ``consultation`` and ``keep``
    (``Round.stream``)."""

    treatment: np.uint64
    treatment_offset: np.uint64
    referral: np.uint64
    referral_offset: np.uint64
    consultation: np.uint64
    consultation_offset: np.uint64
    keep: np.uint64
    keep_offset: np.uint64


@numba.njit(cache=True, nogil=True)
def treat(c: Treated, rules: Rules, draws: Draws, active: np.ndarray, outcome: np.ndarray, min_level: np.ndarray,
          referred: np.ndarray, primary_followups: np.ndarray, declined_admissions: np.ndarray,
          remote_consultations: np.ndarray, kept_after_failure: np.ndarray, referrals_up: np.ndarray,
          self_referrals_up: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple, bool]:
    """Success, remote consultation, keeping and referral up of the round's contacts, in one pass: episodes end
    (resolved; unresolved at the city hospital), failures move up a level, formally referred or not; counters
    (counts, so their order is immaterial) and chronic follow-ups at primary care in place. The chance of success is
    ``success_probability``'s, 1 / (1 + odds of failure); each uniform is the episode's number of its keyed stream,
    as ``Round.draw`` gives it. Returns the positions of the successes, which contacts were consulted remotely, the
    experiences of care in scope (resident, level, success as 1.0 or 0.0, village), and whether an episode was ended
    twice."""
    n = len(c.act)
    success = np.zeros(n, dtype=np.bool_)
    consulted = np.zeros(n, dtype=np.bool_)
    twice = False
    for i in range(n):
        e, lvl, cty = c.act[i], c.level[i], c.county[i]
        counter = np.uint64(e)
        treatable = c.in_scope[i] and not c.declined[i]
        if c.declined[i]:
            declined_admissions[cty] += 1
        u = keyed_uniform(draws.treatment, draws.treatment_offset + counter)
        ok = treatable and u < 1.0 / (1.0 + c.odds[i])
        if (len(rules.consultation_share) and treatable and not ok and lvl <= TOWNSHIP and c.kind[i] == OUTPATIENT
                and keyed_uniform(draws.consultation, draws.consultation_offset + counter)
                < rules.consultation_share[cty]):
            consulted[i] = True
            ok = u < 1.0 / (1.0 + c.lead_odds[i])
            remote_consultations[cty] += 1
        if c.in_scope[i] and c.episode_type[i] == CHRONIC and lvl <= TOWNSHIP:
            primary_followups[c.resident[i]] += 1  # one episode per resident a week
        success[i] = ok
        if ok or lvl == CITY:
            twice |= not active[e]
            active[e] = False
            outcome[e] = RESOLVED if ok else UNRESOLVED
            continue
        if (len(rules.keep) and treatable and keyed_uniform(draws.keep, draws.keep_offset + counter)
                < rules.keep[cty, lvl, c.kind[i]]):
            min_level[e] = lvl  # kept: no referral, a second try at this level (留治)
            kept_after_failure[cty] += 1
            continue
        share = rules.formal_share_contracted if rules.family_doctor[c.resident[i]] else rules.formal_share
        if keyed_uniform(draws.referral, draws.referral_offset + counter) < share or c.declined[i]:
            referrals_up[cty] += 1
            referred[e] = True
        else:
            self_referrals_up[cty] += 1
        min_level[e] = lvl + 1
    seen = np.flatnonzero(c.in_scope)
    experiences = (c.resident[seen], c.level[seen], success[seen].astype(np.float64), c.village[seen])
    return np.flatnonzero(success), consulted, experiences, twice


def success_probability(capability: np.ndarray, severity: np.ndarray, slope: float) -> np.ndarray:
    """Chance that care succeeds: logistic in how far capability exceeds the illness's severity."""
    return 1.0 / (1.0 + np.exp(-slope * (capability - severity)))
