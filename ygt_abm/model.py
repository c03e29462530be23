"""CountyModel: residents (arrays), facilities and doctors (Mesa agents), the insurance fund and the
policy levers of a region, advanced one week per step.

At the first week of every year, ``year_start``: the levers are rebuilt from the baseline by the
interventions active that year, family-doctor sign-up moves toward its target, doctors are seconded
as the levers say, and facilities are restaffed. Then each weekly step runs these phases, in this order
(each is timed in ``phase_seconds``):

1. ``onset``   new illness episodes and their severity (policy-independent: common random numbers; a
   chronic-management policy may prevent some of them, using its own stream);
2. up to ``care.max_rounds`` rounds of
   ``choose`` (logit over reachable options and self-care),
   ``ration``  (each facility serves at most its weekly capacity, part of it perhaps reserved for
   referred patients; the rest choose again next round),
   ``pay``     (prices, reimbursement, deductibles, out-of-pocket cost, facility revenue),
   ``treat``   (success depends on capability vs severity; failed or out-of-scope care is referred up);
3. ``learn``   residents update perceived quality from their own outcomes, and monthly from word of mouth;
4. ``record``  counters and next week's waits; at the end of each 52-week year (``year_end``) the
   capitation and global-budget settlements, the indicators, and doctors' careers.
"""

from __future__ import annotations

import time
import zlib
from contextlib import contextmanager

import mesa
import numpy as np
import pandas as pd

from ygt_abm.agents.doctor import Doctor, apply_secondments, hire_initial_doctors, yearly_careers
from ygt_abm.agents.facility import Facility, FacilityState, staff_facilities
from ygt_abm.behaviour.beliefs import learn_from_outcomes, word_of_mouth
from ygt_abm.behaviour.choice import pick, round_utility, static_utility, wait_days
from ygt_abm.behaviour.illness import (
    CHRONIC, MINOR, SERIOUS, WEEKS_PER_YEAR, draw_onsets, draw_severity, weekly_onset_table,
)
from ygt_abm.behaviour.treatment import ration, ration_with_reserve, success_probability
from ygt_abm.config.params import ModelParameters
from ygt_abm.vocabulary import CITY, COUNTY, EPISODE_TYPES, TOWNSHIP, VILLAGE
from ygt_abm.finance import (
    INPATIENT, InsuranceFund, contact_kind, expected_oop, price_and_reimbursement, settle_global_budget,
)
from ygt_abm.levers import PolicyLevers
from ygt_abm.metrics import INDICATORS, YearCounters, county_indicators
from ygt_abm.population import synthesize_population
from ygt_abm.streams import Streams
from ygt_abm.world.geography import Region

PHASES = ("year_start", "onset", "choose", "ration", "treat", "pay", "learn", "record", "year_end")
SELF_CARE, RESOLVED, UNRESOLVED, UNMET, PREVENTED = range(5)
OUTCOMES = ("self_care", "resolved", "unresolved", "unmet", "prevented")
#: first-contact codes of recorded episodes beyond the four levels
FIRST_SELF_CARE, FIRST_NONE, FIRST_PREVENTED = 8, 9, 10


