import numpy as np
import pytest

from ygt_abm.processes.recording import county_indicators
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
        usual_level=np.zeros(n, np.int8), primary_followups=np.array([4, 2] + [0] * 8, np.int16))


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
    got = county_indicators(c, _population(), fund, np.array([7]))
    assert set(got) == set(INDICATORS)
    assert got["in_county_visit_rate"][0] == pytest.approx(0.9)
    assert got["primary_care_visit_share"][0] == pytest.approx(0.5)
    assert got["in_county_inpatient_share"][0] == pytest.approx(0.75)
    assert got["in_county_fund_share"][0] == pytest.approx(0.25)
    assert got["primary_care_fund_share"][0] == pytest.approx(0.25)
    assert got["visits_per_capita"][0] == pytest.approx(10.0)
    assert got["admissions_per_capita"][0] == pytest.approx(0.4)
    assert got["oop_per_episode"][0] == pytest.approx(10.0)
    assert got["family_doctor_signup_rate"][0] == pytest.approx(0.4)
    assert got["chronic_managed_rate"][0] == pytest.approx(0.5)  # one of two has ≥4 follow-ups
    assert got["village_doctors"][0] == 7
    assert got["fund_balance_per_capita"][0] == pytest.approx((1000 - 800) / 10)
    assert got["unmet_need_share"][0] == pytest.approx(0.1)


def test_shares_of_nothing_are_missing_not_zero():
    got = county_indicators(YearCounters.zeros(1), _population(), InsuranceFund.empty(1), np.array([0]))
    assert np.isnan(got["primary_care_visit_share"][0])
