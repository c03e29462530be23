"""Calibration targets as data (``configs/calibration/targets.yaml``): what a pre-reform county must look
like, each figure with its source, tolerance and how the model measures it. ``ygt-abm fit`` reports the
fit; ``ygt-abm validate`` checks a target file like any other input."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from ygt_abm.config.files import SHIPPED_CONFIGS, ConfigError, Problem, did_you_mean, line_of, read_yaml, validate_model
from ygt_abm.config.params import Strict
from ygt_abm.vocabulary import INDICATORS, LEVELS

#: The targets shipped with ygt_abm.
TARGETS_FILE = SHIPPED_CONFIGS / "calibration" / "targets.yaml"


class CalibrationTarget(Strict):
    name: str = Field(min_length=3)
    indicator: str | None = Field(None, description="an indicator of `ygt-abm indicators`")
    of: list[str] | None = Field(None, min_length=1, description="measure the indicator's share of the sum of these")
    measure: Literal["value", "drift", "growth", "elasticity"] = "value"
    kind: Literal["outpatient", "inpatient"] | None = Field(None, description="elasticity: contact kind")
    level: Literal[LEVELS] | None = Field(None, description="elasticity: level whose price rises")
    value: float
    tolerance: float = Field(gt=0)
    source: str = Field(min_length=3)
    tolerance_note: str = ""
    role: Literal["calibrated", "check"]
    by: str = Field("", description="what was fitted to it (calibrated targets)")

    @model_validator(mode="after")
    def _measured_somehow(self) -> "CalibrationTarget":
        if self.measure == "elasticity":
            if self.kind is None or self.level is None:
                raise ValueError("an elasticity target needs kind and level")
        elif self.indicator is None:
            raise ValueError("expected an indicator to measure")
        if self.role == "calibrated" and not self.by:
            raise ValueError("a calibrated target names what was fitted to it (by)")
        return self

    def indicators(self) -> list[str]:
        return [name for name in [self.indicator, *(self.of or [])] if name]


class TargetFile(Strict):
    calibration_targets: list[CalibrationTarget] = Field(min_length=1)


def is_target_file(doc) -> bool:
    return isinstance(doc, dict) and "calibration_targets" in doc


def load_targets(path: str | Path = TARGETS_FILE) -> list[CalibrationTarget]:
    """Read and check a target file; every problem at once (file:line)."""
    file = str(path)
    doc = read_yaml(path)
    targets = validate_model(TargetFile, doc, file).calibration_targets
    problems = []
    first: dict[str, int] = {}
    for i, target in enumerate(targets):
        node = doc["calibration_targets"][i]
        problems += unknown_indicators([target.indicator] if target.indicator else [], file, node, ("indicator",),
                                       f"calibration_targets[{i}].indicator")
        problems += unknown_indicators(target.of or [], file, node, ("of",), f"calibration_targets[{i}].of")
        if target.name in first:  # fits and reports name targets: two of one name would be one row
            line, _ = line_of(node, ("name",))
            problems.append(Problem(file, line or 1, f"calibration_targets[{i}].name",
                                    f"{target.name!r} is already calibration_targets[{first[target.name]}]: "
                                    "every target needs a name of its own"))
        first.setdefault(target.name, i)
    if problems:
        raise ConfigError(problems)
    return targets


def unknown_indicators(names: list[str], file: str, node: Any, path: tuple, field: str) -> list[Problem]:
    """A problem, at the line of ``path`` under ``node``, for each of ``names`` that is no indicator."""
    line, _ = line_of(node, path)
    return [Problem(file, line or 1, field, f"unknown indicator {name!r}{did_you_mean(name, INDICATORS)}; see "
                                            "`ygt-abm indicators`") for name in names if name not in INDICATORS]
