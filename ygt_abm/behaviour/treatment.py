"""Capacity, rationing and treatment outcomes."""

from __future__ import annotations

import numba
import numpy as np


def ration(facility: np.ndarray, priority: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Which requests are served: at each facility, the ``capacity`` requests of lowest ``priority``
    (ties: lowest index first).

    ``facility`` is −1 for requests that need no slot. Capacity is never exceeded."""
    everyone = np.ones(len(facility), dtype=bool)
    return _serve(facility, _priority_key(facility, priority), capacity.copy(), everyone)


def ration_with_reserve(slot: np.ndarray, priority: np.ndarray, referred: np.ndarray, general: np.ndarray,
                        reserved: np.ndarray) -> np.ndarray:
    """Rationing when part of each facility's capacity is held back for referred patients (号源预留).

    Referred requests first take reserved slots; what is left of them then competes with self-referred
    requests for the general slots (in ``priority`` order). Self-referred patients never get a reserved
    slot. ``general`` and ``reserved`` (remaining slots per slot id) are decremented in place."""
    key = _priority_key(slot, priority)
    first = _serve(slot, key, reserved, referred)
    return first | _serve(slot, key, general, ~first)


def _priority_key(facility: np.ndarray, priority: np.ndarray) -> np.ndarray:
    # The order of requests within a facility: priority, in [-1, 1), offset by the facility.
    return facility * 4.0 + (priority + 1.0)


@numba.njit(cache=True, nogil=True)
def _serve(facility: np.ndarray, key: np.ndarray, capacity: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """Serve the eligible requests (facility ≥ 0) up to ⌊capacity⌋ per facility, lowest ``key`` first,
    and take the served slots off ``capacity`` (in place). Only facilities asked for more than they have
    need sorting; everyone else is served."""
    n = len(facility)
    limit = np.floor(capacity)
    asked = np.zeros(len(capacity), dtype=np.int64)
    for i in range(n):
        if eligible[i] and facility[i] >= 0:
            asked[facility[i]] += 1
    served = np.zeros(n, dtype=np.bool_)
    taken = np.zeros(len(capacity), dtype=np.int64)
    contested = np.zeros(len(capacity), dtype=np.bool_)  # asked for more than it has (or a NaN capacity)
    for f in range(len(capacity)):
        contested[f] = not (asked[f] <= limit[f])
    n_queue = 0
    for i in range(n):
        f = facility[i]
        if eligible[i] and f >= 0:
            if contested[f]:
                n_queue += 1
            else:
                served[i] = True
                taken[f] += 1
    if n_queue:
        queue = np.empty(n_queue, dtype=np.int64)
        j = 0
        for i in range(n):
            f = facility[i]
            if eligible[i] and f >= 0 and contested[f]:
                queue[j] = i
                j += 1
        for i in queue[np.argsort(key[queue], kind="mergesort")]:
            f = facility[i]
            if taken[f] < limit[f]:
                served[i] = True
                taken[f] += 1
    for f in range(len(capacity)):
        capacity[f] -= taken[f]
    return served


def success_probability(capability: np.ndarray, severity: np.ndarray, slope: float) -> np.ndarray:
    """Chance that care succeeds: logistic in how far capability exceeds the illness's severity."""
    return 1.0 / (1.0 + np.exp(-slope * (capability - severity)))
