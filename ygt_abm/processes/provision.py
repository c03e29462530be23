"""Provision: how providers act given how they are paid (供方行为), the imperfect agent of Ellis and McGuire
(J Health Econ 1986), who weighs its own net revenue against its patients' benefit.

Each year, for the township health centres and county hospitals of every county (city hospitals keep
fee-for-service practice), the provider prefers, from what it weighs (``Incentives``: the levers, the
share of the fund's payment it bears as a budget's holder, its weight on patients with the appraisal's),
measured against fee-for-service practice: an admission threshold (低标准入院), shares of appropriate
admissions declined by severity band (推诿), an intensity of care (服务缩水), a share of recoveries referred
down (下转), a share of failed care kept (留治), outreach to chronic patients (随访), the services township
centres offer (服务能力), and a share of admissions' in-catalogue charges moved to items patients pay in full
(目录外费用转嫁). It closes ``adjustment_rate`` of the gap each year; what it does is
``model.practice`` (``state/practice.py``). In each care round it applies the threshold and the declines.
The rules and their equations: docs/model.md, section 6, "provision".
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from ygt_abm.levers import PolicyLevers
from ygt_abm.pricing import contact_payments, resource_use
from ygt_abm.processes.base import Process
from ygt_abm.processes.treatment import success_probability
from ygt_abm.state.episodes import keyed_uniform
from ygt_abm.state.practice import SEVERITY_BANDS, band_midpoints, severity_band
from ygt_abm.vocabulary import (
    CITY, COUNTY, INPATIENT, N_LEVELS, OUTPATIENT, SERIOUS, TOWNSHIP, VILLAGE,
)


class Provision(Process):
    """Providers' admission threshold, declining, intensity, referral down and up, outreach and township
    services, set yearly from how they are paid."""

    name = "provision"
    reads = ("global_budget", "appraisal_weight", "outpatient_price", "inpatient_price", "outpatient_reimbursement",
             "inpatient_reimbursement", "inpatient_deductible", "inpatient_in_catalogue",
             "unreferred_reimbursement_cut", "case_rate", "case_severity_adjustment",  # what contacts earn
             "case_intensity_adjustment",
             "capitation_per_chronic", "outpatient_capitation")
    needs = ("choice",)
    writes = ("practice", "round.kind", "round.declined")
    round_streams = ("decline",)

    def init(self, model) -> None:
        params, n_c = model.params, model.region.n_counties
        self.ffs = Incentives.fee_for_service(params, n_c, model.region.n_facilities)
        self.ffs_value = marginal_admission_value(params, self.ffs)
        self.ffs_intensity_value = intensity_value(params, self.ffs)
        self.ffs_keep = keep_value(params, self.ffs)
        self.appropriate = params.providers.appropriate_admission_severity.array()  # by level
        fac = model.facilities
        self.centres = np.bincount(fac.county[fac.level == TOWNSHIP], minlength=n_c)  # township centres by county
        self.caseload = Caseload.none(n_c)  # last year's: what township centres weigh their services against

    def invariants(self, model, week=None):
        practice, floor = model.practice, model.params.providers.intensity_floor
        for name in ("decline", "step_down", "keep", "outreach", "catalogue_shift"):
            share = getattr(practice, name)
            if (share < 0).any() or (share > 1).any():
                yield f"practice.{name} left [0, 1]"
        if (practice.intensity < floor - 1e-12).any() or (practice.intensity > 1 + 1e-12).any():
            yield "practice.intensity left [intensity_floor, 1]"

    def start_year(self, model) -> None:
        """This year's admission threshold, declining, intensity, referral down and up, outreach and township
        services, part of the way to what providers now prefer."""
        params, practice = model.params, model.practice
        now = Incentives.facing(params, model.levers, model.accounts.budget_result)
        shift = followup_shift(params.providers, model.run_counters.primary_chronic_share())
        preferred = (admission_threshold(params.providers, marginal_admission_value(params, now), self.ffs_value),
                     decline_share(params, now), preferred_intensity(params, now, self.ffs_intensity_value),
                     step_down_share(params, now, practice.intensity),
                     keep_share(params, now, self.ffs_keep),
                     outreach_share(params.providers, outreach_value(params, now, shift),
                                    outreach_value(params, self.ffs, shift)),
                     self.preferred_services(params, now), catalogue_shift_share(params.providers, now))
        for current, target in zip((practice.admission_threshold, practice.decline, practice.intensity,
                                    practice.step_down, practice.keep, practice.outreach, practice.services,
                                    practice.catalogue_shift),
                                   preferred):
            current += params.providers.adjustment_rate * (target - current)

    def preferred_services(self, params, incentives: Incentives) -> np.ndarray:
        """(county,) capability for admissions the township centres prefer to gain (or lose) by the services
        they offer, given last year's caseload."""
        moved, averted = tier_caseload(params, self.caseload, self.centres)
        return services_change(params.providers, services_value(params, incentives, moved, averted),
                               services_value(params, self.ffs, moved, averted))

    def end_year(self, model) -> None:
        """Remember the year's caseload: what township centres weigh their services against."""
        c = model.counters
        self.caseload = Caseload(c.admissions.copy(), c.visits[:, TOWNSHIP].copy(), c.referrals_down.copy())

    def care_round(self, model, week, rnd) -> None:
        """Marginal serious cases are seen as outpatients; declined ones are seen and sent up."""
        practice = model.practice
        if not practice.departs_from_fee_for_service():
            return
        ep = week.episodes
        rnd.kind, rnd.declined = admit(rnd.act, rnd.level, rnd.kind, ep.county, ep.kind, ep.severity, self.appropriate,
                                       practice.admission_threshold, practice.decline, *rnd.stream("decline"))


