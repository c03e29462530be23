"""What the classroom shows, drawn as shapes in pixels for the page's SVG templates: the county map
(``county_map.vue``) and the twin charts (``twin_charts.vue``). SVG drawn by the browser, not images
drawn by matplotlib: a six-panel figure took about a second to render here, every week while playing.
Pure functions of a ``Classroom``; no Solara here."""

from __future__ import annotations

from typing import Any

import numpy as np

from ygt_abm.dashboard.classroom import BASELINE, POLICY, TWINS, Classroom
from ygt_abm.dashboard.controls import shipped_package
from ygt_abm.vocabulary import (
    CITY, COUNTY, FACILITY_KINDS, HEADLINE_INDICATORS, LEVELS, TOWNSHIP, VILLAGE, WEEKS_PER_YEAR,
)

LEVEL_COLOURS = ("#6baed6", "#31a354", "#fd8d3c", "#de2d26")  # village, township, county, city
TWIN_COLOURS = {BASELINE: "#7f7f7f", POLICY: "#1f77b4"}
CHARTED = HEADLINE_INDICATORS  # twin against twin
WEEKLY = {"primary_care_visit_share", "in_county_visit_rate"}  # also in the weekly series
SMOOTHING_WEEKS = 13


def county_map(room: Classroom, twin: str, width: int = 440, height: int = 400) -> dict[str, Any]:
    """Shapes of one twin's map, in pixels: villages, facilities, flows and labels (the ``CountyMap`` props)."""
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
    scale = min((width - 40) / max(high[0] - low[0], 1e-9), (height - 40) / max(high[1] - low[1], 1e-9))

    def px(xy: np.ndarray) -> tuple[float, float]:
        return (round(20 + (xy[0] - low[0]) * scale, 1), round(height - 20 - (xy[1] - low[1]) * scale, 1))

    volume = room.facility_volume(twin)
    clinic_of = {int(region.facility_village[f]): f for f in np.flatnonzero(level == VILLAGE)}
    followed = room.followed.village if room.followed else -1
    villages = []
    for v in range(region.n_villages):
        x, y = px(village_xy[v])
        weekly = float(volume[clinic_of[v]]) if v in clinic_of else 0.0
        villages.append({"id": v, "x": x, "y": y, "r": round(2.5 + np.sqrt(weekly) * 0.6, 1),
                         "followed": v == followed,
                         "label": f"{region.village_names[v]}: {int(region.village_population[v]):,} residents; "
                                  f"clinic {weekly:.0f} patients a week (click: follow a resident)"})
    facilities = []
    hospital_rank = {int(f): k for k, f in enumerate(np.flatnonzero(level == COUNTY))}
    for f in np.flatnonzero(level != VILLAGE):
        x, y = px(fac_xy[f])
        lv = int(level[f])
        if lv == COUNTY:  # beside the seat town's health centre, which stands at the same place
            x, y = x + 22 * (hospital_rank[int(f)] + 1), y - 14
        facilities.append({"id": int(f), "x": x, "y": y, "r": round(4 + np.sqrt(volume[f]) * 0.35, 1),
                           "color": LEVEL_COLOURS[lv], "round": lv == TOWNSHIP,
                           "label": f"{region.facility_names[f]} ({FACILITY_KINDS[lv].replace('_', ' ')}): "
                                    f"{volume[f]:.0f} patients a week (click: staff, volume, money)"})
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
                          "label": f"{region.township_names[t]} → {LEVELS[lv]}: {flow[t, lv]:.0f} patients a week "
                                   "(first contacts, last 4 weeks)"})
    labels = []
    for f, km in zip(np.flatnonzero(level == CITY), city_km):
        x, y = px(fac_xy[f])
        labels.append({"x": x, "y": y - 12, "text": f"city hospital ({km:.0f} km)", "anchor": "middle"})
    x, y = px(seat)
    labels.append({"x": x, "y": y + 22, "text": "county seat", "anchor": "middle"})
    return {"twin": twin, "width": width, "height": height, "villages": villages, "facilities": facilities,
            "flows": flows, "labels": labels}


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


def chart_panels(room: Classroom, width: int = 330, height: int = 200) -> list[dict[str, Any]]:
    """The headline indicators, twin against twin, as shapes in pixels (the ``TwinCharts`` props): one
    panel per indicator with each twin's weekly line (13-week means, where a weekly series exists) and
    yearly points, and the loaded packages' targets dashed."""
    targets = targets_in_years(room)
    weekly = {twin: room.weekly(twin) for twin in TWINS}
    yearly = {twin: room.indicators(twin) for twin in TWINS}
    x_max = max(room.weeks / WEEKS_PER_YEAR, 1.0) + 0.3
    left, right, top, bottom = 44, 10, 22, 26
    panels = []
    for metric in CHARTED:
        lines, dots = {}, {}
        for twin in TWINS:
            if metric in WEEKLY and len(weekly[twin]):
                smooth = weekly[twin][metric].rolling(SMOOTHING_WEEKS, min_periods=1).mean().to_numpy()
                lines[twin] = (weekly[twin]["week"].to_numpy() / WEEKS_PER_YEAR, smooth)
            table = yearly[twin][yearly[twin].metric == metric]
            dots[twin] = (table["year"].to_numpy(dtype=float), table["value"].to_numpy())
        values = np.concatenate([np.asarray(v, dtype=float) for _, v in [*lines.values(), *dots.values()]] +
                                [np.array([value for _, value in targets.get(metric, [])], dtype=float)])
        values = values[np.isfinite(values)]
        low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        pad = max(0.02, (high - low) * 0.1)
        low, high = max(0.0, low - pad), min(1.0, high + pad)
        ticks = np.linspace(low, high, 5)

        def px(x, y):
            return (left + (np.asarray(x) / x_max) * (width - left - right),
                    height - bottom - (np.asarray(y) - low) / (high - low) * (height - top - bottom))

        panel = {"metric": metric, "title": metric.replace("_", " "), "width": width, "height": height,
                 "left": left, "right": width - right, "top": top, "bottom": height - bottom, "lines": [],
                 "dots": [], "targets": [],
                 "y_ticks": [{"y": round(float(px(0, t)[1]), 1), "label": f"{t:.0%}" if high - low > 0.05
                              else f"{t:.1%}"} for t in ticks],
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
                               "label": f"{twin} twin, year {int(year)}: {value:.1%}"}
                              for a, b, year, value in zip(xs, ys, x, y) if np.isfinite(b)]
        for year, value in targets.get(metric, []):
            y = round(float(px(0, value)[1]), 1)
            panel["targets"].append({"y": y, "label": f"target {value:.0%} (year {year})"})
        panels.append(panel)
    return panels
