"""Behaviour, one process per module, each in its own room (see ``base``). ``default_processes()`` is the
model's loop: the order in which they act within each stage."""

from __future__ import annotations

from ygt_abm.processes.access import Access
from ygt_abm.processes.aftercare import Aftercare
from ygt_abm.processes.base import STAGES, Loop, Process, Week
from ygt_abm.processes.choice import Choice
from ygt_abm.processes.enrolment import Enrolment
from ygt_abm.processes.learning import Learning
from ygt_abm.processes.onset import Onset
from ygt_abm.processes.payment import Payment
from ygt_abm.processes.policy import Policy
from ygt_abm.processes.recording import Recording
from ygt_abm.processes.settlement import Settlement
from ygt_abm.processes.treatment import Treatment
from ygt_abm.processes.workforce import Workforce

__all__ = ["STAGES", "Loop", "Process", "Week", "default_processes"]


def default_processes() -> list[Process]:
    """New instances of every process, in loop order. Within a stage only the processes that act in it
    run, in this order: policy sets the year's levers before anyone reads them; a round goes choice →
    access → payment → treatment → aftercare; every payment of the year (capitation included) is booked
    before the year's indicators are recorded; then the fund settles, and careers follow the settled pay."""
    return [Policy(), Enrolment(), Onset(), Choice(), Access(), Payment(), Treatment(), Aftercare(), Learning(),
            Recording(), Settlement(), Workforce()]
