"""Capacity, rationing and treatment outcomes."""

from __future__ import annotations

import numpy as np


def ration(facility: np.ndarray, priority: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Which requests are served: at each facility, the ``capacity`` requests of lowest ``priority``.

    ``facility`` is −1 for requests that need no slot. Capacity is never exceeded."""
    served = np.zeros(len(facility), dtype=bool)
    asks = np.flatnonzero(facility >= 0)
    if len(asks) == 0:
        return served
    # One sort on a combined key (facility, then priority in [-1, 1)) is faster than a lexsort.
    key = facility[asks] * 4.0 + (priority[asks] + 1.0)
    order = asks[np.argsort(key, kind="stable")]
    fac = facility[order]
    starts = np.r_[0, np.flatnonzero(fac[1:] != fac[:-1]) + 1]
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    served[order] = rank < np.floor(capacity[fac])
    return served


def success_probability(capability: np.ndarray, severity: np.ndarray, slope: float) -> np.ndarray:
    """Chance that care succeeds: logistic in how far capability exceeds the illness's severity."""
    return 1.0 / (1.0 + np.exp(-slope * (capability - severity)))


def ration_with_reserve(slot: np.ndarray, priority: np.ndarray, referred: np.ndarray, general: np.ndarray,
                        reserved: np.ndarray) -> np.ndarray:
    """Rationing when part of each facility's capacity is held back for referred patients (号源预留).

    Referred requests first take reserved slots; what is left of them then competes with self-referred
    requests for the general slots (in ``priority`` order). Self-referred patients never get a reserved
    slot. ``general`` and ``reserved`` (remaining slots per slot id) are decremented in place."""
    first = ration(np.where(referred, slot, -1), priority, reserved)
    reserved -= np.bincount(slot[first], minlength=len(reserved))
    second = ration(np.where(first, -1, slot), priority, general)
    general -= np.bincount(slot[second], minlength=len(general))
    return first | second
