"""End to end: with default parameters the typical county reproduces the national picture
(calibration-targets.md) within the tolerances of the engine issue. Like real counties, single synthetic
counties differ with their geography; the national figures are averages, so the test checks the mean over
several synthetic counties, and each county against a band a few points wider."""

import pandas as pd
import pytest

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world

RANGES = {
    "primary_care_visit_share": (0.50, 0.56),  # bulletins: 56.4% (2015) … 50.2% (2021)
    "in_county_visit_rate": (0.85, 0.92),  # 6th NHSS 2018: 87.1%
    "visits_per_capita": (5.0, 7.0),  # bulletins: 5.6 (2015) … 6.8 (2023)
    "admissions_per_capita": (0.15, 0.20),  # bulletins: 18.2% (2018), 17.5% (2022)
}
SINGLE_COUNTY_SLACK = 0.03
WORLDS = (1, 2, 3, 4)


@pytest.fixture(scope="module")
def baseline() -> pd.DataFrame:
    frames = []
    for world in WORLDS:
        region = build_world(SyntheticWorld(population=20_000), seed=world)
        frame = CountyModel(region, ModelParameters(), seed=world).run(2, warmup_years=1)
        frames.append(frame.assign(world=world))
    return pd.concat(frames)


@pytest.mark.parametrize("metric", sorted(RANGES))
def test_the_typical_county_lies_in_the_national_range(baseline, metric):
    low, high = RANGES[metric]
    values = baseline[baseline["metric"] == metric]
    typical = values.groupby("year")["value"].mean()
    assert typical.between(low, high).all(), f"{metric}: typical {typical.round(3).tolist()} outside [{low}, {high}]"
    slack = SINGLE_COUNTY_SLACK * (high if metric.endswith("capita") else 1.0)
    assert values["value"].between(low - slack, high + slack).all(), values["value"].round(3).tolist()


def test_baseline_has_out_of_county_admissions(baseline):
    by = baseline.pivot_table(index="metric", columns="year", values="value")
    assert 0.7 < by.loc["in_county_inpatient_share"].min() < 0.95
    assert by.loc["unmet_need_share"].max() < 0.01  # capacity does not bind at baseline
