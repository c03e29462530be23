"""What the paper's text and tables quote, taken from result tables: each quoted number looked up by the
row and column its manifest entry names, and the paper's tables (fit, effects, attainment, sensitivity,
validation) with their cells written out as the PDF shows them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ygt_abm.analysis.sensitivity import ranking
from ygt_abm.analysis.uncertainty import last_year_rows
from ygt_abm.analysis.summary import interval, paired
from ygt_abm.paper.manifest import LAST, PublishedEvaluation, QuotedNumber
from ygt_abm.vocabulary import HEADLINE_INDICATORS


class MissingNumber(Exception):
    """A quoted number whose row is not in its table (or is there more than once)."""


def read_table(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def selected_rows(table: pd.DataFrame, where: dict) -> pd.DataFrame:
    """The rows whose columns equal ``where``'s values (``year: last``: the table's last year)."""
    mask = np.ones(len(table), dtype=bool)
    for column, wanted in where.items():
        if column not in table.columns:
            raise MissingNumber(f"no column {column!r} (columns: {', '.join(map(str, table.columns))})")
        if wanted == LAST:
            wanted = table[column].max()
        values = table[column]
        mask &= (values.astype(str) == str(wanted)) | (pd.to_numeric(values, errors="coerce") == wanted
                                                         if isinstance(wanted, int | float) else False)
    return table[mask]


def number_value(number: QuotedNumber, table: pd.DataFrame) -> float:
    rows = selected_rows(table, number.where)
    if number.aggregate == "count" and number.column is None:
        return float(len(rows))
    column = number.column or "mean"
    if column not in table.columns:
        raise MissingNumber(f"no column {column!r}")
    values = pd.to_numeric(rows[column])
    if number.aggregate == "count":
        return float(values.notna().sum())
    if number.aggregate == "one":
        if len(values) != 1:
            raise MissingNumber(f"{len(values)} rows match {number.where}; expected exactly one")
        return float(values.iloc[0])
    return float(getattr(values, number.aggregate)())


def table_path(table: str, build: Path) -> Path:
    """Where a number's table is: ``tables/<file>`` among the paper's tables, ``<experiment>/<file>`` among
    the results of the paper's build folder ``build``."""
    return build / table if table.startswith("tables/") else build / "results" / table


def quoted_numbers(numbers: dict[str, QuotedNumber], build: Path) -> dict[str, dict]:
    """Every quoted number: its value, the text the paper prints, and where it comes from."""
    cache: dict[str, pd.DataFrame] = {}
    quoted = {}
    for name, number in numbers.items():
        if number.table not in cache:
            cache[number.table] = read_table(table_path(number.table, build))
        try:
            value = number_value(number, cache[number.table])
        except MissingNumber as exc:
            raise MissingNumber(f"number {name!r} ({number.table}): {exc}") from None
        quoted[name] = {"value": value, "text": format(value * number.scale, number.format),
                        "table": number.table, "where": number.where, "column": number.column,
                        "aggregate": number.aggregate}
    return quoted


# ---------------------------------------------------------------------------------------------- tables

def _num(x: float) -> str:
    if pd.isna(x):
        return "—"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _with_interval(mean: float, low: float, high: float, spec: str = "+.3f") -> str:
    return f"{mean:{spec}} [{low:{spec.lstrip('+')}}, {high:{spec.lstrip('+')}}]"


def fit_cells(fit: pd.DataFrame) -> pd.DataFrame:
    """The fit table as printed: target, role, target ± tolerance, simulated mean [95% interval], within."""
    return pd.DataFrame({
        "Target": fit["target"].str.replace("_", " "),
        "Role": fit["role"],
        "Published": [f"{_num(v)} ± {_num(t)}" for v, t in zip(fit["value"], fit["tolerance"])],
        "Simulated [95% CI]": [f"{_num(m)} [{_num(lo)}, {_num(hi)}]" if not pd.isna(m) else "not measured"
                               for m, lo, hi in zip(fit["mean"], fit["ci_low"], fit["ci_high"])],
        "Within": ["—" if pd.isna(w) else ("yes" if w else "no") for w in fit["within"]],
    })


def effect_cells(differences: pd.DataFrame, metrics: tuple[str, ...] = HEADLINE_INDICATORS) -> pd.DataFrame:
    """Each package's paired difference from the baseline in the last year, in percentage points, with its
    95% interval: one row per package, one column per indicator."""
    last = differences[(differences["year"] == differences["year"].max()) & differences["metric"].isin(metrics)]
    rows = []
    for scenario, group in last.groupby("scenario", sort=False):
        by = group.set_index("metric")
        rows.append({"Package": scenario, **{
            m.replace("_", " "): _with_interval(*(100 * by.at[m, c] for c in ("mean", "ci_low", "ci_high")), "+.1f")
            for m in metrics if m in by.index}})
    return pd.DataFrame(rows)


