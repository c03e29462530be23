"""Runs are pure functions of (config, seed, replicate): the executor, the worker count and sharding do not
change the results, and an interrupted experiment resumes without losing or redoing finished runs."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from typer.testing import CliRunner

from ygt_abm.analysis.backflow import compare_episodes
from ygt_abm.cli import app
from ygt_abm.experiment.executors import executor_for
from ygt_abm.experiment.forking import balanced_tasks, forked_runs, split_groups, warmup_groups
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.plan import RunSpec
from ygt_abm.experiment.runner import (
    MisplacedRun, MissingRuns, collect, config_digest, fork_default, parse_shard, plan, run_experiment, shard_tasks,
)
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.report import write_reports
from ygt_abm.results.store import COMPLETE, OutputLocked, episodes_path, hold_output, run_path
from ygt_abm.world import build_world

EXPERIMENT = """\
name: pool
seed: 9
replicates: 2
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: cheaper-township
    overrides: {finance: {outpatient_reimbursement: {village: 0.8, township: 0.95, county: 0.6, city: 0.5}}}
"""


def _resolved(tmp_path, text=EXPERIMENT):
    path = tmp_path / "pool.yaml"
    path.write_text(textwrap.dedent(text))
    return load_runnable_experiment(path)


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serial")
    resolved = _resolved(tmp)
    run_experiment(resolved, tmp / "out")
    return resolved, (tmp / "out" / "kpis.parquet").read_bytes()


def test_a_local_process_pool_gives_byte_identical_results(serial, tmp_path):
    resolved, expected = serial
    with executor_for(workers=2) as pool:
        run_experiment(resolved, tmp_path / "pooled", executor=pool)
    assert (tmp_path / "pooled" / "kpis.parquet").read_bytes() == expected


def test_a_dask_cluster_gives_byte_identical_results(serial, tmp_path):
    distributed = pytest.importorskip("distributed")
    resolved, expected = serial
    # A real scheduler and two worker processes, reached over TCP like a remote cluster.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  scheduler_port=0) as cluster:
        with executor_for(scheduler=cluster.scheduler_address) as executor:
            run_experiment(resolved, tmp_path / "dask", executor=executor)
        with distributed.Client(cluster) as client:  # every worker got the allocator fix
            plugins = client.run(lambda dask_worker: sorted(dask_worker.plugins))
    assert all("ygt-abm-fast-allocator" in names for names in plugins.values()) and len(plugins) == 2
    assert (tmp_path / "dask" / "kpis.parquet").read_bytes() == expected


def test_the_allocator_fix_applies_on_linux():
    # In a child process: the fix changes the allocator of the process it runs in.
    code = "from ygt_abm.experiment.executors import set_fast_malloc_thresholds as f; print(f())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(sys.platform.startswith("linux"))


def test_two_shards_collected_give_byte_identical_results(serial, tmp_path):
    resolved, expected = serial
    out = tmp_path / "sharded"
    assert run_experiment(resolved, out, shard=(0, 2)) is None
    with pytest.raises(MissingRuns) as missing:
        collect(resolved, out)
    assert len(missing.value.missing) == 2
    run_experiment(resolved, out, shard=(1, 2))
    collect(resolved, out)
    assert (out / "kpis.parquet").read_bytes() == expected


def test_a_run_file_copied_over_another_is_refused_not_merged(serial, tmp_path):
    resolved, _ = serial
    out = tmp_path / "copied"
    run_experiment(resolved, out)
    first, second = (spec.path(out) for spec in plan(resolved)[:2])
    second.write_bytes(first.read_bytes())  # replicate 0's results where replicate 1's belong
    with pytest.raises(MisplacedRun, match=f"should hold run {plan(resolved)[1].run_id} but holds"):
        collect(resolved, out)


def test_shards_partition_the_plan():
    specs = list(range(7))
    slices = [specs[i::3] for i in range(3)]
    assert sorted(sum(slices, [])) == specs
    assert parse_shard("2/3") == (2, 3)
    for bad in ("3/3", "x/2", "1", "-1/2"):
        with pytest.raises(ValueError):
            parse_shard(bad)


def test_a_rerun_recomputes_only_missing_runs(tmp_path):
    resolved = _resolved(tmp_path)
    out = tmp_path / "out"
    first = run_experiment(resolved, out)
    missing = run_path(out, "baseline", "base", 1)
    kept = run_path(out, "cheaper-township", "base", 0)
    kept_mtime = kept.stat().st_mtime_ns
    missing.unlink()
    calls = []
    second = run_experiment(resolved, out, progress=lambda done, total: calls.append(done))
    assert calls == [3, 4]  # three runs were already there; one was computed
    assert kept.stat().st_mtime_ns == kept_mtime
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_a_half_written_file_is_never_taken_for_a_finished_run(tmp_path):
    resolved = _resolved(tmp_path)
    out = tmp_path / "out"
    spec = plan(resolved)[0]
    final = run_path(out, spec.scenario, spec.point, spec.replicate)
    final.parent.mkdir(parents=True)
    stale = final.with_name(f".{final.name}.tmp-99999")
    stale.write_bytes(b"PAR1 truncated")
    run_experiment(resolved, out)
    assert not stale.exists()
    assert pd.read_parquet(final)["value"].notna().any()


def test_sigkill_mid_experiment_then_rerun_matches_an_uninterrupted_run(serial, tmp_path):
    _, expected = serial
    exp = tmp_path / "pool.yaml"
    exp.write_text(textwrap.dedent(EXPERIMENT.replace("replicates: 2", "replicates: 4")))
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "ygt_abm.cli", "run", str(exp), "--out", str(out), "--workers", "1", "--no-figure"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    runs = out / "runs"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(runs.rglob("rep-*.parquet"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = sorted(runs.rglob("rep-*.parquet"))
    assert 2 <= len(finished) < 8, "the kill must land mid-experiment"
    before = {p: p.stat().st_mtime_ns for p in finished}
    assert not (out / "kpis.parquet").exists()

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())  # finished runs were not redone
    assert len(list(runs.rglob("rep-*.parquet"))) == 8
    uninterrupted = tmp_path / "uninterrupted"
    subprocess.run([*cmd[:5], "--out", str(uninterrupted), "--workers", "1", "--no-figure"], check=True,
                   capture_output=True, timeout=300)
    assert (out / "kpis.parquet").read_bytes() == (uninterrupted / "kpis.parquet").read_bytes()


#: what a finished folder holds that must not depend on kills (runs.parquet has wall times)
FINAL_FILES = ("kpis.parquet", "summary.csv", "paired_differences.csv", "manifest.json", "complete.json",
               "figures/main_indicators.png", "figures/paired_differences.png")


def test_sigkill_at_many_random_points_never_changes_the_final_bytes(tmp_path):
    """Kill the runner at 10 random moments of an 8-run experiment (start-up, runs, merging, reports,
    figures), resuming each time; the folder is never taken for complete when it is not, and what it
    finally holds is byte for byte an uninterrupted run's."""
    import random

    exp = tmp_path / "pool.yaml"
    exp.write_text(textwrap.dedent(EXPERIMENT.replace("replicates: 2", "replicates: 4")))
    cli = [sys.executable, "-m", "ygt_abm.cli"]
    reference = tmp_path / "uninterrupted"
    start = time.monotonic()
    subprocess.run([*cli, "run", str(exp), "--out", str(reference), "--workers", "1"], check=True,
                   capture_output=True, timeout=300)
    duration = time.monotonic() - start
    out = tmp_path / "killed"
    rng = random.Random(20261202)
    kills = sorted(rng.uniform(0.0, duration) for _ in range(10))
    outcomes = []
    for delay in kills:
        proc = subprocess.Popen([*cli, "run", str(exp), "--out", str(out), "--workers", "1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        status = subprocess.run([*cli, "status", str(out)], capture_output=True, text=True, timeout=60)
        outcomes.append(f"{delay:.1f}s: " + (status.stdout.strip().split(": ")[-1][:40] or "no runs yet"))
        assert "running" not in status.stdout  # the kernel freed the dead runner's lock
        assert status.returncode in (0, 1) or not (out / "runs").is_dir(), status.stdout + status.stderr
        if status.returncode == 0:  # complete only when every final file is there
            assert all((out / name).is_file() for name in FINAL_FILES)
        for run_file in (out / "runs").rglob("rep-*.parquet") if (out / "runs").exists() else []:
            pd.read_parquet(run_file)  # a run file that exists is whole
    final = subprocess.run([*cli, "run", str(exp), "--out", str(out), "--workers", "1"], capture_output=True,
                           text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    for name in FINAL_FILES:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), (name, kills, outcomes)


def test_two_runner_processes_on_one_folder_the_second_is_refused_and_a_killed_runner_frees_it(tmp_path):
    exp = tmp_path / "pool.yaml"
    exp.write_text(textwrap.dedent(EXPERIMENT.replace("replicates: 2", "replicates: 200")))  # minutes of runs
    out = tmp_path / "shared"
    cmd = [sys.executable, "-m", "ygt_abm.cli", "run", str(exp), "--out", str(out), "--workers", "1", "--no-figure"]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list((out / "runs").rglob("rep-*.parquet")):
            time.sleep(0.05)
        second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert second.returncode == 1 and f"pid {first.pid} on" in second.stderr, second.stderr
        status = subprocess.run([*cmd[:3], "status", str(out)], capture_output=True, text=True, timeout=60)
        assert status.returncode == 1 and "running" in status.stdout, status.stdout
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    status = subprocess.run([*cmd[:3], "status", str(out)], capture_output=True, text=True, timeout=60)
    assert status.returncode == 1 and "incomplete" in status.stdout, status.stdout  # the kernel freed the lock


def test_the_runs_table_records_every_run(serial, tmp_path):
    resolved, _ = serial
    run_experiment(resolved, tmp_path / "out")
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    assert runs["run_id"].tolist() == [s.run_id for s in plan(resolved)]
    assert {"seed", "status", "wall_seconds", "phase_choice"} <= set(runs.columns)
    assert Path(tmp_path / "out" / "manifest.json").exists()


SPLIT = EXPERIMENT.replace("world: {kind: synthetic, population: 3000, townships: 2}", """\
world: {kind: synthetic, counties: 3, population: 2000, townships: 1}
split_counties: true
record_episodes: true""")


def test_split_counties_are_runs_of_their_own_spread_over_dask_workers(tmp_path):
    distributed = pytest.importorskip("distributed")
    resolved = _resolved(tmp_path, SPLIT)
    specs = plan(resolved)
    assert len(specs) == 2 * 2 * 3 and {s.county for s in specs} == {0, 1, 2}
    kpis = run_experiment(resolved, tmp_path / "serial")
    runs = kpis.groupby(["scenario", "replicate"])["county"].nunique()
    assert (runs == 3).all()
    # Counties run alone draw their own random numbers: their indicators differ.
    year1 = kpis[(kpis.metric == "visits_per_capita") & (kpis.replicate == 0) & (kpis.scenario == "baseline")]
    assert year1["value"].nunique() == 3
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  scheduler_port=0) as cluster:
        with executor_for(scheduler=cluster.scheduler_address) as executor:
            run_experiment(resolved, tmp_path / "dask", executor=executor)
    assert pd.read_parquet(tmp_path / "dask" / "runs.parquet")["worker"].nunique() == 2  # spread over both
    assert (tmp_path / "dask" / "kpis.parquet").read_bytes() == (tmp_path / "serial" / "kpis.parquet").read_bytes()
    write_reports(resolved, tmp_path / "serial", kpis, figure=False)
    backflow = pd.read_csv(tmp_path / "serial" / "backflow.csv")
    assert set(backflow["scenario"]) == {"cheaper-township"}
    # Each county's episodes are paired with the same county's under the reference, then added up.
    episodes = lambda s, r, c: pd.read_parquet(episodes_path(run_path(tmp_path / "serial", s, "base", r, c)))  # noqa: E731
    for r in (0, 1):
        expected = sum(compare_episodes(episodes("cheaper-township", r, c), episodes("baseline", r, c))["moved_down"].sum()
                       for c in range(3))
        moved = backflow[(backflow.replicate == r) & (backflow.measure == "moved_down")]["value"].sum()
        assert moved == expected > 0


def test_the_fingerprint_covers_the_content_of_the_county_files_not_only_their_paths(tmp_path):
    folder = tmp_path / "county"
    assert CliRunner().invoke(app, ["example-county", str(folder)]).exit_code == 0
    before = config_digest(load_runnable_experiment(folder / "experiment.yaml"))
    assert config_digest(load_runnable_experiment(folder / "experiment.yaml")) == before
    villages = folder / "villages.csv"
    header, first, *rest = villages.read_text(encoding="utf-8").splitlines()
    cells = first.split(",")
    population = header.split(",").index("population")
    cells[population] = str(int(cells[population]) + 1)
    villages.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8")
    assert config_digest(load_runnable_experiment(folder / "experiment.yaml")) != before


def test_a_second_runner_is_refused_while_the_first_holds_the_folder_and_shards_may_run_side_by_side(tmp_path):
    resolved, out = _resolved(tmp_path), tmp_path / "out"
    with hold_output(out):
        with pytest.raises(OutputLocked, match="is being written by pid"):
            run_experiment(resolved, out)
        with pytest.raises(OutputLocked):
            run_experiment(resolved, out, shard=(0, 2))
    assert not list((out / "runs").rglob("rep-*.parquet"))  # the refused runners wrote nothing
    with hold_output(out, shard=(0, 2)):
        run_experiment(resolved, out, shard=(1, 2))  # another shard writes beside it
        with pytest.raises(OutputLocked):
            run_experiment(resolved, out, shard=(0, 2))
        with pytest.raises(OutputLocked):
            run_experiment(resolved, out)


def test_the_folder_is_complete_only_after_every_report_and_status_says_so(tmp_path):
    resolved, out = _resolved(tmp_path), tmp_path / "out"
    status = ["status", str(out)]
    run_experiment(resolved, out, shard=(0, 2))
    result = CliRunner().invoke(app, status)
    assert result.exit_code == 1 and "incomplete" in result.output and "kpis.parquet" in result.output
    kpis = run_experiment(resolved, out)
    assert not (out / COMPLETE).exists()  # runs merged, reports not yet written
    write_reports(resolved, out, kpis, figure=True)
    assert (out / COMPLETE).exists() and (out / "figures" / "main_indicators.png").exists()
    result = CliRunner().invoke(app, status)
    assert result.exit_code == 0 and "complete" in result.output
    run_experiment(resolved, out)  # a rerun changes the folder: finished again only after its reports
    assert not (out / COMPLETE).exists()
    with hold_output(out):
        result = CliRunner().invoke(app, status)
    assert result.exit_code == 1 and "running" in result.output


def test_swept_parameter_values_are_columns_of_kpis_and_of_every_table(tmp_path):
    resolved = _resolved(tmp_path, EXPERIMENT.replace("replicates: 2", "replicates: 1")
                         + "sweep:\n  finance.outpatient_fund_limit: [150.0, 300.0]\n")
    kpis = run_experiment(resolved, tmp_path / "out")
    write_reports(resolved, tmp_path / "out", kpis, figure=False)
    name = "finance.outpatient_fund_limit"
    stored = pd.read_parquet(tmp_path / "out" / "kpis.parquet")
    assert list(stored.columns[:3]) == ["scenario", "point", name]
    for table in (stored, pd.read_csv(tmp_path / "out" / "summary.csv"),
                  pd.read_csv(tmp_path / "out" / "paired_differences.csv")):
        values = dict(zip(table["point"], table[name]))
        assert values == {"g0000": 150.0, "g0001": 300.0}


# ------------------------------------------------------------------ warm up once, fork many

#: Every policy package as the regression experiment runs them: scenarios of one replicate share a world and
#: their parameters, so they share one warm-up; episodes recorded, two counties.
PACKAGES = """\
name: fork
seed: 5
replicates: 2
years: 2
warmup_years: 1
record_episodes: true
world: {kind: synthetic, counties: 2, population: 3000, townships: 2}
reference: baseline
scenarios:
  - {name: baseline, policy: baseline}
  - {name: gd, policy: guangdong-2022, decompose: false}
  - {name: xc, policy: henan-xuchang-2020, decompose: false}
  - {name: zj, policy: zhejiang-2026, decompose: false}
  - {name: ah, policy: anhui-2024, decompose: false}
  - {name: nx, policy: hunan-nanxian-2024, decompose: false}
"""


def _run_files(out: Path) -> dict[str, bytes]:
    """Every run's result and episode files (not its timing), by path."""
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "runs").rglob("rep-*.parquet"))}
    assert files, f"no run files in {out}"
    return files


