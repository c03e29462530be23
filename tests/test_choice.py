import numpy as np
import pytest

from ygt_abm.behaviour.choice import choice_probabilities, choose, pick, round_utility, wait_days


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


def _round_utility_as_arrays(act, res, village, kind, county, options, option_level, option_slot, static_u, referred,
                             min_level, excluded, family_doctor, general, reserved, wait_days, referred_wait_days,
                             beta_wait, bypass_penalty, self_care, self_care_shift):
    """The specification of ``round_utility``: the same rule as whole-array numpy expressions."""
    n_fac = len(wait_days)
    v, t, c, ref = village[act], kind[act], county[act], referred[act]
    opt, lvl, slot = options[v], option_level[v], option_slot[t, v]
    room = general[slot] + np.where(ref[:, None], reserved[slot], 0.0)
    feasible = ((opt >= 0) & (room >= 1) & (lvl >= min_level[act][:, None])
                & (((excluded[act][:, None] >> np.arange(opt.shape[1])) & 1) == 0))
    waits = np.where(ref[:, None], referred_wait_days[slot % n_fac], wait_days[slot % n_fac])
    util = static_u[act] + (np.where(slot >= n_fac, 0.0, waits) * beta_wait[t][:, None]).astype(np.float32)
    util -= (bypass_penalty[c][:, None] * (family_doctor[res[act]][:, None] & ~ref[:, None] & (lvl >= 2))
             ).astype(np.float32)
    util[~feasible] = -np.inf
    sc = (self_care[t] + self_care_shift[c] * (t == 0)).astype(np.float32)
    u = np.column_stack([sc, util])
    top = np.max(u, axis=1, keepdims=True)
    return u - np.where(np.isfinite(top), top, 0.0)


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
    compiled = round_utility(**args)
    assert np.isneginf(compiled).any() and np.isfinite(compiled).any()
    assert compiled.tobytes() == _round_utility_as_arrays(**args).tobytes()
    u = rng.random(len(args["act"]), dtype=np.float32)
    assert (pick(np.exp(compiled), u) == _pick_as_arrays(np.exp(compiled), u)).all()


def _pick_as_arrays(weight, u):
    """The specification of ``pick``: cumulative weights against ``u`` × the row total."""
    cum = np.cumsum(weight, axis=1)
    chosen = np.minimum((cum <= u[:, None] * cum[:, -1:]).sum(axis=1), weight.shape[1] - 1)
    chosen[cum[:, -1] <= 0] = -1
    return chosen


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_compiled_pick_is_the_cumulative_rule(dtype):
    rng = np.random.default_rng(5)
    utility = rng.normal(0, 2, (5000, 7)).astype(dtype)
    utility[rng.random(utility.shape) < 0.3] = -np.inf
    weight = np.exp(utility - np.max(utility, axis=1, keepdims=True).clip(-1e30))
    u = rng.random(5000).astype(dtype)
    assert (pick(weight, u) == _pick_as_arrays(weight, u)).all()
