"""Policy packages: a document's interventions with its numbers and clauses, and its headline targets.

The shipped packages are package data, ``configs/policies/<name>.yaml``; a project can keep its own in
``configs/policies/<name>.yaml`` next to its experiments. Every intervention entry is checked against the
registered intervention's parameters (unknown keys and out-of-range values are errors naming the file,
line and parameter).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ygt_abm.config.files import (
    SHIPPED_CONFIGS, ConfigError, Problem, did_you_mean, dotted, line_of, problems_from, read_yaml, validate_model,
)
from ygt_abm.config.params import Strict
from ygt_abm.vocabulary import INDICATORS

#: The packages shipped with ygt_abm.
POLICY_DIR = SHIPPED_CONFIGS / "policies"


class Target(Strict):
    """A headline target of the document, as data: reached at least or at most ``value``, or, for "about",
    within a band around it (ygt_abm.analysis.attainment says how wide)."""

    indicator: str
    value: float
    comparison: Literal["at_least", "at_most", "about"] = "at_least"
    year: int = Field(ge=1990, le=2100, description="calendar year by which it is to be reached")
    clause: str = Field(min_length=1)
    note: str = ""


class PolicyPackage(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    document: str = Field(description="the document: its issuing number where it has one, and its title; 'none' for the baseline")
    issued: str = ""
    scope: str = ""
    base_year: int = Field(ge=1990, le=2100, description="calendar year of simulated year 1")
    description: str = ""
    interventions: list[dict[str, Any]] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def simulated_year(self, calendar_year: int) -> int:
        return calendar_year - self.base_year + 1


def validate_interventions(entries: list, file: str, node: Any, prefix: tuple,
                           schemas: Mapping[str, type[BaseModel]]) -> list[Problem]:
    """Check each intervention entry against the parameter model of its type (``schemas``: type name →
    model); problems carry file and line."""
    problems = []
    for i, entry in enumerate(entries):
        item = node[i] if node is not None and i < len(node) else None
        kind = entry.get("type") if isinstance(entry, dict) else None
        if kind not in schemas:
            line, _ = line_of(item, ("type",)) if item is not None else (None, 0)
            problems.append(Problem(file, line or 1, dotted(prefix + (i, "type")), _unknown_type(entry, schemas)))
            continue
        try:
            schemas[kind].model_validate(entry)
        except ValidationError as exc:
            problems += problems_from(exc, file, [(item, prefix + (i,))], keys=set(schemas[kind].model_fields),
                                      listed_by="ygt-abm interventions")
    return problems


def _unknown_type(entry: Any, schemas: Mapping[str, type[BaseModel]]) -> str:
    """What is wrong with an intervention entry whose ``type`` is missing or unknown, and how to write it."""
    example = "e.g. `- type: doctor_dispatch`, its parameters beside `type:`; `ygt-abm interventions` lists them"
    if not isinstance(entry, dict):
        return f"an intervention is a mapping that starts with `type:` ({example})"
    if "type" in entry:
        kind = entry["type"]
        return f"unknown intervention {kind!r}{did_you_mean(kind, schemas)}; expected one of: {', '.join(sorted(schemas))}"
    named = [key for key in entry if key in schemas]
    if named:
        return (f"missing `type:`: write `- type: {named[0]}` with its parameters beside it, not under "
                f"`{named[0]}:`")
    if "kind" in entry:
        return f"missing `type:` (this entry has `kind:`; interventions name theirs with `type:`, {example})"
    return f"missing `type:`: every intervention names its type ({example})"


def shipped_policies() -> list[str]:
    """Names of the policy packages shipped in ``configs/policies/``."""
    return sorted(path.stem for path in POLICY_DIR.glob("*.yaml"))


def resolve_policy(name: str, base_dir: Path) -> Path:
    """The file of policy package ``name``.

    A name ending in .yaml/.yml is a path relative to ``base_dir`` (the experiment file's folder). Otherwise
    a project's own ``configs/policies/<name>.yaml`` in ``base_dir`` or its parent wins over the package
    shipped in ``configs/policies/``. When none exists, the shipped path (which then does not exist).
    """
    if name.endswith((".yaml", ".yml")):
        return (base_dir / name).resolve()
    for folder in (base_dir / "configs" / "policies", base_dir.parent / "configs" / "policies", POLICY_DIR):
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return POLICY_DIR / f"{name}.yaml"


def load_policy(path: str | Path, schemas: Mapping[str, type[BaseModel]]) -> PolicyPackage:
    """Read and validate a policy package, its interventions and its targets; all problems at once."""
    path = Path(path)
    doc = read_yaml(path)
    file = str(path)
    package = validate_model(PolicyPackage, doc, file)
    problems = validate_interventions(package.interventions, file, doc.get("interventions"), ("interventions",),
                                      schemas)
    for i, target in enumerate(package.targets):
        if target.indicator not in INDICATORS:
            line, _ = line_of(doc["targets"][i], ("indicator",))
            problems.append(Problem(file, line or 1, f"targets[{i}].indicator",
                                    f"unknown indicator {target.indicator!r}{did_you_mean(target.indicator, INDICATORS)}; "
                                    f"expected one of: {', '.join(INDICATORS)}"))
    if problems:
        raise ConfigError(problems)
    return package
