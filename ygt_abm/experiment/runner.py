"""Run an experiment: every (scenario, sweep point, replicate) is one run, a pure function of
(config, seed, replicate); with ``split_counties``, every (scenario, point, replicate, county).

Seeds: run (s, p, r) uses the streams of ``SeedSequence(root, spawn_key=(r, …))``, and county c of a
split region those of ``spawn_key=(r, Streams.county_word(c), …)``: the same for every scenario and
point, so comparisons are paired on common random numbers, and independent of run order,
executor, worker count and sharding. Each run writes its own table atomically; a rerun skips runs whose
file exists, so an interrupted experiment resumes where it stopped. ``collect`` merges the runs in plan
order, so the merged files are byte-identical however the runs were executed.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.config.files import ConfigError, require_regular_file
from ygt_abm.experiment.executors import parallelism, peak_rss_mb
from ygt_abm.experiment.forking import balanced_tasks, forked_runs, split_groups, warmup_groups
from ygt_abm.experiment.plan import RunSpec, county_runs, plan, with_point_values
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.processes import default_processes
from ygt_abm.results.store import (
    COMPLETE, KPI_COLUMNS, episodes_path, git_commit, hold_output, package_versions, read_json,
    remove_stale_temporaries, timing_path, write_json, write_table, write_yaml,
)
from ygt_abm.streams import Streams
from ygt_abm.vocabulary import is_variant
from ygt_abm.world import build_world

__all__ = ["MissingRuns", "OutputConflict", "RunSpec", "collect", "parse_shard", "plan", "run_experiment"]


class OutputConflict(Exception):
    """The output directory holds results of a different experiment configuration."""


class MissingRuns(Exception):
    """Some runs have no result yet (e.g. shards still running)."""

    def __init__(self, missing: list["RunSpec"]) -> None:
        self.missing = missing
        shown = ", ".join(s.run_id for s in missing[:5]) + (" …" if len(missing) > 5 else "")
        super().__init__(f"{len(missing)} runs have no result yet: {shown}")


def run_episodes(out: Path, resolved: ResolvedExperiment, scenario: str, point: str,
                 replicate: int) -> Iterator[pd.DataFrame]:
    """The episode tables of one (scenario, point, replicate), read one at a time: one table, or one per
    county in county order when counties were run on their own (the same order in every scenario)."""
    for county in county_runs(resolved):
        yield pd.read_parquet(episodes_path(RunSpec(scenario, point, replicate, county).path(out)))


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` → (I, N) with 0 ≤ I < N (job-array index I of N)."""
    try:
        index, count = (int(x) for x in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard expects I/N (e.g. 0/4), got {text!r}") from None
    if not (count >= 1 and 0 <= index < count):
        raise ValueError(f"--shard {text}: expected 0 ≤ I < N")
    return index, count


def config_digest(resolved: ResolvedExperiment) -> str:
    """Fingerprint of everything that determines the results, the content of the county files included (a
    changed village must not let old results be reused)."""
    exp = resolved.experiment
    payload = {
        "seed": exp.seed, "years": exp.years, "warmup_years": exp.warmup_years,
        "world": exp.world.model_dump(mode="json"),
        "parameters": {f"{s}/{p}": resolved.parameters(s, p).model_dump(mode="json")
                       for s in resolved.scenario_names for p in (pt.name for pt in resolved.points)},
        "interventions": resolved.interventions,
        "record_episodes": exp.record_episodes,
        "split_counties": exp.split_counties,
    }
    if resolved.varies_levers():  # only then: every other folder keeps the fingerprint it had before
        payload["lever_strengths"] = {p.name: p.lever_overrides() for p in resolved.points}
    quantiles = {p.name: resolved.lever_quantiles(p) for p in resolved.points}
    if any(quantiles.values()):  # likewise: ranged strengths as given leave the fingerprint as it was
        payload["lever_quantiles"] = quantiles
    if exp.world.kind == "csv":  # a synthetic world has no files (and keeps the fingerprints it had before)
        payload["world_files"] = world_file_digests(exp.world)
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def world_file_digests(world) -> list[str]:
    """sha256 of every file a CSV world is read from, in a fixed order (villages and facilities of each
    county, then the city hospitals)."""
    paths = [path for county in world.counties for path in (county.villages, county.facilities)]
    return [hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in [*paths, world.city_hospitals]]


def run_once(resolved: ResolvedExperiment, spec: RunSpec) -> tuple[pd.DataFrame, dict, pd.DataFrame | None]:
    """Simulate one run; returns its indicator table, its timings and (if recorded) its episode table."""
    exp = resolved.experiment
    start = time.perf_counter()
    region = build_world(exp.world, exp.seed, spec.county)
    interventions = [build(entry) for entry in resolved.interventions_at(spec.scenario, spec.point)]
    model = CountyModel(region, resolved.parameters(spec.scenario, spec.point), seed=exp.seed,
                        replicate=spec.replicate, interventions=interventions,
                        record_episodes=exp.record_episodes and not is_variant(spec.scenario))
    table = model.run(exp.years, exp.warmup_years)
    return _outputs(model, table, spec, start, model.phase_seconds)


def _outputs(model: CountyModel, table: pd.DataFrame, spec: RunSpec, start: float, phase_seconds: dict[str, float],
             **extra) -> tuple[pd.DataFrame, dict, pd.DataFrame | None]:
    """A simulated run's indicator table, timings (``extra`` added) and episode table (if recorded)."""
    episodes = episode_table(model.process("recording").episode_levels) if model.record_episodes else None
    table.insert(0, "replicate", spec.replicate)
    table.insert(0, "point", spec.point)
    table.insert(0, "scenario", spec.scenario)
    timing = {"wall_seconds": time.perf_counter() - start, **{f"phase_{k}": v for k, v in phase_seconds.items()},
              "worker": f"{socket.gethostname()}:{os.getpid()}",
              "worker_peak_rss_mb": peak_rss_mb(), **extra}
    return table[KPI_COLUMNS], timing, episodes


def run_and_store(resolved: ResolvedExperiment, spec: RunSpec, out: Path) -> RunSpec:
    """One run from scratch, stored: timing first, then the result (whose existence marks the run finished)."""
    _store(out, spec, *run_once(resolved, spec))
    return spec


def run_task(resolved: ResolvedExperiment, specs: list[RunSpec], out: Path,
             on_run: Callable[[RunSpec], None] | None = None) -> list[RunSpec]:
    """Runs that share a warm-up (``forking.warmup_groups``), stored one by one as each finishes: one run
    from scratch, several forked from one warm-up. ``on_run(spec)`` is called after each is stored."""
    if len(specs) == 1:
        run_and_store(resolved, specs[0], out)
        if on_run:
            on_run(specs[0])
        return specs
    for forked in forked_runs(resolved, specs):
        # The run's own time: its copy of the warm-up and its recorded years (the warm-up is timed apart).
        start = time.perf_counter() - forked.seconds
        _store(out, forked.spec, *_outputs(forked.model, forked.table, forked.spec, start, forked.phase_seconds,
                                           forked=True, warmup_seconds=forked.warmup_seconds,
                                           warmup_runs=forked.warmup_runs, warmup_group=forked.warmup_group,
                                           simulated_as=forked.simulated_as))
        if on_run:
            on_run(forked.spec)
        del forked  # lets the fork go before the next copy is made
    return specs


def _store(out: Path, spec: RunSpec, table: pd.DataFrame, timing: dict, episodes: pd.DataFrame | None) -> None:
    path = spec.path(out)
    if episodes is not None:
        write_table(episodes, episodes_path(path))
    write_json(timing, timing_path(path))
    write_table(table, path)


def episode_table(weekly_levels: list) -> pd.DataFrame:
    """Every recorded episode's first-contact code in onset order, with its simulated year."""
    if not weekly_levels:
        return pd.DataFrame({"year": pd.Series(dtype="uint8"), "first_level": pd.Series(dtype="uint8")})
    lengths = [len(w) for w in weekly_levels]
    year = np.repeat(np.arange(len(lengths)) // 52 + 1, lengths).astype(np.uint8)
    return pd.DataFrame({"year": year, "first_level": np.concatenate(weekly_levels).astype(np.uint8)})


def missing_runs(specs: list[RunSpec], out: Path) -> list[RunSpec]:
    return [s for s in specs if not s.path(out).exists()]


def fork_default() -> bool:
    """Whether runs share their warm-up unless told otherwise: yes, but ``YGT_ABM_FORK=0`` in the
    environment turns it off (to compare, or to rule it out)."""
    return os.environ.get("YGT_ABM_FORK", "1").strip().lower() not in ("0", "false", "no", "off")


def shard_tasks(resolved: ResolvedExperiment, shard: tuple[int, int] | None = None,
                fork: bool = True) -> list[list[RunSpec]]:
    """The runs of the experiment (of one shard, if given) as tasks of runs that share a warm-up.

    Shard I of N takes every N-th task, from the I-th, of the whole plan cut into at least N tasks: the
    shards are disjoint, cover the plan and do not depend on which runs are done. Without forking every
    task is one run, so shard I runs every N-th run of the plan, from the I-th."""
    groups = warmup_groups(resolved, plan(resolved), fork)
    return groups if shard is None else split_groups(groups, shard[1])[shard[0]::shard[1]]


def run_experiment(resolved: ResolvedExperiment, out: Path, executor: Executor | None = None,
                   shard: tuple[int, int] | None = None, progress=None,
                   fork: bool | None = None) -> pd.DataFrame | None:
    """Run every missing run (of one shard, if given) through ``executor`` (None: in this process).

    Runs that share a warm-up are forked from one (``ygt_abm.experiment.forking``; byte-identical to runs
    from scratch) unless ``fork`` is False (None: ``fork_default()``). Without a shard, the runs are then
    merged (see ``collect``) and the merged table returned. ``progress`` is called as ``progress(done,
    total)``. Returns None for a shard: merge with ``collect`` later."""
    out = Path(out)
    fork = fork_default() if fork is None else fork
    check_output(out, resolved)  # before the lock: a refused folder is left as it was
    with hold_output(out, shard):
        _claim_output(out, config_digest(resolved))
        (out / COMPLETE).unlink(missing_ok=True)  # the folder changes: finished again only after the reports
        if shard is None:  # a shard leaves the temporaries of the shards beside it alone
            remove_stale_temporaries(out)
        tasks = shard_tasks(resolved, shard, fork)
        total = sum(len(task) for task in tasks)
        todo = [missing for missing in (missing_runs(task, out) for task in tasks) if missing]
        done = total - sum(len(task) for task in todo)
        if progress:
            progress(done, total)
        if executor is None:
            def finished(spec: RunSpec) -> None:
                nonlocal done
                done += 1
                if progress:
                    progress(done, total)

            for task in todo:
                run_task(resolved, task, out, finished)
        else:
            # Cut where that keeps every worker busy to the end (each cut costs a warm-up), longest first.
            exp = resolved.experiment
            tasks = balanced_tasks(todo, parallelism(executor), exp.warmup_years, exp.years)
            futures = [executor.submit(run_task, resolved, task, out) for task in tasks]
            for future in as_completed(futures):
                done += len(future.result())
                if progress:
                    progress(done, total)
        return None if shard is not None else _merge(resolved, out)


def collect(resolved: ResolvedExperiment, out: Path) -> pd.DataFrame:
    """Merge all runs (in plan order) into ``kpis.parquet``, with ``runs.parquet`` and ``manifest.json``."""
    out = Path(out)
    check_output(out, resolved)
    kpis = _merged_runs(resolved, out)  # read before the lock: missing or unreadable runs leave the folder as it was
    with hold_output(out):
        if (out / "runs" / "config.sha256").exists():
            _claim_output(out, config_digest(resolved))
        (out / COMPLETE).unlink(missing_ok=True)
        _write_merged(resolved, out, kpis)
        return kpis


class MisplacedRun(OutputConflict):
    """A run file holds another run's results (copied over it, or written by hand)."""


def _read_run(spec: RunSpec, out: Path) -> pd.DataFrame:
    """A run's results, after checking that the file holds that run (its scenario, point and replicate)."""
    path = spec.path(out)
    try:
        require_regular_file(path)  # a FIFO would block the reader
        table = pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's errors for a truncated or empty file are both
        raise MisplacedRun(f"{path} cannot be read as run {spec.run_id} ({exc}): delete it and run again") from None
    held = {(str(s), str(p), int(r)) for s, p, r in table[["scenario", "point", "replicate"]].drop_duplicates()
            .itertuples(index=False)}
    if held != {(spec.scenario, spec.point, spec.replicate)}:
        shown = ", ".join(f"{s}/{p}/r{r:04d}" for s, p, r in sorted(held)) or "nothing"
        raise MisplacedRun(f"{path} should hold run {spec.run_id} but holds {shown}: delete it and run again")
    return table


def _merge(resolved: ResolvedExperiment, out: Path) -> pd.DataFrame:
    kpis = _merged_runs(resolved, out)
    _write_merged(resolved, out, kpis)
    return kpis


def _merged_runs(resolved: ResolvedExperiment, out: Path) -> pd.DataFrame:
    """Every run's table in plan order, each checked to hold its run; reads only (run files are written whole,
    so no lock is needed to read them)."""
    specs = plan(resolved)
    missing = missing_runs(specs, out)
    if missing:
        raise MissingRuns(missing)
    return with_point_values(pd.concat([_read_run(s, out) for s in specs], ignore_index=True), resolved)


def _write_merged(resolved: ResolvedExperiment, out: Path, kpis: pd.DataFrame) -> None:
    specs = plan(resolved)
    write_table(kpis, out / "kpis.parquet")
    write_table(_runs_table(resolved, specs, [s.path(out) for s in specs]), out / "runs.parquet")
    write_json(_manifest(resolved, specs), out / "manifest.json")


def _runs_table(resolved: ResolvedExperiment, specs: list[RunSpec], paths: list[Path]) -> pd.DataFrame:
    rows, phases = [], [p.name for p in default_processes()]
    for spec, path in zip(specs, paths):
        timing = read_json(timing_path(path)) if timing_path(path).is_file() else {}
        rows.append({"run_id": spec.run_id, "scenario": spec.scenario, "point": spec.point,
                     "replicate": spec.replicate, "county": -1 if spec.county is None else spec.county,  # -1: all
                     "seed": resolved.experiment.seed, "status": "done",
                     "wall_seconds": timing.get("wall_seconds", float("nan")),
                     "worker": timing.get("worker", ""),
                     "worker_peak_rss_mb": timing.get("worker_peak_rss_mb", float("nan")),
                     **{f"phase_{k}": timing.get(f"phase_{k}", float("nan")) for k in phases},
                     "forked": bool(timing.get("forked", False)),
                     "warmup_seconds": timing.get("warmup_seconds", float("nan")),
                     "warmup_runs": int(timing.get("warmup_runs", 0)),
                     "warmup_group": timing.get("warmup_group", ""),
                     "simulated_as": timing.get("simulated_as", spec.run_id)})
    return pd.DataFrame(rows)


def _claim_output(out: Path, digest: str) -> None:
    """Refuse to mix results of two different configurations in one directory."""
    stamp = out / "runs" / "config.sha256"
    if stamp.exists():
        _same_configuration(out, stamp, digest)
        return
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")


def check_output(out: Path, resolved: ResolvedExperiment) -> None:
    """Refuse a folder whose results another configuration made, or whose runner files are not what a runner
    writes (read only: ``plot`` draws from it, and a refused folder is left as it was)."""
    out = Path(out)
    for path, kind in ((out / "runs", "folder"), (out / "runs" / ".lock", "file"), (out / COMPLETE, "file")):
        if path.exists() and not (path.is_dir() if kind == "folder" else path.is_file()):  # a FIFO is no file
            raise OutputConflict(f"{path} should be a {kind}: {out} was not written by ygt-abm run; choose another "
                                 "--out or delete it")
    stamp = out / "runs" / "config.sha256"
    if stamp.exists():
        _same_configuration(out, stamp, config_digest(resolved))


def check_new_outputs(experiments: Mapping[Path, tuple[Path, dict[str, Any]]], header: str = "") -> None:
    """Before a command writes the experiment files it generates (final path → (run folder, the file's
    content)): load each from a scratch copy, so that a problem is a ``ConfigError`` naming the final path and
    its line, and refuse (``check_output``) a run folder another configuration's results are in. Writes nothing
    the caller keeps."""
    from ygt_abm.experiment.loading import load_runnable_experiment

    with tempfile.TemporaryDirectory() as scratch:
        for final, (out, experiment) in experiments.items():
            path = Path(scratch) / Path(final).name
            write_yaml(experiment, path, header)
            try:
                resolved = load_runnable_experiment(path)
            except ConfigError as exc:
                raise ConfigError([replace(p, file=str(final)) if p.file == str(path) else p
                                   for p in exc.problems]) from None
            check_output(out, resolved)


def _same_configuration(out: Path, stamp: Path, digest: str) -> None:
    try:  # a folder or a FIFO where the stamp belongs is not this configuration's (and a FIFO would block)
        held = stamp.read_bytes().strip() if stamp.is_file() else b""
    except OSError:
        held = b""
    if held != digest.encode():
        raise OutputConflict(f"{out} holds results of a different experiment configuration; "
                             "choose another --out or delete it")


def _manifest(resolved: ResolvedExperiment, specs: list[RunSpec]) -> dict:
    exp = resolved.experiment
    quantiles = {p.name: resolved.lever_quantiles(p) for p in resolved.points}  # where ranged strengths sat
    return {
        "experiment": exp.name,
        "config_file": str(resolved.path) if resolved.path else None,
        "config_sha256": config_digest(resolved),
        "config": exp.model_dump(mode="json"),
        "reference_scenario": exp.reference_scenario,
        "interventions": resolved.interventions,
        "points": {p.name: p.values for p in resolved.points},
        **({"lever_quantiles": quantiles} if any(quantiles.values()) else {}),
        "parameters": {f"{s}/{p.name}": resolved.parameters(s, p.name).model_dump(mode="json")
                       for s in resolved.scenario_names for p in resolved.points},
        "seeds": {
            "root": exp.seed,
            "runs": [{"run_id": s.run_id, "replicate": s.replicate,
                      "stream_key": [exp.seed, s.replicate,
                                     *([] if s.county is None else [Streams.county_word(s.county)])]}
                     for s in specs],
            "note": "run streams: SeedSequence(root, spawn_key=(replicate[, 0xC0C00000 + county], crc32(stream "
                    "name)[, week])), the same for every scenario and point (common random numbers); the county "
                    "word only when counties run on their own; the world: "
                    "SeedSequence(root, spawn_key=(0, crc32('world'))); samples: spawn_key=(0, crc32('samples'))",
        },
        "versions": package_versions(),
        "git_commit": git_commit(Path(__file__).resolve().parent),
    }
