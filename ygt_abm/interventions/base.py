"""One lifecycle for every intervention: defaults → strict parameter check (unknown keys and out-of-range
values are errors) → ``init(model)`` → each year it is in force ``apply(levers, year)``.

The contract. ``init`` may read the model as it is built (the region, the parameters, the facilities and
residents before any lever acts) and keeps what ``apply`` will need as the intervention's own state; it
changes nothing in the model and draws no random numbers, and an intervention is in force in recorded years
only (``start_year`` ≥ 1), so runs that differ only in interventions share their warm-up
(``experiment/forking.py``; ``tests/test_runner.py`` checks every package). ``apply`` reads only that
state, its parameters, the year and the levers, and only writes levers: the engine (``ygt_abm.processes``)
turns levers into behaviour (doctors move, slots are held back, money changes pay). Every year the levers are rebuilt from the baseline (no reform), so a year's levers
depend only on which interventions are in force that year.

Combining writes to one lever. Contributions add (utility shifts, capability bonuses, extra capacity
and beds, reimbursement changes) or multiply (pay and vacancy-fill factors); where two interventions set
the same value for the same county, the later one in canonical order wins; floors and caps that must
hold after every other write (township pay parity) are levers of their own that the engine applies.
Interventions are applied in canonical order (by type, then parameters), never in the order of a file,
so a package's results do not depend on how its file lists them (floating-point sums included).

Its docstring states the mechanism: what it changes and the causal path to patient flows. Configs name
it by its registry key: ``type: reserved_referral_slots``.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

import numpy as np
from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from ygt_abm.config.params import Strict
from ygt_abm.vocabulary import N_LEVELS

REGISTRY: dict[str, type["Intervention"]] = {}


#: the parameters every intervention has that say where its values come from, not what it does
DESCRIPTIVE = {"source", "assumption", "ranges", "range_source"}


class InterventionParams(Strict):
    """Parameters every intervention has."""

    type: str
    start_year: int = Field(1, ge=1, le=100, description="first simulated year it is in force (1 = first recorded)")
    end_year: int | None = Field(None, ge=1, le=100, description="last year in force (None: to the end)")
    counties: list[str] | None = Field(None, min_length=1, description="county names it targets (None: every "
                                       "county; an empty list would target none)")
    source: str = Field(min_length=3, description="document and clause, e.g. 'anhui-2024 §17'")
    assumption: str = Field("", description="what is assumed where the document gives no number")
    ranges: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="dotted parameter → [low, high]: the values an assumed strength may "
        "take (the given value lies inside); an experiment with `lever_uncertainty` draws it there")
    range_source: str = Field("", description="where the range comes from: a source, or ASSUMPTION and why")

    @model_validator(mode="after")
    def _years(self) -> "InterventionParams":
        if self.end_year is not None and self.end_year < self.start_year:
            raise ValueError("end_year must not be before start_year")
        return self

    @model_validator(mode="after")
    def _ranges(self) -> "InterventionParams":
        problems = []
        for path, (low, high) in self.ranges.items():
            value = numeric_at(self, path)
            if value is None:
                problems.append((path, "no number of this intervention is set there"))
            elif path.split(".")[0] not in self.model_fields_set:
                problems.append((path, "give the value the range is around (the assumed strength), not the default"))
            elif not low <= high:
                problems.append((path, f"low {low} is above high {high}"))
            elif not low <= value <= high:
                problems.append((path, f"the given value {value} lies outside [{low}, {high}]"))
        if self.ranges and len(self.range_source.strip()) < 3:
            problems.append((None, "ranges need a range_source: where the range comes from, or ASSUMPTION and why"))
        if problems:
            raise ValidationError.from_exception_data(type(self).__name__, [InitErrorDetails(
                type=PydanticCustomError("lever_range", message), input=self.ranges,
                loc=("ranges", path) if path else ("range_source",)) for path, message in problems])
        return self


def numeric_at(params: BaseModel, path: str) -> float | None:
    """The number at dotted ``path`` of an intervention's parameters (None if nothing numeric is set there)."""
    value: Any = params
    for part in path.split("."):
        if isinstance(value, BaseModel):
            value = getattr(value, part, None) if part in type(value).model_fields else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if is_number else None


