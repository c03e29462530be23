"""Target attainment as a reader needs it: an "about" target is a band around its figure, overshooting
inside the band reaches it; one-sided targets keep their side; and every target shows the baseline's own
chance of reaching it beside the package's."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.analysis.attainment import ABOUT_HALF_WIDTH, attainment_table, reached
from ygt_abm.config.policy import PolicyPackage, Target
from ygt_abm.paper.numbers import attainment_cells


def _package(comparison: str, value: float, indicator: str = "in_county_inpatient_share") -> PolicyPackage:
    target = Target(indicator=indicator, value=value, comparison=comparison, year=2025, clause="一")
    return PolicyPackage(name="reform", title="A reform", document="none", base_year=2024, targets=[target])


def _runs(values: dict[str, list[float]], metric: str = "in_county_inpatient_share") -> pd.DataFrame:
    """Year-2 values of each scenario's runs, one replicate each (year 1 at 0.5)."""
    rows = []
    for scenario, per_run in values.items():
        for replicate, value in enumerate(per_run):
            for year, v in ((1, 0.5), (2, value)):
                rows.append({"scenario": scenario, "point": "default", "replicate": replicate, "county": "c",
                             "year": year, "metric": metric, "value": v})
    return pd.DataFrame(rows)


def test_an_about_target_is_a_band_of_the_stated_half_width():
    assert ABOUT_HALF_WIDTH == pytest.approx(0.05)
    assert reached("about", 0.85, 0.85 + 0.04)  # overshooting inside the band: reached
    assert reached("about", 0.85, 0.85 - 0.04)
    assert reached("about", 0.85, 0.90)  # the band's edge counts as inside
    assert not reached("about", 0.85, 0.917)  # outside the band above: not reached
    assert not reached("about", 0.85, 0.79)


def test_one_sided_targets_keep_their_side():
    assert reached("at_least", 0.9, 0.95) and not reached("at_least", 0.9, 0.89)
    assert reached("at_most", 0.1, 0.05) and not reached("at_most", 0.1, 0.11)


def test_an_overshoot_inside_the_band_counts_as_reaching_an_about_target():
    kpis = _runs({"baseline": [0.80, 0.70], "reform": [0.89, 0.88, 0.95, 0.86]})
    row = attainment_table(kpis, {"baseline": None, "reform": _package("about", 0.85)}, "baseline").iloc[0]
    assert row["simulated_year"] == 2 and row["status"] == "simulated"
    assert row["probability"] == pytest.approx(0.75)  # 0.95 lies outside 0.80–0.90; the others inside
    assert row["band"] == pytest.approx(ABOUT_HALF_WIDTH)


def test_every_target_has_the_baseline_probability_from_the_reference_scenario():
    kpis = _runs({"status-quo": [0.92, 0.93, 0.85, 0.91], "reform": [0.95, 0.96, 0.97, 0.94]})
    packages = {"status-quo": None, "reform": _package("at_least", 0.9)}
    table = attainment_table(kpis, packages, reference="status-quo")
    assert list(table["scenario"]) == ["reform"]  # the reference is not a package of its own
    row = table.iloc[0]
    assert (row["probability"], row["baseline_probability"]) == (1.0, 0.75)
    assert row["baseline_mean_at_target_year"] == pytest.approx(np.mean([0.92, 0.93, 0.85, 0.91]))
    assert row["reference"] == "status-quo" and np.isnan(row["band"])


def test_the_papers_table_shows_the_baseline_beside_the_package_and_the_band_in_words():
    kpis = _runs({"baseline": [0.80, 0.70], "reform": [0.89, 0.88, 0.95, 0.86]})
    table = attainment_table(kpis, {"baseline": None, "reform": _package("about", 0.85)}, "baseline")
    cells = attainment_cells(table).iloc[0]
    assert cells["Target"] == "in-county inpatient share ≈ 85% (80–90%) by 2025"
    assert (cells["P(reached)"], cells["Baseline P(reached)"]) == ("0.75", "0.50")
    assert "_" not in " ".join(attainment_cells(table).columns)
