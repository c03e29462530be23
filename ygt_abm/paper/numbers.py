"""What the paper's text and tables quote, taken from result tables: each quoted number looked up by the
row and column its manifest entry names, and the paper's tables (fit, effects, attainment, sensitivity,
the published evaluations) with their cells written out as the PDF shows them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ygt_abm.analysis.decomposition import DECOMPOSED, last_year_levers, ranked_levers
from ygt_abm.analysis.evaluations import SIMULATED
from ygt_abm.analysis.sensitivity import as_printed, ranking
from ygt_abm.analysis.uncertainty import last_year_rows
from ygt_abm.config.evaluations import Evaluation
from ygt_abm.config.targets import CalibrationTarget
from ygt_abm.paper.manifest import LAST, QuotedNumber
from ygt_abm.vocabulary import HEADLINE_INDICATORS, in_words, outcome_words, package_words, target_words


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
    if number.aggregate == "count":  # of the non-empty cells, numbers or words
        return float(rows[column].notna().sum())
    values = pd.to_numeric(rows[column])
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
        rows.append({"Package": package_words(scenario), **{
            in_words(m): _with_interval(*(100 * by.at[m, c] for c in ("mean", "ci_low", "ci_high")), "+.1f")
            for m in metrics if m in by.index}})
    return pd.DataFrame(rows)


#: what a package costs the fund and patients and what it does to the workforce, beside the shares
PROVINCE_OUTCOMES = {"fund_spending_per_enrollee": "yuan a year", "oop_per_episode": "yuan",
                     "doctors_per_1000": "", "village_doctors": ""}


def outcome_cells(effects: pd.DataFrame) -> pd.DataFrame:
    """The baseline's level of each outcome in ``PROVINCE_OUTCOMES`` in the last year, then each package's paired
    difference from it [95% interval] in the outcome's units, and as a share of the level."""
    metrics = [m for m in PROVINCE_OUTCOMES if m in set(effects["metric"])]
    header = {m: in_words(m).capitalize() + (f" ({PROVINCE_OUTCOMES[m]})" if PROVINCE_OUTCOMES[m] else "")
              for m in metrics}
    levels = effects.groupby("metric", sort=False)["baseline"].first()
    rows = [{"Package": "Baseline (level)", **{header[m]: _num(levels[m]) for m in metrics}}]
    for scenario, group in effects.groupby("scenario", sort=False):
        by = group.set_index("metric")
        rows.append({"Package": package_words(scenario), **{
            header[m]: (f"{_effect(by.at[m, 'mean'], False)} [{_effect(by.at[m, 'ci_low'], False)}, "
                        f"{_effect(by.at[m, 'ci_high'], False)}] ({_effect(by.at[m, 'relative_mean'], True)})")
            for m in metrics if m in by.index}})
    return pd.DataFrame(rows)


#: the indicators of where care happens that the documents set targets on, for the uncertainty table
TARGETED_INDICATORS = ("primary_care_visit_share", "in_county_visit_rate", "in_county_inpatient_share",
                       "primary_care_fund_share")


def uncertainty_cells(uncertainty: pd.DataFrame, metrics: tuple[str, ...] = TARGETED_INDICATORS) -> pd.DataFrame:
    """Each package's effect in the last year over a calibrated ensemble, in percentage points: the mean over
    members, the 95% ranges of one county's effect from its chance, the parameters (and, over counties run on
    their own, the counties' geography) and all together ("none": narrower than the 0.1 point printed, a
    source whose variance is estimated at or near zero), and the parameters' share of the variance."""
    last = last_year_rows(uncertainty, metrics)
    counties = "county_low" in last and last["county_low"].notna().any()

    def span(row, kind: str) -> str:
        low, high = row[f"{kind}_low"], row[f"{kind}_high"]
        if pd.isna(low):
            return "—"
        ends = f"{100 * low:.1f}", f"{100 * high:.1f}"
        return "none" if ends[0] == ends[1] else f"[{ends[0]}, {ends[1]}]"  # narrower than the printed 0.1 point

    def share(x: float) -> str:
        return "—" if pd.isna(x) else f"{x:.0%}"

    return pd.DataFrame([{"Package": package_words(r["package"]), "Indicator": in_words(r["metric"]),
                          "Effect": f"{100 * r['mean']:+.1f}", "Chance": span(r, "replicate"),
                          "Parameters": span(r, "parameter"),
                          **({"Counties": span(r, "county")} if counties else {}),
                          ("All" if counties else "Both"): span(r, "combined"),
                          "Parameters' share": share(r["parameter_share"]),
                          **({"Counties' share": share(r["county_share"])} if counties else {})}
                         for _, r in last.iterrows()])


