"""Doctors: level, skill, employer, posting, age and pay, with yearly career events.

A doctor's employer (the facility that holds the post) and posting (where they work this year) differ
when a doctor is dispatched (下沉); capacity and capability follow the posting.
"""

from __future__ import annotations

import mesa
import numpy as np

from ygt_abm.config.params import WorkforceParams

from ygt_abm.vocabulary import LEVELS

VILLAGE = 0


class Doctor(mesa.Agent):
    def __init__(self, model: mesa.Model, level: int, employer: int, age: float, skill: float, pay: float) -> None:
        super().__init__(model)
        self.level = int(level)
        self.employer = int(employer)
        self.posting = int(employer)
        self.presence = 1.0  # share of working time at the posting; the rest is at the employer
        self.age = float(age)
        self.skill = float(skill)
        self.pay = float(pay)

    def __repr__(self) -> str:
        return (f"Doctor({LEVELS[self.level]}, employer={self.employer}, posting={self.posting}, "
                f"age={self.age:.0f}, skill={self.skill:.2f})")


def hire_initial_doctors(model: mesa.Model, posts: np.ndarray, level: np.ndarray, params: WorkforceParams,
                         pay: np.ndarray, rng: np.random.Generator) -> None:
    """Fill every post at the start: fractional posts are filled with that probability."""
    count = np.floor(posts).astype(np.int64) + (rng.random(len(posts)) < posts % 1)
    employer = np.repeat(np.arange(len(posts)), count)
    lvl = level[employer]
    age = np.clip(rng.normal(params.mean_age.array()[lvl], params.age_sd), 22, 75)
    skill = rng.beta(5.0, 5.0, len(employer))
    for f, lv, a, s in zip(employer.tolist(), lvl.tolist(), age.tolist(), skill.tolist()):
        Doctor(model, lv, f, a, s, pay[lv])
    model.facilities.posts[:] = count  # establishment = the posts actually filled at start


def yearly_careers(model: mesa.Model, params: WorkforceParams, pay: np.ndarray, levers,
                   rng: np.random.Generator) -> dict:
    """One year of careers: ageing, retirement, quitting, training, then recruitment into vacancies.

    ``pay`` is (county, level) yearly pay. Quitting rises as pay falls below the reference; vacancies fill
    faster as pay rises (``fill_pay_elasticity``) and as levers ease hiring (乡聘村用, 县招乡用); over-age
    village doctors leave at a hazard scaled by ``levers.village_retirement_factor``. Draws are taken per
    doctor in ``unique_id`` order, so they do not depend on set iteration order."""
    state = model.facilities
    county_of = np.maximum(state.county, 0)  # city hospitals: county 0's pay (they are outside policy)
    doctors = sorted(model.agents_by_type.get(Doctor, []), key=lambda d: d.unique_id)
    u = rng.random((len(doctors), 3))
    events = {"retired": 0, "quit": 0, "trained": 0, "recruited": 0}
    quit_base = params.quit_rate.array()
    ref = params.reference_pay.array()
    train = params.training_rate.array()
    for d, (u_leave, u_quit, u_train) in zip(doctors, u.tolist()):
        c = county_of[d.employer]
        d.age += 1.0
        d.pay = float(pay[c, d.level])
        over_age = d.age >= params.retirement_age
        hazard = params.village_retirement_hazard * levers.village_retirement_factor[c]
        if over_age and (d.level != VILLAGE or u_leave < hazard):
            events["retired"] += 1
            d.remove()
            continue
        if u_quit < quit_base[d.level] * (ref[d.level] / max(d.pay, 1.0)) ** params.quit_pay_elasticity:
            events["quit"] += 1
            d.remove()
            continue
        if u_train < train[d.level]:
            d.skill = min(1.0, d.skill + params.training_skill_gain)
            events["trained"] += 1

    staffed = np.bincount([d.employer for d in model.agents_by_type.get(Doctor, [])], minlength=len(state.level))
    vacancies = np.maximum(np.round(state.posts).astype(np.int64) - staffed, 0)
    lvl = state.level
    pay_ratio = pay[county_of, lvl] / ref[lvl]
    rate = params.vacancy_fill_rate.array()[lvl] * levers.vacancy_fill_factor[county_of, lvl] \
        * pay_ratio ** params.fill_pay_elasticity
    fill = rng.binomial(vacancies, np.clip(rate, 0.0, 1.0))
    employer = np.repeat(np.arange(len(fill)), fill)
    skill = rng.beta(5.0, 5.0, len(employer))
    for f, s in zip(employer.tolist(), skill.tolist()):
        lv, c = int(lvl[f]), int(county_of[f])
        bonus = levers.recruit_skill_bonus[c, lv]
        Doctor(model, lv, f, params.recruit_age.array()[lv], min(1.0, s + bonus), pay[c, lv])
    events["recruited"] = int(len(employer))
    return events


def apply_secondments(model: mesa.Model, secondments: list) -> int:
    """Post doctors according to the secondment levers (下沉, 组团式帮扶); returns how many moved.

    Everyone first returns to their employer; then, secondment by secondment, the most skilled doctors of
    the sending level (of the same county; city hospitals send to any county) go to each target facility."""
    state = model.facilities
    doctors = sorted(model.agents_by_type.get(Doctor, []), key=lambda d: (-d.skill, d.unique_id))
    for d in doctors:
        d.posting, d.presence = d.employer, 1.0
    moved = 0
    for sec in secondments:
        targets = list(sec.only_facilities) or np.flatnonzero(
            (state.level == sec.to_level) & (state.county == sec.county)).tolist()
        pool = [d for d in doctors if d.level == sec.from_level and d.posting == d.employer
                and (sec.from_level == 3 or state.county[d.employer] == sec.county)]
        for target in targets:
            for d in pool[:sec.per_facility]:
                d.posting, d.presence = int(target), float(sec.presence)
                moved += 1
            pool = pool[sec.per_facility:]
    return moved
