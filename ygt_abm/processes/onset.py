"""Illness onset: which residents start a care-seeking episode this week, of which type, how severe;
and which serious onsets of chronic patients a chronic-disease management policy prevents (医防融合).

Onsets depend only on the population and the ``onset``/``severity`` streams, never on policy, so two
scenarios with the same seed see exactly the same illnesses (common random numbers). Prevention draws
from its own stream (``prevention``) and only ends episodes, so it never shifts another draw.
"""

from __future__ import annotations

import zlib

import numpy as np

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
        pop = model.population
        self.group = (2 * pop.age_band + pop.has_chronic).astype(np.int8)
        self.table = weekly_onset_table(model.params.illness)
        self.total = self.table[self.group, -1].astype(np.float32)  # P(any onset) a week
        self.digest = 0  # a running fingerprint of every onset: equal across scenarios that share a seed

    def start_week(self, model, week) -> None:
        """New episodes, their type and severity; prevented serious onsets of managed chronic patients."""
        pop, streams = model.population, model.streams
        res, kind = draw_onsets(self.group, self.table, streams.weekly("onset", week.index), self.total)
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


def draw_onsets(group: np.ndarray, table: np.ndarray, rng: np.random.Generator,
                total: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(resident indices, episode types) of this week's new episodes, in resident order.

    ``total`` (each resident's weekly onset probability, ``table[group, -1]``) may be precomputed."""
    u = rng.random(len(group), dtype=np.float32)
    sick = np.flatnonzero(u < (table[group, -1] if total is None else total))
    cum = table[group[sick]]
    kind = (u[sick, None] >= cum).sum(axis=1).astype(np.int8)
    return sick.astype(np.int64), kind


def draw_severity(kind: np.ndarray, params: IllnessParams, rng: np.random.Generator) -> np.ndarray:
    """Severity in (0, 1) per episode, Beta-distributed by type."""
    a, b = params.severity_alpha.array()[kind], params.severity_beta.array()[kind]
    return rng.beta(a, b).astype(np.float32)
