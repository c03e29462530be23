"""Every intervention moves its proximate target in the documented direction (same world, same seed, so
the only difference is the policy); a no-op reproduces the baseline byte for byte; an intervention aimed at
one county leaves another untouched; bad parameters are clear errors."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.interventions import REGISTRY, build, catalogue
from ygt_abm.model import CountyModel
from ygt_abm.processes.workforce import doctor_pay
from ygt_abm.vocabulary import CHRONIC, CITY, COUNTY, PREVENTED, SERIOUS, TOWNSHIP, VILLAGE
from ygt_abm.world import build_world

SRC = {"source": "test"}


@pytest.fixture(scope="module")
def world():
    return build_world(SyntheticWorld(population=12_000, townships=4), seed=21)


def pair(world, spec: dict, weeks: int = 26, params: ModelParameters | None = None, seed: int = 5):
    """Baseline and policy models stepped ``weeks`` on the same seed."""
    base = CountyModel(world, params, seed=seed)
    policy = CountyModel(world, params, seed=seed, interventions=[build({**SRC, **spec})])
    for _ in range(weeks):
        base.step()
        policy.step()
    return base, policy


def at_level(model, values, level):
    return values[model.facilities.level == level]


def share(model, level):
    v = model.counters.visits.sum(0)
    return v[level] / v.sum()


def scarce(**extra) -> ModelParameters:
    data = {"workforce": {"county_doctors_per_1000": 0.7}}  # county hospitals crowded, not overwhelmed
    data.update(extra)
    return ModelParameters.model_validate(data)


# --- supply -------------------------------------------------------------------------------------------

def test_doctor_dispatch_moves_county_doctors_to_the_townships(world):
    base, pol = pair(world, {"type": "doctor_dispatch", "doctors_per_township": 2, "year_round": True}, weeks=1)
    f_base, f_pol = base.facilities, pol.facilities
    assert at_level(pol, f_pol.doctors, TOWNSHIP).sum() == pytest.approx(at_level(base, f_base.doctors, TOWNSHIP).sum() + 8)
    assert at_level(pol, f_pol.doctors, COUNTY).sum() == pytest.approx(at_level(base, f_base.doctors, COUNTY).sum() - 8)
    assert at_level(pol, f_pol.capability[:, SERIOUS], TOWNSHIP).mean() > at_level(base, f_base.capability[:, SERIOUS], TOWNSHIP).mean()


def test_prescribing_suspension_makes_a_dispatched_doctor_full_time(world):
    _, part = pair(world, {"type": "doctor_dispatch", "rotation_months": 12}, weeks=1)
    _, full = pair(world, {"type": "doctor_dispatch", "rotation_months": 12, "suspend_home_prescribing": True}, weeks=1)
    _, short = pair(world, {"type": "doctor_dispatch", "rotation_months": 3, "suspend_home_prescribing": True}, weeks=1)
    thc = lambda m: at_level(m, m.facilities.doctors, TOWNSHIP).sum()  # noqa: E731
    assert thc(full) > thc(part) == pytest.approx(thc(short))


def test_city_experts_raise_the_lead_hospitals_skill(world):
    base, pol = pair(world, {"type": "city_experts", "experts": 5, "months": 12}, weeks=1)
    lead = np.flatnonzero(base.facilities.level == COUNTY)[0]
    assert pol.facilities.mean_skill[lead] > base.facilities.mean_skill[lead]
    assert pol.facilities.capability[lead, SERIOUS] > base.facilities.capability[lead, SERIOUS]


def test_county_hospital_upgrade_keeps_more_admissions_in_the_county(world):
    base, pol = pair(world, {"type": "county_hospital_upgrade", "capability_gain": 0.15}, weeks=50)
    inside = lambda m: 1 - m.counters.admissions[:, CITY].sum() / m.counters.admissions.sum()  # noqa: E731
    assert inside(pol) > inside(base)
    assert pol.counters.referrals_up.sum() < base.counters.referrals_up.sum()


def test_township_subcentres_admit_more_patients(world):
    spec = {"type": "township_subcentres", "count": 2, "capability_gain": 0.25}
    base, pol = pair(world, spec, weeks=103)  # the second year's admissions, once residents have learnt
    subs = build({**SRC, **spec})
    subs.init(pol)
    chosen = subs.chosen(pol)
    assert len(chosen) == 2
    assert (pol.facilities.capability[chosen, SERIOUS] > base.facilities.capability[chosen, SERIOUS]).all()
    assert pol.facilities.admissions[chosen].sum() > base.facilities.admissions[chosen].sum()


def test_specialty_departments_add_township_capacity_and_visits(world):
    base, pol = pair(world, {"type": "grassroots_specialty_departments", "share": 1.0, "capability_gain": 0.1}, weeks=26)
    assert at_level(pol, pol.facilities.outpatient_capacity, TOWNSHIP).sum() > \
        at_level(base, base.facilities.outpatient_capacity, TOWNSHIP).sum()
    assert share(pol, TOWNSHIP) > share(base, TOWNSHIP)


def test_specialty_departments_add_a_share_of_baseline_capacity_every_year_not_a_compounding_one(world):
    spec = {"type": "grassroots_specialty_departments", "share": 1.0, "extra_capacity_share": 0.2}
    model = CountyModel(world, seed=5, interventions=[build({**SRC, **spec})])
    thcs = model.facilities.level == TOWNSHIP
    baseline = model.facilities.outpatient_capacity[thcs].copy()
    for year in range(4):
        for _ in range(52):
            model.step()
        assert model.levers.extra_outpatient_capacity[thcs] == pytest.approx(0.2 * baseline, rel=1e-12), year


def test_a_goal_for_a_later_year_is_reached_step_by_step_over_the_ramp(world):
    specs = [{"type": "county_hospital_upgrade", "capability_gain": 0.08, "ramp_years": 4},
             {"type": "grassroots_specialty_departments", "share": 1.0, "ramp_years": 4}]
    model = CountyModel(world, seed=5, interventions=[build({**SRC, **spec}) for spec in specs])
    hospitals, thcs = model.facilities.level == COUNTY, model.facilities.level == TOWNSHIP
    gains, centres = [], []
    for _ in range(5):
        for _ in range(52):
            model.step()
        gains.append(float(model.levers.capability_bonus[hospitals, SERIOUS].max()))
        centres.append(int((model.levers.extra_outpatient_capacity[thcs] > 0).sum()))
    assert gains == pytest.approx([0.02, 0.04, 0.06, 0.08, 0.08])
    assert centres[0] == 1 and centres[3] == centres[4] == thcs.sum()


def test_shared_diagnostics_reduce_failures_at_primary_care(world):
    base, pol = pair(world, {"type": "shared_diagnostics", "capability_gain": 0.1}, weeks=26)
    assert pol.counters.referrals_up.sum() < base.counters.referrals_up.sum()


def test_remote_consultation_resolves_failing_primary_care_locally_and_the_fund_pays_the_lead_hospital(world):
    spec = {"type": "remote_consultation", "share": 0.5, "fee": 100.0}
    base, pol = pair(world, spec, weeks=40)
    consultations = pol.counters.remote_consultations.sum()
    assert base.counters.remote_consultations.sum() == 0 and consultations > 0
    assert pol.counters.referrals_up.sum() + pol.counters.self_referrals_up.sum() < \
        base.counters.referrals_up.sum() + base.counters.self_referrals_up.sum()
    assert share(pol, TOWNSHIP) + share(pol, VILLAGE) > share(base, TOWNSHIP) + share(base, VILLAGE)
    lead = pol.facilities.lead_hospitals(np.arange(pol.region.n_counties))
    fee_revenue = pol.facilities.revenue_fund[lead] - base.facilities.revenue_fund[lead]
    assert fee_revenue.sum() > 0.5 * 100.0 * consultations  # the fees, less what fewer referrals up would earn


def test_circuit_clinics_add_capacity_in_the_most_remote_villages(world):
    base, pol = pair(world, {"type": "circuit_clinics", "coverage": 0.25}, weeks=1)
    added = pol.facilities.outpatient_capacity - base.facilities.outpatient_capacity
    covered = np.flatnonzero(added > 0)
    assert len(covered) == round(0.25 * (base.facilities.level == VILLAGE).sum())
    minutes = world.option_minutes[world.facility_village[covered], 1]
    others = world.option_minutes[:, 1][~np.isin(np.arange(world.n_villages), world.facility_village[covered])]
    assert minutes.min() >= others.max()


def test_unified_drug_catalogue_strengthens_chronic_care_at_village_clinics(world):
    base, pol = pair(world, {"type": "unified_drug_catalogue", "capability_gain": 0.1}, weeks=1)
    assert (at_level(pol, pol.facilities.capability[:, CHRONIC], VILLAGE)
            > at_level(base, base.facilities.capability[:, CHRONIC], VILLAGE)).mean() > 0.9


# --- payment -----------------------------------------------------------------------------------------

def test_a_higher_township_reimbursement_raises_the_township_share(world):
    base, pol = pair(world, {"type": "reimbursement_gap", "outpatient_change": {"township": 0.25}}, weeks=26)
    assert share(pol, TOWNSHIP) > share(base, TOWNSHIP)


def test_continuous_deductible_lowers_out_of_pocket_cost_of_the_same_care(world):
    base, pol = pair(world, {"type": "continuous_deductible"}, weeks=26)
    assert np.array_equal(pol.counters.admissions, base.counters.admissions)  # choices unchanged
    assert pol.counters.oop.sum() < base.counters.oop.sum()


def test_same_payment_lowers_county_revenue_for_township_treatable_cases(world):
    base, pol = pair(world, {"type": "same_disease_same_payment", "severity_threshold": 0.6}, weeks=26)
    revenue = lambda m: at_level(m, m.facilities.revenue_fund + m.facilities.revenue_oop, COUNTY).sum()  # noqa: E731
    admitted = lambda m: at_level(m, m.facilities.admissions, COUNTY).sum()  # noqa: E731
    assert revenue(pol) / admitted(pol) < revenue(base) / admitted(base)


def test_same_payment_reaches_the_choices_of_patients_with_township_treatable_illness(world):
    """Their expected cost at the county hospital is the township's, so more of them are admitted there."""
    base, pol = pair(world, {"type": "same_disease_same_payment", "severity_threshold": 0.6}, weeks=26)
    assert at_level(pol, pol.facilities.admissions, COUNTY).sum() > at_level(base, base.facilities.admissions,
                                                                              COUNTY).sum()


