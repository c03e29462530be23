"""Every figure of a result folder, from its tables: what ``ygt-abm plot`` draws, and what a run draws
when it finishes (its figures/main_indicators.png among them)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.figures.effects import attainment_figure, backflow_figure, decomposition_figure, uncertainty_figure
from ygt_abm.figures.indicators import differences_figure, main_indicators_figure
from ygt_abm.figures.save import save_figure
from ygt_abm.figures.sensitivity import sensitivity_figure
from ygt_abm.vocabulary import is_variant


def plot_results(resolved: ResolvedExperiment, out: Path, kpis: pd.DataFrame | None = None,
                 formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """Draw the figures that the folder's tables allow into ``out/figures``; returns the files written."""
    out = Path(out)
    kpis = pd.read_parquet(out / "kpis.parquet") if kpis is None else kpis
    main = kpis[~kpis["scenario"].map(is_variant)]  # decomposition variants stay out of the lines
    packages = {name: resolved.package(name) for name in resolved.scenario_names}
    reference = resolved.experiment.reference_scenario
    ensemble = bool(resolved.experiment.ensemble)  # members pooled, with parameter uncertainty in the bands
    figures = {"main_indicators": lambda: main_indicators_figure(main, packages, ensemble)}
    if main["scenario"].nunique() > 1:
        figures["paired_differences"] = lambda: differences_figure(main, reference, packages, ensemble)
    tables = {"backflow": ("backflow_summary.csv", backflow_figure),
              "uncertainty": ("uncertainty.csv", uncertainty_figure),
              "decomposition": ("decomposition.csv", decomposition_figure),
              "attainment": ("attainment.csv", attainment_figure),
              "sensitivity": ("sensitivity.csv", sensitivity_figure)}
    for name, (table, draw) in tables.items():
        if (out / table).is_file():
            figures[name] = lambda table=table, draw=draw: draw(pd.read_csv(out / table))
    written = []
    for name, draw in figures.items():
        written += save_figure(draw(), out / "figures" / name, formats)
    return written
