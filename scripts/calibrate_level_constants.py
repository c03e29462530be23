"""Calibrate the choice model's level constants to the observed split of contacts by facility level.

A BLP-style contraction: constant[level] += damping × ln(target share / simulated share), repeated.
Targets: the 2022 bulletin's visit split county : township : village ≈ 35 : 32 : 33 with 87.1% of care
inside the county (6th National Health Services Survey, 2018), and township health centres' share of
admissions (bulletin 2023: 13.2%). How that overall split divides between episode types is an
assumption, stated in TARGETS. Prints the constants to put in ``ygt_abm/config/params.py``.

    .venv/bin/python scripts/calibrate_level_constants.py [--iterations 6] [--population 30000] [--worlds 4]
"""

from __future__ import annotations

import argparse

import numpy as np

from ygt_abm.config.experiment import CALIBRATION_TOWNSHIPS, SyntheticWorld, WARMUP_YEARS
from ygt_abm.config.params import ByLevel, ModelParameters
from ygt_abm.model import CountyModel
from ygt_abm.streams import Streams  # the world of seed w, as build_world(config, w) makes it
from ygt_abm.vocabulary import EPISODE_TYPES, LEVELS, N_EPISODE_TYPES, N_LEVELS
from ygt_abm.world.synthetic import synthetic_region

# Share of each episode type's contacts by level (village, township, county, city); None: not calibrated.
TARGETS = {
    "minor": (0.25, 0.25, 0.35, 0.15),
    "chronic": (0.32, 0.29, 0.31, 0.08),
    "serious": (None, 0.15, 0.63, 0.22),
    "emergency": (None, 0.30, 0.55, 0.15),
}


def calibrate(iterations: int, population: int, worlds: int, damping: float = 0.8,
              params: ModelParameters | None = None) -> ModelParameters:
    """Pool contacts over ``worlds`` synthetic counties (one year after the usual warm-up), so the *typical* county matches the targets;
    start from ``params`` (default: the shipped parameters)."""
    regions = [synthetic_region(SyntheticWorld(population=population, townships=CALIBRATION_TOWNSHIPS), Streams(w).get("world"))
               for w in range(1, worlds + 1)]
    params = (params or ModelParameters()).model_copy(deep=True)
    for it in range(iterations):
        contacts = np.zeros((N_LEVELS, N_EPISODE_TYPES))
        for w, region in enumerate(regions):
            model = CountyModel(region, params, seed=1000 * it + w)
            tally = model.run_counters.contacts  # (level, type), whole run
            model.warm_up(WARMUP_YEARS)
            after_warmup = tally.copy()
            model.run(1)
            contacts += tally - after_warmup
        for t, name in enumerate(EPISODE_TYPES):
            target = np.array([np.nan if v is None else v for v in TARGETS[name]])
            used = ~np.isnan(target)
            simulated = contacts[used, t] / contacts[used, t].sum()
            choice = params.choice.for_type(t)
            constant = choice.level_constant.array()
            village = constant[0]
            constant[used] += damping * np.log(target[used] / np.maximum(simulated, 1e-4))
            if used[0]:
                # The village constant stays where it was: the visit split fixes only differences between
                # levels, and the level as a whole against self-care is left as the starting values set it.
                constant -= constant[0] - village
            choice.level_constant = ByLevel(**dict(zip(LEVELS, np.round(constant, 3))))
            print(f"iteration {it} {name:9s} simulated {np.round(simulated, 3)} → constants {np.round(constant, 3)}")
    return params


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=6)
    parser.add_argument("--population", type=int, default=30_000)
    parser.add_argument("--worlds", type=int, default=4)
    args = parser.parse_args()
    calibrated = calibrate(args.iterations, args.population, args.worlds)
    for name in EPISODE_TYPES:
        print(f"{name}: level_constant = {calibrated.choice.for_type(EPISODE_TYPES.index(name)).level_constant}")
