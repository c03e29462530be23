"""Published evaluations of reforms as data (``configs/calibration/evaluations.yaml``): each reform as a
scenario pair of the model's levers, the published effect on an indicator, and the band a simulated effect
must fall in. ``ygt-abm validate`` checks an evaluations file like any other input.

The file is split, before any fitting, into a training set and a held-out set. Fitting code reads only
``training_evaluations``, which cannot return a held-out entry; ``held_out_evaluations`` is for checking a
fit, and a test keeps every fitting module from naming it (tests/test_evaluations.py). Intervention entries
are checked against ``schemas`` (type name → parameter model), which the caller passes in, as for
experiment files: the config layer imports no simulation code.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from statistics import NormalDist
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from ygt_abm.config.experiment import deep_merge
from ygt_abm.config.files import (
    SHIPPED_CONFIGS, ConfigError, Problem, did_you_mean, line_of, problems_from, read_yaml, validate_model,
)
from ygt_abm.config.params import ModelParameters, Strict
from ygt_abm.config.policy import shipped_policies, validate_interventions
from ygt_abm.config.targets import unknown_indicators

#: The evaluations shipped with ygt_abm.
EVALUATIONS_FILE = SHIPPED_CONFIGS / "calibration" / "evaluations.yaml"

SetName = Literal["training", "held-out"]
TRAINING: SetName = "training"
HELD_OUT: SetName = "held-out"
FAMILIES = ("gatekeeping", "global_budget", "case_payment", "integration", "reimbursement", "capitation", "other")
DESIGNS = ("did", "staggered_did", "rct", "its", "controlled_its", "before_after", "cross_section")

#: a derived band must match its rule to within this share of the estimate (the file rounds to 3 digits)
BAND_TOLERANCE = 1e-3


class Arm(Strict):
    """One side of the scenario pair: a shipped policy package and/or interventions (experiment syntax)."""

    policy: str | None = Field(None, description="a shipped policy package (configs/policies/)")
    interventions: list[dict[str, Any]] = Field(default_factory=list)


class Period(Strict):
    """Calendar years before and after the reform; null where the retrieved record does not give them."""

    pre: tuple[int | None, int | None]
    post: tuple[int | None, int | None]


class Outcome(Strict):
    """A published effect on an indicator and the band a simulated effect must fall in."""

    indicator: str | list[str] = Field(description="an indicator, or a list whose sum is measured")
    of: list[str] | None = Field(None, description="measure the indicator's share of the sum of these")
    effect: Literal["difference", "relative"]
    years: list[int] = Field(min_length=1, description="simulated years in force the effect is averaged over")
    estimate: float | None = None
    ci95: tuple[float, float] | None = None
    p: float | None = Field(None, gt=0, lt=1)
    scale: str = ""
    band: tuple[float | None, float | None]
    band_basis: Literal["ci95", "p_value", "factor_two", "sign"]
    source: str = Field(min_length=3)
    note: str = ""

    @model_validator(mode="after")
    def _band_follows_its_basis(self) -> "Outcome":
        if any(year < 1 or year > 50 for year in self.years):
            raise ValueError("years are simulated years in force, 1 to 50")
        low, high = self.band
        if low is None and high is None:
            raise ValueError("a band is open on one side at most")
        if low is not None and high is not None and not low < high:
            raise ValueError("band: expected [low, high] with low < high")
        if self.ci95 is not None and not self.ci95[0] <= self.ci95[1]:
            raise ValueError("ci95: expected [low, high] with low ≤ high")
        expected = self._expected_band()
        if expected is not None and not all(
                a is not None and abs(a - b) <= BAND_TOLERANCE * max(1.0, abs(self.estimate or 0)) for a, b in
                zip(self.band, expected)):
            raise ValueError(f"band {list(self.band)} does not follow band_basis {self.band_basis!r}: expected "
                             f"[{expected[0]:.4g}, {expected[1]:.4g}]")
        return self

    def _expected_band(self) -> tuple[float, float] | None:
        """The band the basis implies where it is computed from published numbers (None for a sign)."""
        if self.band_basis == "sign":
            if sorted(self.band, key=lambda x: x is None) != [0, None]:  # one end open, the other at zero
                raise ValueError("a sign band is [0, null] or [null, 0]")
            return None
        if self.band_basis == "ci95":
            if self.ci95 is None:
                raise ValueError("band_basis ci95 needs the published ci95")
            return self.ci95
        if self.estimate is None or self.estimate == 0:
            raise ValueError(f"band_basis {self.band_basis} needs a non-zero published estimate")
        if self.band_basis == "p_value":
            if self.p is None:
                raise ValueError("band_basis p_value needs the published p")
            se = abs(self.estimate) / NormalDist().inv_cdf(1 - self.p / 2)
            return self.estimate - 1.96 * se, self.estimate + 1.96 * se
        ends = sorted((self.estimate / 2, self.estimate * 2))  # factor_two
        return ends[0], ends[1]

    def indicators(self) -> list[str]:
        named = [self.indicator] if isinstance(self.indicator, str) else list(self.indicator)
        return named + list(self.of or [])

    def contains(self, simulated: float) -> bool:
        """Whether a simulated effect lies within the band."""
        low, high = self.band
        return (low is None or simulated >= low) and (high is None or simulated <= high)


class Evaluation(Strict):
    """One published evaluation: its setting, the reform as a scenario pair, what it measured."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)
    label: str = Field("", max_length=64, description="its name for readers, as tables and plots print it: the "
                       "reform, the place and the short citation (the id if empty)")
    set: SetName
    batch: Literal[1, 2] = Field(1, description="the registration batch: 1, split by the file's rule; 2, the second "
                                 "held-out batch, registered later, held-out only")
    family: Literal[FAMILIES]
    year: int | None = Field(ge=1990, le=2100, description="publication year (null: not shown)")
    citation: str = Field(min_length=10)
    setting: str = Field(min_length=3)
    design: Literal[DESIGNS]
    period: Period
    control: Arm = Field(default_factory=Arm)
    treated: Arm = Field(default_factory=Arm)
    overrides: dict[str, Any] = Field(default_factory=dict, description="model parameters both arms share")
    outcomes: list[Outcome] = Field(default_factory=list)
    not_expressible: list[str] = Field(default_factory=list)
    notes: str = ""

    @model_validator(mode="after")
    def _says_what_it_measures(self) -> "Evaluation":
        if not self.outcomes and not self.not_expressible:
            raise ValueError("an evaluation without outcomes says why (not_expressible)")
        if self.outcomes and self.control == self.treated:
            raise ValueError("the treated arm is the control arm: no reform to measure")
        if self.batch == 2 and self.set != HELD_OUT:
            raise ValueError("the second batch is held-out only: its entries were registered after fitting began")
        return self

    @property
    def publication(self) -> str:
        """The publication an evaluation comes from: the first part of its id (split rule 1)."""
        return self.id.split("-")[0]


