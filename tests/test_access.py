"""Access: rationing of capacity slots, with and without slots reserved for referred patients."""

import numpy as np
import pytest
from oracles import ration_as_arrays

from ygt_abm.processes.access import ration_with_reserve


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
