"""Learning: perceived quality of each facility level moves toward experienced outcomes.

Residents learn from their own care (a fast rate) and from their village's word of mouth (a slow,
monthly rate), so a real change in quality takes years to show in patient flows. Their starting belief
is the quality they would experience at baseline, so the baseline starts settled.
"""

from __future__ import annotations

import numba
import numpy as np

from ygt_abm.config.params import ModelParameters
from ygt_abm.processes.base import Process
from ygt_abm.processes.treatment import success_probability
from ygt_abm.vocabulary import N_LEVELS


class Learning(Process):
    """Residents update perceived quality from their own outcomes, and monthly from their village."""

    name = "learning"
    needs = ("treatment",)
    writes = ("population.belief",)

    def init(self, model) -> None:
        shape = (model.region.n_villages, N_LEVELS)
        self.heard_success, self.heard_trials = np.zeros(shape), np.zeros(shape)

    def invariants(self, model, week=None):
        belief = model.population.belief
        if (belief < 0).any() or (belief > 1).any():
            yield "a perceived quality left [0, 1]"

    def end_week(self, model, week) -> None:
        """Beliefs move toward own outcomes; monthly toward the village's (word of mouth)."""
        pop, beliefs = model.population, model.params.beliefs
        if week.experiences:
            res, level, ok, village = (np.concatenate(parts) for parts in zip(*week.experiences))
            # A resident meets a level at most once a week (after a failure the episode moves up), unless a
            # provider kept the failed case for a second try (留治): then the week's outcomes there are averaged.
            learn_from_outcomes(pop.belief, res, level, ok, beliefs.own_experience_rate,
                                unique=not model.practice.keeps_failed_care())
            heard = village * N_LEVELS + level
            size = self.heard_trials.size
            self.heard_trials += np.bincount(heard, minlength=size).reshape(self.heard_trials.shape)
            self.heard_success += np.bincount(heard, weights=ok, minlength=size).reshape(self.heard_success.shape)
        if (week.index + 1) % beliefs.word_of_mouth_weeks == 0:
            word_of_mouth(pop.belief, pop.village, self.heard_success, self.heard_trials, beliefs.word_of_mouth_rate)
            self.heard_success[:] = 0
            self.heard_trials[:] = 0


def starting_belief(params: ModelParameters, rng: np.random.Generator) -> np.ndarray:
    """Mean success a resident would experience at each level at baseline, weighting episode types by
    how often they occur."""
    ill = params.illness
    weight = np.array([ill.minor_incidence.array().mean(),
                       ill.chronic_followups_per_year * params.beliefs.prior_chronic_weight,
                       ill.serious_incidence.array().mean(), ill.emergency_incidence.array().mean()])
    quality = np.zeros(N_LEVELS)
    cap = params.care.capability()
    for level in range(N_LEVELS):
        in_scope = cap[level] > 0
        total = 0.0
        for t in np.flatnonzero(in_scope):
            sev = rng.beta(ill.severity_alpha.array()[t], ill.severity_beta.array()[t], 4000)
            total += weight[t] * success_probability(cap[level, t], sev, params.care.success_slope).mean()
        quality[level] = total / weight[in_scope].sum()
    return quality


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
        _move_toward(flat, key, outcome, rate)
        return
    ordered = np.sort(key)
    _average_toward(flat, key, outcome, rate, np.unique(ordered[1:][ordered[1:] == ordered[:-1]]))


def word_of_mouth(belief: np.ndarray, village: np.ndarray, successes: np.ndarray, trials: np.ndarray,
                  rate: float) -> None:
    """Pull every resident's belief toward the village's recent success rate at each level (in place).

    ``successes`` and ``trials`` are (villages, levels) counts since the last exchange; a village that
    heard nothing of a level keeps its residents' beliefs about it."""
    heard = trials > 0
    village_rate = np.where(heard, successes / np.maximum(trials, 1), 0.0)
    _pull_toward(belief, village, village_rate, heard, rate)


@numba.njit(cache=True, nogil=True)
def _move_toward(flat: np.ndarray, key: np.ndarray, outcome: np.ndarray, rate: float) -> None:
    # float32 beliefs, each met once: the same rounding as ``flat[key] += (rate * (outcome - flat[key]))
    # .astype(np.float32)``, without its gather, temporaries and scatter.
    for j in range(len(key)):
        flat[key[j]] += np.float32(rate * (outcome[j] - flat[key[j]]))


@numba.njit(cache=True, nogil=True)
def _average_toward(flat: np.ndarray, key: np.ndarray, outcome: np.ndarray, rate: float, repeated: np.ndarray) -> None:
    # ``repeated``: the keys met more than once, sorted (few: a provider kept a failed case, 留治, tried again at the
    # level). Their outcomes are summed from 0.0 in experience order and divided by their count, as ``np.bincount``
    # over ``np.unique``'s inverse sums them; every belief moves once, rounded as in ``_move_toward``. A 4,096-bit
    # filter of the repeated keys spares the search for nearly every key met once.
    filter_bits = np.zeros(4096, dtype=np.bool_)
    for k in repeated:
        filter_bits[k & 4095] = True
    total, count = np.zeros(len(repeated)), np.zeros(len(repeated), dtype=np.int64)
    for j in range(len(key)):
        k = key[j]
        if filter_bits[k & 4095]:
            g = np.searchsorted(repeated, k)
            if g < len(repeated) and repeated[g] == k:
                total[g] += outcome[j]
                count[g] += 1
                continue
        flat[k] += np.float32(rate * ((0.0 + outcome[j]) / 1 - flat[k]))
    for g in range(len(repeated)):
        k = repeated[g]
        flat[k] += np.float32(rate * (total[g] / count[g] - flat[k]))


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
