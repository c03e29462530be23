"""The synthetic county on a map (from the paper's county tables, ``paper/county.py``): villages, the
facilities sized by the patients they served in a year, and each township's first contacts going to the
county hospital and to the city, as lines whose width is the number of episodes; beside it, each
township's first contacts by level."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ygt_abm.figures.style import styled
from ygt_abm.vocabulary import FACILITY_KINDS, LEVELS

LEVEL_COLOURS = dict(zip(LEVELS, ("#6baed6", "#31a354", "#fd8d3c", "#de2d26")))  # as the classroom's map
KIND_LEVEL = dict(zip(FACILITY_KINDS, LEVELS))


@styled
def county_map_figure(villages: pd.DataFrame, facilities: pd.DataFrame, flows: pd.DataFrame) -> Figure:
    fig = Figure(figsize=(9, 4.2), layout="constrained")
    ax, bars = fig.subplots(1, 2, width_ratios=[1.5, 1])
    level = facilities["kind"].map(KIND_LEVEL)
    xy = facilities[["x_km", "y_km"]].to_numpy(dtype=float, copy=True)  # the city is moved to the edge below
    county = xy[level.to_numpy() == "county"].mean(axis=0)
    inside = np.vstack([villages[["x_km", "y_km"]].to_numpy(dtype=float), xy[level.to_numpy() != "city"]])
    reach = float(np.hypot(*(inside - county).T).max()) or 1.0
    for i in np.flatnonzero(level.to_numpy() == "city"):  # outside the county: at the edge, distance written
        offset = xy[i] - county
        km = float(np.hypot(*offset))
        outward = offset / max(km, 1e-9)
        xy[i] = county + outward * reach * 1.2
        inward = -outward  # the label on the county's side of the marker, off the axes' edge
        ax.annotate(f"city hospital\n{km:.0f} km", xy[i], xytext=tuple(14 * inward), textcoords="offset points",
                    ha="left" if inward[0] > 0 else "right", va="bottom" if inward[1] > 0 else "top", fontsize=7)
    ax.scatter(villages["x_km"], villages["y_km"], s=2 + villages["residents"] / villages["residents"].max() * 12,
               color="#bdbdbd", lw=0, zorder=1)
    legend = [Line2D([], [], ls="", marker=".", color="#bdbdbd", label="village (size: residents)")]
    centre_of = {int(t): i for i, t in zip(np.flatnonzero(level.to_numpy() == "township"),
                                          facilities.loc[level == "township", "township"])}
    target = {lv: int(np.flatnonzero(level.to_numpy() == lv)[0]) for lv in ("county", "city")}
    largest = max(float(flows.loc[flows["level"].isin(["county", "city"]), "episodes"].max()), 1.0)
    for row in flows[flows["level"].isin(["county", "city"])].itertuples():
        start, end = xy[centre_of[int(row.township)]], xy[target[row.level]]
        if row.episodes <= 0 or np.allclose(start, end):
            continue
        ax.plot(*np.vstack([start, end]).T, color=LEVEL_COLOURS[row.level], alpha=0.55,
                lw=0.5 + 6 * row.episodes / largest, solid_capstyle="round", zorder=2)
    served = (facilities["visits"] + facilities["admissions"]).to_numpy(dtype=float)
    for lv, marker in (("village", "."), ("township", "o"), ("county", "s"), ("city", "D")):
        pick = level.to_numpy() == lv
        ax.scatter(xy[pick, 0], xy[pick, 1], s=8 + 250 * np.sqrt(served[pick] / served.max()), marker=marker,
                   color=LEVEL_COLOURS[lv], edgecolor="#333", lw=0.4, zorder=3)
        legend.append(Line2D([], [], ls="", marker=marker, ms=5, color=LEVEL_COLOURS[lv], markeredgecolor="#333",
                             label=f"{FACILITY_KINDS[LEVELS.index(lv)].replace('_', ' ')} (size: patients a year)"))
    ax.set_aspect("equal")
    ax.set_xlabel("km")
    ax.set_ylabel("km")
    ax.legend(handles=legend, fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2,
              frameon=False)  # below the map: inside it, it would hide facilities
    ax.set_title("Villages, facilities, and first contacts at the county hospital (orange) and city (red)",
                 fontsize=8)
    wide = flows.pivot_table(index="township", columns="level", values="episodes", sort=True)[list(LEVELS)]
    share = wide.div(wide.sum(axis=1), axis=0)
    left = np.zeros(len(share))
    for lv in LEVELS:
        bars.barh(np.arange(len(share)), share[lv], left=left, color=LEVEL_COLOURS[lv], label=lv)
        left += share[lv].to_numpy()
    bars.set_yticks(np.arange(len(share)), [f"township {t + 1}" for t in share.index], fontsize=6)
    bars.invert_yaxis()
    bars.set_xlim(0, 1)
    bars.set_xlabel("share of first contacts in the year")
    bars.legend(fontsize=6, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig
