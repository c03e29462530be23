import numpy as np
import pandas as pd
from matplotlib.image import imread

from ygt_abm.analysis.summary import summarize
from ygt_abm.figures.indicators import MAIN, main_indicator_bands, plot_main_indicators


def _kpis(counties=("County 1",), points=("base",)) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [{"scenario": scenario, "point": point, "replicate": r, "county": county, "year": year, "metric": metric,
             "value": 0.5 + 0.05 * (scenario == "reform") + 0.01 * year + rng.normal(0, 0.01)}
            for scenario in ("baseline", "reform") for point in points for r in range(3) for county in counties
            for year in (1, 2, 3) for metric in MAIN]
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
    path = plot_main_indicators(kpis, tmp_path / "figure.png")
    assert imread(path).shape[0] > 500
