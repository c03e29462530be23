"""Belief updating: perceived quality of each facility level moves toward experienced outcomes.

Residents learn from their own care (a fast rate) and from their village's word of mouth (a slow,
monthly rate), so a real change in quality takes years to show in patient flows.
"""

from __future__ import annotations

import numba
import numpy as np


def learn_from_outcomes(belief: np.ndarray, resident: np.ndarray, level: np.ndarray, outcome: np.ndarray,
                        rate: float, unique: bool = False) -> None:
    """belief[i, level] += rate × (outcome − belief[i, level]) for each experience (in place).

    Several experiences of one resident at one level in a week are averaged before the update; a caller
    that knows every (resident, level) pair is unique says ``unique=True`` and skips the grouping."""
    if len(resident) == 0:
        return
    n_levels = belief.shape[1]
    key = resident * n_levels + level
    flat = belief.reshape(-1)
    if unique:
        flat[key] += (rate * (outcome - flat[key])).astype(belief.dtype)
        return
    uniq, inv, count = np.unique(key, return_inverse=True, return_counts=True)
    mean_outcome = np.bincount(inv, weights=outcome, minlength=len(uniq)) / count
    flat[uniq] += (rate * (mean_outcome - flat[uniq])).astype(belief.dtype)


def word_of_mouth(belief: np.ndarray, village: np.ndarray, successes: np.ndarray, trials: np.ndarray,
                  rate: float) -> None:
    """Pull every resident's belief toward the village's recent success rate at each level (in place).

    ``successes`` and ``trials`` are (villages, levels) counts since the last exchange; a village that
    heard nothing of a level keeps its residents' beliefs about it."""
    heard = trials > 0
    village_rate = np.where(heard, successes / np.maximum(trials, 1), 0.0)
    _pull_toward(belief, village, village_rate, heard, rate)


@numba.njit(cache=True, nogil=True)
def _pull_toward(belief: np.ndarray, village: np.ndarray, village_rate: np.ndarray, heard: np.ndarray,
                 rate: float) -> None:
    # float32 beliefs move by a float64 step rounded to float32, as the array expression
    # ``col += (rate * (village_rate[village] - col)).astype(np.float32)`` would.
    for i in range(len(village)):
        v = village[i]
        for level in range(belief.shape[1]):
            if heard[v, level]:
                belief[i, level] += np.float32(rate * (village_rate[v, level] - belief[i, level]))