@pytest.fixture(scope="module")
def from_scratch(tmp_path_factory):
    """The package experiment with every run simulated from scratch (forking off)."""
    tmp = tmp_path_factory.mktemp("scratch")
    resolved = _resolved(tmp, PACKAGES)
    run_experiment(resolved, tmp / "out", fork=False)
    runs = pd.read_parquet(tmp / "out" / "runs.parquet")
    assert not runs["forked"].any()
    return resolved, _run_files(tmp / "out"), (tmp / "out" / "kpis.parquet").read_bytes()


def test_every_package_forked_from_a_shared_warm_up_gives_the_bytes_of_runs_from_scratch(from_scratch, tmp_path):
    resolved, expected, kpis = from_scratch
    run_experiment(resolved, tmp_path / "out", fork=True)
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    # One warm-up per replicate, forked into all six packages (its build and warm-up timed once, apart).
    assert runs["forked"].all() and (runs["warmup_runs"] == 6).all()
    assert runs.groupby("replicate")["warmup_group"].nunique().tolist() == [1, 1]
    assert (runs.groupby("warmup_group")["warmup_seconds"].nunique() == 1).all()
    assert (runs["warmup_seconds"] > 0).all() and (runs["wall_seconds"] > 0).all()
    forked = _run_files(tmp_path / "out")
    assert forked.keys() == expected.keys() and any(".episodes." in name for name in forked)
    assert [name for name in expected if forked[name] != expected[name]] == []
    assert (tmp_path / "out" / "kpis.parquet").read_bytes() == kpis


