import numpy as np
import pytest
from oracles import deductibles_as_arrays, price_and_book_as_arrays, resource_use_as_arrays

from ygt_abm.config import ModelParameters
from ygt_abm.levers import PolicyLevers
from ygt_abm.processes.payment import deductibles
from ygt_abm.pricing import (
    Contacts, Ledger, expected_oop, limit_outpatient_fund, pay_episodes, price_and_book, price_and_reimbursement,
    price_contacts, resource_use,
)
from ygt_abm.state.tariff import Tariff
from ygt_abm.state.fund import InsuranceFund
from ygt_abm.vocabulary import INPATIENT, OUTPATIENT


@pytest.fixture
def levers():
    return PolicyLevers.baseline(ModelParameters(), n_counties=1, n_facilities=3)


def test_the_fund_pays_the_ratio_of_the_in_catalogue_price_above_the_deductible(levers):
    level = np.array([2, 2, 1])
    kind = np.array([INPATIENT, OUTPATIENT, INPATIENT])
    levers.inpatient_in_catalogue[:] = 0.9
    price, fund = price_and_reimbursement(levers, np.zeros(3, int), level, kind, np.array([True, True, True]))
    assert price.tolist() == [6762.0, 218.6, 2083.0]
    assert fund[0] == pytest.approx(0.80 * (0.9 * 6762 - 230))
    assert fund[1] == pytest.approx(0.6 * 218.6)  # outpatient care is limited by a yearly sum instead
    assert fund[2] == pytest.approx(0.85 * (0.9 * 2083 - 150))


def test_the_uninsured_pay_everything_and_a_waived_deductible_is_not_charged(levers):
    lv, kind = np.array([2, 2]), np.array([INPATIENT, INPATIENT])
    levers.inpatient_in_catalogue[:] = 1.0
    _, fund = price_and_reimbursement(levers, np.zeros(2, int), lv, kind, np.array([False, True]),
                                      deductible_waived=np.array([False, True]))
    assert fund[0] == 0.0
    assert fund[1] == pytest.approx(0.80 * 6762)


def test_an_admissions_charges_follow_its_severity_around_the_levels_typical_admission():
    finance = ModelParameters().finance
    typical = finance.typical_admission_severity.array()
    level, kind = np.array([2, 2, 2, 2]), np.array([INPATIENT, INPATIENT, INPATIENT, OUTPATIENT])
    resource = resource_use(finance, level, kind, np.array([typical[2], 0.9, 0.2, 0.9]))
    assert resource[0] == 1.0 and resource[1] > 1.0 > resource[2] and resource[3] == 1.0  # visits: no gradient


def case_paid(levers, resource, intensity=None, intensity_adjustment=0.0, grouped_intensity=None):
    """(price, fund) of a county-hospital admission of this resource use, paid by case at a flat rate (that
    follows ``intensity_adjustment`` of the intensity practised)."""
    levers.case_rate[0, 2] = 1.0
    levers.case_severity_adjustment[0] = 0.0
    levers.case_intensity_adjustment[0] = intensity_adjustment
    n = len(resource)
    return price_and_reimbursement(levers, np.zeros(n, int), np.full(n, 2), np.full(n, INPATIENT),
                                   np.ones(n, dtype=bool), resource=np.asarray(resource, dtype=float),
                                   intensity=intensity, grouped_intensity=grouped_intensity)


def test_a_case_rate_pays_the_facility_the_same_whatever_resources_a_case_uses(levers):
    ffs_price, ffs_fund = price_and_reimbursement(levers, np.zeros(2, int), np.full(2, 2), np.full(2, INPATIENT),
                                                  np.ones(2, dtype=bool), resource=np.array([0.6, 1.4]))
    price, fund = case_paid(levers, [0.6, 1.4])
    assert price.tolist() == [6762.0, 6762.0]  # the facility's revenue: the rate
    # the patient pays the schedule's share of the itemised charges, as under fee-for-service
    assert (price - fund).tolist() == pytest.approx((ffs_price - ffs_fund).tolist())
    assert ffs_price.tolist() == pytest.approx([0.6 * 6762, 1.4 * 6762])


