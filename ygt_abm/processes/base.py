"""The unit of behaviour: a process, and the ordered loop of processes the model runs.

A process owns one behaviour: its parameters (read from ``model.params``), its random draws (one named
stream per decision), its kernels and its glue. It acts in some of five stages, by defining the method
of that name; the model runs each stage's processes in the loop's order:

* ``start_year(model)`` at the first week of every simulated year;
* ``start_week(model, week)`` every week, before care is sought;
* ``care_round(model, week, rnd)`` in each of up to ``care.max_rounds`` care rounds, while episodes are
  open; a process draws its per-episode uniforms with ``rnd.draw(name)`` (a compiled pass: ``keyed_uniform`` at
  ``rnd.stream(name)``, the same numbers) for the streams it lists in ``round_streams``: keyed streams, so an
  episode meets the same number in every scenario whichever other episodes are open (common random numbers),
  and episodes already closed cost nothing;
* ``end_week(model, week)`` after the last round;
* ``end_year(model)`` at the last week of every simulated year.

Its contract, checked against the code (``processes/contracts.py``, ``docs/architecture.md``'s table):
``reads``, the policy levers it reads; ``needs``, the processes whose work it uses (a loop without one is an
error that names it); ``writes``, the state it changes (``part.field`` of the model's state, the week's or
the round's). ``invariants`` may state what must hold before and after each of its steps; with
``CountyModel(..., checks=True)`` both are checked around every step.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from ygt_abm.state.episodes import keyed_uniforms

if TYPE_CHECKING:
    from ygt_abm.state.episodes import Episodes
    from ygt_abm.streams import Streams

STAGES = ("start_year", "start_week", "care_round", "end_week", "end_year")


class Process:
    """Base class: subclasses set ``name`` and define the stage methods they act in."""

    name: ClassVar[str]
    reads: ClassVar[tuple[str, ...]] = ()
    needs: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    round_streams: ClassVar[tuple[str, ...]] = ()  # the keyed streams it draws each round (``Round.draw``, ``stream``)

    def init(self, model) -> None:
        """Build the process's own state once the model's state exists."""

    def invariants(self, model, week: Week | None = None) -> Iterator[str]:
        """What must hold before and after each of this process's steps (``week``: the week's, outside
        ``start_year`` and ``end_year``): yields a sentence for each one broken (checked only under
        ``checks=True``)."""
        return iter(())

    def stages(self) -> tuple[str, ...]:
        """The stages this process acts in (the methods it defines)."""
        return tuple(s for s in STAGES if callable(getattr(type(self), s, None)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


@dataclass
class Week:
    """What the processes of one week share: the week's episodes, slots and experiences."""

    index: int
    streams: Streams
    episodes: Episodes | None = None
    capacity: np.ndarray | None = None  # slots by slot id (outpatient, then admissions)
    general: np.ndarray | None = None  # slots left for anyone
    reserved: np.ndarray | None = None  # slots left for referred patients only (号源预留)
    demand: np.ndarray | None = None  # outpatient requests (self-referred, referred) by facility
    experiences: list = field(default_factory=list)  # (resident, level, success, village) per round
    _keys: dict = field(default_factory=dict)

    def slots_overdrawn(self) -> bool:
        """Whether a facility gave more slots than it had: slots left below zero (none before they are set)."""
        return self.general is not None and bool((self.general < 0).any() or (self.reserved < 0).any())

    def key(self, name: str) -> int:
        """This week's key of keyed stream ``name`` (a stream is drawn either per week or per round)."""
        if name not in self._keys:
            self._keys[name] = self.streams.key(name, self.index)
        return self._keys[name]

    def draw(self, name: str, episodes: np.ndarray) -> np.ndarray:
        """The week's uniforms of keyed stream ``name`` for ``episodes`` (positions in the week's episodes): an
        episode meets the same number whichever round asks and whoever else is drawn for."""
        return keyed_uniforms(np.uint64(self.key(name)), np.uint64(0), episodes)


class MissingProcess(LookupError):
    """A process the model needs is not in its loop."""


class Loop:
    """The ordered processes of a model, by stage; printing it shows what runs when."""

    def __init__(self, processes: list[Process]) -> None:
        names = [p.name for p in processes]
        if len(set(names)) != len(names):
            raise ValueError(f"process names must be unique: {names}")
        for p in processes:
            missing = [n for n in p.needs if n not in names]
            if missing:
                raise MissingProcess(f"process {p.name!r} needs {', '.join(map(repr, missing))}, "
                                     f"which the loop lacks (it has: {', '.join(names)})")
        self.processes = list(processes)
        self.by_stage = {s: [p for p in processes if s in p.stages()] for s in STAGES}

    def process(self, name: str) -> Process:
        """The process called ``name``."""
        for p in self.processes:
            if p.name == name:
                return p
        raise MissingProcess(f"no process {name!r} in the loop (it has: {', '.join(p.name for p in self.processes)})")

    def rows(self) -> list[tuple[str, str, str]]:
        """(stage, process, levers it reads) in the order they run."""
        return [(stage, p.name, ", ".join(p.reads)) for stage in STAGES for p in self.by_stage[stage]]

    def __str__(self) -> str:
        rows = self.rows()
        width = max(len(s) for s, _, _ in rows)
        lines = []
        for stage, name, _ in rows:
            prefix = f"{stage:<{width}}"
            lines.append(f"{prefix}  {name}" + ("   (× rounds)" if stage == "care_round" else ""))
        return "\n".join(lines)
