"""The processes and their loop: every process declares the levers it reads, every lever is read by a
process, and the loop runs each stage in the order of the list."""

import re
from dataclasses import fields
from pathlib import Path

import pytest

from ygt_abm.levers import PolicyLevers
from ygt_abm.processes import STAGES, Loop, Process, default_processes

PROCESSES = default_processes()
LEVER_NAMES = {f.name for f in fields(PolicyLevers)}


@pytest.mark.parametrize("process", PROCESSES, ids=lambda p: p.name)
def test_a_process_declares_every_lever_its_module_reads(process):
    source = Path(type(process).__module__.replace(".", "/") + ".py")
    text = (Path(__file__).resolve().parents[1] / source).read_text(encoding="utf-8")
    read = set(re.findall(r"\blev(?:ers)?\.(\w+)", text)) & LEVER_NAMES
    assert read <= set(process.reads), f"{process.name} reads {sorted(read - set(process.reads))} undeclared"
    assert set(process.reads) <= LEVER_NAMES


def test_every_lever_is_read_by_some_process():
    read = {name for p in PROCESSES for name in p.reads}
    assert LEVER_NAMES - read == set()


def test_the_loop_runs_each_stage_in_list_order_and_only_the_processes_that_act_in_it():
    class Marks(Process):
        def __init__(self, name, log):
            self.name, self.log = name, log

    log = []

    class A(Marks):
        def start_week(self, model, week):
            self.log.append(("start_week", self.name))

    class B(Marks):
        def start_week(self, model, week):
            self.log.append(("start_week", self.name))

        def end_year(self, model):
            self.log.append(("end_year", self.name))

    loop = Loop([B("b", log), A("a", log)])
    assert [p.name for p in loop.by_stage["start_week"]] == ["b", "a"]
    assert [p.name for p in loop.by_stage["end_year"]] == ["b"]
    assert loop.by_stage["care_round"] == [] and set(loop.by_stage) == set(STAGES)
    assert [row[:2] for row in loop.rows()] == [("start_week", "b"), ("start_week", "a"), ("end_year", "b")]
    with pytest.raises(ValueError, match="unique"):
        Loop([A("a", log), A("a", log)])


def test_the_loop_prints_what_runs_when(year_run):
    text = str(year_run.loop)
    assert text.index("policy") < text.index("onset") < text.index("settlement")
    assert "care_round  choice" in text


def test_a_week_says_when_a_facility_gave_more_slots_than_it_had():
    import numpy as np

    from ygt_abm.processes.base import Week

    week = Week(0, streams=None)
    assert not week.slots_overdrawn()  # no slots yet: nothing to overdraw
    week.general, week.reserved = np.array([2.0, 0.0]), np.array([0.0, 1.0])
    assert not week.slots_overdrawn()
    week.reserved[1] = -1.0
    assert week.slots_overdrawn()
