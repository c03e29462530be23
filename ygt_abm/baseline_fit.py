"""The baseline's fit to the calibration targets (``ygt-abm fit``): the baseline run in several synthetic
counties, each an experiment of its own with its own city hospital (as the calibration scripts run them),
through the experiment runner (resumable), then one fit table over all of them: fit.csv, fit.md and the
fit figure (docs/calibration.md)."""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ygt_abm.analysis.fit import fit_markdown, fit_table
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.config.files import MAX_TABLE_BYTES, require_regular_file
from ygt_abm.experiment.runner import check_new_outputs, run_experiment
from ygt_abm.figures.fit import fit_figure
from ygt_abm.figures.save import FORMATS, save_figure
from ygt_abm.results.store import write_atomic, write_csv, write_yaml

HEADER = "# A baseline run of `ygt-abm fit` (written by it).\n"
#: the table of experiments/price-elasticities.yaml's result folder that the elasticity targets are read from
ELASTICITIES = "elasticities.csv"


@dataclass(frozen=True)
class BaselineFit:
    """The fit table (one row per target) and its Markdown, as written to fit.csv and fit.md."""

    table: pd.DataFrame
    markdown: str


def world_experiment(world: int, population: int, replicates: int, years: int, seed: int) -> dict[str, Any]:
    """The experiment file of world ``world``: the baseline alone in a synthetic county of ``population``
    residents, seeded ``seed + world`` so that every world has its own geography."""
    return {"name": f"fit-world-{world}", "seed": seed + world, "replicates": replicates, "years": years,
            "world": {"kind": "synthetic", "population": population}, "scenarios": [{"name": "baseline"}]}


def fit_baseline(folder: Path, targets: list, population: int, worlds: int, replicates: int, years: int,
                 seed: int, elasticities: Path | None = None, executor: Executor | None = None) -> BaselineFit:
    """Write and run ``fit-world-<w>.yaml`` for each world into ``folder/world-<w>`` (finished runs are kept),
    and write the fit of all their runs to ``targets`` as fit.csv, fit.md and fit.png/.pdf/.svg in
    ``folder``. ``elasticities``: the result folder of experiments/price-elasticities.yaml, for the
    elasticity targets (None: they are not measured).

    Raises ``ConfigError`` if a written experiment does not load, ``ValueError`` for an elasticity table that is
    not one, and the runner's ``OutputConflict`` (before anything is written) or ``OutputLocked`` if a world's
    folder holds another experiment or is being written."""
    measured = read_elasticities(elasticities) if elasticities is not None else None  # before hours of runs
    check_worlds(folder, population, worlds, replicates, years, seed)
    tables = []
    for world in range(worlds):  # one county per region, as calibrated: the city hospital is its own
        experiment = folder / f"fit-world-{world}.yaml"
        write_yaml(world_experiment(world, population, replicates, years, seed), experiment, HEADER)
        kpis = run_experiment(load_runnable_experiment(experiment), folder / f"world-{world}", executor=executor)
        tables.append(kpis.assign(county=f"world {world}"))
    table = fit_table(pd.concat(tables, ignore_index=True), targets, measured)
    markdown = fit_markdown(table)
    write_csv(table, folder / "fit.csv", float_format="%.6g")
    write_atomic(folder / "fit.md", lambda tmp: tmp.write_text(markdown, encoding="utf-8"))
    save_figure(fit_figure(table), folder / "fit", FORMATS)
    return BaselineFit(table, markdown)


#: the columns of elasticities.csv the elasticity targets are read from
ELASTICITY_COLUMNS = ("kind", "level", "year", "mean", "ci_low", "ci_high", "n")


def read_elasticities(folder: Path) -> pd.DataFrame:
    """``folder``'s elasticities.csv (the table experiments/price-elasticities.yaml writes); ``ValueError`` naming
    the file for one that cannot be read or lacks the table's columns."""
    path = Path(folder) / ELASTICITIES
    try:
        require_regular_file(path, MAX_TABLE_BYTES)
        table = pd.read_csv(path)
    except (OSError, ValueError) as exc:  # pandas' errors for an empty, garbled or non-UTF-8 file are ValueErrors
        raise ValueError(f"{path}: cannot be read as a table ({exc})") from None
    missing = [column for column in ELASTICITY_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(f"{path}: not the elasticity table of experiments/price-elasticities.yaml (no column "
                         f"{', '.join(missing)})")
    return table


def check_worlds(folder: Path, population: int, worlds: int, replicates: int, years: int, seed: int) -> None:
    """Refuse (``OutputConflict``) a fit folder whose world folders hold results of other worlds, before any
    file of it is written."""
    check_new_outputs({Path(folder) / f"fit-world-{w}.yaml": (Path(folder) / f"world-{w}",
                                                               world_experiment(w, population, replicates, years, seed))
                       for w in range(worlds)}, HEADER)
