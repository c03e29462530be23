"""Sensitivity indices of the headline indicators to the parameters a Morris or Saltelli design varies
(``samples: {method: morris | saltelli}``): Morris's elementary effects (μ*, σ: screening) or Sobol's first-
order and total indices (variance shares), each with its 95% bootstrap interval, computed by SALib.

The output a point gives is an indicator in the last year, averaged over the region's counties and over the
replicates (the design's parameters vary between points, the replicates' noise averages out within one).
For every scenario but the reference, the package's effect (scenario − reference at the same point and
replicate: common random numbers) is analysed too: which assumptions drive what a package does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.analysis.summary import paired
from ygt_abm.config.design import salib_problem
from ygt_abm.vocabulary import HEADLINE_INDICATORS, is_variant

COLUMNS = ["scenario", "measure", "metric", "year", "parameter", "index", "value", "ci_low", "ci_high"]


def point_outputs(kpis: pd.DataFrame, reference: str | None, metrics: tuple[str, ...] = HEADLINE_INDICATORS
                  ) -> pd.DataFrame:
    """(scenario, measure, metric, point) → the last year's mean over counties and replicates, of the level
    (``measure`` = "level") and, against ``reference``, of the paired effect ("effect")."""
    data = kpis[kpis["metric"].isin(metrics) & (kpis["year"] == kpis["year"].max())
                & ~kpis["scenario"].map(is_variant)]
    region = data.groupby(["scenario", "point", "replicate", "year", "metric"], sort=False)["value"].mean()
    region = region.reset_index()
    frames = [region.assign(measure="level")]
    if reference is not None and reference in set(region["scenario"]):
        effect = paired(region, reference, on=["point", "replicate", "year", "metric"])
        frames.append(effect.assign(value=effect["difference"], measure="effect"))
    both = pd.concat(frames, ignore_index=True)
    return both.groupby(["scenario", "measure", "metric", "year", "point"], sort=False)["value"].mean().reset_index()


def morris_indices(problem: dict, x: np.ndarray, y: np.ndarray, levels: int, seed: int) -> pd.DataFrame:
    """μ* (mean absolute elementary effect, with its 95% bootstrap interval), μ and σ per parameter."""
    from SALib.analyze import morris

    r = morris.analyze(problem, x, y, num_levels=levels, conf_level=0.95, seed=seed)
    rows = []
    for i, name in enumerate(problem["names"]):
        half = float(r["mu_star_conf"][i])
        rows += [(name, "mu_star", float(r["mu_star"][i]), float(r["mu_star"][i]) - half, float(r["mu_star"][i]) + half),
                 (name, "mu", float(r["mu"][i]), np.nan, np.nan),
                 (name, "sigma", float(r["sigma"][i]), np.nan, np.nan)]
    return pd.DataFrame(rows, columns=["parameter", "index", "value", "ci_low", "ci_high"])


def sobol_indices(problem: dict, y: np.ndarray, second_order: bool, seed: int) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices per parameter with 95% bootstrap intervals; second-order
    (S2, "a×b") where the design has them."""
    from SALib.analyze import sobol

    r = sobol.analyze(problem, y, calc_second_order=second_order, conf_level=0.95, seed=seed)
    rows = []
    for i, name in enumerate(problem["names"]):
        for index in ("S1", "ST"):
            value, half = float(r[index][i]), float(r[f"{index}_conf"][i])
            rows.append((name, index, value, value - half, value + half))
    if second_order:
        names = problem["names"]
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                value, half = float(r["S2"][i, j]), float(r["S2_conf"][i, j])
                rows.append((f"{names[i]}×{names[j]}", "S2", value, value - half, value + half))
    return pd.DataFrame(rows, columns=["parameter", "index", "value", "ci_low", "ci_high"])


def sensitivity_table(kpis: pd.DataFrame, resolved, seed: int = 0) -> pd.DataFrame:
    """Every index of every headline indicator's level and effect, by scenario (empty unless the experiment's
    samples are a Morris or Saltelli design)."""
    samples = resolved.experiment.samples
    if samples is None or not samples.sensitivity():
        return pd.DataFrame(columns=COLUMNS)
    problem = salib_problem(samples)
    order = {point.name: i for i, point in enumerate(resolved.points)}
    x = np.array([[point.values[name] for name in problem["names"]] for point in resolved.points])
    outputs = point_outputs(kpis, resolved.experiment.reference_scenario)
    tables = []
    for (scenario, measure, metric, year), part in outputs.groupby(["scenario", "measure", "metric", "year"],
                                                                   sort=False):
        y = np.full(len(order), np.nan)
        y[part["point"].map(order).to_numpy()] = part["value"].to_numpy()
        if np.isnan(y).any():  # an indicator undefined at some point (e.g. no admissions): no indices
            continue
        table = (morris_indices(problem, x, y, samples.levels, seed) if samples.method == "morris"
                 else sobol_indices(problem, y, samples.second_order, seed))
        tables.append(table.assign(scenario=scenario, measure=measure, metric=metric, year=year))
    if not tables:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(tables, ignore_index=True)[COLUMNS]


def ranking(table: pd.DataFrame) -> pd.DataFrame:
    """The main index (μ* for Morris, ST for Sobol) by scenario, measure and indicator (rows) and parameter
    (columns, most influential on average first): the table the docs and the command print."""
    main = table[table["index"].isin(["mu_star", "ST"])]
    wide = main.pivot_table(index=["scenario", "measure", "metric"], columns="parameter", values="value", sort=False)
    return wide[wide.abs().mean().sort_values(ascending=False).index]


#: the Sobol indices, which are shares of variance (Morris's are not)
SOBOL_INDICES = ("S1", "ST", "S2")


def as_printed(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with every Sobol index and its interval within [0, 1], as figures and tables print them: an
    estimate beyond a share's bounds is sampling error, shown at the bound (Morris's rows as they are)."""
    shares = table["index"].isin(SOBOL_INDICES)
    return table.assign(**{c: table[c].mask(shares, table[c].clip(0.0, 1.0)) for c in ("value", "ci_low", "ci_high")})