class EvaluationFile(Strict):
    evaluations: list[Evaluation] = Field(min_length=1)


def is_evaluation_file(doc: Any) -> bool:
    return isinstance(doc, dict) and "evaluations" in doc


def load_evaluations(path: str | Path, schemas: Mapping[str, type[BaseModel]]) -> list[Evaluation]:
    """Read and check an evaluations file, both sets; every problem at once (file:line). Not for fitting
    code, which reads ``training_evaluations`` only."""
    file = str(path)
    doc = read_yaml(Path(path))
    evaluations = validate_model(EvaluationFile, doc, file).evaluations
    nodes = doc["evaluations"]
    problems: list[Problem] = []
    first: dict[str, int] = {}
    publication_set: dict[str, tuple[str, str]] = {}
    for i, evaluation in enumerate(evaluations):
        node = nodes[i]
        problems += _identity_problems(evaluation, i, node, file, first, publication_set, evaluations)
        for arm in ("control", "treated"):
            problems += _arm_problems(getattr(evaluation, arm), i, arm, node, file, schemas)
        problems += _override_problems(evaluation.overrides, i, node, file)
        for j, outcome in enumerate(evaluation.outcomes):
            named = [outcome.indicator] if isinstance(outcome.indicator, str) else outcome.indicator
            for key, names in (("indicator", named), ("of", outcome.of or [])):
                problems += unknown_indicators(names, file, node, ("outcomes", j, key),
                                               f"evaluations[{i}].outcomes[{j}].{key}")
    if problems:
        raise ConfigError(problems)
    return evaluations


