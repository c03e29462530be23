from types import SimpleNamespace

import numpy as np
import pytest

from ygt_abm.processes.recording import county_indicators, facility_indicators
from ygt_abm.state.counters import YearCounters
from ygt_abm.state.fund import InsuranceFund
from ygt_abm.state.population import Population
from ygt_abm.vocabulary import INDICATORS


def _population() -> Population:
    n = 10
    return Population(
        village=np.zeros(n, np.int32), county=np.zeros(n, np.int16), age_band=np.zeros(n, np.int8),
        chronic=np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], np.uint8), insured=np.ones(n, bool),
        family_doctor=np.array([True] * 4 + [False] * 6), belief=np.zeros((n, 4), np.float32),
        usual_level=np.zeros(n, np.int8), primary_followups=np.array([4, 2] + [0] * 8, np.int16),
        admitted=np.array([True, True, False, True] + [False] * 6), outpatient_fund_used=np.zeros(n))


def _doctors(village: float = 7) -> np.ndarray:
    return np.array([[village, 3.0, 5.0, 40.0]])  # (county, level); city doctors are not the county's


def test_indicators_follow_their_definitions():
    c = YearCounters.zeros(1)
    c.visits[0] = [30, 20, 40, 10]
    c.admissions[0] = [0, 1, 2, 1]
    c.oop[0] = 900.0
    c.care_episodes[0] = 90
    c.unmet[0] = 10
    fund = InsuranceFund.empty(1)
    fund.collect(np.array([10.0]), 100.0)
    fund.pay(np.array([0, 0]), np.array([1, 3]), np.array([200.0, 600.0]))
    c.charges[0] = [100.0, 400.0, 0.0, 1000.0]
    c.reimbursed[0] = [80.0, 200.0, 0.0, 600.0]
    c.inpatient_fund[0] = [0.0, 150.0, 0.0, 450.0]
    c.inpatient_charges[0] = [0.0, 300.0, 0.0, 900.0]
    c.settled_outpatient_visits[0], c.settled_outpatient_charges[0] = 25, 500.0
    c.inpatient_resources[0] = [0.0, 240.0, 0.0, 900.0]  # the township was paid a case rate above its charges
    costs = np.array([[50.0, 100.0, 0.0, 2000.0]])
    c.older_first_contacts[0] = [3, 3, 3, 1]  # four of ten older patients went first to a hospital
    got = county_indicators(c, _population(), fund, _doctors(), costs, np.array([0.25]))
    facilities = SimpleNamespace(level=np.array([0, 0, 1, 2, 3]), county=np.array([0, 0, 0, 0, -1]),
                                 visits=np.array([100.0, 300.0, 5000.0, 9000.0, 7.0]),
                                 admissions=np.array([0.0, 0.0, 365.0, 730.0, 9.0]),
                                 beds=np.array([0.0, 0.0, 10.0, 20.0, 100.0]))
    got.update(facility_indicators(facilities, 1, np.zeros(5), np.array([1.0, 6.0, 8.0, 10.0])))
    assert set(got) == set(INDICATORS)
    assert got["older_bypass_share"][0] == pytest.approx(0.4)
    assert got["visits_per_village_clinic"][0] == 200 and got["visits_per_township_centre"][0] == 5000
    assert got["admissions_per_township_centre"][0] == 365
    assert got["bed_occupancy_township"][0] == pytest.approx(0.6) and got["bed_occupancy_county"][0] == pytest.approx(0.8)
    assert got["in_county_visit_rate"][0] == pytest.approx(0.9)
    assert got["primary_care_visit_share"][0] == pytest.approx(0.5)
    assert got["in_county_inpatient_share"][0] == pytest.approx(0.75)
    assert got["in_county_fund_share"][0] == pytest.approx(0.25)
    assert got["primary_care_fund_share"][0] == pytest.approx(0.25)
    assert got["visits_per_capita"][0] == pytest.approx(10.0)
    assert got["admissions_per_capita"][0] == pytest.approx(0.4)
    assert got["oop_per_episode"][0] == pytest.approx(10.0)
    assert got["family_doctor_signup_rate"][0] == pytest.approx(0.4)
    assert got["chronic_managed_rate"][0] == pytest.approx(0.5)  # of two under management, one has ≥4 follow-ups
    assert got["chronic_management_coverage"][0] == pytest.approx(1.0)
    assert got["village_doctors"][0] == 7
    assert got["fund_balance_per_capita"][0] == pytest.approx((1000 - 800) / 10)
    assert got["unmet_need_share"][0] == pytest.approx(0.1)
    assert got["township_admission_share"][0] == pytest.approx(0.25)
    assert got["out_of_county_inpatient_share"][0] == pytest.approx(0.25)
    assert got["out_of_county_inpatient_fund_share"][0] == pytest.approx(0.75)
    assert got["out_of_county_inpatient_spending_per_capita"][0] == pytest.approx(900 / 10)
    assert got["out_of_county_inpatient_fund_per_capita"][0] == pytest.approx(450 / 10)
    assert got["primary_care_share_of_in_county_fund"][0] == pytest.approx(1.0)  # 200 of the 200 inside
    assert got["admitted_patients_per_capita"][0] == pytest.approx(0.3)  # 3 residents, 4 admissions
    assert got["doctors_per_1000"][0] == pytest.approx(1000 * 15 / 10)
    assert got["visits_per_capita_county"][0] == pytest.approx(4.0)
    assert got["admissions_per_capita_city"][0] == pytest.approx(0.1)
    assert "admissions_per_capita_village" not in got  # villages have no beds
    assert got["fund_spending_per_capita_city"][0] == pytest.approx(60.0)
    assert got["effective_reimbursement_ratio_village"][0] == pytest.approx(0.8)
    assert np.isnan(got["effective_reimbursement_ratio_county"][0])  # no contacts there
    assert got["facility_revenue_per_capita_township"][0] == pytest.approx(40.0)
    assert got["facility_surplus_per_capita_township"][0] == pytest.approx((400 - 100) / 10)
    assert "facility_surplus_per_capita_city" not in got  # city hospitals' staff serve the whole region
    assert got["fund_spending_per_enrollee"][0] == pytest.approx(800 / 10)  # every resident insured
    assert got["settled_outpatient_visits_per_enrollee"][0] == pytest.approx(2.5)
    assert got["settled_outpatient_cost_per_enrollee"][0] == pytest.approx(50.0)
    assert got["inpatient_effective_reimbursement"][0] == pytest.approx(600 / 1200)
    assert got["inpatient_fund_share"][0] == pytest.approx(600 / 800)
    assert got["charges_per_admission_township"][0] == pytest.approx(240 / 1)
    assert got["township_capability_standard_share"][0] == 0.25


