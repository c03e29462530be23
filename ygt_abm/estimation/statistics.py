"""What an estimation fits: the summary statistics a particle's runs yield, what each should be, and the
distance of a particle's statistics from the published figures.

Two sources of statistics:

- **baseline targets** (configs/calibration/targets.yaml, the roles the calibration names): the simulated
  mean over a particle's baseline runs, against the target value and its tolerance, as the Optuna
  calibration measures them (``experiment_fit``). Elasticity targets are measured where the calibration
  experiment has scenarios that raise one price (as ``experiments/price-elasticities.yaml``), else left out.
- **training evaluations** (``training_evaluations``): each outcome's simulated effect (treated − control,
  paired by replicate), against the published band.

The distance of one statistic:

- a baseline target: ((simulated − target) ÷ tolerance)², as the Optuna calibration's loss, so 1 is the
  edge of the tolerance;
- an evaluation outcome: 0 inside its band; outside, (distance to the nearest edge ÷ the band's
  half-width)², so a simulated effect one half-width beyond the edge costs what a target one tolerance off
  does. A band open on one side (only the sign is established) has no width: its scale is the published
  estimate's size where the estimate is on the effect's own scale (no ``scale`` note); otherwise (no
  estimate, or one on another scale, such as an interrupted time series' change in monthly trend) the wrong
  sign costs 1, whatever its size, since the publication says nothing about how far in the model's terms.

A particle's distance is the mean of two means, so that each source weighs the same however many figures it
has: the mean over the baseline targets, and the mean over the training evaluations of the mean over each
evaluation's outcomes (one publication's many outcomes do not outweigh another's one). Without evaluations,
the distance is the baseline mean alone. A statistic a particle's runs cannot measure (not a finite number, e.g. a relative effect
on a control of zero) costs ``UNMEASURED``: such a particle is never accepted once the threshold is finite.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ygt_abm.config.evaluations import Evaluation

BASELINE, EVALUATION = "baseline", "evaluation"
#: the distance of a statistic the runs did not yield (NaN): far beyond any tolerance or band
UNMEASURED = 1e6


@dataclass(frozen=True)
class Statistic:
    """One summary statistic and what it should be: a target value ± tolerance, or a published band."""

    key: str  # the name it has in a particle's statistics and in pyabc's history
    source: Literal["baseline", "evaluation"]
    group: str  # the target's name, or the evaluation's id (its outcomes are averaged first)
    low: float | None  # the acceptable range: target − tolerance, or the band's low end (None: open)
    high: float | None
    value: float | None  # the target, or the published estimate (None: only a sign)
    scale: float | None  # tolerance, band half-width or |estimate|; None: a sign band without an estimate
    label: str  # what a reader sees in the tables

    def within(self, simulated: float) -> bool:
        """Whether ``simulated`` lies within the tolerance or the band."""
        if simulated is None or not math.isfinite(simulated):
            return False
        return (self.low is None or simulated >= self.low) and (self.high is None or simulated <= self.high)

    def distance(self, simulated: float) -> float:
        """This statistic's share of the distance (see the module docstring)."""
        if simulated is None or not math.isfinite(simulated):
            return UNMEASURED
        if self.source == BASELINE:
            return ((simulated - self.value) / self.scale) ** 2
        if self.within(simulated):
            return 0.0
        if self.scale is None:
            return 1.0
        edge = self.low if self.low is not None and simulated < self.low else self.high
        return (abs(simulated - edge) / self.scale) ** 2


def target_key(name: str) -> str:
    return f"target: {name}"


def outcome_key(evaluation: str, index: int) -> str:
    return f"effect: {evaluation} [{index}]"


def target_statistics(targets: Sequence, roles: Sequence[str],
                      elasticities: Collection[tuple[str, str]] = ()) -> list[Statistic]:
    """The baseline targets of ``roles`` a particle's baseline runs measure, as statistics: an elasticity
    target only where its (kind, level) is among the ``elasticities`` the runs measure (a scenario that
    raises that price)."""
    return [Statistic(target_key(t.name), BASELINE, t.name, t.value - t.tolerance, t.value + t.tolerance, t.value,
                      t.tolerance, t.name)
            for t in targets if t.role in roles
            and (t.measure != "elasticity" or (t.kind, t.level) in elasticities)]


def outcome_statistics(evaluations: Sequence[Evaluation]) -> list[Statistic]:
    """Every outcome of the given evaluations, as a statistic with its band."""
    found = []
    for evaluation in evaluations:
        for i, outcome in enumerate(evaluation.outcomes):
            low, high = outcome.band
            if low is not None and high is not None:
                scale = (high - low) / 2
            else:  # a sign band: the estimate sets the scale only if it is on the effect's own scale
                scale = abs(outcome.estimate) if outcome.estimate and not outcome.scale else None
            named = [outcome.indicator] if isinstance(outcome.indicator, str) else outcome.indicator
            label = " + ".join(named) + (f" of ({' + '.join(outcome.of)})" if outcome.of else "")
            found.append(Statistic(outcome_key(evaluation.id, i), EVALUATION, evaluation.id, low, high,
                                   outcome.estimate, scale, f"{evaluation.id}: {outcome.effect} {label}"))
    return found


class Distance:
    """A particle's distance from the published figures (the module docstring): pyabc calls it as
    ``distance(x, x_0)`` with a particle's statistics ``x``; the observed ``x_0`` is not needed, as every
    statistic carries its own target or band. A plain class, so a Dask worker can unpickle it."""

    def __init__(self, statistics: Sequence[Statistic]) -> None:
        self.statistics = list(statistics)

    def parts(self, simulated: Mapping[str, float]) -> dict[str, float]:
        """The distance of each source: ``baseline`` and ``evaluation`` (a source without statistics is absent)."""
        baseline = [s.distance(simulated.get(s.key, math.nan)) for s in self.statistics if s.source == BASELINE]
        groups: dict[str, list[float]] = {}
        for s in self.statistics:
            if s.source == EVALUATION:
                groups.setdefault(s.group, []).append(s.distance(simulated.get(s.key, math.nan)))
        parts = {}
        if baseline:
            parts[BASELINE] = sum(baseline) / len(baseline)
        if groups:
            parts[EVALUATION] = sum(sum(g) / len(g) for g in groups.values()) / len(groups)
        return parts

    def __call__(self, simulated: Mapping[str, float], observed: Mapping[str, float] | None = None) -> float:
        parts = self.parts(simulated)
        if not parts:
            raise ValueError("no statistic to fit: no baseline target of the roles and no evaluation outcome")
        return sum(parts.values()) / len(parts)


def observed(statistics: Sequence[Statistic]) -> dict[str, float]:
    """What pyabc records as the observed data: each target value, or the published estimate (else the band's
    middle or its closed end); for the record only, as the distance reads the bands itself."""
    found = {}
    for s in statistics:
        if s.value is not None:
            found[s.key] = float(s.value)
        elif s.low is not None and s.high is not None:
            found[s.key] = (s.low + s.high) / 2
        else:
            found[s.key] = float(s.low if s.low is not None else s.high)
    return found
