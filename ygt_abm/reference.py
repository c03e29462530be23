"""A per-agent REFERENCE implementation of the weekly care-seeking step, written the plain Mesa way.

It exists to check the vectorised ``CountyModel`` (``tests/test_reference.py``) and to measure how much
faster that is (``ygt_abm.bench``); it is not used for results. ``ReferenceModel(region, params, seed)``
builds a ``CountyModel`` with the same arguments, takes its staffed facilities, policy levers and initial
population, and copies every resident's row into one ``Resident`` (a ``mesa.Agent``). Each week every
resident draws its own onset (``shuffle_do("step")``); then, for up to ``care.max_rounds`` rounds, the
residents with an open episode ``shuffle_do("seek_care")`` one at a time, in plain Python: the same logit,
queue, payment, treatment, learning and referrals. What it simplifies (static doctors, baseline levers
only, one generator instead of named streams, synchronous rounds) is in docs/performance.md, "The
per-agent reference".
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from ygt_abm.config.params import ModelParameters
from ygt_abm.processes.onset import weekly_onset_table
from ygt_abm.pricing import expected_oop
from ygt_abm.processes.recording import capability_standard_share, county_indicators, facility_costs
from ygt_abm.state.counters import YearCounters
from ygt_abm.state.fund import InsuranceFund
from ygt_abm.vocabulary import (
    CHRONIC, CITY, COUNTY, EPISODE_TYPES, N_LEVELS, RESOLVED, SELF_CARE, SERIOUS, TOWNSHIP, UNMET, UNRESOLVED,
    WEEKS_PER_YEAR,
)
from ygt_abm.world.geography import Region

SELF = (-1, -1)  # the choice of self-care


class Resident(mesa.Agent):
    """One person: attributes copied from the ``Population`` row ``index``."""

    def __init__(self, model: "ReferenceModel", index: int) -> None:
        super().__init__(model)
        pop = model.population
        self.index = index
        self.village = int(pop.village[index])
        self.county = int(pop.county[index])
        self.onset = model.onset_rows[2 * int(pop.age_band[index]) + int(pop.chronic[index] > 0)]
        self.insured = int(pop.insured[index])
        self.family_doctor = bool(pop.family_doctor[index])
        self.belief = [float(b) for b in pop.belief[index]]
        self.usual_level = int(pop.usual_level[index])
        self.followups = 0
        self.outpatient_fund_used = 0.0  # the fund's outpatient payments this year (门诊统筹限额)
        self.kind: int | None = None  # episode type this week, None when well
        self.options = model.choice_sets[self.village]  # [(facility, level, travel hours), ...]

    def step(self) -> None:
        """Illness onset: at most one new episode a week, its type and severity."""
        m = self.model
        u = m.rng.random()
        if u >= self.onset[-1]:
            self.kind = None
            return
        self.kind = t = next(k for k, c in enumerate(self.onset) if u < c)
        self.severity = m.rng.beta(m.sev_alpha[t], m.sev_beta[t])
        self.min_level, self.excluded, self.contact, self.paid_deductible = 0, set(), False, False
        m.counters.episodes[self.county, t] += 1

    def seek_care(self) -> None:
        """One round: choose, queue for a slot (refused: try again next round), pay, be treated."""
        m, t = self.model, self.kind
        pick = self.choose(t)
        if pick is None or pick == SELF:  # nothing feasible, or self-care
            return self.end(UNRESOLVED if self.contact else (UNMET if pick is None else SELF_CARE))
        fid, lvl = pick
        inpatient = int(t == SERIOUS and lvl >= TOWNSHIP)
        m.demand[fid] += 1 - inpatient
        if m.remaining[inpatient][fid] < 1:
            self.excluded.add(fid)
            return
        m.remaining[inpatient][fid] -= 1
        self.contact = True
        self.pay(fid, lvl, inpatient, m.continuous[self.county] and self.paid_deductible and lvl < CITY)
        self.paid_deductible |= bool(inpatient) and lvl < CITY
        (m.counters.admissions if inpatient else m.counters.visits)[self.county, lvl] += 1
        in_scope = m.capability[fid][t] > 0
        p = 1.0 / (1.0 + math.exp(-m.slope * (m.capability[fid][t] - self.severity)))
        success = in_scope and m.rng.random() < p
        if in_scope:  # learn from one's own outcome; tell the village
            self.belief[lvl] += m.own_rate * (success - self.belief[lvl])
            m.heard[self.village][lvl][0] += success
            m.heard[self.village][lvl][1] += 1
            self.followups += t == CHRONIC and lvl <= TOWNSHIP
        if success:
            self.aftercare(lvl, inpatient)
            return self.end(RESOLVED)
        if lvl == CITY:
            return self.end(UNRESOLVED)
        formal = m.rng.random() < (m.formal_contracted if self.family_doctor else m.formal_share)
        (m.counters.referrals_up if formal else m.counters.self_referrals_up)[self.county] += 1
        self.min_level = lvl + 1

    def end(self, outcome: int) -> None:
        """Close this week's episode and count how it ended."""
        c = self.model.counters
        c.outcomes[self.county, outcome] += 1
        c.care_episodes[self.county] += self.contact
        c.unmet[self.county] += outcome == UNMET
        self.kind = None

    def choose(self, t: int) -> tuple[int, int] | None:
        """Multinomial logit over self-care and the options feasible at the start of the round:
        (facility, level), ``SELF`` or None (nothing feasible)."""
        m = self.model
        names, utils = [SELF], [m.self_care[t]]
        for fid, lvl, hours in self.options:
            inpatient = int(t == SERIOUS and lvl >= TOWNSHIP)
            if lvl < self.min_level or fid in self.excluded or m.room[inpatient][fid] < 1:
                continue
            v = (m.asc[t][lvl] + m.b_quality[t] * self.belief[lvl] + m.b_time[t] * hours
                 + m.b_cost[t][lvl] * m.oop[self.county][lvl][t][self.insured] / 100.0
                 + (0.0 if inpatient else m.b_wait[t] * m.wait_days[fid])
                 + m.usual * (lvl == self.usual_level) + m.fd * (self.family_doctor and lvl <= TOWNSHIP))
            names.append((fid, lvl))
            utils.append(v)
        if utils[0] is None:
            names, utils = names[1:], utils[1:]
        if not names:
            return None
        top = max(utils)
        weights = [math.exp(v - top) for v in utils]
        draw, acc = self.model.rng.random() * sum(weights), 0.0
        for name, w in zip(names, weights):
            acc += w
            if draw < acc:
                return name
        return names[-1]

    def pay(self, fid: int, lvl: int, inpatient: int, waived: bool) -> None:
        """Fund pays ratio × (in-catalogue price − deductible) for the insured, for outpatient care up to the
        yearly limit; the rest is out of pocket."""
        m = self.model
        price = m.price[inpatient][self.county][lvl]
        if inpatient:  # resources follow severity around the level's typical admission
            price *= max(1.0 + m.cost_gradient * (self.severity - m.typical_severity[lvl]), 0.1)
        deductible = 0.0 if waived else m.deductible[inpatient][self.county][lvl]
        covered = m.in_catalogue[inpatient][self.county][lvl] * price - deductible
        fund = m.ratio[inpatient][self.county][lvl] * max(covered, 0.0) if self.insured else 0.0
        if not inpatient:
            fund = min(fund, max(m.outpatient_limit[self.county] - self.outpatient_fund_used, 0.0))
            self.outpatient_fund_used += fund
        c = m.counters
        m.fund.spending[self.county, lvl] += fund
        c.oop[self.county] += price - fund
        c.charges[self.county, lvl] += price
        c.resources[self.county, lvl] += price
        c.reimbursed[self.county, lvl] += fund
        if not inpatient and fund > 0:
            c.settled_outpatient_visits[self.county] += 1
            c.settled_outpatient_charges[self.county] += price
        if inpatient:
            c.inpatient_fund[self.county, lvl] += fund
            c.inpatient_charges[self.county, lvl] += price
            c.inpatient_resources[self.county, lvl] += price
            m.population.admitted[self.index] = True

    def aftercare(self, lvl: int, inpatient: int) -> None:
        """Perhaps a new usual provider; perhaps a referral down to the home township health centre."""
        m = self.model
        if m.rng.random() < m.switch:
            self.usual_level = lvl
        if inpatient and lvl >= COUNTY and m.rng.random() < m.down_rate[self.county]:
            thc = m.thc_of_village[self.village]
            if m.remaining[0][thc] >= 1:
                m.remaining[0][thc] -= 1
                m.counters.referrals_down[self.county] += 1
                m.counters.visits[self.county, TOWNSHIP] += 1
                self.pay(thc, TOWNSHIP, 0, False)

    def hear(self) -> None:
        """Word of mouth: move toward the village's recent success rate at every level heard of."""
        for lvl, (ok, n) in enumerate(self.model.heard[self.village]):
            if n:
                self.belief[lvl] += self.model.wom_rate * (ok / n - self.belief[lvl])


