"""Money: reimbursement and out-of-pocket cost per contact, the insurance fund, facility revenue."""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from ygt_abm.behaviour.illness import SERIOUS
from ygt_abm.vocabulary import CITY, COUNTY, TOWNSHIP
from ygt_abm.levers import PolicyLevers

OUTPATIENT, INPATIENT = 0, 1


def contact_kind(level: np.ndarray, episode_type: np.ndarray) -> np.ndarray:
    """A serious episode is an admission wherever there are beds (township and above); anything else,
    including a serious case seen at a village clinic, is an outpatient or emergency visit."""
    return ((episode_type == SERIOUS) & (level >= 1)).astype(np.int8)


def price_and_reimbursement(levers: PolicyLevers, county: np.ndarray, level: np.ndarray, kind: np.ndarray,
                            insured: np.ndarray, referred: np.ndarray | None = None,
                            severity: np.ndarray | None = None,
                            deductible_waived: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(price, fund payment) per contact under the county's levers.

    The fund pays ``ratio × (price − deductible)`` for insured residents; out of pocket is the rest.
    Township-treatable admissions at the county hospital are priced and paid as at the township where
    同病同付 applies; a referred hospital contact is discounted (results recognised, fee waived); city care
    without referral loses reimbursement points where a white list applies."""
    n = len(level)
    return _price_and_fund(
        county, level, kind, insured,
        np.zeros(n, dtype=bool) if referred is None else referred,
        np.full(n, np.inf, dtype=np.float32) if severity is None else severity,
        np.zeros(n, dtype=bool) if deductible_waived is None else deductible_waived,
        levers.outpatient_price, levers.inpatient_price, levers.outpatient_reimbursement,
        levers.inpatient_reimbursement, levers.inpatient_deductible, levers.same_payment_severity,
        levers.referred_price_discount, levers.referred_fee_waiver, levers.unreferred_city_reimbursement_cut)


@numba.njit(cache=True, inline="always")
def _at_least_zero(x: float) -> float:
    # numpy's maximum(x, 0.0) exactly: NaN stays NaN, -0.0 stays -0.0.
    return x if x >= 0.0 or x != x else 0.0


@numba.njit(cache=True, nogil=True)
def _price_and_fund(county, level, kind, insured, referred, severity, waived, outpatient_price, inpatient_price,
                    outpatient_reimbursement, inpatient_reimbursement, inpatient_deductible, same_payment_severity,
                    referred_price_discount, referred_fee_waiver, unreferred_city_cut):
    n = len(level)
    price, fund = np.empty(n), np.empty(n)
    for i in range(n):
        c, lvl, inpatient = county[i], level[i], kind[i] == INPATIENT
        priced = lvl
        if inpatient and lvl == COUNTY and severity[i] < same_payment_severity[c]:
            priced = TOWNSHIP
        if inpatient:
            p, ratio, deductible = inpatient_price[c, priced], inpatient_reimbursement[c, priced], \
                inpatient_deductible[c, priced]
        else:
            p, ratio, deductible = outpatient_price[c, priced], outpatient_reimbursement[c, priced], 0.0
        if referred[i] and lvl >= COUNTY:
            discounted = p * (1.0 - referred_price_discount[c]) - referred_fee_waiver[c]
            p = _at_least_zero(discounted)
        if not referred[i] and lvl == CITY:
            ratio = ratio - unreferred_city_cut[c]
        ratio = _at_least_zero(ratio)
        if waived[i]:
            deductible = 0.0
        covered = p - deductible
        price[i] = p
        fund[i] = ratio * _at_least_zero(covered) if insured[i] else 0.0
    return price, fund


def expected_oop(levers: PolicyLevers) -> np.ndarray:
    """Out-of-pocket cost residents expect for an unreferred contact, by (county, level, episode type,
    insured): what the choice model weighs."""
    n_c = levers.outpatient_price.shape[0]
    level = np.tile(np.arange(4), 4 * 2)
    etype = np.repeat(np.tile(np.arange(4), 2), 4)
    insured = np.repeat([False, True], 16)
    kind = contact_kind(level, etype)
    table = np.zeros((n_c, 4, 4, 2))
    for c in range(n_c):
        price, fund = price_and_reimbursement(levers, np.full(32, c), level, kind, insured)
        table[c, level, etype, insured.astype(int)] = price - fund
    return table


@dataclass
class InsuranceFund:
    """The county's basic medical insurance pool (医保基金): contributions in, reimbursements out."""

    contributions: np.ndarray  # (county,) this year
    spending: np.ndarray  # (county, level) this year

    @classmethod
    def empty(cls, n_counties: int) -> "InsuranceFund":
        return cls(np.zeros(n_counties), np.zeros((n_counties, 4)))

    def collect(self, insured_per_county: np.ndarray, per_capita: float) -> None:
        self.contributions += insured_per_county * per_capita

    def pay(self, county: np.ndarray, level: np.ndarray, amount: np.ndarray) -> None:
        self.spending += np.bincount(county * 4 + level, weights=amount,
                                     minlength=self.spending.size).reshape(self.spending.shape)

    def balance(self) -> np.ndarray:
        return self.contributions - self.spending.sum(axis=1)

    def reset(self) -> None:
        self.contributions[:] = 0
        self.spending[:] = 0


def settle_global_budget(budget, contributions: float, spending: float, past_spending: list[float]) -> float:
    """The community's share of a year's budget result (positive: kept surplus; negative: borne deficit)."""
    if budget.basis == "history":
        if not past_spending:
            return 0.0
        basis = float(np.mean(past_spending[-3:]))
    else:
        basis = contributions
    allowance = basis * (1.0 - budget.reserve_share)
    result = allowance - spending
    return result * (budget.retained_share if result >= 0 else budget.overspend_share)
