"""Aftercare: after a successful episode, a referral down from a hospital admission (下转) to the home
township health centre for a follow-up visit, and perhaps a new usual provider.

Each decision draws from a stream of its own: ``usual_switch``, ``referral_down``, and
``referral_down_priority`` (the follow-up's place in the township centre's queue). A follow-up visit
needs a slot at the township centre like any other (referred patients may use its reserved slots) and is
paid like any other referred visit.
"""

from __future__ import annotations

import numpy as np

from ygt_abm.processes.access import ration_with_reserve
from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import COUNTY, INPATIENT, OUTPATIENT, TOWNSHIP


class Aftercare(Process):
    """Referral down after hospital admissions, and switching usual provider."""

    name = "aftercare"
    reads = ("referral_down_rate",)

    def care_round(self, model, week, rnd) -> None:
        """After success: referral down to the township centre (下转), usual-provider switch."""
        ep, pop, counters, fac = week.episodes, model.population, model.counters, model.facilities
        done, lvl, kind = rnd.act[rnd.resolved], rnd.level[rnd.resolved], rnd.kind[rnd.resolved]
        n = len(ep)
        switch = week.draw("usual_switch", n)[done] < model.params.care.usual_provider_switch
        pop.usual_level[ep.resident[done[switch]]] = lvl[switch]
        refer = week.draw("referral_down", n)[done] < model.levers.referral_down_rate[ep.county[done]]
        cand = done[(kind == INPATIENT) & (lvl >= COUNTY) & refer]
        thc = model.home_centre[ep.village[cand]]
        priority = week.draw("referral_down_priority", n)[cand]
        served = ration_with_reserve(thc, priority, np.ones(len(cand), dtype=bool), week.general, week.reserved)
        cand, thc = cand[served], thc[served]
        county = ep.county[cand]
        counters.add(counters.referrals_down, county)
        township = np.full(len(cand), TOWNSHIP)
        counters.add_by_level(counters.visits, county, township, np.ones(len(cand), dtype=bool))
        fac.visits += np.bincount(thc, minlength=len(fac.level))
        model.process("payment").pay(model, week, cand, thc, township, np.full(len(cand), OUTPATIENT, dtype=np.int8),
                                     np.ones(len(cand), dtype=bool), np.zeros(len(cand), dtype=bool))
