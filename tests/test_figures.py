import numpy as np
import pandas as pd
from matplotlib.image import imread

from ygt_abm.analysis.summary import summarize
from ygt_abm.analysis.summary import paired_differences
from ygt_abm.figures.indicators import difference_bands, main_indicator_bands, main_indicators_figure
from ygt_abm.figures.save import save_figure
from ygt_abm.vocabulary import HEADLINE_INDICATORS


def _kpis(counties=("County 1",), points=("base",)) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [{"scenario": scenario, "point": point, "replicate": r, "county": county, "year": year, "metric": metric,
             "value": 0.5 + 0.05 * (scenario == "reform") + 0.01 * year + rng.normal(0, 0.01)}
            for scenario in ("baseline", "reform") for point in points for r in range(3) for county in counties
            for year in (1, 2, 3) for metric in HEADLINE_INDICATORS]
    return pd.DataFrame(rows)


def test_the_bands_are_the_t_intervals_of_summary_csv_not_bootstrap_bands():
    kpis = _kpis()
    bands = main_indicator_bands(kpis).set_index(["scenario", "point", "year", "metric"])
    summary = summarize(kpis).set_index(["scenario", "point", "year", "metric"])
    for column in ("mean", "ci_low", "ci_high"):
        assert np.allclose(bands[column], summary.loc[bands.index, column], rtol=0, atol=1e-12)


def test_counties_are_averaged_within_a_replicate_and_every_sweep_point_has_its_line(tmp_path):
    kpis = _kpis(counties=("County 1", "County 2"), points=("low", "high"))
    bands = main_indicator_bands(kpis)
    assert (bands["n"] == 3).all()  # replicates, not replicates × counties
    assert len(bands.groupby(["scenario", "point"])) == 4
    [path] = save_figure(main_indicators_figure(kpis), tmp_path / "figure", ("png",))
    assert imread(path).shape[0] > 500
    labels = [line.get_label() for line in main_indicators_figure(kpis).axes[0].get_lines()]
    assert {"Baseline / low", "Baseline / high", "Reform / low", "Reform / high"} <= set(labels)  # in words


def test_the_difference_bands_are_the_paired_differences_of_the_table():
    kpis = _kpis()
    bands = difference_bands(kpis, "baseline").set_index(["scenario", "point", "year", "metric"])
    table = paired_differences(kpis, "baseline").set_index(["scenario", "point", "year", "metric"])
    for column in ("mean", "ci_low", "ci_high"):
        assert np.allclose(bands[column], table.loc[bands.index, column], rtol=0, atol=1e-12)


def test_every_format_is_written_byte_for_byte_the_same_twice(tmp_path):
    kpis = _kpis()
    first = save_figure(main_indicators_figure(kpis), tmp_path / "a" / "main", ("png", "pdf", "svg"))
    second = save_figure(main_indicators_figure(kpis), tmp_path / "b" / "main", ("png", "pdf", "svg"))
    assert [p.suffix for p in first] == [".png", ".pdf", ".svg"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()
    assert first[1].read_bytes().startswith(b"%PDF") and b"<svg" in first[2].read_bytes()
