"""Illness onset: which residents start a care-seeking episode this week, of which type, how severe.

Onsets depend only on the population and the ``onset``/``severity`` streams, never on policy, so two
scenarios with the same seed see exactly the same illnesses (common random numbers).
"""

from __future__ import annotations

import numpy as np

from ygt_abm.config.params import IllnessParams

from ygt_abm.vocabulary import AGE_BANDS, EPISODE_TYPES

MINOR, CHRONIC, SERIOUS, EMERGENCY = range(len(EPISODE_TYPES))
WEEKS_PER_YEAR = 52


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
