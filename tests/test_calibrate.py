"""Calibration: Optuna searches the named parameters for the baseline closest to the targets, resumes from
its storage, and writes the calibrated parameters, the ensemble and the fit."""

import textwrap

import optuna
import pandas as pd
import pytest
from typer.testing import CliRunner

from ygt_abm.cli import app
from ygt_abm.config.params import ModelParameters
from ygt_abm.calibrate import calibrate, open_study
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.runner import run_experiment

KNOWN = 9.0  # chronic follow-ups a year the "real" county has; the calibration must find it again

EXPERIMENT = """\
name: recover
seed: 3
replicates: 1
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
calibration:
  targets: targets.yaml
  search:
    illness.chronic_followups_per_year: [2.0, 16.0]
  trials: TRIALS
  sampler: tpe
"""


@pytest.fixture(scope="module")
def synthetic_targets(tmp_path_factory):
    """Targets simulated with the known value (the same county and seed), then forgotten."""
    folder = tmp_path_factory.mktemp("truth")
    truth = folder / "truth.yaml"
    truth.write_text(EXPERIMENT.split("calibration:")[0] + f"parameters:\n  illness:\n    chronic_followups_per_year: "
                     f"{KNOWN}\n", encoding="utf-8")
    kpis = run_experiment(load_runnable_experiment(truth), folder / "out")
    visits = kpis[kpis["metric"] == "visits_per_capita"]["value"].mean()
    return textwrap.dedent(f"""\
        calibration_targets:
          - name: visits per person per year
            indicator: visits_per_capita
            value: {visits}
            tolerance: 0.1
            source: simulated with chronic_followups_per_year = {KNOWN}
            role: calibrated
            by: the test
        """)


def write(folder, trials: int, targets: str):
    (folder / "targets.yaml").write_text(targets, encoding="utf-8")
    config = folder / "recover.yaml"
    config.write_text(EXPERIMENT.replace("TRIALS", str(trials)), encoding="utf-8")
    return config


