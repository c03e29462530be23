"""Province scale on this machine: a region of many counties run county by county over a real Dask
scheduler and worker processes, then a projection for a province on a cluster.

    .venv/bin/python scripts/province_scale.py [--experiment experiments/province-scale.yaml]
        [--out results/province-scale] [--workers 2] [--counties 70] [--scenarios 6] [--replicates 20]

It starts ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1 (as one would on a head node and
compute nodes), runs the experiment through ``ygt-abm run --scheduler`` (the runner's distributed path;
the experiment must set ``split_counties: true``), and reads ``runs.parquet``: which worker ran each
county, its wall time and the worker's peak memory. The projection assumes what the measurement shows:
county runs are independent, so a province of N counties × S scenarios × R replicates is N·S·R runs of
the measured length, spread over W single-threaded workers.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from distributed import Client

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def start_cluster(workers: int, folder: Path) -> tuple[list[subprocess.Popen], str]:
    """A scheduler and ``workers`` single-threaded worker processes on this machine; their address."""
    scheduler_file = folder / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", scheduler_file], **quiet)]
    while not scheduler_file.exists():
        time.sleep(0.2)
    procs.append(subprocess.Popen([BIN / "dask", "worker", "--scheduler-file", scheduler_file, "--nworkers",
                                   str(workers), "--nthreads", "1", "--memory-limit", "0", "--no-dashboard"], **quiet))
    with Client(scheduler_file=str(scheduler_file)) as client:
        client.wait_for_workers(workers, timeout=120)
        address = client.scheduler.address
    return procs, address


def measure(experiment: Path, out: Path, workers: int) -> dict:
    """Run ``experiment`` over a fresh local Dask cluster; wall time and the per-run table."""
    with tempfile.TemporaryDirectory() as folder:
        procs, address = start_cluster(workers, Path(folder))
        try:
            start = time.perf_counter()
            subprocess.run([BIN / "ygt-abm", "run", experiment, "--out", out, "--scheduler", address, "--no-figure"],
                           check=True, cwd=ROOT)
            wall = time.perf_counter() - start
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait(timeout=60)
    manifest = json.loads((out / "manifest.json").read_text())
    return {"wall_seconds": wall, "runs": pd.read_parquet(out / "runs.parquet"), "config": manifest["config"]}


def report(measured: dict, workers: int, counties: int, scenarios: int, replicates: int) -> dict:
    runs, config = measured["runs"], measured["config"]
    world = config["world"]
    per_run = runs["wall_seconds"]
    busy = per_run.sum()
    result = {
        "measured": {
            "counties": world["counties"], "residents_per_county": world["population"],
            "residents": world["counties"] * world["population"], "years": config["years"],
            "warmup_years": config["warmup_years"], "runs": len(runs), "workers": workers,
            "workers_used": int(runs["worker"].nunique()),
            "runs_per_worker": runs.groupby("worker").size().tolist(),
            "wall_seconds": measured["wall_seconds"],
            "run_seconds_mean": float(per_run.mean()), "run_seconds_max": float(per_run.max()),
            "busy_seconds": float(busy), "parallel_efficiency": float(busy / (workers * measured["wall_seconds"])),
            "worker_peak_rss_mb_max": float(runs["worker_peak_rss_mb"].max()),
        },
    }
    n_runs = counties * scenarios * replicates
    per = float(per_run.mean())
    result["projection"] = {
        "counties": counties, "residents_per_county": world["population"], "scenarios": scenarios,
        "replicates": replicates, "runs": n_runs, "core_hours": n_runs * per / 3600,
        "memory_per_worker_mb": float(runs["worker_peak_rss_mb"].max()),
        "wall_hours_by_workers": {w: math.ceil(n_runs / w) * per / 3600 for w in (16, 64, 256, 1024)},
        "one_scenario_one_replicate_minutes_by_workers": {w: math.ceil(counties / w) * per / 60
                                                          for w in (8, 35, 70)},
    }
    return result


def format_report(r: dict) -> str:
    m, p = r["measured"], r["projection"]
    lines = [
        f"measured: {m['counties']} counties × {m['residents_per_county']:,} residents "
        f"({m['residents']:,}), {m['warmup_years']}+{m['years']} years, {m['runs']} county runs "
        f"on {m['workers']} Dask workers ({m['workers_used']} used; runs per worker {m['runs_per_worker']})",
        f"  wall time {m['wall_seconds']:.1f} s; per county run {m['run_seconds_mean']:.1f} s mean, "
        f"{m['run_seconds_max']:.1f} s max; parallel efficiency {m['parallel_efficiency']:.0%}",
        f"  peak memory of a worker process: {m['worker_peak_rss_mb_max']:,.0f} MiB",
        f"projection: {p['counties']} counties × {p['residents_per_county']:,} residents, {p['scenarios']} "
        f"scenarios × {p['replicates']} replicates = {p['runs']:,} county runs, {p['core_hours']:.1f} core-hours, "
        f"{p['memory_per_worker_mb']:,.0f} MiB per single-threaded worker",
    ]
    lines += [f"  {w:>5} workers: {h:.2f} h" for w, h in p["wall_hours_by_workers"].items()]
    lines.append("  one scenario × one replicate of the province: "
                 + ", ".join(f"{w} workers {m_:.1f} min" for w, m_ in
                             p["one_scenario_one_replicate_minutes_by_workers"].items()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experiment", type=Path, default=ROOT / "experiments" / "province-scale.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "province-scale")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--counties", type=int, default=70, help="projection: counties in the province")
    parser.add_argument("--scenarios", type=int, default=6, help="projection: scenarios")
    parser.add_argument("--replicates", type=int, default=20, help="projection: replicates")
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists: a timing needs a fresh output directory (finished runs would be skipped)")
    result = report(measure(args.experiment, args.out, args.workers), args.workers, args.counties,
                    args.scenarios, args.replicates)
    (args.out / "scale.json").write_text(json.dumps(result, indent=2) + "\n")
    print(format_report(result))


if __name__ == "__main__":
    main()
