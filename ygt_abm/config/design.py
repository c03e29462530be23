"""Sweep points: the cartesian grid of a ``sweep``, the ``samples`` of a design (quasi-random, or a Morris
or Saltelli design for sensitivity indices, drawn by SALib), or the members of a calibrated ``ensemble``.

Every point is a named set of parameter values (dotted names) laid over each scenario's parameters.
Samples are drawn from the experiment's root seed, so the design is the same on every machine.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ygt_abm.config.experiment import MAX_RUNS, Experiment, deep_merge, nested

if TYPE_CHECKING:  # numpy is imported where samples are drawn: a grid, an ensemble or one point need none
    import numpy as np

BASE = "base"


#: a design's name for a lever strength: ``levers.<intervention type>.<parameter>`` sets that parameter of
#: every intervention of that type a scenario has (a package's lever strengths, for sensitivity)
LEVER_PREFIX = "levers."
#: a design's name for where in their ranges a type's assumed lever strengths sit: ``lever_quantile.<type>`` = q
#: (0–1) sets every ranged parameter of that type's interventions (their ``ranges``) to the value at q, counted
#: from the range's end nearer no change (``within_range``)
LEVER_QUANTILE_PREFIX = "lever_quantile."


class EnsembleSizeError(ValueError):
    """An experiment asks for more members than its ensemble file holds."""


@dataclass(frozen=True)
class Point:
    name: str
    values: dict[str, Any] = field(default_factory=dict)
    #: (root seed, member): the point draws where its interventions' assumed strengths sit in their ranges
    #: (``lever_uncertainty``), one quantile per intervention type, the same for every scenario
    lever_draw: tuple[int, int] | None = None

    def overrides(self) -> dict[str, Any]:
        """The point's model-parameter values, as a nested mapping (lever strengths left out)."""
        merged: dict[str, Any] = {}
        for dotted, value in self.values.items():
            if not dotted.startswith((LEVER_PREFIX, LEVER_QUANTILE_PREFIX)):
                merged = deep_merge(merged, nested(dotted, value))
        return merged

    def lever_quantile(self, kind: str) -> float | None:
        """Where the point puts the assumed strengths of ``kind``'s interventions in their ranges (None: as
        given): the design's ``lever_quantile.<kind>``, else the point's own draw."""
        if f"{LEVER_QUANTILE_PREFIX}{kind}" in self.values:
            return float(self.values[f"{LEVER_QUANTILE_PREFIX}{kind}"])
        if self.lever_draw is None:
            return None
        import numpy as np

        from ygt_abm.streams import stable_hash

        seed, member = self.lever_draw
        sequence = np.random.SeedSequence(seed, spawn_key=(0, stable_hash("lever-draws"), member, stable_hash(kind)))
        return float(np.random.default_rng(sequence).random())

    def lever_quantiles(self, kinds) -> dict[str, float]:
        """Intervention type → the quantile the point puts its ranged strengths at, for ``kinds`` it sets."""
        return {kind: q for kind in sorted(set(kinds)) if (q := self.lever_quantile(kind)) is not None}

    def lever_overrides(self) -> dict[str, dict[str, Any]]:
        """Intervention type → the nested parameter values the point gives its interventions."""
        levers: dict[str, dict[str, Any]] = {}
        for dotted, value in self.values.items():
            if dotted.startswith(LEVER_PREFIX):
                kind, _, parameter = dotted[len(LEVER_PREFIX):].partition(".")
                levers[kind] = deep_merge(levers.get(kind, {}), nested(parameter, value))
        return levers

    def apply_to(self, interventions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``interventions`` (specs) with their ranged strengths at the point's quantile, and the point's
        lever strengths laid over those of their type."""
        levers = self.lever_overrides()
        return [deep_merge(spec, levers[spec.get("type")]) if spec.get("type") in levers else spec
                for spec in map(self._within_ranges, interventions)]

    def _within_ranges(self, spec: dict[str, Any]) -> dict[str, Any]:
        ranges = spec.get("ranges") or {}
        quantile = self.lever_quantile(spec.get("type")) if ranges else None
        if quantile is None:
            return spec
        drawn = spec
        for path, (low, high) in ranges.items():
            given = value_at(spec, path)
            value = within_range(float(low), float(high), quantile, isinstance(given, int) and not isinstance(given, bool))
            drawn = deep_merge(drawn, nested(path, value))
        return drawn


def design_points(experiment: Experiment) -> list[Point]:
    """``[base]`` without sweep or samples; else one point per grid combination or sample."""
    if experiment.sweep:
        names = list(experiment.sweep)
        combos = itertools.product(*(experiment.sweep[n] for n in names))
        return [Point(f"g{i:04d}", dict(zip(names, combo))) for i, combo in enumerate(combos)]
    if experiment.samples:
        s = experiment.samples
        names = list(s.bounds)
        import numpy as np

        from ygt_abm.streams import Streams

        rng = Streams(experiment.seed).get("samples")
        if s.sensitivity():
            values = sensitivity_samples(s, rng)
        else:
            unit = _unit_samples(s.method, s.n, len(names), rng)
            low = np.array([s.bounds[n][0] for n in names])
            high = np.array([s.bounds[n][1] for n in names])
            values = low + unit * (high - low)
        return [Point(f"s{i:04d}", {n: float(v) for n, v in zip(names, row)}) for i, row in enumerate(values)]
    if experiment.ensemble:
        members = ensemble_members(experiment.ensemble)
        if experiment.ensemble_size and experiment.ensemble_size > len(members):
            raise EnsembleSizeError(f"ensemble_size {experiment.ensemble_size} is more than the {len(members)} "
                                    f"members of {experiment.ensemble}")
        members = members[:experiment.ensemble_size]
        runs = len(members) * len(experiment.scenarios) * experiment.replicates
        if runs > MAX_RUNS:
            raise ValueError(f"{len(members):,} members × {len(experiment.scenarios)} scenarios × "
                             f"{experiment.replicates} replicates = {runs:,} runs; an experiment has at most "
                             f"{MAX_RUNS:,} (ensemble_size runs the first members only)")
        draw = experiment.lever_uncertainty
        return [Point(f"e{i:04d}", flat(member), (experiment.seed, i) if draw else None)
                for i, member in enumerate(members)]
    return [Point(BASE)]


def within_range(low: float, high: float, quantile: float, integer: bool) -> float | int:
    """The value at ``quantile`` (0–1) of a lever strength's range, counted from the end nearer no change (0)
    to the far end, so that one quantile is one strength for every parameter of a type: a gap's rise at
    primary care ([0, 0.1]) and its cut outside the county ([-0.1, 0]) widen together. Uniform over the range,
    or over its whole numbers for an integer parameter."""
    near, far = (low, high) if abs(low) <= abs(high) else (high, low)
    if integer:
        whole = list(range(math.ceil(low), math.floor(high) + 1))
        whole = whole if near == low else whole[::-1]
        return whole[min(int(quantile * len(whole)), len(whole) - 1)]
    return near + quantile * (far - near)


def value_at(spec: dict[str, Any], path: str) -> Any:
    """The value at dotted ``path`` of a nested mapping (None where nothing is there)."""
    value: Any = spec
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def ensemble_members(path) -> list[dict[str, Any]]:
    """The parameter sets of an ensemble file (``ensemble:`` a list of nested parameter mappings), read as every
    config file is (size, nesting, aliases and duplicate keys refused: ``ConfigError`` with the file's line)."""
    from ygt_abm.config.files import read_yaml

    if not Path(path).is_file():  # reported at the experiment's `ensemble:` line, which names it
        raise FileNotFoundError(f"no ensemble file {path}")
    doc = read_yaml(path)
    members = doc.get("ensemble") if isinstance(doc, dict) else None
    if not isinstance(members, list) or not members or not all(isinstance(m, dict) for m in members):
        raise ValueError(f"{path}: expected `ensemble:` a non-empty list of parameter mappings (as ygt-abm "
                         "calibrate writes)")
    return members


def flat(nested_values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` → ``{"a.b": 1}``."""
    out: dict[str, Any] = {}
    for key, value in nested_values.items():
        name = f"{prefix}{key}"
        out.update(flat(value, name + ".") if isinstance(value, dict) else {name: value})
    return out


def salib_problem(samples) -> dict:
    """SALib's description of a design's parameters and bounds."""
    names = list(samples.bounds)
    return {"num_vars": len(names), "names": names, "bounds": [list(samples.bounds[n]) for n in names]}


def sensitivity_samples(samples, rng: np.random.Generator) -> np.ndarray:
    """(points, parameters) of a Morris or Saltelli design, drawn by SALib from ``rng``."""
    from SALib.sample import morris, sobol

    problem = salib_problem(samples)
    if samples.method == "morris":
        return morris.sample(problem, samples.n, num_levels=samples.levels, seed=rng)
    return sobol.sample(problem, samples.n, calc_second_order=samples.second_order, seed=rng)


def _unit_samples(method: str, n: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in the unit cube: independent uniforms, a Latin hypercube (one sample in each of n equal
    strata per dimension), or a scrambled Sobol sequence (low discrepancy; balanced when n is a power of 2)."""
    if method == "uniform":
        return rng.random((n, dims))
    from scipy.stats import qmc  # here, not at the top: half a second that loading a file without samples skips

    if method == "sobol":
        return qmc.Sobol(dims, scramble=True, rng=rng).random(n)
    return qmc.LatinHypercube(dims, rng=rng).random(n)
