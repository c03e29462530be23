"""Provision: how providers act given how they are paid (供方行为): the imperfect agent of Ellis and McGuire
(J Health Econ 1986), who weighs its own net revenue against its patients' benefit, adapting over years.

Each year, for every county and level that admits (township health centres, county hospitals, and the city
hospitals its residents use), the provider values a decision by what it earns, net of the cost that varies
with it (``marginal_cost_share`` of the price) and, where a global budget makes the community the budget
holder, of the fund money it keeps (``retained_share`` of a surplus, ``overspend_share`` of a deficit:
the fund's payment becomes the holder's own money), plus ``patient_benefit_weight`` (and the appraisal's
``appraisal_weight``, 考核) times the patient's benefit. Two decisions:

* **Admitting marginal cases** (低标准入院, induced demand). A serious case below the level's appropriate-
  admission severity could be treated as an outpatient. The provider admits it if its margin of an
  admission over an outpatient visit, less its weight times the patient's extra out-of-pocket cost, beats
  the patient's health benefit, taken linear in severity and scaled so that under fee-for-service at
  baseline prices every serious case is admitted (the pre-reform over-admission the appropriateness
  studies measured). So the threshold below which serious cases are treated as outpatients is
  ``appropriate × (1 − N / N_ffs)``, clipped to [0, appropriate], where N is the net value of admitting a
  marginal case now and N_ffs its value under fee-for-service at baseline prices. A budget the community
  holds makes the fund's payment its own money, so N falls and fewer marginal cases are admitted, from the
  year the budget is set.
* **Sending appropriate cases up** (推诿). The provider declines an admission, sending the patient up a
  level, when what it saves exceeds its weight times the patient's loss: the extra out-of-pocket cost at
  the next level plus a harm exponential across patients (``refusal_harm_yuan``). What it saves is its
  net value of the admission less, where the community holds the budget, what the admission costs the
  community at the next level (in the county: that level's net value; out of the county: the fund's
  payment the budget bears, unless the budget is for in-county spending only). Under fee-for-service
  nobody declines; a budget that leaves out-of-county spending invites it, and appraisal limits it.

Each year a provider closes ``adjustment_rate`` of the gap between what it does and what it prefers.
A declined patient has an outpatient contact and is referred up by the treating doctor (``treatment``).
"""

from __future__ import annotations

import numpy as np

from ygt_abm.levers import PolicyLevers
from ygt_abm.processes.base import Process
from ygt_abm.processes.payment import contact_payments
from ygt_abm.vocabulary import CITY, COUNTY, INPATIENT, N_LEVELS, OUTPATIENT, SERIOUS, TOWNSHIP


class Provision(Process):
    """Providers' admission threshold and readiness to decline admissions, set yearly from how they are paid."""

    name = "provision"
    reads = ("global_budget", "appraisal_weight")
    round_streams = ("decline",)

    def init(self, model) -> None:
        n_c = model.region.n_counties
        baseline = PolicyLevers.baseline(model.params, n_c, model.region.n_facilities)
        self.ffs_value = marginal_admission_value(model.params.providers, baseline, no_budget(n_c),
                                                  np.zeros(n_c))
        self.threshold = np.zeros((n_c, N_LEVELS))  # serious cases below it are treated as outpatients
        self.decline = np.zeros((n_c, N_LEVELS))  # share of appropriate admissions sent up (推诿)

    def start_year(self, model) -> None:
        """This year's admission threshold and declining, part of the way to what providers now prefer."""
        p, lev = model.params.providers, model.levers
        retention = holder_retention(lev.global_budget, model.budget_result)
        target_threshold = admission_threshold(p, marginal_admission_value(p, lev, retention, lev.appraisal_weight),
                                               self.ffs_value)
        target_decline = decline_share(p, lev, retention)
        rate = p.adjustment_rate
        self.threshold += rate * (target_threshold - self.threshold)
        self.decline += rate * (target_decline - self.decline)

    def care_round(self, model, week, rnd) -> None:
        """Marginal serious cases are treated as outpatients; declined ones are seen and sent up."""
        if not (self.threshold.any() or self.decline.any()):
            return
        ep = week.episodes
        county, severity = ep.county[rnd.act], ep.severity[rnd.act]
        serious = (ep.kind[rnd.act] == SERIOUS) & (rnd.level >= TOWNSHIP)
        appropriate = severity >= model.params.providers.appropriate_admission_severity.array()[rnd.level]
        outpatient = serious & (severity < self.threshold[county, rnd.level])
        declined = serious & appropriate & (rnd.uniforms["decline"][rnd.act] < self.decline[county, rnd.level])
        rnd.kind = np.where(outpatient | declined, OUTPATIENT, rnd.kind).astype(np.int8)
        rnd.declined = declined


