"""Per scenario, county, year and metric: mean and 95% interval across replicates."""

from __future__ import annotations

import numpy as np
import pandas as pd

# Two-sided 97.5% Student-t quantiles for small samples; the normal quantile beyond.
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
         15: 2.131, 20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def t_quantile(dof: int) -> float:
    """97.5% quantile of Student's t with ``dof`` degrees of freedom (table, conservative in between)."""
    if dof < 1:
        return float("nan")
    keys = sorted(k for k in _T975 if k <= dof)
    return _T975[keys[-1]] if dof <= 120 else 1.960


def summarize(kpis: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation, replicates and 95% t-interval of every indicator."""
    g = kpis.groupby(["scenario", "county", "year", "metric"], sort=False)["value"]
    out = g.agg(mean="mean", sd="std", n="count").reset_index()
    half = out["n"].map(lambda n: t_quantile(int(n) - 1)) * out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out