def test_the_fee_waiver_makes_the_same_referred_care_cheaper(world):
    base, pol = pair(world, {"type": "referred_patient_waiver_priority", "fee_waived": 50, "priority": False},
                     weeks=10)
    assert np.array_equal(pol.counters.visits, base.counters.visits)  # choices unchanged: unreferred costs
    assert pol.counters.oop.sum() < base.counters.oop.sum()


def test_priority_serves_referred_patients_first(world):
    params = scarce()
    base, pol = pair(world, {"type": "referred_patient_waiver_priority", "fee_waived": 0}, weeks=10, params=params)
    county = pol.facilities.level == COUNTY
    assert (pol.facilities.referred_wait_days[county] <= base.facilities.referred_wait_days[county]).all()
    assert (pol.facilities.referred_wait_days[county] < pol.facilities.wait_days[county]).any()


def test_chronic_capitation_raises_the_primary_care_share_of_the_fund(world):
    base, pol = pair(world, {"type": "chronic_capitation", "per_head": 300}, weeks=52)
    get = lambda m: m.indicators().set_index("metric").loc["primary_care_fund_share", "value"]  # noqa: E731
    assert get(pol) > get(base)


def test_chronic_capitation_inside_a_global_budget_moves_money_within_the_community_not_out_of_the_fund(world):
    capitation = {"type": "chronic_capitation", "per_head": 300, **SRC}
    for specs, inside in (([capitation], False), ([{"type": "global_budget", **SRC}, capitation], True)):
        model = CountyModel(world, None, seed=5, interventions=[build(s) for s in specs])
        for _ in range(51):
            model.step()
        spending, revenue = model.fund.spending.sum(), model.facilities.revenue_fund.sum()
        model.process("payment").end_year(model)  # the year-end payment alone
        paid = model.counters.capitation[:, TOWNSHIP].sum()
        assert paid == pytest.approx(300 * model.population.managed_chronic.sum())
        if inside:  # a transfer from the county hospitals to the township centres
            assert model.fund.spending.sum() == spending
            assert model.counters.capitation[:, COUNTY].sum() == pytest.approx(-paid)
            assert model.facilities.revenue_fund.sum() == pytest.approx(revenue)
        else:
            assert model.fund.spending.sum() == pytest.approx(spending + paid)
            assert model.facilities.revenue_fund.sum() == pytest.approx(revenue + paid)


