"""The estimation run (``ygt-abm calibrate`` with ``method: abc-smc``): ABC-SMC with pyabc, generation by
generation, resumable from its history database.

The search bounds are uniform priors (log-uniform for the parameters named in ``log``). Generation 0 is a
sample of the prior, every particle accepted (its threshold is infinite); each later generation's threshold
is the ``quantile`` of the previous generation's distances, and its particles are proposed by perturbing
the previous ones (pyabc's multivariate normal kernel) and accepted when their distance is within it. The
run stops after ``generations`` generations or once a threshold is at most ``min_epsilon``.

Each generation is one call of pyabc on a fresh ``ABCSMC`` loaded from the history, with NumPy's global
generator (which pyabc draws proposals from) seeded from the experiment's seed and the generation's index.
So with the default single-core sampler a calibration is reproducible, and a killed one resumed: it goes on
from the last complete generation (a generation cut off mid-way is sampled again, from the same seed, so the
resumed run equals an uninterrupted one). A parallel sampler (``particle_sampler``) proposes and accepts in
the order its workers finish: not reproducible draw for draw.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ygt_abm.analysis.fit import measured_elasticities
from ygt_abm.config.evaluations import EVALUATIONS_FILE, Evaluation, training_evaluations
from ygt_abm.config.experiment import ResolvedExperiment, deep_merge
from ygt_abm.config.targets import TARGETS_FILE, load_targets
from ygt_abm.estimation.design import design_points, simulate_design
from ygt_abm.estimation.emulator import Emulator, cross_validation
from ygt_abm.estimation.outputs import (EstimationResult, posterior_draws, write_check, write_emulator_check,
                                        write_outputs)
from ygt_abm.estimation.particles import ParticleModel
from ygt_abm.estimation.statistics import Distance, Statistic, observed, outcome_statistics, target_statistics
from ygt_abm.experiment.evaluation_experiments import POPULATION, prepare
from ygt_abm.experiment.loading import intervention_schemas

HISTORY_FILE = "abc.db"
SCRATCH = "particles"  # a particle's temporary run folders, removed as soon as its statistics are read
EVALUATION_EXPERIMENTS = "evaluations"  # the training evaluations' experiment files, as a particle runs them
CHECK = "check"  # an emulated estimation's posterior draws, simulated afresh


class EstimationError(ValueError):
    """An estimation that cannot run as configured (the command line reports it, exit status 2)."""


HEADER = "# Training evaluations as an estimation's particles run them (ygt_abm/estimation/smc.py).\n"


@dataclass
class Estimation:
    """What is fitted and how: priors, statistics, distance, the particle model, the seed."""

    priors: dict[str, tuple[float, float, bool]]  # name → (low, high, log-uniform)
    statistics: list[Statistic]
    distance: Distance
    model: ParticleModel
    evaluations: list[Evaluation]
    seed: int
    digest: str  # what a history must have been made with to be resumed
    design_digest: str = ""  # what an emulator's design points must have been made with (no emulator: "")


def training_set(resolved: ResolvedExperiment) -> list[Evaluation]:
    """The training evaluations a calibration fits to (its ``evaluations_file``, or the shipped one); none
    without ``evaluations: training``. Read through ``training_evaluations`` only."""
    cal = resolved.experiment.calibration
    if cal.evaluations != "training":
        return []
    base_dir = resolved.path.parent if resolved.path else Path(".")
    path = base_dir / cal.evaluations_file if cal.evaluations_file else EVALUATIONS_FILE
    return [e for e in training_evaluations(intervention_schemas(), path) if e.outcomes]


def check_estimation(resolved: ResolvedExperiment) -> tuple[list[Statistic], list[Evaluation]]:
    """The baseline targets' statistics and the training evaluations an estimation fits to, read and checked
    without writing anything (``ygt-abm calibrate`` calls it before it makes --out). Raises ``ConfigError`` for a
    bad target or evaluations file, ``EstimationError`` for a calibration that fits nothing or that an
    evaluation contradicts."""
    cal = resolved.experiment.calibration
    base_dir = resolved.path.parent if resolved.path else Path(".")
    statistics_targets = target_statistics(load_targets(base_dir / cal.targets if cal.targets else TARGETS_FILE),
                                           cal.roles, measured_elasticities(resolved))
    evaluations = training_set(resolved)
    for evaluation in evaluations:
        fixed = [name for name in cal.search if _has(evaluation.overrides, name.split("."))]
        if fixed:
            raise EstimationError(f"evaluation {evaluation.id} sets {', '.join(fixed)} (its setting), which the "
                                  "calibration estimates: leave it out of `search` or of the evaluation")
    if not statistics_targets + outcome_statistics(evaluations):
        raise EstimationError("nothing to fit: no baseline target of the roles and no training evaluation outcome")
    return statistics_targets, evaluations


def build(resolved: ResolvedExperiment, out: Path, executor: Executor | None = None) -> Estimation:
    """The estimation of ``resolved`` (its ``calibration`` has ``method: abc-smc``). Writes the training
    evaluations' experiment files into ``out/evaluations/``. Raises ``EstimationError`` for a calibration that
    fits nothing or that an evaluation contradicts."""
    exp = resolved.experiment
    cal = exp.calibration
    base_dir = resolved.path.parent if resolved.path else Path(".")
    statistics_targets, evaluations = check_estimation(resolved)
    statistics = statistics_targets + outcome_statistics(evaluations)
    replicates = cal.replicates or exp.replicates
    update: dict[str, Any] = {"replicates": replicates}
    if cal.population and exp.world.kind == "synthetic":
        update["world"] = exp.world.model_copy(update={"population": cal.population})
    baseline = ResolvedExperiment(exp.model_copy(update=update), {key: resolved.parameters(*key) for key in
                                  [(s, p.name) for s in resolved.scenario_names for p in resolved.points]},
                                  resolved.points, resolved.path, resolved.interventions, resolved.packages)
    population = cal.population or (exp.world.population if exp.world.kind == "synthetic" else POPULATION)
    scenario = exp.scenarios[0]
    shared = deep_merge(exp.parameters, scenario.overrides)
    folder = Path(out) / EVALUATION_EXPERIMENTS
    folder.mkdir(parents=True, exist_ok=True)
    prepared = prepare(folder, evaluations, population, replicates, exp.warmup_years, shared, HEADER)
    keys = {s.key for s in statistics_targets}
    targets = [t for t in load_targets(base_dir / cal.targets if cal.targets else TARGETS_FILE)
               if f"target: {t.name}" in keys]
    model = ParticleModel(baseline, targets, prepared, exp.seed, Path(out).resolve() / SCRATCH, executor)
    priors = {name: (low, high, name in cal.log) for name, (low, high) in cal.search.items()}
    digest = _digest(exp, priors, statistics, population, replicates)
    design_digest = _digest(exp, priors, statistics, population, replicates, design=True) if cal.emulator else ""
    return Estimation(priors, statistics, Distance(statistics), model, evaluations, exp.seed, digest, design_digest)


def _has(tree: dict, path: list[str]) -> bool:
    for part in path:
        if not isinstance(tree, dict) or part not in tree:
            return False
        tree = tree[part]
    return True


def _digest(exp, priors: dict, statistics: list[Statistic], population: int, replicates: int,
            design: bool = False) -> str:
    """What a resumed history must share: priors, statistics and their bands, the particle's runs' sizes,
    the seed and the experiment's years and parameters, how evaluations run (not the number of generations,
    which may grow), and the emulator's design. ``design``: what a resumed design must share (not the ABC's settings)."""
    cal = exp.calibration
    shared = {"priors": priors, "statistics": [vars(s) for s in statistics], "population": population,
              "replicates": replicates, "seed": exp.seed, "years": exp.years, "warmup": exp.warmup_years,
              "world": exp.world.model_dump(mode="json"), "parameters": exp.parameters,
              "evaluation_runs": "batches of one setting and recorded years, seeded from the setting"}
    if design:
        shared["design"] = cal.emulator.design
    else:
        shared.update(quantile=cal.quantile, particles=cal.particles)
        if cal.emulator is not None:
            shared["emulator"] = cal.emulator.design
    text = json.dumps(shared, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def prior_distribution(priors: dict[str, tuple[float, float, bool]]):
    """pyabc's prior: uniform on [low, high], log-uniform where marked."""
    import pyabc

    return pyabc.Distribution(**{name: pyabc.RV("loguniform", low, high) if log else
                                 pyabc.RV("uniform", low, high - low)
                                 for name, (low, high, log) in priors.items()})


