"""The main indicators over simulated years, one line per scenario with a 95% band across replicates."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ygt_abm.results.store import write_atomic  # noqa: E402

# Titles stay in English: CJK fonts are not guaranteed on a researcher's machine (Chinese terms: metrics.py).
MAIN = {
    "primary_care_visit_share": "Primary-care share of visits",
    "in_county_visit_rate": "In-county visit rate",
    "in_county_inpatient_share": "In-county inpatient share",
    "primary_care_fund_share": "Primary-care share of insurance fund",
}


def plot_main_indicators(kpis: pd.DataFrame, path: Path) -> Path:
    """Write a 2×2 figure of the main indicators (all counties pooled) to ``path``; bands are seeded."""
    data = kpis[kpis["metric"].isin(list(MAIN))]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    for ax, (metric, title) in zip(axes.flat, MAIN.items()):
        sns.lineplot(data=data[data["metric"] == metric], x="year", y="value", hue="scenario", errorbar=("ci", 95),
                     seed=0, n_boot=500, ax=ax, marker="o")
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("share")
        ax.set_xlabel("simulated year")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if ax is not axes.flat[0] and ax.get_legend():
            ax.get_legend().remove()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(path), lambda tmp: fig.savefig(tmp, format=Path(path).suffix[1:], dpi=120,
                                                     metadata={"Software": None}))
    plt.close(fig)
    return path
