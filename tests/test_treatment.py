import numpy as np

from ygt_abm.behaviour.treatment import ration, success_probability


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
