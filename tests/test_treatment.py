"""Treatment: the chance that care succeeds, and the compiled round against the array rule."""

import numpy as np
import pytest
from oracles import contact_exponents_as_arrays, treat_as_arrays

from ygt_abm.processes.treatment import (
    Draws, Rules, Seen, Treated, contact_exponents, success_probability, treat,
)
from ygt_abm.state.episodes import keyed_uniforms


def test_success_is_likelier_when_capability_exceeds_severity():
    p = success_probability(np.array([0.2, 0.5, 0.8]), np.array([0.5, 0.5, 0.5]), slope=10.0)
    assert p[0] < p[1] == 0.5 < p[2]


@pytest.mark.parametrize("levers", [False, True])
def test_the_compiled_treatment_round_is_the_array_rule(levers):
    rng = np.random.default_rng(11)
    episodes, n, residents, counties = 5000, 3000, 8000, 3
    act = np.sort(rng.choice(episodes, n, replace=False))
    c = Treated(act, rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8), rng.integers(0, counties, n),
                rng.integers(0, 4, n).astype(np.int8), rng.choice(residents, n, replace=False),
                rng.integers(0, 50, n).astype(np.int32), rng.random(n) < 0.1, rng.random(n) < 0.85,
                np.exp(rng.normal(0, 2, n)), np.exp(rng.normal(0, 2, n)))
    share, keep = rng.random(counties), rng.random((counties, 4, 2)) * 0.5
    rules = Rules(share if levers else share[:0], keep if levers else keep[:0], 0.3, 0.6, rng.random(residents) < 0.4)
    keys = [(np.uint64(rng.integers(2**63)), np.uint64(2) << np.uint64(32)) for _ in range(4)]
    u = [keyed_uniforms(key, offset, act) for key, offset in keys]

    def state():
        return ([np.ones(episodes, dtype=bool), np.full(episodes, -1), rng.integers(0, 2, episodes),
                 np.zeros(episodes, dtype=bool), np.zeros(residents, dtype=np.int16)],
                [np.zeros(counties) for _ in range(5)])

    (arrays, counters), (expected_arrays, expected_counters) = state(), state()
    expected_arrays[2][:] = arrays[2]
    resolved, consulted, experiences, twice = treat(c, rules, Draws(*(x for k in keys for x in k)), *arrays,
                                                    *counters)
    expected = treat_as_arrays(c, rules, *u, *expected_arrays, expected_counters)
    assert not twice
    assert resolved.tobytes() == expected[0].tobytes() and (consulted == expected[1]).all()
    for got, want in zip(experiences, expected[2]):
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
    assert 0 < len(resolved) < n and consulted.any() == levers
    for got, want in zip(arrays + counters, expected_arrays + expected_counters):
        assert got.tobytes() == want.tobytes()
    assert all(counter.any() for counter in counters[:1] + counters[3:])
    assert counters[1].any() == counters[2].any() == levers
    assert treat(c, rules, Draws(*(x for k in keys for x in k)), *arrays, *counters)[-1]  # they cannot end again


@pytest.mark.parametrize("levers", [False, True])
def test_the_compiled_exponents_of_a_round_are_the_array_rule(levers):
    rng = np.random.default_rng(12)
    episodes, n, n_fac, counties = 5000, 3000, 30, 3
    act = np.sort(rng.choice(episodes, n, replace=False))
    seen = Seen(rng.integers(0, counties, episodes), rng.integers(0, 4, episodes).astype(np.int8),
                rng.random(episodes, dtype=np.float32), rng.permutation(episodes),
                rng.integers(0, 50, episodes).astype(np.int32))
    capability = rng.random((n_fac, 4)) * (rng.random((n_fac, 4)) < 0.8)
    intensity, lead = rng.uniform(0.6, 1.0, (counties, 4, 2)), rng.integers(0, n_fac, counties)
    args = (act, rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8), rng.integers(0, n_fac, n), seen,
            capability, intensity if levers else intensity[:0], 0.4, 12.0, lead if levers else lead[:0])
    got, want = contact_exponents(*args), contact_exponents_as_arrays(*args)
    for a, b in zip(got, want):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert got[5].any() and (~got[5]).any() and len(got[7]) == (n if levers else 0)
