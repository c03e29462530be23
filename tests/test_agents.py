import numpy as np
import pytest

from ygt_abm.agents import Doctor, Facility
from ygt_abm.agents.doctor import yearly_careers
from ygt_abm.config import ModelParameters
from ygt_abm.model import CountyModel


def test_facilities_are_mesa_agents_viewing_the_arrays(small_region):
    model = CountyModel(small_region, seed=1)
    facilities = model.agents_by_type[Facility]
    assert len(facilities) == small_region.n_facilities
    thc = next(f for f in facilities if f.kind == "township_health_centre")
    assert thc.beds == pytest.approx(44.6)
    assert thc.weekly_outpatient_capacity == thc.doctors * 60.0
    assert thc.prices == (84.7, 2083.0)
    assert thc.capability.shape == (4,)


def test_doctors_have_level_skill_employer_posting_age_and_pay(small_region):
    model = CountyModel(small_region, seed=1)
    doctors = list(model.agents_by_type[Doctor])
    assert len(doctors) == model.facilities.doctors.sum()
    d = doctors[0]
    assert d.posting == d.employer and 0 <= d.skill <= 1 and 22 <= d.age <= 75 and d.pay > 0
    village = [x for x in doctors if x.level == 0]
    others = [x for x in doctors if x.level != 0]
    assert np.mean([x.age for x in village]) > np.mean([x.age for x in others])  # village doctors are older


def test_village_doctors_dwindle_because_their_posts_are_hard_to_fill(small_region):
    model = CountyModel(small_region, seed=2)
    start = model.village_doctor_count().sum()
    rng = np.random.default_rng(0)
    for _ in range(5):
        yearly_careers(model, model.params.workforce, model.doctor_pay(), model.levers, rng)
    model._restaff()
    yearly_loss = 1 - (model.village_doctor_count().sum() / start) ** (1 / 5)
    assert 0.02 < yearly_loss < 0.08  # bulletins: −3–6% a year


def test_lower_pay_makes_more_doctors_quit(small_region):
    quits = []
    for pay_factor in (1.0, 0.5):
        model = CountyModel(small_region, seed=3)
        events = yearly_careers(model, model.params.workforce, model.doctor_pay() * pay_factor, model.levers,
                                np.random.default_rng(1))
        quits.append(events["quit"])
    assert quits[1] > 1.5 * quits[0]


def test_capacity_and_capability_follow_the_posted_doctors(small_region):
    model = CountyModel(small_region, seed=4)
    thc = int(np.flatnonzero(model.facilities.level == 1)[0])
    before = model.facilities.outpatient_capacity[thc]
    for d in [d for d in model.agents_by_type[Doctor] if d.posting == thc][:3]:
        d.posting = int(np.flatnonzero(model.facilities.level == 2)[0])
    model._restaff()
    assert model.facilities.outpatient_capacity[thc] == pytest.approx(before - 3 * 60.0)


def test_a_clinic_without_doctors_cannot_be_chosen(small_region):
    params = ModelParameters.model_validate({"workforce": {"village_doctors_per_clinic": 0.0}})
    model = CountyModel(small_region, params, seed=5)
    for _ in range(3):
        model.step()
    assert model.counters.visits[:, 0].sum() == 0
    assert model.counters.visits.sum() > 0
