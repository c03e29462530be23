"""What the classroom shows, drawn as shapes in pixels for the page's SVG templates: the county map
(``county_map.vue``) and the twin charts (``twin_charts.vue``). SVG drawn by the browser, not images
drawn by matplotlib: a six-panel figure took about a second to render here, every week while playing.
Pure functions of a ``Classroom``; no Solara here.

Sizes are pixels for a projector of 1280×720: beside a 300-pixel panel of controls the two maps and the six
charts fit without scrolling, and chart text is 14 pixels, readable from the back of a room.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ygt_abm.dashboard.classroom import BASELINE, POLICY, TWINS, Classroom
from ygt_abm.dashboard.controls import shipped_package
from ygt_abm.dashboard.words import level_name, say
from ygt_abm.vocabulary import (
    CITY, COUNTY, FACILITY_KINDS, HEADLINE_INDICATORS, LEVELS, TOWNSHIP, VILLAGE,
    WEEKS_PER_YEAR,
)

LEVEL_COLOURS = ("#6baed6", "#31a354", "#fd8d3c", "#de2d26")  # village, township, county, city
TWIN_COLOURS = {BASELINE: "#7f7f7f", POLICY: "#1f77b4"}
CHARTED = HEADLINE_INDICATORS  # twin against twin
WEEKLY = {"primary_care_visit_share", "in_county_visit_rate"}  # also in the weekly series
#: Drawn week by week as a ratio of weekly series: primary care is part of in-county care.
WEEKLY_RATIOS = {"primary_care_share_of_in_county_visits": ("primary_care_visit_share", "in_county_visit_rate")}
SMOOTHING_WEEKS = 13
MAP_SIZE = (470, 250)
CHART_SIZE = (314, 186)
#: Steps of a chart's percentage axis: the smallest giving at most five intervals.
TICK_STEPS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25)


def county_map(room: Classroom, twin: str, language: str = "en", width: int = MAP_SIZE[0],
               height: int = MAP_SIZE[1]) -> dict[str, Any]:
    """Shapes of one twin's map, in pixels: villages, facilities, flows and labels (the ``CountyMap`` props),
    the words in ``language``."""
    region = room.region
    fac_xy, village_xy = room.facility_xy.copy(), room.village_xy
    level = region.facility_level
    seat = fac_xy[level == COUNTY].mean(axis=0)
    inside = np.vstack([village_xy, fac_xy[level != CITY]])
    reach = max(float(np.hypot(*(inside - seat).T).max()), 1.0)
    city_km = []
    for f in np.flatnonzero(level == CITY):  # outside the county: drawn at the edge, its distance written
        offset = fac_xy[f] - seat
        city_km.append(float(np.hypot(*offset)))
        fac_xy[f] = seat + offset / max(city_km[-1], 1e-9) * reach * 1.25
    everything = np.vstack([village_xy, fac_xy])
    low, high = everything.min(axis=0), everything.max(axis=0)
    scale = min((width - 40) / max(high[0] - low[0], 1e-9), (height - 48) / max(high[1] - low[1], 1e-9))
    x0 = (width - (high[0] - low[0]) * scale) / 2  # centred across: a county is seldom as wide as the map

    def px(xy: np.ndarray) -> tuple[float, float]:
        return (round(x0 + (xy[0] - low[0]) * scale, 1), round(height - 20 - (xy[1] - low[1]) * scale, 1))

    volume = room.facility_volume(twin)
    clinic_of = {int(region.facility_village[f]): f for f in np.flatnonzero(level == VILLAGE)}
    followed = room.followed.village if room.followed else -1
    villages = []
    for v in range(region.n_villages):
        x, y = px(village_xy[v])
        weekly = float(volume[clinic_of[v]]) if v in clinic_of else 0.0
        villages.append({"id": v, "x": x, "y": y, "r": round(2.5 + np.sqrt(weekly) * 0.6, 1),
                         "followed": v == followed,
                         "label": say("village tip", language, name=region.village_names[v],
                                      population=int(region.village_population[v]), weekly=weekly)})
    facilities = []
    hospital_rank = {int(f): k for k, f in enumerate(np.flatnonzero(level == COUNTY))}
    for f in np.flatnonzero(level != VILLAGE):
        x, y = px(fac_xy[f])
        lv = int(level[f])
        if lv == COUNTY:  # beside the seat town's health centre, which stands at the same place
            x, y = x + 22 * (hospital_rank[int(f)] + 1), y - 14
        facilities.append({"id": int(f), "x": x, "y": y, "r": round(4 + np.sqrt(volume[f]) * 0.35, 1),
                           "color": LEVEL_COLOURS[lv], "round": lv == TOWNSHIP,
                           "label": say("facility tip", language, name=region.facility_names[f],
                                        kind=say(FACILITY_KINDS[lv], language), weekly=float(volume[f]))})
    flows = []
    flow = room.flows(twin)
    top = max(float(flow[:, COUNTY:].max()), 1.0)
    thc = {int(region.facility_township[f]): f for f in np.flatnonzero(level == TOWNSHIP)}
    targets = {COUNTY: np.flatnonzero(level == COUNTY)[0], CITY: np.flatnonzero(level == CITY)[0]}
    for t, f_home in sorted(thc.items()):
        for lv in (COUNTY, CITY):
            if flow[t, lv] < 0.5:
                continue
            (x1, y1), (x2, y2) = px(fac_xy[f_home]), px(fac_xy[targets[lv]])
            if np.hypot(x2 - x1, y2 - y1) < 10:  # the seat town's residents: the hospital is in their town
                continue
            flows.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "color": LEVEL_COLOURS[lv],
                          "width": round(1 + 14 * flow[t, lv] / top, 1),
                          "label": say("flow tip", language, township=region.township_names[t],
                                       level=level_name(LEVELS[lv], language), weekly=float(flow[t, lv]))})
    labels = []
    for f, km in zip(np.flatnonzero(level == CITY), city_km):
        x, y = px(fac_xy[f])
        anchor = "end" if x > width * 0.7 else "start" if x < width * 0.3 else "middle"
        labels.append({"x": x, "y": y - 10 if y > 40 else y + 22, "text": say("city hospital at", language, km=km),
                       "anchor": anchor})
    x, y = px(seat)
    labels.append({"x": x, "y": y + 24, "text": say("county seat", language), "anchor": "middle"})
    return {"twin": twin, "title": say(f"{twin} twin", language), "width": width, "height": height,
            "villages": villages, "facilities": facilities, "flows": flows, "labels": labels}


def map_legend(language: str = "en") -> list[dict[str, str]]:
    """What the maps' marks mean: a mark (village, a facility's colour, flow) and its words."""
    return [{"mark": "village", "color": "#9ecae1", "text": say("village_clinic", language)},
            *({"mark": "facility", "color": LEVEL_COLOURS[lv], "text": say(kind, language)}
              for lv, kind in enumerate(FACILITY_KINDS) if lv != VILLAGE),
            {"mark": "flow", "color": LEVEL_COLOURS[COUNTY], "text": say("legend flows", language)},
            {"mark": "", "color": "", "text": say("legend sizes", language)}]


def targets_in_years(room: Classroom) -> dict[str, list[tuple[int, float]]]:
    """Charted indicators' targets of the packages the class loaded: indicator → [(simulated year, value)]."""
    out: dict[str, list[tuple[int, float]]] = {}
    for period in room.periods:
        if not period.package:
            continue
        package = shipped_package(period.package)
        for target in package.targets:
            if target.indicator in CHARTED:
                year = period.start + package.simulated_year(target.year) - 1
                out.setdefault(target.indicator, []).append((year, target.value))
    return out