def training_evaluations(schemas: Mapping[str, type[BaseModel]], path: str | Path = EVALUATIONS_FILE
                         ) -> list[Evaluation]:
    """The training set: the only evaluations fitting code may read. A held-out entry is never returned."""
    training = [e for e in load_evaluations(path, schemas) if e.set == TRAINING]
    assert all(e.set != HELD_OUT for e in training)  # the guarantee fitting code relies on, said twice
    return training


def held_out_evaluations(schemas: Mapping[str, type[BaseModel]], path: str | Path = EVALUATIONS_FILE
                         ) -> list[Evaluation]:
    """The held-out set, for checking a fit after it is made. Fitting code must never call this."""
    return [e for e in load_evaluations(path, schemas) if e.set == HELD_OUT]


def _identity_problems(evaluation: Evaluation, i: int, node: Any, file: str, first: dict[str, int],
                       publication_set: dict[str, tuple[str, str]], evaluations: list[Evaluation]) -> list[Problem]:
    """A duplicate id (or one listed in both sets), and a publication whose evaluations span both sets."""
    problems = []
    if evaluation.id in first:
        earlier = evaluations[first[evaluation.id]]
        line, _ = line_of(node, ("id",))
        both = f" and is listed in both sets ({earlier.set}, {evaluation.set})" if earlier.set != evaluation.set else ""
        problems.append(Problem(file, line or 1, f"evaluations[{i}].id", f"duplicate id {evaluation.id!r} (first "
                                f"as evaluations[{first[evaluation.id]}]){both}"))
        return problems
    first[evaluation.id] = i
    known = publication_set.setdefault(evaluation.publication, (evaluation.set, evaluation.id))
    if known[0] != evaluation.set:
        line, _ = line_of(node, ("set",))
        problems.append(Problem(file, line or 1, f"evaluations[{i}].set",
                                f"{evaluation.set!r}, but {known[1]!r} of the same publication "
                                f"({evaluation.publication!r}) is {known[0]!r}: one publication, one set"))
    return problems


def _arm_problems(arm: Arm, i: int, name: str, node: Any, file: str,
                  schemas: Mapping[str, type[BaseModel]]) -> list[Problem]:
    """An arm's package must be shipped, and its interventions valid for their registered types."""
    arm_node = node.get(name) if hasattr(node, "get") else None
    problems = []
    if arm.policy is not None and arm.policy not in shipped_policies():
        line, _ = line_of(node, (name, "policy"))
        problems.append(Problem(file, line or 1, f"evaluations[{i}].{name}.policy",
                                f"no shipped policy package {arm.policy!r}{did_you_mean(arm.policy, shipped_policies())}"))
    entries_node = arm_node.get("interventions") if hasattr(arm_node, "get") else None
    problems += validate_interventions(arm.interventions, file, entries_node,
                                       ("evaluations", i, name, "interventions"), schemas)
    for j, entry in enumerate(arm.interventions):
        if isinstance(entry, dict) and "counties" in entry:  # else found only in the experiment it becomes
            line, _ = line_of(entries_node, (j, "counties")) if entries_node is not None else (None, 0)
            problems.append(Problem(file, line or 1, f"evaluations[{i}].{name}.interventions[{j}].counties",
                                    "an evaluation runs in one synthetic county: leave `counties` out"))
    return problems


def _override_problems(overrides: dict[str, Any], i: int, node: Any, file: str) -> list[Problem]:
    """Overrides must be valid model parameters (laid over the defaults)."""
    if not overrides:
        return []
    try:
        ModelParameters.model_validate(deep_merge(ModelParameters().model_dump(mode="json"), overrides))
    except ValidationError as exc:
        return problems_from(exc, file, [(node.get("overrides"), ("evaluations", i, "overrides"))])
    return []
