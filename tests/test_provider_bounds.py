"""Sanity bounds on the providers' behaviour: referrals down per 100 county-hospital admissions against the
national upper bound, and each behaviour's growth in one year against the fastest national growth, a behaviour
that has not started measured from a floor. The shipped model is measured against them by
experiments/provider-bounds.yaml (docs/validation.md, "Sanity bounds on the providers")."""

import pandas as pd
import pytest

from ygt_abm.analysis.provider_bounds import (
    FLOOR_PER_100, GROWTH_AT_MOST, REFERRALS_DOWN_PER_100_AT_MOST, provider_bounds,
)
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.runner import run_experiment

RESIDENTS = 10_000
ADMISSIONS = 1_000  # a county hospital's admissions a year: 0.1 per resident
FAILURES = 5_000  # failed contacts a year (mostly outpatient), referred up by a doctor or by the patient


def kpis(scenario: str, referrals_down: list[float], kept: list[float]) -> pd.DataFrame:
    rows = []
    for year, (down, k) in enumerate(zip(referrals_down, kept), start=1):
        for metric, value in (("admissions_per_capita_county", ADMISSIONS / RESIDENTS), ("referrals_down", down),
                              ("failed_care_kept", k), ("declined_admissions", 0.0),
                              ("referrals_up", 0.2 * (FAILURES - k)), ("self_referrals_up", 0.8 * (FAILURES - k))):
            rows += [{"scenario": scenario, "point": "p", "replicate": r, "county": 0, "year": year,
                      "metric": metric, "value": value} for r in (0, 1)]
    return pd.DataFrame(rows)


def bounds(reform_down: list[float], reform_kept: list[float]) -> pd.DataFrame:
    table = pd.concat([kpis("baseline", [6, 6, 6], [0, 0, 0]), kpis("reform", reform_down, reform_kept)])
    return provider_bounds(table, RESIDENTS, "baseline").set_index(["scenario", "year"])


def test_referrals_down_are_counted_per_100_county_hospital_admissions():
    table = bounds([30, 60, 70], [0, 0, 0])
    assert table.loc[("baseline", 1), "referrals_down_per_100"] == pytest.approx(0.6)
    assert table.loc[("reform", 3), "referrals_down_per_100"] == pytest.approx(7.0)
    assert REFERRALS_DOWN_PER_100_AT_MOST < 7.0 and not table.loc[("reform", 3), "referrals_down_within"]
    assert table.loc[("reform", 2), "referrals_down_within"]


def test_year_one_grows_on_the_reference_and_later_years_on_the_year_before():
    table = bounds([30, 60, 70], [0, 0, 0])
    floor = FLOOR_PER_100 / 100 * ADMISSIONS  # 10 referrals: the baseline's 6 have not started
    assert table.loc[("reform", 1), "referrals_down_growth"] == pytest.approx(30 / floor)
    assert table.loc[("reform", 2), "referrals_down_growth"] == pytest.approx(2.0)
    assert table.loc[("reform", 3), "referrals_down_growth"] == pytest.approx(70 / 60)
    assert list(table.xs("reform")["growth_within"]) == [True, True, True]


def test_a_behaviour_may_start_but_not_at_full_size_in_one_year():
    floor = FLOOR_PER_100 / 100 * FAILURES  # kept failed care is measured on the failures it could keep: 50
    started = bounds([6, 6, 6], [GROWTH_AT_MOST * floor, 200, 250])  # 3 times the floor in year 1: allowed
    assert started.loc[("reform", 1), "growth_within"]
    wholesale = bounds([6, 6, 6], [750, 800, 850])  # 15 per 100 failures from nothing
    assert wholesale.loc[("reform", 1), "failed_care_kept_growth"] == pytest.approx(15.0)
    assert not wholesale.loc[("reform", 1), "growth_within"] and wholesale.loc[("reform", 2), "growth_within"]


def test_failed_care_kept_is_floored_on_the_failures_not_on_admissions():
    # 150 kept of 5,000 failures is 3 per 100 of them: at the bound, though 15 per 100 county admissions
    table = bounds([6, 6, 6], [150, 160, 170])
    assert table.loc[("reform", 1), "failed_care_kept_growth"] == pytest.approx(3.0)
    assert table.loc[("reform", 1), "growth_within"]


def test_the_shipped_model_refers_down_within_the_national_bound_under_the_strongest_package(tmp_path):
    """The corner this bound was written against: at the first posterior, hospitals under the packages referred
    down 8.3–8.8 per 100 county admissions by year 4 (docs/validation.md, "Sanity bounds on the providers")."""
    experiment = tmp_path / "bounds.yaml"
    experiment.write_text(
        "name: bounds\nseed: 11\nreplicates: 2\nyears: 4\nwarmup_years: 2\n"
        "world: {kind: synthetic, population: 20000, townships: 2}\nreference: baseline\n"
        "scenarios:\n  - {name: baseline, policy: baseline}\n"
        "  - {name: nx, policy: hunan-nanxian-2024, decompose: false}\n", encoding="utf-8")
    kpis = run_experiment(load_runnable_experiment(experiment), tmp_path / "out")
    table = provider_bounds(kpis, 20_000, "baseline")
    assert table["referrals_down_within"].all()
    reform = table[table["scenario"] == "nx"]
    assert (reform["referrals_down_per_100"] > table[table["scenario"] == "baseline"]["referrals_down_per_100"].max()).all()
