"""Dose–response of a lever (issue 28, item 5): where a sweep varies one lever strength, how much each unit
of it moves a package's effect.

The swept name is ``levers.<type>.<parameter>`` (one strength, in its own units: doctors, yuan, points) or
``lever_quantile.<type>`` (every ranged strength of that type together, 0 to 1 across its ranges). For every
scenario but the reference, county, year and metric, the paired effect (scenario − reference, same point and
replicate: common random numbers) is regressed on the swept value by least squares, replicate by replicate;
``slope`` is the mean over replicates with its 95% t-interval, so the interval is the spread of one county's
dose–response, not of a line through noisy means. ``effect_low``/``effect_high`` are the mean effects at the
lowest and highest value swept.
"""

from __future__ import annotations

import pandas as pd

from ygt_abm.analysis.summary import interval, paired
from ygt_abm.config.design import LEVER_PREFIX, LEVER_QUANTILE_PREFIX
from ygt_abm.vocabulary import is_variant

KEYS = ["scenario", "county", "year", "metric"]


def swept_lever(sweep: dict) -> str | None:
    """The one lever strength a sweep varies over two or more numbers (None otherwise)."""
    if len(sweep) != 1:
        return None
    (name, values), = sweep.items()
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    return name if name.startswith((LEVER_PREFIX, LEVER_QUANTILE_PREFIX)) and numeric and len(set(values)) > 1 else None


def dose_response_table(kpis: pd.DataFrame, doses: dict[str, float], reference: str, lever: str) -> pd.DataFrame:
    """One row per scenario (not the reference), county, year and metric: the effect's slope per unit of
    ``lever`` (``doses``: point → swept value), its interval over replicates, and the effects at both ends."""
    runs = paired(kpis[~kpis["scenario"].map(is_variant)], reference)
    runs = runs.assign(dose=runs["point"].map(doses))
    by_replicate = runs.groupby(KEYS + ["replicate"], sort=False)

    def slope(group: pd.DataFrame) -> float:
        dose = group["dose"] - group["dose"].mean()
        spread = float((dose ** 2).sum())
        return float((dose * group["difference"]).sum() / spread) if spread > 0 else float("nan")

    slopes = by_replicate[["dose", "difference"]].apply(slope).rename("slope").reset_index()
    table = interval(slopes, "slope", KEYS).rename(columns={"mean": "slope", "sd": "slope_sd", "n": "replicates",
                                                            "ci_low": "slope_low", "ci_high": "slope_high"})
    ends = runs.groupby(KEYS + ["dose"], sort=False)["difference"].mean().reset_index()
    low, high = min(doses.values()), max(doses.values())
    for name, value in (("effect_low", low), ("effect_high", high)):
        table = table.merge(ends[ends["dose"] == value].drop(columns="dose").rename(columns={"difference": name}),
                            on=KEYS, how="left")
    table.insert(1, "reference", reference)
    table.insert(2, "lever", lever)
    table.insert(3, "dose_low", low)
    table.insert(4, "dose_high", high)
    return table
