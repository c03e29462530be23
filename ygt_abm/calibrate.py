"""Calibration (``ygt-abm calibrate``): search the parameters an experiment's ``calibration`` names, within
their bounds, for the baseline that best matches the calibration targets, with Optuna (``method: optuna``,
the default); or, with ``method: abc-smc``, estimate their posterior jointly from the baseline targets and
the training set of published evaluations (ygt_abm/estimation/, docs/calibration.md).

Each trial is the experiment's baseline with the trial's parameter values, run through the experiment
runner (any executor; its run folder under ``trials/`` resumes like any run). Its loss is the mean over the
measured targets of the chosen roles of ((simulated mean − target) ÷ tolerance)², so a loss below 1 means
the targets are, on average, within tolerance. The study lives in an Optuna RDB storage (a SQLite file in the
output folder by default, a database URL on a cluster), so a killed calibration resumes: trials already told
are kept, and a trial cut off mid-run is run again with the same values (its finished runs are reused).

Outputs: ``trials.csv`` (every trial: values, loss, targets within tolerance), ``calibrated.yaml`` (the best
trial's values as experiment ``parameters``), ``fit.md``/``fit.csv``/``fit.png`` (the best trial's fit), and
``ensemble.yaml`` (every trial whose measured targets of the loss's roles are all within tolerance: parameter
uncertainty).
With Optuna, calibrate to baseline targets only. Reform effects enter only an ABC-SMC estimation, and only
those of the training evaluations; the other published evaluations check a fit, never make one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ygt_abm.analysis.fit import experiment_fit
from ygt_abm.config.design import Point
from ygt_abm.config.experiment import ResolvedExperiment, deep_merge
from ygt_abm.config.params import ModelParameters
from ygt_abm.config.targets import TARGETS_FILE, load_targets
from ygt_abm.experiment.runner import OutputConflict, config_digest, run_experiment
from ygt_abm.results.store import write_atomic, write_csv, write_yaml

STUDY_FILE = "study.db"


@dataclass
class CalibrationResult:
    trials: pd.DataFrame  # every complete trial: number, loss, within, and the searched values
    best: dict[str, float]  # the best trial's values
    fit: pd.DataFrame  # the best trial's fit table
    ensemble: list[dict[str, float]]  # the values of every trial whose measured targets of the roles are within tolerance


def with_values(resolved: ResolvedExperiment, values: Mapping[str, float], seed: int | None = None,
                **experiment: Any) -> ResolvedExperiment:
    """``resolved`` with ``values`` (dotted parameter → value) laid over the parameters of every scenario and
    point, no calibration section, its seed replaced by ``seed`` and any other experiment field by
    ``experiment``: what a calibration trial (its baseline and the scenarios that raise one price) or an
    estimation particle runs."""
    overrides = Point("values", dict(values)).overrides()
    parameters = {(scenario, point.name): ModelParameters.model_validate(
        deep_merge(resolved.parameters(scenario, point.name).model_dump(mode="json"), overrides))
        for scenario in resolved.scenario_names for point in resolved.points}
    update = {"calibration": None, **experiment}
    if seed is not None:
        update["seed"] = seed
    return ResolvedExperiment(resolved.experiment.model_copy(update=update), parameters, resolved.points,
                              resolved.path, resolved.interventions, resolved.packages)


def loss(fit: pd.DataFrame, roles: list[str]) -> float:
    """Mean of ((simulated − target) ÷ tolerance)² over the measured targets of ``roles``."""
    used = fit[fit["role"].isin(roles) & fit["mean"].notna()]
    if used.empty:
        raise ValueError(f"no measured target has a role in {roles}")
    return float((((used["mean"] - used["value"]) / used["tolerance"]) ** 2).mean())


def fits(fit: pd.DataFrame, roles: list[str]) -> bool:
    """Whether every measured target of ``roles`` is within its tolerance."""
    used = fit[fit["role"].isin(roles) & fit["mean"].notna()]
    return bool(len(used)) and bool(used["within"].astype(bool).all())


def _sampler(name: str, seed: int):
    import optuna

    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(seed=seed)


class StudyConflict(OutputConflict):
    """The storage holds a study of the same name made with another configuration."""


def study_configuration(resolved: ResolvedExperiment, targets: bytes) -> str:
    """Fingerprint of what a study's trials depend on: the experiment a trial runs, the calibration section
    but for how many trials to reach (a resumed study may be given more) and where it is stored, and the
    targets' content."""
    cal = resolved.experiment.calibration
    text = json.dumps({"trial": config_digest(with_values(resolved, {})),
                       "calibration": cal.model_dump(mode="json", exclude={"trials", "storage"}),
                       "targets": hashlib.sha256(targets).hexdigest()}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def trial_sampler(resolved: ResolvedExperiment, number: int):
    """The sampler that proposes trial ``number``, seeded from the experiment's seed and that number: with the
    study's history it decides the trial, so a resumed study proposes what an uninterrupted one would."""
    digest = hashlib.sha256(f"{resolved.experiment.seed}:trial:{number}".encode("utf-8")).digest()
    return _sampler(resolved.experiment.calibration.sampler, int.from_bytes(digest[:4], "big"))


def targets_file(resolved: ResolvedExperiment) -> Path:
    """The calibration's target file: its ``targets`` relative to the experiment file, or the shipped one."""
    cal = resolved.experiment.calibration
    base_dir = resolved.path.parent if resolved.path else Path(".")
    return Path(base_dir / cal.targets) if cal.targets else Path(TARGETS_FILE)


def open_study(resolved: ResolvedExperiment, out: Path):
    """The study in its storage, created or resumed; a trial left running by a killed calibration is marked
    failed and its values queued again. Raises ``StudyConflict`` if the storage holds a study of this name
    made with another configuration (``study_configuration``)."""
    import optuna
    from optuna.trial import TrialState
    from sqlalchemy.exc import SQLAlchemyError

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    cal = resolved.experiment.calibration
    storage = cal.storage or f"sqlite:///{(Path(out) / STUDY_FILE).resolve()}"
    try:
        study = optuna.create_study(study_name=resolved.experiment.name, storage=storage, load_if_exists=True,
                                    sampler=trial_sampler(resolved, 0), direction="minimize")
    except SQLAlchemyError as exc:  # e.g. a study.db that is not a database
        raise StudyConflict(f"{storage}: not a study database Optuna can open ({getattr(exc, 'orig', None) or exc}); "
                            "give another --out or storage, or delete it") from None
    configuration = study_configuration(resolved, targets_file(resolved).read_bytes())
    made_with = study.user_attrs.get("configuration")
    if made_with is None and not study.trials:
        study.set_user_attr("configuration", configuration)
    elif made_with != configuration:
        raise StudyConflict(f"{storage} holds a study {resolved.experiment.name!r} made with another "
                            "configuration (experiment, calibration section or targets): give another --out or "
                            "storage, or delete it")
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        study._storage.set_trial_state_values(trial._trial_id, TrialState.FAIL)
        study.enqueue_trial(trial.params, skip_if_exists=False)
    return study


def calibrate(resolved: ResolvedExperiment, out: Path, executor=None, progress=None, particle_sampler=None):
    """Optuna: run trials until the study has ``calibration.trials`` complete ones, write the outputs in
    ``out`` and return a ``CalibrationResult`` (``progress(done, total)``). ABC-SMC: run the estimation's
    generations (``ygt_abm.estimation.smc.estimate``; ``progress(generation, generations, threshold)``) and
    return its ``EstimationResult``."""
    from optuna.trial import TrialState

    cal = resolved.experiment.calibration
    if cal.method == "abc-smc":
        from ygt_abm.estimation.smc import estimate

        return estimate(resolved, out, executor, particle_sampler, progress)
    targets = load_targets(targets_file(resolved))  # a bad target file: before anything is created
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    study = open_study(resolved, out)
    complete = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
    while complete < cal.trials:
        study.sampler = trial_sampler(resolved, len(study.trials))
        trial = study.ask()
        values = {name: trial.suggest_float(name, low, high) for name, (low, high) in cal.search.items()}
        folder = out / "trials" / f"t{trial.number:04d}"
        kpis = run_experiment(with_values(resolved, values), folder, executor=executor)
        fit = experiment_fit(kpis, resolved, targets)
        write_csv(fit, folder / "fit.csv", float_format="%.6g")
        measured = fit[fit["mean"].notna()]
        trial.set_user_attr("within", int(measured["within"].astype(bool).sum()))
        trial.set_user_attr("measured", len(measured))
        study.tell(trial, loss(fit, cal.roles))
        complete += 1
        if progress is not None:
            progress(complete, cal.trials)
    return write_outputs(study, resolved, out)


def write_outputs(study, resolved: ResolvedExperiment, out: Path) -> CalibrationResult:
    """trials.csv, calibrated.yaml, ensemble.yaml and the best trial's fit (fit.md, fit.csv, fit.png)."""
    from optuna.trial import TrialState

    from ygt_abm.analysis.fit import fit_markdown
    from ygt_abm.figures.fit import fit_figure
    from ygt_abm.figures.save import FORMATS, save_figure

    names = list(resolved.experiment.calibration.search)
    done = sorted(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)), key=lambda t: t.number)
    trials = pd.DataFrame([{"trial": t.number, "loss": t.value, "within": t.user_attrs.get("within"),
                            "measured": t.user_attrs.get("measured"), **{n: t.params[n] for n in names}}
                           for t in done])
    write_csv(trials, out / "trials.csv", float_format="%.8g")
    best = min(done, key=lambda t: (t.value, t.number))
    fit = pd.read_csv(out / "trials" / f"t{best.number:04d}" / "fit.csv")
    write_csv(fit, out / "fit.csv", float_format="%.6g")
    markdown = fit_markdown(fit)
    write_atomic(out / "fit.md", lambda tmp: tmp.write_text(markdown, encoding="utf-8"))
    save_figure(fit_figure(fit), out / "fit", FORMATS)
    header = (f"# Calibrated by `ygt-abm calibrate` ({resolved.experiment.name}): trial {best.number} of "
              f"{len(done)}, loss {best.value:.4g}, {best.user_attrs.get('within')} of "
              f"{best.user_attrs.get('measured')} measured targets within tolerance (fit.md).\n"
              "# Use it as an experiment's `parameters:` (baseline targets only; reforms are for validation).\n")
    write_yaml({"parameters": Point("best", dict(best.params)).overrides()}, out / "calibrated.yaml", header)
    roles = resolved.experiment.calibration.roles
    ensemble = [dict(t.params) for t in done if fits(pd.read_csv(out / "trials" / f"t{t.number:04d}" / "fit.csv"), roles)]
    write_yaml({"ensemble": [Point("member", values).overrides() for values in ensemble]}, out / "ensemble.yaml",
               "# Every trial whose measured targets of the loss's roles are all within tolerance: the parameter "
               "sets an experiment\n# can run over (parameter uncertainty).\n")
    return CalibrationResult(trials, dict(best.params), fit, ensemble)