def test_a_forked_model_ends_in_the_state_of_the_same_run_from_scratch(from_scratch):
    """Not only the indicators: every array, generator and intervention (what each keeps of the model as
    built, such as a township centre's baseline capacity, which the warm-up's restaffing changes)."""
    resolved, _, _ = from_scratch
    exp = resolved.experiment
    group = warmup_groups(resolved, plan(resolved))[1]
    assert [s.replicate for s in group] == [1] * 6
    for forked in forked_runs(resolved, group):
        spec = forked.spec
        scratch = CountyModel(build_world(exp.world, exp.seed), resolved.parameters(spec.scenario), seed=exp.seed,
                              replicate=spec.replicate, record_episodes=True,
                              interventions=[build(e) for e in resolved.interventions_at(spec.scenario)])
        scratch.run(exp.years, exp.warmup_years)
        assert _model_state(forked.model) == _model_state(scratch), spec.run_id


def test_no_package_initialisation_changes_the_model_it_reads(from_scratch):
    """Forking initialises every run's interventions against one model before its warm-up; that is the
    same as a run from scratch only because ``init`` reads the model and changes nothing in it."""
    resolved, _, _ = from_scratch
    exp = resolved.experiment
    def built() -> CountyModel:
        return CountyModel(build_world(exp.world, exp.seed), resolved.parameters("baseline"), seed=exp.seed,
                           replicate=1)

    untouched = _model_state(built())
    for scenario in resolved.scenario_names:
        model = built()
        interventions = [build(entry) for entry in resolved.interventions_at(scenario)]
        assert interventions or scenario == "baseline"
        for intervention in interventions:
            intervention.init(model)
        assert _model_state(model) == untouched, scenario


