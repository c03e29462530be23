"""The fit table: each target measured as the baseline's runs measure it, with its interval, and within its
tolerance or not."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.analysis.fit import fit_markdown, fit_table
from ygt_abm.baseline_fit import HEADER, world_experiment
from ygt_abm.config.targets import CalibrationTarget, load_targets
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.results.store import write_yaml


def kpis(values: dict[str, list[float]], runs: int = 3) -> pd.DataFrame:
    """Runs whose indicators take ``values`` year by year, plus a run-specific offset of ±0.01."""
    rows = []
    for r in range(runs):
        for metric, by_year in values.items():
            for year, value in enumerate(by_year, start=1):
                rows.append({"scenario": "baseline", "point": "base", "replicate": r, "county": "C", "year": year,
                             "metric": metric, "value": value + 0.01 * (r - 1)})
    return pd.DataFrame(rows)


def target(**fields) -> CalibrationTarget:
    return CalibrationTarget(**{"name": "a target", "value": 0.5, "tolerance": 0.05, "source": "test",
                                "role": "check", **fields})


def test_a_level_target_averages_each_runs_years_and_says_whether_it_is_within_tolerance():
    data = kpis({"primary_care_visit_share": [0.50, 0.52, 0.54]})
    table = fit_table(data, [target(indicator="primary_care_visit_share"),
                             target(indicator="primary_care_visit_share", value=0.60)])
    assert table["mean"].tolist() == pytest.approx([0.52, 0.52]) and table["n"].tolist() == [3, 3]
    assert table["within"].tolist() == [True, False]
    assert (table["ci_low"] < 0.52).all() and (table["ci_high"] > 0.52).all()


def test_a_share_of_a_sum_and_a_drift_are_measured_run_by_run():
    data = kpis({"visits_per_capita_village": [1.0, 1.0, 1.0, 1.0], "visits_per_capita_county": [3.0, 3.0, 3.0, 3.0],
                 "in_county_visit_rate": [0.80, 0.81, 0.82, 0.83]})
    share = target(indicator="visits_per_capita_village", of=["visits_per_capita_village", "visits_per_capita_county"],
                   value=0.25)
    drift = target(indicator="in_county_visit_rate", measure="drift", value=0.0, tolerance=0.005)
    table = fit_table(data, [share, drift])
    assert table.loc[0, "mean"] == pytest.approx(0.25, abs=0.003) and table.loc[0, "within"]
    assert table.loc[1, "mean"] == pytest.approx(0.02) and not table.loc[1, "within"]  # last two − first two


def test_elasticities_come_from_the_experiments_table_or_are_not_measured():
    elasticity = target(measure="elasticity", kind="outpatient", level="village", value=-1.5, tolerance=0.45)
    alone = fit_table(kpis({"visits_per_capita": [6.0]}), [elasticity])
    assert np.isnan(alone.loc[0, "mean"]) and alone.loc[0, "n"] == 0 and "not measured" in fit_markdown(alone)
    table = pd.DataFrame([{"scenario": "dearer", "kind": "outpatient", "level": "village", "point": "base",
                           "county": "C", "year": 1, "mean": -1.4, "sd": 0.1, "n": 8, "ci_low": -1.5,
                           "ci_high": -1.3}])
    measured = fit_table(kpis({"visits_per_capita": [6.0]}), [elasticity], table)
    assert measured.loc[0, "mean"] == -1.4 and measured.loc[0, "within"] and "✓" in fit_markdown(measured)


def test_a_growth_target_is_the_mean_yearly_relative_change():
    data = kpis({"village_doctors": [1000.0, 950.0, 902.5]}, runs=1)  # −5% a year (the offset is 0.01 × −1)
    table = fit_table(data, [target(indicator="village_doctors", measure="growth", value=-0.05, tolerance=0.01)])
    assert table.loc[0, "mean"] == pytest.approx(-0.05, abs=1e-4) and table.loc[0, "within"]


def test_the_shipped_targets_name_their_sources_and_what_was_fitted_to_them():
    targets = load_targets()
    assert len(targets) >= 15
    assert all(t.source for t in targets)
    assert all(t.by for t in targets if t.role == "calibrated")
    assert {t.measure for t in targets} == {"value", "drift", "growth", "elasticity"}


def test_a_target_measured_nowhere_or_calibrated_by_nothing_is_refused():
    with pytest.raises(ValueError, match="expected an indicator"):
        target()
    with pytest.raises(ValueError, match="names what was fitted"):
        target(indicator="visits_per_capita", role="calibrated")


TARGET = """\
  - name: visits per person per year
    indicator: visits_per_capita
    value: 6.4
    tolerance: 0.4
    source: national bulletins
    role: check
"""


@pytest.mark.parametrize("extra, line, field, message", [
    (TARGET, 8, "calibration_targets[1].name", "is already calibration_targets[0]"),
    ("    of: []\n", 8, "calibration_targets[0].of", "at least 1 item"),
    ("    of: [visits_per_capta]\n", 8, "calibration_targets[0].of", "did you mean 'visits_per_capita'"),
])
def test_two_targets_of_one_name_and_a_bad_of_are_refused_at_their_line(tmp_path, extra, line, field, message):
    from ygt_abm.config.files import ConfigError

    path = tmp_path / "targets.yaml"
    path.write_text("calibration_targets:\n" + TARGET + extra, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_targets(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.field) == (line, field) and message in problem.message


def test_each_world_of_the_fit_is_a_baseline_experiment_of_its_own_seed(tmp_path):
    loaded = []
    for world in range(2):
        path = tmp_path / f"fit-world-{world}.yaml"
        write_yaml(world_experiment(world, population=5000, replicates=2, years=3, seed=10), path, HEADER)
        assert path.read_text(encoding="utf-8").startswith(HEADER)
        loaded.append(load_runnable_experiment(path))
    assert [r.experiment.name for r in loaded] == ["fit-world-0", "fit-world-1"]
    assert [r.experiment.seed for r in loaded] == [10, 11]  # each world its own geography
    for resolved in loaded:
        exp = resolved.experiment
        assert (exp.world.kind, exp.world.population, exp.replicates, exp.years) == ("synthetic", 5000, 2, 3)
        assert resolved.scenario_names == ["baseline"] and resolved.interventions == {"baseline": []}


def test_a_fit_into_another_fits_folder_is_refused_before_anything_is_written(tmp_path):
    """The folder of a fit at 3,000 residents holds its worlds' runs; a fit at 3,100 residents into it is
    refused (exit 1) and the folder is left byte for byte as it was, its world experiments included."""
    from typer.testing import CliRunner

    from ygt_abm.cli import app

    def fit(population: int):
        return CliRunner().invoke(app, ["fit", "--worlds", "1", "--replicates", "1", "--years", "1", "--population",
                                        str(population), "--out", str(tmp_path / "out"), "--workers", "1"])

    assert fit(3000).exit_code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    result = fit(3100)
    assert result.exit_code == 1 and "holds results of a different experiment configuration" in result.output
    assert {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()} == before


def test_an_elasticity_table_above_the_size_limit_is_refused_by_name_before_it_is_read(tmp_path):
    from ygt_abm.baseline_fit import ELASTICITIES, read_elasticities
    from ygt_abm.config.files import MAX_TABLE_BYTES

    with open(tmp_path / ELASTICITIES, "wb") as handle:
        handle.truncate(MAX_TABLE_BYTES + 1)
    with pytest.raises(ValueError, match=f"{ELASTICITIES}: cannot be read as a table .*at most {MAX_TABLE_BYTES:,}"):
        read_elasticities(tmp_path)
