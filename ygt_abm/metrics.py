"""The indicators the documents set targets for, per county per year, computed from counters.

Visits are outpatient and emergency contacts (门急诊人次); admissions are counted separately. Every share
uses all contacts of the county's residents as its denominator, wherever they happened (the county's own
facilities are "inside", city hospitals "outside").
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ygt_abm.config.params import CITY, TOWNSHIP, VILLAGE
from ygt_abm.finance import InsuranceFund
from ygt_abm.population import Population

PRIMARY = (VILLAGE, TOWNSHIP)

#: name → (Chinese term, definition). The order is the output order.
INDICATORS: dict[str, tuple[str, str]] = {
    "in_county_visit_rate": ("县域就诊率", "visits at facilities inside the county ÷ all visits of its residents"),
    "primary_care_visit_share": ("基层就诊率", "visits at village clinics and township health centres ÷ all visits "
                                 "of the county's residents (denominator: all visits, in and out of the county)"),
    "primary_care_share_of_in_county_visits": ("县域内基层就诊率", "visits at village clinics and township "
                                               "health centres ÷ visits inside the county (denominator: in-county)"),
    "in_county_inpatient_share": ("县域内住院率", "admissions inside the county ÷ all admissions of its residents"),
    "in_county_fund_share": ("县域内基金支出比例", "insurance spending inside the county ÷ all insurance spending on "
                             "its residents"),
    "primary_care_fund_share": ("基层医保基金占比", "insurance spending at village clinics and township health "
                                "centres ÷ all insurance spending on its residents"),
    "visits_per_capita": ("人均就诊次数", "visits ÷ residents"),
    "admissions_per_capita": ("住院率", "admissions ÷ residents"),
    "referrals_up": ("上转人次", "formal referrals to a higher level by the treating doctor after failed or "
                     "out-of-scope care (count)"),
    "self_referrals_up": ("自行上转", "moves to a higher level after failed or out-of-scope care without a "
                          "referral (count)"),
    "referrals_down": ("下转人次", "referrals from a hospital admission down to the township (count)"),
    "oop_per_episode": ("次均自付费用", "out-of-pocket yuan ÷ episodes with at least one contact"),
    "family_doctor_signup_rate": ("家庭医生签约率", "residents with a family-doctor contract ÷ residents"),
    "key_population_signup_rate": ("重点人群签约率", "residents 65+ or with a chronic condition who have a "
                                   "family-doctor contract ÷ those residents"),
    "chronic_managed_rate": ("慢病规范管理率", "chronic patients with ≥4 follow-ups at primary care in the year "
                             "(国家基本公共卫生服务规范) ÷ chronic patients"),
    "village_doctors": ("村医人数", "doctors posted at village clinics at year end (count)"),
    "fund_balance_per_capita": ("基金结余", "(contributions − insurance spending) ÷ residents, yuan"),
    "unmet_need_share": ("未满足需求", "episodes that found no capacity anywhere ÷ episodes seeking care"),
}


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
        shapes = {"visits": (n_counties, 4), "admissions": (n_counties, 4),
                  "episodes": (n_counties, 4), "outcomes": (n_counties, 5)}
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
