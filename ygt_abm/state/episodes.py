"""The week's illness episodes: who is ill, with what, and where each episode may still go.

An episode is born at onset and ends exactly once (``end``), in one of the ``OUTCOMES``. Between the two,
care rounds move it: ``contact`` once a facility served it, ``referred`` once a doctor referred it up,
``min_level`` the lowest level it may still use, ``excluded`` a bit per option that refused it.
``Round`` holds the contacts made in the current care round, which the processes of a round pass on, and draws
its uniforms from keyed streams (``keyed_uniforms``): only for the episodes still open, each episode's number
the same in every scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numba
import numpy as np

from ygt_abm.vocabulary import FIRST_NONE, SERIOUS, TOWNSHIP


def contact_kind(level: np.ndarray, episode_type: np.ndarray) -> np.ndarray:
    """A serious episode is an admission wherever there are beds (township and above); anything else,
    including a serious case seen at a village clinic, is an outpatient or emergency visit."""
    return ((episode_type == SERIOUS) & (level >= TOWNSHIP)).astype(np.int8)


@dataclass
class Episodes:
    resident: np.ndarray  # int64 resident index
    kind: np.ndarray  # int8 episode type
    severity: np.ndarray  # float32, 0–1
    village: np.ndarray  # int32 home village
    county: np.ndarray  # int64 home county
    active: np.ndarray = field(init=False)
    outcome: np.ndarray = field(init=False)
    contact: np.ndarray = field(init=False)
    referred: np.ndarray = field(init=False)
    min_level: np.ndarray = field(init=False)
    excluded: np.ndarray = field(init=False)
    paid_deductible: np.ndarray = field(init=False)
    first_level: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.resident)
        self.active = np.ones(n, dtype=bool)
        self.outcome = np.full(n, -1, dtype=np.int64)
        self.contact = np.zeros(n, dtype=bool)
        self.referred = np.zeros(n, dtype=bool)
        self.min_level = np.zeros(n, dtype=np.int64)
        self.excluded = np.zeros(n, dtype=np.uint16)  # bit k: option k refused this episode
        self.paid_deductible = np.zeros(n, dtype=bool)
        self.first_level = np.full(n, FIRST_NONE, dtype=np.int8)

    def __len__(self) -> int:
        return len(self.resident)

    def end(self, idx: np.ndarray, outcome) -> None:
        if np.any(~self.active[idx]):
            raise AssertionError("an episode ended twice")
        self.active[idx] = False
        self.outcome[idx] = outcome


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S40 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(40)


@numba.njit(cache=True, nogil=True)
def splitmix64(key: np.uint64, counter: np.uint64) -> np.uint64:
    """Output number ``counter`` of the SplitMix64 sequence whose state starts at ``key`` (Steele, Lea & Flood
    2014): a function of (key, counter) alone, so any item of a keyed stream is drawn on its own."""
    z = key + (counter + np.uint64(1)) * _GOLDEN
    z = (z ^ (z >> _S30)) * _MIX1
    z = (z ^ (z >> _S27)) * _MIX2
    return z ^ (z >> _S31)


@numba.njit(cache=True, nogil=True)
def keyed_uniform(key: np.uint64, counter: np.uint64) -> np.float32:
    """One float32 uniform in [0, 1): ``splitmix64(key, counter)``'s top 24 bits × 2⁻²⁴. A compiled pass draws an
    episode's number of a round's stream as ``keyed_uniform(key, offset + position)`` (``Round.stream``)."""
    return np.float32(splitmix64(key, counter) >> _S40) * np.float32(5.9604644775390625e-08)


@numba.njit(cache=True, nogil=True)
def keyed_uniforms(key: np.uint64, offset: np.uint64, positions: np.ndarray) -> np.ndarray:
    """float32 uniforms in [0, 1), one per entry of ``positions``: ``keyed_uniform(key, offset + position)``.
    An entry's number depends on (key, offset, position) alone: drawing for a few episodes costs only those few,
    and draws for one episode never shift another's."""
    out = np.empty(len(positions), dtype=np.float32)
    for j in range(len(positions)):
        out[j] = keyed_uniform(key, offset + np.uint64(positions[j]))
    return out


@dataclass
class Round:
    """The contacts of one care round: episodes ``act`` at option ``option`` of their village, facility
    ``facility`` of level ``level``, as contact kind ``kind``; ``referred`` as they arrived. ``open``: the
    episodes open at the round's start, the only ones ``draw`` draws for."""

    open: np.ndarray  # positions in the week's episodes, ascending
    size: int  # the week's episodes
    key: Callable[[str], int]  # the week's key of a keyed stream (``Week.key``)
    index: int = 0  # the round's number in the week, from 0
    act: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    option: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    facility: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    level: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    referred: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    declined: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # admissions declined (推诿)
    resolved: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # positions in act
    _drawn: dict[str, np.ndarray] = field(default_factory=dict)

    def draw(self, name: str) -> np.ndarray:
        """This round's uniforms of keyed stream ``name``, indexed by episode (0 for episodes not open), drawn
        on first use: a stream no process asks for costs nothing, and what one round draws never depends on
        what earlier rounds drew."""
        if name not in self._drawn:
            u = np.zeros(self.size, dtype=np.float32)
            u[self.open] = keyed_uniforms(*self.stream(name), self.open)
            self._drawn[name] = u
        return self._drawn[name]

    def stream(self, name: str) -> tuple[np.uint64, np.uint64]:
        """(key, offset) of this round's keyed stream ``name``: an open episode i's number is
        ``keyed_uniform(key, offset + i)``, what ``draw(name)[i]`` gives, for compiled passes to draw in place."""
        return np.uint64(self.key(name)), np.uint64(self.index) << np.uint64(32)

    def select(self, mask: np.ndarray) -> None:
        """Keep only the contacts where ``mask`` holds (e.g. those a facility served)."""
        (self.act, self.option, self.facility, self.level, self.kind, self.referred,
         self.declined) = _compact(mask, self.act, self.option, self.facility, self.level, self.kind, self.referred,
                                   self.declined)


@numba.njit(cache=True, nogil=True)
def _compact(mask: np.ndarray, act: np.ndarray, option: np.ndarray, facility: np.ndarray, level: np.ndarray,
             kind: np.ndarray, referred: np.ndarray, declined: np.ndarray) -> tuple:
    # the seven boolean gathers of a round's contacts in one call
    return (act[mask], option[mask], facility[mask], level[mask], kind[mask], referred[mask], declined[mask])
