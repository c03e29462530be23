"""Payment: the year's tariff, the money of every contact (fund, out of pocket, facility revenue), and
chronic-disease and outpatient capitation (按人头付费) at the end of each year. How a contact is priced is ``ygt_abm.pricing``;
the rules and their clauses are in docs/model.md ("Payment")."""

from __future__ import annotations

import numba
import numpy as np

from ygt_abm.pricing import pay_contacts
from ygt_abm.processes.base import Process
from ygt_abm.state.tariff import Tariff
from ygt_abm.vocabulary import CITY, COUNTY, INPATIENT, N_LEVELS, TOWNSHIP, VILLAGE


class Payment(Process):
    """Prices, reimbursement and out-of-pocket cost of every contact; capitation at year end."""

    name = "payment"
    reads = ("outpatient_price", "inpatient_price", "outpatient_reimbursement", "inpatient_reimbursement",
             "inpatient_deductible", "inpatient_in_catalogue", "outpatient_fund_limit", "same_payment_severity",
             "referred_price_discount", "referred_fee_waiver", "unreferred_reimbursement_cut",
             "continuous_deductible", "capitation_per_chronic", "global_budget", "remote_consultation_fee",
             "case_rate", "case_severity_adjustment", "case_intensity_adjustment",
             "outpatient_capitation", "outpatient_capitation_per_head")
    needs = ("access",)
    writes = ("tariff", "population.outpatient_fund_used", "episodes.paid_deductible", "fund.spending",
              "counters.oop", "counters.charges", "counters.reimbursed", "counters.inpatient_fund",
              "counters.inpatient_charges", "counters.resources", "counters.inpatient_resources",
              "counters.settled_outpatient_visits", "counters.settled_outpatient_charges", "counters.capitation",
              "facilities.revenue_fund", "facilities.revenue_oop")

    def init(self, model) -> None:
        region = model.region
        clinics = np.flatnonzero(region.facility_level == VILLAGE)
        self.village_clinic = np.full(region.n_villages, -1)  # each village's clinic (-1: none)
        self.village_clinic[region.facility_village[clinics]] = clinics
        # the fund's outpatient payment per insured resident by (county, level) in the last settled year, per
        # contact and by head: what a budget-neutral outpatient capitation pays (NaN: no year settled yet)
        self.outpatient_fund_per_insured = np.full((region.n_counties, N_LEVELS), np.nan)

    def invariants(self, model, week=None):
        fac = model.facilities
        if abs(model.fund.spending.sum() - fac.revenue_fund.sum()) >= 1.0:
            yield "the fund's spending is not the facilities' revenue from the fund, to the yuan"
        if abs(model.counters.oop.sum() - fac.revenue_oop.sum()) >= 1.0:
            yield "out of pocket is not the facilities' revenue from patients, to the yuan"
        limit = model.levers.outpatient_fund_limit[model.population.county]
        if (model.population.outpatient_fund_used > limit + 1e-6).any():
            yield "the fund paid a resident's outpatient care beyond the yearly limit"

    def start_year(self, model) -> None:
        """This year's tariff: prices, reimbursement and case rates, at the intensity providers now practise;
        every resident's outpatient allowance starts afresh."""
        practice = model.practice  # its intensity copied: this year's, whatever changes
        model.tariff = Tariff.of(model.levers, practice.intensity.copy(), practice.catalogue_shift,
                                 self_paid_cut_priority=model.params.providers.self_paid_cut_priority)
        model.population.outpatient_fund_used[:] = 0.0

    def care_round(self, model, week, rnd) -> None:
        """Price the round's contacts; book fund, out-of-pocket and facility revenue."""
        ep = week.episodes
        waived = deductibles(rnd.act, rnd.level, rnd.kind, ep.county, model.levers.continuous_deductible,
                             ep.paid_deductible)
        pay_contacts(model, week, rnd.act, rnd.facility, rnd.level, rnd.kind, rnd.referred, waived)

    def end_year(self, model) -> None:
        """Capitation (按人头付费): chronic-disease capitation to the township health centres, and outpatient
        capitation to the levels whose outpatient care the fund pays by head."""
        self.pay_chronic_capitation(model)
        self.pay_outpatient_capitation(model)

    def pay_outpatient_capitation(self, model) -> None:
        """Outpatient capitation (门诊统筹按人头付费: the national opinion on payment reform, 人社部发〔2011〕63号,
        has residents' outpatient pooling at primary care explore payment mainly by head, 以按人头付费为主): at a
        capitated level the fund pays, instead of its share of each outpatient contact, a yearly sum per insured resident of the county to the resident's own facility of that level
        (village clinic, home township health centre): ``outpatient_capitation_per_head``, or where it is NaN
        the fund's outpatient payment per insured resident at that level in the last settled year (budget
        neutral). Then remember this year's outpatient payment per insured resident, per contact and by head."""
        lev, pop, fac, counters = model.levers, model.population, model.facilities, model.counters
        n_c = model.region.n_counties
        by_head = np.zeros((n_c, N_LEVELS))
        if lev.outpatient_capitation.any():
            per_head = np.where(np.isnan(lev.outpatient_capitation_per_head), self.outpatient_fund_per_insured,
                                lev.outpatient_capitation_per_head)
            if np.isnan(per_head[lev.outpatient_capitation]).any():
                raise ValueError("a budget-neutral outpatient capitation needs a settled year before it: give "
                                 "per_head, or start it after the first simulated year (or a warm-up)")
            for level, own in ((VILLAGE, self.village_clinic), (TOWNSHIP, model.home_centre)):
                county = pop.county.astype(np.int64)
                facility = own[pop.village]
                enrolled = np.flatnonzero(pop.insured & lev.outpatient_capitation[county, level] & (facility >= 0))
                county, facility = county[enrolled], facility[enrolled]
                amount = per_head[county, level]
                at_level = np.full(len(enrolled), level)
                model.fund.pay(county, at_level, amount)
                counters.add_by_level_weighted(counters.capitation, county, at_level, amount)
                fac.revenue_fund += np.bincount(facility, weights=amount, minlength=len(fac.level))
                by_head[:, level] = np.bincount(county, weights=amount, minlength=n_c)
        insured = np.bincount(pop.county[pop.insured], minlength=n_c)[:, None]
        outpatient = counters.reimbursed - counters.inpatient_fund + by_head
        self.outpatient_fund_per_insured = np.divide(outpatient, insured, out=np.full(outpatient.shape, np.nan),
                                                     where=insured > 0)

    def pay_chronic_capitation(self, model) -> None:
        """Chronic-disease capitation (按人头付费): primary care is paid a yearly sum per managed chronic
        patient, to the patient's township health centre: by the fund, or, where the community holds a
        global budget, out of that budget (AH §6: 在医共体…总额预算指标下), taken from the county hospitals."""
        per_head = model.levers.capitation_per_chronic
        if not per_head.any():
            return
        pop, fac, counters = model.population, model.facilities, model.counters
        managed = np.flatnonzero(pop.managed_chronic)
        county = pop.county[managed].astype(np.int64)
        amount = per_head[county]
        thc = model.home_centre[pop.village[managed]]
        inside = model.levers.budget_held()[county]
        township = np.full(len(managed), TOWNSHIP)
        model.fund.pay(county[~inside], township[~inside], amount[~inside])
        counters.add_by_level_weighted(counters.capitation, county, township, amount)
        fac.revenue_fund += np.bincount(thc, weights=amount, minlength=len(fac.level))
        if inside.any():  # a transfer within the community: the county hospitals pay it, by their fund revenue
            paid = np.bincount(county[inside], weights=amount[inside], minlength=len(per_head))
            counters.capitation[:, COUNTY] -= paid
            hospital = (fac.level == COUNTY) & (fac.county >= 0)
            hospital_county = np.where(hospital, fac.county, 0)
            earned = np.where(hospital, fac.revenue_fund, 0.0)
            county_earned = np.bincount(hospital_county, weights=earned, minlength=len(per_head))
            share = np.divide(earned, county_earned[hospital_county], out=np.zeros_like(earned),
                              where=county_earned[hospital_county] > 0)
            fac.revenue_fund -= share * paid[hospital_county]


@numba.njit(cache=True, nogil=True)
def deductibles(act: np.ndarray, level: np.ndarray, kind: np.ndarray, county: np.ndarray, continuous: np.ndarray,
                paid: np.ndarray) -> np.ndarray:
    """Whether each contact's deductible is waived, in one pass: an episode that paid one in the county (below the
    city hospital), where the county counts deductibles continuously (起付线连续计算); an admission there marks its
    episode as having paid (in place; each episode has one contact a round, so the order is immaterial)."""
    waived = np.empty(len(act), dtype=np.bool_)
    for i in range(len(act)):
        e, in_county = act[i], level[i] < CITY
        waived[i] = continuous[county[e]] and paid[e] and in_county
        paid[e] |= kind[i] == INPATIENT and in_county
    return waived
