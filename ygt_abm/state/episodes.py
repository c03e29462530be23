"""The week's illness episodes: who is ill, with what, and where each episode may still go.

An episode is born at onset and ends exactly once (``end``), in one of the ``OUTCOMES``. Between the two,
care rounds move it: ``contact`` once a facility served it, ``referred`` once a doctor referred it up,
``min_level`` the lowest level it may still use, ``excluded`` a bit per option that refused it.
``Round`` holds the contacts made in the current care round, which the processes of a round pass on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass
class Round:
    """The contacts of one care round: episodes ``act`` at option ``option`` of their village, facility
    ``facility`` of level ``level``, as contact kind ``kind``; ``referred`` as they arrived."""

    uniforms: dict[str, np.ndarray]  # this round's block of each per-round stream, one value per episode
    occasional: Callable[[str], np.ndarray] | None = None  # a stream drawn only where a lever needs it
    act: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    option: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    facility: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    level: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    referred: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    declined: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # admissions declined (推诿)
    resolved: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # positions in act

    def draw(self, name: str) -> np.ndarray:
        """One uniform per episode from occasional stream ``name``, fresh for this round: what a round
        draws does not depend on whether earlier rounds drew (rarely used levers cost nothing elsewhere)."""
        return self.occasional(name)

    def select(self, mask: np.ndarray) -> None:
        """Keep only the contacts where ``mask`` holds (e.g. those a facility served)."""
        self.act, self.option, self.facility = self.act[mask], self.option[mask], self.facility[mask]
        self.level, self.kind, self.referred = self.level[mask], self.kind[mask], self.referred[mask]
        self.declined = self.declined[mask]
