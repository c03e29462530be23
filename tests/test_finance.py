import numpy as np
import pytest

from ygt_abm.config import ModelParameters
from ygt_abm.finance import INPATIENT, OUTPATIENT, InsuranceFund, expected_oop, price_and_reimbursement
from ygt_abm.levers import PolicyLevers


@pytest.fixture
def levers():
    return PolicyLevers.baseline(ModelParameters(), n_counties=1, n_facilities=3)


def test_the_fund_pays_the_ratio_above_the_deductible(levers):
    level = np.array([2, 2, 1])
    kind = np.array([INPATIENT, OUTPATIENT, INPATIENT])
    price, fund = price_and_reimbursement(levers, np.zeros(3, int), level, kind, np.array([True, True, True]))
    assert price.tolist() == [6762.0, 218.6, 2083.0]
    assert fund[0] == pytest.approx(0.80 * (6762 - 230))
    assert fund[1] == pytest.approx(0.6 * 218.6)
    assert fund[2] == pytest.approx(0.85 * (2083 - 150))


def test_the_uninsured_pay_everything_and_a_waived_deductible_is_not_charged(levers):
    lv, kind = np.array([2, 2]), np.array([INPATIENT, INPATIENT])
    _, fund = price_and_reimbursement(levers, np.zeros(2, int), lv, kind, np.array([False, True]),
                                      deductible_waived=np.array([False, True]))
    assert fund[0] == 0.0
    assert fund[1] == pytest.approx(0.80 * 6762)


def test_expected_out_of_pocket_falls_with_insurance(levers):
    table = expected_oop(levers)[0]
    assert (table[:, :, 1] <= table[:, :, 0]).all()
    assert table[3, 2, 1] > table[2, 2, 1] > table[1, 2, 1]  # admissions cost more higher up


def test_fund_balance_is_contributions_minus_spending():
    fund = InsuranceFund.empty(2)
    fund.collect(np.array([10.0, 20.0]), 1000.0)
    fund.pay(np.array([0, 1, 1]), np.array([0, 3, 3]), np.array([50.0, 100.0, 25.0]))
    assert fund.spending[1, 3] == 125.0
    assert fund.balance().tolist() == [9950.0, 19875.0]