# --- pathway -----------------------------------------------------------------------------------------

def test_reserved_slots_shorten_referred_waits_and_lengthen_self_referred_ones(world):
    params = scarce()
    # one week: the waits expected next follow from the same demand, before patients respond to them
    base, pol = pair(world, {"type": "reserved_referral_slots", "share": 0.3}, weeks=1, params=params)
    lead = np.flatnonzero(base.facilities.level == COUNTY)[np.argmax(base.facilities.beds[base.facilities.level == COUNTY])]
    assert pol.facilities.referred_wait_days[lead] < base.facilities.referred_wait_days[lead]
    assert pol.facilities.wait_days[lead] > base.facilities.wait_days[lead]


def test_family_doctor_contracting_reaches_its_target(world):
    base, pol = pair(world, {"type": "family_doctor_contracting", "target": 0.7, "key_populations_only": True},
                     weeks=1)
    key = pol.population.key_population
    assert pol.population.family_doctor[key].mean() == pytest.approx(0.7, abs=0.03)
    assert base.population.family_doctor[key].mean() < 0.68


def test_first_contact_keeps_contracted_residents_at_primary_care(world):
    base, pol = pair(world, {"type": "family_doctor_contracting", "target": 0.0, "first_contact": True,
                             "bypass_penalty": 2.0}, weeks=26)
    assert share(pol, COUNTY) + share(pol, CITY) < share(base, COUNTY) + share(base, CITY)


