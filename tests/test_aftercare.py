"""Aftercare: the compiled pass over a round's successes against the array rule."""

import numpy as np
from oracles import after_success_as_arrays

from ygt_abm.processes.aftercare import Successes, after_success
from ygt_abm.state.episodes import keyed_uniforms


def test_the_compiled_pass_over_successes_is_the_array_rule():
    rng = np.random.default_rng(9)
    episodes, n, residents, villages, n_fac, counties = 5000, 3000, 9000, 40, 30, 3
    act = np.sort(rng.choice(episodes, n, replace=False))
    done = Successes(act, np.flatnonzero(rng.random(n) < 0.7), rng.integers(0, 4, n),
                     rng.integers(0, 2, n).astype(np.int8), rng.integers(0, n_fac, n).astype(np.int32))
    resident = rng.choice(residents, episodes, replace=False)
    county, village = rng.integers(0, counties, episodes), rng.integers(0, villages, episodes).astype(np.int32)
    switch_share = 0.7  # float32(0.7) < 0.7: a draw equal to it is compared in float32, as numpy compares it
    down_rate, step_down = rng.random(counties) * 0.5, rng.random(counties) * 0.5
    home_centre, capability = rng.integers(-1, n_fac, villages), rng.random((n_fac, 4)) * (rng.random((n_fac, 4)) < 0.6)
    keys = np.uint64(rng.integers(2**63)), np.uint64(rng.integers(2**63))
    usual = rng.integers(-1, 4, residents).astype(np.int8)
    expected_usual, before = usual.copy(), usual.copy()
    got = after_success(done, resident, county, village, usual, np.float32(switch_share), keys[0], down_rate, step_down,
                        keys[1], home_centre, capability)
    successes = act[done.resolved]
    want = after_success_as_arrays(done, resident, county, village, expected_usual, switch_share,
                                   keyed_uniforms(keys[0], np.uint64(0), successes), down_rate, step_down,
                                   keyed_uniforms(keys[1], np.uint64(0), successes), home_centre, capability)
    assert len(got[0]) > 10 and (usual != before).any() and usual.tobytes() == expected_usual.tobytes()
    for a, b in zip(got, want):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
