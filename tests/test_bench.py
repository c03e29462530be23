"""The benchmark suite at toy size: every field is reported (no timing assertions)."""

from __future__ import annotations

import math

import pytest

from test_estimation import write as write_tiny_estimation

from ygt_abm.bench import (
    ESTIMATION_PARTICLES, THROUGHPUT_REPLICATES, benchmark, estimation_throughput, format_estimation, format_suite,
    format_throughput, particle_values, run_suite, suite_sizes, targets, throughput,
)
from ygt_abm.processes import default_processes

PHASES = [p.name for p in default_processes()]

CLI_FIELDS = ("seconds_per_year", "resident_steps_per_second", "peak_rss_mb", "phase_choice_seconds")
SUITE_FIELDS = (
    "residents", "years", "build_seconds", "run_seconds", "seconds_per_year", "resident_steps_per_second",
    "seconds_per_resident_week", "peak_rss_mb", "rss_before_build_mb", "peak_rss_bytes_per_resident",
    "population_bytes_per_resident", *(f"phase_{p}_seconds" for p in PHASES),
    "reference_population", "reference_weeks", "reference_build_seconds", "reference_seconds_per_resident_week",
    "reference_peak_rss_mb", "vectorised_kernel_load_seconds", "vectorised_weeks_at_reference", "vectorised_seconds_per_resident_week_at_reference",
    "speedup_vs_reference",
)


@pytest.fixture(scope="module")
def toy_suite():
    return run_suite(sizes=(2000,), years=1, reference_population=1000, reference_weeks=1)


def test_benchmark_keeps_the_fields_the_cli_prints():
    report = benchmark(1500, 1, seed=2)
    for field in CLI_FIELDS:
        assert field in report


def test_the_suite_reports_every_field_for_every_size(toy_suite):
    assert len(toy_suite) == 1
    row = toy_suite[0]
    missing = [f for f in SUITE_FIELDS if f not in row]
    assert not missing
    for field in SUITE_FIELDS:
        assert isinstance(row[field], (int, float)) and math.isfinite(row[field]), field
    assert row["residents"] == 2000 and row["years"] == 1
    assert row["reference_population"] == 1000 and row["reference_weeks"] == 1
    assert row["peak_rss_mb"] > 0 and row["speedup_vs_reference"] > 0
    assert row["population_bytes_per_resident"] > 0
    assert sum(row[f"phase_{p}_seconds"] for p in PHASES) <= row["run_seconds"] * 1.01


def test_the_report_shows_sizes_phases_reference_and_targets(toy_suite):
    text = format_suite(toy_suite)
    for label in ("residents", "seconds per simulated year", "resident-steps per second", "peak RSS",
                  "bytes/resident", "choice", "settlement", "reference (per-agent Mesa)", "speed-up", "targets:"):
        assert label in text
    assert "2,000" in text
    names = [name for name, _, _ in targets(toy_suite)]
    assert any("faster than the reference" in n for n in names)
    assert any("1,000,000" in n for n in names)  # reported as not measured at toy size


def test_the_experiment_throughput_times_both_modes_and_reports_the_shared_warm_ups():
    rows = throughput(replicates=1, workers=1, population=2000, townships=1, warmup_years=1, years=1,
                      scenarios=("baseline", "anhui-2024", "zhejiang-2026"))
    scratch, forked = rows
    assert (scratch["fork"], forked["fork"]) == (False, True)
    assert scratch["runs"] == forked["runs"] == 3
    assert scratch["forked_runs"] == 0 and scratch["shared_warmups"] == 0
    assert forked["forked_runs"] == 3 and forked["shared_warmups"] == 1  # one replicate: one warm-up
    assert forked["shared_warmup_seconds_mean"] > 0
    for row in rows:
        assert row["seconds"] > 0 and row["runs_per_hour"] == pytest.approx(3 / row["seconds"] * 3600)
    assert forked["speedup"] == pytest.approx(scratch["seconds"] / forked["seconds"])
    text = format_throughput(rows)
    for label in ("3 scenarios × 1 replicates", "every run from scratch", "warm-up shared", "runs per hour",
                  "speed-up"):
        assert label in text


def test_the_suite_takes_an_experiment_and_an_estimation_beside_the_sizes():
    assert suite_sizes("100_000, experiment:4") == ((100_000,), [4], [])
    assert suite_sizes("experiment") == ((), [THROUGHPUT_REPLICATES], [])
    assert suite_sizes("2000,500000") == ((2000, 500_000), [], [])
    assert suite_sizes("estimation, estimation:3") == ((), [], [ESTIMATION_PARTICLES, 3])


def test_benchmarked_particles_spread_over_the_priors():
    priors = {"a": (0.0, 1.0, False), "b": (10.0, 1000.0, True)}
    values = particle_values(priors, 2)
    assert [v["a"] for v in values] == pytest.approx([0.25, 0.75])
    assert [v["b"] for v in values] == pytest.approx([10 * 100 ** 0.25, 10 * 100 ** 0.75])


def test_the_estimation_workload_times_particles_of_a_calibration(tmp_path):
    row = estimation_throughput(particles=2, workers=1, path=write_tiny_estimation(tmp_path))
    assert row["particles"] == 2 and row["evaluations"] == row["batches"] == 1 and row["residents"] == 2000
    assert row["runs_per_particle"] >= 2  # the evaluation's control and treated arms, and any baseline
    assert row["particles_per_hour"] == pytest.approx(2 / row["seconds"] * 3600)
    assert row["runs_per_hour"] == pytest.approx(2 * row["runs_per_particle"] / row["seconds"] * 3600)
    assert "2 particles in" in format_estimation(row) and "runs per hour" in format_estimation(row)