def _model_state(model: CountyModel):
    """The simulation's state: what CountyModel keeps (not Mesa's bookkeeping), and Mesa's generators."""
    own = {k: v for k, v in vars(model).items() if k not in vars(mesa.Model()) and k != "phase_seconds"}
    return _state([own, model.rng, model.random.getstate()])


def _state(obj, seen=None):
    """Everything reachable from ``obj`` as comparable values (arrays as dtype, shape and bytes)."""
    seen = {} if seen is None else seen  # id → object: kept alive, so no temporary's id is reused
    if isinstance(obj, np.ndarray):
        return ("array", obj.dtype.str, obj.shape, obj.tobytes())
    if isinstance(obj, np.random.Generator):
        return ("rng", json.dumps(obj.bit_generator.state, sort_keys=True, default=str))
    if obj is None or isinstance(obj, (bool, int, float, str, bytes, np.generic, type)) or callable(obj):
        return obj if not callable(obj) or isinstance(obj, type) else ("callable", getattr(obj, "__qualname__", ""))
    if id(obj) in seen:
        return ("seen",)
    seen[id(obj)] = obj
    if isinstance(obj, dict):
        return ("dict", [(_state(k, seen), _state(v, seen)) for k, v in obj.items()])
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = sorted(obj, key=repr) if isinstance(obj, (set, frozenset)) else obj
        return (type(obj).__name__, [_state(v, seen) for v in items])
    fields = getattr(obj, "__dict__", None)
    if fields is None and hasattr(obj, "__slots__"):
        fields = {name: getattr(obj, name) for name in obj.__slots__ if hasattr(obj, name)}
    return (type(obj).__name__, _state(fields or {}, seen)) if fields is not None else ("opaque", repr(obj))


