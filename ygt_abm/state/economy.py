"""The economic results of the last settlement (结算), by county: what the fund's year left the community
and its doctors. Settlement writes them at every year end; pay (workforce) and providers (provision) read
them the next year. See docs/model.md, "Settlement"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.vocabulary import N_LEVELS


@dataclass
class SettledAccounts:
    budget_result: np.ndarray  # (county,) the community's share of its last settled global-budget result, yuan
    budget_bonus: np.ndarray  # (county, level) pay multiplier earned at the last budget settlement
    surplus_bonus: np.ndarray  # (county, level) pay multiplier from the facilities' last service surplus (两个允许)

    @classmethod
    def none_yet(cls, n_counties: int) -> "SettledAccounts":
        """Before any settlement: no result, no bonus."""
        return cls(np.zeros(n_counties), np.ones((n_counties, N_LEVELS)), np.ones((n_counties, N_LEVELS)))

