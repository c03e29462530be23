"""Outpatient capitation (门诊统筹按人头付费): the fund pays primary care's outpatient care by head, not by contact."""

import textwrap

import numpy as np
import pytest

from ygt_abm.config import ConfigError, ModelParameters, SyntheticWorld
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.interventions import build
from ygt_abm.levers import GlobalBudget, PolicyLevers
from ygt_abm.model import CountyModel
from ygt_abm.pricing import limit_outpatient_fund, price_and_reimbursement
from ygt_abm.processes.provision import (
    Incentives, intensity_value, keep_share, keep_value, preferred_intensity,
)
from ygt_abm.vocabulary import COUNTY, INPATIENT, OUTPATIENT, TOWNSHIP, VILLAGE
from ygt_abm.world import build_world

SRC = {"source": "test"}


@pytest.fixture
def levers():
    return PolicyLevers.baseline(ModelParameters(), n_counties=1, n_facilities=3)


def test_a_capitated_visit_costs_the_fund_nothing_and_the_patient_what_it_did(levers):
    level = np.array([VILLAGE, TOWNSHIP, TOWNSHIP, COUNTY, VILLAGE])
    kind = np.array([OUTPATIENT, OUTPATIENT, INPATIENT, OUTPATIENT, OUTPATIENT], dtype=np.int8)
    insured = np.array([True, True, True, True, False])
    county = np.zeros(5, int)
    before_price, before_fund = price_and_reimbursement(levers, county, level, kind, insured)
    levers.outpatient_capitation[0, [VILLAGE, TOWNSHIP]] = True
    price, fund = price_and_reimbursement(levers, county, level, kind, insured)
    assert fund[:2].tolist() == [0.0, 0.0] and before_fund[:2].min() > 0  # the fund paid its share before
    assert (price - fund).tolist() == pytest.approx((before_price - before_fund).tolist())  # same out of pocket
    assert price[:2].tolist() == pytest.approx((before_price - before_fund)[:2].tolist())  # the facility: that only
    # admissions, the county hospital's visits and the uninsured are priced as before
    assert price[2:].tolist() == before_price[2:].tolist() and fund[2:].tolist() == before_fund[2:].tolist()


def test_a_capitated_visit_is_held_to_the_yearly_limit_as_before_and_settled_at_its_charges():
    """The pooled benefit of a capitated visit (the facility gives it out of its capitation) uses the resident's
    allowance as the fund's payment did: past the limit the patient pays, and the facility is paid, in full."""
    itemised = np.array([100.0, 100.0, 100.0, 100.0])
    insured_share = np.array([40.0, 40.0, 40.0, 100.0])  # the schedule's out of pocket; the last: uninsured
    resident, county = np.array([0, 0, 0, 1]), np.zeros(4, np.int64)
    kind = np.full(4, OUTPATIENT, dtype=np.int8)
    limit, settled = np.array([150.0]), (np.zeros(1), np.zeros(1))
    by_fund, used = np.array([60.0, 60.0, 60.0, 0.0]), np.zeros(2)
    limit_outpatient_fund(by_fund, itemised.copy(), resident, county, kind, limit, used, *settled)
    oop_before = itemised - by_fund
    price, fund, used_by_head = insured_share.copy(), np.zeros(4), np.zeros(2)
    visits, charges = np.zeros(1), np.zeros(1)
    limit_outpatient_fund(fund, price, resident, county, kind, limit, used_by_head, visits, charges,
                          np.ones(4, dtype=bool), itemised)
    assert not fund.any() and (price - fund).tolist() == oop_before.tolist() == [40.0, 40.0, 70.0, 100.0]
    assert used_by_head.tolist() == used.tolist() == [150.0, 0.0]
    assert visits.tolist() == settled[0].tolist() == [3.0] and charges.tolist() == [300.0]


def incentives(levers, params):
    return Incentives.facing(params, levers, np.zeros(levers.outpatient_price.shape[0]))


def test_providers_paid_by_head_prefer_leaner_visits_and_only_where_capitated():
    params = ModelParameters()
    levers = PolicyLevers.baseline(params, 2, 1)
    levers.outpatient_capitation[0, [VILLAGE, TOWNSHIP]] = True
    ffs = intensity_value(params, Incentives.fee_for_service(params, 2, 1))
    m = preferred_intensity(params, incentives(levers, params), ffs)
    floor = params.providers.intensity_floor
    assert np.all((m[0, [VILLAGE, TOWNSHIP], OUTPATIENT] < 0.99) & (m[0, [VILLAGE, TOWNSHIP], OUTPATIENT] >= floor))
    assert m[0, TOWNSHIP, INPATIENT] == m[0, VILLAGE, INPATIENT] == 1.0  # admissions are still paid by item
    assert (m[0, COUNTY:] == 1.0).all() and (m[1] == 1.0).all()  # other levels, other counties: as before


