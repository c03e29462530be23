"""Experiment files and policy packages, checked against the registered interventions' parameters and
against the world they describe, before anything runs."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ygt_abm.config import loading, policy
from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.config.files import ConfigError, Problem, line_of, read_yaml
from ygt_abm.config.policy import PolicyPackage
from ygt_abm.interventions import REGISTRY
from ygt_abm.world.csv_loader import load_csv_region
from ygt_abm.world.synthetic import county_names


def intervention_schemas() -> dict[str, type[BaseModel]]:
    """Type name → parameter model of every registered intervention."""
    return {name: cls.Params for name, cls in REGISTRY.items()}


def load_experiment(path: str | Path) -> ResolvedExperiment:
    """Read and check an experiment file, its policy packages and interventions, then its world; all problems
    of each stage at once."""
    try:
        resolved = loading.load_experiment(path, intervention_schemas())
    except ConfigError as exc:  # the county files too, so one run of `validate` reports every problem
        raise ConfigError(exc.problems + county_file_problems(loading.world_of(path))) from None
    check_world(resolved)
    return resolved


def county_file_problems(world) -> list[Problem]:
    """Every cell problem of a CSV world's files (none for a synthetic world, or where a file is missing:
    that is reported with the experiment file)."""
    if world is None or world.kind != "csv":
        return []
    files = [world.city_hospitals, *(p for county in world.counties for p in (county.villages, county.facilities))]
    if not all(Path(f).is_file() for f in files):
        return []
    try:
        load_csv_region(world)
    except ConfigError as exc:
        return exc.problems
    return []


def check_world(resolved: ResolvedExperiment) -> None:
    """What only the world tells: every cell of CSV county files (as file:line), and interventions aimed at
    counties the world does not have. Raises ``ConfigError``."""
    world, problems = resolved.experiment.world, []
    if world.kind == "csv":
        problems += county_file_problems(world)
        names = [county.name for county in world.counties]
    else:
        names = county_names(world.counties)
    doc, file = None, str(resolved.path)
    for index, scenario in enumerate(resolved.experiment.scenarios):
        for entry in resolved.interventions.get(scenario.name, []):
            unknown = [c for c in entry.get("counties") or [] if c not in names]
            if unknown:
                if doc is None:  # read again only to name the line of a problem
                    doc = read_yaml(resolved.path)
                line, _ = line_of(doc, ("scenarios", index))
                problems.append(Problem(file, line or 1, f"scenarios[{index}] ({scenario.name}): {entry['type']}"
                                        ".counties", f"unknown counties {unknown}; the world has {names}"))
    if problems:
        raise ConfigError(problems)


def load_policy(path: str | Path) -> PolicyPackage:
    """Read and check a policy package; all problems at once."""
    return policy.load_policy(path, intervention_schemas())