def test_calibration_recovers_a_known_parameter_from_targets_it_produced(tmp_path, synthetic_targets):
    assert ModelParameters().illness.chronic_followups_per_year != KNOWN
    config = write(tmp_path, 20, synthetic_targets)  # TPE needs about 20 trials to land within the tolerance
    result = CliRunner().invoke(app, ["calibrate", str(config), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    best = pd.read_csv(tmp_path / "out" / "trials.csv").sort_values("loss").iloc[0]
    assert best["illness.chronic_followups_per_year"] == pytest.approx(KNOWN, abs=1.5)
    calibrated = (tmp_path / "out" / "calibrated.yaml").read_text(encoding="utf-8")
    assert "parameters:" in calibrated and "chronic_followups_per_year" in calibrated
    fit = pd.read_csv(tmp_path / "out" / "fit.csv")
    assert fit["within"].all()  # the best trial meets the target
    assert "ensemble:" in (tmp_path / "out" / "ensemble.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "fit.png").is_file()


def test_a_calibration_killed_mid_trial_resumes_from_its_storage_and_finishes(tmp_path, synthetic_targets):
    out = tmp_path / "out"
    calibrate(load_runnable_experiment(write(tmp_path, 2, synthetic_targets)), out)
    first = sorted(p.stat().st_mtime_ns for p in (out / "trials").rglob("*.parquet"))
    resolved = load_runnable_experiment(write(tmp_path, 4, synthetic_targets))
    cut = open_study(resolved, out).ask()  # a trial asked and never told: the process was killed
    cut.suggest_float("illness.chronic_followups_per_year", 2.0, 16.0)
    result = calibrate(resolved, out)
    study = optuna.load_study(study_name="recover", storage=f"sqlite:///{out / 'study.db'}")
    states = [t.state for t in study.trials]
    assert states.count(optuna.trial.TrialState.COMPLETE) == 4 and len(result.trials) == 4
    assert states.count(optuna.trial.TrialState.FAIL) == 1  # the cut trial, run again with the same value
    assert cut.params in [t.params for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    # the trials finished before the kill were not run again
    assert sorted(p.stat().st_mtime_ns for p in (out / "trials").rglob("*.parquet"))[:len(first)] == first


def test_a_resumed_random_search_proposes_what_an_uninterrupted_one_does(tmp_path, synthetic_targets):
    """Each trial's sampler is seeded from the experiment's seed and the trial's number: a study resumed with
    more trials goes on with new values, never trial 0's again."""
    def values(folder, steps):
        for trials in steps:
            config = write(folder, trials, synthetic_targets)
            config.write_text(config.read_text(encoding="utf-8").replace("sampler: tpe", "sampler: random"),
                              encoding="utf-8")
            calibrate(load_runnable_experiment(config), folder / "out")
        return pd.read_csv(folder / "out" / "trials.csv")["illness.chronic_followups_per_year"].tolist()

    (tmp_path / "once").mkdir()
    (tmp_path / "twice").mkdir()
    uninterrupted, resumed = values(tmp_path / "once", [3]), values(tmp_path / "twice", [1, 3])
    assert resumed == uninterrupted and len(set(uninterrupted)) == 3


def test_a_study_made_with_another_configuration_is_refused(tmp_path, synthetic_targets):
    config = write(tmp_path, 1, synthetic_targets)
    assert CliRunner().invoke(app, ["calibrate", str(config), "--out", str(tmp_path / "out"), "--workers", "1"]
                              ).exit_code == 0
    config.write_text(config.read_text(encoding="utf-8").replace("[2.0, 16.0]", "[3.0, 16.0]"), encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", str(config), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 1 and "made with another configuration" in result.output
    assert len(pd.read_csv(tmp_path / "out" / "trials.csv")) == 1  # the first study's trials, not mixed


def test_calibrate_needs_a_calibration_section(tmp_path):
    config = tmp_path / "plain.yaml"
    config.write_text(EXPERIMENT.split("calibration:")[0], encoding="utf-8")
    result = CliRunner().invoke(app, ["calibrate", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "no calibration section" in result.output


PRICE_SCENARIO = """\
  - name: county-inpatient-plus-10
    interventions:
      - {type: price_adjustment, inpatient_change: {county: 0.1}, source: "test: price elasticity"}
"""

ELASTICITY_TARGET = """\
  - name: county-hospital inpatient price elasticity
    measure: elasticity
    kind: inpatient
    level: county
    value: -0.37
    tolerance: 10.0
    source: the test
    role: calibrated
    by: the test
"""


def test_a_calibration_measures_its_elasticity_targets_from_scenarios_that_raise_one_price(tmp_path, synthetic_targets):
    config = write(tmp_path, 1, synthetic_targets + ELASTICITY_TARGET)
    text = config.read_text(encoding="utf-8").replace("  - name: baseline\n", "  - name: baseline\n" + PRICE_SCENARIO)
    config.write_text(text.replace("population: 3000", "population: 6000"), encoding="utf-8")
    calibrate(load_runnable_experiment(config), tmp_path / "out")
    fit = pd.read_csv(tmp_path / "out" / "fit.csv").set_index("target")
    elasticity = fit.loc["county-hospital inpatient price elasticity"]
    assert elasticity["n"] == 1 and elasticity["mean"] < 0  # dearer county admissions: fewer of them
    # the baseline targets are the baseline's alone: the dearer scenario's runs are not pooled into them
    assert fit.loc["visits per person per year", "n"] == 1


def test_a_calibration_refuses_other_scenarios_than_single_price_rises(tmp_path, synthetic_targets):
    config = write(tmp_path, 1, synthetic_targets)
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - name: baseline\n", "  - name: baseline\n  - name: anhui\n    policy: anhui\n"),
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(config)])
    assert result.exit_code == 2 and "raise one price at one level" in result.output and "anhui" in result.output
    config.write_text(text.replace("  - name: baseline\n", "  - name: baseline\n" + PRICE_SCENARIO), encoding="utf-8")
    assert CliRunner().invoke(app, ["validate", str(config)]).exit_code == 0