def test_cutting_intensity_under_a_case_rate_saves_patients_money_not_the_facility_revenue(levers):
    intensity = np.ones((1, 4, 2))
    intensity[0, 2, INPATIENT] = 0.8
    full, full_fund = case_paid(levers, [1.0])
    cut, cut_fund = case_paid(levers, [1.0], intensity)
    assert cut[0] == full[0] and (cut - cut_fund)[0] < (full - full_fund)[0]


def test_diagnosis_procedure_groups_pay_for_the_intensity_practised_at_their_share(levers):
    intensity = np.ones((1, 4, 2))
    intensity[0, 2, INPATIENT] = 0.8
    full, _ = case_paid(levers, [1.0], intensity_adjustment=0.5)
    cut, _ = case_paid(levers, [1.0], intensity, intensity_adjustment=0.5)
    assert cut[0] == pytest.approx(full[0] * (1.0 - 0.5 * 0.2))  # DIP: fewer procedures, fewer points
    # a stay cut short by a referral down keeps the procedures' group: the rate stays
    kept, _ = case_paid(levers, [1.0], intensity, intensity_adjustment=0.5, grouped_intensity=np.ones((1, 4, 2)))
    assert kept[0] == full[0]


def test_a_case_paid_admissions_cut_falls_first_on_self_paid_items_at_its_priority(levers):
    levers.inpatient_in_catalogue[:] = 0.9
    levers.case_rate[0, 2] = 1.0
    intensity = np.ones((1, 4, 2))
    intensity[0, 2, INPATIENT] = 0.8  # a quarter of the remaining charges cut away

    def in_catalogue(priority):
        return Tariff.of(levers, intensity, self_paid_cut_priority=priority).inpatient_in_catalogue[0]

    assert in_catalogue(0.0)[2] == 0.9  # every item cut alike: the share stays
    # priority 0.2: of the cut's 0.25 yuan per yuan kept, 0.2 × 0.9 × 0.25 = 0.045 comes back into the catalogue
    assert in_catalogue(0.2)[2] == pytest.approx(0.945)
    assert in_catalogue(1.0)[2] == 1.0  # the self-paid tenth is all cut before anything in the catalogue
    assert in_catalogue(1.0)[1] == 0.9  # a level not paid by case: its cut (none here) moves nothing
    intensity[0, 2, INPATIENT] = 1.0
    assert in_catalogue(1.0)[2] == 0.9  # no cut, nothing moves


def test_cuts_falling_on_self_paid_items_save_patients_more_of_the_charges_cut(levers):
    levers.case_rate[0, 2] = 1.0
    intensity = np.ones((1, 4, 2))
    intensity[0, 2, INPATIENT] = 0.9
    contacts = Contacts(np.zeros(1, int), np.full(1, 2), np.full(1, INPATIENT, dtype=np.int8), np.ones(1, bool),
                        np.zeros(1, bool), np.full(1, np.inf, dtype=np.float32), np.zeros(1, bool), np.ones(1),
                        np.ones(1))

    def out_of_pocket(tariff):
        price, fund, itemised = price_contacts(tariff, contacts)
        return (price - fund)[0], itemised[0]

    full_oop, full_charges = out_of_pocket(Tariff.of(levers))
    alike_oop, charges = out_of_pocket(Tariff.of(levers, intensity))
    first_oop, same_charges = out_of_pocket(Tariff.of(levers, intensity, self_paid_cut_priority=0.5))
    assert same_charges == charges < full_charges  # which items are cut, not how much
    assert full_oop - first_oop > full_oop - alike_oop > 0


def test_the_fund_stops_paying_a_residents_outpatient_care_at_the_yearly_limit():
    fund = np.array([100.0, 80.0, 5000.0, 60.0, 30.0])
    price = np.array([125.0, 100.0, 6000.0, 75.0, 40.0])
    resident, county = np.array([0, 0, 0, 1, 0]), np.zeros(5, dtype=np.int64)
    kind = np.array([OUTPATIENT, OUTPATIENT, INPATIENT, OUTPATIENT, OUTPATIENT], dtype=np.int8)  # admissions: no limit
    used, visits, charges = np.array([0.0, 190.0]), np.zeros(1), np.zeros(1)
    limit_outpatient_fund(fund, price, resident, county, kind, np.array([200.0]), used, visits, charges)
    assert fund.tolist() == [100.0, 80.0, 5000.0, 10.0, 20.0]  # in contact order: 100 + 80 + 20 reach the limit
    assert used.tolist() == [200.0, 200.0]
    assert visits.tolist() == [4.0] and charges.tolist() == [125.0 + 100.0 + 75.0 + 40.0]