@numba.njit(cache=True, nogil=True)
def admit(act: np.ndarray, level: np.ndarray, kind: np.ndarray, county: np.ndarray, episode_type: np.ndarray,
          severity: np.ndarray, appropriate: np.ndarray, threshold: np.ndarray, decline: np.ndarray, key: np.uint64,
          offset: np.uint64) -> tuple[np.ndarray, np.ndarray]:
    """The providers' admission decisions for the round's contacts, in one pass: a serious case at a township centre
    or above is seen as an outpatient below the admission threshold (by county and level), or declined and sent up
    (an appropriate admission, at the share by county, level and severity band; the episode's number of keyed
    stream ``decline``). Returns the contact kinds and which admissions were declined."""
    new_kind, declined = kind.astype(np.int8), np.zeros(len(act), dtype=np.bool_)
    for i in range(len(act)):
        e, lvl = act[i], level[i]
        if episode_type[e] != SERIOUS or lvl < TOWNSHIP:
            continue
        c, sev = county[e], severity[e]
        declined[i] = (sev >= appropriate[lvl]
                       and keyed_uniform(key, offset + np.uint64(e)) < decline[c, lvl, severity_band(sev)])
        if declined[i] or sev < threshold[c, lvl]:
            new_kind[i] = OUTPATIENT
    return new_kind, declined


@dataclass(frozen=True)
class Incentives:
    """What a provider weighs (the imperfect agent): the levers that set what its contacts earn and cost, the
    share of the fund's payment it bears as the budget's holder (``retention``, by county and level), and its
    weight on its patients' benefit (``weight``, by county: its own, plus the appraisal's where a budget's
    settlement is tied to it, 考核)."""

    levers: PolicyLevers
    retention: np.ndarray  # (county, level)
    weight: np.ndarray  # (county,)

    @classmethod
    def facing(cls, params, levers: PolicyLevers, budget_result: np.ndarray) -> "Incentives":
        """This year's: the levers in force and the last settled budget result."""
        return cls(levers, holder_retention(levers.global_budget, budget_result),
                   params.providers.patient_benefit_weight + settlement_appraisal(levers))

    @classmethod
    def fee_for_service(cls, params, n_counties: int, n_facilities: int) -> "Incentives":
        """Pre-reform incentives, against which practice is measured: baseline levers, no budget, no appraisal."""
        return cls(PolicyLevers.baseline(params, n_counties, n_facilities), no_budget(n_counties),
                   params.providers.patient_benefit_weight + np.zeros(n_counties))


def no_budget(n_counties: int) -> np.ndarray:
    """Retention where no county has a budget: fee-for-service everywhere."""
    return np.zeros((n_counties, N_LEVELS))


