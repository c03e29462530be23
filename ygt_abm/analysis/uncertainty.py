"""Replicate and parameter uncertainty of a package's effect, where an experiment runs over a calibrated
ensemble (``ensemble:``; each member a point): the paired differences from the reference (same member,
same replicate: common random numbers) split by the law of total variance into the noise between
replicates (within a member) and the spread between members (parameter sets that all fit the baseline).

* ``replicate_low/high``: the ensemble mean ± t × the replicate noise of that mean alone;
* ``parameter_low/high``: the mean ± 1.96 × the spread of the effect across members (what is not known);
* ``combined_low/high``: the mean ± 1.96 × √(between-member variance + replicate variance of a member's mean);
* ``parameter_share``: the share of the combined variance that is the parameters'.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ygt_abm.analysis.summary import paired, t_quantile
from ygt_abm.vocabulary import is_variant

KEYS = ["scenario", "county", "year", "metric"]
Z = float(stats.norm.ppf(0.975))


def uncertainty_table(kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """One row per scenario (not the reference), county, year and metric: the paired effect's intervals."""
    table = split_uncertainty(paired(kpis[~kpis["scenario"].map(is_variant)], reference), "difference", KEYS)
    table.insert(len(KEYS), "reference", reference)
    return table


def split_uncertainty(frame: pd.DataFrame, value: str, keys: list[str]) -> pd.DataFrame:
    """For every ``keys`` group of an ensemble's runs (members are ``point``s): the mean of ``value`` over
    members and its replicate, parameter and combined intervals (levels or paired differences alike)."""
    per_member = frame.groupby(keys + ["point"], sort=False)[value].agg(["mean", "var", "count"]).reset_index()
    rows = []
    for key, members in per_member.groupby(keys, sort=False):
        replicates = int(members["count"].min())
        within = float(members["var"].mean()) if replicates > 1 else np.nan  # pooled: equal replicates per member
        means = members["mean"].to_numpy()
        mean = float(means.mean())
        noise_of_mean = within / replicates if replicates > 1 else 0.0
        between = max(float(np.var(means, ddof=1)) - noise_of_mean, 0.0) if len(means) > 1 else np.nan
        rep_half = (t_quantile(len(means) * (replicates - 1)) * np.sqrt(within / (len(means) * replicates))
                    if replicates > 1 else np.nan)
        combined = (between if np.isfinite(between) else 0.0) + noise_of_mean
        rows.append({**dict(zip(keys, key if isinstance(key, tuple) else (key,))), "mean": mean,
                     "members": len(means), "replicates": replicates, "sd_replicate": np.sqrt(within),
                     "sd_parameter": np.sqrt(between),
                     "replicate_low": mean - rep_half, "replicate_high": mean + rep_half,
                     "parameter_low": mean - Z * np.sqrt(between), "parameter_high": mean + Z * np.sqrt(between),
                     "combined_low": mean - Z * np.sqrt(combined), "combined_high": mean + Z * np.sqrt(combined),
                     "parameter_share": between / combined if combined > 0 else np.nan})
    return pd.DataFrame(rows)
