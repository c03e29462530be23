"""Providers as imperfect agents: what they admit and whom they send up follows how they are paid."""

import numpy as np
import pytest
from oracles import admit_as_arrays

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.interventions import build
from ygt_abm.levers import GlobalBudget, PolicyLevers
from ygt_abm.model import CountyModel
from ygt_abm.processes.provision import (
    Caseload, Incentives, admission_threshold, admit, catalogue_shift_share, decline_share, followup_shift, holder_retention, intensity_value,
    keep_share, keep_value, marginal_admission_value, outreach_share, outreach_value, preferred_intensity,
    respond, services_change, services_value, step_down_share, tier_caseload, tier_success_gain,
)
from ygt_abm.state.episodes import keyed_uniforms
from ygt_abm.vocabulary import CITY, COUNTY, SERIOUS, TOWNSHIP, VILLAGE
from ygt_abm.world import build_world

SRC = {"source": "test"}


def budget(retained=1.0, overspend=0.5, out_of_county=True) -> GlobalBudget:
    return GlobalBudget("history", 0.0, retained, overspend, 0.6, 0.6, out_of_county)


def levers_with(budgets, params=None) -> PolicyLevers:
    levers = PolicyLevers.baseline(params or ModelParameters(), len(budgets), 1)
    levers.global_budget = list(budgets)
    return levers


def facing(params, levers) -> Incentives:
    """What providers weigh under these levers, before any budget has been settled."""
    return Incentives.facing(params, levers, np.zeros(len(levers.global_budget)))


def test_responses_rise_smoothly_from_nothing_and_never_reach_everyone():
    gains = np.linspace(-500, 20_000, 2_051)
    share = respond(gains, 1000.0, 1.0)
    assert not share[gains <= 0].any()  # nothing gained, nobody moved
    assert np.all(np.diff(share[gains >= 0]) > 0) and share.max() < 0.96  # 20 times the median: still not all
    assert np.abs(np.diff(share)).max() < 0.01  # no jump anywhere on a 10-yuan grid
    assert respond(np.array([1000.0]), 1000.0, 1.0)[0] == pytest.approx(0.5)  # half respond at the median cost
    # at shape 1 the first yuan moves what an exponential cost of that median would (no kink made steeper)
    assert respond(np.array([1.0]), 1000.0, 1.0)[0] == pytest.approx(1 / 1000, rel=1e-2)


def test_the_shape_is_the_dispersion_of_responses():
    below, above = np.array([500.0]), np.array([2000.0])
    alike, spread = 4.0, 0.5  # providers alike respond together at the median; spread ones start and finish early
    assert respond(below, 1000.0, alike) < respond(below, 1000.0, spread)
    assert respond(above, 1000.0, alike) > respond(above, 1000.0, spread)
    assert np.isfinite(respond(np.array([0.0, 1e-300, 1e300]), 1000.0, alike)).all()


def provider_view(budgets, params=None, appraisal=0.0):
    """(admission threshold, decline share) providers prefer under these budgets, by (county, level)."""
    params = params or ModelParameters()
    p, n = params.providers, len(budgets)
    levers = levers_with(budgets, params)
    levers.appraisal_weight[:] = appraisal
    now, ffs = facing(params, levers), Incentives.fee_for_service(params, n, 1)
    value = marginal_admission_value(params, now)
    return admission_threshold(p, value, marginal_admission_value(params, ffs)), decline_share(params, now)


def test_under_fee_for_service_providers_admit_every_serious_case_and_decline_none():
    threshold, decline = provider_view([None])
    assert not threshold.any() and not decline.any()


def test_a_budget_the_community_holds_cuts_most_marginal_admissions_in_the_county_but_not_all():
    threshold, decline = provider_view([budget()])
    appropriate = ModelParameters().providers.appropriate_admission_severity.array()
    for level in (TOWNSHIP, COUNTY):  # admitting a marginal case now loses money: past half, short of all
        assert appropriate[level] / 2 < threshold[0, level] < appropriate[level]
    assert threshold[0, VILLAGE] == threshold[0, CITY] == 0.0  # no beds; the city is paid by fee for service
    assert not decline.any()  # sending patients up costs the community more than keeping them


def test_the_more_of_a_surplus_the_community_keeps_the_fewer_marginal_admissions():
    shares = [provider_view([budget(retained=r)])[0][0, COUNTY] for r in (0.0, 0.1, 0.2, 0.3)]
    assert shares[0] == 0.0
    assert np.all(np.diff(shares) > 0)


