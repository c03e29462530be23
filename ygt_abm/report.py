"""After a run or collect: every analysis table and figure, written next to the Parquet data, each
atomically; ``complete.json`` last, so a folder without it is not finished (``ygt-abm status``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ygt_abm.analysis.attainment import attainment_table
from ygt_abm.analysis.backflow import backflow_table
from ygt_abm.analysis.decomposition import decomposition_table
from ygt_abm.analysis.dose_response import dose_response_table, swept_lever
from ygt_abm.analysis.elasticity import elasticity_table, single_price_changes
from ygt_abm.analysis.sensitivity import sensitivity_table
from ygt_abm.analysis.summary import interval, paired_differences, summarize
from ygt_abm.analysis.uncertainty import uncertainty_table
from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.experiment.plan import with_point_values
from ygt_abm.experiment.runner import config_digest, plan, run_episodes
from ygt_abm.results.store import COMPLETE, write_csv, write_json
from ygt_abm.vocabulary import is_variant

FLOAT = "%.6g"


def write_reports(resolved: ResolvedExperiment, out: Path, kpis: pd.DataFrame, figure: bool = True) -> pd.DataFrame:
    """Write summary, paired differences, uncertainty over an ensemble, backflow, decomposition, price
    elasticities, attainment and sensitivity tables (those that apply) and the figures; return the summary."""
    out = Path(out)
    exp = resolved.experiment
    summary = summarize(kpis)
    written = []

    def write(table: pd.DataFrame, name: str, **options) -> None:
        write_csv(with_point_values(table, resolved), out / name, **options)
        written.append(name)

    write(summary, "summary.csv", float_format=FLOAT)
    reference = exp.reference_scenario
    if len(resolved.scenario_names) > 1:
        write(paired_differences(kpis, reference), "paired_differences.csv", float_format=FLOAT)
    if exp.ensemble and len(resolved.scenario_names) > 1:  # by scenario, not by point: members are pooled
        write_csv(uncertainty_table(kpis, reference), out / "uncertainty.csv", float_format=FLOAT)
        written.append("uncertainty.csv")
    if exp.record_episodes and len(resolved.scenario_names) > 1:
        runs = list(dict.fromkeys((s.scenario, s.point, s.replicate) for s in plan(resolved) if not is_variant(s.scenario)))
        table = backflow_table(lambda s, p, r: run_episodes(out, resolved, s, p, r), runs, reference)
        write(table, "backflow.csv")
        write(interval(table, "value", ["scenario", "point", "year", "measure"]), "backflow_summary.csv",
              float_format=FLOAT)
    lever = swept_lever(exp.sweep)
    if lever and len(resolved.scenario_names) > 1:  # by scenario: the points are the doses
        doses = {p.name: p.values[lever] for p in resolved.points}
        write_csv(dose_response_table(kpis, doses, reference, lever), out / "dose_response.csv", float_format=FLOAT)
        written.append("dose_response.csv")
    decomposition = decomposition_table(kpis, reference)
    if not decomposition.empty:
        write(decomposition, "decomposition.csv", float_format=FLOAT)
    changes = single_price_changes(resolved.interventions, reference)
    if changes:
        write(elasticity_table(kpis, reference, changes), "elasticities.csv", float_format=FLOAT)
    attainment = attainment_table(kpis, resolved.packages, reference)
    if not attainment.empty:
        write(attainment, "attainment.csv", float_format=FLOAT)
    sensitivity = sensitivity_table(kpis, resolved, seed=exp.seed)
    if not sensitivity.empty:
        write_csv(sensitivity, out / "sensitivity.csv", float_format=FLOAT)  # by parameter, not by point
        written.append("sensitivity.csv")
    if figure:
        from ygt_abm.figures.results import plot_results

        written += [str(path.relative_to(out)) for path in plot_results(resolved, out, kpis)]
    write_json({"config_sha256": config_digest(resolved), "reports": written}, out / COMPLETE)
    return summary
