import numpy as np

import pytest

from ygt_abm.behaviour.treatment import ration, ration_with_reserve, success_probability


def test_capacity_is_never_exceeded_and_lowest_priority_goes_first():
    rng = np.random.default_rng(1)
    for _ in range(20):
        n, f = 500, 7
        facility = rng.integers(-1, f, n)
        priority = rng.random(n)
        capacity = rng.uniform(0, 90, f)
        served = ration(facility, priority, capacity)
        counts = np.bincount(facility[served], minlength=f)
        assert (counts <= np.floor(capacity)).all()
        assert not served[facility < 0].any()
        for k in range(f):
            mine = facility == k
            if served[mine].any() and (~served[mine]).any():
                assert priority[mine & served].max() < priority[mine & ~served].min()
            demand = mine.sum()
            assert counts[k] == min(demand, int(np.floor(capacity[k])))


def test_success_is_likelier_when_capability_exceeds_severity():
    p = success_probability(np.array([0.2, 0.5, 0.8]), np.array([0.5, 0.5, 0.5]), slope=10.0)
    assert p[0] < p[1] == 0.5 < p[2]


def _ration_as_arrays(facility, priority, capacity):
    """The specification of ``ration``: sort every request by (facility, priority), rank within facility."""
    served = np.zeros(len(facility), dtype=bool)
    asks = np.flatnonzero(facility >= 0)
    order = asks[np.argsort(facility[asks] * 4.0 + (priority[asks] + 1.0), kind="stable")]
    fac = facility[order]
    starts = np.r_[0, np.flatnonzero(fac[1:] != fac[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    served[order] = rank < np.floor(capacity[fac])
    return served


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
    first = _ration_as_arrays(np.where(referred, slot, -1), priority, expected_reserved)
    expected_reserved -= np.bincount(slot[first], minlength=slots)
    second = _ration_as_arrays(np.where(first, -1, slot), priority, expected_general)
    expected_general -= np.bincount(slot[second], minlength=slots)
    served = ration_with_reserve(slot, priority, referred, general, reserved)
    assert (served == (first | second)).all() and (~served).any()
    assert general.tobytes() == expected_general.tobytes() and reserved.tobytes() == expected_reserved.tobytes()
    assert first.any() and second.any()  # both the reserve and the general slots were used
