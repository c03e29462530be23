"""Per scenario, point, county, year and metric: mean and 95% interval across replicates; and paired
differences against a reference scenario on the same replicates (common random numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["scenario", "point", "county", "year", "metric"]

# Two-sided 97.5% Student-t quantiles; between table entries the smaller dof's (larger, conservative) value.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
         15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def t_quantile(dof: int) -> float:
    """97.5% quantile of Student's t with ``dof`` degrees of freedom (conservative between table rows)."""
    if dof < 1:
        return float("nan")
    if dof > 120:
        return 1.960
    return _T975[max(k for k in _T975 if k <= dof)]


def interval(frame: pd.DataFrame, value: str, keys: list[str]) -> pd.DataFrame:
    out = frame.groupby(keys, sort=False)[value].agg(mean="mean", sd="std", n="count").reset_index()
    half = out["n"].map(lambda n: t_quantile(int(n) - 1)) * out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def summarize(kpis: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation, replicates and 95% t-interval of every indicator."""
    return interval(kpis, "value", KEYS)


def paired_differences(kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """scenario − reference per replicate (same seed), then mean and 95% t-interval of the difference."""
    ref = kpis[kpis["scenario"] == reference].drop(columns="scenario")
    other = kpis[kpis["scenario"] != reference]
    paired = other.merge(ref, on=["point", "replicate", "county", "year", "metric"], suffixes=("", "_reference"))
    paired["difference"] = paired["value"] - paired["value_reference"]
    out = interval(paired, "difference", KEYS)
    out.insert(1, "reference", reference)
    return out
