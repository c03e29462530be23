"""Simulated effects of published evaluations, measured as configs/calibration/evaluations.yaml defines
them, and compared with the published bands.

An outcome measures an indicator, or the sum of a list of indicators, or that sum's share ``of`` another
sum, in every (scenario, replicate, county, year) of a run. Each arm's value is averaged over the outcome's
``years`` and over counties, per replicate; the effect is treated − control (``difference``) or
(treated − control) ÷ control (``relative``), paired by replicate (both arms share every random number), and
is summarised by its mean over replicates and the 95% t-interval of that mean. The mean is inside the band
or not; its sign is right when it has the sign the band implies (the band's side of zero, or the published
estimate's sign where the band straddles zero).

Nothing here depends on which set an evaluation belongs to: the set is a column carried through, so fitting
code may measure its training evaluations with the same functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ygt_abm.analysis.summary import interval
from ygt_abm.config.evaluations import Evaluation, Outcome

CONTROL, TREATED = "control", "treated"
SIMULATED, NOT_EXPRESSIBLE = "simulated", "not expressible"

#: evaluations.csv: one row per outcome (an evaluation without outcomes: one row, status not expressible)
COLUMNS = ["id", "label", "set", "batch", "family", "outcome", "status", "indicator", "of", "effect", "years", "estimate", "scale",
           "band_low", "band_high", "band_basis", "mean", "ci_low", "ci_high", "replicates", "inside_band",
           "sign_right", "interval_overlaps_band"]


@dataclass(frozen=True)
class Effect:
    """A simulated effect: mean over replicates, its 95% t-interval, and the replicates it is paired over."""

    mean: float
    ci_low: float
    ci_high: float
    replicates: int


def arm_values(kpis: pd.DataFrame, outcome: Outcome) -> pd.Series:
    """What ``outcome`` measures, per (scenario, point, replicate): the indicator (or the sum of the listed
    indicators, or its share of the ``of`` sum) in each county and year, averaged over the outcome's years
    and the counties."""
    rows = kpis[kpis["metric"].isin(outcome.indicators()) & kpis["year"].isin(outcome.years)]
    missing = set(outcome.indicators()) - set(rows["metric"])
    if missing or set(outcome.years) - set(rows["year"]):
        raise ValueError(f"the runs do not record {sorted(missing) or 'the years'} of the outcome "
                         f"(years {outcome.years})")
    wide = rows.pivot_table(index=["scenario", "point", "replicate", "county", "year"], columns="metric",
                            values="value", aggfunc="first")
    named = [outcome.indicator] if isinstance(outcome.indicator, str) else list(outcome.indicator)
    value = wide[named].sum(axis=1)
    if outcome.of:
        value = value / wide[list(outcome.of)].sum(axis=1)
    return value.groupby(level=["scenario", "point", "replicate"]).mean()


def outcome_effect(kpis: pd.DataFrame, outcome: Outcome, control: str = CONTROL, treated: str = TREATED) -> Effect:
    """The paired effect of ``treated`` against ``control`` on ``outcome`` (see the module docstring)."""
    values = arm_values(kpis, outcome).unstack("scenario")
    pairs = values[[control, treated]].dropna()
    if pairs.empty:
        raise ValueError(f"no replicate has both {control!r} and {treated!r}")
    change = pairs[treated] - pairs[control]
    if outcome.effect == "relative":
        change = change / pairs[control]
    stats = interval(change.rename("x").reset_index().assign(all=0), "x", ["all"]).iloc[0]
    return Effect(float(stats["mean"]), float(stats["ci_low"]), float(stats["ci_high"]), int(stats["n"]))


def expected_sign(outcome: Outcome) -> int:
    """+1 or −1: the side of zero the band lies on, else the published estimate's sign; 0 when neither says."""
    low, high = outcome.band
    if low is not None and low >= 0:
        return 1
    if high is not None and high <= 0:
        return -1
    return int(np.sign(outcome.estimate)) if outcome.estimate else 0


def overlaps(outcome: Outcome, effect: Effect) -> bool:
    """Whether the effect's 95% interval and the band share a point (open ends reach to infinity)."""
    low, high = outcome.band
    return (high is None or effect.ci_low <= high) and (low is None or effect.ci_high >= low)


def compare(outcome: Outcome, effect: Effect) -> dict[str, object]:
    """The effect against the published band: inside (the mean), sign right, interval overlapping."""
    sign = expected_sign(outcome)
    return {"mean": effect.mean, "ci_low": effect.ci_low, "ci_high": effect.ci_high, "replicates": effect.replicates,
            "inside_band": outcome.contains(effect.mean),
            "sign_right": bool(np.sign(effect.mean) == sign) if sign else None,
            "interval_overlaps_band": overlaps(outcome, effect)}


