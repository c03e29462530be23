"""Replicate and parameter uncertainty of a package's effect, where an experiment runs over a calibrated
ensemble (``ensemble:``; each member a point): the paired differences from the reference (same member,
same replicate: common random numbers) split by the law of total variance into the spread between
members (parameter sets that all fit the baseline) and the noise of one run within a member (one county's
chance: its illnesses, choices and careers).

Every member runs on the same seeds (replicate r of every point shares its streams), so members ×
replicates is a crossed design: a replicate's luck is shared by all members and cancels from the spread of
the members' means. The two variances are the two-way analysis-of-variance estimators, which hold with
shared seeds and with independent ones alike:

* parameters: var(member means) − residual mean square ÷ r (the residual: value − member mean − replicate
  mean + grand mean, with (M − 1)(r − 1) degrees of freedom);
* one run's noise: the replicate mean square ÷ M + the residual mean square × (1 − 1/M).

Each interval is a 95% range of one county's effect around the mean over members, from a source:
``replicate_low/high`` its run-to-run noise alone, ``parameter_low/high`` the parameters alone,
``combined_low/high`` both; ``parameter_share`` is the parameters' share of the combined variance. With one
replicate the two cannot be told apart: only the combined spread is given.

Where an experiment runs several counties on their own (``split_counties``: synthetic counties drawn apart,
so their layouts and distances to the city differ), each county has its rows, and rows for the county
``ACROSS_COUNTIES`` give the effect in a county drawn like them: the mean over members, counties and
replicates, and a third source beside the parameters and chance, the counties (their geography). Each
(county, replicate) is then one unit of the crossed design above, whose noise is split in two: chance, the
variance between replicates of one county and member (pooled), and the counties, what the units' noise has
beyond it (``county_low/high``, ``sd_county``, ``county_share``). ``combined`` is the three added, each
clipped at zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ygt_abm.analysis.summary import paired
from ygt_abm.vocabulary import is_variant

KEYS = ["scenario", "county", "year", "metric"]
Z = float(stats.norm.ppf(0.975))
#: the ``county`` of the rows that pool a region's counties, each run on its own
ACROSS_COUNTIES = "across counties"
COUNTY_COLUMNS = ("sd_county", "county_low", "county_high", "county_share")


def uncertainty_table(kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """One row per scenario (not the reference), county, year and metric: the paired effect's intervals;
    with several counties, also their pooled rows (county ``ACROSS_COUNTIES``)."""
    effects = paired(kpis[~kpis["scenario"].map(is_variant)], reference)
    table = split_uncertainty(effects, "difference", KEYS).assign(counties=1, **dict.fromkeys(COUNTY_COLUMNS, np.nan))
    if effects["county"].nunique() > 1:
        pooled = split_over_counties(effects, "difference", [k for k in KEYS if k != "county"])
        table = pd.concat([table, pooled.assign(county=ACROSS_COUNTIES)[table.columns]], ignore_index=True)
    table.insert(len(KEYS), "reference", reference)
    return table


def counties_as_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Runs of counties run on their own as the replicates of one county drawn like them: each (county,
    replicate) a replicate of its own, the county ``ACROSS_COUNTIES``."""
    return frame.assign(replicate=frame["county"].astype(str) + "\n" + frame["replicate"].astype(str),
                        county=ACROSS_COUNTIES)


