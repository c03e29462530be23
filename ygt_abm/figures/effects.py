"""Figures of a comparison's tables, drawn from the tables themselves (backflow_summary.csv,
decomposition.csv, attainment.csv, uncertainty.csv), so a figure shows what its table says: backflow by
year, each package's effect decomposed into its levers, the chance of reaching each target, and the
effects over an ensemble. Labels are words a reader reads (vocabulary.in_words), never a file's or a
parameter's name."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ygt_abm.analysis.decomposition import DECOMPOSED, last_year_levers, ranked_levers
from ygt_abm.analysis.uncertainty import last_year_rows
from ygt_abm.figures.indicators import TITLES
from ygt_abm.figures.style import (
    fill_palette, indicator_label, lever_label, point_styles, points_formatter, say, styled, term,
)
from ygt_abm.vocabulary import COMPARISON_SIGNS, package_words, target_words

BACKFLOW_MEASURES = {"moved_down": "first contact moved down a level (backflow)",
                     "moved_up": "first contact moved up a level", "into_care": "came into care",
                     "out_of_care": "left care"}
BACKFLOW_MEASURES_ZH = {"moved_down": "首诊下沉一级的病程（回流）", "moved_up": "首诊上移一级的病程",
                        "into_care": "进入诊疗的病程", "out_of_care": "退出诊疗的病程"}
#: Indicators a decomposition is drawn for (the ones most documents set targets on).


@styled
def backflow_figure(summary: pd.DataFrame, palette: dict | None = None, lang: str = "en") -> Figure:
    """Episodes a year whose first contact moved, against the reference (mean and 95% t-interval)."""
    fig = Figure(figsize=(11, 6.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True)
    several_points = summary["point"].nunique() > 1
    palette = fill_palette(palette, summary["scenario"])
    styles = point_styles(summary["point"])
    for ax, (measure, title) in zip(axes.flat, BACKFLOW_MEASURES.items()):
        rows = summary[summary["measure"] == measure]
        for (scenario, point), part in rows.groupby(["scenario", "point"], sort=False):
            ls, marker = styles[point]
            line, = ax.plot(part["year"], part["mean"], marker=marker, ls=ls, ms=4, color=palette[scenario],
                            label=f"{package_words(scenario)} / {point}" if several_points else package_words(scenario))
            ax.fill_between(part["year"], part["ci_low"], part["ci_high"], color=line.get_color(), alpha=0.2,
                            linewidth=0)
        ax.set_title(say(lang, f"Episodes whose {title}" if measure.startswith("moved") else f"Episodes that {title}",
                         BACKFLOW_MEASURES_ZH[measure]), fontsize=10)
        ax.set_xlabel(term("simulated year", lang))
        ax.set_ylabel(term("episodes a year", lang), fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
    axes.flat[0].legend(fontsize=8)
    fig.suptitle(say(lang, "Backflow against the reference scenario, same illnesses episode by episode; "
                     "bands: 95% t-intervals", "相对参照情景的患者回流，同一疾病逐个病程比较；阴影：95% t 区间"),
                 fontsize=10)
    return fig


#: The levers a package's row shows: its largest, alone or as contributions; the others as one grey range.
TOP_LEVERS = 6
#: A page's text width in inches (A4 with the paper's margins): a figure this wide is printed at its size.
PAGE_WIDTH = 6.6


@styled
def decomposition_figure(table: pd.DataFrame, lang: str = "en", top: int = TOP_LEVERS) -> Figure:
    """Each package's levers at the last year, one row of panels per package (one panel per indicator,
    the levers in the same order): the effect of each of its ``top`` largest levers alone and its
    contribution within the package (the loss when it is removed), with 95% intervals; the range of the
    other levers' effects as one grey bar; the package's whole effect dashed. A page wide, so its type is
    printed at its size."""
    last = last_year_levers(table)
    packages = sorted(last["package"].unique())
    metrics = [m for m in DECOMPOSED if m in set(last["metric"])] or list(DECOMPOSED)
    shown = {p: ranked_levers(last[last["package"] == p]) for p in packages}
    heights = [min(top, len(shown[p])) + (len(shown[p]) > top) for p in packages]
    fig = Figure(figsize=(PAGE_WIDTH, 1.1 + sum(0.36 + 0.16 * h for h in heights)), layout="constrained")
    axes = np.atleast_2d(fig.subplots(len(packages), len(metrics), squeeze=False,
                                      gridspec_kw={"height_ratios": [h + 2.2 for h in heights]} if packages else {}))
    for row, package in enumerate(packages):
        levers, others = shown[package][:top], shown[package][top:]
        y = np.arange(len(levers) + bool(others))[::-1]
        for col, metric in enumerate(metrics):
            ax = axes[row, col]
            part = last[(last["package"] == package) & (last["metric"] == metric)].set_index("lever")
            drawn = part.reindex(levers)
            for offset, kind, colour, label in ((0.19, "alone", "#9ecae1", say(lang, "alone", "单独")),
                                                (-0.19, "contribution", "#3182bd", say(lang, "contribution", "贡献"))):
                mean = drawn[f"{kind}_mean"].to_numpy()
                err = np.vstack([mean - drawn[f"{kind}_ci_low"], drawn[f"{kind}_ci_high"] - mean])
                ax.barh(y[:len(levers)] + offset, mean, height=0.36, xerr=np.nan_to_num(err), color=colour,
                        label=label, error_kw={"lw": 0.6})
            if others:
                rest = part.reindex(others)[["alone_mean", "contribution_mean"]].to_numpy()
                ax.barh(y[-1], np.nanmax(rest) - np.nanmin(rest), left=np.nanmin(rest), height=0.5, color="#bdbdbd",
                        label=say(lang, "the other levers: their range", "其余杠杆：范围"))
            if len(part):
                ax.axvline(part["package_mean"].iloc[0], color="#d62728", ls="--", lw=1,
                           label=say(lang, "whole package", "整套政策"))
            ax.axvline(0, color="#555", lw=0.8)
            ax.set_ylim(-0.6, len(y) - 0.4)
            ax.set_yticks(y, [lever_label(lever, lang) for lever in levers] + (
                [say(lang, f"{len(others)} other levers", f"其余 {len(others)} 项杠杆")] if others else []),
                fontsize=7)
            if col:
                ax.tick_params(labelleft=False)
            else:
                ax.set_ylabel(package_words(package), fontsize=8, fontweight="bold")
            ax.xaxis.set_major_formatter(points_formatter())
            ax.xaxis.set_major_locator(MaxNLocator(5))
            ax.tick_params(axis="x", labelsize=7)
            ax.grid(alpha=0.3, axis="x")
            ax.grid(False, axis="y")
            if row == 0:
                ax.set_title(indicator_label(metric, lang), fontsize=8, fontweight="bold")
            if row == len(packages) - 1:
                ax.set_xlabel(term("percentage points", lang), fontsize=7)
    if packages:
        handles = dict(zip(*reversed(axes[0, 0].get_legend_handles_labels())))
        fig.legend(list(handles.values()), list(handles), loc="outside lower center", ncols=4, fontsize=7,
                   title=term("difference from the reference, percentage points", lang), title_fontsize=7)
    fig.suptitle(say(lang, f"Each package's {top} largest levers alone and their contribution within the package, "
                     "last simulated year (bars: 95% intervals)",
                     f"各套政策影响最大的 {top} 项杠杆单独的效果及其在整套政策中的贡献，最后模拟年份（误差线：95% 区间）"),
                 fontsize=9)
    return fig


@styled
def attainment_figure(table: pd.DataFrame, palette: dict | None = None, lang: str = "en") -> Figure:
    """Probability across replicates that each package reaches each of its targets by the year it is due,
    each bar in its scenario's colour; a black tick where the table has it: the baseline's probability of
    reaching the same target in the same year, so the bar beyond the tick is what the package adds."""
    rows = table[table["status"] == "simulated"].reset_index(drop=True)
    palette = fill_palette(palette, table["scenario"])
    fig = Figure(figsize=(10, 1.2 + 0.34 * max(len(rows), 1)), layout="constrained")
    ax = fig.subplots()
    bands = rows["band"] if "band" in rows else pd.Series(np.nan, index=rows.index)
    labels = [f"{package_words(r.scenario)}: " + say(
        lang, target_words(r.indicator, r.comparison, r.target, r.target_year, band),
        f"{indicator_label(r.indicator, lang)} {COMPARISON_SIGNS[r.comparison]} {r.target:.0%}"
        + (f"（{r.target - band:.0%}–{r.target + band:.0%}）" if r.comparison == "about" and pd.notna(band) else "")
        + f"（到 {r.target_year} 年）")
        for r, band in zip(rows.itertuples(), bands)]
    y = np.arange(len(rows))
    ax.barh(y, rows["probability"], color=[palette[s] for s in rows["scenario"]])
    for yi, p in zip(y, rows["probability"]):
        ax.text(min(p + 0.01, 0.93), yi, f"{p:.2f}", va="center", fontsize=8)
    if "baseline_probability" in rows and rows["baseline_probability"].notna().any():
        ax.scatter(rows["baseline_probability"], y, marker="|", s=220, linewidths=2.5, color="black", zorder=3,
                   clip_on=False, label=say(lang, "baseline (no package)", "基线（无政策包）"))
        fig.legend(loc="outside upper right", fontsize=8, frameon=False)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel(term("probability across runs", lang) if lang != "en" else
                  "probability across runs (replicates, and ensemble members where the experiment has them)")
    skipped = len(table) - len(rows)
    fig.suptitle(say(lang, "Target attainment", "目标达成")
                 + (say(lang, f"; {skipped} targets fall outside the simulated years", f"；{skipped} 个目标在模拟年份之外")
                    if skipped else ""), fontsize=10)
    return fig


#: uncertainty.csv's intervals, each on its own line below the package's name: chance, parameters, the
#: counties (where several were run on their own) and all of them together
INTERVALS = (("replicate", "chance (one run's noise)", "#08519c"), ("parameter", "parameters", "#6baed6"),
             ("county", "counties (geography)", "#31a354"), ("combined", "all together", "#9e9e9e"))
INTERVALS_ZH = {"combined": "合计", "parameter": "参数", "replicate": "偶然（单次运行的噪声）", "county": "县（地理）"}


@styled
def uncertainty_figure(table: pd.DataFrame, lang: str = "en") -> Figure:
    """Each package's effect on the headline indicators at the last year over a calibrated ensemble: the
    mean over members with the 95% ranges of one run's noise, of the parameters, and of both (uncertainty.csv)."""
    last = last_year_rows(table, TITLES)
    metrics = [m for m in TITLES if m in set(last["metric"])]
    scenarios = list(dict.fromkeys(last["package"]))
    fig = Figure(figsize=(9, 2.2 + 0.7 * len(scenarios)), layout="constrained")  # a page wide: legible type
    axes = list(fig.subplots(2, 3, sharey=True, squeeze=False).flat)
    y = np.arange(len(scenarios))
    kinds = [k for k in INTERVALS if f"{k[0]}_low" in last and last[f"{k[0]}_low"].notna().any()]
    offsets = np.linspace(-0.3, 0.3, len(kinds)) if len(kinds) > 1 else [0.0]
    for ax, metric in zip(axes, metrics):
        rows = last[last["metric"] == metric].set_index("package").reindex(scenarios)
        for (kind, label, colour), offset in zip(kinds, offsets):
            ax.hlines(y + offset, rows[f"{kind}_low"], rows[f"{kind}_high"], color=colour, lw=3,
                      label=say(lang, label, INTERVALS_ZH[kind]))
        ax.plot(rows["mean"], y, "o", color="black", ms=3, label=say(lang, "mean", "均值"))
        ax.axvline(0, color="#555", lw=0.8)
        ax.xaxis.set_major_formatter(points_formatter())
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.tick_params(labelsize=8)
        ax.set_title(indicator_label(metric, lang), fontsize=9)
        ax.set_xlabel(term("percentage points", lang), fontsize=8)
        ax.grid(alpha=0.3, axis="x")
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    axes[0].set_yticks(y, [package_words(s) for s in scenarios])
    axes[0].invert_yaxis()
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=5, fontsize=8)
    members = int(last["members"].max()) if len(last) else 0
    counties = int(last["counties"].max()) if "counties" in last and len(last) else 1
    over = say(lang, f" and {counties} counties", f"、{counties} 个县") if counties > 1 else ""
    fig.suptitle(say(lang, f"Effects in the last simulated year: mean over {members} parameter sets that fit the "
                     f"baseline{over},\nand the 95% range of one county's effect from each source of uncertainty "
                     "and from all together",
                     f"最后模拟年份的效果：拟合基线的 {members} 组参数{over}的均值，\n以及单个县的效果因各不确定来源及其合计的 95% 范围"),
                 fontsize=10)
    return fig
