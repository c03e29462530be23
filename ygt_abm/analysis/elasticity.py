"""Own-price elasticities of care by level: for each scenario whose only difference from the reference is
one price change at one level (``price_adjustment`` of outpatient or inpatient care), the arc elasticity
ln(use ratio) ÷ ln(out-of-pocket ratio) per replicate, paired with the reference on the same illnesses,
then its mean and 95% interval across replicates. Use is visits (or admissions) per capita at that level;
the price is the out-of-pocket cost per visit (or admission) there, as measured in the run.

These are the checks of calibration-targets.md (village-clinic outpatient ≈ −1.5, rural outpatient −0.52,
inpatient −0.37): ``experiments/price-elasticities.yaml`` raises each price by 10%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.analysis.summary import interval
from ygt_abm.config.experiment import price_changes
from ygt_abm.vocabulary import LEVELS

#: contact kind → (use metric prefix, out-of-pocket metric prefix)
KINDS = {"outpatient": ("visits_per_capita", "oop_per_visit"),
         "inpatient": ("admissions_per_capita", "oop_per_admission")}


def own_price_elasticity(base, dearer, kind: str, level: str):
    """ln(use ratio) ÷ ln(out-of-pocket ratio) at ``level`` for ``kind`` of care; ``base`` and ``dearer`` map
    indicator names to values (one run's indicators, or aligned columns of many runs)."""
    use, price = KINDS[kind]
    use, price = f"{use}_{level}", f"{price}_{level}"
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(dearer[use] / base[use]) / np.log(dearer[price] / base[price])


def single_price_changes(interventions: dict[str, list[dict]], reference: str) -> dict[str, tuple[str, str]]:
    """Scenario → (contact kind, level) for scenarios that add exactly one price change at one level to
    the reference's interventions and nothing else."""
    base = interventions.get(reference, [])
    found = {}
    for scenario, entries in interventions.items():
        extra = [e for e in entries if e not in base]
        missing = [e for e in base if e not in entries]
        if scenario == reference or missing or len(extra) != 1:
            continue
        changes = price_changes(extra[0])
        if len(changes) == 1 and changes[0][1] in LEVELS:
            found[scenario] = changes[0]
    return found


def elasticity_table(kpis: pd.DataFrame, reference: str, changes: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """One row per (scenario, point, county, year): kind, level, and the elasticity's mean and interval."""
    rows = []
    keys = ["point", "replicate", "county", "year"]
    for scenario, (kind, level) in changes.items():
        use, price = KINDS[kind]
        wanted = [f"{use}_{level}", f"{price}_{level}"]
        mine = kpis[(kpis["scenario"] == scenario) & kpis["metric"].isin(wanted)].pivot_table(
            index=keys, columns="metric", values="value")
        ref = kpis[(kpis["scenario"] == reference) & kpis["metric"].isin(wanted)].pivot_table(
            index=keys, columns="metric", values="value")
        mine, ref = mine.align(ref, join="inner")
        frame = own_price_elasticity(ref, mine, kind, level).rename("elasticity").reset_index()
        frame.insert(0, "scenario", scenario)
        frame["kind"], frame["level"] = kind, level
        rows.append(frame)
    if not rows:
        return pd.DataFrame()
    out = interval(pd.concat(rows, ignore_index=True), "elasticity",
                   ["scenario", "kind", "level", "point", "county", "year"])
    return out
