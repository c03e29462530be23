"""The shapes the page draws: every village, facility and chart panel, from the first week on, and the
targets of a loaded package where they are due."""

import pytest

from ygt_abm.dashboard.classroom import BASELINE, POLICY, Classroom
from ygt_abm.dashboard.drawing import CHARTED, chart_panels, county_map
from ygt_abm.vocabulary import VILLAGE


@pytest.fixture(scope="module")
def room():
    return Classroom(population=20_000, warmup_years=0)


def test_before_the_first_week_every_shape_is_there_and_no_line_yet(room):
    shapes = county_map(room, POLICY)
    assert len(shapes["villages"]) == room.region.n_villages
    assert len(shapes["facilities"]) == int((room.region.facility_level != VILLAGE).sum())
    panels = chart_panels(room)
    assert [p["metric"] for p in panels] == list(CHARTED)
    assert all(not p["lines"] and not p["dots"] for p in panels)


def test_every_shape_lies_inside_its_picture(room):
    room.step(60)
    shapes = county_map(room, BASELINE)
    for item in shapes["villages"] + shapes["facilities"]:
        assert 0 <= item["x"] <= shapes["width"] and 0 <= item["y"] <= shapes["height"]
    for panel in chart_panels(room):
        assert {d["twin"] for d in panel["dots"]} == {BASELINE, POLICY}  # year 1 recorded in both twins
        for dot in panel["dots"]:
            assert panel["left"] <= dot["x"] <= panel["right"] and panel["top"] <= dot["y"] <= panel["bottom"]


def test_a_loaded_package_draws_its_targets_in_the_years_they_are_due():
    room = Classroom(population=20_000, warmup_years=0)
    room.load_package("anhui-2024")  # base year 2025: its 2027 targets fall in simulated year 3
    panel = next(p for p in chart_panels(room) if p["metric"] == "in_county_visit_rate")
    assert [t["label"] for t in panel["targets"]] == ["target 90% (year 3)"]
