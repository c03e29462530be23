"""Benchmarks: one synthetic county (``benchmark``) and the suite of sizes with the per-agent reference.

``benchmark(population, years, seed)`` times one county in the current process (``ygt-abm bench``).
``run_suite(...)`` runs ``benchmark`` once per size, each in a fresh child process (``spawn``), so the
peak memory of one size does not contaminate the next, and measures once how much faster the vectorised
step is than the per-agent ``ReferenceModel`` (``ygt_abm.reference``) per resident-week.
``format_suite(rows)`` renders the results and the performance targets as a plain-text table.
``throughput(...)`` times a realistic experiment through ``ygt-abm run``, with the warm-up shared
(forked) and without, and ``format_throughput(rows)`` reports runs per hour and the speed-up.
``estimation_throughput(...)`` times particles of a calibration (the estimation workload: a particle runs the
training evaluations' experiments), and ``format_estimation(row)`` reports particles and runs per hour.

    ygt-abm bench --suite 100000,500000,1000000 --years 10
    ygt-abm bench --suite experiment:8          # 4 scenarios × 8 replicates × (3 + 2) years, 120,000 residents
    ygt-abm bench --suite estimation:2          # 2 particles of experiments/estimate-behaviour.yaml
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable

from ygt_abm.config.experiment import SyntheticWorld
from ygt_abm.config.params import ModelParameters
from ygt_abm.experiment.executors import peak_rss_mb
from ygt_abm.model import CountyModel
from ygt_abm.processes import default_processes
from ygt_abm.world import build_world

#: The targets of the performance issue.
TARGET_SPEEDUP = 50.0  # vectorised ÷ reference speed per resident-week, at 100k residents
TARGET_1M_10Y_SECONDS = 60.0  # 1,000,000 residents × 10 simulated years
TARGET_1M_PEAK_MB = 1.5 * 1024  # 1.5 GiB peak resident memory at 1,000,000 residents


def typical_county(population: int) -> SyntheticWorld:
    """A county of ``population`` with townships in proportion (16 per 300,000 residents, the default),
    so villages keep their typical size instead of crowding a big county into 16 townships."""
    return SyntheticWorld(population=population)


def benchmark(population: int, years: int, seed: int = 1) -> dict[str, float | int]:
    """Build and run one county; report wall times, throughput, phase times and peak memory. The compiled
    kernels are loaded first (a once-per-process cost, like imports, reported apart), so that neither the
    time nor the memory growth of the county counts them."""
    rss_imports = peak_rss_mb()
    kernels = load_compiled_kernels(seed)
    rss_before = peak_rss_mb()
    start = time.perf_counter()
    region = build_world(typical_county(population), seed)
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
        "kernel_load_seconds": kernels,
        "rss_before_kernels_mb": rss_imports,
        "rss_before_build_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }
    report.update({f"phase_{k}_seconds": v for k, v in model.phase_seconds.items()})
    return report


def load_compiled_kernels(seed: int = 1) -> float:
    """Run a 2,000-resident county for a year so that every numba kernel is compiled or loaded from its
    on-disk cache; return the seconds it took (a once-per-process cost, like imports)."""
    start = time.perf_counter()
    CountyModel(build_world(SyntheticWorld(population=2000, townships=1), seed), ModelParameters(), seed=seed).run(1)
    return time.perf_counter() - start


def reference_comparison(population: int, weeks: int, seed: int = 1) -> dict[str, float | int]:
    """Seconds per resident-week of the per-agent reference (``weeks`` weeks) and of the vectorised model
    (``max(weeks, 51)`` weeks, all before the first year end), from the same initial state, and their
    ratio. Build times, and the vectorised model's one-off kernel loading, are excluded from both."""
    from ygt_abm.reference import ReferenceModel

    region = build_world(typical_county(population), seed)
    start = time.perf_counter()
    reference = ReferenceModel(region, ModelParameters(), seed=seed)
    built = time.perf_counter()
    for _ in range(weeks):
        reference.step()
    ran = time.perf_counter()
    reference_rss = peak_rss_mb()
    n = reference.population.size
    del reference
    kernels = load_compiled_kernels(seed)
    vectorised = CountyModel(region, ModelParameters(), seed=seed)
    vec_weeks = max(weeks, 51)
    vec_start = time.perf_counter()
    for _ in range(vec_weeks):
        vectorised.step()
    vec_seconds = time.perf_counter() - vec_start
    ref_per = (ran - built) / (n * weeks)
    vec_per = vec_seconds / (n * vec_weeks)
    return {
        "reference_population": n,
        "reference_weeks": weeks,
        "reference_build_seconds": built - start,
        "reference_seconds_per_resident_week": ref_per,
        "reference_peak_rss_mb": reference_rss,
        "vectorised_kernel_load_seconds": kernels,
        "vectorised_weeks_at_reference": vec_weeks,
        "vectorised_seconds_per_resident_week_at_reference": vec_per,
        "speedup_vs_reference": ref_per / vec_per,
    }


