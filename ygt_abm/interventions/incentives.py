"""Provider incentives and money. policy-levers.md §4."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ygt_abm.interventions.base import Intervention, InterventionParams, register
from ygt_abm.levers import GlobalBudget as BudgetLever
from ygt_abm.vocabulary import LEVELS, TOWNSHIP, VILLAGE


@register
class GlobalBudget(Intervention):
    """Global budget with surplus retention and overspending shared (医保总额付费, 结余留用, 超支分担; XC 四(二)
    结余留用、超支不补; ZJ §(十六); AH §5 §8 lead hospital ≤60% of the surplus; NanX 三(一)7).

    Each year the county's fund pays the community a budget; out-of-county spending comes out of it. The
    community keeps ``retained_share`` of a surplus (bears ``overspend_share`` of a deficit); the lead
    hospital takes at most ``lead_hospital_max_share`` of it, the township and village levels the rest; and
    ``bonus_share`` of each level's result is paid to its doctors the next year. Mechanism: from the year
    the budget is set, the fund's payment for a contact is the community's own money, so providers admit
    fewer marginal cases (``processes/provision.py``); keeping care cheap and in the county raises doctors'
    income, which lowers quitting, eases hiring and buys effort (capability) — above all at the township
    and village levels. ``out_of_county_included: false`` is a cap on in-county spending only (总额控制, as
    before the community reforms): sending patients out of the county then saves the holder money (推诿).

    The budget is ``basis: history`` (the county's mean spending of the previous three years) or
    ``contributions`` (this year's contributions less ``reserve_share``, as XC describes). The model's
    baseline fund is near balance (docs/model.md), but its spending includes what critical-illness insurance
    (大病保险) pays, which XC's reserves take out of the basis in shares it does not give, so ``contributions``
    would mis-state the allowance; packages use ``history`` and say so."""

    name = "global_budget"

    class Params(InterventionParams):
        basis: Literal["history", "contributions"] = "history"
        reserve_share: float = Field(0.0, ge=0, le=0.5)
        retained_share: float = Field(1.0, ge=0, le=1)
        overspend_share: float = Field(0.5, ge=0, le=1)
        lead_hospital_max_share: float = Field(0.6, ge=0, le=1)
        bonus_share: float = Field(0.6, ge=0, le=1)
        out_of_county_included: bool = True

    def apply(self, levers, year):
        for c in self.county_ids:
            levers.global_budget[c] = BudgetLever(self.p.basis, self.p.reserve_share, self.p.retained_share,
                                                  self.p.overspend_share, self.p.lead_hospital_max_share,
                                                  self.p.bonus_share, self.p.out_of_county_included)


@register
class GrassrootsPerformancePay(Intervention):
    """Grassroots funding and performance pay (公益一类保障、公益二类绩效; GD §(七), XC 四(四), ZJ §(十四),
    AH §21 §22, NanX 四(四)).

    Township (and village) doctors' pay rises by ``pay_increase``. Mechanism: quitting falls and vacancies
    fill faster as pay rises, and effort rises with performance pay, so the township keeps more, better
    doctors, and its capacity and capability grow."""

    name = "grassroots_performance_pay"

    class Params(InterventionParams):
        pay_increase: float = Field(ge=0, le=3)
        include_village: bool = False

    def apply(self, levers, year):
        c = self.county_ids
        levers.pay_factor[c, TOWNSHIP] *= 1.0 + self.p.pay_increase
        if self.p.include_village:
            levers.pay_factor[c, VILLAGE] *= 1.0 + self.p.pay_increase


@register
class ServiceSurplusPay(Intervention):
    """Bonus pay from the facilities' own service surplus (两个允许: 允许…突破现行事业单位工资调控水平,
    允许医疗服务收入扣除成本并按规定提取各项基金后主要用于人员奖励; XC 四(四): township centres may pay ≥60%
    of the year's service-income surplus after costs as extra bonus pay, 增发奖励性绩效工资; AH §22 and NanX
    四(四) only 落实"两个允许", with no share).

    ``share`` of the growth of each of ``levels``' service surplus (revenue from patients, the fund and
    capitation, less the cost that varies with care: government funds the posts, 公益一类财政保障, XC 四(四))
    over its mean surplus in the three years before the lever began is paid to its doctors the next year, as
    a pay multiplier. Pre-reform surpluses were already part of the reference pay, so only the growth
    counts; a smaller surplus pays no bonus but cuts no pay (增发: extra pay only). Mechanism: more patients at
    the level, or leaner care where it is paid by case, pay its doctors more, which lowers quitting, eases
    hiring and buys effort; under a budget the level's own fee-for-service revenue, and so its bonus, falls
    with the care it no longer gives."""

    name = "service_surplus_pay"

    class Params(InterventionParams):
        share: float = Field(ge=0, le=1, description="share of the surplus's growth paid as bonus pay")
        levels: list[Literal["village", "township", "county"]] = Field(
            default_factory=lambda: ["township"], description="levels whose doctors share their surplus's growth")

    def apply(self, levers, year):
        levels = [LEVELS.index(name) for name in self.p.levels]
        levers.surplus_pay_share[np.ix_(self.county_ids, levels)] = self.p.share


@register
class PayParityPromotion(Intervention):
    """Pay parity and promotion rules (XC 四(三) 四(四): GP income ≥ county-hospital peers, years of
    grassroots service for promotion, rural GPs can reach associate-senior titles; AH §22; NanX 四(二)).

    With ``parity`` the ``covered_share`` of township doctors it applies to (XC: general practitioners, against
    county clinicians of the same standing, 原则上) earn at least the county hospital's doctors (their whole pay,
    after every other pay lever and budget bonus); the level's pay rises by that share of the gap. With
    ``promotion_rule`` the township's vacancies fill ``fill_factor`` times faster (doctors must serve there to be
    promoted).
    Mechanism: retention and recruitment at the township, hence its capacity and capability."""

    name = "pay_parity_promotion"

    class Params(InterventionParams):
        parity: bool = True
        covered_share: float = Field(1.0, ge=0, le=1, description="share of township doctors the parity covers")
        promotion_rule: bool = False
        fill_factor: float = Field(1.5, ge=1, le=10, description=(
            "ASSUMPTION: × the township's vacancy fill rate when promotion requires township service; no document "
            "or evaluation gives a number: half as fast again, a moderate effect to vary"))

    def apply(self, levers, year):
        c = self.county_ids
        if self.p.parity:
            levers.township_pay_parity[c] = self.p.covered_share
        if self.p.promotion_rule:
            levers.vacancy_fill_factor[c, TOWNSHIP] *= self.p.fill_factor


@register
class AppraisalLinkedSettlement(Intervention):
    """Settlement tied to appraisal (考核挂钩结余留用、超支分担; AH §4 §5 §8, XC 四(二), ZJ §(十六), NanX 三(二); GD
    二(四) only supervises 推诿病人、降低服务质量, with no money tied to it): the community keeps its surplus
    only in proportion to how it scores on indicators such as the in-county treatment rate and referrals, so
    harm done to patients costs it money.

    ``weight`` is added to providers' own weight on their patients' benefit where the county pays a global
    budget (yuan of settlement at stake per yuan of patient harm; ASSUMPTION: the documents name the
    link, not its strength). Mechanism: fewer
    declined admissions (推诿) and fewer marginal admissions (``processes/provision.py``)."""

    name = "appraisal_linked_settlement"

    class Params(InterventionParams):
        weight: float = Field(0.5, ge=0, le=10, description=(
            "ASSUMPTION: yuan of settlement at stake per yuan of patient harm; the documents name the link, not "
            "its strength: about half the providers' own weight on their patients (1.078)"))

    def apply(self, levers, year):
        levers.appraisal_weight[self.county_ids] += self.p.weight
