"""Warm up once, fork many: the runs of one replicate (and county) that share a world and their
parameters are identical until their first lever starts, so their warm-up is simulated once and each run
continues from a copy of it.

Why the copies equal runs from scratch, byte for byte:

- Common random numbers: every stream is addressed by (seed, replicate[, county], name, week), never by
  scenario or point, so a run's warm-up draws the same numbers whatever its interventions.
- No lever acts during the warm-up: warm-up years are years ≤ 0 and every intervention starts in year 1
  or later (``InterventionParams.start_year``); the policy process only asks them whether they are
  active. Lever strengths (``levers.…`` in a design) change interventions only, so the points of such a
  design share a warm-up too.
- Interventions are initialised against the model as built, before the warm-up, as ``CountyModel``
  initialises them; ``init`` reads the model and keeps copies (the contract in
  ``interventions/base.py``; ``tests/test_runner.py`` checks that no package's ``init`` changes the model).
  Each run's interventions are deep-copied together with the warmed-up model, so whatever an intervention
  keeps of the model stays shared with that run's model as it would be in a run from scratch.
- Recording keeps nothing while warming up (years ≤ 0), so whether a run records its episodes is set per
  run after the fork.

Grouping is by (replicate, county, the parameters' JSON): runs whose parameters differ never share a
warm-up. A group may be split into several tasks (to keep every worker busy, or across the shards of a
job array); each task warms up once for its own runs.
"""

from __future__ import annotations

import copy
import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.experiment.plan import RunSpec
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.vocabulary import is_variant
from ygt_abm.world import build_world


def warmup_groups(resolved: ResolvedExperiment, specs: list[RunSpec], fork: bool = True) -> list[list[RunSpec]]:
    """``specs`` grouped by their warm-up, in order of first appearance (each group in the order of
    ``specs``); without ``fork``, every run is a group of its own. A warm-up depends on the replicate, the
    county (run alone) and the parameters; the world and the seed are the experiment's."""
    if not fork:
        return [[spec] for spec in specs]
    parameters: dict[tuple[str, str], str] = {}  # each (scenario, point)'s, dumped once, not once a replicate
    groups: dict[tuple[int, int | None, str], list[RunSpec]] = {}
    for spec in specs:
        at = (spec.scenario, spec.point)
        if at not in parameters:
            parameters[at] = json.dumps(resolved.parameters(*at).model_dump(mode="json"), sort_keys=True)
        groups.setdefault((spec.replicate, spec.county, parameters[at]), []).append(spec)
    return list(groups.values())


def split_groups(groups: list[list[RunSpec]], parts: int) -> list[list[RunSpec]]:
    """Each group cut into consecutive, near-equal tasks of at most ⌈runs ÷ parts⌉ runs, so that there are
    at least ``parts`` tasks where the runs allow (a group cut in k costs k − 1 extra warm-ups)."""
    total = sum(len(g) for g in groups)
    if total == 0:
        return []
    cap = math.ceil(total / max(parts, 1))
    tasks = []
    for group in groups:
        pieces = math.ceil(len(group) / cap)
        bounds = [round(i * len(group) / pieces) for i in range(pieces + 1)]
        tasks += [group[a:b] for a, b in zip(bounds, bounds[1:])]
    return tasks


def balanced_tasks(groups: list[list[RunSpec]], slots: int, warmup_years: int, years: int) -> list[list[RunSpec]]:
    """``groups`` cut for ``slots`` parallel workers, longest first: the cut (none, or into at least 1, 2 or
    4 tasks per worker) whose estimated makespan is least, a task of k runs costing ``warmup_years`` +
    k × ``years`` (building the model counted as a year) and tasks taken longest first (LPT); ties go to
    fewer cuts, since each costs a warm-up. Equal groups at least as many as the workers are not cut."""
    def makespan(tasks: list[list[RunSpec]]) -> float:
        loads = [0.0] * slots
        for task in tasks:
            loads[loads.index(min(loads))] += warmup_years + 1 + len(task) * years
        return max(loads)

    options = [groups] + [split_groups(groups, parts * slots) for parts in (1, 2, 4)] if slots > 1 else [groups]
    best = min(options, key=lambda tasks: makespan(sorted(tasks, key=len, reverse=True)))  # first of equals
    return sorted(best, key=len, reverse=True)


@dataclass
class Forked:
    """One run forked from a shared warm-up: its model after the recorded years, its indicators (as
    ``CountyModel.run`` returns them) and its timings."""

    spec: RunSpec
    model: CountyModel
    table: pd.DataFrame
    seconds: float  # the copy and the recorded years
    phase_seconds: dict[str, float]  # of the recorded years only
    warmup_seconds: float  # building and warming up the shared model, once for the whole task
    warmup_runs: int  # runs forked from that warm-up in this task
    warmup_group: str  # the run id of the task's first run: the same for every run of the task
    simulated_as: str  # the run id whose simulation this run's is: its own, or an identical run's of the task


def forked_runs(resolved: ResolvedExperiment, specs: list[RunSpec]) -> Iterator[Forked]:
    """Build and warm up the model ``specs`` share (they must share a warm-up: see ``warmup_groups``),
    then, for each spec in turn, fork it, give it the spec's interventions and record flag, and simulate
    its recorded years. Specs whose interventions and record flag are the same (a package of one lever and
    that lever alone; a lever removed from two and the other alone) are one simulation: it is run once and
    given to each, in turn after the first. The last simulation runs on the warmed-up model itself: no copy
    is left to make."""
    exp = resolved.experiment
    first = specs[0]
    start = time.perf_counter()
    region = build_world(exp.world, exp.seed, first.county)
    model = CountyModel(region, resolved.parameters(first.scenario, first.point), seed=exp.seed,
                        replicate=first.replicate)
    # Initialised against the model as built, as CountyModel.__init__ initialises a run's interventions.
    interventions = []
    for spec in specs:
        built = [build(entry) for entry in resolved.interventions_at(spec.scenario, spec.point)]
        for intervention in built:
            intervention.init(model)
        interventions.append(built)
    model.warm_up(exp.warmup_years)
    warmup_seconds = time.perf_counter() - start
    warm_phases = dict(model.phase_seconds)
    applied = [sorted(built, key=lambda intervention: intervention.canonical_key()) for built in interventions]
    record = [exp.record_episodes and not is_variant(spec.scenario) for spec in specs]
    alike: dict[tuple, list[int]] = {}  # the specs of each simulation, in the order of ``specs``
    for i in range(len(specs)):
        alike.setdefault((tuple(x.behaviour_key() for x in applied[i]), record[i]), []).append(i)
    simulations = list(alike.values())
    for j, members in enumerate(simulations):
        begin = time.perf_counter()
        last = j == len(simulations) - 1
        own = members[0]
        fork, built = (model, applied[own]) if last else copy.deepcopy((model, applied[own]))
        fork.interventions = built
        fork.record_episodes = record[own]
        table = fork.run(exp.years)  # the warm-up is done: run() adds no more of it
        phases = {name: seconds - warm_phases.get(name, 0.0) for name, seconds in fork.phase_seconds.items()}
        seconds = time.perf_counter() - begin
        for k, i in enumerate(members):  # each its own table: the runner writes the run's id into it
            yield Forked(specs[i], fork, table.copy() if k < len(members) - 1 else table,
                         seconds if k == 0 else 0.0, phases if k == 0 else dict.fromkeys(phases, 0.0),
                         warmup_seconds, len(specs), specs[0].run_id, specs[own].run_id)
        del fork, built, table  # before the next copy: at most the warmed-up model and one fork alive at a time
