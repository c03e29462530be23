"""Calibrate price sensitivity by level to the three price elasticities of calibration-targets.md, then
refit the level constants to the visit split (scripts/calibrate_level_constants.py).

Targets (pre-reform behaviour, measured the way the studies define them, by raising out-of-pocket cost 10%
at one level): village-clinic outpatient ≈ −1.5 (Zhou et al., Health Economics 2009); rural outpatient
−0.52, measured at the county hospital, and first admission −0.37 (Zhou et al., Health Policy 2011).
Each iteration measures the three arc elasticities on common random numbers and scales, with damping:
the outpatient types' cost coefficient by the county outpatient ratio (target ÷ simulated); the minor and
chronic types' village weight by the village ratio over that; the serious type's coefficient by the
inpatient ratio. The level constants are shifted by the change in the mean expected cost term and then
refitted to the visit split (two contraction steps), since shares and elasticities move together. Prints
the values to put in ``ygt_abm/config/params.py``.

    .venv/bin/python scripts/calibrate_price_response.py [--iterations 5] [--replicates 4]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from ygt_abm.analysis.elasticity import own_price_elasticity
from ygt_abm.config.experiment import WARMUP_YEARS, SyntheticWorld
from ygt_abm.config.params import ByLevel, ModelParameters
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.pricing import expected_oop
from ygt_abm.levers import PolicyLevers
from ygt_abm.vocabulary import EPISODE_TYPES, LEVELS, VILLAGE
from ygt_abm.world import build_world

sys.path.insert(0, str(Path(__file__).parent))
from calibrate_level_constants import calibrate as refit_level_constants  # noqa: E402

TARGETS = {("outpatient", "village"): -1.5, ("outpatient", "county"): -0.52, ("inpatient", "county"): -0.37}
OUTPATIENT_TYPES = ("minor", "chronic", "emergency")
VILLAGE_TYPES = ("minor", "chronic")  # the village-clinic elasticity is of their visits; emergencies go up


def measure(params: ModelParameters, replicates: int, population: int, townships: int, seed: int) -> dict:
    """Mean arc elasticity of each target over ``replicates`` paired runs (the usual warm-up, 1 recorded year)."""
    region = build_world(SyntheticWorld(population=population, townships=townships), seed)
    out = {key: [] for key in TARGETS} | {"visits_per_capita": []}
    for r in range(replicates):
        base = CountyModel(region, params, seed=seed, replicate=r).run(1, WARMUP_YEARS).set_index("metric")["value"]
        out["visits_per_capita"].append(base["visits_per_capita"])
        for kind, level in TARGETS:
            spec = {"type": "price_adjustment", f"{kind}_change": {level: 0.1}, "source": "calibration"}
            run = CountyModel(region, params, seed=seed, replicate=r, interventions=[build(spec)])
            dearer = run.run(1, WARMUP_YEARS).set_index("metric")["value"]
            out[(kind, level)].append(own_price_elasticity(base, dearer, kind, level))
    return {key: float(np.mean(v)) for key, v in out.items()}


def mean_expected_cost(params: ModelParameters) -> np.ndarray:
    """(type, level) expected out-of-pocket yuan of an unreferred contact, weighted by insurance cover."""
    table = expected_oop(PolicyLevers.baseline(params, 1, 1))[0]  # (level, type, insured)
    share = params.population.insured_share
    return (table[:, :, 1] * share + table[:, :, 0] * (1 - share)).T


def rescale(params: ModelParameters, ratios: dict, damping: float) -> None:
    """Scale the coefficients by (target ÷ simulated) ** damping, shifting the constants to compensate."""
    cost = mean_expected_cost(params)
    for t, name in enumerate(EPISODE_TYPES):
        choice = params.choice.for_type(t)
        before = choice.cost_100_yuan * choice.cost_level_weight.array()
        weight = choice.cost_level_weight.array()
        if name in OUTPATIENT_TYPES:
            county = ratios[("outpatient", "county")] ** damping
            choice.cost_100_yuan = float(np.round(choice.cost_100_yuan * county, 4))
            if name in VILLAGE_TYPES:
                weight[VILLAGE] *= ratios[("outpatient", "village")] ** damping / county
        else:
            choice.cost_100_yuan = float(np.round(choice.cost_100_yuan * ratios[("inpatient", "county")] ** damping, 5))
        choice.cost_level_weight = ByLevel(**dict(zip(LEVELS, np.round(weight, 3))))
        after = choice.cost_100_yuan * choice.cost_level_weight.array()
        constant = choice.level_constant.array() - (after - before) * cost[t] / 100.0
        choice.level_constant = ByLevel(**dict(zip(LEVELS, np.round(constant, 3))))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--population", type=int, default=120_000)
    parser.add_argument("--townships", type=int, default=6)
    parser.add_argument("--damping", type=float, default=0.8)
    args = parser.parse_args()
    params = ModelParameters()
    for it in range(args.iterations):
        got = measure(params, args.replicates, args.population, args.townships, seed=31 + it)
        print(f"iteration {it}: " + ", ".join(f"{k} {v:.3f}" for k, v in got.items()))
        rescale(params, {k: TARGETS[k] / got[k] for k in TARGETS}, args.damping)
        params = refit_level_constants(2, 30_000, 4, params=params)
    got = measure(params, args.replicates, args.population, args.townships, seed=99)
    print("check (another seed): " + ", ".join(f"{k} {v:.3f}" for k, v in got.items()))
    for name in EPISODE_TYPES:
        c = params.choice.for_type(EPISODE_TYPES.index(name))
        print(f"{name}: cost_100_yuan={c.cost_100_yuan}, cost_level_weight={c.cost_level_weight}, "
              f"level_constant={c.level_constant}")
