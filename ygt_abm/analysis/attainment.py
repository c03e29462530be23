"""Target attainment: for each package, the simulated probability (across replicates, and points: the
members of a calibrated ensemble, so replicate and parameter uncertainty combined) that a county reaches
each of its document's targets by the target year, and the year it is first reached; and the share of
points whose mean over replicates reaches it (parameter uncertainty alone)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.vocabulary import is_variant


def attainment_table(kpis: pd.DataFrame, packages: dict) -> pd.DataFrame:
    """``packages`` maps scenario → PolicyPackage (or None). Decomposition variants are skipped."""
    rows = []
    for scenario, package in packages.items():
        if package is None or is_variant(scenario) or not package.targets:
            continue
        runs = kpis[kpis["scenario"] == scenario]
        years = sorted(runs["year"].unique())
        for target in package.targets:
            values = runs[runs["metric"] == target.indicator]
            wanted = package.simulated_year(target.year)
            row = {"scenario": scenario, "indicator": target.indicator, "comparison": target.comparison,
                   "target": target.value, "target_year": target.year, "clause": target.clause,
                   "simulated_year": wanted}
            if wanted < 1 or wanted > max(years):
                rows.append({**row, "status": "outside the simulated years", "probability": np.nan,
                             "points_whose_mean_meets": np.nan,
                             "mean_at_target_year": np.nan, "first_year_median": np.nan, "reached_ever": np.nan})
                continue
            met_at, first = [], []
            for _, run in values.groupby(["point", "replicate", "county"]):
                series = run.set_index("year")["value"].sort_index()
                met = series.map(target.met)
                met_at.append(bool(met.get(wanted, False)))
                reached = met[met].index
                first.append(package.base_year + int(reached.min()) - 1 if len(reached) else np.nan)
            at_year = values[values["year"] == wanted]["value"]
            point_means = values[values["year"] == wanted].groupby("point")["value"].mean()
            rows.append({**row, "status": "simulated", "probability": float(np.mean(met_at)),
                         "points_whose_mean_meets": float(point_means.map(target.met).mean()),
                         "mean_at_target_year": float(at_year.mean()),
                         "first_year_median": float(np.nanmedian(first)) if np.isfinite(first).any() else np.nan,
                         "reached_ever": float(np.mean(np.isfinite(first)))})
    return pd.DataFrame(rows)
