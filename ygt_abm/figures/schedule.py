"""The model's schedule, drawn from its loop (``processes/base.py``): the five stages in the order they run,
each with the processes that act in it in loop order, and the repetitions that make a year (care rounds while
episodes are open, 52 weeks). Drawn from the loop itself, so the diagram cannot drift from the code
(docs/model.md, "Process overview and scheduling")."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ygt_abm.figures.style import styled
from ygt_abm.processes.base import STAGES, Loop
from ygt_abm.vocabulary import WEEKS_PER_YEAR

#: each stage as a reader reads it
STAGE_WORDS = {"start_year": "each year, first", "start_week": "each week, first",
               "care_round": "each care round", "end_week": "each week, last", "end_year": "each year, last"}
STAGE_COLOURS = {"start_year": "#deebf7", "start_week": "#e5f5e0", "care_round": "#fee6ce",
                 "end_week": "#e5f5e0", "end_year": "#deebf7"}
LINE = 0.42  # vertical space of one process (data units)
WIDTH = 0.86  # of a stage's box; stages one unit apart


@styled
def schedule_figure(loop: Loop) -> Figure:
    """One column per stage, its processes in loop order; arrows in the order of time, and the loops of
    rounds within a week and weeks within a year."""
    rows = max(len(loop.by_stage[s]) for s in STAGES)
    top = rows * LINE + 0.15
    fig = Figure(figsize=(6.6, 1.4 + 0.26 * rows))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    ax.set_xlim(-0.08, len(STAGES) - 0.06)
    ax.set_ylim(-1.1, top + 1.45)
    ax.axis("off")
    for x, stage in enumerate(STAGES):
        processes = loop.by_stage[stage]
        ax.add_patch(FancyBboxPatch((x, 0), WIDTH, top, boxstyle="round,pad=0.02,rounding_size=0.06",
                                    fc=STAGE_COLOURS[stage], ec="#666", lw=0.8))
        ax.text(x + WIDTH / 2, top + 0.12, STAGE_WORDS[stage], ha="center", va="bottom", fontsize=7.5,
                fontweight="bold")
        for i, process in enumerate(processes):
            ax.text(x + WIDTH / 2, top - 0.3 - i * LINE, process.name, ha="center", va="center", fontsize=7.5)
        if x:
            ax.add_patch(FancyArrowPatch((x - 1 + WIDTH + 0.02, top / 2), (x - 0.02, top / 2),
                                         arrowstyle="-|>", mutation_scale=9, color="#333", lw=0.9))
    # the repetitions: rounds within a week, weeks within a year
    rounds = STAGES.index("care_round")
    ax.add_patch(FancyArrowPatch((rounds + WIDTH * 0.75, top + 0.45), (rounds + WIDTH * 0.25, top + 0.45),
                                 connectionstyle="arc3,rad=0.6", arrowstyle="-|>", mutation_scale=8,
                                 color="#b35806", lw=0.9))
    ax.text(rounds + WIDTH / 2, top + 0.82, "again while episodes are open", ha="center", va="bottom",
            fontsize=6.5, color="#b35806")
    first, last = STAGES.index("start_week"), STAGES.index("end_week")
    ax.add_patch(FancyArrowPatch((last + WIDTH / 2, -0.05), (first + WIDTH / 2, -0.05),
                                 connectionstyle="arc3,rad=-0.25", arrowstyle="-|>", mutation_scale=8,
                                 color="#31a354", lw=0.9))
    ax.text((first + last + WIDTH) / 2, -0.8, f"the next week: {WEEKS_PER_YEAR} weeks a year", ha="center",
            va="top", fontsize=6.5, color="#31a354")
    ax.text(0, top + 1.4, "The model's schedule: the processes that act in each stage, in the order they act",
            ha="left", va="top", fontsize=8.5)
    return fig
