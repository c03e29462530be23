"""Runs are pure functions of (config, seed, replicate): the executor does not change the results."""

import textwrap

import pandas as pd

from ygt_abm.config import load_experiment
from ygt_abm.experiment.runner import run_experiment
from ygt_abm.results.store import run_path

EXPERIMENT = """\
name: pool
seed: 9
replicates: 2
years: 1
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: cheaper-township
    overrides: {finance: {outpatient_reimbursement: {village: 0.8, township: 0.95, county: 0.6, city: 0.5}}}
"""


def _resolved(tmp_path):
    path = tmp_path / "pool.yaml"
    path.write_text(textwrap.dedent(EXPERIMENT))
    return load_experiment(path)


def test_a_process_pool_gives_the_same_results_as_a_serial_run(tmp_path):
    resolved = _resolved(tmp_path)
    serial = run_experiment(resolved, tmp_path / "serial")
    pooled = run_experiment(resolved, tmp_path / "pooled", workers=2)
    pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
    assert (tmp_path / "serial" / "kpis.parquet").read_bytes() == (tmp_path / "pooled" / "kpis.parquet").read_bytes()


def test_a_rerun_recomputes_only_missing_runs(tmp_path):
    resolved = _resolved(tmp_path)
    out = tmp_path / "out"
    first = run_experiment(resolved, out)
    missing = run_path(out, "baseline", 1)
    kept = run_path(out, "cheaper-township", 0)
    kept_mtime = kept.stat().st_mtime_ns
    missing.unlink()
    calls = []
    second = run_experiment(resolved, out, progress=lambda done, total: calls.append(done))
    assert calls[0] == 3  # three runs were already there
    assert kept.stat().st_mtime_ns == kept_mtime
    pd.testing.assert_frame_equal(first, second, check_exact=True)


def test_no_temporary_files_are_left_behind(tmp_path):
    out = tmp_path / "out"
    run_experiment(_resolved(tmp_path), out)
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]
