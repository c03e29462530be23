"""Published evaluations as experiments: the evaluations that share a setting (their shared overrides) and
their recorded years run as one experiment, a batch: one synthetic county, the setting's overrides, each
evaluation's scenario pair (``<id>_control`` and ``<id>_treated``), a warm-up, and the recorded years their
outcomes cover, seeded from the setting.

Why batches: every arm of a batch shares the county, the parameters and the seed, so the runner warms the
county up once per replicate (and ensemble member) and forks every arm from it (ygt_abm/experiment/forking.py),
and arms that do the same (a baseline control, shared by several evaluations) are one simulation. Evaluations
of one setting share their random numbers, as a scenario pair does: each effect is still paired within its
own evaluation, arm against arm, replicate by replicate.

Both the check of a fit (``ygt-abm evaluations``) and the fitting itself (``ygt_abm/estimation/``, which
fits to the training evaluations) build their experiments here, so the two measure the same thing. Nothing
here reads an evaluations file or knows which set an evaluation belongs to: callers pass the evaluations
their loader gave them (a batch holds evaluations of one set only when its caller passes one set).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ygt_abm.config.evaluations import Arm, Evaluation
from ygt_abm.config.experiment import ResolvedExperiment, deep_merge, scaled_townships
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.results.store import write_yaml

#: the arms of an evaluation (ygt_abm/analysis/evaluations.py measures effects between them)
CONTROL, TREATED = "control", "treated"
HEADER = "# Published evaluations as an experiment (ygt_abm/experiment/evaluation_experiments.py).\n"
#: the size issue 28 measured at: a typical county of 120,000 residents (6 townships), 8 replicates
POPULATION, REPLICATES, WARMUP_YEARS = 120_000, 8, 3


def evaluation_seed(identifier: str) -> int:
    """A root seed from a text's SHA-256 (stable across processes and machines, unlike Python's salted
    ``hash``), below 2**63 as experiment seeds are."""
    return int.from_bytes(hashlib.sha256(identifier.encode("utf-8")).digest()[:8], "big") >> 1


def arm_names(evaluation: Evaluation) -> tuple[str, str]:
    """The scenario names of ``evaluation``'s control and treated arms in its batch (ids have no ``_``)."""
    return f"{evaluation.id}_{CONTROL}", f"{evaluation.id}_{TREATED}"


def recorded_years(evaluation: Evaluation) -> int:
    """The last year any of ``evaluation``'s outcomes averages over: the years its experiment records."""
    return max(year for outcome in evaluation.outcomes for year in outcome.years)


@dataclass(frozen=True)
class Batch:
    """Evaluations run as one experiment: the same ``setting`` (their overrides, as sorted JSON) and the same
    recorded ``years``."""

    name: str
    setting: str
    years: int
    evaluations: tuple[Evaluation, ...]

    def arm(self, scenario: int) -> tuple[Evaluation, str]:
        """The evaluation and arm name of the batch experiment's ``scenarios[scenario]`` (each evaluation's
        control, then its treated, in the batch's order)."""
        evaluation = self.evaluations[scenario // 2]
        return evaluation, arm_names(evaluation)[scenario % 2]

    def seed(self, root: int | None = None) -> int:
        """The batch's seed: from its setting (and ``root``, e.g. a particle's seed), so batches of one setting
        share their random numbers whatever their years."""
        return evaluation_seed(self.setting if root is None else f"{root}:{self.setting}")


def batches(evaluations: list[Evaluation]) -> list[Batch]:
    """The evaluations with outcomes grouped by setting and recorded years, in order of first appearance
    (each batch in the order given). A batch is named by its years, and by its setting's digest where it has
    overrides: ``recorded-2-years``, ``recorded-1-years-3f9a…``."""
    groups: dict[tuple[str, int], list[Evaluation]] = {}
    for evaluation in evaluations:
        if evaluation.outcomes:
            setting = json.dumps(evaluation.overrides, sort_keys=True)
            groups.setdefault((setting, recorded_years(evaluation)), []).append(evaluation)
    named = []
    for (setting, years), members in groups.items():
        digest = "" if setting == "{}" else "-" + hashlib.sha256(setting.encode("utf-8")).hexdigest()[:8]
        named.append(Batch(f"recorded-{years}-years{digest}", setting, years, tuple(members)))
    return named


def _scenario(name: str, arm: Arm) -> dict[str, Any]:
    scenario: dict[str, Any] = {"name": name}
    if arm.policy:
        scenario["policy"] = arm.policy
    if arm.interventions:  # plain data, exactly as the file gives them
        scenario["interventions"] = json.loads(json.dumps(arm.interventions))
    return scenario


def batch_experiment(batch: Batch, population: int = POPULATION, replicates: int = REPLICATES,
                     warmup_years: int = WARMUP_YEARS, parameters: dict[str, Any] | None = None,
                     seed: int | None = None, ensemble: Path | None = None) -> dict[str, Any]:
    """The experiment file of ``batch``: one synthetic county of ``population`` residents (townships in
    proportion), the setting's overrides for every arm (laid over ``parameters``, the parameters the caller's
    own experiment shares), each evaluation's control and treated, the batch's recorded years, seeded from its
    setting unless ``seed`` is given; over every member of ``ensemble`` (e.g. an estimation's posterior draws)
    if one is given."""
    shared = deep_merge(json.loads(json.dumps(parameters or {})), json.loads(batch.setting))
    scenarios = [_scenario(name, arm) for evaluation in batch.evaluations
                 for name, arm in zip(arm_names(evaluation), (evaluation.control, evaluation.treated))]
    ids = ", ".join(e.id for e in batch.evaluations)
    return {"name": batch.name, "description": f"published evaluations {ids}: each effect pairs an evaluation's "
                                               "own control and treated",
            "seed": batch.seed() if seed is None else seed, "replicates": replicates,
            "years": batch.years, "warmup_years": warmup_years,
            "world": {"kind": "synthetic", "population": population, "townships": scaled_townships(population)},
            "parameters": shared, "reference": scenarios[0]["name"], "scenarios": scenarios,
            **({"ensemble": str(Path(ensemble).resolve())} if ensemble is not None else {})}


def prepare(folder: Path, evaluations: list[Evaluation], population: int, replicates: int,
            warmup_years: int, parameters: dict[str, Any] | None = None,
            header: str = HEADER, ensemble: Path | None = None) -> list[tuple[Batch, ResolvedExperiment]]:
    """Write ``<batch>.yaml`` for every batch of ``evaluations`` and load it: every problem before any run.
    Raises ``ConfigError`` if one does not load (e.g. an intervention aimed at a county the world lacks)."""
    prepared = []
    for batch in batches(evaluations):
        path = Path(folder) / f"{batch.name}.yaml"
        write_yaml(batch_experiment(batch, population, replicates, warmup_years, parameters, ensemble=ensemble),
                   path, header)
        prepared.append((batch, load_runnable_experiment(path)))
    return prepared
