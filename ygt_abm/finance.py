"""Money: reimbursement and out-of-pocket cost per contact, the insurance fund, facility revenue."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.behaviour.illness import SERIOUS
from ygt_abm.config.params import CITY, COUNTY, TOWNSHIP
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
    referred = np.zeros(n, dtype=bool) if referred is None else referred
    inpatient = kind == INPATIENT
    same = np.zeros(n, dtype=bool)
    if severity is not None:
        same = inpatient & (level == COUNTY) & (severity < levers.same_payment_severity[county])
    priced = np.where(same, TOWNSHIP, level)
    price = np.where(inpatient, levers.inpatient_price[county, priced], levers.outpatient_price[county, priced])
    ratio = np.where(inpatient, levers.inpatient_reimbursement[county, priced],
                     levers.outpatient_reimbursement[county, priced])
    deductible = np.where(inpatient, levers.inpatient_deductible[county, priced], 0.0)
    hospital = referred & (level >= COUNTY)
    discounted = price * (1.0 - levers.referred_price_discount[county]) - levers.referred_fee_waiver[county]
    price = np.where(hospital, np.maximum(discounted, 0.0), price)
    cut = np.where(~referred & (level == CITY), levers.unreferred_city_reimbursement_cut[county], 0.0)
    ratio = np.maximum(ratio - cut, 0.0)
    if deductible_waived is not None:
        deductible = np.where(deductible_waived, 0.0, deductible)
    fund = np.where(insured, ratio * np.maximum(price - deductible, 0.0), 0.0)
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
