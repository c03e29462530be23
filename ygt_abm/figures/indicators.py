"""The headline indicators over the years: one line per scenario (and sweep point) with the 95% t-interval
across replicates that summary.csv gives, as a band; the packages' targets as dashed lines from the year
they are due; calendar years where every reform plotted counts from the same base year. And the same
indicators as paired differences from the reference scenario."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ygt_abm.analysis.summary import interval, paired, paired_differences
from ygt_abm.analysis.uncertainty import split_uncertainty
from ygt_abm.figures.style import fill_palette, indicator_label, point_styles, points_formatter, say, styled, term
from ygt_abm.vocabulary import HEADLINE_INDICATORS, package_words

TITLES = {metric: indicator_label(metric) for metric in HEADLINE_INDICATORS}
TARGET_STYLE = {"ls": "--", "lw": 1.0}
LEGEND_MAX = 16  # lines a panel's legend lists
ENSEMBLE_BAND = ("the ensemble's members; bands: 95%, the parameters' and the runs' uncertainty combined (runs: "
                 "replicates, and counties where they were drawn apart)")
ENSEMBLE_BAND_ZH = "集合各成员的均值；阴影：95% 区间，参数与各次运行（重复运行，以及分别生成的县）的不确定性合计"
TARGETS_ZH = "★ 与虚线：政策文件的目标，自其到期年份起"


def region_replicates(kpis: pd.DataFrame) -> pd.DataFrame:
    """Headline indicators with a region's counties averaged within each replicate (one county: as is)."""
    data = kpis[kpis["metric"].isin(HEADLINE_INDICATORS)]
    keys = ["scenario", "point", "replicate", "year", "metric"]
    return data.groupby(keys, sort=False)["value"].mean().reset_index()


