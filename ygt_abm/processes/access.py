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

from typing import NamedTuple

import numba
import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.state.episodes import keyed_uniform
from ygt_abm.vocabulary import COUNTY, FIRST_NONE, INPATIENT, OUTPATIENT


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
        ep, lev = week.episodes, model.levers
        act = rnd.act
        rnd.referred = ep.referred[act]
        turned = np.zeros(0, dtype=bool)  # empty: no county turns admissions back
        if lev.county_admission_limit.any():  # the gate's stream is its own: no draw where no county has a limit
            turned = ((rnd.level == COUNTY) & (rnd.kind == INPATIENT) & ~rnd.referred
                      & (ep.severity[act] < lev.treatable_severity)
                      & (week.draw("admission_gate", act) < lev.county_admission_limit[ep.county[act]]))
        served = serve_requests(Requests(act, rnd.option, rnd.facility, rnd.level, rnd.kind, rnd.referred, turned),
                                ep.county, lev.referral_priority, *rnd.stream("priority"), week.general,
                                week.reserved, week.demand, ep.excluded, ep.first_level, ep.contact)
        rnd.select(served)

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


class Requests(NamedTuple):
    """The round's requests: episode, option of its village, facility, level, contact kind, referred, and
    whether the county hospital turned the admission back (empty: none was)."""

    act: np.ndarray
    option: np.ndarray
    facility: np.ndarray
    level: np.ndarray
    kind: np.ndarray
    referred: np.ndarray
    turned: np.ndarray


@numba.njit(cache=True, nogil=True)
def serve_requests(r: Requests, county: np.ndarray, referral_priority: np.ndarray, key: np.uint64, offset: np.uint64,
                   general: np.ndarray, reserved: np.ndarray, demand: np.ndarray, excluded: np.ndarray,
                   first_level: np.ndarray, contact: np.ndarray) -> np.ndarray:
    """Serve the round's requests in one pass: count outpatient demand (self-referred, referred) by facility, ration
    the slots in priority order (the episode's number of keyed stream ``priority``, referred patients first where
    the county gives them priority), and for each episode exclude the option that refused it, or record its
    contact and first level. Returns which requests were served; slots left are decremented in place."""
    n, n_fac = len(r.act), demand.shape[1]
    slot = np.empty(n, dtype=np.int64)
    priority = np.empty(n, dtype=np.float32)
    for i in range(n):
        e = r.act[i]
        if r.kind[i] == OUTPATIENT:
            demand[np.int64(r.referred[i]), r.facility[i]] += 1
        slot[i] = -1 if len(r.turned) and r.turned[i] else r.facility[i] + n_fac * np.int64(r.kind[i])
        first = referral_priority[county[e]] and r.referred[i]
        priority[i] = keyed_uniform(key, offset + np.uint64(e)) - np.float32(first)
    served = ration_with_reserve(slot, priority, r.referred, general, reserved)
    for i in range(n):
        e = r.act[i]
        if not served[i]:
            excluded[e] |= np.uint16(1 << r.option[i])
            continue
        if first_level[e] == FIRST_NONE:
            first_level[e] = r.level[i]
        contact[e] = True
    return served


@numba.njit(cache=True, nogil=True)
def ration_with_reserve(slot: np.ndarray, priority: np.ndarray, referred: np.ndarray, general: np.ndarray,
                        reserved: np.ndarray) -> np.ndarray:
    """Rationing when part of each facility's capacity is held back for referred patients (号源预留).

    Referred requests first take reserved slots; what is left of them then competes with self-referred
    requests for the general slots (in ``priority`` order, a value in [-1, 1)). Self-referred patients never get
    a reserved slot. ``general`` and ``reserved`` (remaining slots per slot id) are decremented in place."""
    key = np.empty(len(slot))
    for i in range(len(slot)):
        # The order of requests within a slot: priority offset by the slot, the sum rounded as numpy rounds
        # ``slot * 4.0 + (priority + 1.0)`` (in priority's precision, then float64).
        key[i] = slot[i] * 4.0 + np.float64(priority[i] + np.float32(1.0))
    first = _serve(slot, key, reserved, referred)
    return first | _serve(slot, key, general, ~first)


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