def round_ticks(low: float, high: float) -> np.ndarray:
    """Ticks of a share axis covering ``low``..``high`` at a round step (1%, 2%, 5%, 10%, 20% or 25%)."""
    for step in TICK_STEPS:
        first, last = np.floor(low / step + 1e-9) * step, np.ceil(high / step - 1e-9) * step
        if (last - first) / step <= 5 + 1e-9:
            break
    return np.round(np.arange(first, last + step / 2, step), 4)


def weekly_lines(room: Classroom, twin: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each weekly-charted indicator as (simulated years, its 13-week mean)."""
    table = room.weekly(twin)
    if not len(table):
        return {}
    years = table["week"].to_numpy() / WEEKS_PER_YEAR
    rolling = table.rolling(SMOOTHING_WEEKS, min_periods=1)
    lines = {metric: (years, rolling[metric].mean().to_numpy()) for metric in WEEKLY}
    for metric, (part, whole) in WEEKLY_RATIOS.items():  # visits-weighted, as the yearly indicator is
        weighted = table[[part, whole]].mul(table["visits"], axis=0).rolling(SMOOTHING_WEEKS, min_periods=1).sum()
        lines[metric] = (years, (weighted[part] / weighted[whole]).to_numpy())
    return lines


def chart_panels(room: Classroom, language: str = "en", width: int = CHART_SIZE[0],
                 height: int = CHART_SIZE[1]) -> list[dict[str, Any]]:
    """The headline indicators, twin against twin, as shapes in pixels (the ``TwinCharts`` props): one
    panel per indicator with each twin's weekly line (13-week means, where a weekly series exists) and
    yearly points, and the loaded packages' targets dashed; round ticks; words in ``language``."""
    targets = targets_in_years(room)
    weekly = {twin: weekly_lines(room, twin) for twin in TWINS}
    yearly = {twin: room.indicators(twin) for twin in TWINS}
    x_max = max(room.weeks / WEEKS_PER_YEAR, 1.0) + 0.3
    left, right, top, bottom = 46, 10, 26, 24
    panels = []
    for metric in CHARTED:
        lines = {twin: weekly[twin][metric] for twin in TWINS if metric in weekly[twin]}
        dots = {}
        for twin in TWINS:
            table = yearly[twin][yearly[twin].metric == metric]
            dots[twin] = (table["year"].to_numpy(dtype=float), table["value"].to_numpy())
        values = np.concatenate([np.asarray(v, dtype=float) for _, v in [*lines.values(), *dots.values()]] +
                                [np.array([value for _, value in targets.get(metric, [])], dtype=float)])
        values = values[np.isfinite(values)]
        low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        pad = max(0.01, (high - low) * 0.05)
        ticks = round_ticks(max(0.0, low - pad), min(1.0, high + pad))
        low, high = float(ticks[0]), float(ticks[-1])

        def px(x, y):
            return (left + (np.asarray(x) / x_max) * (width - left - right),
                    height - bottom - (np.asarray(y) - low) / (high - low) * (height - top - bottom))

        panel = {"metric": metric, "title": say(metric, language), "width": width, "height": height,
                 "left": left, "right": width - right, "top": top, "bottom": height - bottom, "lines": [],
                 "dots": [], "targets": [],
                 "y_ticks": [{"y": round(float(px(0, t)[1]), 1), "label": f"{t:.0%}"} for t in ticks],
                 "x_ticks": [{"x": round(float(px(year, low)[0]), 1), "label": str(year)}
                             for year in range(0, int(x_max) + 1)]}
        for twin, (x, y) in lines.items():
            xs, ys = px(x, y)
            ok = np.isfinite(ys)
            panel["lines"].append({"twin": twin, "color": TWIN_COLOURS[twin], "points": " ".join(
                f"{a:.1f},{b:.1f}" for a, b in zip(xs[ok], ys[ok])), "values": " ".join(f"{v:.5f}" for v in y[ok])})
        for twin, (x, y) in dots.items():
            xs, ys = px(x, y)
            panel["dots"] += [{"twin": twin, "color": TWIN_COLOURS[twin], "x": round(float(a), 1),
                               "y": round(float(b), 1), "value": f"{value:.6f}",
                               "label": say("dot tip", language, twin=say(f"{twin} twin", language),
                                            year=int(year), value=value)}
                              for a, b, year, value in zip(xs, ys, x, y) if np.isfinite(b)]
        for year, value in targets.get(metric, []):
            y = round(float(px(0, value)[1]), 1)
            panel["targets"].append({"y": y, "label": say("target", language, value=value, year=year)})
        panels.append(panel)
    return panels


def _count(value: float) -> str:
    return f"{round(value):,}"


def resident_rows(episodes: list[dict[str, Any]], language: str = "en") -> dict[str, Any]:
    """A followed resident's episodes as a table of words (header and rows) in ``language``."""
    columns = ("year", "week", "illness", "severity", "first contact", "referred up", "outcome")
    rows = []
    for e in episodes:
        first = e["first contact"]
        rows.append([str(e["year"]), str(e["week"]), say(e["illness"], language), f"{e['severity']:.2f}",
                     level_name(first, language) if first in LEVELS
                     else say("first contact none", language) if first == "none" else first,
                     say("yes" if e["referred up"] else "no", language), say(e["outcome"], language)])
    return {"header": [say(f"col {c}", language) for c in columns], "rows": rows}


FACILITY_ROWS = (  # (words, key in Classroom.facility, how it is written)
    ("row kind", "kind", None), ("row doctors", "doctors", _count), ("row beds", "beds", _count),
    ("row patients a week", "patients a week (last 4 weeks)", _count),
    ("row visits", "visits this year", _count), ("row admissions", "admissions this year", _count),
    ("row revenue", "revenue this year (yuan)", _count),
    ("row outpatient price", "outpatient price (yuan)", _count),
    ("row inpatient price", "inpatient price (yuan)", _count),
    ("row load", "outpatient load", lambda v: f"{v:.2f}"),
    ("row wait self", "wait, self-referred (days)", lambda v: f"{v:.1f}"),
    ("row wait referred", "wait, referred (days)", lambda v: f"{v:.1f}"),
)


def facility_rows(facility: dict[str, dict[str, Any]], language: str = "en") -> dict[str, Any]:
    """One facility in each twin (``Classroom.facility`` by twin) as a table of words: a row per quantity,
    counts as whole numbers."""
    header = [facility[BASELINE]["name"], *(say(f"{twin} twin", language) for twin in TWINS)]
    rows = []
    for words, key, write in FACILITY_ROWS:
        cells = [say(facility[twin][key], language) if write is None else write(facility[twin][key]) for twin in TWINS]
        rows.append([say(words, language), *cells])
    return {"header": header, "rows": rows}