def split_over_counties(frame: pd.DataFrame, value: str, keys: list[str]) -> pd.DataFrame:
    """``split_uncertainty`` over counties run on their own: each (county, replicate) a unit, whose noise is
    split into chance (between replicates of one county and member) and the counties' geography (the rest)."""
    table = split_uncertainty(counties_as_units(frame), value, keys).drop(columns="replicates")
    cells = frame.groupby(keys + ["point", "county"], sort=False)
    within = cells[value].var().groupby(level=keys, sort=False).mean().rename("chance")
    sizes = frame.groupby(keys, sort=False).agg(counties=("county", "nunique"), replicates=("replicate", "nunique"))
    table = table.merge(sizes.reset_index(), on=keys).merge(within.reset_index(), on=keys, how="left")
    chance = table.pop("chance").where(table["replicates"] > 1)
    county = (table["sd_replicate"] ** 2 - chance).clip(lower=0.0)
    parameter = table["sd_parameter"] ** 2
    # all three, each clipped at zero: no range of a source is wider than that of all together
    combined = (parameter + county + chance).where(chance.notna(), ((table["combined_high"] - table["mean"]) / Z) ** 2)
    table["sd_replicate"], table["sd_county"] = np.sqrt(chance), np.sqrt(county)
    for kind, variance in (("replicate", chance), ("county", county), ("combined", combined)):
        half = Z * np.sqrt(variance)
        table[f"{kind}_low"], table[f"{kind}_high"] = table["mean"] - half, table["mean"] + half
    table["parameter_share"] = (parameter / combined).where(combined > 0)
    table["county_share"] = (county / combined).where(combined > 0)
    return table


def split_uncertainty(frame: pd.DataFrame, value: str, keys: list[str]) -> pd.DataFrame:
    """For every ``keys`` group of an ensemble's runs (members are ``point``s, on shared seeds): the mean
    of ``value`` over members, and the parameter and run-to-run variances with their 95% ranges (levels or
    paired differences alike)."""
    runs = frame[keys + ["point", "replicate", value]]
    by = runs.groupby(keys, sort=False)[value]
    member_means = runs.groupby(keys + ["point"], sort=False)[value].transform("mean")
    replicate_means = runs.groupby(keys + ["replicate"], sort=False)[value].transform("mean")
    residual = runs[value] - member_means - replicate_means + by.transform("mean")
    table = runs.assign(residual_squared=residual ** 2).groupby(keys, sort=False).agg(
        mean=(value, "mean"), members=("point", "nunique"), replicates=("replicate", "nunique"),
        residual_ss=("residual_squared", "sum"), total_var=(value, "var")).reset_index()
    spread = {name: runs.groupby(keys + [name], sort=False)[value].mean().groupby(level=keys, sort=False).var()
              for name in ("point", "replicate")}
    for name, variance in spread.items():
        table = table.merge(variance.rename(f"var_{name}_means").reset_index(), on=keys, how="left")
    m, r = table["members"], table["replicates"]
    residual_ms = table["residual_ss"] / ((m - 1) * (r - 1)).where((m > 1) & (r > 1))
    parameter = (table["var_point_means"] - residual_ms / r).clip(lower=0.0)
    noise = (table["var_replicate_means"] + residual_ms * (1 - 1 / m)).where(r > 1)
    noise = noise.where(m > 1, table["total_var"].where(r > 1))  # one member: its replicates' variance
    combined = (parameter.where(m > 1, 0.0) + noise).where(r > 1, table["total_var"])  # one replicate: the whole
    table["sd_replicate"], table["sd_parameter"] = np.sqrt(noise), np.sqrt(parameter.where(r > 1))
    for kind, variance in (("replicate", noise), ("parameter", parameter.where(r > 1)), ("combined", combined)):
        half = Z * np.sqrt(variance)
        table[f"{kind}_low"], table[f"{kind}_high"] = table["mean"] - half, table["mean"] + half
    table["parameter_share"] = (parameter / combined).where((r > 1) & (combined > 0))
    return table.drop(columns=["residual_ss", "total_var", "var_point_means", "var_replicate_means"])


def last_year_rows(table: pd.DataFrame, metrics) -> pd.DataFrame:
    """uncertainty.csv's rows of ``metrics`` in the last year, each with the ``package`` it is printed as (the
    scenario; with its county where the region has several, for intervals of counties are not averaged).
    Where the counties are pooled (``ACROSS_COUNTIES``), those rows alone."""
    last = table[(table["year"] == table["year"].max()) & table["metric"].isin(list(metrics))]
    if "county" in last and (last["county"] == ACROSS_COUNTIES).any():
        return last[last["county"] == ACROSS_COUNTIES].assign(package=lambda f: f["scenario"])
    several = last["county"].nunique() > 1
    return last.assign(package=[f"{s} · {c}" if several else s for s, c in zip(last["scenario"], last["county"])])
