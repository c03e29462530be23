import numpy as np
import pytest
from oracles import (
    choice_probabilities, choose, pick_as_arrays, round_utility_as_arrays, settle_choices_as_arrays,
    add_outreach_as_arrays, static_utility_as_arrays,
)

from ygt_abm.processes.access import wait_days
from ygt_abm.processes.choice import (
    Chooser, Options, Room, Taste, add_outreach, pick, round_utility, settle_choices, static_utility,
)


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
    w = wait_days(np.array([1.0, 1.0, 1.0]), np.array([0.5, 0.85, 1.2]), crowding_days=6.0, span=0.3)
    assert w.tolist() == pytest.approx([1.0, 4.0, 7.0])


def test_the_compiled_choice_round_computes_the_array_rule_bit_for_bit():
    rng = np.random.default_rng(3)
    n, villages, width, n_fac, counties = 3000, 40, 6, 30, 2
    options = rng.integers(-1, n_fac, (villages, width)).astype(np.int32)
    option_level = rng.integers(0, 4, (villages, width))
    option_slot = np.maximum(options, 0)[None] + n_fac * rng.integers(0, 2, (4, villages, width))
    args = dict(
        act=np.sort(rng.choice(n, 2000, replace=False)), res=rng.permutation(n), village=rng.integers(0, villages, n),
        kind=rng.integers(0, 4, n).astype(np.int8), county=rng.integers(0, counties, n), options=options,
        option_level=option_level, option_slot=option_slot,
        static_u=rng.normal(0, 2, (n, width)).astype(np.float32), referred=rng.random(n) < 0.3,
        min_level=rng.integers(0, 3, n), excluded=rng.integers(0, 2**width, n).astype(np.uint16),
        family_doctor=rng.random(n) < 0.4, general=rng.integers(0, 3, 2 * n_fac).astype(float),
        reserved=rng.integers(0, 2, 2 * n_fac).astype(float), wait_days=rng.uniform(0, 9, n_fac),
        referred_wait_days=rng.uniform(0, 3, n_fac), beta_wait=rng.normal(-0.1, 0.05, 4),
        bypass_penalty=np.array([0.0, 0.7]), self_care=np.array([0.3, -0.5, -1.0, -np.inf]),
        self_care_shift=np.array([0.2, -0.1]),
    )
    a = args
    n_res = n
    who = Chooser(a["res"], a["kind"], a["kind"].astype(np.int64), a["village"], a["county"], np.zeros(n_res, dtype=bool),
                  np.zeros((n_res, 4), dtype=np.float32), np.zeros(n_res, dtype=np.int8), a["family_doctor"])
    room = Room(a["general"], a["reserved"], a["wait_days"], a["referred_wait_days"], a["bypass_penalty"],
                a["self_care_shift"])
    taste = Taste(np.zeros(4), a["beta_wait"], a["self_care"], np.float32(0), np.float32(0))
    compiled = round_utility(a["act"], who, a["referred"], a["min_level"], a["excluded"],
                             Options(a["options"], a["option_level"], a["option_slot"]), a["static_u"], room, taste)
    assert np.isneginf(compiled).any() and np.isfinite(compiled).any()
    assert compiled.tobytes() == round_utility_as_arrays(**args).tobytes()
    u = rng.random(len(args["act"]), dtype=np.float32)
    assert (pick(np.exp(compiled), u) == pick_as_arrays(np.exp(compiled), u)).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_pick_is_the_cumulative_rule(dtype):
    rng = np.random.default_rng(5)
    utility = rng.normal(0, 2, (5000, 7)).astype(dtype)
    utility[rng.random(utility.shape) < 0.3] = -np.inf
    weight = np.exp(utility - np.max(utility, axis=1, keepdims=True).clip(-1e30))
    u = rng.random(5000).astype(dtype)
    assert (pick(weight, u) == pick_as_arrays(weight, u)).all()


def test_the_compiled_settling_of_choices_is_the_array_rule():
    rng = np.random.default_rng(8)
    episodes, villages, width = 4000, 30, 6
    act = np.sort(rng.choice(episodes, 3000, replace=False))
    chosen = rng.integers(-1, width + 1, len(act))
    village, kind = rng.integers(0, villages, episodes).astype(np.int32), rng.integers(0, 4, episodes).astype(np.int8)
    facility = rng.integers(0, 50, (villages, width)).astype(np.int32)
    options = Options(facility, rng.integers(0, 4, (villages, width)), np.zeros((4, villages, width), dtype=np.int64))
    contact = rng.random(episodes) < 0.3

    def state():
        return np.ones(episodes, dtype=bool), np.full(episodes, -1), np.full(episodes, 9, dtype=np.int8)

    got, want = state(), state()
    *contacts, twice = settle_choices(act, chosen, village, kind, options, contact, *got)
    expected = settle_choices_as_arrays(act, chosen, village, kind, options, contact, *want)
    assert not twice and contacts[2].dtype == np.int32
    for a, b in zip(contacts + list(got), list(expected) + list(want)):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert set(np.unique(want[1])) == {-1, 0, 2, 3} and (contacts[4] == 1).any()
    assert settle_choices(act, chosen, village, kind, options, contact, *got)[-1]  # ended twice


def test_the_compiled_weekly_utility_is_the_array_rule():
    rng = np.random.default_rng(16)
    n, residents, villages, width = 4000, 6000, 30, 6
    resident = rng.choice(residents, n, replace=False)
    kind = rng.integers(0, 4, n).astype(np.int8)
    who = Chooser(resident, kind, np.where(rng.random(n) < 0.1, 4, kind).astype(np.int64),
                  rng.integers(0, villages, n).astype(np.int32), rng.integers(0, 2, n), rng.random(residents) < 0.9,
                  rng.random((residents, 4)).astype(np.float32), rng.integers(-1, 4, residents).astype(np.int8),
                  rng.random(residents) < 0.4)
    options = Options(rng.integers(0, 50, (villages, width)).astype(np.int32), rng.integers(0, 4, (villages, width)),
                      np.zeros((4, villages, width), dtype=np.int64))
    taste = Taste(rng.normal(2, 1, 4), np.zeros(4), np.zeros(4), np.float32(0.6), np.float32(0.4))
    table = rng.normal(0, 2, (5, 2, villages, width)).astype(np.float32)
    got, want = static_utility(table, who, options, taste), static_utility_as_arrays(table, who, options, taste)
    assert got.dtype == want.dtype == np.float32 and got.tobytes() == want.tobytes()


def test_the_compiled_outreach_pull_is_the_array_rule():
    rng = np.random.default_rng(17)
    n, villages, width, counties = 4000, 30, 6, 3
    args = (rng.integers(0, 4, n).astype(np.int8), rng.integers(0, counties, n),
            rng.integers(0, villages, n).astype(np.int32), rng.random(counties), 0.7, rng.integers(0, 4, (villages, width)))
    static_u = rng.normal(0, 2, (n, width)).astype(np.float32)
    expected, before = static_u.copy(), static_u.copy()
    add_outreach(static_u, *args)
    add_outreach_as_arrays(expected, *args)
    assert static_u.tobytes() == expected.tobytes() and (static_u != before).any()
