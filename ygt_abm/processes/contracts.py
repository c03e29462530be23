"""The processes' contracts checked as they run: what each step changed, against what its process declares
it ``writes``, and each process's own ``invariants`` before and after its steps (LASER's validation hooks,
Starsim's declared states). ``CountyModel(..., checks=True)`` turns the checks on; results never depend on
them. ``contract_table`` tabulates the contracts for docs/architecture.md.
"""

from __future__ import annotations

import pickle
from dataclasses import fields, is_dataclass

import numpy as np

from ygt_abm.processes.base import Loop, Process

#: the model's state, each part checked field by field (``levers`` and ``tariff`` as wholes: policy
#: and payment replace them)
MODEL_PARTS = ("population", "facilities", "doctors", "practice", "accounts", "fund", "counters", "run_counters")
WHOLE_PARTS = ("levers", "tariff")
#: what a week's processes hand on to each other: the week's slots, episodes and experiences, the round's contacts
WEEK_FIELDS = ("capacity", "general", "reserved", "demand", "experiences")
ROUND_FIELDS = ("act", "option", "facility", "level", "kind", "referred", "declined", "resolved")


class ContractBroken(AssertionError):
    """A process changed state it does not declare, or broke one of its invariants."""


def _digest(value) -> object:
    """What stands for a piece of state in a snapshot: equal exactly when the state is."""
    if isinstance(value, np.ndarray) and value.dtype != object:
        return value.dtype.str, value.shape, value.tobytes()
    return pickle.dumps(value)


def _fields(obj) -> dict:
    if is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in fields(obj)}
    return obj._asdict()


def snapshot(model, week=None, rnd=None) -> dict[str, object]:
    """Every piece of state a process may write, as bytes, by its contract name (``part.field``)."""
    digests = {}
    for part in MODEL_PARTS:
        digests.update({f"{part}.{name}": _digest(v) for name, v in _fields(getattr(model, part)).items()})
    for part in WHOLE_PARTS:
        digests[part] = tuple(_digest(v) for v in _fields(getattr(model, part)).values())
    if week is not None:
        digests.update({f"week.{name}": _digest(getattr(week, name)) for name in WEEK_FIELDS})
        if week.episodes is not None:  # onset's write makes them appear: changed by it
            digests.update({f"episodes.{name}": _digest(v) for name, v in _fields(week.episodes).items()})
    if rnd is not None:
        digests.update({f"round.{name}": _digest(getattr(rnd, name)) for name in ROUND_FIELDS})
    return digests


def changed(before: dict[str, object], after: dict[str, object]) -> set[str]:
    """The contract names whose state differs (or appeared)."""
    return {name for name, digest in after.items() if before.get(name) != digest}


def declared(process: Process, name: str) -> bool:
    """Whether ``process`` declares writing ``name`` (a part listed whole covers all its fields)."""
    return name in process.writes or name.split(".")[0] in process.writes


def checked_step(process: Process, stage: str, model, *args) -> set[str]:
    """Run one step of ``process`` with its invariants checked before and after and its writes against its
    contract; returns what it changed."""
    week, rnd = (args + (None, None))[:2]
    _check_invariants(process, stage, "before", model, week)
    before = snapshot(model, week, rnd)
    getattr(process, stage)(model, *args)
    written = changed(before, snapshot(model, week, rnd))
    undeclared = sorted(n for n in written if not declared(process, n))
    if undeclared:
        raise ContractBroken(f"{process.name}.{stage} wrote {', '.join(undeclared)}, which its `writes` does not "
                             "declare")
    _check_invariants(process, stage, "after", model, week)
    return written


def _check_invariants(process: Process, stage: str, when: str, model, week) -> None:
    broken = list(process.invariants(model, week))
    if broken:
        raise ContractBroken(f"{process.name}: {when} {stage}: " + "; ".join(broken))


def contract_table(loop: Loop) -> str:
    """The contracts as a Markdown table: process, the levers it reads, the processes it needs, what it writes."""
    lines = ["| process | reads (levers) | needs | writes |", "|---|---|---|---|"]
    for p in loop.processes:
        cells = [", ".join(f"`{x}`" for x in items) or "—" for items in (p.reads, p.needs, p.writes)]
        lines.append(f"| `{p.name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)
