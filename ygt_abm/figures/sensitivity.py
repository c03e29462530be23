"""Sensitivity indices, drawn from sensitivity.csv: for each headline indicator, the main index of every
parameter (Morris μ* or Sobol's total index ST) with its 95% bootstrap interval, most influential on top;
of the package's effect where the experiment has a reference, else of the level."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ygt_abm.figures.style import indicator_label, say, styled
from ygt_abm.vocabulary import in_words, package_words


@styled
def sensitivity_figure(table: pd.DataFrame, lang: str = "en") -> Figure:
    """One panel per indicator of the first scenario analysed (its effect if any, else its level)."""
    main = table[table["index"].isin(["mu_star", "ST"])]
    measure = "effect" if (main["measure"] == "effect").any() else "level"
    main = main[main["measure"] == measure]
    scenario = main["scenario"].iloc[0]
    main = main[main["scenario"] == scenario]
    metrics = list(dict.fromkeys(main["metric"]))
    index = "Morris μ*" if main["index"].iloc[0] == "mu_star" else say(lang, "total Sobol index ST", "Sobol 总效应指数 ST")
    names = list(dict.fromkeys(main["parameter"]))
    cols = min(3, len(metrics))
    rows_n = -(-len(metrics) // cols)
    fig = Figure(figsize=(3.6 * cols, rows_n * (1.0 + 0.3 * len(names)) + 0.5), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows_n, cols, sharey=True)).ravel()
    for ax in axes[len(metrics):]:
        ax.set_visible(False)
    for ax, metric in zip(axes, metrics):
        rows = main[main["metric"] == metric].set_index("parameter").reindex(names)
        y = np.arange(len(names))[::-1]
        err = np.vstack([rows["value"] - rows["ci_low"], rows["ci_high"] - rows["value"]])
        ax.barh(y, rows["value"], xerr=np.nan_to_num(err), color="#4c72b0", capsize=2)
        ax.set_title(indicator_label(metric, lang), fontsize=8)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(4))
    for ax in axes[::cols]:
        ax.set_yticks(np.arange(len(names))[::-1], [in_words(name) for name in names], fontsize=7)
    fig.suptitle(say(lang, f"{index} of the {measure} ({package_words(scenario)}), last year; bars: 95% bootstrap "
                     "interval", f"{index}：{'效果' if measure == 'effect' else '水平'}（{package_words(scenario)}），最后一年；"
                     "误差线：95% bootstrap 区间"),
                 fontsize=9)
    return fig
