"""The baseline indicators of several synthetic counties, next to the national ranges they should match.

    .venv/bin/python scripts/baseline_across_counties.py [--worlds 8] [--population 30000]

Each county (world seed w) is warmed up for the usual warm-up (3 years), then one year is recorded.
"""

from __future__ import annotations

import argparse

import pandas as pd

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.config.experiment import CALIBRATION_TOWNSHIPS, WARMUP_YEARS
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world

SHOWN = ["primary_care_visit_share", "in_county_visit_rate", "visits_per_capita", "admissions_per_capita",
         "in_county_inpatient_share", "chronic_managed_rate", "oop_per_episode", "fund_spending_per_enrollee",
         "settled_outpatient_cost_per_enrollee", "settled_outpatient_visits_per_enrollee",
         "inpatient_effective_reimbursement", "fund_balance_per_capita"]

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worlds", type=int, default=8)
    parser.add_argument("--population", type=int, default=30_000)
    args = parser.parse_args()
    rows = {}
    for world in range(1, args.worlds + 1):
        region = build_world(SyntheticWorld(population=args.population, townships=CALIBRATION_TOWNSHIPS), seed=world)
        frame = CountyModel(region, ModelParameters(), seed=world).run(1, warmup_years=WARMUP_YEARS)
        rows[f"world {world}"] = frame.set_index("metric")["value"]
    table = pd.DataFrame(rows).T[SHOWN]
    table.loc["mean"] = table.mean()
    print(table.round(3).to_string())
