"""A particle's runs: parameter values → summary statistics (ygt_abm/estimation/statistics.py).

A particle runs the calibration experiment's baseline and every training evaluation's control and treated
arms with its values laid over the parameters, batch by batch (ygt_abm/experiment/evaluation_experiments.py:
a batch's arms share one warm-up), each through the experiment runner into a temporary folder that is
removed once its statistics are read: the history database keeps the statistics, nothing else of a particle
stays on disk. Its runs are a pure function of (configuration, values, seed): the particle's seed is derived
from the experiment's seed and its values (SHA-256, so stable across processes and machines), and each
batch's seed from the particle's seed and the batch's setting. Particles therefore draw independent noise (a
particle's statistics carry the simulation's chance, which ABC integrates over), and the same values always
give the same statistics.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Mapping
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from ygt_abm.analysis.evaluations import outcome_effect
from ygt_abm.analysis.fit import experiment_fit
from ygt_abm.calibrate import with_values
from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.estimation.statistics import outcome_key, target_key
from ygt_abm.experiment.evaluation_experiments import Batch, arm_names, evaluation_seed
from ygt_abm.experiment.runner import run_experiment


def particle_seed(seed: int, values: Mapping[str, float]) -> int:
    """The root seed of a particle's runs: from the experiment's seed and the particle's values (exact, as
    ``repr`` of each float), below 2**63."""
    text = json.dumps({"seed": seed, "values": {k: repr(float(v)) for k, v in sorted(values.items())}})
    return evaluation_seed(text)


class ParticleModel:
    """Parameter values → statistics: the baseline's targets (simulated means) and each training outcome's
    simulated effect. pyabc calls it with a particle's parameters; a Dask worker unpickles it whole (the
    executor is dropped on pickling: a particle sent to a worker runs its runs in that worker)."""

    def __init__(self, baseline: ResolvedExperiment, targets: list, batches: list[tuple[Batch, ResolvedExperiment]],
                 seed: int, scratch: Path, executor: Executor | None = None) -> None:
        self.baseline = baseline
        self.targets = targets
        self.batches = batches
        self.seed = seed
        self.scratch = Path(scratch)
        self.executor = executor

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "executor": None}

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        values = {name: float(parameters[name]) for name in parameters}
        seed = particle_seed(self.seed, values)
        statistics: dict[str, float] = {}
        self.scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="particle-", dir=self.scratch) as folder:
            if self.targets:
                kpis = run_experiment(with_values(self.baseline, values, seed), Path(folder) / "baseline",
                                      executor=self.executor)
                for row in experiment_fit(kpis, self.baseline, self.targets).itertuples():
                    statistics[target_key(row.target)] = float(row.mean)
            for batch, experiment in self.batches:
                kpis = run_experiment(with_values(experiment, values, batch.seed(seed)), Path(folder) / batch.name,
                                      executor=self.executor)
                for evaluation in batch.evaluations:
                    for i, outcome in enumerate(evaluation.outcomes):
                        try:
                            effect = outcome_effect(kpis, outcome, *arm_names(evaluation)).mean
                        except (ValueError, ZeroDivisionError):
                            effect = math.nan
                        statistics[outcome_key(evaluation.id, i)] = float(effect)
        return statistics
