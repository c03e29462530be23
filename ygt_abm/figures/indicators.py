"""The main indicators over simulated years: one line per scenario (and sweep point), with the 95%
t-interval across replicates that summary.csv gives, as a band."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator, PercentFormatter  # noqa: E402

from ygt_abm.analysis.summary import interval  # noqa: E402
from ygt_abm.results.store import write_atomic  # noqa: E402

# Titles stay in English: CJK fonts are not guaranteed on a researcher's machine (Chinese terms: metrics.py).
MAIN = {
    "primary_care_visit_share": "Primary-care share of visits",
    "in_county_visit_rate": "In-county visit rate",
    "in_county_inpatient_share": "In-county inpatient share",
    "primary_care_fund_share": "Primary-care share of insurance fund",
}


def main_indicator_bands(kpis: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% t-interval across replicates of each main indicator by scenario, point and year; a
    region's counties are averaged within each replicate first (for one county: summary.csv's rows)."""
    data = kpis[kpis["metric"].isin(list(MAIN))]
    keys = ["scenario", "point", "year", "metric"]
    region = data.groupby(keys[:2] + ["replicate"] + keys[2:], sort=False)["value"].mean().reset_index()
    return interval(region, "value", keys)


def plot_main_indicators(kpis: pd.DataFrame, path: Path) -> Path:
    """Write a 2×2 figure of the main indicators to ``path``: a line per scenario × point, a band for its
    95% t-interval (none with one replicate)."""
    bands = main_indicator_bands(kpis)
    several_points = bands["point"].nunique() > 1
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    for ax, (metric, title) in zip(axes.flat, MAIN.items()):
        for (scenario, point), rows in bands[bands["metric"] == metric].groupby(["scenario", "point"], sort=False):
            label = f"{scenario} / {point}" if several_points else scenario
            line, = ax.plot(rows["year"], rows["mean"], marker="o", label=label)
            ax.fill_between(rows["year"], rows["ci_low"], rows["ci_high"], color=line.get_color(), alpha=0.2,
                            linewidth=0)
        ax.set_title(title, fontsize=10)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("simulated year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Mean across replicates; bands: 95% t-intervals (as in summary.csv)", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(path), lambda tmp: fig.savefig(tmp, format=Path(path).suffix[1:], dpi=120,
                                                     metadata={"Software": None}))
    plt.close(fig)
    return path
