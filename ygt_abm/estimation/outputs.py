"""What an estimation writes from its last generation (ygt_abm/estimation/smc.py): the posterior particles,
posterior draws an experiment can run over, each parameter's prior against its posterior, the posterior
predictive of every fitted statistic, and a figure of the marginals.

Every number is weighted by the particles' importance weights. "Posterior predictive" here is the
simulated statistics of the last generation's accepted particles (each particle's values and the runs that
got it accepted, as pyabc keeps them): no run is made afresh, so it shows how the accepted particles fit,
and fresh runs at the same values would spread wider by the accepted runs' luck.

A parameter is **pinned by the data** when its posterior sd is under half its prior sd, **narrowed** when
under 0.9 of it, and **left at its prior** otherwise; sds are taken on the scale the prior is uniform on (the
logarithm for a log-uniform prior). With few particles an sd ratio is itself uncertain (with 20 particles
about ±16%), which the wide middle band allows for; below an effective sample size (1 ÷ Σ weight²) of
``MIN_EFFECTIVE`` the verdict is **too few particles to tell**, as a handful of near-copies of one particle
would otherwise look pinned.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ygt_abm.config.design import Point
from ygt_abm.estimation.statistics import Statistic
from ygt_abm.results.store import write_atomic, write_csv, write_yaml

PINNED, NARROWED, PRIOR, TOO_FEW = "pinned by the data", "narrowed", "left at its prior", "too few particles to tell"
#: the effective sample size a verdict needs
MIN_EFFECTIVE = 10
#: sd ratios (posterior ÷ prior) under which a parameter is pinned, or narrowed
PINNED_BELOW, NARROWED_BELOW = 0.5, 0.9
#: the posterior interval and the predictive interval: 90%, from the 5th to the 95th weighted percentile
LOW_Q, HIGH_Q = 0.05, 0.95


@dataclass
class EstimationResult:
    posterior: pd.DataFrame  # the last generation's particles: generation, weight, distance, parameter values
    parameters: pd.DataFrame  # per parameter: prior against posterior
    fit: pd.DataFrame  # per statistic: posterior predictive against the target or band
    ensemble: list[dict[str, float]]  # posterior draws (posterior.yaml)
    generations: int  # complete generations in the history
    epsilon: float  # the last generation's threshold


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``values`` under ``weights``: the inverse of the weighted distribution function,
    interpolated between the sorted values' cumulative weight midpoints."""
    order = np.argsort(values, kind="stable")
    x, w = np.asarray(values, float)[order], np.asarray(weights, float)[order]
    cumulative = (np.cumsum(w) - w / 2) / w.sum()
    return float(np.interp(q, cumulative, x))


