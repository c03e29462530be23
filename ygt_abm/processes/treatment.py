"""Treatment and referral up: whether care succeeds, and where a failed episode goes next.

Care succeeds with a probability logistic in how far the facility's capability for the episode type
exceeds the illness's severity (stream ``treatment``); a provider practising less than fee-for-service
intensity (服务缩水, ``provision``) treats with less capability. Where the county has remote consultation (远程会诊),
a share of the outpatient contacts at village clinics and township centres that would fail (stream
``consultation``) are discussed with the lead hospital's specialists and succeed as if the lead hospital
treated them (the same draw against its success chance); the fund pays the consultation (``ygt_abm.pricing``).
An episode out of the facility's scope, whose care failed, or whose admission the provider declined (推诿,
``provision``; sent up by the doctor), moves up a level: a formal referral by the treating doctor (上转;
stream ``referral``, more often for residents with a family doctor) or a self-referral; at the city
hospital it ends unresolved. A provider may instead keep a failed case (留治, ``provision``; stream
``keep``): not referred, it may try the same level again. Episodes still open after the last round end
unresolved (if they had care) or unmet.
Chronic follow-ups at primary care count toward the year's managed chronic patients (慢病规范管理).
"""

from __future__ import annotations

import numba
import numpy as np

from ygt_abm.pricing import pay_consultations
from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import (
    CHRONIC, CITY, INPATIENT, OUTPATIENT, RESOLVED, TOWNSHIP, UNMET, UNRESOLVED,
)


