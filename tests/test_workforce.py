"""Workforce: doctors (arrays), postings, careers, and facilities staffed from the doctors posted there."""

import numpy as np
import pytest

from ygt_abm.config import ModelParameters
from ygt_abm.model import CountyModel
from ygt_abm.processes.workforce import doctor_pay, restaff, yearly_careers
from ygt_abm.vocabulary import COUNTY, N_LEVELS, SERIOUS, TOWNSHIP, VILLAGE


def _village_doctors(model) -> float:
    return model.facilities.doctors_by_county(VILLAGE, model.region.n_counties).sum()


def test_a_facility_view_reads_the_arrays(small_region):
    model = CountyModel(small_region, seed=1)
    thc = next(model.facility(i) for i in range(small_region.n_facilities)
               if model.facility(i).kind == "township_health_centre")
    assert thc.beds == pytest.approx(44.6)
    assert thc.weekly_outpatient_capacity == thc.doctors * 60.0
    assert thc.prices == (84.7, 2083.0)
    assert thc.capability.shape == (4,)
    with pytest.raises(IndexError):
        model.facility(small_region.n_facilities)


def trend() -> ModelParameters:
    """Every post filled at the start, with the initial ages: the documented secular decline."""
    params = ModelParameters()
    params.workforce.steady_state_years = 0
    return params


def test_doctors_have_level_skill_employer_posting_age_and_pay(small_region):
    model = CountyModel(small_region, trend(), seed=1)
    d = model.doctors
    assert len(d) == model.facilities.doctors.sum()
    assert (d.posting == d.employer).all() and (d.uid == np.arange(len(d))).all()
    assert ((0 <= d.skill) & (d.skill <= 1)).all() and ((22 <= d.age) & (d.age <= 75)).all() and (d.pay > 0).all()
    assert d.age[d.level == VILLAGE].mean() > d.age[d.level != VILLAGE].mean()  # village doctors are older


def five_years_of_careers(model) -> float:
    """Yearly change of the village doctors over five years of careers at baseline pay."""
    start = _village_doctors(model)
    rng = np.random.default_rng(0)
    for _ in range(5):
        yearly_careers(model.doctors, model.facilities, model.params.workforce, doctor_pay(model), model.levers, rng)
    restaff(model)
    return (_village_doctors(model) / start) ** (1 / 5) - 1


def test_with_every_post_filled_at_the_start_village_doctors_dwindle_because_their_posts_are_hard_to_fill(small_region):
    assert -0.08 < five_years_of_careers(CountyModel(small_region, trend(), seed=2)) < -0.02  # bulletins: −3–6% a year


def test_the_workforce_starts_at_its_steady_state_with_the_sourced_headcount(small_region):
    filled, steady = CountyModel(small_region, trend(), seed=2), CountyModel(small_region, seed=2)
    for level in range(N_LEVELS):
        start = filled.doctors.level == level
        assert (steady.doctors.level == level).sum() == pytest.approx(start.sum(), rel=0.08)
    assert abs(five_years_of_careers(steady)) < 0.015
    assert steady.doctors.age[steady.doctors.level == VILLAGE].mean() > steady.doctors.age[steady.doctors.level != VILLAGE].mean()


def test_careers_keep_hiring_order_and_count_every_event(small_region):
    model = CountyModel(small_region, seed=2)
    before = len(model.doctors)
    events = yearly_careers(model.doctors, model.facilities, model.params.workforce, doctor_pay(model),
                            model.levers, np.random.default_rng(4))
    assert len(model.doctors) == before - events["retired"] - events["quit"] + events["recruited"]
    assert (np.diff(model.doctors.uid) > 0).all()


def test_lower_pay_makes_more_doctors_quit(small_region):
    quits = []
    for pay_factor in (1.0, 0.5):
        model = CountyModel(small_region, seed=3)
        events = yearly_careers(model.doctors, model.facilities, model.params.workforce, doctor_pay(model) * pay_factor,
                                model.levers, np.random.default_rng(1))
        quits.append(events["quit"])
    assert quits[1] > 1.5 * quits[0]


def test_capacity_and_capability_follow_the_posted_doctors(small_region):
    model = CountyModel(small_region, seed=4)
    thc = int(np.flatnonzero(model.facilities.level == TOWNSHIP)[0])
    before = model.facilities.outpatient_capacity[thc]
    moved = np.flatnonzero(model.doctors.posting == thc)[:3]
    model.doctors.posting[moved] = int(np.flatnonzero(model.facilities.level == COUNTY)[0])
    restaff(model)
    assert model.facilities.outpatient_capacity[thc] == pytest.approx(before - 3 * 60.0)


def test_the_services_township_centres_offer_add_to_their_capability_for_admissions_unless_policy_built_them(small_region):
    model = CountyModel(small_region, seed=4)
    fac = model.facilities
    thc = np.flatnonzero(fac.level == TOWNSHIP)
    before = fac.capability.copy()
    model.practice.services[:] = 0.1
    model.levers.capability_bonus[thc[0], SERIOUS] = 0.06  # an upgrade the package has built (subcentres)
    restaff(model)
    gained = fac.capability - before
    assert gained[thc[1:], SERIOUS] == pytest.approx(0.1)  # a tier of services: a surgeon, an anaesthetist
    assert gained[thc[0], SERIOUS] == pytest.approx(0.1)  # the tier reaches 0.1 above base, not 0.16
    others = np.ones(fac.capability.shape, bool)
    others[thc, SERIOUS] = False
    assert not gained[others].any()  # no other kind of care, no other level
    model.practice.services[:] = -0.05  # a tier dropped: lost whoever built it
    restaff(model)
    assert (fac.capability - before)[thc[1], SERIOUS] == pytest.approx(-0.05)
    assert (fac.capability - before)[thc[0], SERIOUS] == pytest.approx(0.06 - 0.05)


def test_a_clinic_without_doctors_cannot_be_chosen(small_region):
    params = ModelParameters.model_validate({"workforce": {"village_doctors_per_clinic": 0.0}})
    model = CountyModel(small_region, params, seed=5)
    for _ in range(3):
        model.step()
    assert model.counters.visits[:, 0].sum() == 0
    assert model.counters.visits.sum() > 0
