"""The lever controls of the classroom, read from the intervention registry: for every intervention its
mechanism (its docstring, which cites the clauses it implements), and for every parameter the kind of
control, its bounds (the parameter's own ``ge``/``le``) and its default.

A parameter the model requires without a default (a reserve share, a capitation rate) starts from the
first shipped policy package that sets it, or where none does from its lower bound (mostly: no effect), so
a control never starts from a number nobody wrote.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from annotated_types import Ge, Gt, Le, Lt

from ygt_abm.config.policy import POLICY_DIR, PolicyPackage, shipped_policies
from ygt_abm.experiment.loading import load_policy
from ygt_abm.interventions import REGISTRY, InterventionParams
from ygt_abm.vocabulary import LEVELS

#: Slider ranges of changes given by level, where the parameter itself has no bounds (UI ranges only).
LEVEL_CHANGE_RANGES = {"deductible_change": (-2000.0, 2000.0)}
DEFAULT_LEVEL_CHANGE_RANGE = (-0.5, 0.5)


@dataclass(frozen=True)
class Control:
    """One parameter of a lever: ``kind`` is number, integer, switch, choice, choices or by_level."""

    name: str
    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    options: tuple[str, ...] = ()
    optional: bool = False  # None is allowed (the model's own default applies)
    description: str = ""


@dataclass(frozen=True)
class LeverControls:
    type: str
    mechanism: str
    controls: tuple[Control, ...]
    default_source: str  # where defaults without a model default came from

    def defaults(self) -> dict[str, Any]:
        return {c.name: c.default for c in self.controls}


def _bounds(metadata: list) -> tuple[float | None, float | None]:
    low = high = None
    for m in metadata:
        if isinstance(m, (Ge, Gt)):
            low = float(getattr(m, "ge", getattr(m, "gt", None)))
        elif isinstance(m, (Le, Lt)):
            high = float(getattr(m, "le", getattr(m, "lt", None)))
    return low, high


def _control(name: str, field, package_value: Any) -> Control:
    annotation = field.annotation
    args = typing.get_args(annotation)
    optional = type(None) in args
    if optional:
        annotation = next(a for a in args if a is not type(None))
    default = package_value if field.is_required() else field.get_default(call_default_factory=True)
    low, high = _bounds(field.metadata)
    description = field.description or ""
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return Control(name, "switch", bool(default), description=description)
    if annotation in (int, float):
        kind = "integer" if annotation is int else "number"
        if default is None and not optional:
            default = low if low is not None else 0
        return Control(name, kind, default, low, high, optional=optional, description=description)
    if origin is typing.Literal:
        return Control(name, "choice", default, options=tuple(typing.get_args(annotation)), description=description)
    if origin is list and typing.get_origin(typing.get_args(annotation)[0]) is typing.Literal:
        options = typing.get_args(typing.get_args(annotation)[0])
        return Control(name, "choices", list(default or []), options=tuple(options), description=description)
    if origin is dict:
        low, high = LEVEL_CHANGE_RANGES.get(name, DEFAULT_LEVEL_CHANGE_RANGE)
        return Control(name, "by_level", dict(default or {}), low, high, options=LEVELS, description=description)
    raise TypeError(f"no control for parameter {name!r} of type {field.annotation}")


@cache
def shipped_package(name: str) -> PolicyPackage:
    """A policy package shipped with ygt_abm, by name."""
    return load_policy(POLICY_DIR / f"{name}.yaml")


@cache
def package_settings() -> dict[str, tuple[str, dict[str, Any]]]:
    """Intervention type → (package name, its entry) of the first shipped package that uses it."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for name in shipped_policies():
        for entry in shipped_package(name).interventions:
            found.setdefault(entry["type"], (name, entry))
    return found


@cache
def lever_catalogue() -> tuple[LeverControls, ...]:
    """Every registered intervention as controls, in registry order (alphabetical)."""
    from_packages = package_settings()
    levers = []
    for name, cls in sorted(REGISTRY.items()):
        package, entry = from_packages.get(name, ("", {}))
        controls = tuple(_control(field_name, field, entry.get(field_name))
                         for field_name, field in cls.Params.model_fields.items()
                         if field_name not in InterventionParams.model_fields)
        needs_package = any(cls.Params.model_fields[c.name].is_required() for c in controls)
        levers.append(LeverControls(name, " ".join((cls.__doc__ or "").split()), controls,
                                    package if needs_package else ""))
    return tuple(levers)


def lever(name: str) -> LeverControls:
    return next(lever for lever in lever_catalogue() if lever.type == name)
