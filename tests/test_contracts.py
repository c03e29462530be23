"""Every process keeps its contract: it changes only the state its `writes` declares, its invariants hold
before and after each of its steps, every declared write names real state its code touches, and the checks
change no result."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from ygt_abm.config import SyntheticWorld
from ygt_abm.config.policy import shipped_policies
from ygt_abm.dashboard.controls import shipped_package
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.processes import default_processes
from ygt_abm.processes.contracts import ContractBroken, contract_table, snapshot
from ygt_abm.processes.base import Week
from ygt_abm.processes.learning import Learning
from ygt_abm.state.episodes import Episodes, Round
from ygt_abm.world import build_world

PACKAGE = Path(__file__).resolve().parents[1] / "ygt_abm"


@pytest.fixture(scope="module")
def region():
    return build_world(SyntheticWorld(counties=2, population=3_000, townships=2), seed=3)


def _package(name: str) -> list:
    return [build(entry) for entry in shipped_package(name).interventions]


@pytest.mark.parametrize("package", shipped_policies())
def test_every_process_writes_only_what_it_declares_under_every_package(region, package):
    model = CountyModel(region, seed=1, interventions=_package(package), checks=True)
    model.run(1, warmup_years=1)  # raises ContractBroken on an undeclared write or a broken invariant
    assert set(model.written) == {p.name for p in model.loop.processes}  # every process's steps were checked
    assert model.written["payment"] and model.written["learning"] == {"population.belief"}


def test_an_undeclared_write_is_caught_and_named(region):
    class Forgetful(Learning):
        writes = ()

    processes = [Forgetful() if p.name == "learning" else p for p in default_processes()]
    model = CountyModel(region, seed=1, processes=processes, checks=True)
    with pytest.raises(ContractBroken, match=r"learning\.end_week wrote population\.belief"):
        for _ in range(2):
            model.step()


def test_a_broken_invariant_is_caught_before_the_step_of_the_process_that_states_it(region):
    model = CountyModel(region, seed=1, checks=True)
    model.step()
    model.population.belief[0, 0] = 2.0
    with pytest.raises(ContractBroken, match=r"learning: before end_week: a perceived quality left \[0, 1\]"):
        model.step()


def test_the_checks_change_no_result(region):
    tables = [CountyModel(region, seed=4, interventions=_package("anhui-2024"), checks=checks).run(1, warmup_years=1)
              for checks in (False, True)]
    assert tables[0].equals(tables[1])


def _contract_names(model) -> set[str]:
    none = np.zeros(0, dtype=np.int64)
    week = Week(0, model.streams, episodes=Episodes(none, none, none, none, none))
    names = set(snapshot(model, week, Round(none, 0, week.key)))
    return names | {"episodes"} | {name.split(".")[0] for name in names}


@pytest.mark.parametrize("process", default_processes(), ids=lambda p: p.name)
def test_every_declared_write_is_real_state_that_the_process_code_touches(region, process):
    """A stale declaration (a renamed field, a write removed) fails here; an undeclared one fails above."""
    names = _contract_names(CountyModel(region, seed=1))
    source = (PACKAGE / "processes" / f"{process.name}.py").read_text(encoding="utf-8")
    if "ygt_abm.pricing import" in source:  # writes made through pricing's booking functions
        source += (PACKAGE / "pricing.py").read_text(encoding="utf-8")
    for name in process.writes:
        assert name in names, f"{process.name} declares {name}, which is no state"
        field = name.split(".")[-1]
        assert re.search(rf"\b{field}\b", source), f"{process.name} declares {name} but its code never names it"


@pytest.mark.parametrize("process", default_processes(), ids=lambda p: p.name)
def test_every_process_needs_only_processes_that_exist(process):
    names = {p.name for p in default_processes()}
    assert set(process.needs) <= names - {process.name}


def test_the_contract_table_lists_every_process_with_what_it_reads_needs_and_writes():
    from ygt_abm.processes import Loop

    table = contract_table(Loop(default_processes()))
    rows = table.splitlines()[2:]
    assert [row.split("|")[1].strip(" `") for row in rows] == [p.name for p in default_processes()]
    assert "`onset`, `access`" in next(row for row in rows if row.startswith("| `choice`"))
    assert np.all(["—" in row for row in rows if row.startswith("| `policy`")])
