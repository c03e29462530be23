"""Analyzers watch a model week by week and change nothing in it."""

from __future__ import annotations

from ygt_abm.analyzers import WeeklySeries
from ygt_abm.model import CountyModel
from ygt_abm.vocabulary import N_LEVELS


def test_the_weekly_series_reports_every_week(small_region):
    model = CountyModel(small_region, seed=8, analyzers=[WeeklySeries()])
    for _ in range(3):
        model.step()
    frame = model.process("weekly_series").datacollector.get_model_vars_dataframe()
    assert len(frame) == 3
    assert {"primary_care_visit_share", "in_county_visit_rate", "village_doctors"} <= set(frame.columns)
    assert frame["visits"].gt(0).all()


def test_the_weeks_first_contacts_by_township_count_the_weeks_episodes_with_a_contact(small_region):
    model = CountyModel(small_region, seed=8, analyzers=[WeeklySeries()])
    model.step()
    series = model.process("weekly_series")
    flows = series.last_week_first_contacts(small_region.village_township, len(small_region.township_names))
    assert flows.shape == (len(small_region.township_names), N_LEVELS)
    assert flows.sum() == (series.last_episodes.first_level < N_LEVELS).sum() > 0


def test_an_analyzer_changes_no_result(small_region):
    """It writes no state (the contract checks would say so), and the indicators are the same without it."""
    watched = CountyModel(small_region, seed=6, analyzers=[WeeklySeries()], checks=True).run(1)
    alone = CountyModel(small_region, seed=6).run(1)
    assert watched.equals(alone)
