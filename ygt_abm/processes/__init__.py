"""Behaviour, one process per module, each in its own room (see ``base``). ``default_processes()`` is the
model's loop: the order in which they act within each stage."""

from __future__ import annotations

from ygt_abm.processes.access import Access
from ygt_abm.processes.aftercare import Aftercare
from ygt_abm.processes.base import STAGES, Loop, MissingProcess, Process, Week
from ygt_abm.processes.choice import Choice
from ygt_abm.processes.enrolment import Enrolment
from ygt_abm.processes.learning import Learning
from ygt_abm.processes.onset import Onset
from ygt_abm.processes.payment import Payment
from ygt_abm.processes.policy import Policy
from ygt_abm.processes.provision import Provision
from ygt_abm.processes.recording import Recording
from ygt_abm.processes.settlement import Settlement
from ygt_abm.processes.treatment import Treatment
from ygt_abm.processes.workforce import Workforce

__all__ = ["STAGES", "Loop", "MissingProcess", "Process", "Week", "default_processes", "lever_table", "loop_table"]


def default_processes() -> list[Process]:
    """New instances of every process, in loop order. Within a stage only the processes that act in it
    run, in this order: policy sets the year's levers before anyone reads them; a round goes choice →
    provision (the provider's admission decision) → access → payment → treatment → aftercare; every
    payment of the year (capitation included) is booked before the year's indicators are recorded; then
    the fund settles, and careers follow the settled pay."""
    return [Policy(), Enrolment(), Onset(), Choice(), Provision(), Access(), Payment(), Treatment(), Aftercare(),
            Learning(), Recording(), Settlement(), Workforce()]


def loop_table(processes: list[Process] | None = None) -> str:
    """The loop as a Markdown table: stage, process, and what it does then (the first sentence of the
    stage method's docstring)."""
    loop = Loop(processes or default_processes())
    lines = ["| stage | process | what it does |", "|---|---|---|"]
    for stage, name, _ in loop.rows():
        process = next(p for p in loop.processes if p.name == name)
        doc = " ".join((getattr(type(process), stage).__doc__ or type(process).__doc__ or "").split())
        lines.append(f"| {stage} | `{name}` | {doc.split('. ')[0].rstrip('.')}. |")
    return "\n".join(lines)


def lever_table(processes: list[Process] | None = None) -> str:
    """Which process reads each policy lever, as a Markdown table in the order of ``PolicyLevers``."""
    from dataclasses import fields

    from ygt_abm.levers import PolicyLevers

    processes = processes or default_processes()
    lines = ["| lever | read by |", "|---|---|"]
    for f in fields(PolicyLevers):
        readers = [f"`{p.name}`" for p in processes if f.name in p.reads]
        lines.append(f"| `{f.name}` | {', '.join(readers) or '—'} |")
    return "\n".join(lines)
