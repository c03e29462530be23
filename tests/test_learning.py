import numpy as np
import pytest
from oracles import average_toward_as_arrays

from ygt_abm.model import CountyModel
from ygt_abm.processes.base import Week
from ygt_abm.processes.learning import learn_from_outcomes, word_of_mouth


def test_own_outcomes_move_belief_toward_the_outcome_at_the_learning_rate():
    belief = np.full((3, 4), 0.5, dtype=np.float32)
    learn_from_outcomes(belief, np.array([0, 1]), np.array([2, 0]), np.array([1.0, 0.0]), rate=0.2)
    assert belief[0, 2] == pytest.approx(0.6)
    assert belief[1, 0] == pytest.approx(0.4)
    assert belief[2] == pytest.approx([0.5] * 4)  # nobody else learns


def test_several_experiences_in_one_week_are_averaged():
    belief = np.full((1, 4), 0.5, dtype=np.float32)
    learn_from_outcomes(belief, np.array([0, 0]), np.array([1, 1]), np.array([1.0, 0.0]), rate=0.5)
    assert belief[0, 1] == pytest.approx(0.5)


def test_a_kept_case_s_two_outcomes_at_one_level_are_averaged(two_county_region):
    """Under 留治 a failed case is tried again at the same level in the same week: both outcomes count."""
    model = CountyModel(two_county_region, seed=1)
    model.practice.keep[:] = 0.5
    week = Week(0, model.streams)
    village = model.population.village[[5]]
    week.experiences = [(np.array([5]), np.array([1]), np.array([0.0]), village),
                        (np.array([5]), np.array([1]), np.array([1.0]), village)]
    before = float(model.population.belief[5, 1])
    model.process("learning").end_week(model, week)
    rate = model.params.beliefs.own_experience_rate
    assert model.population.belief[5, 1] == pytest.approx(before + rate * (0.5 - before))


def test_word_of_mouth_reaches_only_villages_that_heard_something():
    belief = np.full((4, 4), 0.5, dtype=np.float32)
    village = np.array([0, 0, 1, 1])
    trials = np.zeros((2, 4))
    successes = np.zeros((2, 4))
    trials[0, 3], successes[0, 3] = 4, 1  # village 0: 1 success in 4 at the city hospital
    word_of_mouth(belief, village, successes, trials, rate=0.1)
    assert belief[:2, 3] == pytest.approx([0.5 + 0.1 * (0.25 - 0.5)] * 2)
    assert belief[2:, :] == pytest.approx(np.full((2, 4), 0.5))
    assert belief[:2, :3] == pytest.approx(np.full((2, 3), 0.5))


def test_word_of_mouth_is_the_per_level_array_rule_bit_for_bit():
    rng = np.random.default_rng(2)
    villages, n = 30, 5000
    belief = rng.random((n, 4), dtype=np.float32)
    village = rng.integers(0, villages, n).astype(np.int32)
    trials = rng.integers(0, 4, (villages, 4)).astype(float)
    successes = np.floor(trials * rng.random((villages, 4)))
    original, expected = belief.copy(), belief.copy()
    for level in range(4):  # the array formulation the compiled loop replaced
        heard = trials[:, level] > 0
        rate_v = np.where(heard, successes[:, level] / np.maximum(trials[:, level], 1), 0.0)
        col = expected[:, level]
        col += ((0.05 * heard)[village] * (rate_v[village] - col)).astype(np.float32)
    word_of_mouth(belief, village, successes, trials, 0.05)
    assert belief.tobytes() == expected.tobytes() and not np.array_equal(belief, original)


def test_the_compiled_averaging_of_repeated_experiences_is_the_unique_rule():
    rng = np.random.default_rng(14)
    residents, n = 2000, 6000
    resident, level = rng.integers(0, residents, n), rng.integers(0, 4, n)
    outcome = np.where(rng.random(n) < 0.3, rng.random(n), (rng.random(n) < 0.6).astype(float))
    belief = rng.random((residents, 4)).astype(np.float32)
    expected = belief.copy()
    learn_from_outcomes(belief, resident, level, outcome, rate=0.3)
    average_toward_as_arrays(expected, resident, level, outcome, 0.3)
    assert len(np.unique(resident * 4 + level)) < n  # pairs met several times, with fractional outcomes
    assert belief.tobytes() == expected.tobytes()
