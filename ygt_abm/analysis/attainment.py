"""Target attainment: for each package, the simulated probability (across replicates, and points: the
members of a calibrated ensemble, so replicate and parameter uncertainty combined) that a county reaches
each of its document's targets by the target year, and the year it is first reached; and the share of
points whose mean over replicates reaches it (parameter uncertainty alone). Beside each, the same measures
of the reference scenario (the baseline) in the same simulated year, so a reader sees what the package adds
to a target the county would reach without it.

"At least" and "at most" targets are one-sided. An "about" target (the documents' 左右) is a band: it is
reached when the value lies within ``ABOUT_HALF_WIDTH`` of the figure, above or below. Assumption: the
documents give no width; ±5 percentage points is ours (see the constant).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.vocabulary import is_variant

#: Half-width of an "about" target's band, as a share (±5 percentage points). Assumption: no document says
#: how near "about" (左右) is; 5 points, half of a ten-point step, is ours, a choice a reader may vary.
ABOUT_HALF_WIDTH = 0.05
#: The measures computed for the package and, prefixed ``baseline_``, for the reference scenario
MEASURES = ("probability", "points_whose_mean_meets", "mean_at_target_year", "first_year_median", "reached_ever")


def reached(comparison: str, target: float, value: float) -> bool:
    """Whether ``value`` reaches a target: at least or at most the figure (one-sided), or, for "about",
    within ``ABOUT_HALF_WIDTH`` of it on either side."""
    if comparison == "at_least":
        return value >= target
    if comparison == "at_most":
        return value <= target
    if comparison == "about":
        return abs(value - target) <= ABOUT_HALF_WIDTH + 1e-12  # the band's edges count as inside
    raise ValueError(f"comparison {comparison!r}; expected at_least, at_most or about")


def _measures(runs: pd.DataFrame, target, wanted: int, base_year: int) -> dict[str, float]:
    """The attainment measures of one scenario's runs for one target due in simulated year ``wanted``."""
    def met(value: float) -> bool:
        return reached(target.comparison, target.value, value)

    values = runs[runs["metric"] == target.indicator]
    if values.empty:
        return dict.fromkeys(MEASURES, np.nan)
    met_at, first = [], []
    for _, run in values.groupby(["point", "replicate", "county"]):
        series = run.set_index("year")["value"].sort_index()
        hits = series.map(met)
        met_at.append(bool(hits.get(wanted, False)))
        years = hits[hits].index
        first.append(base_year + int(years.min()) - 1 if len(years) else np.nan)
    at_year = values[values["year"] == wanted]
    point_means = at_year.groupby("point")["value"].mean()
    return {"probability": float(np.mean(met_at)),
            "points_whose_mean_meets": float(point_means.map(met).mean()),
            "mean_at_target_year": float(at_year["value"].mean()),
            "first_year_median": float(np.nanmedian(first)) if np.isfinite(first).any() else np.nan,
            "reached_ever": float(np.mean(np.isfinite(first)))}


def attainment_table(kpis: pd.DataFrame, packages: dict, reference: str | None = None) -> pd.DataFrame:
    """``packages`` maps scenario → PolicyPackage (or None); ``reference`` is the scenario whose runs give
    the ``baseline_`` columns (in the package's simulated year of each target; empty without one).
    Decomposition variants and the reference itself are skipped. ``band`` is the half-width of an "about"
    target's band (empty for one-sided targets)."""
    rows = []
    baseline_runs = kpis[kpis["scenario"] == reference] if reference is not None else kpis.iloc[:0]
    for scenario, package in packages.items():
        if package is None or is_variant(scenario) or scenario == reference or not package.targets:
            continue
        runs = kpis[kpis["scenario"] == scenario]
        years = sorted(runs["year"].unique())
        for target in package.targets:
            wanted = package.simulated_year(target.year)
            row = {"scenario": scenario, "indicator": target.indicator, "comparison": target.comparison,
                   "target": target.value,
                   "band": ABOUT_HALF_WIDTH if target.comparison == "about" else np.nan,
                   "target_year": target.year, "clause": target.clause, "simulated_year": wanted,
                   "reference": reference}
            if wanted < 1 or wanted > max(years):
                rows.append({**row, "status": "outside the simulated years", **dict.fromkeys(MEASURES, np.nan),
                             **{f"baseline_{m}": np.nan for m in MEASURES}})
                continue
            baseline = _measures(baseline_runs, target, wanted, package.base_year)
            rows.append({**row, "status": "simulated", **_measures(runs, target, wanted, package.base_year),
                         **{f"baseline_{m}": v for m, v in baseline.items()}})
    return pd.DataFrame(rows)
