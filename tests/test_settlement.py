"""Settlement: global budgets and bonus pay out of the facilities' service surplus (两个允许)."""

import numpy as np
import pytest

from ygt_abm.levers import GlobalBudget
from ygt_abm.processes.settlement import settle_global_budget, surplus_basis, surplus_bonus

ON, OFF = np.array([[0.6]]), np.array([[0.0]])
NONE = np.array([[np.nan]])


def test_surplus_growth_counts_from_the_mean_of_the_three_years_before_the_lever():
    history = [np.array([[s]]) for s in (100.0, 10.0, 20.0, 30.0)]
    basis = surplus_basis(OFF, NONE, history[:3])
    assert np.isnan(basis).all()  # no lever, no basis
    basis = surplus_basis(ON, basis, history)  # the lever's first year (30): the mean of the three before it
    assert basis[0, 0] == pytest.approx(np.mean([100.0, 10.0, 20.0]))
    assert surplus_basis(ON, basis, history + [np.array([[500.0]])])[0, 0] == basis[0, 0]  # kept while it lasts
    assert np.isnan(surplus_basis(OFF, basis, history)).all()  # and dropped when it ends


def test_a_run_that_begins_with_the_lever_counts_growth_from_its_first_year():
    assert surplus_basis(ON, NONE, [np.array([[42.0]])])[0, 0] == 42.0


def test_the_bonus_pays_a_share_of_the_growth_per_doctor_and_never_cuts_pay():
    reference = np.array([100.0])
    up = surplus_bonus(ON, np.array([[1_500.0]]), np.array([[1_000.0]]), np.array([[3.0]]), reference)
    assert up[0, 0] == pytest.approx(1.0 + 0.6 * 500.0 / 3.0 / 100.0)
    down = surplus_bonus(ON, np.array([[500.0]]), np.array([[1_000.0]]), np.array([[3.0]]), reference)
    assert down[0, 0] == 1.0  # 增发: extra pay only
    assert surplus_bonus(OFF, np.array([[1_500.0]]), NONE, np.array([[3.0]]), reference)[0, 0] == 1.0
    assert surplus_bonus(ON, np.array([[1_500.0]]), np.array([[1_000.0]]), np.array([[0.0]]), reference)[0, 0] == 1.0


def test_a_history_budget_keeps_the_retained_share_of_a_surplus_and_bears_the_overspend_share_of_a_deficit():
    budget = GlobalBudget("history", 0.0, 1.0, 0.5, 0.6, 0.6, True)
    assert settle_global_budget(budget, 0.0, 90.0, [100.0, 100.0]) == pytest.approx(10.0)
    assert settle_global_budget(budget, 0.0, 120.0, [100.0]) == pytest.approx(-10.0)
    assert settle_global_budget(budget, 0.0, 120.0, []) == 0.0  # no history, nothing to settle
