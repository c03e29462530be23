"""Recording: the week's tallies, and at the end of each recorded year the indicators the documents set
targets for (``vocabulary.INDICATORS``), per county, from the counters.

Visits are outpatient and emergency contacts (门急诊人次); admissions are counted separately. Every share
uses all contacts of the county's residents as its denominator, wherever they happened (the county's own
facilities are "inside", city hospitals "outside").
"""

from __future__ import annotations

import numba
import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.processes.workforce import doctor_pay
from ygt_abm.state.counters import YearCounters
from ygt_abm.state.fund import InsuranceFund
from ygt_abm.state.population import Population
from ygt_abm.vocabulary import (
    AGE_BANDS, CITY, COUNTY, INDICATORS, LEVELS, N_LEVELS, PRIMARY_CARE, SERIOUS, TOWNSHIP,
    UNMET, VILLAGE,
)

PRIMARY = list(PRIMARY_CARE)
OLDER_BAND = AGE_BANDS.index("age_45_64")  # the bypass study's residents aged 45+ (Li, Chen, Khan 2021)


class Recording(Process):
    """Counts the week's episodes and outcomes, writes the year's indicators."""

    name = "recording"
    needs = ("treatment",)
    writes = ("counters.episodes", "counters.outcomes", "counters.care_episodes", "counters.unmet",
              "counters.older_first_contacts")
    reads = ("extra_beds",)  # bed occupancy counts the beds policy added

    def init(self, model) -> None:
        self.records: list[dict] = []  # the indicators of every recorded year
        self.episode_levels: list[np.ndarray] = []  # per recorded week, first-contact code of every episode

    def end_week(self, model, week) -> None:
        """Count the week's episodes and outcomes; keep their first contacts where episodes are recorded."""
        c, ep = model.counters, week.episodes
        tally_episodes(ep.county, ep.kind, ep.outcome, ep.contact, ep.first_level, model.population.age_band[ep.resident],
                       c.episodes, c.outcomes, c.care_episodes, c.unmet, c.older_first_contacts)
        if model.record_episodes and model.year >= 1:
            self.episode_levels.append(ep.first_level.astype(np.uint8))

    def end_year(self, model) -> None:
        """The year's indicators per county (recorded years only: none while warming up)."""
        year = model.year
        if year < 1:
            return
        n_c = model.region.n_counties
        fac = model.facilities
        doctors = fac.doctors_by_county_and_level(n_c)
        marginal = model.params.providers.marginal_cost_share
        costs = facility_costs(model.counters, doctors, doctor_pay(model), marginal)
        standard = capability_standard_share(fac, n_c, model.params.care.township_capability_standard)
        values = county_indicators(model.counters, model.population, model.fund, doctors, costs, standard)
        values.update(facility_indicators(fac, n_c, model.levers.extra_beds,
                                          model.params.facilities.length_of_stay_days.array()))
        for ci, name in enumerate(model.region.county_names):
            for metric in INDICATORS:
                self.records.append({"county": name, "year": year, "metric": metric,
                                     "value": float(values[metric][ci])})



@numba.njit(cache=True, nogil=True)
def tally_episodes(county: np.ndarray, kind: np.ndarray, outcome: np.ndarray, contact: np.ndarray,
                   first_level: np.ndarray, age_band: np.ndarray, episodes: np.ndarray, outcomes: np.ndarray,
                   care_episodes: np.ndarray, unmet: np.ndarray, older_first_contacts: np.ndarray) -> None:
    """Count the week's ended episodes in place, in one pass: by (county, type), by (county, outcome), those
    with care, the unmet, and by (county, level of first contact) those of residents aged 45+."""
    for i in range(len(county)):
        c = county[i]
        episodes[c, kind[i]] += 1
        outcomes[c, outcome[i]] += 1
        if contact[i]:
            care_episodes[c] += 1
        if outcome[i] == UNMET:
            unmet[c] += 1
        if age_band[i] >= OLDER_BAND and first_level[i] < N_LEVELS:
            older_first_contacts[c, first_level[i]] += 1


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.full(part.shape, np.nan), where=whole > 0)


