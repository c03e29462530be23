"""Aftercare: after a successful episode, a referral down from a hospital admission (下转) to the home
township health centre for the recovery, and perhaps a new usual provider.

A successful hospital admission is referred down at the policy's rate (``referral_down_rate``) and, at the
county hospitals, at the rate their providers add (``model.practice.step_down``, ``provision``). The
recovery is a stay at the home township centre: it needs a centre that treats serious illness and a free
bed there (referred patients may use reserved beds), counts as a township admission, and is paid as a
referred admission of ``recovery_share_of_stay`` of a township admission (pro rata), while the hospital
stay is that much shorter (``payment``). Each decision draws from a stream of its own: ``usual_switch``,
``referral_down``, and ``referral_down_priority`` (the patient's place in the township centre's queue).
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ygt_abm.pricing import step_down
from ygt_abm.processes.access import ration_with_reserve
from ygt_abm.processes.base import Process
from ygt_abm.state.episodes import keyed_uniform
from ygt_abm.vocabulary import COUNTY, INPATIENT, SERIOUS, TOWNSHIP


class Aftercare(Process):
    """Referral down after hospital admissions, and switching usual provider."""

    name = "aftercare"
    reads = ("referral_down_rate",)
    needs = ("treatment", "payment")
    writes = ("population.usual_level", "week.general", "week.reserved", "counters.referrals_down",
              "counters.admissions", "facilities.admissions",
              # the recovery stay and the shorter hospital stay, priced and booked (pricing.step_down)
              "fund.spending", "counters.oop", "counters.charges", "counters.reimbursed", "counters.inpatient_fund",
              "counters.inpatient_charges", "counters.resources", "counters.inpatient_resources",
              "facilities.revenue_fund", "facilities.revenue_oop")

    def invariants(self, model, week=None):
        if week is not None and week.slots_overdrawn():
            yield "a bed was given twice (slots left below zero)"

    def care_round(self, model, week, rnd) -> None:
        """After success: referral down to the township centre for the recovery (下转), usual-provider switch."""
        ep, pop, counters, fac = week.episodes, model.population, model.counters, model.facilities
        cand, hospital, lvl, thc = after_success(
            Successes(rnd.act, rnd.resolved, rnd.level, rnd.kind, rnd.facility), ep.resident, ep.county, ep.village,
            pop.usual_level, np.float32(model.params.care.usual_provider_switch), np.uint64(week.key("usual_switch")),
            model.levers.referral_down_rate, model.practice.step_down, np.uint64(week.key("referral_down")),
            model.home_centre, fac.capability)
        if not len(cand):  # most rounds of a small county: nothing to ration, count or price
            return
        priority = week.draw("referral_down_priority", cand)
        bed = thc + len(fac.level)  # an admission slot
        served = ration_with_reserve(bed, priority, np.ones(len(cand), dtype=bool), week.general, week.reserved)
        cand, hospital, lvl, thc = cand[served], hospital[served], lvl[served], thc[served]
        county = ep.county[cand]
        counters.add(counters.referrals_down, county)
        counters.add_by_level(counters.admissions, county, np.full(len(cand), TOWNSHIP), np.ones(len(cand), dtype=bool))
        fac.admissions += np.bincount(thc, minlength=len(fac.level))
        step_down(model, week, cand, hospital, lvl, thc)


class Successes(NamedTuple):
    """The round's contacts (episode, level, contact kind, facility) and which of them succeeded (positions)."""

    act: np.ndarray
    resolved: np.ndarray
    level: np.ndarray
    kind: np.ndarray
    facility: np.ndarray


@numba.njit(cache=True, nogil=True)
def after_success(done: Successes, resident: np.ndarray, county: np.ndarray, village: np.ndarray,
                  usual_level: np.ndarray, switch_share: np.float32, switch_key: np.uint64, down_rate: np.ndarray,
                  step_down: np.ndarray, down_key: np.uint64, home_centre: np.ndarray,
                  capability: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One pass over the round's successes: the usual provider switches to the level (week stream
    ``usual_switch``, compared in float32 as numpy compares a float32 draw with a Python float), and hospital
    admissions are referred down at the policy's rate plus, at county hospitals, the providers' (week stream
    ``referral_down``) where the home township centre treats serious illness. Returns the candidates for a
    recovery bed: (episode, hospital, its level, township centre)."""
    n = len(done.resolved)
    cand, hospital = np.empty(n, dtype=np.int64), np.empty(n, dtype=done.facility.dtype)
    level, centre = np.empty(n, dtype=np.int64), np.empty(n, dtype=home_centre.dtype)
    j = 0
    for row in done.resolved:
        e, lvl = done.act[row], done.level[row]
        if keyed_uniform(switch_key, np.uint64(e)) < switch_share:
            usual_level[resident[e]] = lvl
        c = county[e]
        rate = down_rate[c]
        rate = rate + (1.0 - rate) * (step_down[c] if lvl == COUNTY else 0.0)
        if not (done.kind[row] == INPATIENT and lvl >= COUNTY and keyed_uniform(down_key, np.uint64(e)) < rate):
            continue
        thc = home_centre[village[e]]
        if capability[thc, SERIOUS] > 0:  # a centre that cannot treat serious illness cannot take it
            cand[j], hospital[j], level[j], centre[j] = e, done.facility[row], lvl, thc
            j += 1
    return cand[:j], hospital[:j], level[:j], centre[:j]
