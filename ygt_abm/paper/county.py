"""The county the paper maps: one recorded year of an experiment's reference scenario (its world, seed and
warm-up), tallied for the map: where villages and facilities stand, how many patients each facility
served, and where each township's episodes made their first contact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.interventions import build
from ygt_abm.analyzers import WeeklySeries
from ygt_abm.model import CountyModel
from ygt_abm.results.store import write_csv
from ygt_abm.vocabulary import FACILITY_KINDS, LEVELS, N_LEVELS, WEEKS_PER_YEAR
from ygt_abm.world import build_world

MAP_TABLES = ("county_villages.csv", "county_facilities.csv", "county_flows.csv")


def county_year(resolved: ResolvedExperiment, out: Path, replicate: int = 0) -> list[Path]:
    """Simulate the first recorded year of the reference scenario (first point, county 0's region) and
    write the three map tables into ``out``; returns their paths."""
    exp = resolved.experiment
    scenario = exp.reference_scenario or resolved.scenario_names[0]
    point = resolved.points[0].name if resolved.points else "base"
    region = build_world(exp.world, exp.seed, 0)
    model = CountyModel(region, resolved.parameters(scenario, point), seed=exp.seed, replicate=replicate,
                        interventions=[build(e) for e in resolved.interventions_at(scenario, point)],
                        analyzers=[WeeklySeries()])
    model.warm_up(exp.warmup_years)
    townships = len(region.township_names)
    flows = np.zeros((townships, N_LEVELS), dtype=np.int64)
    served = np.zeros((2, region.n_facilities))  # visits, admissions
    series = model.process(WeeklySeries.name)
    for _ in range(WEEKS_PER_YEAR):
        model.step()
        flows += series.last_week_first_contacts(region.village_township, townships)
        served += series.last_week_served
    village_xy, facility_xy = region.village_xy(), region.facility_xy()
    villages = pd.DataFrame({"village": np.arange(region.n_villages), "township": region.village_township,
                             "x_km": village_xy[:, 0], "y_km": village_xy[:, 1],
                             "residents": region.village_population})
    facilities = pd.DataFrame({"facility": np.arange(region.n_facilities),
                               "kind": [FACILITY_KINDS[level] for level in region.facility_level],
                               "township": region.facility_township,
                               "x_km": facility_xy[:, 0], "y_km": facility_xy[:, 1],
                               "visits": served[0], "admissions": served[1]})
    flow_table = pd.DataFrame([{"township": t, "level": LEVELS[level], "episodes": int(flows[t, level])}
                               for t in range(townships) for level in range(N_LEVELS)])
    paths = [Path(out) / name for name in MAP_TABLES]
    for table, path in zip((villages, facilities, flow_table), paths):
        write_csv(table, path, float_format="%.6g")
    return paths
