"""The county's basic medical insurance pool (医保基金): contributions in, reimbursements out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.vocabulary import N_LEVELS


@dataclass
class InsuranceFund:
    contributions: np.ndarray  # (county,) this year
    spending: np.ndarray  # (county, level) this year

    @classmethod
    def empty(cls, n_counties: int) -> "InsuranceFund":
        return cls(np.zeros(n_counties), np.zeros((n_counties, N_LEVELS)))

    def collect(self, insured_per_county: np.ndarray, per_capita: float) -> None:
        self.contributions += insured_per_county * per_capita

    def pay(self, county: np.ndarray, level: np.ndarray, amount: np.ndarray) -> None:
        self.spending += np.bincount(county * N_LEVELS + level, weights=amount,
                                     minlength=self.spending.size).reshape(self.spending.shape)

    def balance(self) -> np.ndarray:
        return self.contributions - self.spending.sum(axis=1)

    def reset(self) -> None:
        self.contributions[:] = 0
        self.spending[:] = 0