def test_no_stake_in_a_community_budget_however_small_makes_providers_send_patients_up():
    for retained in (0.0, 0.01, 0.1, 0.5, 1.0):
        _, decline = provider_view([budget(retained=retained)])
        assert not decline.any(), retained


def test_a_budget_in_deficit_gives_the_overspend_share_its_weight():
    retention = holder_retention([budget(retained=1.0, overspend=0.25)], np.array([-1.0]))
    assert retention[0, :CITY].tolist() == [0.25] * CITY and retention[0, CITY] == 0.0
    # a deficit borne at 0 settles as −0.0: still a deficit, with no stake
    assert not holder_retention([budget(retained=1.0, overspend=0.0)], np.array([-0.0])).any()


def test_city_hospitals_keep_fee_for_service_practice_whatever_the_county_does():
    params = ModelParameters()
    levers = levers_with([budget()], params)
    levers.unreferred_reimbursement_cut[0, CITY] = 0.1  # patients pay more there without a referral
    ffs = marginal_admission_value(params, Incentives.fee_for_service(params, 1, 1))
    value = marginal_admission_value(params, facing(params, levers))
    assert admission_threshold(params.providers, value, ffs)[0, CITY] == 0


def test_appraisal_acts_through_a_budgets_settlement_only():
    threshold, decline = provider_view([None], appraisal=0.5)
    assert not threshold.any() and not decline.any()


def test_a_cap_that_leaves_out_of_county_care_out_invites_declining_and_appraisal_limits_it():
    selfish = ModelParameters()
    selfish.providers.patient_benefit_weight = 0.1
    _, decline = provider_view([budget(out_of_county=False)], selfish)
    assert decline[0, COUNTY].mean() > 0.1  # the county hospital saves by sending serious cases to the city
    _, appraised = provider_view([budget(out_of_county=False)], selfish, appraisal=0.5)
    assert np.all(appraised[0, COUNTY] >= 0.0) and appraised[0, COUNTY].sum() < decline[0, COUNTY].sum()
    _, evidence_weight = provider_view([budget(out_of_county=False)])
    assert evidence_weight[0, COUNTY].sum() < decline[0, COUNTY].sum()


def intensity_view(budgets, case_payment=False, appraisal=0.0, params=None, intensity_adjustment=0.0):
    """(county, level, kind) intensity providers prefer, relative to fee-for-service practice."""
    params = params or ModelParameters()
    n = len(budgets)
    levers = levers_with(budgets, params)
    levers.appraisal_weight[:] = appraisal
    if case_payment:
        levers.case_rate[:, TOWNSHIP:CITY] = 1.0
        levers.case_severity_adjustment[:] = 0.5
        levers.case_intensity_adjustment[:] = intensity_adjustment
    ffs = intensity_value(params, Incentives.fee_for_service(params, n, 1))
    return preferred_intensity(params, facing(params, levers), ffs)


def test_fee_for_service_keeps_its_intensity_and_case_payment_cuts_that_of_admissions_only():
    assert (intensity_view([None]) == 1.0).all()
    cut = intensity_view([None], case_payment=True)  # DRG: the group's rate whatever is done
    floor = ModelParameters().providers.intensity_floor
    assert np.all((cut[0, TOWNSHIP:CITY, 1] < 0.95) & (cut[0, TOWNSHIP:CITY, 1] >= floor))  # 服务缩水
    assert (cut[0, :, 0] == 1.0).all()  # visits are still paid by item
    assert cut[0, CITY, 1] == cut[0, VILLAGE, 1] == 1.0


def test_diagnosis_procedure_groups_that_pay_for_intensity_limit_the_cut_in_proportion():
    flat, half, whole = (intensity_view([None], case_payment=True, intensity_adjustment=a)[0, TOWNSHIP:CITY, 1]
                         for a in (0.0, 0.5, 1.0))
    assert np.all((flat < half) & (half < 1.0))  # DIP's groups by diagnosis and procedure: a smaller cut
    assert np.allclose(whole, 1.0)  # a rate that follows charges wholly pays for intensity as items do


