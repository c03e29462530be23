"""Specifications the compiled kernels are tested against: plain array formulas of the same rules."""

from __future__ import annotations

import numpy as np

from ygt_abm.processes.choice import pick
from ygt_abm.state.episodes import contact_kind


def choice_probabilities(utility: np.ndarray) -> np.ndarray:
    """Row-wise softmax; rows that are all −inf get all-zero probabilities."""
    top = np.max(utility, axis=1, keepdims=True)
    finite = np.isfinite(top)
    expu = np.exp(utility - np.where(finite, top, 0.0))
    expu[~np.broadcast_to(finite, expu.shape)] = 0.0
    total = expu.sum(axis=1, keepdims=True)
    return np.divide(expu, total, out=np.zeros_like(expu), where=total > 0)


def choose(utility: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of the chosen column per row (−1 where nothing is feasible), through the compiled ``pick``."""
    top = np.max(utility, axis=1, keepdims=True)
    weight = np.exp(utility - np.where(np.isfinite(top), top, 0.0))
    return pick(weight, u)


def pick_as_arrays(weight: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The specification of ``pick``: cumulative weights against ``u`` × the row total."""
    cum = np.cumsum(weight, axis=1)
    chosen = np.minimum((cum <= u[:, None] * cum[:, -1:]).sum(axis=1), weight.shape[1] - 1)
    chosen[cum[:, -1] <= 0] = -1
    return chosen


def ration_as_arrays(facility: np.ndarray, priority: np.ndarray, capacity: np.ndarray, keyed: bool = False) -> np.ndarray:
    """The specification of rationing: sort every request by (facility, priority), rank within facility,
    serve the first ⌊capacity⌋ of each facility. ``keyed``: ``priority`` is already the sort key."""
    served = np.zeros(len(facility), dtype=bool)
    asks = np.flatnonzero(facility >= 0)
    key = priority if keyed else facility * 4.0 + (priority + 1.0)
    order = asks[np.argsort(key[asks], kind="stable")]
    fac = facility[order]
    starts = np.r_[0, np.flatnonzero(fac[1:] != fac[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    served[order] = rank < np.floor(capacity[fac])
    return served


def round_utility_as_arrays(act, res, village, kind, county, options, option_level, option_slot, static_u,
                            referred, min_level, excluded, family_doctor, general, reserved, wait_days,
                            referred_wait_days, beta_wait, bypass_penalty, self_care, self_care_shift):
    """The specification of ``round_utility``: the same rule as whole-array numpy expressions."""
    n_fac = len(wait_days)
    v, t, c, ref = village[act], kind[act], county[act], referred[act]
    opt, lvl, slot = options[v], option_level[v], option_slot[t, v]
    room = general[slot] + np.where(ref[:, None], reserved[slot], 0.0)
    feasible = ((opt >= 0) & (room >= 1) & (lvl >= min_level[act][:, None])
                & (((excluded[act][:, None] >> np.arange(opt.shape[1])) & 1) == 0))
    waits = np.where(ref[:, None], referred_wait_days[slot % n_fac], wait_days[slot % n_fac])
    util = static_u[act] + (np.where(slot >= n_fac, 0.0, waits) * beta_wait[t][:, None]).astype(np.float32)
    util -= (bypass_penalty[c][:, None] * (family_doctor[res[act]][:, None] & ~ref[:, None] & (lvl >= 2))
             ).astype(np.float32)
    util[~feasible] = -np.inf
    sc = (self_care[t] + self_care_shift[c] * (t == 0)).astype(np.float32)
    u = np.column_stack([sc, util])
    top = np.max(u, axis=1, keepdims=True)
    return u - np.where(np.isfinite(top), top, 0.0)


def treat_as_arrays(c, rules, u_treatment, u_referral, u_consultation, u_keep, active, outcome, min_level, referred,
                    followups, counters):
    """The specification of ``treat``: the round's treatment rule as whole-array numpy expressions (``u_*``: each
    contact's uniforms; ``counters``: declined, remote consultations, kept, referrals up, self-referrals up)."""
    declined, remote, kept_after, formal_up, self_up = counters
    n_c = len(declined)
    lvl, kind, county, ok = c.level, c.kind, c.county, c.in_scope & ~c.declined
    declined += np.bincount(county[c.declined], minlength=n_c)
    success = ok & (u_treatment < 1.0 / (1.0 + c.odds))
    consulted = np.zeros(len(c.act), dtype=bool)
    if len(rules.consultation_share):
        consulted = (ok & ~success & (lvl <= 1) & (kind == 0) & (u_consultation < rules.consultation_share[county]))
        success[consulted] = u_treatment[consulted] < 1.0 / (1.0 + c.lead_odds[consulted])
        remote += np.bincount(county[consulted], minlength=n_c)
    followups[c.resident[c.in_scope & (c.episode_type == 1) & (lvl <= 1)]] += 1
    active[c.act[success]] = False
    outcome[c.act[success]] = 1
    up = ~success & (lvl < 3)
    if len(rules.keep):
        kept = up & ok & (u_keep < rules.keep[county, lvl, kind])
        up &= ~kept
        min_level[c.act[kept]] = lvl[kept]
        kept_after += np.bincount(county[kept], minlength=n_c)
    share = np.where(rules.family_doctor[c.resident], rules.formal_share_contracted, rules.formal_share)
    formal = up & ((u_referral < share) | c.declined)
    formal_up += np.bincount(county[formal], minlength=n_c)
    self_up += np.bincount(county[up & ~formal], minlength=n_c)
    min_level[c.act[up]] = lvl[up] + 1
    referred[c.act[formal]] = True
    city = ~success & (lvl == 3)
    active[c.act[city]] = False
    outcome[c.act[city]] = 2
    seen = c.in_scope
    experiences = (c.resident[seen], lvl[seen], success[seen].astype(np.float64), c.village[seen])
    return np.flatnonzero(success), consulted, experiences


def contact_exponents_as_arrays(act, level, kind, facility, seen, capability, intensity, loss, slope, lead):
    """The specification of ``contact_exponents``: gathers, and success_probability's exponent as arrays."""
    county, t, severity = seen.county[act], seen.episode_type[act], seen.severity[act]
    able = capability[facility, t]
    in_scope = able > 0
    if len(intensity):
        able = able - loss * (1.0 - intensity[county, level, kind])
    lead_exponent = -slope * (capability[lead[county], t] - severity) if len(lead) else np.zeros(0)
    return (county, t, severity, seen.resident[act], seen.village[act], in_scope, -slope * (able - severity),
            lead_exponent)


def settle_choices_as_arrays(act, chosen, village, episode_type, options, contact, active, outcome, first_level):
    """The specification of ``settle_choices``: the stopping episodes' ends and the others' contacts as arrays."""
    stop = chosen <= 0
    ended = act[stop]
    active[ended] = False
    outcome[ended] = np.where(contact[ended], 2, np.where(chosen[stop] == 0, 0, 3))
    first_level[ended[(chosen[stop] == 0) & ~contact[ended]]] = 8
    go, option = act[~stop], chosen[~stop] - 1
    level = options.level[village[go], option]
    return go, option, options.facility[village[go], option], level, contact_kind(level, episode_type[go])


def serve_requests_as_arrays(r, county, referral_priority, u, general, reserved, demand, excluded, first_level,
                             contact):
    """The specification of ``serve_requests``: demand, priority, rationing and its records as arrays (``u``: each
    request's uniform)."""
    n_fac = demand.shape[1]
    out = r.kind == 0
    demand += np.bincount(r.referred[out] * n_fac + r.facility[out], minlength=2 * n_fac).reshape(2, n_fac)
    slot = r.facility + n_fac * r.kind.astype(np.int64)
    if len(r.turned):
        slot = np.where(r.turned, -1, slot)
    priority = u - referral_priority[county[r.act]] * r.referred
    key = slot * 4.0 + (priority + 1.0)
    first = ration_as_arrays(np.where(r.referred, slot, -1), key, reserved, keyed=True)
    reserved -= np.bincount(slot[first], minlength=len(reserved))
    second = ration_as_arrays(np.where(first, -1, slot), key, general, keyed=True)
    general -= np.bincount(slot[second], minlength=len(general))
    served = first | second
    excluded[r.act[~served]] |= (1 << r.option[~served]).astype(excluded.dtype)
    act, level = r.act[served], r.level[served]
    new = first_level[act] == 9
    first_level[act[new]] = level[new]
    contact[act] = True
    return served


def resource_use_as_arrays(finance, level, kind, severity):
    """The specification of ``resource_use``."""
    typical = finance.typical_admission_severity.array()
    admission = np.maximum(1.0 + finance.admission_cost_severity_gradient * (severity - typical[level]), 0.1)
    return np.where(kind == 1, admission, 1.0)


def price_and_book_as_arrays(tariff, contacts, resident, facility, limit, used, settled_visits, settled_charges,
                             ledger):
    """The specification of ``price_and_book``: pricing and the outpatient limit, then every sum by ``bincount``."""
    from ygt_abm.pricing import capitated_contacts, limit_outpatient_fund, price_contacts

    county, level, kind = contacts.county, contacts.level, contacts.kind
    price, fund, itemised = price_contacts(tariff, contacts)
    limit_outpatient_fund(fund, price, resident, county, kind, limit, used, settled_visits, settled_charges,
                          capitated_contacts(tariff, county, level, kind), itemised)
    cell, inpatient = county * 4 + level, kind == 1
    by_level = ledger.charges.shape

    def sums(weights, mask=slice(None)):
        return np.bincount(cell[mask], weights=weights[mask], minlength=ledger.charges.size).reshape(by_level)

    ledger.spending[:] += sums(fund)
    ledger.oop[:] += np.bincount(county, weights=price - fund, minlength=len(ledger.oop))
    ledger.charges[:] += sums(price)
    ledger.reimbursed[:] += sums(fund)
    ledger.inpatient_fund[:] += sums(fund, inpatient)
    ledger.inpatient_charges[:] += sums(price, inpatient)
    ledger.resources[:] += sums(itemised)
    ledger.inpatient_resources[:] += sums(itemised, inpatient)
    ledger.revenue_fund[:] += np.bincount(facility, weights=fund, minlength=len(ledger.revenue_fund))
    ledger.revenue_oop[:] += np.bincount(facility, weights=price - fund, minlength=len(ledger.revenue_oop))


def after_success_as_arrays(done, resident, county, village, usual_level, switch_share, u_switch, down_rate, step_down,
                            u_down, home_centre, capability):
    """The specification of ``after_success`` (``switch_share`` a Python float; ``u_*``: the successes' uniforms)."""
    act, lvl, kind = done.act[done.resolved], done.level[done.resolved], done.kind[done.resolved]
    hospital = done.facility[done.resolved]
    switch = u_switch < switch_share
    usual_level[resident[act[switch]]] = lvl[switch]
    rate = down_rate[county[act]]
    rate = rate + (1.0 - rate) * np.where(lvl == 2, step_down[county[act]], 0.0)
    refer = (kind == 1) & (lvl >= 2) & (u_down < rate)
    cand, hospital, lvl = act[refer], hospital[refer], lvl[refer]
    thc = home_centre[village[cand]]
    able = capability[thc, 2] > 0
    return cand[able], hospital[able], lvl[able], thc[able]


def deductibles_as_arrays(act, level, kind, county, continuous, paid):
    """The specification of ``deductibles``."""
    waived = continuous[county[act]] & paid[act] & (level < 3)
    paid[act] |= (kind == 1) & (level < 3)
    return waived


def average_toward_as_arrays(belief, resident, level, outcome, rate):
    """The specification of ``learn_from_outcomes`` for repeated (resident, level) pairs: ``np.unique`` groups."""
    key = resident * belief.shape[1] + level
    flat = belief.reshape(-1)
    uniq, inv, count = np.unique(key, return_inverse=True, return_counts=True)
    mean_outcome = np.bincount(inv, weights=outcome, minlength=len(uniq)) / count
    flat[uniq] += (rate * (mean_outcome - flat[uniq])).astype(belief.dtype)


def admit_as_arrays(act, level, kind, county, episode_type, severity, appropriate, threshold, decline, u):
    """The specification of ``admit`` (``u``: each contact's uniform)."""
    county, severity = county[act], severity[act]
    serious = (episode_type[act] == 2) & (level >= 1)
    outpatient = serious & (severity < threshold[county, level])
    band = np.minimum((severity * decline.shape[2]).astype(np.int64), decline.shape[2] - 1)
    declined = serious & (severity >= appropriate[level]) & (u < decline[county, level, band])
    return np.where(outpatient | declined, 0, kind).astype(np.int8), declined


def static_utility_as_arrays(table, who, options, taste):
    """The specification of ``static_utility``: the week's utility terms as whole-array float32 expressions."""
    r, v = who.resident, who.village
    level = options.level[v]
    width = level.shape[1]
    x = table[who.table_row[:, None], who.insured[r].astype(np.int64)[:, None], v[:, None], np.arange(width)[None]]
    x = x + taste.quality[who.kind].astype(np.float32)[:, None] * who.belief[r[:, None], level]
    usual = level == who.usual_level[r][:, None]
    x[usual] += taste.usual_provider
    pulled = who.family_doctor[r][:, None] & (level <= 1)
    x[pulled] += taste.family_doctor
    return x


def add_outreach_as_arrays(static_u, episode_type, county, village, outreach, pull, option_level):
    """The specification of ``add_outreach``."""
    chronic = np.flatnonzero(episode_type == 1)
    share = (outreach[county[chronic]] * pull).astype(np.float32)
    static_u[chronic] += share[:, None] * (option_level[village[chronic]] <= 1)