def holder_retention(budgets: list, last_result: np.ndarray) -> np.ndarray:
    """(county, level) share of the fund's payment the provider bears at the margin: the community keeps
    ``retained_share`` of a surplus and bears ``overspend_share`` of a deficit (by last year's settled
    result); city hospitals are paid by fee-for-service."""
    retention = no_budget(len(budgets))
    for c, budget in enumerate(budgets):
        if budget is not None:  # a deficit borne at 0 is −0.0: the sign bit tells it from a surplus
            retention[c, :CITY] = budget.overspend_share if np.signbit(last_result[c]) else budget.retained_share
    return retention


def settlement_appraisal(levers) -> np.ndarray:
    """(county,) appraisal weight where a budget's settlement can be tied to it (nothing to tie without one)."""
    return np.where(levers.budget_held(), levers.appraisal_weight, 0.0)


def city_borne(levers) -> np.ndarray:
    """(county,) whether the county's budget result bears its residents' care at the city hospitals."""
    return np.array([b is not None and b.out_of_county_included for b in levers.global_budget])


def respond(gain: np.ndarray, scale: float | np.ndarray, shape: float) -> np.ndarray:
    """Share of patients (or providers) treated a given way when that way gains ``gain``: those whose cost of
    it, log-logistic across them with median ``scale`` and shape ``shape`` (the dispersion: the larger, the
    more alike they are), is below the gain. None where nothing is gained; the share rises smoothly and nears
    1 only slowly (as 1 − (scale/gain)^shape), so no decision sits at a corner (docs/model.md, "provision")."""
    ratio = np.maximum(gain, 0.0) / scale
    with np.errstate(divide="ignore", over="ignore"):
        return 1.0 / (1.0 + ratio ** -shape)  # 0 ** −shape is inf: no gain, no response


def admission_resource(params, severity: np.ndarray) -> np.ndarray:
    """(level,) resource use of an admission of ``severity`` (by level) at each level."""
    return resource_use(params.finance, np.arange(N_LEVELS), np.full(N_LEVELS, INPATIENT), severity)


