"""Workforce: who works where this year, and careers.

At the start of every year doctors are posted as the secondment levers say (下沉, 组团式帮扶; the most
skilled of the sending level go first) and facilities are restaffed: doctors, skill, capacity and
capability follow the postings and the supply levers. At the end of every year doctors age, retire, quit
(more often when pay is below the reference), train, and vacancies are filled (faster as pay rises and as
levers ease hiring: 乡聘村用, 县招乡用); over-age village doctors leave at a hazard of their own. Before the
start, careers run at baseline pay until the workforce is at its own steady state (``steady_state_years``),
so that without policy it stays as it is.
Pay is reference pay × the policy's pay factor × the budget bonus and the service-surplus bonus of the last
settlement.
"""

from __future__ import annotations

import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.state.doctors import Doctors
from ygt_abm.state.facilities import FacilityState
from ygt_abm.vocabulary import CITY, COUNTY, N_LEVELS, SERIOUS, TOWNSHIP, VILLAGE


class Workforce(Process):
    """Postings and restaffing at year start; careers and recruitment at year end."""

    name = "workforce"
    reads = ("secondments", "pay_factor", "township_pay_parity", "village_pay_pool", "capability_bonus", "extra_outpatient_capacity", "extra_beds",
             "vacancy_fill_factor", "recruit_skill_bonus", "village_retirement_factor")
    writes = ("doctors", "facilities.doctors", "facilities.mean_skill", "facilities.capability",
              "facilities.outpatient_capacity", "facilities.admission_capacity", "facilities.posts")

    def invariants(self, model, week=None):
        fac = model.facilities
        if abs(fac.doctors.sum() - len(model.doctors)) >= 1e-6:
            yield "the doctors posted at facilities do not add up to the doctors employed"
        if (fac.outpatient_capacity < 0).any() or (fac.admission_capacity < 0).any():
            yield "a facility has negative capacity"

    def init(self, model) -> None:
        hire_initial_doctors(model.doctors, model.facilities, model.params.workforce, model.streams.get("doctors"))
        start_at_steady_state(model)
        restaff(model)

    def start_year(self, model) -> None:
        """Post doctors as the secondment levers say (下沉); restaff every facility."""
        apply_secondments(model.doctors, model.facilities, model.levers.secondments)
        restaff(model)

    def end_year(self, model) -> None:
        """Careers: ageing, retirement, quitting, training, recruitment; restaff."""
        yearly_careers(model.doctors, model.facilities, model.params.workforce, doctor_pay(model), model.levers,
                       model.streams.yearly("careers", model.years_done))
        restaff(model)


def doctor_pay(model) -> np.ndarray:
    """(county, level) yearly pay: reference pay × policy pay factor × last settlement's budget bonus × the
    bonus from the facilities' last service surplus, plus
    each village doctor's part of the county's village pay pool; where pay parity covers a share of township
    doctors, their pay rises by that share of any gap to county-hospital pay."""
    lev = model.levers
    pay = model.params.workforce.reference_pay.array()[None, :] * lev.pay_factor * model.accounts.budget_bonus \
        * model.accounts.surplus_bonus
    if lev.village_pay_pool.any():
        village_doctors = model.facilities.doctors_by_county(VILLAGE, len(pay))
        pay[:, VILLAGE] += lev.village_pay_pool / np.maximum(village_doctors, 1.0)
    parity = lev.township_pay_parity
    if parity.any():
        pay[:, TOWNSHIP] += parity * np.maximum(pay[:, COUNTY] - pay[:, TOWNSHIP], 0.0)
    return pay


def restaff(model) -> None:
    """Staff every facility from the doctors posted there; performance pay above the reference buys effort;
    the services township centres offer (provision) add to their capability for admissions."""
    fac, ref = model.facilities, model.params.workforce.reference_pay.array()
    county = np.maximum(fac.county, 0)
    ratio = doctor_pay(model) / ref[None, :]
    effort = model.params.workforce.effort_weight * (ratio[county, fac.level] - 1.0)
    effort[fac.county < 0] = 0.0  # city hospitals are outside every county's policy
    services = np.where(fac.level == TOWNSHIP, model.practice.services[county], 0.0)
    staff_facilities(fac, model.doctors, model.params, model.levers, effort, services)