def facility_costs(c: YearCounters, doctors: np.ndarray, pay: np.ndarray, marginal_cost_share: float) -> np.ndarray:
    """(county, level) yuan the facilities spent on the county's residents: the cost that varies with
    contacts (``marginal_cost_share`` of their itemised charges) and their doctors' pay (by time worked)."""
    return marginal_cost_share * c.resources + doctors * pay


def capability_standard_share(fac, n_counties: int, standard: float) -> np.ndarray:
    """(county,) share of the county's township health centres whose capability for admissions meets ``standard``."""
    thc = (fac.level == TOWNSHIP) & (fac.county >= 0)
    county = fac.county[thc]
    meets = fac.capability[thc, SERIOUS] >= standard
    return _share(np.bincount(county, weights=meets, minlength=n_counties).astype(float),
                  np.bincount(county, minlength=n_counties).astype(float))


def facility_indicators(fac, n_counties: int, extra_beds: np.ndarray, stay_days: np.ndarray) -> dict[str, np.ndarray]:
    """(county,) the year's work of the county's facilities, per facility (all their patients): visits per
    village clinic and per township centre, admissions per township centre, and bed occupancy."""
    own = fac.county >= 0
    county = np.where(own, fac.county, 0)

    def total(level: int, weights: np.ndarray) -> np.ndarray:
        mask = own & (fac.level == level)
        return np.bincount(county[mask], weights=weights[mask], minlength=n_counties).astype(float)

    ones = np.ones(len(fac.level))
    bed_days = (fac.beds + extra_beds) * 365.0
    return {
        "visits_per_village_clinic": _share(total(VILLAGE, fac.visits), total(VILLAGE, ones)),
        "visits_per_township_centre": _share(total(TOWNSHIP, fac.visits), total(TOWNSHIP, ones)),
        "admissions_per_township_centre": _share(total(TOWNSHIP, fac.admissions), total(TOWNSHIP, ones)),
        "bed_occupancy_township": _share(stay_days[TOWNSHIP] * total(TOWNSHIP, fac.admissions),
                                         total(TOWNSHIP, bed_days)),
        "bed_occupancy_county": _share(stay_days[COUNTY] * total(COUNTY, fac.admissions), total(COUNTY, bed_days)),
    }


