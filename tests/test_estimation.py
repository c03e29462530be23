"""Estimation with a posterior (``method: abc-smc``): the configuration's errors at their lines, the distance
(0 inside a band, growing outside, each source weighing the same), the posterior's tables, a tiny ABC-SMC
run end to end on the training evaluations only, and a killed estimation resumed from its history equal to
one never interrupted."""

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyabc
import pytest
import yaml
from interruptions import Killed, killing_after
from typer.testing import CliRunner

from ygt_abm.analysis import evaluations as analysis_evaluations
from ygt_abm.cli import app
from ygt_abm.estimation.outputs import (
    NARROWED, PINNED, PRIOR, TOO_FEW, parameter_table, posterior_draws, prior_moments, weighted_quantile,
)
from ygt_abm.estimation.particles import particle_seed
from ygt_abm.estimation.smc import Estimation, EstimationError, _estimate_emulated, run_generations, run_id
from ygt_abm.estimation.statistics import (
    BASELINE, EVALUATION, UNMEASURED, Distance, Statistic, outcome_statistics, target_statistics,
)
from ygt_abm.experiment import evaluation_experiments

runner = CliRunner()
EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"

TINY = """\
name: tiny
seed: 5
replicates: 1
years: 1
warmup_years: 0
world: {kind: synthetic, population: 2000, townships: 2}
scenarios:
  - name: baseline
calibration:
  method: abc-smc
  search:
    providers.adjustment_rate: [0.25, 1.0]
    providers.redirect_harm_yuan: [300, 3000]
  log: [providers.redirect_harm_yuan]
  evaluations: training
  evaluations_file: evaluations.yaml
  particles: 2
  generations: GENERATIONS
  draws: 3
"""

#: one training evaluation the tiny county can run, and one of the other set the estimation must never read
EVALUATIONS = """\
evaluations:
  - id: a2020-gatekeeping
    set: training
    family: gatekeeping
    year: 2020
    citation: Someone A (2020) A journal 1:1
    setting: a county
    design: did
    period: {pre: [2018, 2019], post: [2020, 2021]}
    treated:
      interventions:
        - type: gatekeeping
          from_level: county
          reimbursement_cut: 0.6
          source: a study's methods
    outcomes:
      - indicator: [visits_per_capita_village, visits_per_capita_township]
        effect: relative
        years: [1]
        estimate: 0.553
        p: 0.001
        band: [0.224, 0.882]
        band_basis: p_value
        source: abstract
  - id: b2021-budget
    set: held-out
    family: global_budget
    year: 2021
    citation: Someone B (2021) A journal 1:1
    setting: a county
    design: did
    period: {pre: [2018, 2019], post: [2020, 2021]}
    treated:
      interventions:
        - type: global_budget
          source: a study's methods
    outcomes:
      - indicator: out_of_county_inpatient_share
        effect: difference
        years: [1]
        band: [null, 0]
        band_basis: sign
        source: abstract
"""


def write(folder: Path, generations: int = 2, extra: str = "") -> Path:
    (folder / "evaluations.yaml").write_text(EVALUATIONS, encoding="utf-8")
    config = folder / "tiny.yaml"
    config.write_text(TINY.replace("GENERATIONS", str(generations)) + extra, encoding="utf-8")
    return config


# ── configuration ──