#: Scenarios of one replicate that differ in parameters must not share a warm-up: the baseline and a package
#: share theirs, the scenario with overrides has its own.
MIXED = """\
name: mixed
seed: 9
replicates: 2
years: 1
warmup_years: 1
world: {kind: synthetic, population: 4000, townships: 2}
scenarios:
  - name: baseline
  - {name: anhui, policy: anhui-2024, decompose: false}
  - name: cheaper-township
    overrides: {finance: {outpatient_reimbursement: {village: 0.8, township: 0.95, county: 0.6, city: 0.5}}}
"""


def test_scenarios_whose_parameters_differ_do_not_share_a_warm_up_and_still_match(tmp_path):
    resolved = _resolved(tmp_path, MIXED)
    groups = warmup_groups(resolved, plan(resolved))
    assert [[s.run_id for s in g] for g in groups] == [
        ["baseline/base/r0000", "anhui/base/r0000"], ["baseline/base/r0001", "anhui/base/r0001"],
        ["cheaper-township/base/r0000"], ["cheaper-township/base/r0001"]]
    run_experiment(resolved, tmp_path / "forked", fork=True)
    run_experiment(resolved, tmp_path / "scratch", fork=False)
    runs = pd.read_parquet(tmp_path / "forked" / "runs.parquet").set_index("run_id")
    assert runs["forked"].to_dict() == {s.run_id: s.scenario != "cheaper-township" for s in plan(resolved)}
    assert _run_files(tmp_path / "forked") == _run_files(tmp_path / "scratch")
    # The overrides matter: forked from the baseline's warm-up, the scenario would have its numbers wrong.
    kpis = pd.read_parquet(tmp_path / "forked" / "kpis.parquet")
    visits = kpis[kpis.metric == "visits_per_capita"].groupby("scenario")["value"].mean()
    assert visits["cheaper-township"] != visits["baseline"]


