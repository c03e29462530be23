"""The baseline's fit to the calibration targets, drawn from the fit table: each target's simulated mean
and 95% interval as a distance from the target in tolerances, so that every target reads on one axis
(inside the shaded band: within tolerance)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ygt_abm.figures.style import styled

ROLE_COLOURS = {"calibrated": "#1f77b4", "check": "#ff7f0e"}


@styled
def fit_figure(table: pd.DataFrame) -> Figure:
    """(simulated − target) ÷ tolerance per target, with its interval; targets not measured are listed
    without a point."""
    fig = Figure(figsize=(9, 1.2 + 0.32 * len(table)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(table))[::-1]
    ax.axvspan(-1, 1, color="#e5f5e0", zorder=0)
    ax.axvline(0, color="#555", lw=0.8)
    for yi, row in zip(y, table.itertuples()):
        if pd.isna(row.mean):
            ax.text(0, yi, "not measured", ha="center", va="center", fontsize=7, color="#777")
            continue
        scaled = [(v - row.value) / row.tolerance for v in (row.mean, row.ci_low, row.ci_high)]
        ax.errorbar(scaled[0], yi, xerr=[[scaled[0] - scaled[1]], [scaled[2] - scaled[0]]], fmt="o",
                    color=ROLE_COLOURS[row.role], ms=5, capsize=2, lw=1)
    ax.set_yticks(y, [f"{r.target} ({r.role})" for r in table.itertuples()], fontsize=8)
    ax.set_xlabel("(simulated − target) ÷ tolerance; shaded: within tolerance", fontsize=8)
    fig.suptitle("Baseline fit to the calibration targets: mean and 95% interval", fontsize=10)
    return fig