def test_referral_management_steers_treatable_admissions_to_the_township(world):
    base, pol = pair(world, {"type": "referral_management", "county_admission_limit": 0.8,
                             "unreferred_city_reimbursement_cut": 0.3}, weeks=26)
    assert pol.counters.admissions[:, TOWNSHIP].sum() > base.counters.admissions[:, TOWNSHIP].sum()
    assert pol.counters.visits[:, CITY].sum() < base.counters.visits[:, CITY].sum()


# --- incentives and workforce ------------------------------------------------------------------------------

def test_a_global_budget_turns_the_countys_result_into_doctors_pay(world):
    base, pol = pair(world, {"type": "global_budget", "overspend_share": 1.0}, weeks=52 * 3)
    assert (base.accounts.budget_bonus == 1).all()
    assert not np.allclose(pol.accounts.budget_bonus[0, :3], 1.0)
    history = pol.process("settlement").spending_history
    surplus = np.mean(history[-4:-1], axis=0)[0].sum() - history[-1][0].sum()
    assert np.sign(pol.accounts.budget_bonus[0, TOWNSHIP] - 1) == np.sign(surplus)
    assert np.sign(pol.accounts.budget_result[0]) == np.sign(surplus)


def test_a_cap_on_in_county_spending_only_leaves_out_of_county_spending_out_of_the_result(world):
    _, pol = pair(world, {"type": "global_budget", "overspend_share": 1.0, "out_of_county_included": False},
                  weeks=52 * 3)
    history = pol.process("settlement").spending_history
    in_county = np.mean(history[-4:-1], axis=0)[0, :CITY].sum() - history[-1][0, :CITY].sum()
    assert pol.accounts.budget_result[0] == pytest.approx(in_county)


def test_appraisal_linked_settlement_adds_to_providers_weight_on_patients(world):
    base, pol = pair(world, {"type": "appraisal_linked_settlement", "weight": 0.4}, weeks=1)
    assert (base.levers.appraisal_weight == 0).all()
    assert (pol.levers.appraisal_weight == 0.4).all()


def test_case_payment_pays_admissions_at_the_chosen_levels_a_case_rate(world):
    base, pol = pair(world, {"type": "case_payment", "levels": ["county"], "severity_adjustment": 0.25}, weeks=1)
    assert pol.levers.case_rate[0].tolist() == [0.0, 0.0, 1.0, 0.0] and not base.levers.case_rate.any()
    assert pol.levers.case_severity_adjustment[0] == 0.25
    assert pol.practice.intensity[0, COUNTY, 1] < 1.0 == pol.practice.intensity[0, TOWNSHIP, 1]  # 服务缩水


