"""Decomposition of a package's effect into its levers: each lever alone (lever − baseline) and each
lever removed in turn (package − package without the lever), paired by replicate.

Scenario names follow the experiment loader's expansion: ``<package>--only-<lever>`` and
``<package>--without-<lever>``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.analysis.summary import interval, paired
from ygt_abm.vocabulary import parse_variant, variant_name

#: the indicators a package is decomposed on where the decomposition is shown (the paper's figure and table)
DECOMPOSED = ("primary_care_visit_share", "in_county_visit_rate")


def last_year_levers(table: pd.DataFrame) -> pd.DataFrame:
    """A decomposition table's last year on the decomposed indicators, one row per package, lever and
    indicator (counties and points averaged)."""
    last = table[(table["year"] == table["year"].max()) & table["metric"].isin(DECOMPOSED)]
    return last.groupby(["package", "lever", "metric"], sort=True).mean(numeric_only=True).reset_index()


def ranked_levers(rows: pd.DataFrame) -> list[str]:
    """A package's levers, the largest first: by the larger magnitude of the effect alone and the
    contribution, on any indicator in ``rows`` (ties: by name)."""
    size = np.maximum(rows["alone_mean"].abs(), rows["contribution_mean"].abs()).groupby(rows["lever"]).max()
    return list(size.sort_index().sort_values(ascending=False, kind="stable").index)



def paired_between(kpis: pd.DataFrame, scenario: str, other: str) -> pd.DataFrame:
    """``scenario − other`` per replicate (same seeds): mean and 95% interval by point, county, year, metric."""
    pair = paired(kpis[kpis["scenario"].isin([scenario, other])], other)
    return interval(pair, "difference", ["point", "county", "year", "metric"])


def decomposition_table(kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """One row per (package, lever, point, county, year, metric): effect alone, contribution within the
    package (loss when removed), and the full package's effect, each with a 95% interval."""
    names = set(kpis["scenario"])
    rows = []
    for name in sorted(names):
        variant = parse_variant(name)
        if variant is None or variant[1] != "only":
            continue
        package, _, lever = variant
        without = variant_name(package, "without", lever)
        if package not in names or without not in names:
            continue
        parts = {
            "alone": paired_between(kpis, name, reference),
            "contribution": paired_between(kpis, package, without),
            "package": paired_between(kpis, package, reference),
        }
        merged = None
        for label, frame in parts.items():
            frame = frame.rename(columns={c: f"{label}_{c}" for c in ("mean", "sd", "n", "ci_low", "ci_high")})
            merged = frame if merged is None else merged.merge(frame, on=["point", "county", "year", "metric"])
        rows.append(merged.assign(package=package, lever=lever))
    if not rows:
        return pd.DataFrame()
    out = pd.concat(rows, ignore_index=True)
    front = ["package", "lever", "point", "county", "year", "metric"]
    return out[front + [c for c in out.columns if c not in front]]