def test_a_bad_estimation_config_is_reported_at_its_lines(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(TINY.replace("GENERATIONS", "2")
                      .replace("  log: [providers.redirect_harm_yuan]", "  log: [providers.redirect_harm_yua]\n  trials: 3")
                      .replace("particles: 2", "particles: 1"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2
    lines = {line.split(": ", 2)[1]: line for line in result.output.splitlines() if line.startswith(str(config))}
    assert lines["calibration.log"].startswith(f"{config}:14:") and "did you mean" in lines["calibration.log"]
    assert lines["calibration.trials"].startswith(f"{config}:15:") and "optuna only" in lines["calibration.trials"]
    assert lines["calibration.particles"].startswith(f"{config}:18:")


def test_estimation_fields_are_refused_for_optuna_and_the_other_set_is_not_a_choice(tmp_path):
    config = tmp_path / "bad.yaml"
    text = TINY.replace("GENERATIONS", "2").replace("  method: abc-smc\n", "")
    config.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2
    assert f"{config}:13: calibration.log: for method abc-smc only" in result.output
    assert f"{config}:14: calibration.evaluations: for method abc-smc only" in result.output
    config.write_text(TINY.replace("GENERATIONS", "2").replace("evaluations: training", "evaluations: all"),
                      encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2 and f"{config}:15: calibration.evaluations: Input should be 'training'" in result.output


def test_a_log_uniform_prior_needs_positive_bounds(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(TINY.replace("GENERATIONS", "2").replace("log: [providers.redirect_harm_yuan]",
                                                               "log: [providers.adjustment_rate]")
                      .replace("adjustment_rate: [0.25, 1.0]", "adjustment_rate: [0.0, 1.0]"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2 and f"{config}:14: calibration.log: providers.adjustment_rate: a log-uniform" in result.output


def test_no_roles_need_evaluations_to_fit_and_the_abc_smc_method(tmp_path):
    """Where the parameters searched cannot move the baseline (providers' responses, zero under fee-for-service),
    an estimation may fit the evaluations alone; something must be fitted, and Optuna fits the baseline."""
    config = tmp_path / "roles.yaml"
    (tmp_path / "evaluations.yaml").write_text(EVALUATIONS, encoding="utf-8")
    config.write_text(TINY.replace("GENERATIONS", "2").replace("  evaluations: training\n", "  roles: []\n"),
                      encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2 and "nothing to fit" in result.output
    config.write_text(TINY.replace("GENERATIONS", "2").replace("  evaluations: training\n", "  roles: []\n  evaluations: training\n"),
                      encoding="utf-8")
    assert runner.invoke(app, ["validate", str(config)]).exit_code == 0
    optuna = "\n".join(line for line in TINY.splitlines() if not line.startswith(("  method", "  log", "  evaluations",
                                                                                  "  particles", "  generations", "  draws")))
    config.write_text(optuna + "\n  roles: []\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2 and "calibration.roles: name at least one role" in result.output


def test_the_example_estimations_validate():
    for name in ("estimate-behaviour.yaml", "estimate-joint.yaml"):
        result = runner.invoke(app, ["validate", str(EXPERIMENTS / name)])
        assert result.exit_code == 0, result.output


def test_an_emulator_needs_a_design_of_a_few_points_and_is_for_abc_smc_only(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(TINY.replace("GENERATIONS", "2") + "  emulator: {design: 2, chek: 1}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2
    assert f"{config}:20: calibration.emulator.design: Input should be greater than or equal to 4" in result.output
    assert f"{config}:20: calibration.emulator.chek:" in result.output
    optuna = "\n".join(line for line in TINY.splitlines() if not line.startswith(("  method", "  log", "  evaluations",
                                                                                  "  particles", "  generations", "  draws")))
    config.write_text(optuna + "\n  emulator: {design: 8}\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(config)])
    assert result.exit_code == 2 and "calibration.emulator: for method abc-smc only" in result.output


# ── the distance ──

def band(low, high, estimate=None, key="effect: e [0]", group="e") -> Statistic:
    scale = (high - low) / 2 if low is not None and high is not None else (abs(estimate) if estimate else None)
    return Statistic(key, EVALUATION, group, low, high, estimate, scale, key)


def target(value=10.0, tolerance=2.0, key="target: t") -> Statistic:
    return Statistic(key, BASELINE, key, value - tolerance, value + tolerance, value, tolerance, key)


def test_an_outcome_costs_nothing_inside_its_band_and_more_the_further_outside():
    s = band(0.2, 0.6)
    assert [s.distance(x) for x in (0.2, 0.4, 0.6)] == [0.0, 0.0, 0.0]
    outside = [s.distance(x) for x in (0.65, 0.8, 1.0, 2.0)]
    assert outside == sorted(outside) and outside[0] > 0
    assert s.distance(0.8) == pytest.approx(1.0)  # one half-width beyond the edge costs what a tolerance does
    assert s.distance(0.0) == pytest.approx(1.0)  # the same below
    assert target().distance(12.0) == pytest.approx(1.0) and target().distance(10.0) == 0.0


def test_a_sign_band_is_scaled_by_the_estimate_or_costs_one_for_the_wrong_sign():
    with_estimate = band(0.0, None, estimate=0.5)
    assert with_estimate.distance(0.3) == 0.0 and with_estimate.distance(-0.5) == pytest.approx(1.0)
    assert with_estimate.distance(-1.0) > with_estimate.distance(-0.5)
    sign_only = band(None, 0.0)
    assert sign_only.distance(-3.0) == 0.0 and sign_only.distance(0.01) == 1.0 == sign_only.distance(9.0)
    assert band(0, 1).distance(math.nan) == UNMEASURED == band(0, 1).distance(math.inf)


def test_each_source_weighs_the_same_and_each_evaluation_the_same():
    statistics = [target(key="target: a"), target(key="target: b"),
                  band(0, 1, key="effect: one [0]", group="one"), band(0, 1, key="effect: one [1]", group="one"),
                  band(0, 1, key="effect: one [2]", group="one"), band(0, 1, key="effect: two [0]", group="two")]
    distance = Distance(statistics)
    fitted = {"target: a": 10.0, "target: b": 10.0, "effect: one [0]": 0.5, "effect: one [1]": 0.5,
              "effect: one [2]": 0.5, "effect: two [0]": 0.5}
    assert distance(fitted) == 0.0
    # one evaluation of three outcomes all off by a half-width counts as much as another's one outcome
    three_off = fitted | {"effect: one [0]": 1.5, "effect: one [1]": 1.5, "effect: one [2]": 1.5}
    one_off = fitted | {"effect: two [0]": 1.5}
    assert distance(three_off) == pytest.approx(distance(one_off)) == pytest.approx(0.5 * 0.5)
    # the baseline's two targets weigh, together, what the evaluations do
    assert distance(fitted | {"target: a": 12.0, "target: b": 12.0}) == pytest.approx(0.5)
    assert Distance(statistics[:2])(fitted | {"target: a": 12.0}) == pytest.approx(0.5)  # the baseline alone


def test_outcome_statistics_take_the_published_band(tmp_path):
    (tmp_path / "e.yaml").write_text(EVALUATIONS, encoding="utf-8")
    from ygt_abm.config.evaluations import training_evaluations
    from ygt_abm.experiment.loading import intervention_schemas

    training = training_evaluations(intervention_schemas(), tmp_path / "e.yaml")
    [s] = outcome_statistics(training)
    assert (s.low, s.high, s.value) == (0.224, 0.882, 0.553) and s.scale == pytest.approx(0.329)
    assert s.key == "effect: a2020-gatekeeping [0]"
    sign = training[0].model_copy(update={"outcomes": [training[0].outcomes[0].model_copy(
        update={"band": (0.0, None), "band_basis": "sign", "estimate": 0.44})]})
    assert outcome_statistics([sign])[0].scale == 0.44  # an estimate on the effect's scale
    other_scale = sign.model_copy(update={"outcomes": [sign.outcomes[0].model_copy(
        update={"scale": "change in the monthly trend (ITS)"})]})
    [s] = outcome_statistics([other_scale])
    assert s.scale is None and s.distance(-0.001) == 1.0 == s.distance(-5.0)  # the wrong sign, whatever its size


def test_other_roles_are_left_out_and_elasticities_unless_the_runs_measure_them():
    targets = [SimpleNamespace(name="a", role="calibrated", measure="value", value=1.0, tolerance=0.1),
               SimpleNamespace(name="b", role="calibrated", measure="elasticity", value=-0.2, tolerance=0.1,
                               kind="inpatient", level="county"),
               SimpleNamespace(name="c", role="check", measure="value", value=1.0, tolerance=0.1)]
    assert [s.group for s in target_statistics(targets, ["calibrated"])] == ["a"]
    assert [s.group for s in target_statistics(targets, ["calibrated"], {("inpatient", "county")})] == ["a", "b"]
    assert [s.group for s in target_statistics(targets, ["calibrated"], {("outpatient", "county")})] == ["a"]


# ── the posterior's tables ──

def test_weighted_quantiles_and_prior_moments():
    x = np.array([3.0, 1.0, 2.0])
    assert weighted_quantile(x, np.ones(3), 0.5) == 2.0
    assert weighted_quantile(x, np.array([0.0, 0.0, 1.0]), 0.5) == 2.0
    rng = np.random.default_rng(0)
    sample = np.exp(rng.uniform(np.log(300), np.log(3000), 200_000))
    mean, sd = prior_moments(300, 3000, True)
    assert mean == pytest.approx(sample.mean(), rel=0.01) and sd == pytest.approx(sample.std(), rel=0.01)
    assert prior_moments(0, 1, False) == pytest.approx((0.5, 1 / math.sqrt(12)))


def test_a_parameter_is_pinned_narrowed_or_left_at_its_prior_by_its_sd_ratio():
    rng = np.random.default_rng(1)
    n = 4000
    posterior = pd.DataFrame({"prior": rng.uniform(0, 1, n), "narrow": rng.normal(0.5, 0.05, n),
                              "middle": rng.uniform(0.2, 0.8, n), "weight": np.full(n, 1 / n)})
    priors = {"prior": (0.0, 1.0, False), "narrow": (0.0, 1.0, False), "middle": (0.0, 1.0, False)}
    verdicts = parameter_table(posterior, priors).set_index("parameter")["verdict"].to_dict()
    assert verdicts == {"prior": PRIOR, "narrow": PINNED, "middle": NARROWED}
    few = posterior.iloc[:12].assign(weight=[0.9] + [0.1 / 11] * 11)  # one particle carries nearly all weight
    assert set(parameter_table(few, priors)["verdict"]) == {TOO_FEW}
    draws = posterior_draws(posterior, list(priors), 5, seed=3)
    assert draws == posterior_draws(posterior, list(priors), 5, seed=3) and len(draws) == 5


# ── reproducibility and resuming, on a model of no cost ──

def cheap(parameters) -> dict[str, float]:
    """A stochastic model whose noise is a function of its parameters, as a particle's runs are."""
    rng = np.random.default_rng(particle_seed(0, dict(parameters)) % 2**32)
    return {"target: x": parameters["a.b"] + 0.1 * parameters["c"] + rng.normal(0, 0.05)}


def cheap_estimation() -> Estimation:
    statistics = [target(1.0, 0.1, key="target: x")]
    return Estimation({"a.b": (0.0, 2.0, False), "c": (0.1, 10.0, True)}, statistics, Distance(statistics), None,
                      [], 7, "cheap")


def cheap_experiment(generations: int):
    calibration = SimpleNamespace(particles=8, quantile=0.5, generations=generations, min_epsilon=0.0, storage=None)
    return SimpleNamespace(experiment=SimpleNamespace(calibration=calibration))


def last_generation(history, t: int | None = None) -> pd.DataFrame:
    """A generation's particles (values and weights) in the order of their values."""
    frame, weights = history.get_distribution(m=0, t=history.max_t if t is None else t)
    return frame.assign(weight=weights).sort_values(list(frame.columns)).reset_index(drop=True)


def test_thresholds_fall_and_a_run_killed_mid_generation_resumes_to_the_same_posterior(tmp_path):
    whole = run_generations(cheap_estimation(), cheap_experiment(3), tmp_path / "whole", model=cheap)
    epsilons = whole.get_all_populations().set_index("t")["epsilon"]
    assert math.isinf(epsilons[0]) and epsilons[1] > epsilons[2]  # generation 0 is the prior; then it narrows
    with pytest.raises(Killed):  # killed during generation 1 (generation 0 took 8 calls)
        run_generations(cheap_estimation(), cheap_experiment(3), tmp_path / "cut", model=killing_after(11, cheap))
    assert pyabc.History(f"sqlite:///{tmp_path / 'cut' / 'abc.db'}", _id=1).max_t == 0
    resumed = run_generations(cheap_estimation(), cheap_experiment(3), tmp_path / "cut", model=cheap)
    pd.testing.assert_frame_equal(last_generation(resumed), last_generation(whole))
    assert resumed.max_t == 2


def test_an_emulated_estimation_finds_where_the_model_meets_its_target(tmp_path):
    """On the model of no cost, whose statistic is a + 0.1 c plus noise against a target of 1 ± 0.1: the
    emulator, fitted to 16 design points, leads ABC-SMC to parameters where the expected statistic is within
    the tolerance, and the check's real runs there agree."""
    estimation = cheap_estimation()
    estimation.design_digest = "cheap-design"
    calibration = SimpleNamespace(particles=100, quantile=0.5, generations=8, min_epsilon=0.0, storage=None,
                                  draws=10, emulator=SimpleNamespace(design=16, check=10))
    experiment = SimpleNamespace(experiment=SimpleNamespace(calibration=calibration, name="cheap", seed=7))
    estimation.model = cheap
    result = _estimate_emulated(estimation, experiment, tmp_path, None, None)
    posterior = result.posterior
    expected = posterior["a.b"] + 0.1 * posterior["c"]
    assert abs(np.average(expected, weights=posterior["weight"]) - 1.0) < 0.1
    assert result.parameters.set_index("parameter").loc["a.b", "sd_ratio"] < 0.5  # the prior spans 0 to 2
    check = pd.read_csv(tmp_path / "training-fit.csv")
    assert check.loc[0, "share_within"] >= 0.8  # real runs at the posterior's draws meet the target


def test_a_history_of_another_estimation_is_not_resumed(tmp_path):
    run_generations(cheap_estimation(), cheap_experiment(1), tmp_path, model=cheap)
    with pytest.raises(EstimationError, match="another estimation"):
        run_id(f"sqlite:///{tmp_path / 'abc.db'}", "other")


def test_the_scenario_names_of_an_evaluation_agree_with_its_measurement():
    assert (evaluation_experiments.CONTROL, evaluation_experiments.TREATED) == (
        analysis_evaluations.CONTROL, analysis_evaluations.TREATED)


# ── end to end on a tiny county ──

def test_a_tiny_estimation_writes_its_outputs_reads_training_only_and_resumes(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["calibrate", str(write(tmp_path, 1)), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    history = pyabc.History(f"sqlite:///{out / 'abc.db'}", _id=1)
    first = last_generation(history)
    result = runner.invoke(app, ["calibrate", str(write(tmp_path, 2)), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    history = pyabc.History(f"sqlite:///{out / 'abc.db'}", _id=1)
    assert history.max_t == 1  # went on from the first generation, which was kept as it was
    pd.testing.assert_frame_equal(last_generation(history, 0), first)
    posterior = pd.read_csv(out / "posterior.csv")
    assert len(posterior) == 2 and posterior["weight"].sum() == pytest.approx(1.0)
    assert set(posterior.columns) >= {"providers.adjustment_rate", "providers.redirect_harm_yuan", "distance"}
    parameters = pd.read_csv(out / "parameters.csv")
    assert list(parameters["parameter"]) == ["providers.adjustment_rate", "providers.redirect_harm_yuan"]
    assert set(parameters["verdict"]) == {TOO_FEW}  # two particles tell nothing, however close they are
    fit = pd.read_csv(out / "training-fit.csv")
    assert set(fit["group"][fit["source"] == EVALUATION]) == {"a2020-gatekeeping"}  # training only
    assert (fit["source"] == BASELINE).sum() >= 1
    assert [p.name for p in (out / "evaluations").iterdir()] == ["recorded-1-years.yaml"]
    arms = yaml.safe_load((out / "evaluations" / "recorded-1-years.yaml").read_text(encoding="utf-8"))["scenarios"]
    assert [arm["name"] for arm in arms] == ["a2020-gatekeeping_control", "a2020-gatekeeping_treated"]
    assert "ensemble:" in (out / "posterior.yaml").read_text(encoding="utf-8")
    assert (out / "posterior.png").is_file() and (out / "parameters.md").is_file() and (out / "training-fit.md").is_file()
    assert not (out / "particles").exists()  # no particle's runs stay on disk
    # an experiment runs over the posterior's draws
    (tmp_path / "over.yaml").write_text("name: over\nseed: 1\nreplicates: 1\nyears: 1\nscenarios:\n  - name: b\n"
                                        "ensemble: out/posterior.yaml\n", encoding="utf-8")
    assert runner.invoke(app, ["validate", str(tmp_path / "over.yaml")]).exit_code == 0


def test_an_emulated_estimation_simulates_its_design_and_checks_then_resumes_without_a_run(tmp_path):
    """The design's points and the posterior's check are simulated; the ABC-SMC samples the emulator; a rerun
    with more generations simulates nothing again and keeps the design."""
    emulated = "  emulator: {design: 5, check: 2}\n"
    out = tmp_path / "out"
    config = write(tmp_path, 2, emulated).read_text(encoding="utf-8").replace("particles: 2", "particles: 30")
    (tmp_path / "tiny.yaml").write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["calibrate", str(tmp_path / "tiny.yaml"), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "design point 5/5" in result.output and "posterior check 2/2" in result.output
    design = pd.read_csv(out / "design.csv")
    assert len(design) == 5 and design["providers.adjustment_rate"].between(0.25, 1.0).all()
    assert len(pd.read_csv(out / "check.csv")) == 2
    assert len(pd.read_csv(out / "posterior.csv")) == 30
    fit = pd.read_csv(out / "training-fit.csv")  # from the check's runs
    assert set(fit["group"][fit["source"] == EVALUATION]) == {"a2020-gatekeeping"}
    assert "emulator_within_90" in fit and (out / "emulated-fit.md").is_file()
    assert len(pd.read_csv(out / "emulator.csv")) == len(fit)  # a process per fitted statistic
    before = (out / "design.csv").read_bytes()
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "design").iterdir()}
    (tmp_path / "tiny.yaml").write_text(config.replace("generations: 2", "generations: 3"), encoding="utf-8")
    result = runner.invoke(app, ["calibrate", str(tmp_path / "tiny.yaml"), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "design point" not in result.output  # the design is not simulated again; the new posterior's check is
    assert "posterior check 2/2" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in (out / "design").iterdir()} == stamps
    assert (out / "design.csv").read_bytes() == before
    assert pyabc.History(f"sqlite:///{out / 'abc.db'}", _id=1).max_t == 2


def test_an_emulated_estimation_refuses_parallel_particles(tmp_path):
    config = write(tmp_path, 1, "  emulator: {design: 5}\n")
    result = runner.invoke(app, ["calibrate", str(config), "--out", str(tmp_path / "out"), "--workers", "2",
                                 "--parallel", "particles"])
    assert result.exit_code == 2 and "design points over --workers" in result.output
    assert not (tmp_path / "out").exists()


def test_a_training_evaluation_that_fixes_an_estimated_parameter_is_refused(tmp_path):
    config = write(tmp_path, 1)
    text = (tmp_path / "evaluations.yaml").read_text(encoding="utf-8").replace(
        "    treated:\n      interventions:\n        - type: gatekeeping",
        "    overrides: {providers: {adjustment_rate: 0.5}}\n    treated:\n      interventions:\n        - type: gatekeeping")
    (tmp_path / "evaluations.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["calibrate", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "a2020-gatekeeping sets providers.adjustment_rate" in result.output



def test_a_particle_measures_the_elasticity_targets_where_the_experiment_raises_a_price(tmp_path):
    from ygt_abm.estimation.smc import build
    from ygt_abm.experiment.loading import load_runnable_experiment

    price = ("  - name: county-inpatient-plus-10\n    interventions:\n      - {type: price_adjustment, "
             "inpatient_change: {county: 0.1}, source: test}\n")
    config = write(tmp_path, 1)
    config.write_text(config.read_text(encoding="utf-8").replace("  - name: baseline\n", "  - name: baseline\n" + price)
                      .replace("population: 2000", "population: 6000"), encoding="utf-8")
    estimation = build(load_runnable_experiment(config), tmp_path / "out")
    key = "target: county-hospital inpatient price elasticity"
    assert key in {s.key for s in estimation.statistics}
    statistics = estimation.model({"providers.adjustment_rate": 0.5, "providers.redirect_harm_yuan": 1000.0})
    assert statistics[key] < 0  # dearer county admissions, fewer of them
    village = "target: village-clinic outpatient price elasticity"
    assert village not in {s.key for s in estimation.statistics}  # no scenario measures it: not fitted