def test_expected_out_of_pocket_falls_with_insurance(levers):
    table = expected_oop(levers)[0]
    assert (table[:, :, 1] <= table[:, :, 0]).all()
    assert table[3, 2, 1] > table[2, 2, 1] > table[1, 2, 1]  # admissions cost more higher up


def test_fund_balance_is_contributions_minus_spending():
    fund = InsuranceFund.empty(2)
    fund.collect(np.array([10.0, 20.0]), 1000.0)
    fund.pay(np.array([0, 1, 1]), np.array([0, 3, 3]), np.array([50.0, 100.0, 25.0]))
    assert fund.spending[1, 3] == 125.0
    assert fund.balance().tolist() == [9950.0, 19875.0]


def _price_and_fund_as_arrays(levers, county, level, kind, insured, referred, severity, waived):
    """The specification of ``price_and_reimbursement``: the array formulas the compiled loop replaced."""
    inpatient = kind == INPATIENT
    same = inpatient & (level == 2) & (severity < levers.same_payment_severity[county])
    priced = np.where(same, 1, level)
    price = np.where(inpatient, levers.inpatient_price[county, priced], levers.outpatient_price[county, priced])
    ratio = np.where(inpatient, levers.inpatient_reimbursement[county, priced],
                     levers.outpatient_reimbursement[county, priced])
    deductible = np.where(inpatient, levers.inpatient_deductible[county, priced], 0.0)
    discounted = price * (1.0 - levers.referred_price_discount[county]) - levers.referred_fee_waiver[county]
    price = np.where(referred & (level >= 2), np.maximum(discounted, 0.0), price)
    cut = np.where(~referred, levers.unreferred_reimbursement_cut[county, level], 0.0)
    ratio = np.maximum(ratio - cut, 0.0)
    deductible = np.where(waived, 0.0, deductible)
    in_catalogue = np.where(inpatient, levers.inpatient_in_catalogue[county, priced], 1.0)
    return price, np.where(insured, ratio * np.maximum(in_catalogue * price - deductible, 0.0), 0.0)


def test_prices_and_payments_are_the_array_rule_bit_for_bit():
    rng = np.random.default_rng(8)
    lev = PolicyLevers.baseline(ModelParameters(), n_counties=3, n_facilities=5)
    lev.same_payment_severity[:] = [0.0, 0.4, 0.7]
    lev.referred_price_discount[:] = [0.0, 0.1, 0.3]
    lev.referred_fee_waiver[:] = [0.0, 20.0, 5000.0]  # a waiver above the price: the price floors at 0
    lev.unreferred_reimbursement_cut[:, 3] = [0.0, 0.2, 0.9]
    lev.unreferred_reimbursement_cut[:, 2] = [0.1, 0.0, 0.3]
    lev.inpatient_in_catalogue[:] = [[1.0, 0.9, 0.8, 0.7], [1.0, 1.0, 1.0, 1.0], [0.5, 0.6, 0.75, 0.05]]
    n = 4000
    args = (rng.integers(0, 3, n), rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8), rng.random(n) < 0.9,
            rng.random(n) < 0.4, rng.random(n, dtype=np.float32), rng.random(n) < 0.3)
    price, fund = price_and_reimbursement(lev, *args[:4], referred=args[4], severity=args[5], deductible_waived=args[6])
    expected_price, expected_fund = _price_and_fund_as_arrays(lev, *args)
    assert price.tobytes() == expected_price.tobytes() and fund.tobytes() == expected_fund.tobytes()
    assert (price == 0).any() and (fund == 0).any() and (fund > 0).any()


