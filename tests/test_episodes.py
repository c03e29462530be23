"""Episodes and a round's keyed draws: cheap for closed episodes, the same number for an episode whoever else
is drawn for (common random numbers)."""

import numpy as np

from ygt_abm.processes.base import Week
from ygt_abm.state.episodes import Round, keyed_uniforms
from ygt_abm.streams import Streams


def _splitmix64(key: int, counter: np.ndarray) -> np.ndarray:
    """The published SplitMix64 output function, in numpy's wrapping uint64 arithmetic."""
    z = np.uint64(key) + (counter.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def test_keyed_uniforms_are_splitmix64_outputs_at_the_episode_s_counter():
    key, positions = 0xDEADBEEF12345678, np.array([0, 5, 1, 99_999, 2**31], dtype=np.int64)
    offset = np.uint64(3) << np.uint64(32)
    expected = (_splitmix64(key, positions + (3 << 32)) >> np.uint64(40)).astype(np.float32) / np.float32(2**24)
    assert keyed_uniforms(np.uint64(key), offset, positions).tobytes() == expected.tobytes()


def test_keyed_uniforms_look_uniform_and_independent():
    u = keyed_uniforms(np.uint64(Streams(3).key("choice", 0)), np.uint64(0), np.arange(1_000_000))
    assert 0.0 <= u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.002 and abs(u.var() - 1 / 12) < 0.001
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.005
    counts = np.bincount((u * 100).astype(int), minlength=100)
    assert ((counts - 10_000) ** 2 / 10_000).sum() < 150  # χ² with 99 df: 150 is beyond the 0.1% point


def test_an_episode_meets_the_same_number_whoever_else_is_drawn_for():
    week = Week(4, Streams(1))
    everyone = np.arange(1000)
    some = np.array([3, 500, 999])
    assert (week.draw("usual_switch", some) == week.draw("usual_switch", everyone)[some]).all()
    all_open = Round(everyone, 1000, week.key, index=1).draw("choice")
    few_open = Round(some, 1000, week.key, index=1).draw("choice")
    assert (few_open[some] == all_open[some]).all()
    assert (np.delete(few_open, some) == 0).all()  # closed episodes are not drawn for


def test_rounds_streams_and_weeks_draw_different_numbers_and_a_round_draws_once():
    week = Week(4, Streams(1))
    everyone = np.arange(1000)
    rnd = Round(everyone, 1000, week.key, index=0)
    assert rnd.draw("choice") is rnd.draw("choice")
    others = (Round(everyone, 1000, week.key, index=1).draw("choice"), rnd.draw("treatment"),
              Round(everyone, 1000, Week(5, Streams(1)).key, index=0).draw("choice"),
              Round(everyone, 1000, Week(4, Streams(1, 1)).key, index=0).draw("choice"))
    for other in others:
        assert (other != rnd.draw("choice")).mean() > 0.99


def test_selecting_a_round_s_contacts_keeps_those_the_mask_keeps_in_order():
    rng = np.random.default_rng(1)
    n = 500
    rnd = Round(np.arange(n), n, lambda name: 0, act=rng.permutation(n), option=rng.integers(0, 6, n),
                facility=rng.integers(0, 40, n).astype(np.int32), level=rng.integers(0, 4, n),
                kind=rng.integers(0, 2, n).astype(np.int8), referred=rng.random(n) < 0.3,
                declined=rng.random(n) < 0.1)
    mask = rng.random(n) < 0.6
    names = ("act", "option", "facility", "level", "kind", "referred", "declined")
    expected = {name: getattr(rnd, name)[mask] for name in names}
    rnd.select(mask)
    for name in names:
        got = getattr(rnd, name)
        assert got.dtype == expected[name].dtype and got.tobytes() == expected[name].tobytes()