def test_forked_runs_on_a_pool_of_two_workers_and_in_shards_give_the_bytes_of_runs_from_scratch(from_scratch,
                                                                                              tmp_path):
    resolved, expected, kpis = from_scratch
    with executor_for(workers=2) as pool:
        run_experiment(resolved, tmp_path / "pooled", executor=pool, fork=True)
    runs = pd.read_parquet(tmp_path / "pooled" / "runs.parquet")
    assert runs["forked"].all() and runs["worker"].nunique() == 2  # one replicate's warm-up on each worker
    assert _run_files(tmp_path / "pooled") == expected
    assert (tmp_path / "pooled" / "kpis.parquet").read_bytes() == kpis

    out = tmp_path / "sharded"
    shards = [shard_tasks(resolved, (i, 3)) for i in range(3)]
    ids = [s.run_id for shard in shards for task in shard for s in task]
    assert sorted(ids) == sorted(s.run_id for s in plan(resolved))  # disjoint, and cover the plan
    assert all(shard for shard in shards)  # every shard has work: groups are cut for three shards
    for i in range(3):
        assert run_experiment(resolved, out, shard=(i, 3), fork=True) is None
    collect(resolved, out)
    assert pd.read_parquet(out / "runs.parquet")["forked"].any()
    assert _run_files(out) == expected
    assert (out / "kpis.parquet").read_bytes() == kpis


def test_a_rerun_forks_only_the_missing_runs_of_a_group_from_a_fresh_warm_up(from_scratch, tmp_path):
    resolved, expected, kpis = from_scratch
    out = tmp_path / "out"
    run_experiment(resolved, out, fork=True)
    deleted = [run_path(out, s, "base", 1) for s in ("gd", "nx")]
    for path in deleted:
        path.unlink()
        episodes_path(path).unlink()
    kept = {p: p.stat().st_mtime_ns for p in (out / "runs").rglob("rep-*.parquet")}
    calls = []
    run_experiment(resolved, out, fork=True, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(10, 12), (11, 12), (12, 12)]
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())  # finished runs were not redone
    runs = pd.read_parquet(out / "runs.parquet").set_index("run_id")
    assert runs.loc[["gd/base/r0001", "nx/base/r0001"], "warmup_runs"].tolist() == [2, 2]  # one warm-up, two forks
    assert _run_files(out) == expected
    assert (out / "kpis.parquet").read_bytes() == kpis


TWO_LEVERS = """\
name: two-levers
title: Two levers
document: none
base_year: 2022
interventions:
  - {type: county_hospital_upgrade, start_year: 1, capability_gain: 0.08, source: "test: a supply lever"}
  - {type: grassroots_specialty_departments, start_year: 2, share: 1.0, source: "test: one from year 2"}
"""


