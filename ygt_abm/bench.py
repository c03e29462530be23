"""A quick benchmark of one synthetic county (the full suite with a per-agent reference is issue #5)."""

from __future__ import annotations

import resource
import time

from ygt_abm.config.experiment import SyntheticWorld
from ygt_abm.config.params import ModelParameters
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world


def benchmark(population: int, years: int, seed: int = 1) -> dict[str, float | int]:
    """Build and run one county; report wall times, throughput, phase times and peak memory."""
    start = time.perf_counter()
    region = build_world(SyntheticWorld(population=population), seed)
    model = CountyModel(region, ModelParameters(), seed=seed)
    built = time.perf_counter()
    model.run(years)
    ran = time.perf_counter()
    weeks = years * 52
    report: dict[str, float | int] = {
        "residents": model.population.size,
        "years": years,
        "build_seconds": built - start,
        "run_seconds": ran - built,
        "seconds_per_year": (ran - built) / years,
        "resident_steps_per_second": model.population.size * weeks / (ran - built),
        "population_bytes_per_resident": model.population.nbytes() / model.population.size,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    report.update({f"phase_{k}_seconds": v for k, v in model.phase_seconds.items()})
    return report