def no_budget(n_counties: int) -> np.ndarray:
    """Retention where no county has a budget: fee-for-service everywhere."""
    return np.zeros((n_counties, N_LEVELS))


def holder_retention(budgets: list, last_result: np.ndarray) -> np.ndarray:
    """(county, level) share of the fund's payment the provider bears at the margin: the community keeps
    ``retained_share`` of a surplus and bears ``overspend_share`` of a deficit (by last year's settled
    result); city hospitals are paid by fee-for-service."""
    retention = no_budget(len(budgets))
    for c, budget in enumerate(budgets):
        if budget is not None:
            retention[c, :CITY] = budget.retained_share if last_result[c] >= 0 else budget.overspend_share
    return retention


def _net_values(p, levers, retention: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(price, fund payment, provider's net value) of a contact by (county, level, kind)."""
    price, fund = contact_payments(levers)
    value = (1.0 - p.marginal_cost_share) * price - retention[:, :, None] * fund
    return price, fund, value


def marginal_admission_value(p, levers, retention: np.ndarray, appraisal: np.ndarray) -> np.ndarray:
    """(county, level) net value to the provider of admitting a marginal case rather than seeing it as an
    outpatient, its weight on the patient's extra out-of-pocket cost deducted."""
    price, fund, value = _net_values(p, levers, retention)
    extra_oop = (price - fund)[:, :, INPATIENT] - (price - fund)[:, :, OUTPATIENT]
    weight = p.patient_benefit_weight + appraisal[:, None]
    return value[:, :, INPATIENT] - value[:, :, OUTPATIENT] - weight * extra_oop


def admission_threshold(p, value: np.ndarray, ffs_value: np.ndarray) -> np.ndarray:
    """(county, level) severity below which serious cases are treated as outpatients: 0 at the fee-for-service
    value, the appropriate-admission severity once admitting a marginal case is worth nothing to the provider."""
    appropriate = p.appropriate_admission_severity.array()[None, :]
    kept = np.divide(value, ffs_value, out=np.zeros_like(value), where=ffs_value > 0)
    threshold = appropriate * (1.0 - np.clip(kept, 0.0, 1.0))
    threshold[:, :TOWNSHIP] = 0.0  # village clinics have no beds
    return threshold


def decline_share(p, levers, retention: np.ndarray) -> np.ndarray:
    """(county, level) share of appropriate admissions the provider sends up a level (推诿): those whose
    harm from being sent up is worth less to it than what it saves."""
    price, fund, value = _net_values(p, levers, retention)
    admit = value[:, :, INPATIENT]
    oop = (price - fund)[:, :, INPATIENT]
    community = retention[:, :CITY].any(axis=1)
    ooc_included = np.array([b is not None and b.out_of_county_included for b in levers.global_budget])
    share = np.zeros_like(admit)
    for level in (TOWNSHIP, COUNTY):
        up = level + 1
        if up <= COUNTY:
            value_up = np.where(community, admit[:, up], 0.0)
        else:  # the budget bears the fund's payment out of the county, if it covers it
            value_up = np.where(community & ooc_included, -retention[:, level] * fund[:, up, INPATIENT], 0.0)
        saving = value_up - admit[:, level]
        weight = p.patient_benefit_weight + levers.appraisal_weight
        excess = np.maximum(saving / weight - (oop[:, up] - oop[:, level]), 0.0)
        share[:, level] = 1.0 - np.exp(-excess / p.refusal_harm_yuan)
    return share