class ReferenceModel(mesa.Model):
    """Per-agent counterpart of ``CountyModel``: same world, parameters, facilities and residents."""

    def __init__(self, region: Region, params: ModelParameters | None = None, seed: int = 0) -> None:
        from ygt_abm.model import CountyModel  # the source of facilities, levers and initial residents

        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0x5EF,)))
        super().__init__(rng=rng)
        self.params = params = params or ModelParameters()
        base = CountyModel(region, params, seed=seed)
        self.region, self.population, self.levers = region, base.population, base.levers
        fac = self.facilities = base.facilities
        self.week = 0
        self.records: list[dict] = []
        self.onset_rows = [tuple(row) for row in weekly_onset_table(params.illness).tolist()]
        self.sev_alpha = params.illness.severity_alpha.array().tolist()
        self.sev_beta = params.illness.severity_beta.array().tolist()
        per_type = [params.choice.for_type(t) for t in range(len(EPISODE_TYPES))]
        self.asc = [p.level_constant.array().tolist() for p in per_type]
        self.b_quality, self.b_time = [p.quality for p in per_type], [p.travel_hour for p in per_type]
        self.b_cost = [(p.cost_100_yuan * p.cost_level_weight.array()).tolist() for p in per_type]
        self.b_wait = [p.wait_day for p in per_type]
        self.self_care = [p.self_care for p in per_type]
        self.usual, self.fd = params.choice.usual_provider, params.choice.family_doctor
        care = params.care
        self.max_rounds, self.slope, self.switch = care.max_rounds, care.success_slope, care.usual_provider_switch
        self.formal_share, self.formal_contracted = care.formal_referral_share, care.formal_referral_share_contracted
        self.capability = fac.capability.tolist()
        self.own_rate, self.wom_rate = params.beliefs.own_experience_rate, params.beliefs.word_of_mouth_rate
        lv = self.levers
        self.price = [lv.outpatient_price.tolist(), lv.inpatient_price.tolist()]  # [inpatient][county][level]
        self.ratio = [lv.outpatient_reimbursement.tolist(), lv.inpatient_reimbursement.tolist()]
        self.deductible = [(0 * lv.inpatient_deductible).tolist(), lv.inpatient_deductible.tolist()]
        self.cost_gradient = params.finance.admission_cost_severity_gradient
        self.typical_severity = params.finance.typical_admission_severity.array().tolist()
        self.in_catalogue = [(0 * lv.inpatient_in_catalogue + 1).tolist(), lv.inpatient_in_catalogue.tolist()]
        self.outpatient_limit = lv.outpatient_fund_limit.tolist()
        self.continuous, self.down_rate = lv.continuous_deductible.tolist(), lv.referral_down_rate.tolist()
        self.oop = expected_oop(lv).tolist()  # [county][level][type][insured], as residents expect it
        self.choice_sets = [[(int(f), int(fac.level[f]), float(mins) / 60.0)
                             for f, mins in zip(region.options[v], region.option_minutes[v]) if f >= 0]
                            for v in range(region.n_villages)]
        thc = {int(region.facility_township[f]): f for f in np.flatnonzero(region.facility_level == TOWNSHIP)}
        self.thc_of_village = [int(thc[int(t)]) for t in region.village_township]
        self.wait_days = [0.0] * len(fac.level)
        self.counters = YearCounters.zeros(region.n_counties)
        self.fund = InsuranceFund.empty(region.n_counties)
        self._insured = np.bincount(base.population.county[base.population.insured], minlength=region.n_counties)
        self.fund.collect(self._insured, params.finance.contribution_per_capita)
        self.heard = self._no_news()
        self.residents = [Resident(self, i) for i in range(self.population.size)]  # index order

    def _no_news(self) -> list:
        return [[[0, 0] for _ in range(N_LEVELS)] for _ in range(self.region.n_villages)]  # (successes, trials)

    def step(self) -> None:
        fac = self.facilities
        self.remaining = [fac.outpatient_capacity.tolist(), fac.admission_capacity.tolist()]
        self.demand = [0] * len(fac.level)
        residents = self.agents_by_type[Resident]
        residents.shuffle_do("step")  # illness onsets
        ill = residents.select(lambda r: r.kind is not None)
        for _ in range(self.max_rounds):  # synchronous rounds, in a new random order each round
            self.room = [list(r) for r in self.remaining]  # capacity as seen when choosing
            ill.shuffle_do("seek_care")
            ill = ill.select(lambda r: r.kind is not None)
        for r in ill:
            r.end(UNRESOLVED if r.contact else UNMET)
        if (self.week + 1) % self.params.beliefs.word_of_mouth_weeks == 0:
            residents.do("hear")
            self.heard = self._no_news()
        fp = self.params.facilities
        base, crowding, span = fp.base_wait_days.array(), fp.crowding_wait_days, fp.crowding_span
        for f, (d, cap, lvl) in enumerate(zip(self.demand, fac.outpatient_capacity, fac.level)):
            load = d / max(cap, 1.0)  # expected wait next week, from this week's outpatient demand
            self.wait_days[f] = base[lvl] + crowding * min(max((load - (1.0 - span)) / span, 0.0), 1.0)
        self.week += 1
        if self.week % WEEKS_PER_YEAR == 0:
            self._year_end()

    def _year_end(self) -> None:
        """Indicators as ``CountyModel`` computes them, then new counters; doctors stay as they are."""
        pop = self.population
        for r in self.residents:
            pop.primary_followups[r.index] = r.followups
            r.followups, r.outpatient_fund_used = 0, 0.0
        fac = self.facilities
        doctors = fac.doctors_by_county_and_level(self.region.n_counties)
        pay = self.params.workforce.reference_pay.array()[None, :]  # no policy here: baseline pay
        costs = facility_costs(self.counters, doctors, pay, self.params.providers.marginal_cost_share)
        standard = capability_standard_share(fac, self.region.n_counties, self.params.care.township_capability_standard)
        values = county_indicators(self.counters, pop, self.fund, doctors, costs, standard)
        for ci, name in enumerate(self.region.county_names):
            self.records.extend({"county": name, "year": self.week // WEEKS_PER_YEAR, "metric": k,
                                 "value": float(v[ci])} for k, v in values.items())
        self.counters.reset()
        pop.admitted[:] = False
        self.fund.reset()
        self.fund.collect(self._insured, self.params.finance.contribution_per_capita)
