"""Demand side: what the patient pays (and what the provider is paid). policy-levers.md §2."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ygt_abm.interventions.base import Intervention, InterventionParams, register
from ygt_abm.vocabulary import LEVELS

LevelChange = dict[str, float]


def _by_level(change: LevelChange) -> np.ndarray:
    unknown = set(change) - set(LEVELS)
    if unknown:
        raise ValueError(f"unknown levels {sorted(unknown)}; expected some of {LEVELS}")
    return np.array([change.get(level, 0.0) for level in LEVELS])


@register
class ReimbursementGap(Intervention):
    """Reimbursement gap between levels (差别化支付; ZJ §(十六), AH §23 合理拉开支付比例, NanX 四(四)).

    Adds ``outpatient_change`` / ``inpatient_change`` (points of the reimbursement ratio) and
    ``deductible_change`` (yuan) by level. Mechanism: out-of-pocket cost enters the care-seeking logit, so a
    higher ratio at the township and a lower one outside the county move choices down and in."""

    name = "reimbursement_gap"

    class Params(InterventionParams):
        outpatient_change: LevelChange = Field(default_factory=dict)
        inpatient_change: LevelChange = Field(default_factory=dict)
        deductible_change: LevelChange = Field(default_factory=dict)

    def init(self, model):
        super().init(model)
        for change in (self.p.outpatient_change, self.p.inpatient_change, self.p.deductible_change):
            _by_level(change)

    def apply(self, levers, year):
        c = self.county_ids
        levers.outpatient_reimbursement[c] = np.clip(
            levers.outpatient_reimbursement[c] + _by_level(self.p.outpatient_change), 0.0, 1.0)
        levers.inpatient_reimbursement[c] = np.clip(
            levers.inpatient_reimbursement[c] + _by_level(self.p.inpatient_change), 0.0, 1.0)
        levers.inpatient_deductible[c] = np.maximum(
            levers.inpatient_deductible[c] + _by_level(self.p.deductible_change), 0.0)


@register
class PriceAdjustment(Intervention):
    """Medical service price adjustment by level (医疗服务价格调整; the price policy four of the documents
    mention; also the instrument of the price-elasticity checks).

    Multiplies the outpatient and inpatient list prices of each level by 1 + ``outpatient_change`` /
    ``inpatient_change``. Mechanism: prices reach patients through out-of-pocket cost in the choice
    model, and facilities through revenue."""

    name = "price_adjustment"

    class Params(InterventionParams):
        outpatient_change: LevelChange = Field(default_factory=dict, description="share by level, e.g. 0.1")
        inpatient_change: LevelChange = Field(default_factory=dict, description="share by level, e.g. 0.1")

    def init(self, model):
        super().init(model)
        for change in (self.p.outpatient_change, self.p.inpatient_change):
            if (_by_level(change) <= -1.0).any():
                raise ValueError(f"{self.name}: a price change must be above −1 (−100%)")

    def apply(self, levers, year):
        c = self.county_ids
        levers.outpatient_price[c] *= 1.0 + _by_level(self.p.outpatient_change)
        levers.inpatient_price[c] *= 1.0 + _by_level(self.p.inpatient_change)


@register
class ContinuousDeductible(Intervention):
    """Continuous deductible on referral (起付线连续计算; GD §(四), ZJ §(十六), AH §23, NanX 四(四)).

    Mechanism: a patient referred within the county pays the admission deductible once, so a referral up
    after a township admission costs less out of pocket and is not avoided (or replaced by going straight
    to the county hospital)."""

    name = "continuous_deductible"

    class Params(InterventionParams):
        pass

    def apply(self, levers, year):
        levers.continuous_deductible[self.county_ids] = True


@register
class SameDiseaseSamePayment(Intervention):
    """Same disease, same price, same payment (同病同价同付; ZJ §(十六) across levels; NanX 四(四) county–township).

    Admissions the township can treat (severity below ``severity_threshold``) are priced and reimbursed at
    the county hospital as at the township centre. Mechanism: the county hospital earns no more for a case
    the township could treat, removing its revenue reason to keep such cases; patients pay the same at
    both levels. Which way patient flows move is for the model to show."""

    name = "same_disease_same_payment"

    class Params(InterventionParams):
        severity_threshold: float | None = Field(None, ge=0, le=1, description="default: the treatable "
                                                 "severity of the township disease catalogue (care parameters)")

    def apply(self, levers, year):
        threshold = self.p.severity_threshold
        levers.same_payment_severity[self.county_ids] = levers.treatable_severity if threshold is None else threshold


@register
class ReferredPatientWaiverPriority(Intervention):
    """Fee waivers and priority for referred patients (一免三优先; NanX 四(一): registration fee waived,
    priority for visit, test and admission; XC 三(七) priority).

    Mechanism: a referred patient's hospital contact costs ``fee_waived`` yuan less, and referred patients
    are served before self-referred ones when capacity is short (shorter waits), so being referred by the
    family doctor beats going straight to the hospital."""

    name = "referred_patient_waiver_priority"

    class Params(InterventionParams):
        fee_waived: float = Field(10.0, ge=0, le=1000, description="ASSUMPTION: a registration fee, yuan")
        priority: bool = True

    def apply(self, levers, year):
        levers.referred_fee_waiver[self.county_ids] = self.p.fee_waived
        levers.referral_priority[self.county_ids] = self.p.priority


@register
class ChronicCapitation(Intervention):
    """Chronic-disease capitation (慢病按人头付费; AH §6, surplus tilted to grassroots).

    Primary care is paid ``per_head`` yuan a year for each managed chronic patient: by the fund, or, where
    the community holds a global budget, out of that budget (AH §6 sets it 在医共体…总额预算指标下), as a
    transfer from the county hospitals. Mechanism: primary care earns from keeping chronic patients managed,
    so primary teams reach out to more of them (随访, ``processes/provision.py``) and more follow-ups happen at
    the village and township; without a budget the primary-care share of the fund rises by the payment
    itself."""

    name = "chronic_capitation"

    class Params(InterventionParams):
        per_head: float = Field(ge=0, le=10_000, description="yuan per managed chronic patient a year")

    def apply(self, levers, year):
        levers.capitation_per_chronic[self.county_ids] = self.p.per_head


@register
class CasePayment(Intervention):
    """Case payment for admissions (按疾病诊断相关分组付费 DRG / 按病种分值付费 DIP; ZJ §(十六), AH §5 §23, NanX 三(一)7(1);
    XC names DRGs only as a tool of evaluation, 二(二), and GD 二(四) names no payment method).

    Admissions at ``levels`` are paid a case rate: ``rate_factor`` × the level's price (1: budget neutral at
    typical severity), following ``severity_adjustment`` of the cost–severity gradient (the groups'
    complication tiers; 0: one rate per level, 1: the rate follows severity as charges do) and
    ``intensity_adjustment`` of the intensity practised (diagnosis–procedure groups, DIP; 0: DRG, whose
    groups pay the same whatever is done within them). The patient pays the schedule's share of the
    itemised charges; the fund pays the rest of the rate. Mechanism (``processes/provision.py``; docs/model.md,
    "Payment"): revenue follows the resources a case uses only in part, so providers cut intensity (服务缩水,
    the less the more the groups follow it; limited by their weight on patients and by appraisal), mild cases
    earn more than severe ones, and, where a holder bears the fund's payment, severe cases become the ones
    worth sending on."""

    name = "case_payment"

    class Params(InterventionParams):
        levels: list[Literal["township", "county", "city"]] = Field(
            default_factory=lambda: ["township", "county"],
            description="levels whose admissions are paid by case (the city's hospitals are outside the county)")
        rate_factor: float = Field(1.0, gt=0, le=3, description="case rate ÷ the level's price")
        severity_adjustment: float = Field(
            0.5, ge=0, le=1, description="ASSUMPTION: share of the cost–severity gradient the rate follows; grouping "
            "explains about 0.4–0.6 of cost variance (R² of DRG systems: Muldoon, Pediatrics 1999; Chengdu, "
            "trimmed, 0.59)")
        intensity_adjustment: float = Field(
            0.0, ge=0, le=1, description="share of a change in the intensity practised the rate follows: 0 for DRG "
            "(one group's rate whatever is done); DIP's diagnosis–procedure groups pay more for more procedures "
            "(points per case +3% with more procedures, Lai et al. 2022): ASSUMPTION 0.5 where a reform is DIP, "
            "the severity adjustment's share, no direct source")

    def apply(self, levers, year):
        levels = [LEVELS.index(name) for name in self.p.levels]
        levers.case_rate[np.ix_(self.county_ids, levels)] = self.p.rate_factor
        levers.case_severity_adjustment[self.county_ids] = self.p.severity_adjustment
        levers.case_intensity_adjustment[self.county_ids] = self.p.intensity_adjustment


@register
class OutpatientCapitation(Intervention):
    """Outpatient capitation (门诊统筹按人头付费; the national opinion on payment reform, 人社部发〔2011〕63号: residents'
    outpatient pooling at primary care paid mainly by head, 以按人头付费为主; in Ningxia with pay for performance,
    Yip et al., Health Affairs 2014).

    At ``levels`` (village clinics, township health centres) the fund pays nothing per outpatient contact: the
    patient still pays the schedule's share of the itemised charges, which is all the facility earns from the
    contact. Instead, at year end, the fund pays each insured resident's own facility of the level (village
    clinic, home township centre) ``per_head`` yuan; omitted, it is budget neutral: the fund's outpatient
    payment per insured resident at that level in the last settled year (so the reform cannot start in the
    first simulated year without ``per_head`` unless the run has a warm-up). Mechanism
    (``processes/provision.py``): revenue no longer follows outpatient contacts, so providers at those levels
    prefer less intensive outpatient care (fewer tests and drugs per visit) and keep less failed care (a second
    try earns only the patient's share), sending it up. The resident's yearly outpatient limit holds as before
    (the pooled benefit uses it), so patients pay what fee-for-service would have charged them. The
    pay-for-performance part (a withheld share paid on appraisal) is not modelled."""

    name = "outpatient_capitation"

    class Params(InterventionParams):
        levels: list[Literal["village", "township"]] = Field(
            default_factory=lambda: ["village", "township"], min_length=1,
            description="levels whose outpatient care the fund pays by head (primary care)")
        per_head: float | None = Field(
            None, ge=0, le=10_000, description="yuan a year per insured resident of the county, to each level; "
            "default: budget neutral, the fund's outpatient payment per insured resident there last year")

    def apply(self, levers, year):
        levels = [LEVELS.index(name) for name in self.p.levels]
        cells = np.ix_(self.county_ids, levels)
        levers.outpatient_capitation[cells] = True
        levers.outpatient_capitation_per_head[cells] = np.nan if self.p.per_head is None else self.p.per_head
