"""A published evaluation as an experiment: one synthetic county, the evaluation's shared overrides, the
scenario pair control and treated, a warm-up, and the recorded years its outcomes cover, seeded from its id.

Both the check of a fit (``ygt-abm evaluations``) and the fitting itself (``ygt_abm/estimation/``, which
fits to the training evaluations) build their experiments here, so the two measure the same thing. Nothing
here reads an evaluations file or knows which set an evaluation belongs to: callers pass the evaluations
their loader gave them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ygt_abm.config.evaluations import Arm, Evaluation
from ygt_abm.config.experiment import ResolvedExperiment, deep_merge, scaled_townships
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.results.store import write_yaml

#: the scenario names of an evaluation's arms (ygt_abm/analysis/evaluations.py measures effects between them)
CONTROL, TREATED = "control", "treated"
HEADER = "# A published evaluation as an experiment (ygt_abm/experiment/evaluation_experiments.py).\n"
#: the size issue 28 measured at: a typical county of 120,000 residents (6 townships), 8 replicates
POPULATION, REPLICATES, WARMUP_YEARS = 120_000, 8, 3


def evaluation_seed(identifier: str) -> int:
    """The root seed of an evaluation: from its id's SHA-256 (stable across processes and machines, unlike
    Python's salted ``hash``), below 2**63 as experiment seeds are."""
    return int.from_bytes(hashlib.sha256(identifier.encode("utf-8")).digest()[:8], "big") >> 1


def _scenario(name: str, arm: Arm) -> dict[str, Any]:
    scenario: dict[str, Any] = {"name": name}
    if arm.policy:
        scenario["policy"] = arm.policy
    if arm.interventions:  # plain data, exactly as the file gives them
        scenario["interventions"] = json.loads(json.dumps(arm.interventions))
    return scenario


def evaluation_experiment(evaluation: Evaluation, population: int = POPULATION, replicates: int = REPLICATES,
                          warmup_years: int = WARMUP_YEARS, parameters: dict[str, Any] | None = None,
                          seed: int | None = None, ensemble: Path | None = None) -> dict[str, Any]:
    """The experiment file of ``evaluation``: one synthetic county of ``population`` residents (townships in
    proportion), the evaluation's overrides for both arms (laid over ``parameters``, the parameters the
    caller's own experiment shares), control and treated, recorded years up to the last year its outcomes
    average over, seeded from its id unless ``seed`` is given; over every member of ``ensemble`` (e.g. an
    estimation's posterior draws) if one is given."""
    years = max(year for outcome in evaluation.outcomes for year in outcome.years)
    shared = deep_merge(json.loads(json.dumps(parameters or {})), json.loads(json.dumps(evaluation.overrides)))
    return {"name": evaluation.id[:64], "description": f"published evaluation {evaluation.id} ({evaluation.set})",
            "seed": evaluation_seed(evaluation.id) if seed is None else seed, "replicates": replicates,
            "years": years, "warmup_years": warmup_years,
            "world": {"kind": "synthetic", "population": population, "townships": scaled_townships(population)},
            "parameters": shared, "reference": CONTROL,
            "scenarios": [_scenario(CONTROL, evaluation.control), _scenario(TREATED, evaluation.treated)],
            **({"ensemble": str(Path(ensemble).resolve())} if ensemble is not None else {})}


def prepare(folder: Path, evaluations: list[Evaluation], population: int, replicates: int,
            warmup_years: int, parameters: dict[str, Any] | None = None,
            header: str = HEADER, ensemble: Path | None = None) -> dict[str, ResolvedExperiment]:
    """Write ``<id>.yaml`` for every evaluation with outcomes and load it: every problem before any run.
    Raises ``ConfigError`` if one does not load (e.g. an intervention aimed at a county the world lacks)."""
    resolved = {}
    for evaluation in evaluations:
        if evaluation.outcomes:
            path = Path(folder) / f"{evaluation.id}.yaml"
            write_yaml(evaluation_experiment(evaluation, population, replicates, warmup_years, parameters,
                                             ensemble=ensemble), path, header)
            resolved[evaluation.id] = load_runnable_experiment(path)
    return resolved
