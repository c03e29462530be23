import numpy as np
import pytest

from ygt_abm.behaviour.choice import choice_probabilities, choose, wait_days


def test_probabilities_are_the_analytical_logit():
    u = np.array([[0.0, 1.0, -2.0, 0.5], [3.0, -np.inf, 0.0, 1.0]])
    p = choice_probabilities(u)
    expected0 = np.exp(u[0]) / np.exp(u[0]).sum()
    assert p[0] == pytest.approx(expected0)
    finite = np.isfinite(u[1])
    assert p[1][~finite] == pytest.approx([0.0])
    assert p[1][finite] == pytest.approx(np.exp(u[1][finite]) / np.exp(u[1][finite]).sum())


def test_chosen_frequencies_match_the_logit_probabilities():
    rng = np.random.default_rng(0)
    utility = np.array([0.3, -np.inf, 1.2, -0.5, 0.0])
    n = 200_000
    picks = choose(np.tile(utility, (n, 1)), rng.random(n))
    freq = np.bincount(picks, minlength=5) / n
    p = choice_probabilities(utility[None, :])[0]
    assert freq == pytest.approx(p, abs=0.005)
    assert freq[1] == 0.0


def test_rows_with_nothing_feasible_choose_minus_one():
    u = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    assert choose(u, np.array([0.5, 0.99])).tolist() == [-1, 0]


def test_extreme_utilities_do_not_overflow():
    p = choice_probabilities(np.array([[1000.0, 0.0, -1000.0]]))
    assert p[0] == pytest.approx([1.0, 0.0, 0.0])


def test_waits_grow_only_once_a_facility_is_crowded():
    w = wait_days(np.array([1.0, 1.0, 1.0]), np.array([0.5, 0.85, 1.2]), crowding_days=6.0)
    assert w.tolist() == pytest.approx([1.0, 4.0, 7.0])
