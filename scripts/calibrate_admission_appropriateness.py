"""Calibrate the appropriate-admission severity by level to the pre-reform shares of inappropriate admissions.

Under fee-for-service at baseline prices providers admit every serious case (``processes/provision.py``),
so the appropriate-admission severity of a level is the quantile of its admitted cases' severity at the
share the Appropriateness Evaluation Protocol found inappropriate: township health centres 26.5% (Zhang,
Chen, Zhang, Zhang, BMC Health Serv Res 2014), county hospitals 15.2% (IJERPH 2018 15(6):1050). No study of
city hospitals was found: they take the county's value. Pooled over synthetic counties after the usual
warm-up, as the other calibration scripts. It also measures each level's typical admitted severity (the mean,
``finance.typical_admission_severity``: an admission of it costs the level's price). Prints the values to put
in ``ygt_abm/config/params.py``.

    .venv/bin/python scripts/calibrate_admission_appropriateness.py [--population 30000] [--worlds 4]
"""

from __future__ import annotations

import argparse

import numpy as np

from ygt_abm.config.experiment import CALIBRATION_TOWNSHIPS, SyntheticWorld, WARMUP_YEARS
from ygt_abm.config.params import ModelParameters
from ygt_abm.model import CountyModel
from ygt_abm.processes import Process, default_processes
from ygt_abm.streams import Streams  # the world of seed w, as build_world(config, w) makes it
from ygt_abm.vocabulary import CITY, COUNTY, INPATIENT, LEVELS, TOWNSHIP
from ygt_abm.world.synthetic import synthetic_region

INAPPROPRIATE_SHARE = {TOWNSHIP: 0.265, COUNTY: 0.152}


class AdmittedSeverity(Process):
    """Notes the level and severity of every admission served (runs right after access)."""

    name = "admitted_severity"

    def init(self, model) -> None:
        self.level, self.severity = [], []

    def care_round(self, model, week, rnd) -> None:
        admitted = rnd.kind == INPATIENT
        self.level.append(rnd.level[admitted])
        self.severity.append(week.episodes.severity[rnd.act[admitted]])


def admitted_severities(population: int, worlds: int) -> tuple[np.ndarray, np.ndarray]:
    """(level, severity) of every admission in one year after the usual warm-up, pooled over the worlds."""
    levels, severities = [], []
    for w in range(1, worlds + 1):
        region = synthetic_region(SyntheticWorld(population=population, townships=CALIBRATION_TOWNSHIPS), Streams(w).get("world"))
        processes = default_processes()
        processes.insert(next(i for i, p in enumerate(processes) if p.name == "access") + 1, AdmittedSeverity())
        model = CountyModel(region, ModelParameters(), seed=w, processes=processes)
        model.warm_up(WARMUP_YEARS)
        noted = model.process("admitted_severity")
        noted.init(model)
        model.run(1)
        levels.append(np.concatenate(noted.level))
        severities.append(np.concatenate(noted.severity))
    return np.concatenate(levels), np.concatenate(severities)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=30_000)
    parser.add_argument("--worlds", type=int, default=4)
    args = parser.parse_args()
    level, severity = admitted_severities(args.population, args.worlds)
    appropriate = {lvl: float(np.quantile(severity[level == lvl], share)) for lvl, share in INAPPROPRIATE_SHARE.items()}
    appropriate[CITY] = appropriate[COUNTY]
    for lvl, value in appropriate.items():
        typical = severity[level == lvl].mean()
        print(f"{LEVELS[lvl]:<9} appropriate {value:.3f}  typical {typical:.3f}  ({(level == lvl).sum()} admissions)")


if __name__ == "__main__":
    main()