def _in_fresh_process(function: Callable[..., dict], *args: Any) -> dict:
    """``function(*args)`` in a new spawned interpreter: its peak RSS is its own."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def run_suite(sizes=(100_000, 500_000, 1_000_000), years: int = 10, seed: int = 1,
              reference_population: int = 100_000, reference_weeks: int = 4) -> list[dict]:
    """One row per size: ``benchmark`` fields (seconds per year, resident-steps per second, peak RSS,
    bytes per resident, seconds per phase over the run) plus the reference comparison, which is measured
    once at ``reference_population`` residents and repeated in every row."""
    comparison = _in_fresh_process(reference_comparison, reference_population, reference_weeks, seed)
    rows = []
    for size in sizes:
        row = _in_fresh_process(benchmark, int(size), years, seed)
        row["seconds_per_resident_week"] = row["run_seconds"] / (row["residents"] * years * 52)
        growth = row["peak_rss_mb"] - row["rss_before_build_mb"]
        row["peak_rss_bytes_per_resident"] = growth * 2**20 / row["residents"]
        # as measured before 2026-12-06: the kernels' fixed memory counted in the growth
        row["peak_rss_bytes_per_resident_with_kernels"] = (row["peak_rss_mb"] - row["rss_before_kernels_mb"]) * 2**20 \
            / row["residents"]
        row.update(comparison)
        rows.append(row)
    return rows


def targets(rows: list[dict]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for each target of the issue; met is None when not measured."""
    out: list[tuple[str, str, bool | None]] = []
    if rows:
        r = rows[0]
        out.append((f"≥{TARGET_SPEEDUP:.0f}× faster than the reference at {r['reference_population']:,} residents",
                    f"{r['speedup_vs_reference']:.1f}×", r["speedup_vs_reference"] >= TARGET_SPEEDUP))
    big = [r for r in rows if r["residents"] == 1_000_000]
    if big:
        r = big[0]
        ten_years = r["seconds_per_year"] * 10
        out.append((f"1,000,000 residents × 10 years ≤ {TARGET_1M_10Y_SECONDS:.0f} s",
                    f"{ten_years:.1f} s" + ("" if r["years"] == 10 else f" (from {r['years']} years)"),
                    ten_years <= TARGET_1M_10Y_SECONDS))
        out.append((f"peak memory ≤ {TARGET_1M_PEAK_MB / 1024:.1f} GiB at 1,000,000 residents",
                    f"{r['peak_rss_mb']:,.0f} MiB", r["peak_rss_mb"] <= TARGET_1M_PEAK_MB))
    else:
        out.append(("1,000,000 residents: time and memory targets", "not measured", None))
    return out