def test_a_held_budget_cuts_the_intensity_of_every_contact_and_appraisal_limits_the_cut():
    held = intensity_view([budget()])
    assert np.all(held[0, TOWNSHIP:CITY] < 1.0)
    appraised = intensity_view([budget()], appraisal=1.0)
    assert np.all(appraised[0, TOWNSHIP:CITY] > held[0, TOWNSHIP:CITY])


def step_down_view(budgets, case_payment=False, appraisal=0.0, params=None):
    params = params or ModelParameters()
    n = len(budgets)
    levers = levers_with(budgets, params)
    levers.appraisal_weight[:] = appraisal
    if case_payment:
        levers.case_rate[:, TOWNSHIP:CITY] = 1.0
    return step_down_share(params, facing(params, levers), np.ones((n, 4, 2)))


def test_hospitals_refer_recovering_patients_down_when_the_shorter_stay_pays_them_or_their_budget():
    assert step_down_view([None]) == 0.0  # fee for service: the hospital would lose the stay's margin
    assert step_down_view([budget()]) > 0.0  # the township's recovery stay is cheaper for the holder
    assert step_down_view([None], case_payment=True) > step_down_view([budget()])  # the case rate is kept
    assert step_down_view([budget(retained=0.0, overspend=0.0)]) == 0.0  # no stake, no change
    # appraisal weighs the hospital's own gain less against its patients' harm of moving: where the shorter stay
    # pays the hospital (drugs and consumables a large share of its price), fewer referrals down
    costly = ModelParameters()
    costly.providers.marginal_cost_share = 0.7
    assert 0.0 < step_down_view([budget()], appraisal=2.0, params=costly) < step_down_view([budget()], params=costly)


def test_hospitals_refer_down_no_more_recoveries_than_need_a_further_stay_and_patients_consent_to():
    params = ModelParameters()
    consent = params.care.post_acute_share * params.providers.referral_down_consent
    assert 0.0 < consent < params.providers.referral_down_consent < 1.0
    assert step_down_view([None], case_payment=True) < consent
    rich = ModelParameters()
    rich.providers.patient_benefit_weight = 0.01  # a hospital that all but ignores its patients' harm
    levers = levers_with([None], rich)
    levers.case_rate[:, TOWNSHIP:CITY] = 1.0
    share = step_down_share(rich, facing(rich, levers), np.ones((1, 4, 2)))
    assert consent * 0.9 < share[0] < consent


def keep_view(budgets, appraisal=0.0):
    """(county, level, kind) share of failed care providers prefer to keep rather than refer up."""
    params, n = ModelParameters(), len(budgets)
    levers = levers_with(budgets, params)
    levers.appraisal_weight[:] = appraisal
    ffs = keep_value(params, Incentives.fee_for_service(params, n, 1))
    return keep_share(params, facing(params, levers), ffs)


def test_a_budget_that_bears_out_of_county_care_keeps_failed_care_in_the_county_and_a_cap_does_not():
    assert not keep_view([None]).any()  # fee-for-service practice is the observed referral up
    held, capped = keep_view([budget()])[0], keep_view([budget(out_of_county=False)])[0]
    assert held[COUNTY].min() > 0.0 and held[TOWNSHIP].min() > 0.0  # the level above costs the holder more
    assert not capped[COUNTY].any() and capped[TOWNSHIP].min() > 0.0  # the city is not the cap's money
    assert not held[[VILLAGE, CITY]].any()
    assert (keep_view([budget()], appraisal=1.0)[0] < held)[TOWNSHIP:CITY].all()  # appraisal limits it
    assert not keep_view([budget(retained=0.0, overspend=0.0)]).any()


def outreach_view(budgets, per_head=0.0, appraisal=0.0, primary_share=0.6):
    """Share of full outreach to chronic patients the primary team prefers, by county."""
    params, n = ModelParameters(), len(budgets)
    levers = levers_with(budgets, params)
    levers.capitation_per_chronic[:] = per_head
    levers.appraisal_weight[:] = appraisal
    shift = followup_shift(params.providers, primary_share)
    ffs = outreach_value(params, Incentives.fee_for_service(params, n, 1), shift)
    return outreach_share(params.providers, outreach_value(params, facing(params, levers), shift), ffs)


