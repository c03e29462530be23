"""Access: rationing of capacity slots, with and without slots reserved for referred patients."""

import numpy as np
import pytest
from oracles import ration_as_arrays, serve_requests_as_arrays

from ygt_abm.processes.access import Requests, ration_with_reserve, serve_requests
from ygt_abm.state.episodes import keyed_uniforms


def test_without_a_reserve_capacity_is_never_exceeded_and_lowest_priority_goes_first():
    rng = np.random.default_rng(1)
    for _ in range(20):
        n, f = 500, 7
        facility = rng.integers(-1, f, n)
        priority = rng.random(n)
        capacity = rng.uniform(0, 90, f)
        no_reserve = np.zeros(f)
        served = ration_with_reserve(facility, priority, np.zeros(n, dtype=bool), capacity.copy(), no_reserve)
        counts = np.bincount(facility[served], minlength=f)
        assert (counts <= np.floor(capacity)).all()
        assert not served[facility < 0].any()
        for k in range(f):
            mine = facility == k
            if served[mine].any() and (~served[mine]).any():
                assert priority[mine & served].max() < priority[mine & ~served].min()
            demand = mine.sum()
            assert counts[k] == min(demand, int(np.floor(capacity[k])))


@pytest.mark.parametrize("seed", range(5))
def test_rationing_with_a_reserve_is_the_sorting_rule(seed):
    rng = np.random.default_rng(seed)
    n, slots = 3000, 40
    slot = rng.integers(-1, slots, n)
    priority = (rng.random(n, dtype=np.float32) - rng.random(n) * 0.5).astype(np.float64)
    referred = rng.random(n) < 0.3
    general = np.floor(rng.uniform(0, 120, slots)) + rng.choice([0.0, 0.5], slots)
    reserved = np.floor(rng.uniform(0, 20, slots))
    expected_general, expected_reserved = general.copy(), reserved.copy()
    first = ration_as_arrays(np.where(referred, slot, -1), priority, expected_reserved)
    expected_reserved -= np.bincount(slot[first], minlength=slots)
    second = ration_as_arrays(np.where(first, -1, slot), priority, expected_general)
    expected_general -= np.bincount(slot[second], minlength=slots)
    served = ration_with_reserve(slot, priority, referred, general, reserved)
    assert (served == (first | second)).all() and (~served).any()
    assert general.tobytes() == expected_general.tobytes() and reserved.tobytes() == expected_reserved.tobytes()
    assert first.any() and second.any()  # both the reserve and the general slots were used


@pytest.mark.parametrize("gate", [False, True])
def test_the_compiled_serving_of_a_round_is_the_array_rule(gate):
    rng = np.random.default_rng(4)
    episodes, n, n_fac, counties = 6000, 4000, 25, 3
    act = np.sort(rng.choice(episodes, n, replace=False))
    turned = rng.random(n) < 0.1
    r = Requests(act, rng.integers(0, 6, n), rng.integers(0, n_fac, n).astype(np.int32), rng.integers(0, 4, n),
                 rng.integers(0, 2, n).astype(np.int8), rng.random(n) < 0.3, turned if gate else turned[:0])
    county, priority = rng.integers(0, counties, episodes), np.array([True, False, True])
    key, offset = np.uint64(rng.integers(2**63)), np.uint64(1) << np.uint64(32)

    def state():
        return [np.floor(rng.uniform(0, 150, 2 * n_fac)) + 0.5, np.floor(rng.uniform(0, 15, 2 * n_fac)),
                np.zeros((2, n_fac)), rng.integers(0, 4, episodes).astype(np.uint16),
                rng.choice(np.array([0, 9], dtype=np.int8), episodes), rng.random(episodes) < 0.2]

    seed = rng.integers(2**31)
    rng = np.random.default_rng(seed)
    got = state()
    rng = np.random.default_rng(seed)
    want = state()
    served = serve_requests(r, county, priority, key, offset, *got)
    expected = serve_requests_as_arrays(r, county, priority, keyed_uniforms(key, offset, act), *want)
    assert (served == expected).all() and served.any() and (~served).any()
    for a, b in zip(got, want):
        assert a.tobytes() == b.tobytes()