class CountyModel(mesa.Model):
    """A simulated region; ``run(years)`` returns its indicators per county per year."""

    def __init__(self, region: Region, params: ModelParameters | None = None, seed: int = 0,
                 replicate: int = 0, scenario: str = "baseline", interventions: list | None = None,
                 record_episodes: bool = False) -> None:
        self.streams = Streams(seed, replicate, region.alone_of)
        super().__init__(rng=self.streams.get("mesa"))
        self.region = region
        self.params = params = params or ModelParameters()
        self.scenario_name = scenario
        self.interventions = list(interventions or [])
        self.record_episodes = record_episodes
        self.episode_levels: list[np.ndarray] = []  # per week, first-contact code of every episode
        self.week = 0
        self.warmup_years = 0
        self.phase_seconds = dict.fromkeys(PHASES, 0.0)
        self.records: list[dict] = []
        self.career_events: list[dict] = []
        # Whole-run tallies by (level, episode type), for calibration and teaching.
        self.contacts_by_level_type = np.zeros((4, 4), dtype=np.int64)
        self.referrals_by_level_type = np.zeros((4, 4), dtype=np.int64)
        self.onset_digest = 0

        n_c, n_f = region.n_counties, region.n_facilities
        self.levers = PolicyLevers.baseline(params, n_c, n_f)
        self.budget_bonus = np.ones((n_c, 4))  # pay multiplier earned from last year's budget surplus
        self.spending_history: list[np.ndarray] = []  # fund spending per county, every year so far
        self.facilities = FacilityState.create(region, params)
        self.facility_agents = [Facility(self, i, name) for i, name in enumerate(region.facility_names)]
        hire_initial_doctors(self, self.facilities.posts, self.facilities.level, params.workforce,
                             params.workforce.reference_pay.array(), self.streams.get("doctors"))
        self._restaff()
        self.population = synthesize_population(region, params.population, self._expected_quality(),
                                                self.streams.get("population"))
        pop = self.population
        self._onset_group = (2 * pop.age_band + pop.has_chronic).astype(np.int8)
        self._onset_table = weekly_onset_table(params.illness)
        self._onset_total = self._onset_table[self._onset_group, -1].astype(np.float32)  # P(any onset) a week
        self.fund = InsuranceFund.empty(n_c)
        self.counters = YearCounters.zeros(n_c)
        self._insured_per_county = np.bincount(pop.county[pop.insured], minlength=n_c).astype(float)
        self._residents = np.bincount(pop.county, minlength=n_c).astype(float)
        self._heard_success = np.zeros((region.n_villages, 4))
        self._heard_trials = np.zeros((region.n_villages, 4))
        self._thc_of_village = self._township_centre_of_village()
        options = region.options
        self._option_level = np.where(options >= 0, region.facility_level[np.maximum(options, 0)], 0).astype(np.int64)
        # The capacity slot each (episode type, village, option) takes: facility id, + facility count
        # for an admission (a separate pool of beds).
        kinds = contact_kind(self._option_level[None], np.arange(4)[:, None, None])
        self._option_slot = np.maximum(options, 0)[None] + region.n_facilities * (kinds == INPATIENT).astype(np.int64)
        self._coefficients()
        for intervention in self.interventions:
            intervention.init(self)
        self.last_week: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(model_reporters={
            "week": lambda m: m.week,
            "visits": lambda m: m.last_week.get("visits", 0.0),
            "primary_care_visit_share": lambda m: m.last_week.get("primary_care_visit_share", np.nan),
            "in_county_visit_rate": lambda m: m.last_week.get("in_county_visit_rate", np.nan),
            "admissions": lambda m: m.last_week.get("admissions", 0.0),
            "referrals_up": lambda m: m.last_week.get("referrals_up", 0.0),
            "village_doctors": lambda m: m.village_doctor_count().sum(),
        })

    # ------------------------------------------------------------------------------------------ set-up

    def doctor_pay(self) -> np.ndarray:
        """(county, level) yearly pay: reference pay × policy pay factor × last year's budget bonus."""
        return self.params.workforce.reference_pay.array()[None, :] * self.levers.pay_factor * self.budget_bonus

    def _restaff(self) -> None:
        fac = self.facilities
        ratio = self.doctor_pay() / self.params.workforce.reference_pay.array()[None, :]
        effort = self.params.workforce.effort_weight * (ratio[np.maximum(fac.county, 0), fac.level] - 1.0)
        effort[fac.county < 0] = 0.0  # city hospitals are outside every county's policy
        staff_facilities(fac, list(self.agents_by_type.get(Doctor, [])), self.params, self.levers, effort)

    def _expected_quality(self) -> np.ndarray:
        """Mean success a resident would experience at each level at baseline: the starting belief."""
        ill = self.params.illness
        rng = self.streams.get("belief_prior")
        weight = np.array([ill.minor_incidence.array().mean(), ill.chronic_followups_per_year * 0.2,
                           ill.serious_incidence.array().mean(), ill.emergency_incidence.array().mean()])
        quality = np.zeros(4)
        cap = self.params.care.capability()
        for level in range(4):
            in_scope = cap[level] > 0
            total = 0.0
            for t in np.flatnonzero(in_scope):
                sev = rng.beta(ill.severity_alpha.array()[t], ill.severity_beta.array()[t], 4000)
                total += weight[t] * success_probability(cap[level, t], sev, self.params.care.success_slope).mean()
            quality[level] = total / weight[in_scope].sum()
        return quality

    def _township_centre_of_village(self) -> np.ndarray:
        r = self.region
        thc = np.flatnonzero(r.facility_level == TOWNSHIP)
        by_township = np.full(len(r.township_names), -1)
        by_township[r.facility_township[thc]] = thc
        return by_township[r.village_township]

    def _coefficients(self) -> None:
        c = self.params.choice
        per_type = [c.for_type(t) for t in range(len(EPISODE_TYPES))]
        self._asc = np.array([p.level_constant.array() for p in per_type])  # (type, level)
        self._beta_quality = np.array([p.quality for p in per_type])
        self._beta_time = np.array([p.travel_hour for p in per_type])
        self._beta_cost = np.array([p.cost_100_yuan for p in per_type])
        self._beta_wait = np.array([p.wait_day for p in per_type])
        self._self_care = np.array([-np.inf if p.self_care is None else p.self_care for p in per_type])

    @contextmanager
    def _phase(self, name: str):
        start = time.perf_counter()
        yield
        self.phase_seconds[name] += time.perf_counter() - start

    # ------------------------------------------------------------------------------------------ year start

    @property
    def year(self) -> int:
        """Recorded year the current week belongs to: 1 is the first year after the warm-up."""
        return self.week // WEEKS_PER_YEAR + 1 - self.warmup_years

    def _year_start(self) -> None:
        """Rebuild the levers from the baseline through this year's interventions, then act on them."""
        n_c, n_f = self.region.n_counties, self.region.n_facilities
        self.levers = PolicyLevers.baseline(self.params, n_c, n_f)
        for intervention in self.interventions:
            if intervention.active(self.year):
                intervention.apply(self, self.levers, self.year)
        self._sign_up_family_doctors()
        apply_secondments(self, self.levers.secondments)
        self._restaff()
        self._oop = expected_oop(self.levers)
        self._build_utility_table()

    def _sign_up_family_doctors(self) -> None:
        """Move each county's contract share toward ``signup_target`` (new contracts only; none lapse).
        One uniform per resident per year keeps sign-up on common random numbers."""
        target = self.levers.signup_target
        if np.all(np.isnan(target)):
            return
        pop = self.population
        u = self.streams.yearly("signup", self.week // WEEKS_PER_YEAR).random(pop.size)
        key = pop.key_population
        for c in np.flatnonzero(~np.isnan(target)):
            group = (pop.county == c) & (key if self.levers.signup_key_only[c] else True)
            have = pop.family_doctor[group].mean() if group.any() else 1.0
            if have >= target[c]:
                continue
            p = (target[c] - have) / (1.0 - have)
            new = group & ~pop.family_doctor & (u < p)
            pop.family_doctor[new] = True
            pop.usual_level[new] = VILLAGE

    # ------------------------------------------------------------------------------------------ step

    def step(self) -> None:
        """One simulated week (phases in the module docstring)."""
        if self.week % WEEKS_PER_YEAR == 0:
            with self._phase("year_start"):
                self._year_start()
        pop, fac, r, lev = self.population, self.facilities, self.region, self.levers
        wk, n_rounds = self.week, self.params.care.max_rounds
        before = self._weekly_snapshot()
        with self._phase("onset"):
            res, kind = draw_onsets(self._onset_group, self._onset_table, self.streams.weekly("onset", wk),
                                    self._onset_total)
            severity = draw_severity(kind, self.params.illness, self.streams.weekly("severity", wk))
            n = len(res)
            # One generator per decision for the week; each round that runs draws one block of n
            # uniforms from each, so a round means the same draws in every scenario (common random numbers).
            draws = {name: self.streams.weekly(name, wk) for name in ("choice", "priority", "treatment", "referral")}
            u_after = self.streams.weekly("aftercare", wk).random((n, 3))
            # A running fingerprint of every onset: equal across scenarios that share a seed.
            self.onset_digest = zlib.crc32(severity.tobytes(), zlib.crc32(kind.tobytes(), zlib.crc32(
                res.tobytes(), self.onset_digest)))
            county = pop.county[res].astype(np.int64)
            ep = _Episodes(n)
            prevent = lev.chronic_complication_reduction[county]
            if prevent.any():
                u_prevent = self.streams.weekly("prevention", wk).random(n)
                prevented = np.flatnonzero((kind == SERIOUS) & pop.has_chronic[res] & (u_prevent < prevent))
                ep.end(prevented, PREVENTED)
                ep.first_level[prevented] = FIRST_PREVENTED

        with self._phase("choose"):
            village = pop.village[res]
            static_u = self._static_utility(res, kind, village)

        n_fac = len(fac.level)
        capacity = np.concatenate([fac.outpatient_capacity, fac.admission_capacity])
        reserved = np.floor(np.tile(lev.reserved_share, 2) * capacity)
        general = capacity - reserved
        demand = np.zeros((2, n_fac))  # outpatient demand: self-referred, referred
        exp_res, exp_level, exp_ok = [], [], []
        for rnd in range(n_rounds):
            act = np.flatnonzero(ep.active)
            if len(act) == 0:
                break
            u_choice, u_priority, u_treat, u_refer = (draws[k].random(n, dtype=np.float32)
                                                      for k in ("choice", "priority", "treatment", "referral"))
            with self._phase("choose"):
                chosen = self._choose_round(act, res, village, county, kind, static_u, ep, general, reserved,
                                            u_choice)
                stop = chosen <= 0
                ended = act[stop]
                ep.end(ended, np.where(ep.contact[ended], UNRESOLVED, np.where(chosen[stop] == 0, SELF_CARE, UNMET)))
                ep.first_level[ended[(chosen[stop] == 0) & ~ep.contact[ended]]] = FIRST_SELF_CARE
                act, k = act[~stop], chosen[~stop] - 1
                fid = r.options[village[act], k]
                lvl = self._option_level[village[act], k]
                ck = contact_kind(lvl, kind[act])
            with self._phase("ration"):
                referred = ep.referred[act]
                slot = fid + n_fac * ck.astype(np.int64)
                out = ck == 0
                demand += np.bincount(referred[out] * n_fac + fid[out], minlength=2 * n_fac).reshape(2, n_fac)
                turned = self._turned_back(act, county, lvl, ck, referred, severity, u_after[:, 2])
                priority = u_priority[act] - lev.referral_priority[county[act]] * referred
                served = ration_with_reserve(np.where(turned, -1, slot), priority, referred, general, reserved)
                ep.excluded[act[~served]] |= (1 << k[~served]).astype(ep.excluded.dtype)
                act, fid, lvl, ck, referred = act[served], fid[served], lvl[served], ck[served], referred[served]
                first = ep.first_level[act] == FIRST_NONE
                ep.first_level[act[first]] = lvl[first]
                ep.contact[act] = True
            with self._phase("pay"):
                waived = lev.continuous_deductible[county[act]] & ep.paid_deductible[act] & (lvl < CITY)
                self._pay(act, res, county, fid, lvl, ck, referred, severity, waived)
                ep.paid_deductible[act] |= (ck == INPATIENT) & (lvl < CITY)
            with self._phase("treat"):
                self._count(self.counters.visits, county[act], lvl, ck == 0)
                self._count(self.counters.admissions, county[act], lvl, ck == INPATIENT)
                fac.visits += np.bincount(fid[ck == 0], minlength=n_fac)
                fac.admissions += np.bincount(fid[ck == INPATIENT], minlength=n_fac)
                t = kind[act]
                self.contacts_by_level_type += np.bincount(lvl * 4 + t, minlength=16).reshape(4, 4)
                in_scope = fac.capability[fid, t] > 0
                p = success_probability(fac.capability[fid, t], severity[act], self.params.care.success_slope)
                success = in_scope & (u_treat[act] < p)
                primary_chronic = in_scope & (t == CHRONIC) & (lvl <= TOWNSHIP)
                pop.primary_followups[res[act[primary_chronic]]] += 1  # one episode per resident a week
                exp_res.append(res[act[in_scope]])
                exp_level.append(lvl[in_scope])
                exp_ok.append(success[in_scope].astype(np.float64))
                heard = village[act[in_scope]] * 4 + lvl[in_scope]
                size = self._heard_trials.size
                self._heard_trials += np.bincount(heard, minlength=size).reshape(self._heard_trials.shape)
                self._heard_success += np.bincount(heard, weights=success[in_scope],
                                                   minlength=size).reshape(self._heard_success.shape)
                ep.end(act[success], RESOLVED)
                self._aftercare(act[success], res, county, village, lvl[success], ck[success], u_after,
                                general, reserved, severity)
                failed = ~success
                up = failed & (lvl < CITY)
                care = self.params.care
                formal_share = np.where(pop.family_doctor[res[act]], care.formal_referral_share_contracted,
                                        care.formal_referral_share)
                formal = up & (u_refer[act] < formal_share)
                n_c = len(self.counters.oop)
                self.counters.referrals_up += np.bincount(county[act[formal]], minlength=n_c)
                self.counters.self_referrals_up += np.bincount(county[act[up & ~formal]], minlength=n_c)
                self.referrals_by_level_type += np.bincount(lvl[up] * 4 + t[up], minlength=16).reshape(4, 4)
                ep.min_level[act[up]] = lvl[up] + 1
                ep.referred[act[formal]] = True
                ep.end(act[failed & ~up], UNRESOLVED)

        with self._phase("learn"):
            ep.end(np.flatnonzero(ep.active), np.where(ep.contact[ep.active], UNRESOLVED, UNMET))
            if exp_res:
                # A resident meets a level at most once a week (after a failure the episode moves up).
                learn_from_outcomes(pop.belief, np.concatenate(exp_res), np.concatenate(exp_level),
                                    np.concatenate(exp_ok), self.params.beliefs.own_experience_rate, unique=True)
            if (wk + 1) % self.params.beliefs.word_of_mouth_weeks == 0:
                word_of_mouth(pop.belief, pop.village, self._heard_success, self._heard_trials,
                              self.params.beliefs.word_of_mouth_rate)
                self._heard_success[:] = 0
                self._heard_trials[:] = 0

        with self._phase("record"):
            c = self.counters
            n_c = len(c.oop)
            c.episodes += np.bincount(county * 4 + kind, minlength=n_c * 4).reshape(n_c, 4)
            c.outcomes += np.bincount(county * len(OUTCOMES) + ep.outcome,
                                      minlength=n_c * len(OUTCOMES)).reshape(n_c, len(OUTCOMES))
            c.care_episodes += np.bincount(county[ep.contact], minlength=n_c)
            c.unmet += np.bincount(county[ep.outcome == UNMET], minlength=n_c)
            self.last_week_served = (capacity - general - reserved).reshape(2, n_fac)  # outpatient, admissions
            self._update_waits(demand, capacity[:n_fac], reserved[:n_fac])
            self.last_week = self._weekly_change(before)
            self.last_outcomes = ep.outcome
            if self.record_episodes:
                self.episode_levels.append(ep.first_level.astype(np.uint8))
        self.week += 1
        self.datacollector.collect(self)
        for intervention in self.interventions:
            intervention.step_week(self)
        if self.week % WEEKS_PER_YEAR == 0:
            with self._phase("year_end"):
                self._year_end()

    def _build_utility_table(self) -> None:
        """Utility terms that depend only on (episode type, insured, village, option), for this year's
        levers: level constant, travel time, expected out-of-pocket cost and policy shifts. A small table
        (types × 2 × villages × options), so the weekly step does one gather instead of many products."""
        r, lev, level = self.region, self.levers, self._option_level
        options = r.options
        county = r.village_county.astype(np.int64)
        hours = np.where(options >= 0, r.option_minutes, 0.0) / 60.0
        table = np.zeros((4, 2, r.n_villages, options.shape[1]))
        for t in range(4):
            bonus = np.zeros_like(hours)
            if t == CHRONIC:
                bonus = lev.chronic_primary_bonus[county][:, None] * (level <= TOWNSHIP)
            elif t == MINOR:
                bonus = lev.city_bypass_shift[county][:, None] * (level == CITY)
            for insured in (0, 1):
                oop = self._oop[county[:, None], level, t, insured]
                table[t, insured] = (self._asc[t, level] + self._beta_time[t] * hours
                                     + self._beta_cost[t] * oop / 100.0 + bonus)
        self._utility_table = table.astype(np.float32)  # float32: half the memory traffic per week

    def _static_utility(self, res, kind, village) -> np.ndarray:
        """Parts of each option's utility that do not change within the week (E × K)."""
        pop, c = self.population, self.params.choice
        return static_utility(self._utility_table, res, kind, village, self._option_level, pop.insured, pop.belief,
                              pop.usual_level, pop.family_doctor, self._beta_quality,
                              np.float32(c.usual_provider), np.float32(c.family_doctor))

    def _choose_round(self, act, res, village, county, kind, static_u, ep, general, reserved, u) -> np.ndarray:
        """Pick per active episode: 0 self-care, k+1 option k, −1 nothing feasible."""
        fac, lev = self.facilities, self.levers
        shifted = round_utility(act, res, village, kind, county, self.region.options, self._option_level,
                                self._option_slot, static_u, ep.referred, ep.min_level, ep.excluded,
                                self.population.family_doctor, general, reserved, fac.wait_days,
                                fac.referred_wait_days, self._beta_wait, lev.bypass_penalty, self._self_care,
                                lev.self_care_shift)
        return pick(np.exp(shifted), u[act])

    def _turned_back(self, act, county, lvl, ck, referred, severity, u_gate) -> np.ndarray:
        """County hospitals turn back unreferred township-treatable admissions (病种目录 / 收治限制)."""
        limit = self.levers.county_admission_limit[county[act]]
        return ((lvl == COUNTY) & (ck == INPATIENT) & ~referred & (severity[act] < self.levers.treatable_severity)
                & (u_gate[act] < limit))

    def _pay(self, act, res, county, fid, lvl, ck, referred, severity, waived) -> None:
        price, fund = price_and_reimbursement(self.levers, county[act], lvl, ck, self.population.insured[res[act]],
                                              referred, severity[act], waived)
        oop = price - fund
        self.fund.pay(county[act], lvl, fund)
        self.counters.oop += np.bincount(county[act], weights=oop, minlength=len(self.counters.oop))
        n_fac = len(self.facilities.level)
        self.facilities.revenue_fund += np.bincount(fid, weights=fund, minlength=n_fac)
        self.facilities.revenue_oop += np.bincount(fid, weights=oop, minlength=n_fac)

    def _aftercare(self, done, res, county, village, lvl, ck, u_after, general, reserved, severity) -> None:
        """After a successful episode: referral down from hospital admissions (下转) to the home township
        health centre for a follow-up visit, and perhaps a new usual provider."""
        pop = self.population
        switch = u_after[done, 1] < self.params.care.usual_provider_switch
        pop.usual_level[res[done[switch]]] = lvl[switch]
        down = (ck == INPATIENT) & (lvl >= COUNTY) & (u_after[done, 0] < self.levers.referral_down_rate[county[done]])
        cand = done[down]
        thc = self._thc_of_village[village[cand]]
        served = ration_with_reserve(thc, u_after[cand, 0], np.ones(len(cand), dtype=bool), general, reserved)
        cand, thc = cand[served], thc[served]
        n_c = len(self.counters.oop)
        self.counters.referrals_down += np.bincount(county[cand], minlength=n_c)
        one = np.full(len(cand), TOWNSHIP)
        self._count(self.counters.visits, county[cand], one, np.ones(len(cand), dtype=bool))
        self.facilities.visits += np.bincount(thc, minlength=len(self.facilities.level))
        self._pay(cand, res, county, thc, one, np.zeros(len(cand), dtype=np.int8), np.ones(len(cand), dtype=bool),
                  severity, None)

    def _update_waits(self, demand: np.ndarray, capacity: np.ndarray, reserved: np.ndarray) -> None:
        """Expected waits for next week: self-referred patients queue for the general slots; referred
        patients for the reserved ones (or, without a reserve, with everyone; with priority, not at all)."""
        fac = self.facilities
        base = self.params.facilities.base_wait_days.array()[fac.level]
        crowd = self.params.facilities.crowding_wait_days
        has_reserve = reserved > 0
        everyone = demand.sum(0) / np.maximum(capacity, 1.0)
        general_load = np.where(has_reserve, demand[0] / np.maximum(capacity - reserved, 1.0), everyone)
        referred_load = np.where(has_reserve, demand[1] / np.maximum(reserved, 1.0), everyone)
        priority = self.levers.referral_priority[np.maximum(fac.county, 0)] & (fac.county >= 0)
        referred_load = np.where(priority, 0.0, referred_load)
        fac.load[:] = everyone
        fac.wait_days[:] = wait_days(base, general_load, crowd)
        fac.referred_wait_days[:] = wait_days(base, referred_load, crowd)

    @staticmethod
    def _count(table: np.ndarray, county: np.ndarray, level: np.ndarray, mask: np.ndarray) -> None:
        table += np.bincount(county[mask] * 4 + level[mask], minlength=table.size).reshape(table.shape)

    def _weekly_snapshot(self) -> tuple:
        c = self.counters
        return c.visits.sum(0), c.admissions.sum(), c.referrals_up.sum()

    def _weekly_change(self, before: tuple) -> dict[str, float]:
        visits = self.counters.visits.sum(0) - before[0]
        total = visits.sum()
        return {
            "visits": float(total),
            "primary_care_visit_share": float(visits[:2].sum() / total) if total else float("nan"),
            "in_county_visit_rate": float(visits[:3].sum() / total) if total else float("nan"),
            "admissions": float(self.counters.admissions.sum() - before[1]),
            "referrals_up": float(self.counters.referrals_up.sum() - before[2]),
        }

    # ------------------------------------------------------------------------------------------ year end

    def village_doctor_count(self) -> np.ndarray:
        fac = self.facilities
        village = fac.level == VILLAGE
        return np.bincount(fac.county[village], weights=fac.doctors[village], minlength=self.region.n_counties)

    def _pay_capitation(self) -> None:
        """Chronic-disease capitation (按人头付费): the fund pays primary care a yearly sum per managed
        chronic patient, to the patient's township health centre."""
        per_head = self.levers.capitation_per_chronic
        if not per_head.any():
            return
        pop = self.population
        managed = np.flatnonzero(pop.managed_chronic)
        county = pop.county[managed].astype(np.int64)
        amount = per_head[county]
        thc = self._thc_of_village[pop.village[managed]]
        self.fund.pay(county, np.full(len(managed), TOWNSHIP), amount)
        self.facilities.revenue_fund += np.bincount(thc, weights=amount, minlength=len(self.facilities.level))

    def _settle_budgets(self) -> None:
        """Global budgets (医保总额付费): the community keeps part of a surplus (or bears part of a deficit);
        the lead hospital takes at most its capped share, the rest goes to township and village levels,
        and a share of each level's result is paid to its doctors next year as a bonus (or a cut)."""
        self.budget_bonus[:] = 1.0
        fac, ref = self.facilities, self.params.workforce.reference_pay.array()
        for c, budget in enumerate(self.levers.global_budget):
            if budget is None:
                continue
            past = [year_spending[c] for year_spending in self.spending_history[:-1]]
            result = settle_global_budget(budget, self.fund.contributions[c], self.fund.spending[c].sum(), past)
            lead = budget.lead_hospital_max_share
            shares = {COUNTY: lead, TOWNSHIP: (1 - lead) * 0.7, VILLAGE: (1 - lead) * 0.3}
            for level, share in shares.items():
                doctors = fac.doctors[(fac.county == c) & (fac.level == level)].sum()
                if doctors <= 0:
                    continue
                per_doctor = result * share * budget.bonus_share / doctors
                self.budget_bonus[c, level] = max(0.5, 1.0 + per_doctor / ref[level])

    def _year_end(self) -> None:
        year = self.week // WEEKS_PER_YEAR - self.warmup_years
        self._pay_capitation()
        values = county_indicators(self.counters, self.population, self.fund, self.village_doctor_count())
        for ci, name in enumerate(self.region.county_names):
            for metric in INDICATORS:
                self.records.append({"county": name, "year": year, "metric": metric,
                                     "value": float(values[metric][ci])})
        self.spending_history.append(self.fund.spending.sum(axis=1).copy())
        self._settle_budgets()
        events = yearly_careers(self, self.params.workforce, self.doctor_pay(), self.levers,
                                self.streams.yearly("careers", year + self.warmup_years))
        self.career_events.append({"year": year, **events})
        self._restaff()
        self.counters.reset()
        self.facilities.reset_year()
        self.fund.reset()
        self.population.primary_followups[:] = 0
        self.fund.collect(self._insured_per_county, self.params.finance.contribution_per_capita)

    # ------------------------------------------------------------------------------------------ running

    def warm_up(self, years: int) -> None:
        """Simulate ``years`` unrecorded years so that usual providers, beliefs and staffing settle into
        the model's own steady state before year 1 (a burn-in; the initial shares are assumptions)."""
        if self.week % WEEKS_PER_YEAR:
            raise RuntimeError("warm up at a year boundary")
        self.warmup_years += years  # interventions see warm-up years as year ≤ 0: never active
        for _ in range(years * WEEKS_PER_YEAR):
            self.step()
        self.records.clear()
        self.career_events.clear()
        self.episode_levels.clear()
        self.contacts_by_level_type[:] = 0
        self.referrals_by_level_type[:] = 0

    def run(self, years: int, warmup_years: int = 0) -> pd.DataFrame:
        """Warm up, then simulate ``years`` × 52 weeks; indicators per county per year in long format."""
        self.warm_up(warmup_years)
        for _ in range(years * WEEKS_PER_YEAR):
            self.step()
        for intervention in self.interventions:
            intervention.finalize(self)
        return self.indicators()

    def indicators(self) -> pd.DataFrame:
        return pd.DataFrame.from_records(self.records, columns=["county", "year", "metric", "value"])


class _Episodes:
    """Per-week state of every episode: where it may still go and how it ended."""

    def __init__(self, n: int) -> None:
        self.active = np.ones(n, dtype=bool)
        self.outcome = np.full(n, -1, dtype=np.int64)
        self.contact = np.zeros(n, dtype=bool)
        self.referred = np.zeros(n, dtype=bool)
        self.min_level = np.zeros(n, dtype=np.int64)
        self.excluded = np.zeros(n, dtype=np.uint16)
        self.paid_deductible = np.zeros(n, dtype=bool)
        self.first_level = np.full(n, FIRST_NONE, dtype=np.int8)

    def end(self, idx: np.ndarray, outcome) -> None:
        if np.any(~self.active[idx]):
            raise AssertionError("an episode ended twice")
        self.active[idx] = False
        self.outcome[idx] = outcome
