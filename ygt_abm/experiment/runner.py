"""Run an experiment: every (scenario, replicate) is one run, a pure function of (config, seed, replicate).

Replicate r of every scenario uses the same streams (seed, r), so scenarios are compared on common
random numbers. Each run writes its own table atomically; a rerun skips runs whose file exists, so an
interrupted experiment resumes where it stopped. Runs go through any ``concurrent.futures`` executor.
"""

from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.model import CountyModel
from ygt_abm.results.store import (
    KPI_COLUMNS, git_commit, package_versions, run_path, write_json, write_table,
)
from ygt_abm.world import build_world


class OutputConflict(Exception):
    """The output directory holds results of a different experiment configuration."""


@dataclass(frozen=True)
class RunSpec:
    scenario: str
    replicate: int


def config_digest(resolved: ResolvedExperiment) -> str:
    """Fingerprint of everything that determines the results (not of file paths or descriptions)."""
    exp = resolved.experiment
    payload = {
        "seed": exp.seed, "years": exp.years, "warmup_years": exp.warmup_years, "world": exp.world.model_dump(mode="json"),
        "parameters": {k: v.model_dump(mode="json") for k, v in resolved.parameters.items()},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def run_once(resolved: ResolvedExperiment, spec: RunSpec) -> tuple[pd.DataFrame, dict]:
    """Simulate one run; returns its indicator table and timings."""
    exp = resolved.experiment
    start = time.perf_counter()
    region = build_world(exp.world, exp.seed)
    model = CountyModel(region, resolved.parameters[spec.scenario], seed=exp.seed, replicate=spec.replicate,
                        scenario=spec.scenario)
    table = model.run(exp.years, exp.warmup_years)
    table.insert(0, "replicate", spec.replicate)
    table.insert(0, "scenario", spec.scenario)
    timing = {"wall_seconds": time.perf_counter() - start, **{f"phase_{k}": v for k, v in model.phase_seconds.items()}}
    return table[KPI_COLUMNS], timing


def _run_and_store(resolved: ResolvedExperiment, spec: RunSpec, out: Path) -> dict:
    table, timing = run_once(resolved, spec)
    write_table(table, run_path(out, spec.scenario, spec.replicate))
    return {"scenario": spec.scenario, "replicate": spec.replicate, **timing}


def plan(resolved: ResolvedExperiment) -> list[RunSpec]:
    exp = resolved.experiment
    return [RunSpec(s.name, r) for s in exp.scenarios for r in range(exp.replicates)]


def run_experiment(resolved: ResolvedExperiment, out: Path, workers: int = 1, executor: Executor | None = None,
                   progress=None) -> pd.DataFrame:
    """Run every missing run, then merge all runs into ``out/kpis.parquet`` with ``out/manifest.json``.

    ``progress(done, total)`` is called after each finished run."""
    out = Path(out)
    digest = config_digest(resolved)
    _claim_output(out, digest)
    specs = plan(resolved)
    todo = [s for s in specs if not run_path(out, s.scenario, s.replicate).exists()]
    done = len(specs) - len(todo)
    if progress:
        progress(done, len(specs))
    timings = []
    if todo:
        own = executor is None and workers > 1
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) if own else executor
        try:
            if pool is None:
                results = (_run_and_store(resolved, s, out) for s in todo)
            else:
                results = pool.map(_run_and_store, [resolved] * len(todo), todo, [out] * len(todo))
            for timing in results:
                timings.append(timing)
                done += 1
                if progress:
                    progress(done, len(specs))
        finally:
            if own:
                pool.shutdown()
    kpis = pd.concat([pd.read_parquet(run_path(out, s.scenario, s.replicate)) for s in specs], ignore_index=True)
    write_table(kpis, out / "kpis.parquet")
    write_json(_manifest(resolved, digest, specs), out / "manifest.json")
    if timings:
        write_table(pd.DataFrame(timings), out / "timings" / f"batch-{int(time.time() * 1e3)}.parquet")
    return kpis


def _claim_output(out: Path, digest: str) -> None:
    """Refuse to mix results of two different configurations in one directory."""
    stamp = out / "runs" / "config.sha256"
    if stamp.exists():
        if stamp.read_text().strip() != digest:
            raise OutputConflict(f"{out} holds results of a different experiment configuration; "
                                 "choose another --out or delete it")
        return
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")


def _manifest(resolved: ResolvedExperiment, digest: str, specs: list[RunSpec]) -> dict:
    exp = resolved.experiment
    here = Path(__file__).resolve().parent
    return {
        "experiment": exp.name,
        "config_file": str(resolved.path) if resolved.path else None,
        "config_sha256": digest,
        "config": exp.model_dump(mode="json"),
        "parameters": {k: v.model_dump(mode="json") for k, v in resolved.parameters.items()},
        "seeds": {
            "root": exp.seed,
            "runs": [{"scenario": s.scenario, "replicate": s.replicate, "stream_key": [exp.seed, s.replicate]}
                     for s in specs],
            "note": "run streams: SeedSequence(root, spawn_key=(replicate, crc32(stream name)[, week])); "
                    "the world: SeedSequence(root, spawn_key=(0, crc32('world')))",
        },
        "versions": package_versions(),
        "git_commit": git_commit(here),
    }
