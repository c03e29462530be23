"""Parameter uncertainty: an experiment runs over a calibrated ensemble, and a package's effect is reported
with replicate and parameter uncertainty apart and combined."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.analysis.uncertainty import ACROSS_COUNTIES, Z, last_year_rows, uncertainty_table
from ygt_abm.config.files import ConfigError
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.runner import run_experiment
from ygt_abm.figures.indicators import ensemble_bands
from ygt_abm.figures.results import plot_results
from ygt_abm.report import write_reports


def kpis(member_effects, noise, replicates=4):
    rows = []
    rng = np.random.default_rng(0)
    for m, effect in enumerate(member_effects):
        for r in range(replicates):
            base = 0.5 + rng.normal(0, noise)
            for scenario, value in (("baseline", base), ("reform", base + effect + rng.normal(0, noise))):
                rows.append({"scenario": scenario, "point": f"e{m:04d}", "replicate": r, "county": "C", "year": 1,
                             "metric": "primary_care_visit_share", "value": value})
    return pd.DataFrame(rows)


def test_members_that_disagree_make_the_parameter_interval_wide_and_replicates_do_not():
    row = uncertainty_table(kpis([0.1, 0.2, 0.3], 0.001), "baseline").iloc[0]
    assert row["mean"] == pytest.approx(0.2, abs=0.002) and row["members"] == 3 and row["replicates"] == 4
    assert row["parameter_share"] > 0.99
    assert row["parameter_high"] - row["parameter_low"] > 10 * (row["replicate_high"] - row["replicate_low"])
    assert row["combined_low"] <= row["parameter_low"] and row["combined_high"] >= row["parameter_high"]


def test_members_that_agree_leave_only_replicate_noise():
    row = uncertainty_table(kpis([0.2] * 30, 0.01, replicates=10), "baseline").iloc[0]
    assert row["parameter_share"] < 0.3  # what spread there is between members is replicate noise
    assert row["replicate_low"] < 0.2 < row["replicate_high"]


def test_the_figures_bands_over_an_ensemble_carry_the_spread_between_members():
    frame = kpis([0.1, 0.2, 0.3], 0.001)
    effect = ensemble_bands(frame, "baseline").iloc[0]
    assert effect["mean"] == pytest.approx(0.2, abs=0.002)
    assert effect["ci_low"] < 0.1 and effect["ci_high"] > 0.3  # not the replicate noise of a pooled mean
    levels = ensemble_bands(frame).set_index("scenario")
    assert levels.loc["reform", "ci_high"] - levels.loc["reform", "ci_low"] > 0.3


EXPERIMENT = """\
name: ensemble-small
seed: 5
replicates: 2
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 2}
reference: baseline
ensemble: ensemble.yaml
scenarios:
  - {name: baseline, policy: baseline}
  - name: budget
    interventions: [{type: global_budget, source: test}]
"""

ENSEMBLE = """\
ensemble:
  - choice: {usual_provider: 0.3}
    providers: {redirect_harm_yuan: 500.0}
  - choice: {usual_provider: 0.7}
    providers: {redirect_harm_yuan: 2000.0}
