"""Policy levers as pluggable interventions, one module per lever family (policy-levers.md §1–§6).

Importing this package registers every intervention in ``REGISTRY`` under its snake_case name."""

from ygt_abm.interventions import health, incentives, pathway, payment, supply, workforce  # noqa: F401
from ygt_abm.interventions.base import REGISTRY, Intervention, InterventionParams, build, catalogue, register

__all__ = ["REGISTRY", "Intervention", "InterventionParams", "build", "catalogue", "register"]