def format_suite(rows: list[dict]) -> str:
    """A readable plain-text report: one column per size, then the reference comparison and targets."""
    if not rows:
        return "(no results)"
    lines = [f"{'residents':34s}" + "".join(f"{r['residents']:>14,}" for r in rows)]

    def line(label: str, key: str, fmt: str) -> None:
        lines.append(f"{label:34s}" + "".join(f"{format(r[key], fmt):>14s}" for r in rows))

    line("simulated years", "years", "d")
    line("build seconds", "build_seconds", ",.2f")
    line("run seconds", "run_seconds", ",.1f")
    line("seconds per simulated year", "seconds_per_year", ",.2f")
    line("resident-steps per second", "resident_steps_per_second", ",.3g")
    line("peak RSS, MiB", "peak_rss_mb", ",.0f")
    line("RSS before building (kernels loaded), MiB", "rss_before_build_mb", ",.0f")
    line("kernel load, s (once a process)", "kernel_load_seconds", ".2f")
    line("peak RSS growth, bytes/resident", "peak_rss_bytes_per_resident", ",.0f")
    line("  the same with the kernels' memory", "peak_rss_bytes_per_resident_with_kernels", ",.0f")
    line("population arrays, bytes/resident", "population_bytes_per_resident", ".1f")
    lines.append("phase seconds, whole run:")
    for phase in (p.name for p in default_processes()):
        line(f"  {phase}", f"phase_{phase}_seconds", ",.2f")
    r = rows[0]
    lines += [
        "",
        f"reference (per-agent Mesa) at {r['reference_population']:,} residents, {r['reference_weeks']} weeks: "
        f"{r['reference_seconds_per_resident_week'] * 1e6:.2f} µs per resident-week "
        f"(build {r['reference_build_seconds']:.1f} s, peak RSS {r['reference_peak_rss_mb']:,.0f} MiB)",
        f"vectorised at {r['reference_population']:,} residents, {r['vectorised_weeks_at_reference']} weeks: "
        f"{r['vectorised_seconds_per_resident_week_at_reference'] * 1e6:.3f} µs per resident-week "
        f"(after {r['vectorised_kernel_load_seconds']:.1f} s loading the compiled kernels, once per process)",
        f"speed-up of the vectorised model: {r['speedup_vs_reference']:.1f}×",
        "",
        "targets:",
    ]
    for name, measured, met in targets(rows):
        lines.append(f"  {'MET    ' if met else 'not met' if met is not None else '   ?   '}  {name}: {measured}")
    return "\n".join(lines)


#: The experiment whose throughput is benchmarked: a baseline and three packages on one county, as a
#: study of effects runs them (scenarios of a replicate share their warm-up).
THROUGHPUT_SCENARIOS = ("baseline", "anhui-2024", "zhejiang-2026", "guangdong-2022")
#: Default replicates of ``--suite experiment`` (the issue's target is stated for 8).
THROUGHPUT_REPLICATES = 8


def throughput_experiment(replicates: int, population: int = 120_000, townships: int = 6, warmup_years: int = 3,
                          years: int = 2, seed: int = 1, scenarios: tuple[str, ...] = THROUGHPUT_SCENARIOS) -> dict:
    """The benchmarked experiment as an experiment file's mapping."""
    return {"name": "throughput", "seed": seed, "replicates": replicates, "years": years,
            "warmup_years": warmup_years, "world": {"kind": "synthetic", "population": population,
                                                    "townships": townships},
            "scenarios": [{"name": name, "policy": name, "decompose": False} for name in scenarios]}


