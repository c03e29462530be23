"""Settlement: the insurance fund's year, and global budgets (医保总额付费, 结余留用, 超支分担).

Where a county pays its community a global budget (for all its residents' spending, or, where
``out_of_county_included`` is off, for in-county spending only: a cap, 总额控制), the community keeps
``retained_share`` of a surplus (bears ``overspend_share`` of a deficit); the lead hospital takes at most its
capped share, the township and village levels the rest (``budget_township_share`` and ``budget_village_share``
of it); and ``bonus_share`` of each level's result is paid to its doctors next year as a pay multiplier (never
below ``budget_pay_floor``). Where a level may pay bonuses from its own service surplus (两个允许, lever
``surplus_pay_share``), that share of the surplus's growth over the three years before the lever is paid the
same way, as extra pay only.
Then the fund's year closes and next year's contributions are collected.
"""

from __future__ import annotations

import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import CITY, COUNTY, N_LEVELS, TOWNSHIP, VILLAGE


class Settlement(Process):
    """Global-budget settlement and the insurance fund's new year."""

    name = "settlement"
    reads = ("global_budget", "surplus_pay_share")
    writes = ("accounts", "fund.contributions", "fund.spending")

    def init(self, model) -> None:
        pop = model.population
        self.insured = np.bincount(pop.county[pop.insured], minlength=model.region.n_counties).astype(float)
        self.spending_history: list[np.ndarray] = []  # fund spending per county and level, every year so far
        self.surplus_history: list[np.ndarray] = []  # each level's service surplus, every year so far
        self.surplus_basis = np.full((model.region.n_counties, N_LEVELS), np.nan)  # what its growth counts from

    def end_year(self, model) -> None:
        """Settle global budgets into next year's pay bonus; close the fund's year and collect contributions."""
        fund, finance = model.fund, model.params.finance
        self.spending_history.append(fund.spending.copy())
        accounts = model.accounts
        accounts.budget_bonus[:] = 1.0
        doctors = model.facilities.doctors_by_county_and_level(model.region.n_counties)
        ref = model.params.workforce.reference_pay.array()
        for c, budget in enumerate(model.levers.global_budget):
            if budget is None:
                continue
            covered = slice(None) if budget.out_of_county_included else slice(None, CITY)
            past = [year_spending[c, covered].sum() for year_spending in self.spending_history[:-1]]
            result = settle_global_budget(budget, fund.contributions[c], fund.spending[c, covered].sum(), past)
            accounts.budget_result[c] = result
            lead = budget.lead_hospital_max_share
            shares = {COUNTY: lead, TOWNSHIP: (1 - lead) * finance.budget_township_share,
                      VILLAGE: (1 - lead) * finance.budget_village_share}
            for level, share in shares.items():
                if doctors[c, level] <= 0:
                    continue
                per_doctor = result * share * budget.bonus_share / doctors[c, level]
                accounts.budget_bonus[c, level] = max(finance.budget_pay_floor, 1.0 + per_doctor / ref[level])
        self.pay_surplus_bonus(model, doctors)
        fund.reset()
        fund.collect(self.insured, finance.contribution_per_capita)

    def pay_surplus_bonus(self, model, doctors: np.ndarray) -> None:
        """Next year's bonus from the growth of each level's service surplus (两个允许); ``doctors`` by (county,
        level)."""
        surplus = model.counters.service_surplus(model.params.providers.marginal_cost_share)
        self.surplus_history.append(surplus)
        share = model.levers.surplus_pay_share
        self.surplus_basis = surplus_basis(share, self.surplus_basis, self.surplus_history)
        model.accounts.surplus_bonus[:] = surplus_bonus(share, surplus, self.surplus_basis, doctors,
                                               model.params.workforce.reference_pay.array())


def surplus_basis(share: np.ndarray, basis: np.ndarray, history: list[np.ndarray]) -> np.ndarray:
    """(county, level) surplus the growth is measured from: where the lever has just begun, the mean of the
    (up to) three years before it, or this year's if the run began with it; kept while the lever lasts; none
    (NaN) where it is off."""
    before = history[:-1][-3:]
    start = np.mean(before, axis=0) if before else history[-1]
    begun = (share > 0) & np.isnan(basis)
    return np.where(share > 0, np.where(begun, start, basis), np.nan)


def surplus_bonus(share: np.ndarray, surplus: np.ndarray, basis: np.ndarray, doctors: np.ndarray,
                  reference_pay: np.ndarray) -> np.ndarray:
    """(county, level) pay multiplier: ``share`` of the surplus's growth over ``basis`` per doctor, over the
    reference pay. Only extra pay (增发): a surplus below its basis pays no bonus, and cuts no pay."""
    growth = np.where(share > 0, surplus - np.nan_to_num(basis), 0.0)
    per_doctor = np.divide(share * growth, doctors, out=np.zeros_like(surplus), where=doctors > 0)
    return np.maximum(1.0, 1.0 + per_doctor / reference_pay[None, :])


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