def generation_seed(seed: int, generation: int) -> int:
    """The seed of NumPy's global generator for one generation (a 32-bit value, as ``np.random.seed`` takes)."""
    digest = hashlib.sha256(f"{seed}:generation:{generation}".encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def storage_url(resolved: ResolvedExperiment, out: Path) -> str:
    return resolved.experiment.calibration.storage or f"sqlite:///{(Path(out) / HISTORY_FILE).resolve()}"


def _abc(estimation: Estimation, cal, sampler, first: bool, model: Callable | None = None):
    """A fresh ``ABCSMC`` for one generation. Its threshold is the ``quantile`` of the previous generation's
    distances, which pyabc reads from the history (``from_sample`` on a loaded history); generation 0 has
    none, and accepts every draw from the prior (an infinite threshold, so no extra sample is simulated)."""
    import pyabc

    return pyabc.ABCSMC(model or estimation.model, prior_distribution(estimation.priors), estimation.distance,
                        population_size=cal.particles, sampler=sampler or pyabc.sampler.SingleCoreSampler(),
                        eps=pyabc.epsilon.QuantileEpsilon(initial_epsilon=np.inf if first else "from_sample",
                                                          alpha=cal.quantile))


def stored_runs(storage: str) -> list:
    """The runs a pyabc history database holds (a new database is made empty); ``EstimationError`` for a file or
    database that is not one pyabc can open."""
    import pyabc
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return pyabc.History(storage).all_runs()
    except SQLAlchemyError as exc:
        raise EstimationError(f"{storage}: not a history database pyabc can open ({getattr(exc, 'orig', None) or exc});"
                              " give another --out or storage, or delete it") from None


def run_id(storage: str, digest: str) -> int | None:
    """The id of the run in ``storage`` made with ``digest``; None if it holds none. Raises ``EstimationError`` if
    it holds runs of another estimation."""
    runs = stored_runs(storage)
    ours = [run.id for run in runs if digest in str(run.json_parameters)]
    if runs and not ours:
        raise EstimationError(f"{storage} holds another estimation (other priors, statistics, sizes or seed): give "
                         "another --out or storage")
    return ours[-1] if ours else None


def run_generations(estimation: Estimation, resolved: ResolvedExperiment, out: Path, sampler=None,
                    progress: Callable[[int, int, float], Any] | None = None, model: Callable | None = None):
    """Run (or go on with) the ABC-SMC in the calibration's storage until ``generations`` are complete or a
    threshold is at most ``min_epsilon``; returns pyabc's ``History``. ``sampler``: a pyabc sampler (None:
    single-core, seeded per generation); ``model``: instead of the estimation's particle model (tests)."""
    import pyabc  # before its log level is set: importing pyabc sets it to INFO

    logging.getLogger("ABC").setLevel(logging.WARNING)
    cal = resolved.experiment.calibration
    Path(out).mkdir(parents=True, exist_ok=True)
    storage = storage_url(resolved, out)
    run = run_id(storage, estimation.digest)
    while True:
        done = 0
        if run is not None:  # complete generations so far; a generation cut off is not in the history
            history = pyabc.History(storage, _id=run)
            done = history.max_t + 1
            if done > 0:
                populations = history.get_all_populations()
                epsilon = float(populations[populations["t"] == history.max_t]["epsilon"].iloc[0])
                if done >= cal.generations or epsilon <= cal.min_epsilon:
                    return history
        abc = _abc(estimation, cal, sampler, done == 0, model)
        if run is None:
            abc.new(storage, observed(estimation.statistics), meta_info={"estimation": estimation.digest})
            run = abc.history.id
        else:
            abc.load(storage, run)
        shutil.rmtree(Path(out) / SCRATCH, ignore_errors=True)  # what a killed particle left
        if sampler is None:
            np.random.seed(generation_seed(estimation.seed, done))
        abc.run(minimum_epsilon=cal.min_epsilon, max_nr_populations=1)
        if progress is not None:
            populations = abc.history.get_all_populations()
            progress(done + 1, cal.generations, float(populations["epsilon"].iloc[-1]))


def estimate(resolved: ResolvedExperiment, out: Path, executor: Executor | None = None, particle_sampler=None,
             progress: Callable[..., Any] | None = None) -> EstimationResult:
    """Build the estimation, run (or go on with) its generations and write its outputs in ``out``.
    ``executor`` runs each particle's runs (None: in this process), or with an emulator whole design points;
    ``particle_sampler`` a pyabc sampler that runs particles in parallel instead (None: one particle at a time,
    reproducible)."""
    out = Path(out)
    stored_runs(storage_url(resolved, out))  # an unusable history: before the evaluations' files are written
    emulated = resolved.experiment.calibration.emulator is not None
    estimation = build(resolved, out, None if particle_sampler is not None or emulated else executor)
    if emulated:
        return _estimate_emulated(estimation, resolved, out, executor, progress)
    history = run_generations(estimation, resolved, out, particle_sampler, progress)
    shutil.rmtree(out / SCRATCH, ignore_errors=True)
    exp = resolved.experiment
    return write_outputs(history, estimation.priors, estimation.statistics, out, exp.name, exp.seed,
                         exp.calibration.draws)


def _estimate_emulated(estimation: Estimation, resolved: ResolvedExperiment, out: Path, executor: Executor | None,
                       progress: Callable[..., Any] | None) -> EstimationResult:
    """The design simulated (or completed), the emulator fitted and checked, the ABC-SMC on the emulator, its
    outputs, and ``check`` posterior draws simulated afresh (training-fit.md: real runs)."""
    exp = resolved.experiment
    cal = exp.calibration

    def step(what: str) -> Callable[[int, int], Any] | None:
        return None if progress is None else lambda done, total: progress(done, total, what=what)

    try:
        design = simulate_design(estimation.model, design_points(estimation.priors, cal.emulator.design,
                                                                 estimation.seed), out, estimation.design_digest,
                                 executor, step("design point"))
    except ValueError as exc:
        raise EstimationError(str(exc)) from None
    shutil.rmtree(out / SCRATCH, ignore_errors=True)
    keys = [s.key for s in estimation.statistics]
    emulator = Emulator(estimation.priors, keys).fit(design, estimation.seed % 2**31)
    write_emulator_check(cross_validation(emulator, design, estimation.seed), estimation.statistics, out)
    history = run_generations(estimation, resolved, out, None, progress, model=emulator)
    result = write_outputs(history, estimation.priors, estimation.statistics, out, exp.name, exp.seed, cal.draws,
                           emulated=True)
    if cal.emulator.check:
        draws = posterior_draws(result.posterior, list(estimation.priors), cal.emulator.check,
                                generation_seed(estimation.seed, -1))
        checked = simulate_design(estimation.model, draws, out, estimation.design_digest, executor,
                                  step("posterior check"), folder=CHECK)
        shutil.rmtree(out / SCRATCH, ignore_errors=True)
        write_check(checked, emulator, estimation.statistics, out, exp.name)
    return result
