"""Illness onset: which residents start a care-seeking episode this week, of which type, how severe;
and which serious onsets of chronic patients a chronic-disease management policy prevents (医防融合).

Onsets depend only on the population and the ``onset``/``severity`` streams, never on policy, so two
scenarios with the same seed see exactly the same illnesses (common random numbers). Only the residents who
fall ill are drawn for: per age band × chronic group, how many (binomial), which (without replacement) and
with which type, so a week's draws follow its episodes, not the population's size. Prevention draws
from its own stream (``prevention``) and only ends episodes, so it never shifts another draw.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numba
import numpy as np
from scipy.special import betaincinv

from ygt_abm.config.params import IllnessParams
from ygt_abm.processes.base import Process
from ygt_abm.state.episodes import Episodes
from ygt_abm.vocabulary import AGE_BANDS, FIRST_PREVENTED, PREVENTED, SERIOUS, WEEKS_PER_YEAR


class Onset(Process):
    """This week's new episodes; serious onsets of chronic patients prevented by chronic-disease management."""

    name = "onset"
    reads = ("chronic_complication_reduction",)
    writes = ("episodes",)

    def init(self, model) -> None:
        self.members = onset_groups(model.population)
        self.table = weekly_onset_table(model.params.illness)
        self.digest = 0  # a running fingerprint of every onset: equal across scenarios that share a seed

    def start_week(self, model, week) -> None:
        """New episodes, their type and severity; prevented serious onsets of managed chronic patients."""
        pop, streams = model.population, model.streams
        res, kind = draw_onsets(self.members, self.table, streams.weekly("onset", week.index))
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


def onset_groups(population) -> list[np.ndarray]:
    """The residents of each onset group (row ``2 * band + has_chronic`` of the onset table), int32, ascending."""
    group = 2 * population.age_band.astype(np.int64) + population.has_chronic
    return [np.flatnonzero(group == g).astype(np.int32) for g in range(2 * len(AGE_BANDS))]


def draw_onsets(members: list[np.ndarray], table: np.ndarray,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(resident indices, episode types) of this week's new episodes, in resident order.

    Each resident of group g falls ill with probability ``table[g, -1]``, at most once a week; the type then
    follows the group's cumulative ``table[g]``. Drawn per group: the number ill (binomial), who (without
    replacement) and each one's type, so the work follows the episodes, not the population."""
    n_types = table.shape[1]
    keys = []
    for g, residents in enumerate(members):
        cumulative = table[g]
        total = cumulative[-1]
        ill = residents[rng.choice(len(residents), size=rng.binomial(len(residents), total), replace=False)]
        kind = np.searchsorted(cumulative, rng.random(len(ill)) * total, side="right")
        keys.append(ill.astype(np.int64) * n_types + np.minimum(kind, n_types - 1))
    key = np.sort(np.concatenate(keys))  # resident order: the same whatever the groups
    return key // n_types, (key % n_types).astype(np.int8)


#: Cells of the severity quantile table; in the outer ``EXACT_TAIL_CELLS`` at each end, where a Beta quantile
#: function is steep, the draw is inverted exactly. Elsewhere linear interpolation is within 2e-5 of the exact
#: quantile for the default parameters (tests/test_onset.py).
SEVERITY_CELLS, EXACT_TAIL_CELLS = 16_384, 16


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