def test_providers_move_charges_out_of_the_catalogue_only_where_a_budget_makes_them_bear_the_fund():
    params = ModelParameters()
    p = params.providers
    rate_only = levers_with([None])
    rate_only.case_rate[:] = 0.9
    assert not catalogue_shift_share(p, facing(params, rate_only)).any()  # the hospital is paid the same either way
    kept, half = (catalogue_shift_share(p, facing(params, levers_with([budget(retained)])))[0]
                  for retained in (1.0, 0.5))
    assert 0 < half[COUNTY] < kept[COUNTY] < p.catalogue_shift_ceiling  # some providers, never all
    assert kept[VILLAGE] == kept[CITY] == 0  # no beds; outside the county's policy
    # the providers who shift are those who weigh patients' money less than the holder's retention
    assert kept[COUNTY] == pytest.approx(p.catalogue_shift_ceiling * respond(np.array(1.0), p.patient_benefit_weight,
                                                                             p.response_shape))
    appraised = levers_with([budget()])
    appraised.appraisal_weight[:] = 0.5
    assert catalogue_shift_share(p, facing(params, appraised))[0, COUNTY] < kept[COUNTY]


def test_primary_teams_reach_out_to_chronic_patients_when_capitation_or_a_held_budget_pays_for_it():
    assert outreach_view([None]) == 0.0  # fee-for-service practice is the observed outreach
    assert 0.0 < outreach_view([None], per_head=100) < outreach_view([None], per_head=300)
    # a held budget: each follow-up kept at the township spares the holder the county hospital's fund payment
    assert outreach_view([budget()]) > outreach_view([None], per_head=100)
    assert outreach_view([budget(retained=0.0, overspend=0.0)]) == 0.0
    assert outreach_view([budget()], appraisal=1.0) > outreach_view([budget()])  # appraisal: patients count more
    # where nearly every follow-up is already at primary care, outreach has little left to bring
    assert outreach_view([budget()], primary_share=0.98) < outreach_view([budget()]) / 5


def services_view(budgets, case_rate=None, township_reimbursement=None, appraisal=0.0, admissions=(30, 600, 2000, 400),
                  township_visits=40000, recoveries=0):
    """Capability for admissions the township centres prefer to gain (< 0: lose) by their services, by county,
    with last year's caseload (admissions by level: village, township, county, city) at one township centre a
    county."""
    params, n = ModelParameters(), len(budgets)
    levers = levers_with(budgets, params)
    levers.appraisal_weight[:] = appraisal
    if case_rate is not None:
        levers.case_rate[:, TOWNSHIP] = case_rate
    if township_reimbursement is not None:
        levers.inpatient_reimbursement[:, TOWNSHIP] = township_reimbursement
    caseload = Caseload(np.tile(np.array(admissions, float), (n, 1)), np.full(n, float(township_visits)),
                        np.full(n, float(recoveries)))
    moved, averted = tier_caseload(params, caseload, np.ones(n, int))
    ffs = services_value(params, Incentives.fee_for_service(params, n, 1), moved, averted)
    return services_change(params.providers, services_value(params, facing(params, levers), moved, averted), ffs)


def test_township_centres_offer_more_services_when_a_held_budget_pays_for_keeping_admissions_and_fewer_when_a_rate_cuts_their_margin():
    tier = ModelParameters().providers.service_tier_capability
    assert services_view([None]) == 0.0  # fee-for-service practice is the observed scope
    held = services_view([budget(retained=0.1)])
    assert 0.0 < held < tier  # each failed admission averted spares the holder the county hospital's payment
    assert services_view([budget(retained=0.0, overspend=0.0)]) == 0.0
    # a tier is worth more where more township admissions could fail; recovery stays (下转) cannot
    assert services_view([budget(retained=0.1)], admissions=(0, 2000, 2000, 400)) > held
    assert services_view([budget(retained=0.1)], recoveries=500) < held
    # cheaper township stays for patients count at the provider's weight: better reimbursement adds services
    assert services_view([None], township_reimbursement=0.95) > 0.0
    # a case rate that pays the township centre less than its margin under fee-for-service: services dropped
    assert -tier <= services_view([None], case_rate=0.7) < 0.0