class Intervention:
    """Base class; subclasses set ``name``, ``Params`` and implement ``apply``."""

    name: ClassVar[str]
    Params: ClassVar[type[InterventionParams]]

    def __init__(self, params: InterventionParams) -> None:
        self.p = params
        self.county_ids: np.ndarray = np.array([], dtype=int)

    # lifecycle ------------------------------------------------------------------------------------
    def init(self, model) -> None:
        """Resolve the targeted counties and keep their facilities; subclasses keep what else they need."""
        names = model.region.county_names
        if self.p.counties is None:
            self.county_ids = np.arange(len(names))
        else:
            # A county run on its own knows its region's other counties: aimed at them, this does nothing here.
            known = model.region.region_county_names or names
            unknown = [c for c in self.p.counties if c not in known]
            if unknown:
                raise ValueError(f"{self.name}: unknown counties {unknown}; the world has {known}")
            self.county_ids = np.array([names.index(c) for c in self.p.counties if c in names], dtype=int)
        fac = model.facilities
        targeted = np.isin(fac.county, self.county_ids)
        self._by_level = {level: np.flatnonzero((fac.level == level) & targeted) for level in range(N_LEVELS)}
        self._leads = fac.lead_hospitals(self.county_ids)

    def canonical_key(self) -> tuple[str, str]:
        """The order interventions are applied in: by type, then by parameters."""
        return self.name, json.dumps(self.p.model_dump(mode="json"), sort_keys=True)

    def behaviour_key(self) -> tuple[str, str]:
        """What it does: its type and parameters, without the texts and ranges that say where they come from
        (two interventions with the same key change a run alike)."""
        return self.name, json.dumps(self.p.model_dump(mode="json", exclude=DESCRIPTIVE), sort_keys=True)

    def active(self, year: int) -> bool:
        return year >= self.p.start_year and (self.p.end_year is None or year <= self.p.end_year)

    def apply(self, levers, year: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def progress(self, year: int) -> float:
        """Share of its full strength reached in ``year``: linear over the intervention's ``ramp_years``
        (where it has them: a goal a document sets for a later year is met step by step), else 1."""
        ramp = getattr(self.p, "ramp_years", 1)
        return min(1.0, (year - self.p.start_year + 1) / ramp)

    # helpers for subclasses ---------------------------------------------------------------------------
    def facilities(self, level: int) -> np.ndarray:
        """Facilities of ``level`` in the targeted counties."""
        return self._by_level[level]

    def lead_hospitals(self) -> np.ndarray:
        """Each targeted county's lead hospital (牵头医院): its county hospital with the most beds."""
        return self._leads


def register(cls: type[Intervention]) -> type[Intervention]:
    """Class decorator: make an intervention available to configs under ``cls.name``."""
    if cls.name in REGISTRY:
        raise ValueError(f"intervention {cls.name!r} registered twice")
    if not (cls.__doc__ or "").strip():
        raise ValueError(f"intervention {cls.name!r} must document its mechanism")
    REGISTRY[cls.name] = cls
    return cls


def build(spec: dict[str, Any]) -> Intervention:
    """An intervention from its config mapping (already validated by ``validate_spec``)."""
    cls = REGISTRY[spec["type"]]
    return cls(cls.Params.model_validate(spec))


def catalogue() -> list[dict[str, Any]]:
    """Every registered intervention with its parameters, defaults and descriptions."""
    out = []
    for name, cls in sorted(REGISTRY.items()):
        params = []
        for field_name, field in cls.Params.model_fields.items():
            if field_name in InterventionParams.model_fields:
                continue
            default = None if field.is_required() else field.get_default(call_default_factory=True)
            params.append({"name": field_name, "default": default, "required": field.is_required(),
                           "description": field.description or ""})
        out.append({"type": name, "mechanism": " ".join((cls.__doc__ or "").split()), "parameters": params})
    return out
