"""The fit of a baseline to the calibration targets: for each target, the simulated mean over runs (each
county of each replicate is one run), its 95% t-interval, and whether the mean lies within the target's
tolerance. Level targets average each run's recorded years (a stationary baseline); drift targets compare a
run's last two years with its first two; growth targets are the mean yearly relative change from the first
recorded year to the last; elasticity targets come from the price-elasticity experiment's
table (its first recorded year, as the studies measure it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.analysis.elasticity import elasticity_table, single_price_changes
from ygt_abm.analysis.summary import interval

RUN = ["scenario", "point", "replicate", "county"]
COLUMNS = ["target", "role", "value", "tolerance", "mean", "ci_low", "ci_high", "n", "within", "source"]


def _measured(kpis: pd.DataFrame, target) -> pd.Series:
    """One value per run (RUN keys) of what ``target`` measures."""
    wide = kpis[kpis["metric"].isin(target.indicators())].pivot_table(index=RUN + ["year"], columns="metric",
                                                                      values="value")
    series = wide[target.indicator]
    if target.of:
        series = series / wide[target.of].sum(axis=1)
    by_run = series.groupby(level=RUN)
    if target.measure == "drift":
        def drift(run: pd.Series) -> float:
            years = run.sort_index(level="year").to_numpy()
            edge = 2 if len(years) >= 4 else 1
            return float(years[-edge:].mean() - years[:edge].mean())
        return by_run.apply(drift)
    if target.measure == "growth":
        def growth(run: pd.Series) -> float:
            years = run.sort_index(level="year").to_numpy()
            return float((years[-1] / years[0]) ** (1.0 / (len(years) - 1)) - 1.0) if len(years) > 1 else np.nan
        return by_run.apply(growth)
    return by_run.mean()


def fit_table(kpis: pd.DataFrame, targets: list, elasticities: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per target: the simulated mean, 95% interval, runs, and within tolerance or not (NaN where
    the target was not measured: no elasticity table given)."""
    rows = []
    for target in targets:
        row = {"target": target.name, "role": target.role, "value": target.value, "tolerance": target.tolerance,
               "source": target.source}
        if target.measure == "elasticity":
            found = pd.DataFrame() if elasticities is None else elasticities[
                (elasticities["kind"] == target.kind) & (elasticities["level"] == target.level)
                & (elasticities["year"] == elasticities["year"].min())]
            stats = found[["mean", "ci_low", "ci_high", "n"]].mean() if len(found) else None
        else:
            runs = _measured(kpis, target).rename("x").reset_index()
            runs["all"] = 0
            stats = interval(runs, "x", ["all"]).iloc[0] if len(runs) else None
        if stats is None:
            row.update(mean=np.nan, ci_low=np.nan, ci_high=np.nan, n=0, within=np.nan)
        else:
            row.update(mean=float(stats["mean"]), ci_low=float(stats["ci_low"]), ci_high=float(stats["ci_high"]),
                       n=int(stats["n"]), within=bool(abs(stats["mean"] - target.value) <= target.tolerance))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def experiment_fit(kpis: pd.DataFrame, resolved, targets: list) -> pd.DataFrame:
    """The fit of a calibration experiment's runs (a ``ResolvedExperiment``'s): the baseline targets from its
    reference scenario's runs, the elasticity targets from its scenarios that raise one price (unmeasured
    where it has none)."""
    reference = resolved.experiment.reference_scenario
    changes = single_price_changes(resolved.interventions, reference)
    elasticities = elasticity_table(kpis, reference, changes) if changes else None
    return fit_table(kpis[kpis["scenario"] == reference], targets, elasticities)


def measured_elasticities(resolved) -> set[tuple[str, str]]:
    """The (contact kind, level) elasticities the experiment's runs measure: one for each scenario that raises
    one price."""
    return set(single_price_changes(resolved.interventions, resolved.experiment.reference_scenario).values())


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def fit_markdown(table: pd.DataFrame) -> str:
    """The fit table as Markdown (numbers to 3 significant digits; ✓ within tolerance, ✗ not, — not measured)."""
    lines = ["| target | role | target value | tolerance | simulated mean | 95% interval | runs | within |",
             "|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        measured = not pd.isna(r.mean)
        mark = "—" if not measured else ("✓" if r.within else "✗")
        interval_text = f"{_number(r.ci_low)} to {_number(r.ci_high)}" if measured and not pd.isna(r.ci_low) else "—"
        lines.append(f"| {r.target} | {r.role} | {_number(r.value)} | ±{_number(r.tolerance)} | "
                     f"{_number(r.mean) if measured else 'not measured'} | {interval_text} | {r.n} | {mark} |")
    return "\n".join(lines) + "\n"