def test_decomposition_variants_share_the_warm_up_and_record_no_episodes(tmp_path):
    (tmp_path / "configs" / "policies").mkdir(parents=True)
    (tmp_path / "configs" / "policies" / "two-levers.yaml").write_text(TWO_LEVERS)
    resolved = _resolved(tmp_path, MIXED.replace("replicates: 2", "replicates: 1").replace(
        "{name: anhui, policy: anhui-2024, decompose: false}", "{name: two, policy: two-levers, decompose: true}")
        + "record_episodes: true\n")
    specs = plan(resolved)
    assert len(warmup_groups(resolved, specs)[0]) == len(specs) - 1 == 6  # baseline, two, 4 variants
    run_experiment(resolved, tmp_path / "forked", fork=True)
    run_experiment(resolved, tmp_path / "scratch", fork=False)
    forked = _run_files(tmp_path / "forked")
    assert forked == _run_files(tmp_path / "scratch")
    episodes = sorted(name.split("/")[1] for name in forked if ".episodes." in name)
    assert episodes == ["baseline", "cheaper-township", "two"]  # variants record none, forked or not
    # With two levers, one removed is the other alone: each such pair is one simulation, stored twice.
    runs = pd.read_parquet(tmp_path / "forked" / "runs.parquet").set_index("run_id")
    shared = runs[runs["simulated_as"] != runs.index]
    pairs = {frozenset((runs.loc[runs.loc[run, "simulated_as"], "scenario"], runs.loc[run, "scenario"]))
             for run in shared.index}
    assert pairs == {frozenset({"two--without-county_hospital_upgrade", "two--only-grassroots_specialty_departments"}),
                     frozenset({"two--without-grassroots_specialty_departments", "two--only-county_hospital_upgrade"})}
    assert (shared.filter(like="phase_") == 0).all().all()  # simulated once: its time is the other's
    scratch = pd.read_parquet(tmp_path / "scratch" / "runs.parquet")
    assert (scratch["simulated_as"] == scratch["run_id"]).all()  # from scratch: each its own


def test_forking_can_be_turned_off_from_the_environment(monkeypatch):
    monkeypatch.delenv("YGT_ABM_FORK", raising=False)
    assert fork_default()
    monkeypatch.setenv("YGT_ABM_FORK", "0")
    assert not fork_default()


def test_tasks_are_cut_only_where_that_keeps_every_worker_busy():
    groups = [[RunSpec("s", "base", r) for r in range(n)] for n in (190, 190, 190)]
    # Three large groups on two workers: cut, or one worker would run two groups while the other waits.
    assert [len(t) for t in balanced_tasks(groups, 2, warmup_years=3, years=2)] == [95] * 6
    # As many equal groups as workers: cutting would only add warm-ups.
    assert [len(t) for t in balanced_tasks(groups[:2], 2, warmup_years=3, years=2)] == [190, 190]
    assert [len(t) for t in balanced_tasks(groups, 1, warmup_years=3, years=2)] == [190, 190, 190]
    assert [len(t) for t in split_groups([[RunSpec("s", "base", r) for r in range(5)]], 2)] == [2, 3]


@pytest.mark.parametrize("fifo, message", [
    ("runs/baseline/base/rep-0000.parquet", "rep-0000.parquet cannot be read as run baseline/base/r0000"),
    ("runs/config.sha256", "holds results of a different experiment configuration"),
    ("runs/.lock", "runs/.lock should be a file"),
    ("complete.json", "complete.json should be a file"),
])
def test_a_fifo_in_the_output_folder_is_refused_not_read_forever(tmp_path, fifo, message):
    """A FIFO blocks whoever opens it for reading until a writer comes: where a run file, the fingerprint, the
    lock or the completion marker belongs, the folder is refused (exit 1) without the FIFO being read."""
    exp = tmp_path / "one.yaml"
    exp.write_text(textwrap.dedent(EXPERIMENT.replace("replicates: 2", "replicates: 1").split("  - name: cheaper")[0]))
    (tmp_path / "out" / "runs").mkdir(parents=True)
    path = tmp_path / "out" / fifo
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    result = subprocess.run([sys.executable, "-m", "ygt_abm.cli", "collect", str(exp), "--out", str(tmp_path / "out"),
                             "--no-figure"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