def throughput(replicates: int = THROUGHPUT_REPLICATES, workers: int | None = None, **experiment: Any) -> list[dict]:
    """Time ``ygt-abm run`` on ``throughput_experiment(replicates, **experiment)`` with ``workers`` (default:
    every CPU), first with every run from scratch, then with the warm-up shared (``YGT_ABM_FORK``), each into
    a fresh folder; one row per mode with the runs per hour and, from ``runs.parquet``, the shared warm-ups."""
    import pandas as pd

    workers = workers or os.cpu_count() or 1
    spec = throughput_experiment(replicates, **experiment)
    rows = []
    with tempfile.TemporaryDirectory(prefix="ygt-bench-") as tmp:
        path = Path(tmp) / "throughput.yaml"
        path.write_text(json.dumps(spec), encoding="utf-8")  # JSON is YAML
        for fork in (False, True):
            out = Path(tmp) / ("forked" if fork else "scratch")
            command = [sys.executable, "-m", "ygt_abm.cli", "run", str(path), "--out", str(out),
                       "--workers", str(workers), "--no-figure"]
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, text=True,
                           env={**os.environ, "YGT_ABM_FORK": "1" if fork else "0"})
            seconds = time.perf_counter() - start
            runs = pd.read_parquet(out / "runs.parquet")
            warmups = runs[runs["forked"]].drop_duplicates("warmup_group")["warmup_seconds"]
            rows.append({
                "fork": fork, "workers": workers, "scenarios": len(spec["scenarios"]), "replicates": replicates,
                "residents": spec["world"]["population"], "warmup_years": spec["warmup_years"], "years": spec["years"],
                "runs": len(runs), "seconds": seconds, "runs_per_hour": len(runs) / seconds * 3600,
                "run_seconds_mean": float(runs["wall_seconds"].mean()), "forked_runs": int(runs["forked"].sum()),
                "shared_warmups": len(warmups),
                "shared_warmup_seconds_mean": float(warmups.mean()) if len(warmups) else None,
            })
    rows[1]["speedup"] = rows[0]["seconds"] / rows[1]["seconds"]
    return rows


def format_throughput(rows: list[dict]) -> str:
    """The experiment's shape, then runs per hour without and with the shared warm-up, and the speed-up."""
    r = rows[0]
    lines = [f"experiment: {r['scenarios']} scenarios × {r['replicates']} replicates × ({r['warmup_years']} warm-up + "
             f"{r['years']} recorded years), {r['residents']:,} residents, {r['workers']} workers "
             f"(ygt-abm run, end to end)"]
    for row in rows:
        mode = "warm-up shared (forked)" if row["fork"] else "every run from scratch"
        lines.append(f"  {mode:24s} {row['runs']} runs in {row['seconds']:,.1f} s: {row['runs_per_hour']:,.0f} runs "
                     f"per hour; a run {row['run_seconds_mean']:.2f} s on average"
                     + (f", after one of {row['shared_warmups']} shared warm-ups of "
                        f"{row['shared_warmup_seconds_mean']:.2f} s" if row["shared_warmups"] else ""))
    if "speedup" in rows[-1]:
        lines.append(f"  speed-up of sharing the warm-up: {rows[-1]['speedup']:.2f}×")
    return "\n".join(lines)


#: The estimation workload benchmarked: particles of this calibration (``--suite estimation[:P]``, run from the
#: repository's root), each running the baseline targets' and the training evaluations' experiments.
ESTIMATION_EXPERIMENT = Path("experiments") / "estimate-behaviour.yaml"
#: Default particles of ``--suite estimation``.
ESTIMATION_PARTICLES = 2


def particle_values(priors: dict[str, tuple[float, float, bool]], particles: int) -> list[dict[str, float]]:
    """``particles`` parameter sets spread over the priors: particle k at the (k + ½) ÷ ``particles`` quantile of
    every prior (uniform, or log-uniform)."""
    values = []
    for k in range(particles):
        q = (k + 0.5) / particles
        values.append({name: (low * (high / low) ** q if log else low + q * (high - low))
                       for name, (low, high, log) in priors.items()})
    return values