def test_the_compiled_booking_of_a_round_is_pricing_then_the_sums_by_bincount():
    rng = np.random.default_rng(6)
    n, n_c, n_fac, residents = 4000, 3, 40, 3000
    params = ModelParameters()
    levers = PolicyLevers.baseline(params, n_counties=n_c, n_facilities=n_fac)
    levers.case_rate[1, 2] = 1.1
    levers.case_severity_adjustment[1] = 0.5
    levers.outpatient_capitation[2, :2] = True
    levers.referred_price_discount[:] = 0.1
    levers.unreferred_reimbursement_cut[0] = 0.1
    tariff = Tariff.of(levers, rng.uniform(0.7, 1.0, (n_c, 4, 2)))
    level, kind = rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8)
    severity = rng.random(n, dtype=np.float32)
    resource = resource_use(params.finance, level, kind, severity)
    assert resource.tobytes() == resource_use_as_arrays(params.finance, level, kind, severity).tobytes()
    contacts = Contacts(rng.integers(0, n_c, n), level, kind, rng.random(n) < 0.9, rng.random(n) < 0.3, severity,
                        rng.random(n) < 0.2, resource, rng.choice([1.0, 0.3], n))
    resident, facility = rng.integers(0, residents, n), rng.integers(0, n_fac, n)

    def state():
        return ([np.full(n_c, 300.0), rng.uniform(0, 200, residents), np.zeros(n_c), np.zeros(n_c)],
                Ledger(*(rng.uniform(0, 1e6, shape) for shape in [(n_c, 4), (n_c,), *[(n_c, 4)] * 6, (n_fac,), (n_fac,)])))

    seed = rng.integers(2**31)
    rng = np.random.default_rng(seed)
    got = state()
    rng = np.random.default_rng(seed)
    want = state()
    price_and_book(tariff, contacts, resident, facility, *got[0], got[1])
    price_and_book_as_arrays(tariff, contacts, resident, facility, *want[0], want[1])
    for a, b in zip(got[0] + list(got[1]), want[0] + list(want[1])):
        assert a.tobytes() == b.tobytes()
    assert got[0][2].all() and got[0][1].max() > 200  # outpatient allowances were used, up to the limit


def test_the_compiled_deductibles_of_a_round_are_the_array_rule():
    rng = np.random.default_rng(13)
    episodes, n = 3000, 2000
    act = np.sort(rng.choice(episodes, n, replace=False))
    args = act, rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8), rng.integers(0, 3, episodes)
    continuous, paid = np.array([True, False, True]), rng.random(episodes) < 0.4
    expected_paid, before = paid.copy(), paid.copy()
    waived = deductibles(*args, continuous, paid)
    assert (waived == deductibles_as_arrays(*args, continuous, expected_paid)).all() and waived.any()
    assert (paid == expected_paid).all() and (paid != before).any()


def test_paying_episodes_is_gathering_them_then_pricing_and_booking():
    rng = np.random.default_rng(18)
    episodes, n, residents, n_c, n_fac = 5000, 3000, 8000, 2, 30
    params = ModelParameters()
    levers = PolicyLevers.baseline(params, n_counties=n_c, n_facilities=n_fac)
    levers.outpatient_capitation[1, 0] = True
    tariff = Tariff.of(levers)
    act = np.sort(rng.choice(episodes, n, replace=False))
    county, resident = rng.integers(0, n_c, episodes), rng.choice(residents, episodes, replace=False)
    severity, insured = rng.random(episodes, dtype=np.float32), rng.random(residents) < 0.9
    level, kind = rng.integers(0, 4, n), rng.integers(0, 2, n).astype(np.int8)
    referred, waived, stay, facility = rng.random(n) < 0.3, rng.random(n) < 0.2, np.ones(n), rng.integers(0, n_fac, n)

    def state():
        return [np.full(n_c, 300.0), np.zeros(residents), np.zeros(n_c), np.zeros(n_c)], Ledger(
            *(np.zeros(shape) for shape in [(n_c, 4), (n_c,), *[(n_c, 4)] * 6, (n_fac,), (n_fac,)]))

    got, want = state(), state()
    pay_episodes(tariff, act, county, resident, severity, insured, level, kind, referred, waived, stay, facility,
                 params.finance.typical_admission_severity.array(), params.finance.admission_cost_severity_gradient,
                 *got[0], got[1])
    contacts = Contacts(county[act], level, kind, insured[resident[act]], referred, severity[act], waived,
                        resource_use(params.finance, level, kind, severity[act]), stay)
    price_and_book(tariff, contacts, resident[act], facility, *want[0], want[1])
    for a, b in zip(got[0] + list(got[1]), want[0] + list(want[1])):
        assert a.tobytes() == b.tobytes()
    assert got[1].charges.sum() > 0 and got[0][2].any()
