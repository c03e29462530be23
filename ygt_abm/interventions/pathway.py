"""Access and pathway: who may go where, first. policy-levers.md §3."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ygt_abm.interventions.base import Intervention, InterventionParams, register
from ygt_abm.vocabulary import CITY, COUNTY, LEVELS


@register
class ReservedReferralSlots(Intervention):
    """Specialist slots and beds reserved for family-doctor referrals (号源预留; GD §(十二) ≥30%,
    AH §17 ≥20%).

    The county hospitals hold back ``share`` of their weekly outpatient slots and beds for referred
    patients. Mechanism: referred patients find a slot and wait less; self-referred patients compete for
    fewer slots and wait longer, so going through the township first becomes the faster way in."""

    name = "reserved_referral_slots"

    class Params(InterventionParams):
        share: float = Field(ge=0, le=0.9)
        lead_hospital_only: bool = True

    def apply(self, levers, year):
        hospitals = self.lead_hospitals() if self.p.lead_hospital_only else self.facilities(COUNTY)
        levers.reserved_share[hospitals] = self.p.share


@register
class FamilyDoctorContracting(Intervention):
    """Family-doctor contracting and first contact (家庭医生签约, 首诊; GD §(十二) key populations ≥80%,
    AH §17 首诊制度, NanX 四(一) 1+1+N 应签尽签, XC 三(七)).

    Each year residents sign contracts until the year's goal is met: the goal rises linearly from the
    share at the start to ``target`` over ``ramp_years``; a contracted
    resident's usual provider becomes the village clinic (primary care gains the contract and usual-provider
    utilities). With ``first_contact`` a contracted resident going above the township without referral
    bears ``bypass_penalty`` utility. Mechanism: contracts tie residents to primary care as first contact."""

    name = "family_doctor_contracting"

    class Params(InterventionParams):
        target: float = Field(ge=0, le=1)
        ramp_years: int = Field(1, ge=1, le=30, description="years to reach the target")
        key_populations_only: bool = False
        first_contact: bool = False
        bypass_penalty: float = Field(0.5, ge=0, le=5, description="ASSUMPTION: utility cost of bypassing")

    def init(self, model):
        super().init(model)
        # Contracts change only under a sign-up drive, so the share when the model is built is the share
        # when the drive starts.
        pop = model.population
        group = pop.key_population if self.p.key_populations_only else np.ones(pop.size, dtype=bool)
        signed = np.bincount(pop.county[group & pop.family_doctor], minlength=model.region.n_counties)
        self.start_share = signed / np.maximum(np.bincount(pop.county[group], minlength=len(signed)), 1)

    def apply(self, levers, year):
        progress = self.progress(year)
        c = self.county_ids
        levers.signup_target[c] = self.start_share[c] + (self.p.target - self.start_share[c]) * progress
        levers.signup_key_only[self.county_ids] = self.p.key_populations_only
        if self.p.first_contact:
            levers.bypass_penalty[self.county_ids] += self.p.bypass_penalty


@register
class ReferralManagement(Intervention):
    """Referral management: disease catalogues, limits on county admissions the township can treat, and
    out-of-county referral through a white list (病种目录, 收治限制, 转诊白名单; XC 三(八), ZJ §(八), AH §17,
    NanX 四(四)).

    The county hospitals turn back ``county_admission_limit`` of unreferred admissions the township can
    treat; city care without referral loses ``unreferred_city_reimbursement_cut`` reimbursement points; and
    ``referral_down_rate`` of hospital admissions are referred down after treatment. Mechanism: treatable
    cases are steered to the township, and leaving the county pays only through referral."""

    name = "referral_management"

    class Params(InterventionParams):
        county_admission_limit: float = Field(0.0, ge=0, le=1)
        unreferred_city_reimbursement_cut: float = Field(0.0, ge=0, le=1)
        referral_down_rate: float | None = Field(None, ge=0, le=1)

    def apply(self, levers, year):
        c = self.county_ids
        levers.county_admission_limit[c] = self.p.county_admission_limit
        levers.unreferred_reimbursement_cut[c, CITY] = np.maximum(levers.unreferred_reimbursement_cut[c, CITY],
                                                                 self.p.unreferred_city_reimbursement_cut)
        if self.p.referral_down_rate is not None:
            levers.referral_down_rate[c] = self.p.referral_down_rate


@register
class Gatekeeping(Intervention):
    """Gatekeeping: first contact at primary care, with a referral required for full reimbursement at and
    above a level (基层首诊、双向转诊; XC 三(八), AH §17 家庭医生首诊制度). None of the five documents gives a
    number for the reimbursement lost without referral, so ``reimbursement_cut`` is an assumption wherever
    a package uses it.

    Unreferred contacts at ``from_level`` and above lose ``reimbursement_cut`` points of reimbursement (where
    another lever already cuts more, the larger cut holds). Mechanism: residents expect the lost
    reimbursement when they choose, so bypassing primary care costs more; compliance is partial, because
    each patient weighs that cost against quality, distance and waits, and some still go straight up and pay.
    A formally referred patient keeps full reimbursement."""

    name = "gatekeeping"

    class Params(InterventionParams):
        from_level: Literal["township", "county", "city"] = "county"
        reimbursement_cut: float = Field(ge=0, le=1, description="ASSUMPTION: points lost without referral")

    def apply(self, levers, year):
        first = LEVELS.index(self.p.from_level)
        cut = levers.unreferred_reimbursement_cut
        cut[np.ix_(self.county_ids, np.arange(first, len(LEVELS)))] = np.maximum(
            cut[np.ix_(self.county_ids, np.arange(first, len(LEVELS)))], self.p.reimbursement_cut)