def test_a_centre_paid_by_head_keeps_less_failed_outpatient_care():
    params = ModelParameters()
    # a community keeping half its budget's surplus bears half the fund's payment for a contact: keeping failed
    # care earns the rest of it under fee for service (with all of it borne, capitation changes nothing)
    held = GlobalBudget("history", 0.0, 0.5, 0.5, 0.6, 0.6, True)
    levers = PolicyLevers.baseline(params, 1, 1)
    levers.global_budget = [held]
    ffs = keep_value(params, Incentives.fee_for_service(params, 1, 1))
    kept = keep_share(params, incentives(levers, params), ffs)
    levers.outpatient_capitation[0, TOWNSHIP] = True
    capitated = keep_share(params, incentives(levers, params), ffs)
    assert 0.0 <= capitated[0, TOWNSHIP, OUTPATIENT] < kept[0, TOWNSHIP, OUTPATIENT]  # a second try earns less
    assert capitated[0, COUNTY].tolist() == kept[0, COUNTY].tolist()
    assert not keep_share(params, incentives(PolicyLevers.baseline(params, 1, 1), params), ffs).any()


@pytest.fixture(scope="module")
def county():
    return build_world(SyntheticWorld(population=20_000, townships=4), seed=8)


def year_one(region, specs):
    model = CountyModel(region, ModelParameters(), seed=5, interventions=[build(s) for s in specs], checks=True)
    values = model.run(1, warmup_years=1).set_index("metric")["value"]
    return model, values


def test_the_yearly_capitation_is_the_funds_spending_and_the_facilities_revenue(county):
    per_head = 80.0
    model, paid = year_one(county, [{"type": "outpatient_capitation", "per_head": per_head, **SRC}])
    _, base = year_one(county, [])
    pop = model.population
    per_resident = per_head * pop.insured.sum() / len(pop.county)
    # village clinics: nothing per visit, the capitation by head (and under checks: the fund's spending is the
    # facilities' revenue from the fund, to the yuan)
    assert paid["fund_spending_per_capita_village"] == pytest.approx(per_resident, rel=1e-9)
    assert paid["effective_reimbursement_ratio_village"] == 0.0
    oop = paid["oop_per_visit_village"] * paid["visits_per_capita_village"]
    assert paid["facility_revenue_per_capita_village"] == pytest.approx(per_resident + oop, rel=1e-9)
    # township centres: the capitation on top of what the fund pays for admissions
    assert paid["fund_spending_per_capita_township"] > per_resident
    # leaner visits: the patient's share of the itemised charges falls at the capitated levels
    assert paid["oop_per_visit_village"] < base["oop_per_visit_village"]
    assert paid["oop_per_visit_township"] < base["oop_per_visit_township"]


def test_without_a_per_head_sum_capitation_pays_what_the_fund_paid_per_insured_resident_last_year(county):
    model = CountyModel(county, ModelParameters(), seed=5, checks=True,
                        interventions=[build({"type": "outpatient_capitation", "levels": ["village"], **SRC})])
    model.warm_up(1)
    payment = model.process("payment")
    last_year = payment.outpatient_fund_per_insured[0, VILLAGE]  # paid per visit in the warm-up year
    values = model.run(1).set_index("metric")["value"]
    pop = model.population
    assert last_year > 0
    assert values["fund_spending_per_capita_village"] == pytest.approx(
        last_year * pop.insured.sum() / len(pop.county), rel=1e-9)
    # what it paid by head is next year's budget-neutral sum: the same, year after year
    assert payment.outpatient_fund_per_insured[0, VILLAGE] == pytest.approx(last_year, rel=1e-12)


def test_a_budget_neutral_capitation_needs_a_settled_year_before_it(county):
    model = CountyModel(county, ModelParameters(), seed=5,
                        interventions=[build({"type": "outpatient_capitation", **SRC})])
    with pytest.raises(ValueError, match="settled year"):
        model.run(1)


EXPERIMENT = """\
name: tiny
seed: 1
replicates: 2
years: 1
world:
  kind: synthetic
  population: 3000
  townships: 2
scenarios:
  - name: baseline
  - name: reform
    interventions:
      - type: outpatient_capitation
        levels: [village, county]
        per_head: -5
        source: test
"""


def test_a_bad_value_names_its_file_and_line(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(textwrap.dedent(EXPERIMENT), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_runnable_experiment(path)
    problems = {(p.line, p.field.split(".")[-1].split("[")[0]) for p in caught.value.problems}
    assert (14, "levels") in problems or (14, "1") in problems, caught.value.problems
    assert any(p.line == 15 and "per_head" in p.field for p in caught.value.problems), caught.value.problems
    assert str(next(p for p in caught.value.problems if "per_head" in p.field)).startswith(f"{path}:15: ")


def test_city_hospitals_cannot_be_paid_by_head():
    with pytest.raises(Exception):
        build({"type": "outpatient_capitation", "levels": ["city"], **SRC})