def county_indicators(c: YearCounters, population: Population, fund: InsuranceFund, doctors: np.ndarray,
                      costs: np.ndarray, capability_standard: np.ndarray) -> dict[str, np.ndarray]:
    """Every indicator as an array over counties; ``doctors`` is (county, level), counted by time worked;
    ``costs`` is (county, level) yuan the facilities spent on the county's residents' care and on pay;
    ``capability_standard`` is the share of each county's township centres meeting the capability standard."""
    spending = fund.spending
    n = len(c.oop)
    residents = np.bincount(population.county, minlength=n).astype(float)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(population.county[mask], minlength=n).astype(float)

    chronic_n = count(population.has_chronic)
    enrollees = count(population.insured)
    under_management = count(population.chronic_under_management)
    managed = count(population.managed_chronic)
    key = population.key_population
    visits, admits, paid = c.visits.sum(1), c.admissions.sum(1), spending.sum(1)
    in_county_paid = spending[:, :CITY].sum(1)  # summed, not total − city: a share stays ≤ 1 to the last bit
    values = {
        "in_county_visit_rate": _share(visits - c.visits[:, CITY], visits),
        "primary_care_visit_share": _share(c.visits[:, PRIMARY].sum(1), visits),
        "primary_care_share_of_in_county_visits": _share(c.visits[:, PRIMARY].sum(1), visits - c.visits[:, CITY]),
        "in_county_inpatient_share": _share(admits - c.admissions[:, CITY], admits),
        "in_county_fund_share": _share(paid - spending[:, CITY], paid),
        "primary_care_fund_share": _share(spending[:, PRIMARY].sum(1), paid),
        "visits_per_capita": _share(visits, residents),
        "admissions_per_capita": _share(admits, residents),
        "referrals_up": c.referrals_up.copy(),
        "self_referrals_up": c.self_referrals_up.copy(),
        "referrals_down": c.referrals_down.copy(),
        "declined_admissions": c.declined_admissions.copy(),
        "failed_care_kept": c.kept_after_failure.copy(),
        "remote_consultations_per_1000": _share(1000.0 * c.remote_consultations, residents),
        "oop_per_episode": _share(c.oop, c.care_episodes),
        "family_doctor_signup_rate": _share(count(population.family_doctor), residents),
        "key_population_signup_rate": _share(count(key & population.family_doctor), count(key)),
        "chronic_managed_rate": _share(managed, under_management),
        "chronic_management_coverage": _share(under_management, chronic_n),
        "village_doctors": doctors[:, VILLAGE].astype(float),
        "fund_balance_per_capita": _share(fund.balance(), residents),
        "unmet_need_share": _share(c.unmet, c.care_episodes + c.unmet),
        "township_admission_share": _share(c.admissions[:, TOWNSHIP], admits),
        "out_of_county_inpatient_share": _share(c.admissions[:, CITY], admits),
        "out_of_county_inpatient_fund_share": _share(c.inpatient_fund[:, CITY], c.inpatient_fund.sum(1)),
        "out_of_county_inpatient_spending_per_capita": _share(c.inpatient_charges[:, CITY], residents),
        "out_of_county_inpatient_fund_per_capita": _share(c.inpatient_fund[:, CITY], residents),
        "primary_care_share_of_in_county_fund": _share(spending[:, PRIMARY].sum(1), in_county_paid),
        "admitted_patients_per_capita": _share(count(population.admitted), residents),
        "fund_spending_per_enrollee": _share(paid, enrollees),
        "settled_outpatient_visits_per_enrollee": _share(c.settled_outpatient_visits, enrollees),
        "settled_outpatient_cost_per_enrollee": _share(c.settled_outpatient_charges, enrollees),
        "inpatient_effective_reimbursement": _share(c.inpatient_fund.sum(1), c.inpatient_charges.sum(1)),
        "inpatient_fund_share": _share(c.inpatient_fund.sum(1), paid),
        "older_bypass_share": _share(c.older_first_contacts[:, COUNTY:].sum(1), c.older_first_contacts.sum(1)),
        "doctors_per_1000": _share(1000.0 * doctors[:, :COUNTY + 1].sum(1), residents),
        "township_capability_standard_share": capability_standard,
    }
    oop_admissions = c.inpatient_charges - c.inpatient_fund
    oop_visits = (c.charges - c.reimbursed) - oop_admissions
    revenue = c.facility_revenue()
    for level, name in enumerate(LEVELS):
        values[f"visits_per_capita_{name}"] = _share(c.visits[:, level], residents)
        values[f"oop_per_visit_{name}"] = _share(oop_visits[:, level], c.visits[:, level])
        if level >= TOWNSHIP:
            values[f"admissions_per_capita_{name}"] = _share(c.admissions[:, level], residents)
            values[f"oop_per_admission_{name}"] = _share(oop_admissions[:, level], c.admissions[:, level])
            values[f"charges_per_admission_{name}"] = _share(c.inpatient_resources[:, level], c.admissions[:, level])
            values[f"inappropriate_admission_share_{name}"] = _share(c.inappropriate_admissions[:, level],
                                                                     c.admissions[:, level])
        values[f"fund_spending_per_capita_{name}"] = _share(spending[:, level], residents)
        values[f"effective_reimbursement_ratio_{name}"] = _share(c.reimbursed[:, level], c.charges[:, level])
        values[f"facility_revenue_per_capita_{name}"] = _share(revenue[:, level], residents)
        if level <= COUNTY:
            values[f"facility_surplus_per_capita_{name}"] = _share(revenue[:, level] - costs[:, level], residents)
    return values
