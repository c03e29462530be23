"""Every figure of a result folder, from its tables: what ``ygt-abm plot`` draws, and what a run draws
when it finishes (its figures/main_indicators.png among them; a sensitivity design draws its indices
instead of a line per point). Every scenario has one colour in all of them; Chinese labels go to
figures-zh/, beside the English ones."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.analysis.uncertainty import counties_as_units
from ygt_abm.figures.effects import attainment_figure, backflow_figure, decomposition_figure, uncertainty_figure
from ygt_abm.figures.indicators import differences_figure, main_indicators_figure
from ygt_abm.figures.save import save_figure
from ygt_abm.figures.sensitivity import sensitivity_figure
from ygt_abm.figures.style import check_language, cjk_font, scenario_palette
from ygt_abm.vocabulary import is_variant


def figure_folder(out: Path, lang: str = "en") -> Path:
    """Where a result folder's figures in ``lang`` go: figures/, or figures-zh/ for Chinese labels."""
    return Path(out) / ("figures" if lang == "en" else f"figures-{lang}")


def plot_results(resolved: ResolvedExperiment, out: Path, kpis: pd.DataFrame | None = None,
                 formats: tuple[str, ...] = ("png",), lang: str = "en") -> list[Path]:
    """Draw the figures that the folder's tables allow into ``figure_folder(out, lang)``; returns the files
    written. Raises MissingFont for ``zh`` where no CJK font is installed, before drawing anything."""
    check_language(lang)
    if lang == "zh":
        cjk_font()
    out = Path(out)
    kpis = pd.read_parquet(out / "kpis.parquet") if kpis is None else kpis
    main = kpis[~kpis["scenario"].map(is_variant)]  # decomposition variants stay out of the lines
    packages = {name: resolved.package(name) for name in resolved.scenario_names}
    reference = resolved.experiment.reference_scenario
    ensemble = bool(resolved.experiment.ensemble)  # members pooled, with parameter uncertainty in the bands
    if ensemble and resolved.experiment.split_counties:  # the bands: one county's, as uncertainty.csv's
        main = counties_as_units(main)
    palette = scenario_palette([*resolved.scenario_names, *main["scenario"].unique()], reference)
    coloured = {"palette": palette, "lang": lang}
    figures = {}
    samples = resolved.experiment.samples
    if samples is None or not samples.sensitivity():  # a design's hundreds of points: its indices are the figure
        figures["main_indicators"] = lambda: main_indicators_figure(main, packages, ensemble, **coloured)
        if main["scenario"].nunique() > 1:
            figures["paired_differences"] = lambda: differences_figure(main, reference, packages, ensemble, **coloured)
    tables = {"backflow": ("backflow_summary.csv", backflow_figure, coloured),
              "uncertainty": ("uncertainty.csv", uncertainty_figure, {"lang": lang}),
              "decomposition": ("decomposition.csv", decomposition_figure, {"lang": lang}),
              "attainment": ("attainment.csv", attainment_figure, coloured),
              "sensitivity": ("sensitivity.csv", sensitivity_figure, {"lang": lang})}
    for name, (table, draw, options) in tables.items():
        if (out / table).is_file():
            figures[name] = lambda table=table, draw=draw, options=options: draw(pd.read_csv(out / table), **options)
    written = []
    for name, draw in figures.items():
        written += save_figure(draw(), figure_folder(out, lang) / name, formats)
    return written
