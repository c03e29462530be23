"""Care-seeking choice: a multinomial logit over the options a resident can reach.

Column 0 of every utility matrix is self-care (no visit); columns 1…K are the village's facility options
in the order of ``Region.options``. An infeasible option has utility −inf and probability 0. The choice
is drawn by inverting the cumulative logit probabilities with one uniform per episode, so the same
uniform under two policies picks "nearby" options (common random numbers).
"""

from __future__ import annotations

import numpy as np

SELF_CARE = -1


def choice_probabilities(utility: np.ndarray) -> np.ndarray:
    """Row-wise softmax; rows that are all −inf get all-zero probabilities."""
    top = np.max(utility, axis=1, keepdims=True)
    finite = np.isfinite(top)
    expu = np.exp(utility - np.where(finite, top, 0.0))
    expu[~np.broadcast_to(finite, expu.shape)] = 0.0
    total = expu.sum(axis=1, keepdims=True)
    return np.divide(expu, total, out=np.zeros_like(expu), where=total > 0)


def choose(utility: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index of the chosen column per row (−1 where nothing is feasible): the first column whose
    cumulative (unnormalised) weight exceeds ``u`` times the row's total."""
    top = np.max(utility, axis=1, keepdims=True)
    weight = np.exp(utility - np.where(np.isfinite(top), top, 0.0))
    cum = np.cumsum(weight, axis=1)
    pick = (cum <= u[:, None] * cum[:, -1:]).sum(axis=1)
    pick = np.minimum(pick, utility.shape[1] - 1)
    pick[cum[:, -1] <= 0] = -1
    return pick


def wait_days(base_wait: np.ndarray, load: np.ndarray, crowding_days: float) -> np.ndarray:
    """Expected outpatient wait per facility from last week's load (demand ÷ capacity)."""
    return base_wait + crowding_days * np.clip((load - 0.7) / 0.3, 0.0, 1.0)
