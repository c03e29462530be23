"""Policy levers: the one object interventions write to and behaviour reads policy from.

Behaviour code never knows which document or intervention set a value; it only reads these arrays.
Every lever starts at the baseline (no reform) and is rebuilt each simulated year from the baseline by
the interventions active that year, so an intervention's end year simply stops its writes. Levers are
per county (C) or per facility (F), so an intervention aimed at one county never touches another.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.config.params import ModelParameters
from ygt_abm.vocabulary import N_EPISODE_TYPES, N_LEVELS


@dataclass(frozen=True)
class Secondment:
    """Doctors of ``from_level`` facilities posted to every ``to_level`` facility of a county (下沉 /
    组团式帮扶). ``presence`` is the share of their working time spent at the posting (the rest at
    home); the most skilled available doctors go first."""

    county: int
    from_level: int
    to_level: int
    per_facility: int
    presence: float
    only_facilities: tuple[int, ...] = ()  # restrict to these target facilities (empty: all of the level)


@dataclass(frozen=True)
class GlobalBudget:
    """医保总额付费: the county's fund pays the community a yearly budget; out-of-county spending comes out
    of it; a surplus is kept as income and a deficit partly borne. The budget is the county's mean
    spending of the previous three years (``history``) or this year's contributions (``contributions``),
    less a reserve. Its incentive reaches providers from the year it is set (``processes/provision.py``)."""

    basis: str  # "history" | "contributions"
    reserve_share: float  # held back for risk and critical illness before the budget is set
    retained_share: float  # share of the surplus the community keeps (结余留用)
    overspend_share: float  # share of a deficit the community bears (超支分担; 1 = 超支不补)
    lead_hospital_max_share: float  # at most this share of the kept surplus goes to the county hospitals
    bonus_share: float  # share of a facility's kept surplus paid out as staff bonuses
    out_of_county_included: bool = True  # residents' out-of-county spending comes out of the budget (the
    #                                      community's budget); False: a cap on in-county spending only (总额控制)


@dataclass
class PolicyLevers:
    # --- money: prices and reimbursement, (county, level) ------------------------------------------
    outpatient_price: np.ndarray
    inpatient_price: np.ndarray
    outpatient_reimbursement: np.ndarray  # 差别化支付
    inpatient_reimbursement: np.ndarray
    inpatient_deductible: np.ndarray  # 起付线
    inpatient_in_catalogue: np.ndarray  # share of an admission's price the reimbursement ratio applies to (政策范围内)
    outpatient_fund_limit: np.ndarray  # (C,) yuan a year the fund pays at most per resident for outpatient care
    continuous_deductible: np.ndarray  # (C,) bool: a referred admission pays no second deductible (起付线连续计算)
    same_payment_severity: np.ndarray  # (C,) township-treatable admissions (severity below it) are priced
    #                                    and paid at the county hospital as at the township (同病同价同付); 0 off
    referred_fee_waiver: np.ndarray  # (C,) yuan off a referred patient's hospital contact (免挂号费)
    referred_price_discount: np.ndarray  # (C,) share off a referred contact: tests not repeated (结果互认)
    unreferred_reimbursement_cut: np.ndarray  # (C, level) points off reimbursement without referral (首诊, 白名单)
    capitation_per_chronic: np.ndarray  # (C,) yuan a year per managed chronic patient to primary care (按人头付费)
    global_budget: list[GlobalBudget | None]  # (C,)
    appraisal_weight: np.ndarray  # (C,) weight on patients' benefit the appraisal adds to providers' own (考核)
    case_rate: np.ndarray  # (C, level) admissions paid a case rate of this × the level's price (DRG/DIP); 0: by fee
    case_severity_adjustment: np.ndarray  # (C,) share of the cost–severity gradient the case rate follows
    case_intensity_adjustment: np.ndarray  # (C,) share of the practised intensity the case rate follows (DIP's procedures)
    outpatient_capitation: np.ndarray  # (C, level) bool: the fund pays the level's outpatient care per insured
    #                                    resident a year, nothing per contact (门诊统筹按人头付费)
    outpatient_capitation_per_head: np.ndarray  # (C, level) yuan a year per insured resident; NaN: budget neutral
    #                                             (the fund's outpatient payment per insured resident there last year)
    # --- access and pathway ------------------------------------------------------------------------
    reserved_share: np.ndarray  # (F,) capacity held back for referred patients (号源预留)
    referral_priority: np.ndarray  # (C,) bool: referred patients are served first (优先接诊/住院)
    bypass_penalty: np.ndarray  # (C,) utility cost for a contracted resident going above the township unreferred (首诊)
    signup_target: np.ndarray  # (C,) family-doctor contract share to reach; NaN: no drive (家庭医生签约)
    signup_key_only: np.ndarray  # (C,) bool: the target counts key populations (65+, chronic) only
    county_admission_limit: np.ndarray  # (C,) share of unreferred township-treatable admissions the county hospital turns back
    treatable_severity: float  # severity below which a serious case is township-treatable (病种目录)
    referral_down_rate: np.ndarray  # (C,) hospital admissions referred down after treatment (下转)
    remote_consultation_share: np.ndarray  # (C,) failing primary-care contacts discussed with the lead hospital (远程会诊)
    remote_consultation_fee: np.ndarray  # (C,) yuan the fund pays the lead hospital per consultation (0: none)
    # --- supply ------------------------------------------------------------------------------------
    capability_bonus: np.ndarray  # (F, episode type)
    extra_outpatient_capacity: np.ndarray  # (F,) visits a week (circuit clinics, specialty departments)
    extra_beds: np.ndarray  # (F,)
    secondments: list[Secondment]  # doctors posted away from their employer (下沉, 组团式帮扶)
    # --- workforce and pay ---------------------------------------------------------------------------
    pay_factor: np.ndarray  # (C, level) doctors' pay ÷ reference pay
    township_pay_parity: np.ndarray  # (C,) share of township doctors earning at least county-hospital pay (薪酬衔接)
    village_pay_pool: np.ndarray  # (C,) yuan a year shared among the county's village doctors as pay
    surplus_pay_share: np.ndarray  # (C, level) share of the growth of a level's service surplus paid as bonus (两个允许)
    vacancy_fill_factor: np.ndarray  # (C, level) × the yearly vacancy fill rate
    recruit_skill_bonus: np.ndarray  # (C, level) skill of new recruits above the usual draw
    village_retirement_factor: np.ndarray  # (C,) × the over-age village doctors' leaving hazard
    # --- health --------------------------------------------------------------------------------------
    chronic_complication_reduction: np.ndarray  # (C,) share of chronic patients' serious onsets prevented
    chronic_primary_bonus: np.ndarray  # (C,) utility of primary care for chronic follow-ups (管理)
    self_care_shift: np.ndarray  # (C,) utility added to self-care for minor illness (健康素养)
    city_bypass_shift: np.ndarray  # (C,) utility added to city care for minor illness

    def budget_held(self) -> np.ndarray:
        """(C,) bool: the county pays its community a global budget this year."""
        return np.array([budget is not None for budget in self.global_budget])

    @classmethod
    def baseline(cls, params: ModelParameters, n_counties: int, n_facilities: int) -> "PolicyLevers":
        f, fac = params.finance, params.facilities

        def per_county(values: np.ndarray) -> np.ndarray:
            return np.tile(values, (n_counties, 1))

        zeros_c = np.zeros(n_counties)
        return cls(
            outpatient_price=per_county(fac.outpatient_price.array()),
            inpatient_price=per_county(fac.inpatient_price.array()),
            outpatient_reimbursement=per_county(f.outpatient_reimbursement.array()),
            inpatient_reimbursement=per_county(f.inpatient_reimbursement.array()),
            inpatient_deductible=per_county(f.inpatient_deductible.array()),
            inpatient_in_catalogue=np.full((n_counties, N_LEVELS), f.inpatient_in_catalogue_share),
            outpatient_fund_limit=np.full(n_counties, np.inf if f.outpatient_fund_limit is None
                                          else f.outpatient_fund_limit),
            continuous_deductible=np.zeros(n_counties, dtype=bool),
            same_payment_severity=zeros_c.copy(),
            referred_fee_waiver=zeros_c.copy(),
            referred_price_discount=zeros_c.copy(),
            unreferred_reimbursement_cut=np.zeros((n_counties, N_LEVELS)),
            capitation_per_chronic=zeros_c.copy(),
            global_budget=[None] * n_counties,
            appraisal_weight=zeros_c.copy(),
            case_rate=np.zeros((n_counties, N_LEVELS)),
            case_severity_adjustment=zeros_c.copy(),
            case_intensity_adjustment=zeros_c.copy(),
            outpatient_capitation=np.zeros((n_counties, N_LEVELS), dtype=bool),
            outpatient_capitation_per_head=np.full((n_counties, N_LEVELS), np.nan),
            reserved_share=np.zeros(n_facilities),
            referral_priority=np.zeros(n_counties, dtype=bool),
            bypass_penalty=zeros_c.copy(),
            signup_target=np.full(n_counties, np.nan),
            signup_key_only=np.zeros(n_counties, dtype=bool),
            county_admission_limit=zeros_c.copy(),
            treatable_severity=params.care.township_treatable_severity,
            referral_down_rate=np.full(n_counties, params.care.referral_down_after_admission),
            remote_consultation_share=zeros_c.copy(),
            remote_consultation_fee=zeros_c.copy(),
            capability_bonus=np.zeros((n_facilities, N_EPISODE_TYPES)),
            extra_outpatient_capacity=np.zeros(n_facilities),
            extra_beds=np.zeros(n_facilities),
            secondments=[],
            pay_factor=np.ones((n_counties, N_LEVELS)),
            township_pay_parity=zeros_c.copy(),
            village_pay_pool=zeros_c.copy(),
            surplus_pay_share=np.zeros((n_counties, N_LEVELS)),
            vacancy_fill_factor=np.ones((n_counties, N_LEVELS)),
            recruit_skill_bonus=np.zeros((n_counties, N_LEVELS)),
            village_retirement_factor=np.ones(n_counties),
            chronic_complication_reduction=zeros_c.copy(),
            chronic_primary_bonus=zeros_c.copy(),
            self_care_shift=zeros_c.copy(),
            city_bypass_shift=zeros_c.copy(),
        )
