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

import numpy as np

from ygt_abm.pricing import step_down
from ygt_abm.processes.access import ration_with_reserve
from ygt_abm.processes.base import Process
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
        done, lvl, kind = rnd.act[rnd.resolved], rnd.level[rnd.resolved], rnd.kind[rnd.resolved]
        hospital = rnd.facility[rnd.resolved]
        switch = week.draw("usual_switch", done) < model.params.care.usual_provider_switch
        pop.usual_level[ep.resident[done[switch]]] = lvl[switch]
        county = ep.county[done]
        rate = model.levers.referral_down_rate[county]
        rate = rate + (1.0 - rate) * np.where(lvl == COUNTY, model.practice.step_down[county], 0.0)
        refer = (kind == INPATIENT) & (lvl >= COUNTY) & (week.draw("referral_down", done) < rate)
        cand, hospital, lvl = done[refer], hospital[refer], lvl[refer]
        thc = model.home_centre[ep.village[cand]]
        able = fac.capability[thc, SERIOUS] > 0  # a centre that cannot treat serious illness cannot take it
        cand, hospital, lvl, thc = cand[able], hospital[able], lvl[able], thc[able]
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
