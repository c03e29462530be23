"""Health and prevention. policy-levers.md §6."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from ygt_abm.interventions.base import Intervention, InterventionParams, register
from ygt_abm.vocabulary import EPISODE_TYPES, TOWNSHIP, VILLAGE


@register
class ChronicDiseaseManagement(Intervention):
    """Chronic-disease management across three levels (医防融合, 慢病一体化; GD §(八), XC 三(五), ZJ §(十二)(十三),
    AH 一 ≥80% standardized management, NanX 二(四)7(1)).

    Primary teams manage hypertension, diabetes and COPD: chronic follow-ups at village clinics and
    township centres gain ``followup_utility`` and ``capability_gain``; managed patients' complications
    fall by ``complication_reduction`` (serious onsets of chronic patients prevented). Mechanism: more
    follow-ups at primary care (the managed rate rises) and fewer admissions."""

    name = "chronic_disease_management"

    class Params(InterventionParams):
        followup_utility: float = Field(0.3, ge=0, le=3, description=(
            "ASSUMPTION: utility of a chronic follow-up at primary care; no evaluation gives it in utility: the "
            "size of full outreach's pull (outreach_pull, itself assumed)"))
        capability_gain: float = Field(0.05, ge=0, le=0.5, description=(
            "ASSUMPTION: capability for chronic care (0–1) primary care gains; no evaluation measures it: half "
            "the step a tier of township services makes (service_tier_capability, 0.1)"))
        complication_reduction: float = Field(0.1, ge=0, le=0.9, description=(
            "ASSUMPTION: share of managed chronic patients' serious onsets prevented; no evaluation of the "
            "documents' programmes gives it: a tenth, to vary"))

    def apply(self, levers, year):
        c = self.county_ids
        levers.chronic_primary_bonus[c] += self.p.followup_utility
        levers.chronic_complication_reduction[c] = np.maximum(levers.chronic_complication_reduction[c],
                                                             self.p.complication_reduction)
        primary = np.concatenate([self.facilities(VILLAGE), self.facilities(TOWNSHIP)])
        levers.capability_bonus[primary, EPISODE_TYPES.index("chronic")] += self.p.capability_gain


@register
class HealthLiteracy(Intervention):
    """Health literacy and prevention (XC 三(九): 20% by 2020; ZJ 一: 46% → 48%).

    Literacy rises from ``baseline`` to ``target``; per point gained, minor illness is more often
    self-managed (``self_care_per_point`` utility) and less often taken straight to the city hospital
    (``city_bypass_per_point``). Mechanism: fewer unnecessary visits and less bypassing of the county."""

    name = "health_literacy"

    class Params(InterventionParams):
        baseline: float = Field(ge=0, le=1)
        target: float = Field(ge=0, le=1)
        self_care_per_point: float = Field(0.02, ge=0, le=1, description="ASSUMPTION: utility per point")
        city_bypass_per_point: float = Field(0.02, ge=0, le=1, description="ASSUMPTION: utility per point")

    def apply(self, levers, year):
        points = 100.0 * max(self.p.target - self.p.baseline, 0.0)
        levers.self_care_shift[self.county_ids] += points * self.p.self_care_per_point
        levers.city_bypass_shift[self.county_ids] -= points * self.p.city_bypass_per_point