def _describe(evaluation: Evaluation, index: int, outcome: Outcome | None) -> dict[str, object]:
    row: dict[str, object] = {"id": evaluation.id, "label": evaluation.label or evaluation.id, "set": evaluation.set,
                              "batch": evaluation.batch, "family": evaluation.family,
                              "outcome": index}
    if outcome is None:
        return row | {"status": NOT_EXPRESSIBLE, "indicator": "; ".join(evaluation.not_expressible)}
    named = [outcome.indicator] if isinstance(outcome.indicator, str) else outcome.indicator
    return row | {"status": SIMULATED, "indicator": " + ".join(named), "of": " + ".join(outcome.of or []),
                  "effect": outcome.effect, "years": " ".join(str(y) for y in outcome.years),
                  "estimate": outcome.estimate, "scale": outcome.scale, "band_low": outcome.band[0],
                  "band_high": outcome.band[1], "band_basis": outcome.band_basis}


def evaluation_rows(evaluation: Evaluation, kpis: pd.DataFrame | None, control: str = CONTROL,
                    treated: str = TREATED) -> list[dict[str, object]]:
    """The rows of evaluations.csv for one evaluation: each outcome compared with its band (``kpis``: runs
    holding the evaluation's arms, scenarios ``control`` and ``treated``); an evaluation without outcomes is
    one row saying so."""
    if not evaluation.outcomes:
        return [_describe(evaluation, 0, None)]
    if kpis is None:
        raise ValueError(f"{evaluation.id}: its outcomes need its runs")
    return [_describe(evaluation, i, o) | compare(o, outcome_effect(kpis, o, control, treated))
            for i, o in enumerate(evaluation.outcomes)]


def evaluation_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows of ``evaluation_rows`` as the evaluations.csv table (its columns, in order)."""
    return pd.DataFrame(rows, columns=COLUMNS)


def set_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per set (in the table's order), over its simulated outcomes: how many, and how many (and what share)
    have the mean inside the band, the right sign, the interval overlapping the band; and the evaluations
    not run because nothing they measured is expressible. A later batch (``batch`` 2, registered after fitting began)
    also gets a row of its own, "batch 2"."""
    parts = list(table.groupby("set", sort=False))
    if "batch" in table and (table["batch"] == 2).any():
        parts.append(("batch 2", table[table["batch"] == 2]))
    return pd.DataFrame([_summary_row(name, part) for name, part in parts])


def _summary_row(name: str, part: pd.DataFrame) -> dict[str, object]:
    simulated = part[part["status"] == SIMULATED]
    signed = simulated[simulated["sign_right"].notna()]
    row: dict[str, object] = {"set": name, "evaluations": part["id"].nunique(),
                              "not_expressible": int((part["status"] == NOT_EXPRESSIBLE).sum()),
                              "outcomes": len(simulated)}
    for key, among in (("inside_band", simulated), ("sign_right", signed), ("interval_overlaps_band", simulated)):
        hits = int(among[key].astype(bool).sum())
        row[key] = hits
        row[f"{key}_of"] = len(among)
        row[f"{key}_share"] = hits / len(among) if len(among) else math.nan
    return row


def _number(x: object) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    x = float(x)  # type: ignore[arg-type]
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _mark(x: object) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else ("✓" if x else "✗")


def evaluations_markdown(table: pd.DataFrame) -> str:
    """evaluations.csv as Markdown: per set, the share of outcomes inside their band and with the right sign;
    then one line per outcome (✓ yes, ✗ no, — not applicable); evaluations not run are listed as such."""
    lines = ["| set | evaluations | not expressible | outcomes | inside band | right sign | interval overlaps band |",
             "|---|---|---|---|---|---|---|"]
    for s in set_summary(table).itertuples():
        shares = [f"{getattr(s, k)}/{getattr(s, k + '_of')} ({getattr(s, k + '_share'):.0%})"
                  if getattr(s, k + "_of") else "—" for k in ("inside_band", "sign_right", "interval_overlaps_band")]
        lines.append(f"| {s.set} | {s.evaluations} | {s.not_expressible} | {s.outcomes} | " + " | ".join(shares) + " |")
    lines += ["", "| evaluation | set | family | indicator | effect | years | published | band | basis | "
              "simulated mean | 95% interval | reps | inside | sign | overlaps |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        if r.status != SIMULATED:
            lines.append(f"| {r.id} | {r.set} | {r.family} | not expressible: {r.indicator.replace('|', '/')} | "
                         "| | | | | not run | | | | | |")
            continue
        indicator = f"{r.indicator} of ({r.of})" if r.of else r.indicator
        band = f"[{_number(r.band_low)}, {_number(r.band_high)}]".replace("—", "open")
        lines.append(f"| {r.id} | {r.set} | {r.family} | {indicator} | {r.effect} | {r.years} | {_number(r.estimate)}"
                     f"{' †' if r.scale else ''} | {band} | {r.band_basis} | {_number(r.mean)} | "
                     f"{_number(r.ci_low)} to {_number(r.ci_high)} | {int(r.replicates)} | {_mark(r.inside_band)} | "
                     f"{_mark(r.sign_right)} | {_mark(r.interval_overlaps_band)} |")
    lines += ["", "Relative effects are fractions (−0.062 = −6.2%); differences are in the indicator's units. "
              "† the published number is on another scale (evaluations.yaml: `scale`); only its band is compared."]
    return "\n".join(lines) + "\n"
