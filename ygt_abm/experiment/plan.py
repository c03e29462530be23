"""The plan of an experiment: every run, addressed by (scenario, sweep point, replicate[, county]), in a
fixed order. Light to import: validating a file plans it without loading the simulation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ygt_abm.config.experiment import ResolvedExperiment, county_count
from ygt_abm.results.store import run_path


@dataclass(frozen=True)
class RunSpec:
    scenario: str
    point: str
    replicate: int
    county: int | None = None  # with ``split_counties``: the county this run simulates on its own

    @property
    def run_id(self) -> str:
        county = "" if self.county is None else f"/c{self.county:04d}"
        return f"{self.scenario}/{self.point}/r{self.replicate:04d}{county}"

    def path(self, out: Path) -> Path:
        return run_path(out, self.scenario, self.point, self.replicate, self.county)


def plan(resolved: ResolvedExperiment) -> list[RunSpec]:
    """Every run of the experiment in a fixed order: scenario, then point, then replicate (then county,
    when counties are split into runs of their own)."""
    exp, counties = resolved.experiment, county_runs(resolved)
    return [RunSpec(s.name, p.name, r, c) for s in exp.scenarios for p in resolved.points
            for r in range(exp.replicates) for c in counties]


def county_runs(resolved: ResolvedExperiment) -> list[int | None]:
    """The runs one (scenario, point, replicate) is made of: each county when counties run on their own,
    else one run of the whole region (None)."""
    exp = resolved.experiment
    return list(range(county_count(exp.world))) if exp.split_counties else [None]
