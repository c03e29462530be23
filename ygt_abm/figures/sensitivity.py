"""Sensitivity indices, drawn from sensitivity.csv: for each headline indicator, the main index of every
parameter (Morris μ* or Sobol's total index ST) with its 95% bootstrap interval, most influential on top,
one bar per scenario analysed; of the packages' effects where the experiment has a reference, else of the
levels. Morris μ* is in percentage points (every headline indicator is a share), as the paper's tables print
it; Sobol indices are shares of variance: estimates beyond [0, 1] (sampling error) are drawn at the bound."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ygt_abm.analysis.sensitivity import as_printed
from ygt_abm.figures.style import indicator_label, points_formatter, say, styled, term
from ygt_abm.vocabulary import in_words, package_words


@styled
def sensitivity_figure(table: pd.DataFrame, lang: str = "en") -> Figure:
    """One panel per indicator; in each, every parameter's bars, one per scenario (its effect if any, else
    its level)."""
    main = table[table["index"].isin(["mu_star", "ST"])]
    measure = "effect" if (main["measure"] == "effect").any() else "level"
    main = main[main["measure"] == measure]
    scenarios = list(dict.fromkeys(main["scenario"]))
    metrics = list(dict.fromkeys(main["metric"]))
    sobol = main["index"].iloc[0] == "ST"
    main = as_printed(main)
    index = say(lang, "total Sobol index ST", "Sobol 总效应指数 ST") if sobol else "Morris μ*"
    names = list(dict.fromkeys(main["parameter"]))
    cols = min(3, len(metrics))
    rows_n = -(-len(metrics) // cols)
    fig = Figure(figsize=(2.7 * cols, rows_n * (1.0 + 0.3 * len(names) * max(1, len(scenarios) / 2.5)) + 0.8),
                 layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows_n, cols, sharey=True)).ravel()
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    height = 0.8 / len(scenarios)
    colours = [f"C{i}" for i in range(len(scenarios))]
    for ax, metric in zip(axes, metrics):
        for k, scenario in enumerate(scenarios):
            rows = main[(main["metric"] == metric) & (main["scenario"] == scenario)].set_index("parameter").reindex(names)
            y = np.arange(len(names))[::-1] + 0.4 - height * (k + 0.5)
            err = np.vstack([rows["value"] - rows["ci_low"], rows["ci_high"] - rows["value"]])
            ax.barh(y, rows["value"], height=height, xerr=np.nan_to_num(err).clip(min=0), color=colours[k], capsize=1.5,
                    error_kw={"lw": 0.6}, label=package_words(scenario))
        ax.set_title(indicator_label(metric, lang), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        if sobol:
            ax.set_xlim(0, 1.05)
        else:  # μ* of a share, in the tables' unit
            ax.xaxis.set_major_formatter(points_formatter())
        ax.set_xlabel(term("share of the variance" if sobol else "μ*, percentage points", lang), fontsize=7)
    for ax in axes[::cols]:
        ax.set_yticks(np.arange(len(names))[::-1], [in_words(name) for name in names], fontsize=7)
    if len(scenarios) > 1:
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=len(scenarios), fontsize=7)
    whose = package_words(scenarios[0]) if len(scenarios) == 1 else say(lang, "each package", "各方案")
    fig.suptitle(say(lang, f"{index} of the {measure} ({whose}), last year; bars: 95% bootstrap interval",
                     f"{index}：{'效果' if measure == 'effect' else '水平'}（{whose}），最后一年；误差线：95% bootstrap 区间"),
                 fontsize=9)
    return fig
