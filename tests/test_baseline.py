"""End to end: with default parameters the typical county reproduces the national picture
(calibration-targets.md) within the tolerances of the engine issue. Like real counties, single synthetic
counties differ with their geography; the national figures are averages, so the test checks the mean over
several synthetic counties, and each county against a band a few points wider."""

import pandas as pd
import pytest

from ygt_abm.analysis.fit import fit_table
from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.config.targets import load_targets
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world

RANGES = {
    # bulletins: 56.4% (2015) … 50.2% (2021), urban and rural residents; a rural county's 33 : 32 : 35 split below
    # the city with 87–90% of care in the county gives ≈0.57–0.59 (docs/calibration.md): the band spans both
    "primary_care_visit_share": (0.50, 0.60),
    "in_county_visit_rate": (0.85, 0.92),  # 6th NHSS 2018: 87.1%
    "visits_per_capita": (5.0, 7.0),  # bulletins: 5.6 (2015) … 6.8 (2023)
    "admissions_per_capita": (0.16, 0.22),  # bulletins: 18.2% (2018), 17.5% (2022), 21.4% (2023)
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


def test_the_baseline_fund_is_near_balance(baseline):
    """Money that balances: the typical county's fund ends each year within the bulletin's tight surplus (about
    1% of income) and its tolerance, as the fund-balance check of configs/calibration/targets.yaml states."""
    target = next(t for t in load_targets() if t.indicator == "fund_balance_per_capita")
    balance = baseline[baseline["metric"] == "fund_balance_per_capita"].groupby("year")["value"].mean()
    assert (abs(balance - target.value) <= target.tolerance).all(), balance.round(1).tolist()


def test_the_shipped_parameters_put_every_calibrated_target_within_tolerance():
    """The calibrated targets a baseline run measures, on the typical county (300,000 residents, 16 townships:
    the county the level constants were fitted on; a small county's small villages split visits otherwise).
    The targets are national averages and single counties differ with their geography (one county's county
    hospitals can take 4 points more of the visits), so, as `ygt-abm fit` does, each run is one of four
    counties (the calibration saw the first), here 1 replicate of 2 years after the warm-up. The elasticity
    targets are measured by raising prices (tests/test_elasticity.py)."""
    targets = [t for t in load_targets() if t.role == "calibrated" and t.measure != "elasticity"]
    assert len(targets) >= 5
    runs = [CountyModel(build_world(SyntheticWorld(population=300_000), seed=world), ModelParameters(), seed=world)
            .run(2, warmup_years=3).assign(scenario="baseline", point="base", replicate=0, county=f"world {world}")
            for world in (2023, 2024, 2025, 2026)]
    fit = fit_table(pd.concat(runs), targets)
    assert fit["within"].astype(bool).all(), fit.loc[~fit["within"].astype(bool), ["target", "value", "mean"]]