class Treatment(Process):
    """Counts each contact, decides its success, and refers failures up."""

    name = "treatment"
    reads = ("remote_consultation_share",)
    needs = ("access", "payment")
    writes = ("counters.visits", "counters.admissions", "counters.inappropriate_admissions",
              "counters.declined_admissions", "counters.kept_after_failure", "counters.referrals_up",
              "counters.self_referrals_up", "counters.remote_consultations", "facilities.visits",
              "facilities.admissions", "population.admitted", "population.primary_followups", "run_counters.contacts",
              "episodes.active", "episodes.outcome", "episodes.min_level", "episodes.referred", "round.resolved",
              "week.experiences",
              # remote consultations, paid to the lead hospital (pricing.pay_consultations)
              "fund.spending", "counters.oop", "counters.charges", "counters.reimbursed", "counters.resources",
              "facilities.revenue_fund", "facilities.revenue_oop")
    round_streams = ("treatment", "referral", "consultation", "keep")  # the last two only where a lever acts

    def init(self, model) -> None:
        self.lead = model.facilities.lead_hospitals(np.arange(model.region.n_counties))
        self.appropriate = model.params.providers.appropriate_admission_severity.array()  # by level

    def invariants(self, model, week=None):
        if week is not None and week.episodes is not None:
            ep = week.episodes
            if (ep.active != (ep.outcome < 0)).any():
                yield "an episode is open with an outcome, or ended without one"

    def care_round(self, model, week, rnd) -> None:
        """Count the contacts, decide success, refer failures up (formal or self-referral)."""
        ep, fac, pop, counters = week.episodes, model.facilities, model.population, model.counters
        care = model.params.care
        act, lvl, fid, kind = rnd.act, rnd.level, rnd.facility, rnd.kind
        county, t, severity = ep.county[act], ep.kind[act], ep.severity[act]
        tally_contacts(county, lvl, kind, fid, t, severity, ep.resident[act], self.appropriate, counters.visits,
                       counters.admissions, counters.inappropriate_admissions, fac.visits, fac.admissions,
                       pop.admitted, model.run_counters.contacts)
        counters.add(counters.declined_admissions, county[rnd.declined])
        capability = fac.capability[fid, t]
        in_scope = capability > 0
        if model.practice.cuts_intensity():  # less intensity, less chance care succeeds (服务缩水)
            cut = 1.0 - model.practice.intensity[county, lvl, kind]
            capability = capability - model.params.providers.intensity_capability_loss * cut
        p = success_probability(capability, severity, care.success_slope)
        u = rnd.draw("treatment")[act]
        success = in_scope & ~rnd.declined & (u < p)
        if model.levers.remote_consultation_share.any():  # a gather per contact only where a county consults
            consult_share = model.levers.remote_consultation_share[county]
            consulted = (in_scope & ~rnd.declined & ~success & (lvl <= TOWNSHIP) & (kind == OUTPATIENT)
                         & (rnd.draw("consultation")[act] < consult_share))
            lead = self.lead[county[consulted]]
            success[consulted] = u[consulted] < success_probability(fac.capability[lead, t[consulted]],
                                                                    severity[consulted], care.success_slope)
            counters.add(counters.remote_consultations, county[consulted])
            pay_consultations(model, county[consulted], lead)
        primary_chronic = in_scope & (t == CHRONIC) & (lvl <= TOWNSHIP)
        pop.primary_followups[ep.resident[act[primary_chronic]]] += 1  # one episode per resident a week
        week.experiences.append((ep.resident[act[in_scope]], lvl[in_scope], success[in_scope].astype(np.float64),
                                 ep.village[act[in_scope]]))
        ep.end(act[success], RESOLVED)
        rnd.resolved = np.flatnonzero(success)

        failed = ~success
        up = failed & (lvl < CITY)
        if model.practice.keeps_failed_care():  # the provider keeps the case: no referral, a second try (留治)
            kept = up & in_scope & ~rnd.declined & (rnd.draw("keep")[act] < model.practice.keep[county, lvl, kind])
            up &= ~kept
            ep.min_level[act[kept]] = lvl[kept]
            counters.add(counters.kept_after_failure, county[kept])
        going = np.flatnonzero(up)
        formal_share = np.where(pop.family_doctor[ep.resident[act[going]]], care.formal_referral_share_contracted,
                                care.formal_referral_share)
        formal = np.zeros(len(act), dtype=bool)
        formal[going] = (rnd.draw("referral")[act[going]] < formal_share) | rnd.declined[going]
        counters.add(counters.referrals_up, county[formal])
        counters.add(counters.self_referrals_up, county[up & ~formal])
        ep.min_level[act[up]] = lvl[up] + 1
        ep.referred[act[formal]] = True
        ep.end(act[failed & (lvl == CITY)], UNRESOLVED)

    def end_week(self, model, week) -> None:
        """Episodes still open end unresolved (had care) or unmet."""
        ep = week.episodes
        ep.end(np.flatnonzero(ep.active), np.where(ep.contact[ep.active], UNRESOLVED, UNMET))


@numba.njit(cache=True, nogil=True)
def tally_contacts(county: np.ndarray, level: np.ndarray, kind: np.ndarray, facility: np.ndarray,
                   episode_type: np.ndarray, severity: np.ndarray, resident: np.ndarray, appropriate: np.ndarray,
                   visits: np.ndarray, admissions: np.ndarray, inappropriate: np.ndarray, facility_visits: np.ndarray,
                   facility_admissions: np.ndarray, admitted: np.ndarray, contacts: np.ndarray) -> None:
    """Count the round's contacts in place, in one pass: visits or admissions by (county, level) and by facility,
    admissions below the level's appropriate severity, who was admitted this year, contacts by (level, type)."""
    for i in range(len(county)):
        c, lvl = county[i], level[i]
        if kind[i] == INPATIENT:
            admissions[c, lvl] += 1
            facility_admissions[facility[i]] += 1
            admitted[resident[i]] = True
            if severity[i] < appropriate[lvl]:
                inappropriate[c, lvl] += 1
        else:
            visits[c, lvl] += 1
            facility_visits[facility[i]] += 1
        contacts[lvl, episode_type[i]] += 1


def success_probability(capability: np.ndarray, severity: np.ndarray, slope: float) -> np.ndarray:
    """Chance that care succeeds: logistic in how far capability exceeds the illness's severity."""
    return 1.0 / (1.0 + np.exp(-slope * (capability - severity)))
