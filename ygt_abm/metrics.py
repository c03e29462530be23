"""The indicators the documents set targets for, per county per year, computed from counters.

Visits are outpatient and emergency contacts (门急诊人次); admissions are counted separately. Every share
uses all contacts of the county's residents as its denominator, wherever they happened (the county's own
facilities are "inside", city hospitals "outside").
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ygt_abm.finance import InsuranceFund
from ygt_abm.population import Population
from ygt_abm.vocabulary import CITY, INDICATORS, N_LEVELS, N_EPISODE_TYPES, OUTCOMES, PRIMARY_CARE as PRIMARY

__all__ = ["INDICATORS", "YearCounters", "county_indicators"]


@dataclass
class YearCounters:
    """Tallies of one year, by home county of the resident."""

    visits: np.ndarray  # (county, level)
    admissions: np.ndarray  # (county, level)
    oop: np.ndarray  # (county,)
    care_episodes: np.ndarray  # (county,) episodes with ≥1 contact
    unmet: np.ndarray  # (county,)
    referrals_up: np.ndarray  # (county,) formal referrals
    self_referrals_up: np.ndarray  # (county,)
    referrals_down: np.ndarray  # (county,)
    episodes: np.ndarray  # (county, type) episodes started
    outcomes: np.ndarray  # (county, outcome) episodes ended

    @classmethod
    def zeros(cls, n_counties: int) -> "YearCounters":
        shapes = {"visits": (n_counties, N_LEVELS), "admissions": (n_counties, N_LEVELS),
                  "episodes": (n_counties, N_EPISODE_TYPES), "outcomes": (n_counties, len(OUTCOMES))}
        return cls(**{f.name: np.zeros(shapes.get(f.name, (n_counties,))) for f in fields(cls)})

    def reset(self) -> None:
        for f in fields(self):
            getattr(self, f.name)[:] = 0


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.full(part.shape, np.nan), where=whole > 0)


def county_indicators(c: YearCounters, population: Population, fund: InsuranceFund,
                      village_doctors: np.ndarray) -> dict[str, np.ndarray]:
    """Every indicator as an array over counties."""
    spending = fund.spending
    n = len(c.oop)
    residents = np.bincount(population.county, minlength=n).astype(float)
    chronic = population.has_chronic
    key = population.key_population
    chronic_n = np.bincount(population.county[chronic], minlength=n)
    managed = np.bincount(population.county[population.managed_chronic], minlength=n)
    visits, admits, paid = c.visits.sum(1), c.admissions.sum(1), spending.sum(1)
    return {
        "in_county_visit_rate": _share(visits - c.visits[:, CITY], visits),
        "primary_care_visit_share": _share(c.visits[:, PRIMARY].sum(1), visits),
        "primary_care_share_of_in_county_visits": _share(c.visits[:, PRIMARY].sum(1), visits - c.visits[:, CITY]),
        "in_county_inpatient_share": _share(admits - c.admissions[:, CITY], admits),
        "in_county_fund_share": _share(paid - spending[:, CITY], paid),
        "primary_care_fund_share": _share(spending[:, PRIMARY].sum(1), paid),
        "visits_per_capita": _share(visits, residents),
        "admissions_per_capita": _share(admits, residents),
        "referrals_up": c.referrals_up.copy(),
        "self_referrals_up": c.self_referrals_up.copy(),
        "referrals_down": c.referrals_down.copy(),
        "oop_per_episode": _share(c.oop, c.care_episodes),
        "family_doctor_signup_rate": _share(
            np.bincount(population.county[population.family_doctor], minlength=n).astype(float), residents),
        "key_population_signup_rate": _share(
            np.bincount(population.county[key & population.family_doctor], minlength=n).astype(float),
            np.bincount(population.county[key], minlength=n).astype(float)),
        "chronic_managed_rate": _share(managed.astype(float), chronic_n.astype(float)),
        "village_doctors": village_doctors.astype(float),
        "fund_balance_per_capita": _share(fund.balance(), residents),
        "unmet_need_share": _share(c.unmet, c.care_episodes + c.unmet),
    }
