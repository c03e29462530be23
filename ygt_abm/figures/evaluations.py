"""The forest plot of the published evaluations (evaluations.csv): one row per outcome, its band shaded,
the simulated mean and 95% interval as a point and a line, one colour and marker per set.

Each row is drawn on its own scale: divided by the largest magnitude of its band's finite ends (a sign band:
of its simulated interval), so zero stays at zero and the band's far end at ±1. One panel per effect type
would not make the rows comparable: the differences mix shares, visits per person and yuan per admission,
so ¥188 would sit beside 0.03 on one axis. The scaled axis keeps what the table judges readable on every
row (inside the band, on the right side of zero); each row's label names the study, the outcome and the
effect's kind, and says where the band is on the sign only (its row's scale is then the simulation's own, so a
tiny effect of the right sign is drawn as large as a large one). The band and the mean in their own units are
the table's (evaluations.csv, evaluations.md), not the figure's.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ygt_abm.figures.style import styled
from ygt_abm.vocabulary import in_words, outcome_words

#: colour and marker of each set, in the order the sets first appear in the table
STYLES = (("#1f77b4", "o"), ("#d95f02", "s"), ("#7570b3", "D"))
#: the scaled axis is cut here; a point beyond is drawn at the edge as an arrow
LIMIT = 3.0
#: characters a row's label runs to before it wraps
LABEL_WIDTH = 70


def _finite(x: object) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)  # type: ignore[arg-type]


def row_scale(row: pd.Series) -> float:
    """The row's unit: the largest finite band end in magnitude, else (a sign band) the largest end of its
    simulated interval in magnitude; 1 when everything is zero."""
    ends = [abs(v) for v in (_finite(row["band_low"]), _finite(row["band_high"])) if v]
    if not ends:
        ends = [abs(v) for v in (_finite(row["ci_low"]), _finite(row["ci_high"]), _finite(row["mean"])) if v]
    return max(ends) if ends else 1.0


@styled
def evaluations_figure(table: pd.DataFrame, title: str = "Published evaluations") -> Figure:
    """The forest plot of evaluations.csv's rows (not-expressible evaluations listed without a point)."""
    rows = table.reset_index(drop=True)
    sets = list(dict.fromkeys(rows["set"]))
    styles = {name: STYLES[i % len(STYLES)] for i, name in enumerate(sets)}
    fig = Figure(figsize=(8.5, 1.4 + 0.26 * len(rows)), layout="constrained")  # narrow: type legible on a page
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    labels = []
    for yi, (_, row) in zip(y, rows.iterrows()):
        colour, marker = styles[row["set"]]
        if row["status"] != "simulated":
            ax.text(0, yi, "not expressible: not run", ha="center", va="center", fontsize=7, color="#777")
            labels.append(f"{row['label']}: not expressible")
            continue
        scale = row_scale(row)
        low, high = _finite(row["band_low"]), _finite(row["band_high"])
        ax.fill_betweenx([yi - 0.35, yi + 0.35], -LIMIT if low is None else low / scale,
                         LIMIT if high is None else high / scale, color=colour, alpha=0.18, lw=0)
        mean, ci = row["mean"] / scale, np.array([row["ci_low"], row["ci_high"]]) / scale
        clipped = np.clip(np.concatenate([[mean], ci]), -LIMIT, LIMIT)
        ax.hlines(yi, clipped[1], clipped[2], color=colour, lw=1.2)
        filled = colour if row["inside_band"] else "white"
        ax.plot(clipped[0], yi, marker=marker if abs(mean) <= LIMIT else (">" if mean > 0 else "<"), ms=6,
                color=colour, markerfacecolor=filled, ls="none")
        indicator = outcome_words(row["indicator"], row["of"] if isinstance(row["of"], str) else "")
        sign_only = ", sign only" if row.get("band_basis") == "sign" else ""
        labels.append(textwrap.fill(f"{row['label']}: {indicator} ({in_words(row['effect'])}{sign_only})", LABEL_WIDTH))
    ax.axvline(0, color="#555", lw=0.8)
    for edge in (-1, 1):
        ax.axvline(edge, color="#bbb", lw=0.6, ls=":")
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_yticks(y, labels, fontsize=7)
    for name in sets:
        colour, marker = styles[name]
        ax.plot([], [], marker=marker, color=colour, ls="-", label=f"{name}: simulated mean and 95% interval")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=len(sets), fontsize=7)
    ax.set_xlabel("effect ÷ the row's unit (its band's largest finite end;\na sign band: its simulated interval's)\n"
                  "shaded: the published band; filled marker: mean inside the band;\narrow: beyond the axis", fontsize=7)
    fig.suptitle(title, fontsize=9)
    return fig
