"""After a run or collect: every analysis table and figure, written next to the Parquet data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ygt_abm.analysis.attainment import attainment_table
from ygt_abm.analysis.backflow import backflow_table
from ygt_abm.analysis.decomposition import decomposition_table
from ygt_abm.analysis.elasticity import elasticity_table, single_price_changes
from ygt_abm.analysis.summary import interval, paired_differences, summarize
from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.experiment.runner import plan, run_episodes
from ygt_abm.vocabulary import is_variant

FLOAT = "%.6g"


def write_reports(resolved: ResolvedExperiment, out: Path, kpis: pd.DataFrame, figure: bool = True) -> pd.DataFrame:
    """Write summary, paired differences, backflow, decomposition, price elasticities and attainment tables
    (those that apply) and the main figure; return the summary."""
    out = Path(out)
    exp = resolved.experiment
    summary = summarize(kpis)
    summary.to_csv(out / "summary.csv", index=False, float_format=FLOAT)
    reference = exp.reference_scenario
    if len(resolved.scenario_names) > 1:
        paired_differences(kpis, reference).to_csv(out / "paired_differences.csv", index=False, float_format=FLOAT)
    if exp.record_episodes and len(resolved.scenario_names) > 1:
        runs = list(dict.fromkeys((s.scenario, s.point, s.replicate) for s in plan(resolved) if not is_variant(s.scenario)))
        table = backflow_table(lambda s, p, r: run_episodes(out, resolved, s, p, r), runs, reference)
        table.to_csv(out / "backflow.csv", index=False)
        interval(table, "value", ["scenario", "point", "year", "measure"]).to_csv(
            out / "backflow_summary.csv", index=False, float_format=FLOAT)
    decomposition = decomposition_table(kpis, reference)
    if not decomposition.empty:
        decomposition.to_csv(out / "decomposition.csv", index=False, float_format=FLOAT)
    changes = single_price_changes(resolved.interventions, reference)
    if changes:
        elasticity_table(kpis, reference, changes).to_csv(out / "elasticities.csv", index=False, float_format=FLOAT)
    attainment = attainment_table(kpis, resolved.packages)
    if not attainment.empty:
        attainment.to_csv(out / "attainment.csv", index=False, float_format=FLOAT)
    if figure:
        from ygt_abm.figures.indicators import plot_main_indicators

        main = kpis[~kpis["scenario"].map(is_variant)]  # decomposition variants stay out
        plot_main_indicators(main, out / "figures" / "main_indicators.png")
    return summary
