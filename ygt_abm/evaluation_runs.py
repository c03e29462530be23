"""The published evaluations run (``ygt-abm evaluations``): the evaluations of configs/calibration/evaluations.yaml
that share a setting (their overrides) and recorded years become one experiment, a batch (a synthetic county,
the setting's overrides, each evaluation's scenario pair, a warm-up shared by every arm, the recorded years,
replicates: ygt_abm/experiment/evaluation_experiments.py), written as a file and run through the experiment
runner (resumable, any executor); then every outcome's simulated effect against its published band:
evaluations.csv, evaluations.md and the forest plot evaluations.png/.pdf/.svg (docs/validation.md).

This module reports the held-out set, so it is a checking module, not a fitting one: no fitting module may
import it (tests/test_evaluations.py). The experiments evaluations become are built by
ygt_abm/experiment/evaluation_experiments.py, which fitting code shares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ygt_abm.analysis.evaluations import evaluation_rows, evaluation_table, evaluations_markdown
from ygt_abm.config.evaluations import EVALUATIONS_FILE, Evaluation, held_out_evaluations, training_evaluations
from ygt_abm.config.experiment import scaled_townships
from ygt_abm.config.files import ConfigError, Problem, did_you_mean, line_of, read_yaml
from ygt_abm.config.loading import load_ensemble
from ygt_abm.experiment.evaluation_experiments import (
    POPULATION, REPLICATES, WARMUP_YEARS, Batch, arm_names, batch_experiment, batches, prepare,
)
from ygt_abm.experiment.loading import intervention_schemas
from ygt_abm.experiment.runner import check_new_outputs, run_experiment
from ygt_abm.figures.evaluations import evaluations_figure
from ygt_abm.figures.save import FORMATS, save_figure
from ygt_abm.results.store import git_commit, write_atomic, write_csv

HEADER = "# A published evaluation as an experiment, written by `ygt-abm evaluations` (ygt_abm/evaluation_runs.py).\n"
Which = Literal["training", "held-out", "all"]
SETS: tuple[Which, ...] = ("training", "held-out", "all")


@dataclass(frozen=True)
class EvaluationReport:
    """evaluations.csv's table and evaluations.md's text, as written."""

    table: pd.DataFrame
    markdown: str


def chosen_evaluations(which: Which, path: str | Path = EVALUATIONS_FILE, only: Iterable[str] = ()) -> list[Evaluation]:
    """The evaluations of set ``which`` (training first, then held-out, for ``all``), each read through its
    set's loader, so ``training`` never returns a held-out entry; ``only``: these ids, in file order.

    Raises ``ConfigError`` for a bad file, ``ValueError`` for an id not in the chosen set."""
    schemas = intervention_schemas()
    evaluations = []
    if which in ("training", "all"):
        evaluations += training_evaluations(schemas, path)
    if which in ("held-out", "all"):
        evaluations += held_out_evaluations(schemas, path)
    wanted = list(only)
    ids = [e.id for e in evaluations]
    unknown = [i for i in wanted if i not in ids]
    if unknown:
        raise ValueError(f"--only {unknown[0]}: no such evaluation in the {which} set of {path}"
                         f"{did_you_mean(unknown[0], ids)}")
    return [e for e in evaluations if not wanted or e.id in wanted]


def check_folder(folder: Path, evaluations: list[Evaluation], population: int = POPULATION,
                 replicates: int = REPLICATES, warmup_years: int = WARMUP_YEARS, ensemble: Path | None = None,
                 source: Path | None = None) -> None:
    """Load the experiment each batch of ``evaluations`` becomes and check its run folder in ``folder``,
    writing nothing: ``ConfigError`` for one that does not load, ``OutputConflict`` for a run folder of another
    experiment. With ``source`` (the evaluations file), a problem of an evaluation's arm is reported at that
    evaluation's line there: the experiment file it would be in has not been written."""
    groups = batches(evaluations)
    try:
        check_new_outputs({Path(folder) / f"{b.name}.yaml": (Path(folder) / b.name, batch_experiment(
            b, population, replicates, warmup_years, ensemble=ensemble)) for b in groups}, HEADER)
    except ConfigError as exc:
        problems = exc.problems if source is None else _at_entries(exc.problems, folder, source, groups)
        raise ConfigError(problems) from None