def test_a_tier_draws_admissions_from_the_county_hospital_only_as_far_as_residents_see_it():
    """Perceived quality is learnt from every contact at a level: the rarer admissions are among the township's
    contacts, the less a better chance of success for them draws patients."""
    params = ModelParameters()
    caseload = Caseload(np.array([[0.0, 600.0, 2000.0, 400.0]]), np.array([40000.0]), np.zeros(1))
    moved, averted = tier_caseload(params, caseload, np.ones(1, int))
    gain = tier_success_gain(params)
    assert 0.0 < gain < 1.0 and averted[0] == pytest.approx(600 * gain)
    caseload.township_visits[:] = 4000.0  # admissions ten times as large a share of the township's contacts
    assert tier_caseload(params, caseload, np.ones(1, int))[0][0] > 5 * moved[0]
    caseload.township_visits[:] = 40000.0
    caseload.recoveries[:] = 300.0  # half the township's admissions are recovery stays (下转): chosen by no one
    fewer, averted = tier_caseload(params, caseload, np.ones(1, int))
    assert averted[0] == pytest.approx(300 * gain) and fewer[0] < moved[0]


def test_under_a_flat_case_rate_and_an_in_county_cap_severe_cases_are_the_ones_sent_on():
    selfish = ModelParameters()
    selfish.providers.patient_benefit_weight = 0.1
    levers = levers_with([budget(out_of_county=False)], selfish)
    levers.case_rate[:, TOWNSHIP:CITY] = 1.0  # severity_adjustment 0: one rate per level
    share = decline_share(selfish, facing(selfish, levers))[0, COUNTY]
    assert share[-1] > share[3] and np.all(np.diff(share) >= 0)


@pytest.fixture(scope="module")
def county():
    return build_world(SyntheticWorld(population=20_000, townships=4), seed=8)


def year_one(region, specs, params=None):
    interventions = [build(spec) for spec in specs]
    model = CountyModel(region, params or ModelParameters(), seed=5, interventions=interventions)
    return model.run(1, warmup_years=1).set_index("metric")["value"]


def test_a_budget_with_surplus_retention_changes_what_providers_do_from_year_one(county):
    base = year_one(county, [])
    kept = year_one(county, [{"type": "global_budget", **SRC}])
    no_stake = year_one(county, [{"type": "global_budget", "retained_share": 0.0, "overspend_share": 0.0, **SRC}])
    # providers move half way towards admitting only appropriate cases in year 1: the least severe go first
    for level in ("township", "county"):
        assert kept[f"inappropriate_admission_share_{level}"] < base[f"inappropriate_admission_share_{level}"]
    # at least half a point at the county hospitals (seeds 5–8 of this county give 1.0–1.5 points)
    assert kept["inappropriate_admission_share_county"] < base["inappropriate_admission_share_county"] - 0.005
    # (admissions at the county hospitals may still rise: failed care is kept in the county, below)
    # the cheaper township recovery saves the holder money: more recovering patients go down (下转)
    assert kept["referrals_down"] > 2 * base["referrals_down"]
    # without a stake in the result, nothing changes in year 1 (pay bonuses follow a settlement)
    assert no_stake["admissions_per_capita"] == base["admissions_per_capita"]


def test_a_held_budget_moves_part_of_admissions_charges_onto_patients(county):
    held = year_one(county, [{"type": "global_budget", **SRC}])
    params = ModelParameters()
    params.providers.catalogue_shift_ceiling = 0.0
    unshifted = year_one(county, [{"type": "global_budget", **SRC}], params)
    # what patients pay of an admission rises by the shift, beyond the budget's other effects (a leaner stay)
    for level in ("township", "county"):
        assert held[f"oop_per_admission_{level}"] > unshifted[f"oop_per_admission_{level}"]


def test_declined_patients_go_up_and_out_of_the_county(county):
    selfish = ModelParameters()
    selfish.providers.patient_benefit_weight = 0.1
    cap = {"type": "global_budget", "out_of_county_included": False, **SRC}
    capped = year_one(county, [cap], selfish)
    appraised = year_one(county, [cap, {"type": "appraisal_linked_settlement", "weight": 0.05, **SRC}], selfish)
    base = year_one(county, [], selfish)
    assert base["declined_admissions"] == 0
    assert capped["declined_admissions"] > appraised["declined_admissions"] > 0
    assert capped["out_of_county_inpatient_share"] > base["out_of_county_inpatient_share"]


def test_case_payment_lowers_charges_per_admission_from_year_one(county):
    base = year_one(county, [])
    paid = year_one(county, [{"type": "case_payment", **SRC}])
    for level in ("township", "county"):
        assert paid[f"charges_per_admission_{level}"] < base[f"charges_per_admission_{level}"]


