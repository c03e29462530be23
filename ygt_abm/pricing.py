"""Pricing (价格、报销与自付): what each contact costs, what the insurance fund pays, what the patient pays out
of pocket, and what facilities earn. Not a process: the payment process sets the year's tariff
(``state/tariff.py``) and prices each round's contacts; treatment (remote consultations) and aftercare
(referral down) price theirs here too; providers (provision) and residents (choice) weigh expected prices
from the same functions. The rules, with their clauses, are in docs/model.md ("Payment").
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from ygt_abm.state.episodes import contact_kind
from ygt_abm.state.tariff import Tariff
from ygt_abm.vocabulary import COUNTY, EPISODE_TYPES, INPATIENT, N_LEVELS, OUTPATIENT, TOWNSHIP


class Contacts(NamedTuple):
    """The contacts to price, one entry each."""

    county: np.ndarray
    level: np.ndarray
    kind: np.ndarray
    insured: np.ndarray
    referred: np.ndarray
    severity: np.ndarray
    deductible_waived: np.ndarray
    resource: np.ndarray  # resource use ÷ the typical contact's at its level (admissions: by severity)
    stay: np.ndarray  # share of a whole stay given (a recovery stay after referral down: paid pro rata)


def pay_contacts(model, week, act: np.ndarray, facility: np.ndarray, level: np.ndarray, kind: np.ndarray,
                 referred: np.ndarray, waived: np.ndarray, stay: np.ndarray | None = None) -> None:
    """Price the contacts of episodes ``act`` at the year's tariff and book the money: fund, out of pocket,
    facility revenue. ``stay``: the share of a whole stay each contact gives (1 if omitted)."""
    if not len(act):  # a late round with no contact: nothing to book
        return
    ep, pop, finance, counters = week.episodes, model.population, model.params.finance, model.counters
    pay_episodes(model.tariff, act, ep.county, ep.resident, ep.severity, pop.insured, level, kind, referred, waived,
                 np.ones(len(act)) if stay is None else stay, facility, finance.typical_admission_severity.array(),
                 finance.admission_cost_severity_gradient, model.levers.outpatient_fund_limit, pop.outpatient_fund_used,
                 counters.settled_outpatient_visits, counters.settled_outpatient_charges, Ledger.of(model))


@numba.njit(cache=True, nogil=True)
def pay_episodes(tariff: Tariff, act: np.ndarray, county: np.ndarray, resident: np.ndarray, severity: np.ndarray,
                 insured: np.ndarray, level: np.ndarray, kind: np.ndarray, referred: np.ndarray, waived: np.ndarray,
                 stay: np.ndarray, facility: np.ndarray, typical: np.ndarray, gradient: float, limit: np.ndarray,
                 used: np.ndarray, settled_visits: np.ndarray, settled_charges: np.ndarray, ledger: Ledger) -> None:
    """``pay_contacts`` in one call: the episodes' county, resident, severity and insurance gathered, their
    resource use (``resource_use``'s rule), then ``price_and_book``."""
    who, sick = resident[act], severity[act]
    contacts = Contacts(county[act], level, kind, insured[who], referred, sick, waived,
                        _resource_use(typical, gradient, level, kind, sick), stay)
    price_and_book(tariff, contacts, who, facility, limit, used, settled_visits, settled_charges, ledger)


@numba.njit(cache=True, nogil=True)
def price_and_book(tariff: Tariff, contacts: Contacts, resident: np.ndarray, facility: np.ndarray, limit: np.ndarray,
                   used: np.ndarray, settled_visits: np.ndarray, settled_charges: np.ndarray, ledger: Ledger) -> None:
    """``pay_contacts``' work in one call: price the contacts, hold the fund's outpatient payments to each resident's
    yearly limit (capitated outpatient care included), and book the money."""
    price, fund, itemised = price_contacts(tariff, contacts)
    capitated = np.empty(len(price), dtype=np.bool_)
    for i in range(len(price)):  # capitated_contacts
        capitated[i] = tariff.outpatient_capitation[contacts.county[i], contacts.level[i]] and \
            contacts.kind[i] == OUTPATIENT
    limit_outpatient_fund(fund, price, resident, contacts.county, contacts.kind, limit, used, settled_visits,
                          settled_charges, capitated, itemised)
    add_booked(contacts.county, contacts.level, facility, contacts.kind, price, fund, itemised, ledger)


def step_down(model, week, act: np.ndarray, hospital: np.ndarray, level: np.ndarray, centre: np.ndarray) -> None:
    """Referral down for recovery (下转): the hospital admissions of episodes ``act`` are ``recovery_share_of_stay``
    shorter (the difference in their price, fund payment and resources is taken back; under a case rate the
    hospital keeps the rate and the fund pays what the patient no longer does), and the home township centre
    gives a recovery stay of that share of a township admission, paid pro rata as a referred admission. The
    hospital keeps its case rate (transfer rules that pay short stays pro rata are not modelled)."""
    ep, pop, t = week.episodes, model.population, model.params.care.recovery_share_of_stay
    finance, tariff = model.params.finance, model.tariff
    n = len(act)
    county, severity = ep.county[act], ep.severity[act]
    inpatient, none = np.full(n, INPATIENT, dtype=np.int8), np.zeros(n, dtype=bool)
    resource = resource_use(finance, level, inpatient, severity)
    contacts = Contacts(county, level, inpatient, pop.insured[ep.resident[act]], ep.referred[act], severity, none,
                        resource, np.ones(n))
    shorter = tariff.intensity.copy()
    shorter[:, :, INPATIENT] *= 1.0 - t
    price, fund, itemised = price_contacts(tariff, contacts)
    short_price, short_fund, short_itemised = price_contacts(tariff._replace(intensity=shorter), contacts)
    book(model, county, level, hospital, inpatient, short_price - price, short_fund - fund, short_itemised - itemised)
    township = np.full(n, TOWNSHIP)
    waived = model.levers.continuous_deductible[county] & ep.paid_deductible[act]
    pay_contacts(model, week, act, centre, township, inpatient, np.ones(n, dtype=bool), waived, np.full(n, t))


def pay_consultations(model, county: np.ndarray, hospital: np.ndarray) -> None:
    """The fund pays each remote consultation's fee to the lead hospital that gave it (远程会诊纳入医保支付)."""
    fee = model.levers.remote_consultation_fee[county]
    if fee.any():
        n = len(county)
        book(model, county, np.full(n, COUNTY), hospital, np.full(n, OUTPATIENT, dtype=np.int8), fee, fee, fee)


class Ledger(NamedTuple):
    """Where booked money goes: the fund's spending, the year's counters by county (and level), and the facilities'
    revenue from the fund and from patients."""

    spending: np.ndarray  # (county, level)
    oop: np.ndarray  # (county,)
    charges: np.ndarray  # (county, level), as the next five
    reimbursed: np.ndarray
    inpatient_fund: np.ndarray
    inpatient_charges: np.ndarray
    resources: np.ndarray
    inpatient_resources: np.ndarray
    revenue_fund: np.ndarray  # (facility,)
    revenue_oop: np.ndarray  # (facility,)

    @classmethod
    def of(cls, model) -> "Ledger":
        """The model's fund, counters and facilities, to book into in place."""
        c, fac = model.counters, model.facilities
        return cls(model.fund.spending, c.oop, c.charges, c.reimbursed, c.inpatient_fund, c.inpatient_charges,
                   c.resources, c.inpatient_resources, fac.revenue_fund, fac.revenue_oop)


def book(model, county: np.ndarray, level: np.ndarray, facility: np.ndarray, kind: np.ndarray, price: np.ndarray,
         fund: np.ndarray, itemised: np.ndarray) -> None:
    """Book priced contacts: the fund's spending, out of pocket, charges (what facilities are paid), resources
    used (itemised charges) and reimbursement by county and level (admissions also apart), and each facility's
    revenue from the fund and from patients."""
    add_booked(county, level, facility, kind, price, fund, itemised, Ledger.of(model))


@numba.njit(cache=True, nogil=True)
def add_booked(county: np.ndarray, level: np.ndarray, facility: np.ndarray, kind: np.ndarray, price: np.ndarray,
               fund: np.ndarray, itemised: np.ndarray, ledger: Ledger) -> None:
    """``book``: the contacts' sums (``booked_sums``), each then added to its cell of the ledger in one addition,
    as ``ledger.charges += sums`` adds."""
    n_c, n_fac = len(ledger.oop), len(ledger.revenue_fund)
    by_level, oop, revenue = booked_sums(county, level, facility, kind, price, fund, itemised, n_c, n_fac)
    for cell in range(n_c * N_LEVELS):
        c, lvl = cell // N_LEVELS, cell % N_LEVELS
        ledger.spending[c, lvl] += by_level[0, cell]
        ledger.charges[c, lvl] += by_level[1, cell]
        ledger.reimbursed[c, lvl] += by_level[2, cell]
        ledger.inpatient_fund[c, lvl] += by_level[3, cell]
        ledger.inpatient_charges[c, lvl] += by_level[4, cell]
        ledger.resources[c, lvl] += by_level[5, cell]
        ledger.inpatient_resources[c, lvl] += by_level[6, cell]
    for c in range(n_c):
        ledger.oop[c] += oop[c]
    for f in range(n_fac):
        ledger.revenue_fund[f] += revenue[0, f]
        ledger.revenue_oop[f] += revenue[1, f]


@numba.njit(cache=True, nogil=True)
def booked_sums(county: np.ndarray, level: np.ndarray, facility: np.ndarray, kind: np.ndarray, price: np.ndarray,
                fund: np.ndarray, itemised: np.ndarray, n_counties: int,
                n_facilities: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``book``'s sums in one pass, each added in contact order as ``np.bincount`` adds (so the same bytes):
    by (county × level) fund payment (twice: the fund's spending and reimbursement), charges, admissions' fund
    payment and charges, resources and admissions' resources; out of pocket by county; facility revenue from
    the fund and from patients."""
    by_level = np.zeros((7, n_counties * N_LEVELS))
    oop = np.zeros(n_counties)
    revenue = np.zeros((2, n_facilities))
    for i in range(len(county)):
        cell = county[i] * N_LEVELS + level[i]
        paid_oop = price[i] - fund[i]
        by_level[0, cell] += fund[i]
        by_level[1, cell] += price[i]
        by_level[2, cell] += fund[i]
        if kind[i] == INPATIENT:
            by_level[3, cell] += fund[i]
            by_level[4, cell] += price[i]
            by_level[6, cell] += itemised[i]
        by_level[5, cell] += itemised[i]
        oop[county[i]] += paid_oop
        revenue[0, facility[i]] += fund[i]
        revenue[1, facility[i]] += paid_oop
    return by_level, oop, revenue


def resource_use(finance, level: np.ndarray, kind: np.ndarray, severity: np.ndarray) -> np.ndarray:
    """Resources a contact uses ÷ a typical contact's at its level: for an admission 1 + the gradient
    (``finance.admission_cost_severity_gradient``) × (severity − the level's typical admitted severity), at least
    a tenth; 1 for an outpatient contact."""
    return _resource_use(finance.typical_admission_severity.array(), finance.admission_cost_severity_gradient,
                         np.asarray(level), np.asarray(kind), np.asarray(severity))


@numba.njit(cache=True, nogil=True)
def _resource_use(typical: np.ndarray, gradient: float, level: np.ndarray, kind: np.ndarray,
                  severity: np.ndarray) -> np.ndarray:
    # numpy's ``where(kind == INPATIENT, maximum(1.0 + gradient * (severity - typical[level]), 0.1), 1.0)``, one
    # contact at a time: the difference in float64 whatever severity's precision, NaN kept as maximum keeps it
    out = np.empty(len(level))
    for i in range(len(level)):
        out[i] = 1.0
        if kind[i] == INPATIENT:
            out[i] = _at_least(1.0 + gradient * (np.float64(severity[i]) - typical[level[i]]), 0.1)
    return out


def price_and_reimbursement(levers, county: np.ndarray, level: np.ndarray, kind: np.ndarray,
                            insured: np.ndarray, referred: np.ndarray | None = None,
                            severity: np.ndarray | None = None,
                            deductible_waived: np.ndarray | None = None, resource: np.ndarray | None = None,
                            intensity: np.ndarray | None = None,
                            stay: np.ndarray | None = None,
                            grouped_intensity: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(price, fund payment) per contact under the county's levers; omitted arrays mean an unreferred contact
    of typical resource use, of an illness the same-payment rule does not cover, that pays its deductible, at
    fee-for-service intensity (which case groups see, unless ``grouped_intensity`` says otherwise), a whole
    stay. Where a case rate applies the price is what the facility receives."""
    n = len(level)
    return price_contacts(Tariff.of(levers, intensity, grouped_intensity=grouped_intensity), Contacts(
        county, level, kind, insured,
        np.zeros(n, dtype=bool) if referred is None else referred,
        np.full(n, np.inf, dtype=np.float32) if severity is None else severity,
        np.zeros(n, dtype=bool) if deductible_waived is None else deductible_waived,
        np.ones(n) if resource is None else resource, np.ones(n) if stay is None else stay))[:2]


def contact_payments(levers, admission_resource: np.ndarray | None = None, intensity: np.ndarray | None = None,
                     admission_stay: np.ndarray | None = None,
                     grouped_intensity: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(revenue, fund payment, itemised charges) of an insured resident's unreferred contact by (county, level,
    contact kind): what a provider expects a contact to earn, and what it charges for the resources it uses.
    ``admission_resource`` (by level): the admission's resource use (typical if omitted); ``admission_stay`` (by
    level): the share of a whole stay it gives (1 if omitted); ``grouped_intensity``: what case groups see
    (``intensity`` if omitted)."""
    n_c = levers.outpatient_price.shape[0]
    county = np.repeat(np.arange(n_c), N_LEVELS * 2)
    level = np.tile(np.repeat(np.arange(N_LEVELS), 2), n_c)
    kind = np.tile(np.array([OUTPATIENT, INPATIENT], dtype=np.int8), n_c * N_LEVELS)
    resource = np.ones(len(level)) if admission_resource is None else np.where(
        kind == INPATIENT, np.asarray(admission_resource, dtype=float)[level], 1.0)
    stay = np.ones(len(level)) if admission_stay is None else np.where(
        kind == INPATIENT, np.asarray(admission_stay, dtype=float)[level], 1.0)
    price, fund = price_and_reimbursement(levers, county, level, kind, np.ones(len(level), dtype=bool),
                                          resource=resource, intensity=intensity, stay=stay,
                                          grouped_intensity=grouped_intensity)
    shape = (n_c, N_LEVELS, 2)
    m = np.ones(shape) if intensity is None else intensity
    itemised = (np.stack([levers.outpatient_price, levers.inpatient_price], axis=-1) * resource.reshape(shape) * m
                * stay.reshape(shape))
    return price.reshape(shape), fund.reshape(shape), itemised


def expected_oop(levers, township_treatable: bool = False, intensity: np.ndarray | None = None) -> np.ndarray:
    """Out-of-pocket cost residents expect for an unreferred contact, by (county, level, episode type,
    insured): what the choice model weighs (the scheme's schedule, without the outpatient limit).
    ``township_treatable``: for an illness the township could treat, so that same-disease same-payment
    pricing (同病同价同付) at the county hospital applies. ``intensity`` (county, level, contact kind): the
    resources per contact providers practise (fee-for-service practice's if omitted), which set the itemised
    charges patients pay a share of, under case payment too."""
    n_types = len(EPISODE_TYPES)
    n_c = levers.outpatient_price.shape[0]
    level = np.tile(np.arange(N_LEVELS), n_types * 2)
    etype = np.repeat(np.tile(np.arange(n_types), 2), N_LEVELS)
    insured = np.repeat([False, True], N_LEVELS * n_types)
    kind = contact_kind(level, etype)
    table = np.zeros((n_c, N_LEVELS, n_types, 2))
    for c in range(n_c):
        severity = np.zeros(len(level), dtype=np.float32) if township_treatable else None
        price, fund = price_and_reimbursement(levers, np.full(len(level), c), level, kind, insured, severity=severity,
                                              intensity=intensity)
        table[c, level, etype, insured.astype(int)] = price - fund
    return table


@numba.njit(cache=True, inline="always")
def _at_least(x: float, floor: float) -> float:
    # numpy's maximum(x, floor) exactly: NaN stays NaN, and at floor 0.0, -0.0 stays -0.0.
    return x if x >= floor or x != x else floor


@numba.njit(cache=True, nogil=True)
def price_contacts(tariff: Tariff, contacts: Contacts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(price, fund payment, itemised charges) per contact; the price is what the facility is paid."""
    n = len(contacts.level)
    price, fund, itemised = np.empty(n), np.empty(n), np.empty(n)
    for i in range(n):
        c, lvl, inpatient = contacts.county[i], contacts.level[i], contacts.kind[i] == INPATIENT
        scale = contacts.resource[i] * tariff.intensity[c, lvl, 1 if inpatient else 0] * contacts.stay[i]
        priced = lvl
        if inpatient and lvl == COUNTY and contacts.severity[i] < tariff.same_payment_severity[c]:
            priced = TOWNSHIP
        if inpatient:
            p, ratio, deductible = tariff.inpatient_price[c, priced], tariff.inpatient_reimbursement[c, priced], \
                tariff.inpatient_deductible[c, priced]
            in_catalogue = tariff.inpatient_in_catalogue[c, priced]
        else:
            p, ratio, deductible = tariff.outpatient_price[c, priced], tariff.outpatient_reimbursement[c, priced], 0.0
            in_catalogue = 1.0
        base = p
        p = p * scale
        if contacts.referred[i] and lvl >= COUNTY:
            discounted = p * (1.0 - tariff.referred_price_discount[c]) - tariff.referred_fee_waiver[c]
            p = _at_least(discounted, 0.0)
        if not contacts.referred[i]:
            ratio = ratio - tariff.unreferred_cut[c, lvl]
        ratio = _at_least(ratio, 0.0)
        if contacts.deductible_waived[i]:
            deductible = 0.0
        covered = in_catalogue * p - deductible
        paid = ratio * _at_least(covered, 0.0) if contacts.insured[i] else 0.0
        itemised[i] = p
        if not inpatient and contacts.insured[i] and tariff.outpatient_capitation[c, lvl]:
            # paid by head (门诊统筹按人头付费): the fund pays nothing per contact; the patient still pays the
            # schedule's share of the itemised charges, which is all the facility is paid for the contact
            p = p - paid
            paid = 0.0
        if inpatient and contacts.insured[i] and tariff.case_rate[c, lvl] > 0.0:
            # the facility receives the case rate; the patient pays the schedule's share of the itemised charges
            # the groups follow the case's severity (complication tiers) and, where they are diagnosis–procedure
            # groups (DIP), the intensity practised (docs/model.md, "Payment")
            rate = tariff.case_rate[c, lvl] * base * contacts.stay[i] * (
                1.0 + tariff.case_severity_adjustment[c] * (contacts.resource[i] - 1.0)) * (
                1.0 + tariff.case_intensity_adjustment[c] * (tariff.grouped_intensity[c, lvl, 1] - 1.0))
            oop = p - paid
            paid = _at_least(rate - oop, 0.0)
            p = oop + paid
        price[i] = p
        fund[i] = paid
    return price, fund, itemised


def capitated_contacts(tariff: Tariff, county: np.ndarray, level: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Whether each contact is outpatient care at a level the fund pays by head (门诊统筹按人头付费)."""
    return tariff.outpatient_capitation[county, level] & (kind == OUTPATIENT)


@numba.njit(cache=True, nogil=True)
def limit_outpatient_fund(fund: np.ndarray, price: np.ndarray, resident: np.ndarray, county: np.ndarray,
                          kind: np.ndarray, limit: np.ndarray, used: np.ndarray, settled_visits: np.ndarray,
                          settled_charges: np.ndarray, capitated: np.ndarray | None = None,
                          itemised: np.ndarray | None = None) -> None:
    """Cap the fund's payment for each outpatient contact at what is left of its resident's yearly limit
    (``limit`` by county), in contact order (a resident with two contacts in a round uses the allowance
    once), and book it; count the outpatient contacts the fund paid part of (门诊统筹结算) and their price.
    A ``capitated`` contact (paid by head: the fund pays 0, the facility the patient's part) is held to the same
    limit: the pooled benefit, the part of its ``itemised`` charges the patient is spared (paid out of the
    capitation), uses the allowance and stops where it ends, after which the patient pays, and the facility is
    paid, the charges in full; it counts as settled where a benefit was given, at its itemised charges."""
    for i in range(len(fund)):
        if kind[i] != OUTPATIENT:
            continue
        r, c = resident[i], county[i]
        if capitated is not None and capitated[i]:
            benefit = min(itemised[i] - price[i], max(limit[c] - used[r], 0.0))
            price[i] = itemised[i] - benefit
            used[r] += benefit
            if benefit > 0.0:
                settled_visits[c] += 1.0
                settled_charges[c] += itemised[i]
            continue
        paid = min(fund[i], max(limit[c] - used[r], 0.0))
        fund[i] = paid
        used[r] += paid
        if paid > 0.0:
            settled_visits[c] += 1.0
            settled_charges[c] += price[i]