def main_indicator_bands(kpis: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95% t-interval across replicates of each headline indicator by scenario, point and year
    (for one county: summary.csv's rows)."""
    return interval(region_replicates(kpis), "value", ["scenario", "point", "year", "metric"])


def difference_bands(kpis: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Scenario − reference, paired by replicate (common random numbers): mean and 95% t-interval by
    scenario, point, year and metric (for one county: paired_differences.csv's rows)."""
    region = region_replicates(kpis).assign(county="region")
    return paired_differences(region, reference).drop(columns=["reference", "county"])


def ensemble_bands(kpis: pd.DataFrame, reference: str | None = None) -> pd.DataFrame:
    """Over a calibrated ensemble (members are points): the mean over members of each headline indicator by
    scenario and year (or of its paired difference from ``reference``), with the 95% interval of replicate
    and parameter uncertainty combined as the band (uncertainty.csv's ``combined`` interval)."""
    region = region_replicates(kpis)
    frame, value = (region, "value") if reference is None else \
        (paired(region.assign(county="region"), reference), "difference")
    bands = split_uncertainty(frame, value, ["scenario", "year", "metric"])
    return bands.rename(columns={"combined_low": "ci_low", "combined_high": "ci_high"}).assign(point="ensemble")


def calendar_base(packages: dict | None) -> int | None:
    """The calendar year of simulated year 1 when every reform package plotted counts from the same base
    year (a package without levers or targets, like the baseline, does not count); else None."""
    years = {p.base_year for p in (packages or {}).values() if p is not None and (p.interventions or p.targets)}
    return years.pop() if len(years) == 1 else None


def _lines(bands: pd.DataFrame, packages: dict | None, title: str, difference: bool, palette: dict | None,
           lang: str) -> Figure:
    base = calendar_base(packages)
    shift = base - 1 if base else 0
    several_points = bands["point"].nunique() > 1
    palette = fill_palette(palette, bands["scenario"])
    styles = point_styles(bands["point"])
    fig = Figure(figsize=(13, 7.5), layout="constrained")
    axes = fig.subplots(2, 3, sharex=True)
    last_year = int(bands["year"].max()) + shift if len(bands) else 1
    for ax, metric in zip(axes.flat, HEADLINE_INDICATORS):
        for (scenario, point), rows in bands[bands["metric"] == metric].groupby(["scenario", "point"], sort=False):
            label = f"{package_words(scenario)} / {point}" if several_points else package_words(scenario)
            x = rows["year"] + shift
            ls, marker = styles[point]
            line, = ax.plot(x, rows["mean"], marker=marker, ms=4, ls=ls, color=palette[scenario], label=label)
            ax.fill_between(x, rows["ci_low"], rows["ci_high"], color=line.get_color(), alpha=0.2, linewidth=0)
            package = (packages or {}).get(scenario)
            for target in (package.targets if package and not difference else []):
                due = package.simulated_year(target.year) + shift
                if target.indicator == metric and due <= last_year:  # later targets: attainment.csv says so
                    ax.hlines(target.value, due, max(due, last_year), color=line.get_color(), **TARGET_STYLE)
                    ax.plot([due], [target.value], marker="*", ms=9, color=line.get_color())
        if difference:
            ax.axhline(0.0, color="#555", lw=0.8)
        ax.set_ylabel(term("percentage points" if difference else "percent", lang), fontsize=8)
        ax.set_title(indicator_label(metric, lang), fontsize=10)
        ax.yaxis.set_major_formatter(points_formatter() if difference else PercentFormatter(1.0, decimals=None))
        ax.set_xlabel(term("year" if base else "simulated year", lang))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelbottom=True)  # every panel's years printed, not only the bottom row's
        ax.grid(alpha=0.3)
    series = bands.groupby(["scenario", "point"]).ngroups
    if series <= LEGEND_MAX:
        axes.flat[0].legend(fontsize=8)
    else:  # a design's many points: a legend that long would push the panels out of the figure
        title += say(lang, f" ({series} lines, one per scenario and point)", f"（{series} 条线，每个情景与参数点一条）")
    fig.suptitle(title, fontsize=10)
    return fig


@styled
def main_indicators_figure(kpis: pd.DataFrame, packages: dict | None = None, ensemble: bool = False,
                           palette: dict | None = None, lang: str = "en") -> Figure:
    """Headline indicators by scenario × point with 95% t-interval bands and the packages' targets (★ and a
    dashed line from the year a target is due, in the scenario's colour); over an ensemble, by scenario with
    replicate and parameter uncertainty combined. ``palette``: scenario → colour (by default from the
    scenarios drawn); ``lang``: en, or zh for the indicators' Chinese terms."""
    if ensemble:
        return _lines(ensemble_bands(kpis), packages, say(lang, f"Mean over {ENSEMBLE_BAND}; ★ and dashed: the "
                      "document's target from the year it is due", f"{ENSEMBLE_BAND_ZH}；{TARGETS_ZH}"), False,
                      palette, lang)
    return _lines(main_indicator_bands(kpis), packages, say(
        lang, "Mean across replicates; bands: 95% t-intervals; ★ and dashed: the document's target from the year "
        "it is due (targets due after the last simulated year: in the attainment table)",
        f"各重复运行的均值；阴影：95% t 区间；{TARGETS_ZH}（到期晚于最后模拟年份的目标：见目标达成表）"), False, palette, lang)


@styled
def differences_figure(kpis: pd.DataFrame, reference: str, packages: dict | None = None,
                       ensemble: bool = False, palette: dict | None = None, lang: str = "en") -> Figure:
    """Headline indicators as paired differences from ``reference`` (percentage points), with bands."""
    palette = fill_palette(palette, kpis["scenario"], reference)
    if ensemble:
        return _lines(ensemble_bands(kpis, reference), packages, say(
            lang, f"Difference from {package_words(reference)}, paired; mean over {ENSEMBLE_BAND}",
            f"与 {package_words(reference)} 之差（配对）；{ENSEMBLE_BAND_ZH}"), True, palette, lang)
    return _lines(difference_bands(kpis, reference), packages, say(
        lang, f"Difference from {package_words(reference)}, paired by replicate; bands: 95% t-intervals",
        f"与 {package_words(reference)} 之差（按重复运行配对）；阴影：95% t 区间"), True, palette, lang)