def hire_initial_doctors(doctors: Doctors, state: FacilityState, params, rng: np.random.Generator) -> None:
    """Fill every post at the start: fractional posts are filled with that probability."""
    posts = state.posts
    count = np.floor(posts).astype(np.int64) + (rng.random(len(posts)) < posts % 1)
    employer = np.repeat(np.arange(len(posts)), count)
    lvl = state.level[employer].astype(np.int64)
    age = np.clip(rng.normal(params.mean_age.array()[lvl], params.age_sd), params.min_age, params.max_age)
    skill = rng.beta(params.skill_alpha, params.skill_beta, len(employer))
    doctors.hire(lvl, employer, age, skill, params.reference_pay.array()[lvl])
    state.posts[:] = count  # establishment = the posts actually filled at start


def start_at_steady_state(model) -> None:
    """Careers at baseline pay for ``steady_state_years`` before the start, twice: the first half shows what
    share of each level's posts its steady state keeps filled (the headcount averaged over its second
    quarter); the establishment is scaled by its inverse, and the second half settles the workforce there,
    so the steady-state headcount is the initial one."""
    years = model.params.workforce.steady_state_years
    if years == 0:
        return
    doctors, fac, params = model.doctors, model.facilities, model.params.workforce
    pay = doctor_pay(model)  # baseline: no policy yet
    initial = np.bincount(fac.level, weights=fac.posts, minlength=N_LEVELS)
    half = years // 2
    staffed = np.zeros(N_LEVELS)
    for year in range(years):
        if half // 2 <= year < half:  # the fill the posts settle to: averaged, one year's headcount is noisy
            staffed += np.bincount(doctors.level, minlength=N_LEVELS) / (half - half // 2)
        if year == half:
            fac.posts *= np.divide(initial, staffed, out=np.ones(N_LEVELS), where=staffed > 0)[fac.level]
        yearly_careers(doctors, fac, params, pay, model.levers, model.streams.yearly("careers_before_start", year))


def yearly_careers(doctors: Doctors, state: FacilityState, params, pay: np.ndarray, levers,
                   rng: np.random.Generator) -> dict[str, int]:
    """One year of careers: ageing, retirement, quitting, training, then recruitment into vacancies.

    ``pay`` is (county, level) yearly pay. Draws are three per doctor, in hiring order."""
    county_of = np.maximum(state.county, 0)  # city hospitals: county 0's pay (they are outside policy)
    u = rng.random((len(doctors), 3))
    quit_base, ref, train = params.quit_rate.array(), params.reference_pay.array(), params.training_rate.array()
    c, lvl = county_of[doctors.employer], doctors.level
    doctors.age = doctors.age + 1.0
    doctors.pay = pay[c, lvl].astype(np.float64)
    hazard = params.village_retirement_hazard * levers.village_retirement_factor[c]
    retired = (doctors.age >= params.retirement_age) & ((lvl != VILLAGE) | (u[:, 0] < hazard))
    quit_chance = quit_base[lvl] * (ref[lvl] / np.maximum(doctors.pay, 1.0)) ** params.quit_pay_elasticity
    quit = ~retired & (u[:, 1] < quit_chance)
    trained = ~retired & ~quit & (u[:, 2] < train[lvl])
    doctors.skill = np.where(trained, np.minimum(1.0, doctors.skill + params.training_skill_gain), doctors.skill)
    doctors.select(~retired & ~quit)

    staffed = np.bincount(doctors.employer, minlength=len(state.level))
    vacancies = np.maximum(np.round(state.posts).astype(np.int64) - staffed, 0)
    level = state.level
    pay_ratio = pay[county_of, level] / ref[level]
    rate = params.vacancy_fill_rate.array()[level] * levers.vacancy_fill_factor[county_of, level] \
        * pay_ratio ** params.fill_pay_elasticity
    fill = rng.binomial(vacancies, np.clip(rate, 0.0, 1.0))
    employer = np.repeat(np.arange(len(fill)), fill)
    skill = rng.beta(params.skill_alpha, params.skill_beta, len(employer))
    new_level, new_county = level[employer].astype(np.int64), county_of[employer]
    doctors.hire(new_level, employer, params.recruit_age.array()[new_level],
                 np.minimum(1.0, skill + levers.recruit_skill_bonus[new_county, new_level]),
                 pay[new_county, new_level])
    return {"retired": int(retired.sum()), "quit": int(quit.sum()), "trained": int(trained.sum()),
            "recruited": int(len(employer))}


def apply_secondments(doctors: Doctors, state: FacilityState, secondments: list) -> int:
    """Post doctors according to the secondment levers; returns how many moved.

    Everyone first returns to their employer; then, secondment by secondment, the most skilled doctors of
    the sending level (of the same county; city hospitals send to any county) go to each target facility."""
    doctors.posting, doctors.presence = doctors.employer.copy(), np.ones(len(doctors))
    order = np.lexsort((doctors.uid, -doctors.skill))
    moved = 0
    for sec in secondments:
        targets = list(sec.only_facilities) or np.flatnonzero(
            (state.level == sec.to_level) & (state.county == sec.county)).tolist()
        eligible = ((doctors.level == sec.from_level) & (doctors.posting == doctors.employer)
                    & ((sec.from_level == CITY) | (state.county[doctors.employer] == sec.county)))
        pool = order[eligible[order]]
        for target in targets:
            chosen = pool[:sec.per_facility]
            doctors.posting[chosen], doctors.presence[chosen] = int(target), float(sec.presence)
            moved += len(chosen)
            pool = pool[sec.per_facility:]
    return moved


def staff_facilities(state: FacilityState, doctors: Doctors, params, levers, effort: np.ndarray | None = None,
                     services: np.ndarray | None = None) -> None:
    """Recompute doctors, skill, capacity and capability of every facility from the doctors working there
    (a seconded doctor counts at the posting for ``presence`` of the time, at the employer for the rest),
    from the supply levers (capability bonus, extra capacity and beds), from ``effort`` (by facility, every
    kind of care) and from the ``services`` offered (by facility, capability for admissions; ``restaff`` gives
    them to township centres only): a tier added counts only beyond what the capability bonus has already
    built, a tier dropped is lost whoever built it."""
    n = len(state.level)
    posting, employer, presence, skill = doctors.posting, doctors.employer, doctors.presence, doctors.skill
    away = 1.0 - presence
    state.doctors[:] = np.bincount(posting, weights=presence, minlength=n) + np.bincount(employer, weights=away,
                                                                                        minlength=n)
    skill_sum = np.bincount(posting, weights=skill * presence, minlength=n) + np.bincount(
        employer, weights=skill * away, minlength=n)
    state.mean_skill[:] = np.where(state.doctors > 0, skill_sum / np.maximum(state.doctors, 1e-9), 0.5)
    fp, care = params.facilities, params.care
    lvl = state.level
    state.outpatient_capacity[:] = (state.doctors * fp.visits_per_doctor_week.array()[lvl]
                                    + levers.extra_outpatient_capacity) * state.capacity_share
    throughput = 7.0 / fp.length_of_stay_days.array()[lvl] * fp.max_bed_occupancy
    beds = state.beds + levers.extra_beds
    state.admission_capacity[:] = np.where(state.doctors > 0, beds * throughput, 0.0) * state.capacity_share
    base = care.capability()[lvl]
    bonus = levers.capability_bonus + (0.0 if effort is None else effort[:, None])
    if services is not None:  # a tier a policy has built (subcentres, upgrades) is not built twice
        built = np.maximum(levers.capability_bonus[:, SERIOUS], 0.0)
        bonus[:, SERIOUS] += np.where(services > 0, np.maximum(services - built, 0.0), services)
    state.capability[:] = np.clip(base + care.skill_weight * (state.mean_skill - 0.5)[:, None] + bonus, 0.0, 1.0)
    state.capability[(base <= 0) & (levers.capability_bonus <= 0)] = 0.0  # out of scope unless policy adds it
