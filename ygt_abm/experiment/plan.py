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


def with_point_values(table, resolved: ResolvedExperiment):
    """``table`` with a column per parameter a sweep or samples vary (dotted name; scalar values only,
    the rest are in manifest.json), after its ``point`` column: so each row says its parameter values."""
    varied = {name: {point.name: point.values[name] for point in resolved.points}
              for name in (resolved.points[0].values if resolved.points else {})}
    scalar = {name: values for name, values in varied.items()
              if all(isinstance(v, (int, float, str, bool)) for v in values.values())}
    if "point" not in getattr(table, "columns", []) or not scalar:
        return table
    table = table.copy()
    at = list(table.columns).index("point") + 1
    for offset, (name, values) in enumerate(scalar.items()):
        if name not in table.columns:
            table.insert(at + offset, name, table["point"].map(values))
    return table