def dose_response_cells(dose: pd.DataFrame, metrics: tuple[str, ...] = TARGETED_INDICATORS) -> pd.DataFrame:
    """Each package's effect in the last year, in percentage points, at the lowest and the highest strength
    swept, and its slope per unit of the swept strength [95% interval over replicates]."""
    last = last_year_rows(dose, metrics)
    return pd.DataFrame([{"Package": package_words(r["package"]), "Indicator": in_words(r["metric"]),
                          f"Effect at {r['dose_low']:g}": f"{100 * r['effect_low']:+.1f}",
                          f"Effect at {r['dose_high']:g}": f"{100 * r['effect_high']:+.1f}",
                          "Slope per unit": _with_interval(*(100 * r[c] for c in ("slope", "slope_low", "slope_high")),
                                                           "+.1f")}
                         for _, r in last.iterrows()])


def attainment_cells(attainment: pd.DataFrame) -> pd.DataFrame:
    """Each package's targets: what (an "about" target with its band), by when, the mean then and the
    probability across runs of reaching it, each beside the baseline's in the same year, and (over an
    ensemble) the share of parameter sets whose mean reaches it."""
    def share(column: str) -> pd.Series:
        values = attainment[column] if column in attainment else pd.Series(np.nan, index=attainment.index)
        return values.map(lambda p: "—" if pd.isna(p) else f"{p:.2f}")

    def level(column: str) -> pd.Series:
        values = attainment[column] if column in attainment else pd.Series(np.nan, index=attainment.index)
        return values.map(_num)

    bands = attainment["band"] if "band" in attainment else pd.Series(np.nan, index=attainment.index)
    return pd.DataFrame({
        "Package": attainment["scenario"].map(package_words),
        "Target": [target_words(i, c, t, int(y), b) for i, c, t, y, b in
                   zip(attainment["indicator"], attainment["comparison"], attainment["target"],
                       attainment["target_year"], bands)],
        "Clause": attainment["clause"],
        "Simulated year": attainment["simulated_year"].map(lambda y: "—" if pd.isna(y) else str(int(y))),
        "Mean then": level("mean_at_target_year"),
        "Baseline then": level("baseline_mean_at_target_year"),
        "P(reached)": share("probability"),
        "Baseline P(reached)": share("baseline_probability"),
        "Parameter sets reaching": share("points_whose_mean_meets"),
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
        rows.append({"Effect of": package_words(scenario), "Indicator": in_words(metric),
                     **{in_words(p): f"{scale * values[p]:.2f}" for p in leaders}})
    return pd.DataFrame(rows)


def sobol_cells(sensitivity: pd.DataFrame, metrics: tuple[str, ...] = TARGETED_INDICATORS, top: int = 2
                ) -> pd.DataFrame:
    """Each package's effect on ``metrics``: the ``top`` parameters by total index ST, each with ST and the
    first-order S1 and their 95% bootstrap intervals, and the sum of S1 over all parameters (1 where they act
    alone). Indices are shares of variance: an estimate outside [0, 1] is sampling error, printed at the bound."""
    effects = sensitivity[(sensitivity["measure"] == "effect") & sensitivity["metric"].isin(list(metrics))]
    effects = effects[effects["year"] == effects["year"].max()]

    def index(rows: pd.DataFrame) -> str:
        value, low, high = as_printed(rows)[["value", "ci_low", "ci_high"]].iloc[0]
        return f"{value:.2f} [{low:.2f}, {high:.2f}]"

    table = []
    for (scenario, metric), rows in effects.groupby(["scenario", "metric"], sort=False):
        st, s1 = rows[rows["index"] == "ST"], rows[rows["index"] == "S1"]
        row = {"Effect of": package_words(scenario), "Indicator": in_words(metric)}
        for rank, parameter in enumerate(st.sort_values("value", ascending=False)["parameter"][:top], start=1):
            row[f"#{rank}"] = in_words(parameter)
            row[f"#{rank} ST"] = index(st[st["parameter"] == parameter])
            row[f"#{rank} S1"] = index(s1[s1["parameter"] == parameter])
        row["Sum of S1"] = f"{s1['value'].sum():.2f}"  # the estimates' sum, not the printed indices'
        table.append(row)
    return pd.DataFrame(table)


def _effect(x: object, relative: bool) -> str:
    """An effect or a band's end as printed: a relative one in percent, a difference in its units."""
    if pd.isna(x):
        return ""
    x = float(x)  # type: ignore[arg-type]
    if x == 0:  # a sign band's end, or no effect at all: no sign to print
        return "0"
    if relative:
        return f"{100 * x:+.3g}%"
    return f"{x:+,.0f}" if abs(x) >= 1000 else f"{x:+.3g}"


def _band(low: float, high: float, relative: bool) -> str:
    if pd.isna(low):
        return f"≤ {_effect(high, relative)}"
    if pd.isna(high):
        return f"≥ {_effect(low, relative)}"
    return f"{_effect(low, relative)} to {_effect(high, relative)}"


def _yes(x: object) -> str:
    """True, False or not applicable (empty: counted by no quoted number)."""
    return "" if pd.isna(x) else ("yes" if str(x) == "True" else "no")


def _points(x: float) -> str:
    """Percentage points to one decimal, signed; no negative zero."""
    return f"{round(x, 1) + 0.0:+.1f}"


def lever_cells(decomposition: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """Each package's ``top`` levers in the last year (ranked as the decomposition figure ranks them), on each
    decomposed indicator, in percentage points: the lever's effect alone, its contribution within the package
    (the package's effect less that of the package without it), and their difference, the interaction (what
    the package's other levers add to this one's effect, or take from it)."""
    last = last_year_levers(decomposition).set_index(["package", "lever", "metric"])
    rows = []
    for package in sorted(set(last.index.get_level_values("package"))):
        part = last.loc[package]
        for lever in ranked_levers(part.reset_index())[:top]:
            row = {"Package": package_words(package), "Lever": in_words(lever)}
            for metric in DECOMPOSED:
                alone, within = (100 * part.loc[(lever, metric), f"{k}_mean"] for k in ("alone", "contribution"))
                name = in_words(metric).capitalize()
                row |= {f"{name}: alone": _points(alone), f"{name}: in the package": _points(within),
                        f"{name}: interaction": _points(within - alone)}
            rows.append(row)
    return pd.DataFrame(rows)


def posterior_cells(summary: pd.DataFrame) -> pd.DataFrame:
    """An ensemble's summary (``analysis/ensemble.py``) as printed: each parameter by its group and words, its
    default, and the median and 90% range of the members' values."""
    def parameter_words(name: str) -> str:
        return ", ".join(in_words(part) for part in name.split(".")[1:])

    return pd.DataFrame([{"Group": r.part.capitalize(), "Parameter": parameter_words(r.parameter),
                          "Default": f"{r.default:,g}", "Median": _num(r.median),
                          "90% of draws": f"[{_num(r.q05)}, {_num(r.q95)}]"} for r in summary.itertuples()])


#: an evaluation's design as a reader reads it (``config/evaluations.py``, DESIGNS)
DESIGN_WORDS = {"did": "difference-in-differences", "staggered_did": "staggered difference-in-differences",
                "rct": "randomised trial", "its": "interrupted time series", "controlled_its":
                "controlled interrupted time series", "before_after": "before and after", "cross_section":
                "cross-section"}


def target_source_cells(targets: list[CalibrationTarget]) -> pd.DataFrame:
    """The calibration targets as data sources: each target's value and tolerance, its role, the published
    figures it is derived from (with their years) and how the tolerance was set."""
    return pd.DataFrame([{"Target": t.name, "Role": t.role, "Value": f"{_num(t.value)} ± {_num(t.tolerance)}",
                          "Source": t.source, "Tolerance": t.tolerance_note or "—"} for t in targets])


def evaluation_source_cells(evaluations: list[Evaluation]) -> pd.DataFrame:
    """The published evaluations as data sources: each one's set, design, the years before and after the
    reform, and its setting (where, on what data, how many)."""
    def years(span: tuple[int | None, int | None]) -> str:
        first, last = ("?" if y is None else str(y) for y in span)
        return first if first == last else f"{first}–{last}"

    def period(e: Evaluation) -> str:
        if e.period.pre == (None, None) and e.period.post == (None, None):
            return "not given"
        return f"{years(e.period.pre)} → {years(e.period.post)}"

    return pd.DataFrame([{"Evaluation": e.label or e.id, "Set": e.set, "Design": DESIGN_WORDS[e.design],
                          "Before → after": period(e), "Setting": " ".join(e.setting.split())}
                         for e in evaluations])


def evaluation_cells(evaluations: pd.DataFrame) -> pd.DataFrame:
    """evaluations.csv (``ygt-abm evaluations``) as printed: one row per outcome (an evaluation with nothing
    expressible, one row saying so), its set, what it measures and over which years, the published
    estimate (``†``: on another scale, only its band compared) and band, what the band compares (``size``: an
    interval around the effect; ``sign``: only the published side of zero), the simulated mean [95% interval],
    and whether the mean is inside the band and has the published sign (empty: no sign to compare)."""
    rows = []
    for r in evaluations.itertuples():
        row = {"Evaluation": r.label, "Set": r.set}
        if r.status != SIMULATED:
            rows.append(row | {"Indicator": "not expressible in the model", "Years": "", "Published [band]": "",
                               "Band": "", "Simulated [95% interval]": "not run", "Inside band": "", "Right sign": ""})
            continue
        relative = r.effect == "relative"
        published = "" if pd.isna(r.estimate) else _effect(r.estimate, relative and pd.isna(r.scale)) + \
            (" †" if not pd.isna(r.scale) else "")
        rows.append(row | {
            "Indicator": outcome_words(r.indicator, "" if pd.isna(r.of) else r.of) + (" (relative)" if relative else ""),
            "Years": str(r.years).replace(" ", ", "),
            "Published [band]": f"{published} [{_band(r.band_low, r.band_high, relative)}]".lstrip(),
            "Band": "sign" if r.band_basis == "sign" else "size",
            "Simulated [95% interval]": f"{_effect(r.mean, relative)} [{_effect(r.ci_low, relative)}, "
                                        f"{_effect(r.ci_high, relative)}]",
            "Inside band": _yes(r.inside_band), "Right sign": _yes(r.sign_right)})
    return pd.DataFrame(rows)