def _net_values(params, incentives: Incentives, severity: np.ndarray | None = None,
                intensity: np.ndarray | None = None,
                grouped_intensity: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(revenue, fund payment, provider's net value) of a contact by (county, level, kind), for an admission of
    ``severity`` by level (the level's typical admission if omitted), at ``intensity`` (case groups seeing
    ``grouped_intensity``, ``intensity`` if omitted)."""
    resource = None if severity is None else admission_resource(params, severity)
    revenue, fund, itemised = contact_payments(incentives.levers, resource, intensity,
                                               grouped_intensity=grouped_intensity)
    value = revenue - params.providers.marginal_cost_share * itemised - incentives.retention[:, :, None] * fund
    return revenue, fund, value


def marginal_admission_value(params, incentives: Incentives) -> np.ndarray:
    """(county, level) net value to the provider of admitting a marginal case (half the appropriate-admission
    severity) rather than seeing it as an outpatient, its weight on the patient's extra out-of-pocket cost
    deducted."""
    p = params.providers
    price, fund, value = _net_values(params, incentives, p.appropriate_admission_severity.array() / 2)
    extra_oop = (price - fund)[:, :, INPATIENT] - (price - fund)[:, :, OUTPATIENT]
    weight = incentives.weight[:, None]
    return value[:, :, INPATIENT] - value[:, :, OUTPATIENT] - weight * extra_oop


def intensity_value(params, incentives: Incentives) -> np.ndarray:
    """(county, level, kind) provider's net value of one more unit of intensity (at fee-for-service intensity),
    per yuan of charges: revenue less variable cost, less the holder's part of the fund's payment, less its
    weight times the patient's out-of-pocket cost."""
    step = 0.01
    n_c = len(incentives.weight)
    weight = incentives.weight[:, None, None]
    at = {}
    for m in (1.0, 1.0 + step):
        revenue, fund, value = _net_values(params, incentives, intensity=np.full((n_c, N_LEVELS, 2), m))
        itemised = contact_payments(incentives.levers, None, np.full((n_c, N_LEVELS, 2), m))[2]
        at[m] = value - weight * (revenue - fund), itemised
    (v0, charges0), (v1, charges1) = at[1.0], at[1.0 + step]
    return np.divide(v1 - v0, charges1 - charges0, out=np.zeros_like(v0), where=charges1 > charges0)


def preferred_intensity(params, incentives: Incentives,
                        ffs_value: np.ndarray) -> np.ndarray:
    """(county, level, kind) intensity the provider prefers: below fee-for-service practice by how much less
    a unit of intensity is worth to it now, over its weight times the patient's harm, nearing
    ``intensity_floor`` smoothly; city hospitals and village clinics keep fee-for-service practice."""
    p = params.providers
    weight = incentives.weight[:, None, None]
    shortfall = ffs_value - intensity_value(params, incentives)
    room = 1.0 - p.intensity_floor  # the cut's scale makes its first yuan cost what the quadratic harm says
    m = 1.0 - room * respond(shortfall, weight * p.intensity_harm * room, p.response_shape)
    m[:, CITY] = 1.0  # outside the county's policy
    # village doctors are paid by item, not held to the budget's cases; where their outpatient care is paid by
    # head (门诊统筹按人头付费), what it earns no longer follows what they do
    m[~incentives.levers.outpatient_capitation[:, VILLAGE], VILLAGE] = 1.0
    m[:, VILLAGE, INPATIENT] = 1.0  # village clinics have no beds
    return m


def admission_threshold(p, value: np.ndarray, ffs_value: np.ndarray) -> np.ndarray:
    """(county, level) severity below which serious cases are treated as outpatients: 0 at the fee-for-service
    value, rising with the share of that value lost (half the appropriate-admission severity once admitting a
    marginal case is worth nothing to the provider), towards the appropriate-admission severity."""
    appropriate = p.appropriate_admission_severity.array()[None, :]
    lost = np.divide(ffs_value - value, ffs_value, out=np.zeros_like(value), where=ffs_value > 0)
    threshold = appropriate * respond(lost, 1.0, p.response_shape)
    threshold[:, :TOWNSHIP] = 0.0  # village clinics have no beds
    threshold[:, CITY] = 0.0  # outside the county's policy: fee-for-service practice
    return threshold


def redirect_share(params, incentives: Incentives, here: int, there: int,
                   severity: np.ndarray | None = None) -> np.ndarray:
    """(county,) share of admissions of ``severity`` a provider at level ``here`` sends to level ``there``: those
    whose loss (extra out-of-pocket cost there plus a harm, log-logistic across them) is worth less to it than what it saves."""
    p = params.providers
    typical = params.finance.typical_admission_severity.array()
    severity = typical[here] if severity is None else severity
    price, fund, value = _net_values(params, incentives, np.full(N_LEVELS, severity))
    admit, oop = value[:, :, INPATIENT], (price - fund)[:, :, INPATIENT]
    covered = (there < CITY) | city_borne(incentives.levers)
    # facilities keep their own fee-for-service revenue; what ties them is the budget's result, which bears
    # the fund's payment for the admission there at the holder's retention
    value_there = np.where(covered, -incentives.retention[:, here] * fund[:, there, INPATIENT], 0.0)
    seen = value[:, here, OUTPATIENT]  # the declined patient is still seen once, as an outpatient
    saving = value_there + seen - admit[:, here]
    weight = incentives.weight
    seen_oop = (price - fund)[:, here, OUTPATIENT]
    return respond(saving / weight - (oop[:, there] + seen_oop - oop[:, here]), p.redirect_harm_yuan, p.response_shape)


def decline_share(params, incentives: Incentives) -> np.ndarray:
    """(county, level, severity band) share of appropriate admissions the provider sends up a level (推诿)."""
    share = np.zeros(incentives.retention.shape + (SEVERITY_BANDS,))
    for band, severity in enumerate(band_midpoints()):
        for level in (TOWNSHIP, COUNTY):
            share[:, level, band] = redirect_share(params, incentives, level, level + 1, severity)
    return share


def step_down_share(params, incentives: Incentives,
                    intensity: np.ndarray) -> np.ndarray:
    """(county,) share of the county hospitals' successful admissions whose recovery they send to the home
    township centre (下转) beyond the policy's rate: those whose recovery needs a further stay
    (``post_acute_share``), who consent (``referral_down_consent``), and whose loss (a harm log-logistic across
    patients, less the out-of-pocket cost they save) is worth less to the hospital than what it gains.
    The hospital's stay is ``recovery_share_of_stay`` shorter; the township gives a recovery stay of that share
    of its admission's resources, whose fund payment the budget's result bears at the holder's retention."""
    p, t = params.providers, params.care.recovery_share_of_stay
    full_revenue, full_fund, full = _net_values(params, incentives, intensity=intensity)
    shorter = intensity.copy()
    shorter[:, COUNTY, INPATIENT] *= 1.0 - t
    # the case groups still see the practised intensity: the hospital keeps its case rate
    short_revenue, short_fund, short = _net_values(params, incentives, intensity=shorter, grouped_intensity=intensity)
    recovery = np.ones(N_LEVELS)
    recovery[TOWNSHIP] = t  # of a typical township admission
    stay_revenue, stay_fund, _ = contact_payments(incentives.levers, None, intensity, recovery)
    gain = (short - full)[:, COUNTY, INPATIENT] - incentives.retention[:, COUNTY] * stay_fund[:, TOWNSHIP, INPATIENT]
    oop_change = ((short_revenue - short_fund) - (full_revenue - full_fund))[:, COUNTY, INPATIENT] \
        + (stay_revenue - stay_fund)[:, TOWNSHIP, INPATIENT]
    weight = incentives.weight
    eligible = params.care.post_acute_share * p.referral_down_consent
    return eligible * respond(gain / weight - oop_change, p.redirect_harm_yuan, p.response_shape)


def catalogue_shift_share(p, incentives: Incentives) -> np.ndarray:
    """(county, level) share of an admission's in-catalogue charges the provider moves to items the patient pays
    in full (目录外费用转嫁), up to ``catalogue_shift_ceiling``: each yuan moved spares the budget's holder its
    retention of the fund's share and costs the patient that share, so the providers who move it are those whose
    weight on patients' money, log-logistic across them around the weight they share, is below the retention.
    None without a budget (a case rate alone pays the hospital the same either way); village clinics have no
    beds, and city hospitals keep fee-for-service practice."""
    share = p.catalogue_shift_ceiling * respond(incentives.retention, incentives.weight[:, None], p.response_shape)
    share[:, VILLAGE] = share[:, CITY] = 0.0
    return share


def keep_value(params, incentives: Incentives) -> np.ndarray:
    """(county, level, kind) what keeping a failed case (another contact here instead of a referral up) is
    worth to the provider: its net value of the contact, the holder's part of the fund's payment saved a
    level up where the budget's result bears it, less its weight times the patient's extra out-of-pocket cost;
    in yuan of the patient's harm (divided by the weight)."""
    price, fund, value = _net_values(params, incentives)
    oop = price - fund
    above_fund, above_oop = np.zeros_like(fund), np.zeros_like(oop)
    above_fund[:, :CITY], above_oop[:, :CITY] = fund[:, 1:], oop[:, 1:]
    above_fund[:, COUNTY] *= city_borne(incentives.levers)[:, None]  # the city: borne only by a budget that covers it
    weight = incentives.weight[:, None, None]
    return (value + incentives.retention[:, :, None] * above_fund) / weight - (oop - above_oop)


def keep_share(params, incentives: Incentives, ffs_value: np.ndarray) -> np.ndarray:
    """(county, level, kind) share of failed care at township centres and county hospitals the provider keeps
    rather than refers up: the cases whose harm from a second try (log-logistic across patients) is worth less
    to it than keeping gains it over fee-for-service practice."""
    p = params.providers
    share = respond(keep_value(params, incentives) - ffs_value, p.redirect_harm_yuan, p.response_shape)
    share[:, VILLAGE] = share[:, CITY] = 0.0  # village doctors are not held to the budget; the city is the top
    return share


def followup_shift(p, primary_share: float) -> float:
    """Share of a chronic patient's follow-ups that full outreach brings to primary care: the logit's
    s(1 − s) times the outreach's pull."""
    return primary_share * (1.0 - primary_share) * p.outreach_pull


def outreach_value(params, incentives: Incentives, shift: float) -> np.ndarray:
    """(county,) what full outreach to one chronic patient a year is worth to the primary team: the follow-ups
    it brings from the county hospital to the township centre, each worth the centre's net value, the holder's
    part of the fund's payment at the hospital, and the patient's out-of-pocket saving at the provider's
    weight; and the capitation of the patients it brings under management."""
    price, fund, value = _net_values(params, incentives)
    weight = incentives.weight
    per_followup = brought_to_township(price, fund, value, incentives.retention, weight, OUTPATIENT)
    followups = params.illness.chronic_followups_per_year * shift
    return followups * per_followup + incentives.levers.capitation_per_chronic * shift


def brought_to_township(price: np.ndarray, fund: np.ndarray, value: np.ndarray, retention: np.ndarray,
                        weight: np.ndarray, kind: int) -> np.ndarray:
    """(county,) what one contact of ``kind`` brought from the county hospital to the township centre is worth
    to the primary team: the centre's net value of it, the holder's part of the fund's payment spared at the
    hospital, and the patient's out-of-pocket saving at the provider's ``weight``."""
    oop = (price - fund)[:, :, kind]
    return (value[:, TOWNSHIP, kind] + retention[:, COUNTY] * fund[:, COUNTY, kind]
            + weight * (oop[:, COUNTY] - oop[:, TOWNSHIP]))


def outreach_share(p, value: np.ndarray, ffs_value: np.ndarray) -> np.ndarray:
    """(county,) share of full outreach the primary team gives: the patients whose outreach costs it less than
    it gains over fee-for-service practice (cost log-logistic across patients)."""
    return respond(value - ffs_value, p.outreach_cost_yuan, p.response_shape)


@dataclass
class Caseload:
    """A year's care of each county's residents, as township centres weigh their services against it."""

    admissions: np.ndarray  # (county, level)
    township_visits: np.ndarray  # (county,) outpatient contacts at township centres
    recoveries: np.ndarray  # (county,) recovery stays at township centres, referred down (下转)

    @classmethod
    def none(cls, n_counties: int) -> "Caseload":
        return cls(np.zeros((n_counties, N_LEVELS)), np.zeros(n_counties), np.zeros(n_counties))


def tier_success_gain(params) -> float:
    """Rise in the chance that a township admission of the level's typical severity succeeds when a tier
    of services is added to a township centre's base capability."""
    care, tier = params.care, params.providers.service_tier_capability
    base = care.capability()[TOWNSHIP, SERIOUS]
    typical = params.finance.typical_admission_severity.array()[TOWNSHIP]
    return float(success_probability(np.array(base + tier), typical, care.success_slope)
                 - success_probability(np.array(base), typical, care.success_slope))


def tier_caseload(params, caseload: Caseload, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(county,) admissions a year a full tier of services brings to one township centre from the county
    hospital, and failed township admissions it averts there."""
    gain = tier_success_gain(params)
    # recovery stays (下转) are neither chosen by residents nor learnt from, and cannot fail
    chosen = np.maximum(caseload.admissions[:, TOWNSHIP] - caseload.recoveries, 0.0)
    total = chosen + caseload.admissions.sum(axis=1) - caseload.admissions[:, TOWNSHIP]
    share = np.divide(chosen, total, out=np.zeros(len(total)), where=total > 0)
    contacts = chosen + caseload.township_visits
    serious = np.divide(chosen, contacts, out=np.zeros(len(total)), where=contacts > 0)
    per_centre = np.maximum(centres, 1)
    moved = total * share * (1.0 - share) * params.choice.for_type(SERIOUS).quality * gain * serious / per_centre
    return moved, chosen * gain / per_centre


def services_value(params, incentives: Incentives, moved: np.ndarray,
                   averted: np.ndarray) -> np.ndarray:
    """(county,) what a full tier of services is worth to a township centre a year: each admission it brings
    from the county hospital earns the centre's net value, spares the holder its part of the fund's payment at
    the hospital and the patient the difference in out-of-pocket cost (at the provider's weight); each failed
    admission it averts spares the holder and the patient the county hospital's admission."""
    price, fund, value = _net_values(params, incentives)
    weight = incentives.weight
    per_averted = incentives.retention[:, COUNTY] * fund[:, COUNTY, INPATIENT] + weight * (price - fund)[:, COUNTY, INPATIENT]
    return moved * brought_to_township(price, fund, value, incentives.retention, weight, INPATIENT) + averted * per_averted


def services_change(p, value: np.ndarray, ffs_value: np.ndarray) -> np.ndarray:
    """(county,) capability for admissions the township centres gain by adding a tier of services (the
    centres whose cost of it, log-logistic across them, is below what it gains over fee-for-service practice)
    less what they lose by dropping one (those whose cost is below what it loses)."""
    cost = p.service_tier_cost_yuan
    return p.service_tier_capability * (respond(value - ffs_value, cost, p.response_shape)
                                        - respond(ffs_value - value, cost, p.response_shape))
