"""The shapes and words the page draws: every village, facility and chart panel, from the first week on,
round ticks, the targets of a loaded package where they are due, tables of words, and every word in
Chinese and English."""

import numpy as np
import pytest

from ygt_abm.dashboard.classroom import BASELINE, POLICY, TWINS, Classroom
from ygt_abm.dashboard.drawing import (
    CHARTED, TICK_STEPS, WEEKLY, WEEKLY_RATIOS, chart_panels, county_map, facility_rows, map_legend, resident_rows,
    round_ticks,
)
from ygt_abm.dashboard.words import LANGUAGES, LEVER_NAMES_ZH, MODEL_NAMES, WORDS, language_for, lever_title
from ygt_abm.interventions import REGISTRY
from ygt_abm.vocabulary import COUNTY, VILLAGE


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


def test_every_word_of_the_page_is_there_in_chinese_and_english():
    for key, entry in WORDS.items():
        assert set(entry) == set(LANGUAGES) and all(entry.values()), key
    assert set(MODEL_NAMES) <= set(WORDS)
    assert set(LEVER_NAMES_ZH) == set(REGISTRY), "a lever without its Chinese name (words.LEVER_NAMES_ZH)"
    assert lever_title("doctor_dispatch", "zh") == "县管乡用、医生下沉 · doctor dispatch"
    assert language_for("zh-CN,zh;q=0.9,en;q=0.8") == "zh" and language_for("en-GB,zh;q=0.5") == "en"
    assert language_for("fr-FR") == "en" and language_for("") == "en"


@pytest.mark.parametrize("low, high", [(0.49, 0.69), (0.0, 1.0), (0.885, 0.9), (0.071, 0.104), (0.3, 0.31)])
def test_ticks_are_round_and_cover_the_values(low, high):
    ticks = round_ticks(low, high)
    steps = set(np.round(np.diff(ticks), 6))
    assert len(steps) == 1 and steps <= set(TICK_STEPS) and 2 <= len(ticks) <= 6
    assert ticks[0] <= low and ticks[-1] >= high


def test_every_charted_share_has_a_weekly_line_and_the_words_follow_the_language(room):
    room.step(10)
    panels = {p["metric"]: p for p in chart_panels(room, "zh")}
    for metric in {*WEEKLY, *WEEKLY_RATIOS}:
        assert {line["twin"] for line in panels[metric]["lines"]} == set(TWINS), metric
    assert panels["primary_care_share_of_in_county_visits"]["title"] == "县域内基层就诊率"
    assert county_map(room, POLICY, "zh")["title"] == "政策县"
    assert [item["text"] for item in map_legend("en")][:4] == [
        "village clinic", "township health centre", "county hospital", "city hospital"]


def test_tables_are_words_and_whole_numbers():
    room = Classroom(population=20_000, warmup_years=0)
    room.follow(3)
    room.step(30)
    episodes = resident_rows(room.followed.episodes[POLICY], "en")
    assert episodes["rows"] and all(isinstance(cell, str) for row in episodes["rows"] for cell in row)
    assert not {"True", "False", "self_care"} & {cell for row in episodes["rows"] for cell in row}
    hospital = int(np.flatnonzero(room.region.facility_level == COUNTY)[0])
    table = facility_rows({twin: room.facility(twin, hospital) for twin in TWINS}, "en")
    rows = {row[0]: row[1:] for row in table["rows"]}
    assert rows["kind"] == ["county hospital", "county hospital"]
    for label in ("doctors", "beds", "visits since the year began", "revenue since the year began (yuan)"):
        assert all(cell.replace(",", "").isdigit() for cell in rows[label]), (label, rows[label])
