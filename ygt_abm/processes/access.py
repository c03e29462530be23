"""Access: capacity slots, who gets one, and how long patients expect to wait (rationing, 号源预留,
优先接诊, 收治限制).

Every facility serves at most its weekly outpatient capacity and admission capacity (two pools of slots:
slot id = facility id, + facility count for an admission). A share of the slots may be held back for
referred patients (``reserved_share``, 号源预留); referred patients may be served first
(``referral_priority``, stream ``priority``); county hospitals may turn back unreferred admissions the
township could treat (``county_admission_limit`` below ``treatable_severity``, 病种目录 / 收治限制; stream ``admission_gate``). A
refused episode excludes that option and chooses again next round. At the end of the week the expected
waits of next week follow from this week's outpatient demand.
"""

from __future__ import annotations

import numba
import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import COUNTY, FIRST_NONE, INPATIENT


class Access(Process):
    """Capacity rationing of the round's requests, and next week's expected waits."""

    name = "access"
    reads = ("reserved_share", "referral_priority", "county_admission_limit", "treatable_severity")
    needs = ("choice", "workforce")
    writes = ("week.capacity", "week.general", "week.reserved", "week.demand", "episodes.excluded",
              "episodes.first_level", "episodes.contact", "round", "facilities.load", "facilities.wait_days",
              "facilities.referred_wait_days")
    round_streams = ("priority",)

    def invariants(self, model, week=None):
        if week is not None and week.slots_overdrawn():
            yield "a slot was used twice (slots left below zero)"

    def start_week(self, model, week) -> None:
        """This week's slots: capacity, reserved for referred patients (号源预留), general."""
        fac, n_fac = model.facilities, len(model.facilities.level)
        week.capacity = np.concatenate([fac.outpatient_capacity, fac.admission_capacity])
        week.reserved = np.floor(np.tile(model.levers.reserved_share, 2) * week.capacity)
        week.general = week.capacity - week.reserved
        week.demand = np.zeros((2, n_fac))  # outpatient demand: self-referred, referred

    def care_round(self, model, week, rnd) -> None:
        """Serve the round's requests within the slots; turned-back admissions; refused options excluded."""
        ep, lev, n_fac = week.episodes, model.levers, len(model.facilities.level)
        act, county = rnd.act, ep.county[rnd.act]
        rnd.referred = ep.referred[act]
        slot = rnd.facility + n_fac * rnd.kind.astype(np.int64)
        out = rnd.kind == 0
        week.demand += np.bincount(rnd.referred[out] * n_fac + rnd.facility[out],
                                   minlength=2 * n_fac).reshape(2, n_fac)
        turned = np.zeros(len(act), dtype=bool)
        if lev.county_admission_limit.any():  # the gate's stream is its own: no draw where no county has a limit
            turned = ((rnd.level == COUNTY) & (rnd.kind == INPATIENT) & ~rnd.referred
                      & (ep.severity[act] < lev.treatable_severity)
                      & (week.draw("admission_gate", act) < lev.county_admission_limit[county]))
        priority = rnd.draw("priority")[act] - lev.referral_priority[county] * rnd.referred
        served = ration_with_reserve(np.where(turned, -1, slot), priority, rnd.referred, week.general, week.reserved)
        ep.excluded[act[~served]] |= (1 << rnd.option[~served]).astype(ep.excluded.dtype)
        rnd.select(served)
        first = ep.first_level[rnd.act] == FIRST_NONE
        ep.first_level[rnd.act[first]] = rnd.level[first]
        ep.contact[rnd.act] = True

    def end_week(self, model, week) -> None:
        """Expected waits for next week: self-referred patients queue for the general slots; referred
        patients for the reserved ones (or, without a reserve, with everyone; with priority, not at all)."""
        fac = model.facilities
        n_fac = len(fac.level)
        capacity, reserved, demand = week.capacity[:n_fac], week.reserved[:n_fac], week.demand
        base = model.params.facilities.base_wait_days.array()[fac.level]
        crowd, span = model.params.facilities.crowding_wait_days, model.params.facilities.crowding_span
        has_reserve = reserved > 0
        everyone = demand.sum(0) / np.maximum(capacity, 1.0)
        general_load = np.where(has_reserve, demand[0] / np.maximum(capacity - reserved, 1.0), everyone)
        referred_load = np.where(has_reserve, demand[1] / np.maximum(reserved, 1.0), everyone)
        priority = model.levers.referral_priority[np.maximum(fac.county, 0)] & (fac.county >= 0)
        referred_load = np.where(priority, 0.0, referred_load)
        fac.load[:] = everyone
        fac.wait_days[:] = wait_days(base, general_load, crowd, span)
        fac.referred_wait_days[:] = wait_days(base, referred_load, crowd, span)


def wait_days(base_wait: np.ndarray, load: np.ndarray, crowding_days: float, span: float) -> np.ndarray:
    """Expected outpatient wait per facility from last week's load (demand ÷ capacity): waits grow
    linearly over the last ``span`` of capacity."""
    return base_wait + crowding_days * np.clip((load - (1.0 - span)) / span, 0.0, 1.0)


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
