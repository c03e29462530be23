"""Money: reimbursement and out-of-pocket cost per contact, the insurance fund, facility revenue."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.behaviour.illness import SERIOUS
from ygt_abm.levers import PolicyLevers

OUTPATIENT, INPATIENT = 0, 1


def contact_kind(level: np.ndarray, episode_type: np.ndarray) -> np.ndarray:
    """A serious episode is an admission wherever there are beds (township and above); anything else,
    including a serious case seen at a village clinic, is an outpatient or emergency visit."""
    return ((episode_type == SERIOUS) & (level >= 1)).astype(np.int8)


def price_and_reimbursement(levers: PolicyLevers, level: np.ndarray, kind: np.ndarray, insured: np.ndarray,
                            deductible_waived: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(price, fund payment) per contact. The fund pays ``ratio × (price − deductible)`` for insured
    residents; the out-of-pocket cost is ``price − fund payment``."""
    inpatient = kind == INPATIENT
    price = np.where(inpatient, levers.inpatient_price[level], levers.outpatient_price[level])
    ratio = np.where(inpatient, levers.inpatient_reimbursement[level], levers.outpatient_reimbursement[level])
    deductible = np.where(inpatient, levers.inpatient_deductible[level], 0.0)
    if deductible_waived is not None:
        deductible = np.where(deductible_waived, 0.0, deductible)
    fund = np.where(insured, ratio * np.maximum(price - deductible, 0.0), 0.0)
    return price, fund


def expected_oop(levers: PolicyLevers) -> np.ndarray:
    """Out-of-pocket cost residents expect, by (level, episode type, insured), for the choice model."""
    table = np.zeros((4, 4, 2))
    levels = np.arange(4)
    for t in range(4):
        kind = contact_kind(levels, np.full(4, t))
        for insured in (0, 1):
            price, fund = price_and_reimbursement(levers, levels, kind, np.full(4, bool(insured)))
            table[:, t, insured] = price - fund
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