"""


def test_an_experiment_runs_every_member_of_an_ensemble_and_reports_the_effect_with_both_uncertainties(tmp_path):
    (tmp_path / "ensemble.yaml").write_text(ENSEMBLE, encoding="utf-8")
    config = tmp_path / "e.yaml"
    config.write_text(EXPERIMENT, encoding="utf-8")
    resolved = load_runnable_experiment(config)
    assert [p.name for p in resolved.points] == ["e0000", "e0001"]
    assert resolved.parameters("budget", "e0001").providers.redirect_harm_yuan == 2000.0
    kpis = run_experiment(resolved, tmp_path / "out")
    write_reports(resolved, tmp_path / "out", kpis, figure=False)
    table = pd.read_csv(tmp_path / "out" / "uncertainty.csv")
    assert set(table["scenario"]) == {"budget"} and (table["members"] == 2).all()
    assert {"replicate_low", "parameter_low", "combined_low", "parameter_share"} <= set(table.columns)
    assert "choice.usual_provider" in kpis.columns  # each row says its member's values
    drawn = {p.name for p in plot_results(resolved, tmp_path / "out", kpis)}
    assert {"main_indicators.png", "paired_differences.png", "uncertainty.png"} <= drawn


def test_a_missing_ensemble_file_is_reported_at_its_line(tmp_path):
    config = tmp_path / "e.yaml"
    config.write_text(EXPERIMENT, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(config)
    problem = info.value.problems[0]
    assert problem.line == 8 and problem.field == "ensemble" and "ensemble.yaml" in problem.message


def test_ensemble_size_runs_only_the_first_members_and_needs_an_ensemble(tmp_path):
    (tmp_path / "ensemble.yaml").write_text(ENSEMBLE + "  - choice: {usual_provider: 0.5}\n", encoding="utf-8")
    config = tmp_path / "e.yaml"
    config.write_text(EXPERIMENT + "ensemble_size: 2\n", encoding="utf-8")
    assert [p.name for p in load_runnable_experiment(config).points] == ["e0000", "e0001"]
    config.write_text(EXPERIMENT.replace("ensemble: ensemble.yaml\n", "") + "ensemble_size: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(config)
    assert "ensemble_size needs an ensemble" in str(info.value)


def test_a_replicates_luck_shared_by_every_member_is_not_taken_for_parameter_spread():
    # members run on the same seeds: replicate r's luck moves every member's effect alike
    rng = np.random.default_rng(1)
    luck = rng.normal(0, 0.05, size=8)
    rows = [{"scenario": s, "point": f"e{m:04d}", "replicate": r, "county": "C", "year": 1,
             "metric": "primary_care_visit_share",
             "value": 0.5 + (effect + luck[r] + rng.normal(0, 0.001) if s == "reform" else 0.0)}
            for m, effect in enumerate([0.1, 0.2, 0.3, 0.2]) for r in range(8) for s in ("baseline", "reform")]
    row = uncertainty_table(pd.DataFrame(rows), "baseline").iloc[0]
    assert row["sd_parameter"] == pytest.approx(np.std([0.1, 0.2, 0.3, 0.2], ddof=1), rel=0.05)
    assert row["sd_replicate"] == pytest.approx(np.std(luck, ddof=1), rel=0.1)  # one county's chance


def test_counties_run_on_their_own_add_their_geography_as_a_third_source():
    # four members on six counties, three replicates each: a county's geography moves every member's effect
    rng = np.random.default_rng(2)
    geography, members = rng.normal(0, 0.04, size=6), [0.1, 0.15, 0.2, 0.15]
    rows = [{"scenario": s, "point": f"e{m:04d}", "replicate": r, "county": f"County {c + 1}", "year": 1,
             "metric": "primary_care_visit_share",
             "value": 0.5 + (effect + geography[c] + rng.normal(0, 0.01) if s == "reform" else 0.0)}
            for m, effect in enumerate(members) for c in range(6) for r in range(3) for s in ("baseline", "reform")]
    table = uncertainty_table(pd.DataFrame(rows), "baseline")
    assert set(table["county"]) == {ACROSS_COUNTIES, *(f"County {c + 1}" for c in range(6))}
    per_county = table[table["county"] == "County 1"].iloc[0]
    assert per_county["counties"] == 1 and np.isnan(per_county["sd_county"])  # one county: no geography
    row = table[table["county"] == ACROSS_COUNTIES].iloc[0]
    assert row["counties"] == 6 and row["replicates"] == 3 and row["members"] == 4
    assert row["sd_replicate"] == pytest.approx(0.01, rel=0.25)  # chance: within one county and member
    assert row["sd_county"] == pytest.approx(np.std(geography, ddof=1), rel=0.25)
    assert row["sd_parameter"] == pytest.approx(np.std(members, ddof=1), rel=0.25)
    total = row["sd_replicate"] ** 2 + row["sd_county"] ** 2 + row["sd_parameter"] ** 2
    assert ((row["combined_high"] - row["mean"]) / Z) ** 2 == pytest.approx(total, rel=1e-9)
    assert row["county_share"] + row["parameter_share"] < 1  # chance takes the rest
    no_geography = pd.DataFrame(rows).assign(value=lambda f: np.where(
        f["scenario"] == "reform", f["value"] - geography[f["county"].str[-1].astype(int) - 1], f["value"]))
    flat = uncertainty_table(no_geography, "baseline").query("county == @ACROSS_COUNTIES").iloc[0]
    assert flat["sd_county"] < 0.01  # estimated near zero (or clipped at it)
    assert flat["combined_high"] - flat["combined_low"] >= flat["replicate_high"] - flat["replicate_low"]
    assert last_year_rows(table, ["primary_care_visit_share"])["county"].tolist() == [ACROSS_COUNTIES]


def test_one_replicate_gives_only_the_combined_spread():
    row = uncertainty_table(kpis([0.1, 0.2, 0.3], 0.001, replicates=1), "baseline").iloc[0]
    assert np.isnan(row["parameter_share"]) and np.isnan(row["sd_parameter"]) and np.isnan(row["replicate_low"])
    assert row["combined_low"] < 0.1 < 0.3 < row["combined_high"]


def test_an_ensemble_size_beyond_the_members_is_an_error_at_its_line(tmp_path):
    (tmp_path / "ensemble.yaml").write_text(ENSEMBLE, encoding="utf-8")
    config = tmp_path / "e.yaml"
    config.write_text(EXPERIMENT + "ensemble_size: 5\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(config)
    problem = info.value.problems[0]
    assert problem.field == "ensemble_size" and problem.line == 13 and "2 members" in problem.message
