"""What the classroom shows, drawn: the county map as data for ``county_map.vue`` (shapes in pixels) and
the twin charts as a matplotlib figure. Pure functions of a ``Classroom``; no Solara here."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ygt_abm.dashboard.classroom import BASELINE, POLICY, TWINS, Classroom
from ygt_abm.dashboard.controls import shipped_package
from ygt_abm.vocabulary import CITY, COUNTY, FACILITY_KINDS, LEVELS, TOWNSHIP, VILLAGE

LEVEL_COLOURS = ("#6baed6", "#31a354", "#fd8d3c", "#de2d26")  # village, township, county, city
TWIN_COLOURS = {BASELINE: "#7f7f7f", POLICY: "#1f77b4"}
#: Indicators charted, twin against twin: the documents' headline backflow indicators.
CHARTED = ("primary_care_visit_share", "in_county_visit_rate", "in_county_inpatient_share", "primary_care_fund_share")
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


def twin_charts(room: Classroom) -> Figure:
    """The headline indicators, twin against twin: weekly (13-week means) where weekly series exist, and
    each recorded year; the loaded packages' targets dashed."""
    fig = Figure(figsize=(9.2, 5.6), layout="constrained")  # not pyplot's: nothing to close, no global state
    axes = fig.subplots(2, 2)
    targets = targets_in_years(room)
    weeks_per_year = 52
    for ax, metric in zip(axes.flat, CHARTED):
        for twin in TWINS:
            colour = TWIN_COLOURS[twin]
            if metric in WEEKLY:
                weekly = room.weekly(twin)
                if len(weekly):
                    smooth = weekly[metric].rolling(SMOOTHING_WEEKS, min_periods=1).mean()
                    ax.plot(weekly["week"] / weeks_per_year, smooth, color=colour, lw=1.2, alpha=0.8)
            table = room.indicators(twin)
            yearly = table[table.metric == metric]
            ax.plot(yearly["year"], yearly["value"], "o-" if metric not in WEEKLY else "o", color=colour,
                    label=f"{twin} twin", ms=5)
        for year, value in targets.get(metric, []):
            ax.axhline(value, color="#d62728", ls="--", lw=1)
            ax.annotate(f"target {value:.0%} (year {year})", (0.01, value), xycoords=("axes fraction", "data"),
                        fontsize=8, color="#d62728", va="bottom")
        ax.set_title(metric.replace("_", " "), fontsize=9)  # the Chinese term is on the page (fonts vary)
        ax.set_xlabel("simulated year", fontsize=8)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlim(0, max(room.weeks / weeks_per_year, 1) + 0.3)
        ax.tick_params(labelsize=8)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8, loc="lower left")
    return fig
