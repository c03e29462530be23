"""Experiment files and policy packages, checked against the registered interventions' parameters and
against the world they describe, before anything runs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel

from ygt_abm.config import loading, policy
from ygt_abm.config.experiment import ResolvedExperiment, county_names
from ygt_abm.config.files import ConfigError, Problem, line_of, read_yaml
from ygt_abm.config.policy import PolicyPackage


class _RegisteredSchemas(Mapping):
    """Type name → parameter model of every registered intervention, imported when a file first names one:
    checking a file without interventions needs none of the simulation's code."""

    def _schemas(self) -> dict[str, type[BaseModel]]:
        from ygt_abm.interventions import REGISTRY

        return {name: cls.Params for name, cls in REGISTRY.items()}

    def __getitem__(self, name: str) -> type[BaseModel]:
        return self._schemas()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._schemas())

    def __len__(self) -> int:
        return len(self._schemas())


def intervention_schemas() -> Mapping[str, type[BaseModel]]:
    """Type name → parameter model of every registered intervention."""
    return _RegisteredSchemas()


def load_runnable_experiment(path: str | Path) -> ResolvedExperiment:
    """An experiment file ready to run: resolved with the registered interventions' parameters, and checked
    against its world (its county files, and interventions aimed at counties it lacks). Every problem at
    once, the world's too even where other parts of the file are wrong."""
    try:
        resolved = loading.resolve_experiment_file(path, intervention_schemas())
    except ConfigError as exc:
        raise ConfigError(exc.problems + _world_problems_as_written(path)) from None
    scenarios = [(i, s.name, resolved.interventions.get(s.name, []))
                 for i, s in enumerate(resolved.experiment.scenarios)]
    problems = world_problems(resolved.path, resolved.experiment.world, scenarios)
    if problems:
        raise ConfigError(problems)
    return resolved


def county_file_problems(world) -> list[Problem]:
    """Every cell problem of a CSV world's files (none for a synthetic world, or where a file is missing:
    that is reported with the experiment file)."""
    if world is None or world.kind != "csv":
        return []
    files = [world.city_hospitals, *(p for county in world.counties for p in (county.villages, county.facilities))]
    if not all(Path(f).is_file() for f in files):
        return []
    from ygt_abm.world.csv_loader import load_csv_region  # the world's code only for a world of files

    try:
        load_csv_region(world)
    except ConfigError as exc:
        return exc.problems
    return []


def world_problems(path, world, scenarios: list[tuple[int, str, list[dict]]], doc=None) -> list[Problem]:
    """What only the world tells: every cell of CSV county files (as file:line), and interventions of
    ``scenarios`` (index, name, entries) aimed at counties the world does not have (``doc``: the file as
    read, if it has been, to name their lines)."""
    if world is None:
        return []
    problems = county_file_problems(world)
    names = [county.name for county in world.counties] if world.kind == "csv" else county_names(world.counties)
    file = str(path)
    for index, scenario, entries in scenarios:
        for entry in entries:
            counties = entry.get("counties") if isinstance(entry, dict) else None
            unknown = [c for c in counties if c not in names] if isinstance(counties, list) else []
            if unknown:
                if doc is None:  # read again only to name the line of a problem
                    doc = read_yaml(path)
                line, _ = line_of(doc, ("scenarios", index))
                problems.append(Problem(file, line or 1, f"scenarios[{index}] ({scenario}): {entry.get('type')}"
                                        ".counties", f"unknown counties {unknown}; the world has {names}"))
    return problems


def _world_problems_as_written(path) -> list[Problem]:
    """The world's problems of a file with other problems too: its world section and each scenario's own
    interventions as the file writes them (its packages may not have been read)."""
    try:
        doc = read_yaml(path)
        scenarios = [(i, str(s.get("name")), list(s.get("interventions") or []))
                     for i, s in enumerate(doc.get("scenarios") or []) if isinstance(s, dict)]
    except (ConfigError, AttributeError, TypeError):
        return []
    return world_problems(path, loading.world_of(doc, Path(path).parent), scenarios, doc)


def load_policy(path: str | Path) -> PolicyPackage:
    """Read and check a policy package; all problems at once."""
    return policy.load_policy(path, intervention_schemas())