def _at_entries(problems: list[Problem], folder: Path, source: Path, groups: list[Batch]) -> list[Problem]:
    """``problems`` of the batches' experiment files ``<batch>.yaml`` in ``folder``, moved to the line of the
    evaluation in the evaluations file ``source`` whose arm they are in (the batch's first evaluation for a
    problem of the shared setting)."""
    entries = read_yaml(Path(source))["evaluations"]
    index = {entry.get("id"): i for i, entry in enumerate(entries)}
    by_name = {b.name: b for b in groups}
    moved = []
    for problem in problems:
        batch = by_name.get(Path(problem.file).stem) if Path(problem.file).parent == Path(folder) else None
        if batch is None:
            moved.append(problem)
            continue
        field, evaluation = problem.field, batch.evaluations[0]
        scenario = re.match(r"scenarios\[(\d+)\]\.?(.*)", field)
        if scenario and int(scenario.group(1)) < 2 * len(batch.evaluations):
            evaluation, arm = batch.arm(int(scenario.group(1)))
            field = ".".join(filter(None, [arm, scenario.group(2)]))
        i = index.get(evaluation.id)
        line, _ = line_of(entries, (i,)) if i is not None else (None, None)
        moved.append(Problem(str(source), line or 1, f"evaluations[{i}] as an experiment: {field}", problem.message))
    return moved


def run_evaluations(folder: Path, evaluations: list[Evaluation], population: int = POPULATION,
                    replicates: int = REPLICATES, warmup_years: int = WARMUP_YEARS, executor: Executor | None = None,
                    progress: Callable[[str], Any] | None = None, ensemble: Path | None = None) -> EvaluationReport:
    """Run every batch of the evaluations with outcomes into ``folder/<batch>`` (finished runs are kept), then
    write evaluations.csv, evaluations.md and evaluations.png/.pdf/.svg in ``folder``. ``progress(name)`` makes
    the progress callback of one batch's runs (with a ``close``). With ``ensemble`` (an estimation's
    ``posterior.yaml``) every evaluation runs over each member, and an effect pairs the arms member by member
    and replicate by replicate: the posterior predictive mean, with its interval over those pairs.

    Raises ``ConfigError`` if an experiment does not load, and the runner's ``OutputConflict`` (both before
    anything is written) or ``OutputLocked`` if a batch's folder holds another experiment or is being
    written."""
    check_folder(folder, evaluations, population, replicates, warmup_years, ensemble)
    kpis = {}
    for batch, experiment in prepare(folder, evaluations, population, replicates, warmup_years, header=HEADER,
                                     ensemble=ensemble):
        bar = progress(batch.name) if progress else None
        try:
            measured = run_experiment(experiment, folder / batch.name, executor=executor, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        kpis.update({evaluation.id: measured for evaluation in batch.evaluations})
    rows = []
    for evaluation in evaluations:
        rows += evaluation_rows(evaluation, kpis.get(evaluation.id), *arm_names(evaluation))
    table = evaluation_table(rows)
    size = (f"{population:,} residents in {scaled_townships(population)} townships, {replicates} replicates, "
            f"{warmup_years} warm-up years")
    named = size
    if ensemble is not None:  # the file in the text; in the figure, which a paper prints, the count
        named = f"{size}, over every member of {Path(ensemble).name}"
        size += f", over the {len(load_ensemble(ensemble))} members of the parameter ensemble"
    commit = git_commit(Path(__file__).resolve().parent)[:7]  # in the text only: the figure shows results
    markdown = (f"# Published evaluations: simulated effects against the published bands\n\n"
                f"Written by `ygt-abm evaluations` ({named}; commit {commit}).\n\n" + evaluations_markdown(table))
    write_csv(table, folder / "evaluations.csv", float_format="%.6g")
    write_atomic(folder / "evaluations.md", lambda tmp: tmp.write_text(markdown, encoding="utf-8"))
    save_figure(evaluations_figure(table, f"Published evaluations ({size})"), folder / "evaluations", FORMATS)
    return EvaluationReport(table, markdown)