def test_outpatient_capitation_pays_primary_visits_by_head_not_by_contact(world):
    base, pol = pair(world, {"type": "outpatient_capitation", "levels": ["village"], "per_head": 50.0}, weeks=1)
    assert pol.levers.outpatient_capitation[0].tolist() == [True, False, False, False]
    assert pol.levers.outpatient_capitation_per_head[0, VILLAGE] == 50.0 and not base.levers.outpatient_capitation.any()
    assert pol.fund.spending[0, VILLAGE] == 0.0 < base.fund.spending[0, VILLAGE]  # nothing per visit
    assert pol.practice.intensity[0, VILLAGE, 0] < 1.0 == pol.practice.intensity[0, TOWNSHIP, 0]


def test_performance_pay_raises_township_pay_and_effort(world):
    base, pol = pair(world, {"type": "grassroots_performance_pay", "pay_increase": 0.5}, weeks=1)
    assert doctor_pay(pol)[0, TOWNSHIP] == pytest.approx(1.5 * doctor_pay(base)[0, TOWNSHIP])
    assert at_level(pol, pol.facilities.capability[:, 0], TOWNSHIP).mean() > \
        at_level(base, base.facilities.capability[:, 0], TOWNSHIP).mean()


def test_service_surplus_pay_pays_the_doctors_of_a_level_that_gains_patients(world):
    """两个允许: with 60% of each level's surplus growth paid as extra pay, stronger township centres (which draw
    patients from the county hospitals) pay their doctors more than the same lever without them; no level's
    doctors are paid less than without the lever."""
    departments = {**SRC, "type": "grassroots_specialty_departments", "share": 1.0, "capability_gain": 0.1}
    surplus_pay = {**SRC, "type": "service_surplus_pay", "share": 0.6, "levels": ["township", "county"]}

    def after_two_years(specs):
        model = CountyModel(world, seed=5, interventions=[build(s) for s in specs])
        model.run(2, warmup_years=3)
        return model.accounts.surplus_bonus[0], doctor_pay(model)[0]

    bonus_alone, _ = after_two_years([surplus_pay])
    bonus, pay = after_two_years([departments, surplus_pay])
    bonus_off, pay_off = after_two_years([departments])
    assert (bonus_off == 1.0).all() and (bonus >= 1.0).all() and (bonus_alone >= 1.0).all()
    assert bonus[TOWNSHIP] > bonus_alone[TOWNSHIP]
    assert bonus[VILLAGE] == bonus[CITY] == 1.0  # only the levels named
    assert pay[TOWNSHIP] > pay_off[TOWNSHIP] and pay[COUNTY] >= pay_off[COUNTY]


def test_village_public_health_tasks_pay_village_doctors_for_the_extra_share(world):
    base, pol = pair(world, {"type": "village_public_health_tasks", "share": 0.5}, weeks=1)
    wp = base.params.workforce
    extra = (0.5 - wp.village_public_health_share) * wp.public_health_per_capita * base.population.size
    per_doctor = extra / base.facilities.doctors_by_county(VILLAGE, 1)[0]
    assert doctor_pay(pol)[0, VILLAGE] == pytest.approx(doctor_pay(base)[0, VILLAGE] + per_doctor)


def test_pay_parity_lifts_township_pay_to_the_county_level(world):
    _, pol = pair(world, {"type": "pay_parity_promotion"}, weeks=1)
    assert doctor_pay(pol)[0, TOWNSHIP] >= doctor_pay(pol)[0, COUNTY]


def test_pay_parity_for_a_share_of_township_doctors_closes_that_share_of_the_gap(world):
    base, pol = pair(world, {"type": "pay_parity_promotion", "covered_share": 0.3}, weeks=1)
    gap = doctor_pay(base)[0, COUNTY] - doctor_pay(base)[0, TOWNSHIP]
    assert doctor_pay(pol)[0, TOWNSHIP] == pytest.approx(doctor_pay(base)[0, TOWNSHIP] + 0.3 * gap)


def test_village_clinic_integration_lets_over_age_village_doctors_retire_and_replaces_them(world):
    base, pol = pair(world, {"type": "village_clinic_integration", "fill_factor": 1.0, "subsidy": 0.0,
                             "retirement_factor": 3.0}, weeks=1)
    assert pol.levers.village_retirement_factor[0] == 3.0 * base.levers.village_retirement_factor[0]
    assert doctor_pay(pol)[0, VILLAGE] == doctor_pay(base)[0, VILLAGE]