#: the indicators of where care happens that the documents set targets on, for the uncertainty table
TARGETED_INDICATORS = ("primary_care_visit_share", "in_county_visit_rate", "in_county_inpatient_share",
                       "primary_care_fund_share")


def uncertainty_cells(uncertainty: pd.DataFrame, metrics: tuple[str, ...] = TARGETED_INDICATORS) -> pd.DataFrame:
    """Each package's effect in the last year over a calibrated ensemble, in percentage points: the mean over
    members, the 95% ranges of one county's effect from its chance, the parameters and both, and the
    parameters' share of the variance."""
    last = last_year_rows(uncertainty, metrics)

    def span(row, kind: str) -> str:
        low, high = row[f"{kind}_low"], row[f"{kind}_high"]
        return "—" if pd.isna(low) else f"[{100 * low:.1f}, {100 * high:.1f}]"

    return pd.DataFrame([{"Package": r["package"], "Indicator": r["metric"].replace("_", " "),
                          "Effect": f"{100 * r['mean']:+.1f}", "Chance": span(r, "replicate"),
                          "Parameters": span(r, "parameter"), "Both": span(r, "combined"),
                          "Parameters' share": "—" if pd.isna(r["parameter_share"]) else f"{r['parameter_share']:.0%}"}
                         for _, r in last.iterrows()])


def attainment_cells(attainment: pd.DataFrame) -> pd.DataFrame:
    """Each package's targets: what, by when, the probability across runs of reaching it, and (over an
    ensemble) the share of parameter sets whose mean reaches it."""
    return pd.DataFrame({
        "Package": attainment["scenario"],
        "Target": [f"{i.replace('_', ' ')} {c} {t:g} by {int(y)}" for i, c, t, y in
                   zip(attainment["indicator"], attainment["comparison"], attainment["target"],
                       attainment["target_year"])],
        "Clause": attainment["clause"],
        "Simulated year": attainment["simulated_year"].map(lambda y: "—" if pd.isna(y) else str(int(y))),
        "Mean then": attainment["mean_at_target_year"].map(_num),
        "P(reached)": attainment["probability"].map(lambda p: "—" if pd.isna(p) else f"{p:.2f}"),
        "Parameter sets reaching": attainment["points_whose_mean_meets"].map(
            lambda p: "—" if pd.isna(p) else f"{p:.2f}"),
    })


def sensitivity_cells(sensitivity: pd.DataFrame, top: int = 5) -> pd.DataFrame:
    """The parameters that move each package's effect most: Morris μ* in percentage points, or the Sobol
    total index ST (the share of the effect's variance a parameter explains with its interactions)."""
    wide = ranking(sensitivity)
    effects = wide.xs("effect", level="measure") if "effect" in wide.index.get_level_values("measure") else wide
    leaders = list(effects.abs().mean().sort_values(ascending=False).index[:top])  # by the effects alone
    scale = 1.0 if (sensitivity["index"] == "ST").any() else 100.0
    rows = []
    for (scenario, metric), values in effects.iterrows():
        rows.append({"Effect of": scenario, "Indicator": metric.replace("_", " "),
                     **{p.split(".")[-1].replace("_", " "): f"{scale * values[p]:.2f}" for p in leaders}})
    return pd.DataFrame(rows)


def validation_cells(evaluations: list[PublishedEvaluation], kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Each published evaluation beside the simulated effect that corresponds to it: the package's metrics
    (summed) minus the reference's on the same replicate, as a difference or relative to the reference, mean
    [95% interval]. A study's year beyond the simulated years is compared at the last simulated year (the
    quick build simulates few)."""
    rows = []
    for e in evaluations:
        year = min(e.year, int(kpis["year"].max()))
        chosen = kpis[kpis["metric"].isin(e.metrics) & (kpis["year"] == year)
                      & kpis["scenario"].isin([e.scenario, reference])]
        summed = chosen.groupby(["scenario", "point", "replicate", "county", "year"], as_index=False)["value"].sum()
        pairs = paired(summed.assign(metric="+".join(e.metrics)), reference)
        simulated = "not simulated"
        if len(pairs):
            pairs["effect"] = e.scale * pairs["difference"] / (pairs["value_reference"] if e.measure == "relative" else 1.0)
            r = interval(pairs, "effect", ["scenario"]).iloc[0]
            simulated = _with_interval(r["mean"], r["ci_low"], r["ci_high"], e.format) + \
                (f" {e.unit}" if e.unit else "") + f" (year {year})"
        rows.append({"Evaluation": e.evaluation, "Source": e.source, "Published": e.published,
                     "Simulated analogue": f"{e.scenario}: {' + '.join(m.replace('_', ' ') for m in e.metrics)}",
                     "Simulated": simulated})
    return pd.DataFrame(rows)
