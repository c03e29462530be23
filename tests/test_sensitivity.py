"""Sensitivity analysis: SALib's designs and indices wired through the experiment's samples, checked on
functions whose indices are known, and end to end on a small county."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ygt_abm.analysis.sensitivity import morris_indices, sobol_indices
from ygt_abm.cli import app
from ygt_abm.config.design import Point, salib_problem, sensitivity_samples
from ygt_abm.config.experiment import Samples
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.figures.results import plot_results


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_the_saltelli_design_reproduces_the_known_sobol_indices_of_the_ishigami_function():
    samples = Samples(method="saltelli", n=1024, bounds={f"x{i}": (-np.pi, np.pi) for i in range(3)})
    x = sensitivity_samples(samples, np.random.default_rng(1))
    assert x.shape == (1024 * 5, 3)
    table = sobol_indices(salib_problem(samples), ishigami(x), False, seed=1).set_index(["parameter", "index"])
    known = {("x0", "S1"): 0.314, ("x1", "S1"): 0.442, ("x2", "S1"): 0.0,
             ("x0", "ST"): 0.558, ("x1", "ST"): 0.442, ("x2", "ST"): 0.244}
    for key, value in known.items():
        assert table.loc[key, "value"] == pytest.approx(value, abs=0.05), key
        assert table.loc[key, "ci_low"] <= table.loc[key, "value"] <= table.loc[key, "ci_high"]


def test_morris_screening_ranks_parameters_by_their_effect_over_their_range():
    samples = Samples(method="morris", n=20, bounds={"a": (0.0, 1.0), "b": (0.0, 10.0), "c": (0.0, 1.0)})
    x = sensitivity_samples(samples, np.random.default_rng(2))
    assert x.shape == (20 * 4, 3)
    y = 3.0 * x[:, 0] + 0.1 * x[:, 1] + 0.0 * x[:, 2]  # over their ranges: a moves y by 3, b by 1, c by 0
    mu_star = morris_indices(salib_problem(samples), x, y, 4, seed=2).query("index == 'mu_star'")
    mu_star = mu_star.set_index("parameter")["value"]
    assert mu_star["a"] == pytest.approx(3.0) and mu_star["b"] == pytest.approx(1.0) and mu_star["c"] == 0.0


def test_the_same_seed_gives_the_same_design():
    samples = Samples(method="morris", n=4, bounds={"a": (0.0, 1.0), "b": (1.0, 2.0)})
    first = sensitivity_samples(samples, np.random.default_rng(3))
    assert np.array_equal(first, sensitivity_samples(samples, np.random.default_rng(3)))


EXPERIMENT = """\
name: morris-small
seed: 11
replicates: 1
years: 1
warmup_years: 1
world: {kind: synthetic, population: 4000, townships: 2}
reference: baseline
scenarios:
  - {name: baseline, policy: baseline}
  - name: budget
    interventions: [{type: global_budget, source: test}]
samples:
  method: morris
  n: 2
  bounds:
    providers.redirect_harm_yuan: [300, 3000]
    choice.usual_provider: [0.2, 0.8]
    levers.global_budget.retained_share: [0.0, 1.0]
"""


def test_ygt_abm_sensitivity_runs_the_design_and_writes_indices_for_levels_and_effects(tmp_path):
    config = tmp_path / "morris.yaml"
    config.write_text(EXPERIMENT, encoding="utf-8")
    result = CliRunner().invoke(app, ["sensitivity", str(config), "--out", str(tmp_path / "out"), "--workers", "1",
                                      "--no-figure"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "sensitivity.csv")
    assert set(table["parameter"]) == {"providers.redirect_harm_yuan", "choice.usual_provider",
                                       "levers.global_budget.retained_share"}
    # a lever strength acts on the package only: at baseline its elementary effects are exactly zero
    lever = table[(table["parameter"] == "levers.global_budget.retained_share") & (table["index"] == "mu_star")]
    assert (lever[lever["scenario"] == "baseline"]["value"] == 0).all()
    assert lever[lever["measure"] == "effect"]["value"].max() > 0
    assert set(table["measure"]) == {"level", "effect"} and set(table["index"]) == {"mu_star", "mu", "sigma"}
    assert (table.loc[table["index"] == "mu_star", "value"] >= 0).all()
    kpis = pd.read_parquet(tmp_path / "out" / "kpis.parquet")
    assert "providers.redirect_harm_yuan" in kpis.columns  # each row says its parameter values
    drawn = {path.name for path in plot_results(load_runnable_experiment(config), tmp_path / "out", kpis)}
    assert "sensitivity.png" in drawn and "main_indicators.png" not in drawn  # indices, not a line per point


def test_a_lever_strength_sets_that_parameter_of_every_intervention_of_its_type():
    point = Point("s0000", {"levers.global_budget.retained_share": 0.25, "choice.usual_provider": 0.5})
    specs = [{"type": "global_budget", "retained_share": 1.0}, {"type": "case_payment"}]
    assert point.apply_to(specs) == [{"type": "global_budget", "retained_share": 0.25}, {"type": "case_payment"}]
    assert point.overrides() == {"choice": {"usual_provider": 0.5}}  # lever strengths are not model parameters


def test_a_design_that_is_not_for_sensitivity_is_refused(tmp_path):
    config = tmp_path / "lhs.yaml"
    config.write_text(EXPERIMENT.replace("method: morris", "method: latin_hypercube"), encoding="utf-8")
    result = CliRunner().invoke(app, ["sensitivity", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "morris or saltelli" in result.output


def _tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def test_a_sensitivity_study_killed_mid_way_resumes_to_the_uninterrupted_result_and_refuses_another(tmp_path):
    """Killed with SIGKILL mid-design, the study resumes (finished runs kept) to byte for byte the indices and
    tables of an uninterrupted one; resumed with another configuration (a bound changed) it is refused and the
    folder is left as it was."""
    config = tmp_path / "morris.yaml"
    config.write_text(EXPERIMENT, encoding="utf-8")
    def command(experiment, out):
        return [sys.executable, "-m", "ygt_abm.cli", "sensitivity", str(experiment), "--workers", "1", "--no-figure",
                "--out", str(out)]

    killed = tmp_path / "killed"
    proc = subprocess.Popen(command(config, killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    runs = killed / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(runs.rglob("rep-*.parquet"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = sorted(runs.rglob("rep-*.parquet"))
    assert 3 <= len(finished) < 16, "the kill must land mid-design"  # 8 Morris points × 2 scenarios
    assert not (killed / "sensitivity.csv").exists()

    other = tmp_path / "other.yaml"
    other.write_text(EXPERIMENT.replace("[0.2, 0.8]", "[0.3, 0.8]"), encoding="utf-8")
    before = _tree(killed)
    refused = subprocess.run(command(other, killed), capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "different experiment configuration" in refused.stderr, refused.stderr
    assert _tree(killed) == before

    mtimes = {p: p.stat().st_mtime_ns for p in finished}
    resumed = subprocess.run(command(config, killed), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert all(p.stat().st_mtime_ns == t for p, t in mtimes.items())  # finished runs were not run again
    uninterrupted = tmp_path / "uninterrupted"
    subprocess.run(command(config, uninterrupted), check=True, capture_output=True, timeout=300)
    for name in ("sensitivity.csv", "kpis.parquet", "summary.csv", "paired_differences.csv"):
        assert (killed / name).read_bytes() == (uninterrupted / name).read_bytes(), name
