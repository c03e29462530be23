"""Experiment files and policy packages, checked against the registered interventions' parameters."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from ygt_abm.config import loading, policy
from ygt_abm.config.experiment import ResolvedExperiment
from ygt_abm.config.policy import PolicyPackage
from ygt_abm.interventions import REGISTRY


def intervention_schemas() -> dict[str, type[BaseModel]]:
    """Type name → parameter model of every registered intervention."""
    return {name: cls.Params for name, cls in REGISTRY.items()}


def load_experiment(path: str | Path) -> ResolvedExperiment:
    """Read and check an experiment file, its policy packages and interventions; all problems at once."""
    return loading.load_experiment(path, intervention_schemas())


def load_policy(path: str | Path) -> PolicyPackage:
    """Read and check a policy package; all problems at once."""
    return policy.load_policy(path, intervention_schemas())