def test_pay_parity_is_a_floor_on_the_whole_pay_whatever_the_order_of_other_pay_levers(world):
    raise_pay = {**SRC, "type": "grassroots_performance_pay", "pay_increase": 0.1}
    parity = {**SRC, "type": "pay_parity_promotion"}
    pays = []
    for specs in ([raise_pay, parity], [parity, raise_pay]):
        model = CountyModel(world, seed=5, interventions=[build(s) for s in specs])
        model.step()
        pays.append(doctor_pay(model))
    assert pays[0].tobytes() == pays[1].tobytes()
    ref = ModelParameters().workforce.reference_pay
    assert pays[0][0, TOWNSHIP] == pytest.approx(max(1.1 * ref.township, ref.county))


@pytest.mark.parametrize("spec, level", [
    ({"type": "village_doctors_hired_by_township", "fill_factor": 4.0}, VILLAGE),
    ({"type": "village_clinic_integration", "fill_factor": 4.0, "retirement_factor": 1.0}, VILLAGE),
    ({"type": "integrated_hiring", "fill_factor": 3.0}, TOWNSHIP),
    ({"type": "pay_parity_promotion", "promotion_rule": True, "fill_factor": 3.0}, TOWNSHIP),
])
def test_workforce_levers_keep_more_doctors(world, spec, level):
    base, pol = pair(world, spec, weeks=52 * 3)
    assert at_level(pol, pol.facilities.doctors, level).sum() > at_level(base, base.facilities.doctors, level).sum()


# --- health --------------------------------------------------------------------------------------------------

def test_chronic_management_raises_the_managed_rate_and_prevents_complications(world):
    base, pol = pair(world, {"type": "chronic_disease_management", "followup_utility": 1.0}, weeks=52)
    get = lambda m: m.indicators().set_index("metric").loc["chronic_managed_rate", "value"]  # noqa: E731
    assert get(pol) > get(base)
    assert pol.process("recording").records and base.counters is not None
    prevented = sum(r["value"] for r in pol.process("recording").records if r["metric"] == "admissions_per_capita")
    assert prevented < sum(r["value"] for r in base.process("recording").records if r["metric"] == "admissions_per_capita")


def test_health_literacy_means_fewer_visits_for_minor_illness(world):
    base, pol = pair(world, {"type": "health_literacy", "baseline": 0.2, "target": 0.4}, weeks=26)
    assert pol.counters.visits.sum() < base.counters.visits.sum()
    assert pol.counters.visits[:, CITY].sum() <= base.counters.visits[:, CITY].sum()


# --- properties of all interventions ------------------------------------------------------------------------

def test_a_price_adjustment_scales_list_prices_by_level_and_kind(world):
    _, pol = pair(world, {"type": "price_adjustment", "outpatient_change": {"village": 0.1},
                          "inpatient_change": {"county": -0.2}}, weeks=1)
    base = ModelParameters().facilities
    assert pol.levers.outpatient_price[0, VILLAGE] == pytest.approx(1.1 * base.outpatient_price.village)
    assert pol.levers.inpatient_price[0, COUNTY] == pytest.approx(0.8 * base.inpatient_price.county)
    assert pol.levers.outpatient_price[0, COUNTY] == pytest.approx(base.outpatient_price.county)
    with pytest.raises(ValueError, match="above −1"):
        CountyModel(world, seed=1, interventions=[build({"type": "price_adjustment",
                                                         "outpatient_change": {"city": -1.0}, **SRC})])


def test_gatekeeping_cuts_reimbursement_without_referral_from_its_level_up(world):
    _, pol = pair(world, {"type": "gatekeeping", "from_level": "county", "reimbursement_cut": 0.2,
                          "counties": ["County 1"]}, weeks=1)
    assert pol.levers.unreferred_reimbursement_cut[0].tolist() == [0.0, 0.0, 0.2, 0.2]
    _, both = pair(world, {"type": "referral_management", "unreferred_city_reimbursement_cut": 0.3}, weeks=1)
    assert both.levers.unreferred_reimbursement_cut[0, CITY] == pytest.approx(0.3)