def test_case_payment_reaches_choices_through_the_charges_residents_expect(county):
    """Residents expect what admissions charged last year: a case rate's leaner admissions look cheaper from year 2."""
    def serious_terms(specs, years):
        model = CountyModel(county, ModelParameters(), seed=5, interventions=[build(s) for s in specs])
        model.run(years, warmup_years=1)
        choice = model.process("choice")
        return choice.table[SERIOUS, 1], choice.options.level  # insured residents' serious-illness terms
    (base, level), (first, _) = serious_terms([], 2), serious_terms([{"type": "case_payment", **SRC}], 1)
    second = serious_terms([{"type": "case_payment", **SRC}], 2)[0]
    assert np.array_equal(first, serious_terms([], 1)[0])  # year 1: last year's practice was fee-for-service
    paid = (level == TOWNSHIP) | (level == COUNTY)
    assert (second[paid] > base[paid]).all()  # cheaper as expected: less negative cost term
    assert np.array_equal(second[level == CITY], base[level == CITY])  # city hospitals are not paid by case


def test_capitation_brings_chronic_follow_ups_to_primary_care_through_outreach(county):
    base = year_one(county, [])
    paid = year_one(county, [{"type": "chronic_capitation", "per_head": 300, **SRC},
                             {"type": "global_budget", **SRC}])
    assert paid["chronic_managed_rate"] > base["chronic_managed_rate"]


def test_a_held_budget_raises_township_capability_for_admissions_through_the_services_centres_offer(county):
    def township_capability(specs):
        model = CountyModel(county, ModelParameters(), seed=5, interventions=[build(s) for s in specs])
        model.run(1, warmup_years=1)
        model.step()  # into year 2: the services chosen at its start are staffed
        thc = model.facilities.level == TOWNSHIP
        return model.practice.services, model.facilities.capability[thc, SERIOUS]
    (none, base), (held, raised) = township_capability([]), township_capability([{"type": "global_budget", **SRC}])
    assert not none.any() and (held > 0).all()
    assert (raised > base).all()


def test_kept_failures_try_the_county_again_rather_than_go_to_the_city(county):
    base = year_one(county, [])
    held = year_one(county, [{"type": "global_budget", **SRC}])
    capped = year_one(county, [{"type": "global_budget", "out_of_county_included": False, **SRC}])
    assert base["failed_care_kept"] == 0 and held["failed_care_kept"] > 0
    assert held["out_of_county_inpatient_share"] < capped["out_of_county_inpatient_share"]
    assert held["admissions_per_capita_city"] < base["admissions_per_capita_city"]


def test_incentives_carry_the_holders_retention_and_a_weight_that_appraisal_raises_only_under_a_budget():
    params = ModelParameters()
    own = params.providers.patient_benefit_weight
    ffs = Incentives.fee_for_service(params, 2, 1)
    assert not ffs.retention.any() and (ffs.weight == own).all() and not ffs.levers.budget_held().any()
    levers = levers_with([budget(retained=0.6, overspend=0.2), None], params)
    levers.appraisal_weight[:] = 0.5
    now = Incentives.facing(params, levers, np.array([-10.0, 0.0]))  # the first county overspent last year
    assert now.retention[0, :CITY].tolist() == [0.2] * CITY and not now.retention[1].any()
    assert now.weight.tolist() == [own + 0.5, own]  # appraisal acts through the budget's settlement only


def test_the_compiled_admission_decisions_are_the_array_rule():
    rng = np.random.default_rng(15)
    episodes, n, counties = 5000, 3000, 3
    act = np.sort(rng.choice(episodes, n, replace=False))
    args = (act, rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8), rng.integers(0, counties, episodes),
            rng.integers(0, 4, episodes).astype(np.int8), rng.random(episodes, dtype=np.float32),
            np.array([0.1, 0.3, 0.5, 0.6]), rng.random((counties, 4)) * 0.4, rng.random((counties, 4, 10)) * 0.6)
    key, offset = np.uint64(rng.integers(2**63)), np.uint64(3) << np.uint64(32)
    kind, declined = admit(*args, key, offset)
    expected_kind, expected_declined = admit_as_arrays(*args, keyed_uniforms(key, offset, act))
    assert kind.tobytes() == expected_kind.tobytes() and (declined == expected_declined).all()
    assert declined.any() and (kind != args[2]).sum() > declined.sum()  # some below the threshold, some declined
