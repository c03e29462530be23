"""Per scenario, point, county, year and metric: mean and 95% interval across replicates; and paired
differences against a reference scenario on the same replicates (common random numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

KEYS = ["scenario", "point", "county", "year", "metric"]

def t_quantile(dof: int) -> float:
    """97.5% quantile of Student's t with ``dof`` degrees of freedom (two-sided 95% intervals); nan below 1."""
    return float(stats.t.ppf(0.975, dof)) if dof >= 1 else float("nan")


def interval(frame: pd.DataFrame, value: str, keys: list[str]) -> pd.DataFrame:
    out = frame.groupby(keys, sort=False)[value].agg(mean="mean", sd="std", n="count").reset_index()
    half = out["n"].map(lambda n: t_quantile(int(n) - 1)) * out["sd"] / np.sqrt(out["n"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out


def summarize(kpis: pd.DataFrame) -> pd.DataFrame:
    """Mean, standard deviation, replicates and 95% t-interval of every indicator."""
    return interval(kpis, "value", KEYS)


PAIRED_ON = ["point", "replicate", "county", "year", "metric"]


def paired(kpis: pd.DataFrame, reference: str, on: list[str] = PAIRED_ON) -> pd.DataFrame:
    """The rows of every scenario but ``reference``, each with ``difference`` = its value − the reference's at
    the same ``on`` keys (same point and replicate: the same seeds, common random numbers)."""
    ref = kpis[kpis["scenario"] == reference].drop(columns="scenario")
    out = kpis[kpis["scenario"] != reference].merge(ref, on=on, suffixes=("", "_reference"))
    out["difference"] = out["value"] - out["value_reference"]
    return out


def paired_differences(kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """scenario − reference per replicate (same seed), then mean and 95% t-interval of the difference."""
    out = interval(paired(kpis, reference), "difference", KEYS)
    out.insert(1, "reference", reference)
    return out


def effects_beside_baseline(differences: pd.DataFrame, summary: pd.DataFrame, metrics: tuple[str, ...]) -> pd.DataFrame:
    """Each scenario's paired difference in the last year on ``metrics`` (``differences``: paired_differences.csv),
    beside the reference scenario's level that year (``summary``: summary.csv) and as a share of it: the
    interval of the share divides the difference's by the level, whose own replicate error it leaves out."""
    year = differences["year"].max()
    last = differences[(differences["year"] == year) & differences["metric"].isin(metrics)]
    reference = last["reference"].iloc[0]
    levels = summary[(summary["scenario"] == reference) & (summary["year"] == year)]
    levels = levels.groupby("metric")["mean"].mean()
    out = (last.groupby(["scenario", "metric"], sort=False)[["mean", "ci_low", "ci_high"]].mean().reset_index()
           .assign(year=year, baseline=lambda f: f["metric"].map(levels)))
    for column in ("mean", "ci_low", "ci_high"):
        out[f"relative_{column}"] = out[column] / out["baseline"]
    return out