def test_a_referral_on_request_softens_the_cut_as_enforced_not_as_written(world):
    """docs/model.md, "policy": patients avoid that share of the written cut by asking for a referral."""
    params = ModelParameters()
    params.care.referral_on_request = 0.5
    gate = {"type": "gatekeeping", "from_level": "county", "reimbursement_cut": 0.2}
    strict, soft = (pair(world, gate, weeks=1, params=p)[1] for p in (None, params))
    assert soft.levers.unreferred_reimbursement_cut[0].tolist() == pytest.approx([0.0, 0.0, 0.1, 0.1])
    assert strict.levers.unreferred_reimbursement_cut[0].tolist() == [0.0, 0.0, 0.2, 0.2]
    strict, soft = (pair(world, gate, weeks=8, params=p)[1] for p in (None, params))
    assert share(soft, COUNTY) > share(strict, COUNTY)  # a softer rule keeps more patients going straight up


def test_every_registered_intervention_is_tested_here():
    import inspect
    import sys

    text = inspect.getsource(sys.modules[__name__])
    missing = [name for name in REGISTRY if f'"{name}"' not in text]
    assert not missing, f"no test for {missing}"


def test_every_intervention_documents_its_mechanism_and_requires_a_source():
    for entry in catalogue():
        assert len(entry["mechanism"]) > 150, entry["type"]
        assert "Mechanism" in entry["mechanism"], entry["type"]
    for cls in REGISTRY.values():
        assert cls.Params.model_fields["source"].is_required()


def test_a_no_op_intervention_reproduces_the_baseline_byte_for_byte(world):
    base = CountyModel(world, seed=9).run(1)
    noop = CountyModel(world, seed=9, interventions=[build({"type": "reimbursement_gap", **SRC})]).run(1)
    assert base.to_parquet() == noop.to_parquet()


def test_an_intervention_aimed_at_one_county_leaves_the_other_identical(two_county_region):
    spec = {"type": "reimbursement_gap", "outpatient_change": {"township": 0.2, "county": -0.2},
            "counties": ["County 1"], **SRC}
    base = CountyModel(two_county_region, seed=4).run(1)
    pol = CountyModel(two_county_region, seed=4, interventions=[build(spec)]).run(1)
    other = lambda df: df[df["county"] == "County 2"].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(other(base), other(pol), check_exact=True)
    target = lambda df: df[df["county"] == "County 1"]["value"].to_numpy()  # noqa: E731
    assert not np.array_equal(target(base), target(pol))


def test_a_county_run_alone_ignores_levers_aimed_at_its_neighbours():
    config = SyntheticWorld(counties=2, population=3000, townships=1)
    spec = {"type": "reimbursement_gap", "outpatient_change": {"township": 0.2, "county": -0.2},
            "counties": ["County 1"], **SRC}
    for county, changed in ((0, True), (1, False)):
        alone = build_world(config, seed=4, county=county)
        base = CountyModel(alone, seed=4).run(1)
        pol = CountyModel(alone, seed=4, interventions=[build(spec)]).run(1)
        assert base.equals(pol) is not changed
    with pytest.raises(ValueError, match="unknown counties"):
        CountyModel(alone, seed=1, interventions=[build({**spec, "counties": ["Nowhere"]})])


def test_an_unknown_county_is_an_error(world):
    with pytest.raises(ValueError, match="unknown counties"):
        CountyModel(world, seed=1, interventions=[build({"type": "continuous_deductible", "counties": ["Nowhere"], **SRC})])


def test_interventions_start_and_end_when_configured(world):
    spec = {"type": "reimbursement_gap", "outpatient_change": {"township": 0.2}, "start_year": 2, "end_year": 2, **SRC}
    model = CountyModel(world, seed=1, interventions=[build(spec)])
    ratios = []
    for _ in range(3 * 52):
        model.step()
        if model.week % 52 == 1:
            ratios.append(model.levers.outpatient_reimbursement[0, TOWNSHIP])
    assert ratios == pytest.approx([0.7, 0.9, 0.7])


def test_prevented_onsets_end_as_prevented(world):
    model = CountyModel(world, seed=3, interventions=[build({"type": "chronic_disease_management",
                                                             "complication_reduction": 0.9, **SRC})])
    for _ in range(8):
        model.step()
    assert model.counters.outcomes[:, PREVENTED].sum() > 0
    assert model.counters.episodes.sum() == model.counters.outcomes.sum()