def test_a_chronic_patient_without_follow_ups_counts_against_coverage_not_the_managed_rate():
    pop = _population()
    pop.primary_followups[:] = 0
    pop.primary_followups[0] = 5
    got = county_indicators(YearCounters.zeros(1), pop, InsuranceFund.empty(1), _doctors(), np.zeros((1, 4)), np.zeros(1))
    assert got["chronic_managed_rate"][0] == pytest.approx(1.0)
    assert got["chronic_management_coverage"][0] == pytest.approx(0.5)


def test_shares_of_nothing_are_missing_not_zero():
    got = county_indicators(YearCounters.zeros(1), _population(), InsuranceFund.empty(1), _doctors(0),
                            np.zeros((1, 4)), np.full(1, np.nan))
    assert np.isnan(got["primary_care_visit_share"][0])


def test_the_capability_standard_counts_township_centres_only_by_their_capability_for_admissions():
    from types import SimpleNamespace

    from ygt_abm.processes.recording import capability_standard_share

    capability = np.zeros((5, 4))
    capability[:, 2] = [0.9, 0.61, 0.59, 0.7, 0.9]  # serious care
    fac = SimpleNamespace(level=np.array([0, 1, 1, 1, 2]), county=np.array([0, 0, 0, 1, 0]), capability=capability)
    assert capability_standard_share(fac, 3, 0.6)[:2].tolist() == [0.5, 1.0]  # the village clinic and hospital do not count
    assert np.isnan(capability_standard_share(fac, 3, 0.6)[2])  # a county without township centres