def _moments(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    w = w / w.sum()
    mean = float(np.sum(w * x))
    return mean, float(math.sqrt(max(0.0, np.sum(w * (x - mean) ** 2))))


def prior_moments(low: float, high: float, log: bool) -> tuple[float, float]:
    """Mean and sd of the uniform (or log-uniform) prior on [low, high], on the parameter's own scale."""
    if not log:
        return (low + high) / 2, (high - low) / math.sqrt(12)
    span = math.log(high / low)
    mean = (high - low) / span
    return mean, math.sqrt(max(0.0, (high**2 - low**2) / (2 * span) - mean**2))


def posterior_table(history, names: list[str]) -> pd.DataFrame:
    """The last generation's particles, in a stable order (by their values): weight (normalised), distance,
    and the parameter values."""
    population = history.get_population(history.max_t)
    rows = [{"generation": int(history.max_t), "weight": float(p.weight), "distance": float(p.distance),
             **{n: float(p.parameter[n]) for n in names}} for p in population.particles]
    table = pd.DataFrame(rows).sort_values(names, kind="stable").reset_index(drop=True)
    table["weight"] = table["weight"] / table["weight"].sum()
    return table


def statistics_of(history) -> tuple[pd.DataFrame, np.ndarray]:
    """The last generation's simulated statistics (one row a particle, one column a statistic), with weights."""
    population = history.get_population(history.max_t)
    stats = pd.DataFrame([dict(p.sum_stat) for p in population.particles])
    weights = np.array([float(p.weight) for p in population.particles])
    return stats, weights / weights.sum()


def parameter_table(posterior: pd.DataFrame, priors: dict[str, tuple[float, float, bool]]) -> pd.DataFrame:
    """Per parameter: prior range and sd, posterior mean, sd, 90% interval, sd ratio, the effective sample
    size, and the verdict (the module docstring)."""
    w = posterior["weight"].to_numpy()
    effective = effective_size(w)
    rows = []
    for name, (low, high, log) in priors.items():
        x = posterior[name].to_numpy()
        prior_mean, prior_sd = prior_moments(low, high, log)
        mean, sd = _moments(x, w)
        uniform_scale = np.log(x) if log else x
        ratio = _moments(uniform_scale, w)[1] / ((math.log(high / low) if log else high - low) / math.sqrt(12))
        verdict = (TOO_FEW if effective < MIN_EFFECTIVE else PINNED if ratio < PINNED_BELOW
                   else NARROWED if ratio < NARROWED_BELOW else PRIOR)
        rows.append({"parameter": name, "prior": "log-uniform" if log else "uniform", "prior_low": low,
                     "prior_high": high, "prior_mean": prior_mean, "prior_sd": prior_sd, "posterior_mean": mean,
                     "posterior_sd": sd, "q05": weighted_quantile(x, w, LOW_Q), "q95": weighted_quantile(x, w, HIGH_Q),
                     "sd_ratio": ratio, "effective_particles": effective, "verdict": verdict})
    return pd.DataFrame(rows)


def effective_size(weights: np.ndarray) -> float:
    """The effective sample size of weighted particles: 1 ÷ Σ w² of the normalised weights."""
    w = np.asarray(weights, float) / np.sum(weights)
    return float(1 / np.sum(w**2))


def fit_table(stats: pd.DataFrame, weights: np.ndarray, statistics: list[Statistic]) -> pd.DataFrame:
    """Per fitted statistic: the weighted median and 90% interval of the simulated value over the last
    generation's particles, the target or band, whether the median is within it, and the posterior share of
    particles within it."""
    rows = []
    for s in statistics:
        x = stats[s.key].to_numpy(dtype=float) if s.key in stats else np.full(len(weights), np.nan)
        finite = np.isfinite(x)
        row = {"statistic": s.label, "source": s.source, "group": s.group, "value": s.value, "low": s.low,
               "high": s.high, "median": np.nan, "q05": np.nan, "q95": np.nan, "within": False,
               "share_within": float(sum(w for v, w in zip(x, weights) if s.within(v)))}
        if finite.any():
            median = weighted_quantile(x[finite], weights[finite], 0.5)
            row.update(median=median, q05=weighted_quantile(x[finite], weights[finite], LOW_Q),
                       q95=weighted_quantile(x[finite], weights[finite], HIGH_Q), within=s.within(median))
        rows.append(row)
    return pd.DataFrame(rows)


def posterior_draws(posterior: pd.DataFrame, names: list[str], draws: int, seed: int) -> list[dict[str, float]]:
    """``draws`` parameter sets drawn with replacement from the last generation by weight, with a generator
    seeded from ``seed``: the same history always gives the same draws."""
    rng = np.random.default_rng(seed)
    picked = rng.choice(len(posterior), size=draws, replace=True, p=posterior["weight"].to_numpy())
    return [{n: float(posterior.iloc[i][n]) for n in names} for i in picked]


def _n(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    x = float(x)
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def parameters_markdown(table: pd.DataFrame) -> str:
    lines = ["| parameter | prior | prior range | prior sd | posterior mean | posterior sd | 90% interval | "
             "sd ratio | verdict |", "|---|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.parameter} | {r.prior} | [{_n(r.prior_low)}, {_n(r.prior_high)}] | {_n(r.prior_sd)} | "
                     f"{_n(r.posterior_mean)} | {_n(r.posterior_sd)} | {_n(r.q05)} to {_n(r.q95)} | "
                     f"{r.sd_ratio:.2f} | {r.verdict} |")
    lines += ["", f"sd ratio: posterior sd ÷ prior sd on the scale the prior is uniform on (log for log-uniform); "
              f"under {PINNED_BELOW}: {PINNED}; under {NARROWED_BELOW}: {NARROWED}; else {PRIOR}; any ratio: "
              f"{TOO_FEW} when the effective sample size (1 ÷ Σ weight²) is under {MIN_EFFECTIVE}."]
    return "\n".join(lines) + "\n"


def fit_markdown(table: pd.DataFrame, simulated: str = "the last generation's accepted particles, weighted (not fresh "
                 "runs)") -> str:
    lines = ["| statistic | source | target or published | acceptable range | simulated median | 90% interval | "
             "within | posterior share within |", "|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        low = "open" if r.low is None or (isinstance(r.low, float) and math.isnan(r.low)) else _n(r.low)
        high = "open" if r.high is None or (isinstance(r.high, float) and math.isnan(r.high)) else _n(r.high)
        lines.append(f"| {r.statistic} | {r.source} | {_n(r.value)} | [{low}, {high}] | {_n(r.median)} | "
                     f"{_n(r.q05)} to {_n(r.q95)} | {'✓' if r.within else '✗'} | {r.share_within:.0%} |")
    lines += ["", "Baseline targets: target ± tolerance; evaluations: the published band (effects: relative ones as "
              "fractions, differences in the indicator's units). Simulated: "
              f"{simulated}."]
    return "\n".join(lines) + "\n"


def marginals_figure(posterior: pd.DataFrame, priors: dict[str, tuple[float, float, bool]]):
    """One panel per parameter: the prior's density against the posterior's weighted histogram."""
    from matplotlib.figure import Figure

    names = list(priors)
    columns = min(3, len(names))
    rows = math.ceil(len(names) / columns)
    fig = Figure(figsize=(4.2 * columns, 3.0 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    w = posterior["weight"].to_numpy()
    for ax, name in zip(axes, names):
        low, high, log = priors[name]
        edges = np.geomspace(low, high, 13) if log else np.linspace(low, high, 13)
        ax.hist(posterior[name].to_numpy(), bins=edges, weights=w, density=True, color="#4c72b0", alpha=0.7,
                label="posterior")
        grid = np.geomspace(low, high, 200) if log else np.linspace(low, high, 200)
        density = 1 / (grid * math.log(high / low)) if log else np.full_like(grid, 1 / (high - low))
        ax.plot(grid, density, color="#333333", linestyle="--", label="prior")
        if log:
            from matplotlib.ticker import NullFormatter

            ax.set_xscale("log")
            ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(low, high)
        ax.set_title(name, fontsize=9)
        ax.set_yticks([])
    for ax in axes[len(names):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8)
    fig.suptitle("Prior and posterior of each parameter (last generation, weighted)", fontsize=10)
    return fig


def write_outputs(history, priors: dict[str, tuple[float, float, bool]], statistics: list[Statistic], out: Path,
                  name: str, seed: int, draws: int, emulated: bool = False) -> EstimationResult:
    """posterior.csv, posterior.yaml, parameters.csv/.md, training-fit.csv/.md (``emulated``: emulated-fit,
    the emulator's draws the particles were accepted with) and posterior.png/.pdf/.svg."""
    from ygt_abm.figures.save import FORMATS, save_figure

    out = Path(out)
    names = list(priors)
    posterior = posterior_table(history, names)
    write_csv(posterior, out / "posterior.csv", float_format="%.8g")
    ensemble = posterior_draws(posterior, names, draws, seed)
    populations = history.get_all_populations()
    epsilon = float(populations["epsilon"].iloc[-1])
    write_yaml({"ensemble": [Point("member", values).overrides() for values in ensemble]}, out / "posterior.yaml",
               f"# {draws} parameter sets drawn (seeded) from the posterior of `ygt-abm calibrate` ({name}, ABC-SMC, "
               f"generation {history.max_t}, threshold {epsilon:.4g}):\n# an experiment's `ensemble:` runs over "
               "them (parameter uncertainty).\n")
    parameters = parameter_table(posterior, priors)
    write_csv(parameters, out / "parameters.csv", float_format="%.6g")
    header = (f"# Posterior of {name}: generation {history.max_t} of ABC-SMC, {len(posterior)} particles "
              f"(effective {effective_size(posterior['weight'].to_numpy()):.1f}), threshold {epsilon:.4g}\n\n")
    text = header + parameters_markdown(parameters)
    write_atomic(out / "parameters.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    stats, weights = statistics_of(history)
    fit = fit_table(stats, weights, statistics)
    fit_name = "emulated-fit" if emulated else "training-fit"
    write_csv(fit, out / f"{fit_name}.csv", float_format="%.6g")
    fit_text = (f"# Posterior predictive of {name}'s fitted statistics{', emulated' if emulated else ''}\n\n"
                + (fit_markdown(fit, "the emulator's draws of the expected value at the last generation's accepted "
                                "particles, weighted (not runs)") if emulated else fit_markdown(fit)))
    write_atomic(out / f"{fit_name}.md", lambda tmp: tmp.write_text(fit_text, encoding="utf-8"))
    save_figure(marginals_figure(posterior, priors), out / "posterior", FORMATS)
    return EstimationResult(posterior, parameters, fit, ensemble, int(history.max_t) + 1, epsilon)



def write_emulator_check(check: pd.DataFrame, statistics: list[Statistic], out: Path) -> None:
    """emulator.csv/.md: the emulator's cross-validation per statistic (``cross_validation``)."""
    labels = {s.key: s.label for s in statistics}
    table = check.assign(label=[labels.get(k, k) for k in check["statistic"]])
    write_csv(table, Path(out) / "emulator.csv", float_format="%.6g")
    lines = ["# The emulator's check: design points predicted by processes fitted to the other folds", "",
             "| statistic | points | R² | one run's noise sd | within the 90% interval |", "|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.label} | {r.points} | {_n(r.r2)} | {_n(r.noise_sd)} | "
                     f"{'—' if math.isnan(r.within_90) else f'{r.within_90:.0%}'} |")
    lines += ["", "R²: share of the design's variance the predictions of left-out points explain (the run noise caps it); "
              "within: share of left-out points inside the 90% predictive interval of one run (about 90% for an "
              "honest emulator)."]
    text = "\n".join(lines) + "\n"
    write_atomic(Path(out) / "emulator.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_check(checked: pd.DataFrame, emulator, statistics: list[Statistic], out: Path, name: str) -> pd.DataFrame:
    """training-fit.csv/.md from posterior draws simulated afresh (equal weights), with, per statistic, the
    share of those runs inside the emulator's 90% predictive interval of one run there."""
    weights = np.full(len(checked), 1 / len(checked))
    fit = fit_table(checked, weights, statistics)
    predicted = emulator.predict(checked, noise=True)
    inside = []
    for s in statistics:
        mean, sd = predicted[s.key]
        x = checked[s.key].to_numpy(float) if s.key in checked else np.full(len(checked), np.nan)
        ok = np.isfinite(x)
        inside.append(float(np.mean(np.abs(x[ok] - mean[ok]) <= 1.645 * sd[ok])) if ok.any() else math.nan)
    fit["emulator_within_90"] = inside
    write_csv(fit, Path(out) / "training-fit.csv", float_format="%.6g")
    text = (f"# Posterior predictive of {name}'s fitted statistics: {len(checked)} posterior draws, simulated\n\n"
            + fit_markdown(fit, f"{len(checked)} parameter sets drawn from the posterior, each run afresh "
                           "(one run each; a share within is a share of those runs)"))
    write_atomic(Path(out) / "training-fit.md", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return fit