def estimation_throughput(particles: int = ESTIMATION_PARTICLES, workers: int | None = None,
                          path: Path = ESTIMATION_EXPERIMENT) -> dict:
    """Time ``particles`` particles of the calibration in ``path`` (``ygt_abm.estimation``), its runs spread over
    ``workers`` processes (default: every CPU) as ``ygt-abm calibrate --parallel runs`` spreads them; the
    particles and runs per hour."""
    from ygt_abm.estimation.smc import build
    from ygt_abm.experiment.executors import executor_for
    from ygt_abm.experiment.loading import load_runnable_experiment

    workers = workers or os.cpu_count() or 1
    resolved = load_runnable_experiment(path)
    with tempfile.TemporaryDirectory(prefix="ygt-bench-") as tmp, executor_for(workers) as executor:
        estimation = build(resolved, Path(tmp), executor)
        model = estimation.model
        experiments = [experiment for _, experiment in model.batches] + ([model.baseline] if model.targets else [])
        runs = sum(e.experiment.replicates * len(e.scenario_names) * len(e.points) for e in experiments)
        start = time.perf_counter()
        for values in particle_values(estimation.priors, particles):
            model(values)
        seconds = time.perf_counter() - start
    world = resolved.experiment.world
    cal = resolved.experiment.calibration
    return {"experiment": str(path), "workers": workers, "particles": particles, "runs_per_particle": runs,
            "residents": cal.population or world.population,
            "evaluations": sum(len(batch.evaluations) for batch, _ in model.batches), "batches": len(model.batches),
            "warmup_years": resolved.experiment.warmup_years, "years": resolved.experiment.years,
            "seconds": seconds, "particles_per_hour": particles / seconds * 3600,
            "runs_per_hour": particles * runs / seconds * 3600}


def format_estimation(row: dict) -> str:
    """The estimation workload's shape and its particles and runs per hour."""
    return (f"estimation: {row['experiment']}, {row['evaluations']} training evaluations in {row['batches']} "
            f"experiments, {row['runs_per_particle']} "
            f"runs a particle of {row['residents']:,} residents × ({row['warmup_years']} warm-up + {row['years']} "
            f"recorded years), {row['workers']} workers\n  {row['particles']} particles in {row['seconds']:,.1f} s: "
            f"{row['particles_per_hour']:,.0f} particles, {row['runs_per_hour']:,.0f} runs per hour")


def suite_sizes(sizes: str) -> tuple[tuple[int, ...], list[int], list[int]]:
    """``"100000,experiment:8,estimation"`` → the county sizes (100000,), the replicates of each experiment
    throughput asked for ([8]; ``experiment`` alone: ``THROUGHPUT_REPLICATES``) and the particles of each
    estimation throughput ([2]; ``estimation`` alone: ``ESTIMATION_PARTICLES``)."""
    counts, experiments, estimations = [], [], []
    for token in (t.strip().replace("_", "") for t in sizes.split(",") if t.strip()):
        name, _, number = token.partition(":")
        if name == "experiment":
            experiments.append(int(number) if number else THROUGHPUT_REPLICATES)
        elif name == "estimation":
            estimations.append(int(number) if number else ESTIMATION_PARTICLES)
        else:
            counts.append(int(token))
    return tuple(counts), experiments, estimations


def print_suite(sizes: str, years: int = 10, seed: int = 1, reference_population: int = 100_000,
                reference_weeks: int = 4, json_path: str | None = None) -> None:
    """Run the suite for ``sizes`` ("100000,500000,…"), print the machine, the table and the targets,
    and optionally write the rows as JSON. A size ``experiment`` (or ``experiment:R``, R replicates) adds
    the experiment throughput (``throughput``), ``estimation[:P]`` the estimation workload's
    (``estimation_throughput``); given alone, only that is measured."""
    counts, experiments, estimations = suite_sizes(sizes)
    print(f"python {platform.python_version()}, {platform.machine()}, "
          f"{multiprocessing.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M')}")
    rows = run_suite(counts, years, seed, reference_population, reference_weeks) if counts else []
    if rows:
        print(format_suite(rows))
    for replicates in experiments:
        experiment_rows = throughput(replicates, seed=seed)
        print(format_throughput(experiment_rows))
        rows += [{"kind": "experiment", **row} for row in experiment_rows]
    for particles in estimations:
        row = estimation_throughput(particles)
        print(format_estimation(row))
        rows.append({"kind": "estimation", **row})
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=2)

