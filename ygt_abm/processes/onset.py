"""Illness onset: which residents start a care-seeking episode this week, of which type, how severe;
and which serious onsets of chronic patients a chronic-disease management policy prevents (医防融合).

Onsets depend only on the population and the ``onset``/``severity`` streams, never on policy, so two
scenarios with the same seed see exactly the same illnesses (common random numbers). Each resident's onset is
one uniform of the keyed ``onset`` stream (``state/episodes.splitmix64``, 53 bits), compared in one compiled
pass with the resident's group's cumulative weekly probabilities, which also give the type.
Prevention draws from its own stream (``prevention``) and only ends episodes, so it never shifts another draw.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numba
import numpy as np
from scipy.special import betaincinv

from ygt_abm.config.params import IllnessParams
from ygt_abm.processes.base import Process
from ygt_abm.state.episodes import Episodes, splitmix64
from ygt_abm.vocabulary import AGE_BANDS, FIRST_PREVENTED, PREVENTED, SERIOUS, WEEKS_PER_YEAR


class Onset(Process):
    """This week's new episodes; serious onsets of chronic patients prevented by chronic-disease management."""

    name = "onset"
    reads = ("chronic_complication_reduction",)
    writes = ("episodes",)

    def init(self, model) -> None:
        self.group = onset_group(model.population)
        self.bounds = onset_bounds(weekly_onset_table(model.params.illness))
        self.digest = 0  # a running fingerprint of every onset: equal across scenarios that share a seed

    def start_week(self, model, week) -> None:
        """New episodes, their type and severity; prevented serious onsets of managed chronic patients."""
        pop, streams = model.population, model.streams
        res, kind = draw_onsets(np.uint64(streams.key("onset", week.index)), self.group, self.bounds)
        severity = draw_severity(kind, model.params.illness, streams.weekly("severity", week.index))
        self.digest = zlib.crc32(severity.tobytes(), zlib.crc32(kind.tobytes(), zlib.crc32(
            res.tobytes(), self.digest)))
        week.episodes = ep = Episodes(res, kind, severity, pop.village[res], pop.county[res].astype(np.int64))
        prevent = model.levers.chronic_complication_reduction[ep.county]
        if prevent.any():
            u = streams.weekly("prevention", week.index).random(len(ep))
            prevented = np.flatnonzero((kind == SERIOUS) & pop.has_chronic[res] & (u < prevent))
            ep.end(prevented, PREVENTED)
            ep.first_level[prevented] = FIRST_PREVENTED


def weekly_onset_table(params: IllnessParams) -> np.ndarray:
    """Cumulative weekly onset probability by (age band × has-chronic group, episode type).

    Row ``2 * band + has_chronic``. At most one new episode per resident per week: the types compete
    for one uniform draw, so their yearly rates must stay well below 52."""
    rows = []
    for band in range(len(AGE_BANDS)):
        for chronic in (0, 1):
            yearly = np.array([
                params.minor_incidence.array()[band],
                params.chronic_followups_per_year * chronic,
                params.serious_incidence.array()[band],
                params.emergency_incidence.array()[band],
            ])
            rows.append(np.cumsum(yearly / WEEKS_PER_YEAR))
    table = np.array(rows)
    if table[:, -1].max() >= 1.0:
        raise ValueError("weekly onset probabilities sum to ≥1; yearly incidences are too high")
    return table


def onset_group(population) -> np.ndarray:
    """Each resident's onset group, int8: row ``2 * band + has_chronic`` of the onset table."""
    return (2 * population.age_band.astype(np.int8) + population.has_chronic).astype(np.int8)


def onset_bounds(table: np.ndarray) -> np.ndarray:
    """The onset table as 53-bit integer bounds: z < ⌈p × 2⁵³⌉ exactly when z × 2⁻⁵³ < p, for integer z."""
    return np.ceil(table * 2.0**53).astype(np.uint64)


@numba.njit(cache=True, nogil=True)
def draw_onsets(key: np.uint64, group: np.ndarray, bounds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(resident indices, episode types) of this week's new episodes, in resident order.

    Resident i falls ill if its uniform u_i = z_i × 2⁻⁵³ (z_i the top 53 bits of SplitMix64 output i from
    ``key``) is below its group's weekly onset probability, at most once a week; its type is then the number
    of the group's cumulative probabilities at or below u_i. ``bounds``: ``onset_bounds`` of the onset table, so
    the comparisons are integer. One pass over the residents, none of them sorted."""
    n_types = bounds.shape[1]
    resident = np.empty(len(group), dtype=np.int64)
    kind = np.empty(len(group), dtype=np.int8)
    ill = 0
    for i in range(len(group)):
        z = splitmix64(key, np.uint64(i)) >> _S11
        row = bounds[group[i]]
        if z < row[n_types - 1]:
            t = 0
            while z >= row[t]:
                t += 1
            resident[ill] = i
            kind[ill] = t
            ill += 1
    return resident[:ill].copy(), kind[:ill].copy()


#: Cells of the severity quantile table; in the outer ``EXACT_TAIL_CELLS`` at each end, where a Beta quantile
#: function is steep, the draw is inverted exactly. Elsewhere linear interpolation is within 2e-5 of the exact
#: quantile for the default parameters (tests/test_onset.py).
SEVERITY_CELLS, EXACT_TAIL_CELLS = 16_384, 16
_S11 = np.uint64(11)


def draw_severity(kind: np.ndarray, params: IllnessParams, rng: np.random.Generator) -> np.ndarray:
    """Severity in [0, 1] per episode, Beta(α, β) by type, by inverting its distribution function at one uniform
    per episode: a quantile table interpolated linearly, exact in the tails (about 6 times faster than ``rng.beta``
    for the 121,000 episodes of a week at 1M residents)."""
    alpha, beta = params.severity_alpha.array(), params.severity_beta.array()
    u = rng.random(len(kind))
    severity = interpolated_quantiles(severity_quantiles(tuple(alpha), tuple(beta)), kind, u)
    edge = EXACT_TAIL_CELLS / SEVERITY_CELLS
    tail = np.flatnonzero((u < edge) | (u >= 1.0 - edge))
    severity[tail] = betaincinv(alpha[kind[tail]], beta[kind[tail]], u[tail])
    return severity


@lru_cache(maxsize=8)
def severity_quantiles(alpha: tuple[float, ...], beta: tuple[float, ...]) -> np.ndarray:
    """(type, ``SEVERITY_CELLS`` + 1) quantiles of each type's Beta(α, β) at u = j / ``SEVERITY_CELLS``."""
    u = np.linspace(0.0, 1.0, SEVERITY_CELLS + 1)
    return np.array([betaincinv(a, b, u) for a, b in zip(alpha, beta)])


@numba.njit(cache=True, nogil=True)
def interpolated_quantiles(table: np.ndarray, kind: np.ndarray, u: np.ndarray) -> np.ndarray:
    """float32 quantile of row ``kind[i]`` of ``table`` at ``u[i]``, linear between the table's points."""
    cells = table.shape[1] - 1
    out = np.empty(len(u), dtype=np.float32)
    for i in range(len(u)):
        x = u[i] * cells
        j = min(int(x), cells - 1)
        q = table[kind[i]]
        out[i] = np.float32(q[j] + (x - j) * (q[j + 1] - q[j]))
    return out
