"""The emulator's design (docs/calibration.md, "An emulator of the particle model"): parameter sets spread over
the prior by a Latin hypercube, each simulated once by the particle model, kept point by point.

A point's statistics are written to ``design/point-NNNN.json`` (atomically) as soon as its runs are done, so a
killed design goes on with the points it lacks; the points are a pure function of the priors, the number of
points and the seed, and each point's statistics of its values (the particle model's seed), so a resumed or
parallel design equals a sequential one. ``design.csv`` assembles them in point order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, as_completed
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ygt_abm.results.store import write_atomic, write_csv

FOLDER = "design"


def design_points(priors: Mapping[str, tuple[float, float, bool]], n: int, seed: int) -> list[dict[str, float]]:
    """``n`` parameter sets: a Latin hypercube (centred discrepancy improved, seeded) on the unit cube, mapped
    onto each prior's range, through the logarithm where the prior is log-uniform."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(priors), seed=np.random.default_rng(seed), optimization="random-cd").random(n)
    return [{name: from_unit(u, *priors[name]) for name, u in zip(priors, row)} for row in unit]


def from_unit(u: float, low: float, high: float, log: bool) -> float:
    """The value at quantile ``u`` of the uniform (or log-uniform) prior on [low, high]."""
    if log:
        return float(math.exp(math.log(low) + u * (math.log(high) - math.log(low))))
    return float(low + u * (high - low))


def to_unit(x: np.ndarray, low: float, high: float, log: bool) -> np.ndarray:
    """The prior quantile of values ``x``: the inverse of ``from_unit``."""
    x = np.asarray(x, dtype=float)
    if log:
        return (np.log(x) - math.log(low)) / (math.log(high) - math.log(low))
    return (x - low) / (high - low)


def _point_file(out: Path, index: int, folder: str) -> Path:
    return Path(out) / folder / f"point-{index:04d}.json"


def simulate_design(model: Callable[[Mapping[str, float]], dict[str, float]], points: list[dict[str, float]],
                    out: Path, digest: str, executor: Executor | None = None,
                    progress: Callable[[int, int], Any] | None = None, folder: str = FOLDER) -> pd.DataFrame:
    """Simulate every point ``out/<folder>/`` lacks (over ``executor``, a whole point to a worker; None:
    here), then return and write ``out/<folder>.csv``: one row a point (``point``, the values, the
    statistics). ``digest`` names the estimation: a point file of another is an error, not a result; one of
    other values (a posterior check's draws from an earlier posterior) is simulated again."""
    (Path(out) / folder).mkdir(parents=True, exist_ok=True)
    kept = {i: record for i, values in enumerate(points)
            if (record := _read_point(out, i, digest, folder)) is not None and record["values"] == values}
    missing = [i for i in range(len(points)) if i not in kept]

    def keep(index: int, statistics: dict[str, float]) -> None:
        record = {"estimation": digest, "point": index, "values": points[index], "statistics": statistics}
        text = json.dumps(record, allow_nan=True) + "\n"
        write_atomic(_point_file(out, index, folder), lambda tmp: tmp.write_text(text, encoding="utf-8"))
        kept[index] = record
        if progress is not None:
            progress(len(kept), len(points))

    if executor is None:
        for index in missing:
            keep(index, model(points[index]))
    else:
        futures = {executor.submit(model, points[index]): index for index in missing}
        for future in as_completed(futures):
            keep(futures[future], future.result())
    table = pd.DataFrame([{"point": i, **kept[i]["values"], **kept[i]["statistics"]} for i in range(len(points))])
    write_csv(table, Path(out) / f"{folder}.csv", float_format="%.10g")
    return table


def _read_point(out: Path, index: int, digest: str, folder: str) -> dict | None:
    path = _point_file(out, index, folder)
    if not path.exists():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("estimation") != digest:
        raise ValueError(f"{path}: a design point of another estimation (other priors, statistics, sizes or "
                         "seed): give another --out")
    return record
