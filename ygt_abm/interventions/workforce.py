"""Workforce. policy-levers.md §5."""

from __future__ import annotations

from pydantic import Field

from ygt_abm.interventions.base import Intervention, InterventionParams, register
from ygt_abm.vocabulary import TOWNSHIP, VILLAGE


@register
class VillageDoctorsHiredByTownship(Intervention):
    """乡聘村用: licensed village doctors become township employees posted to their villages, with employee
    pension and a county subsidy (XC 三(四) 四(三) pilot in 襄城县; AH §3 §11; NanX 三(一)2).

    The ``covered_share`` of village doctors hired (XC: licensed doctors 择优, 执业（助理）医师资格) earn
    ``pay_increase`` more (pension contributions and subsidy) and their posts fill ``fill_factor`` times faster;
    the level's pay and fill rate move by the covered share of that (the model pays a level, not a doctor).
    Mechanism: fewer village doctors leave and more are replaced, so village clinics stay open, near-home care
    survives and patients do not drift up."""

    name = "village_doctors_hired_by_township"

    class Params(InterventionParams):
        pay_increase: float = Field(0.2, ge=0, le=3, description="ASSUMPTION: pension + subsidy")
        fill_factor: float = Field(2.0, ge=1, le=20, description=(
            "ASSUMPTION: × the village vacancy fill rate when the township hires; no evaluation gives a number: "
            "twice the baseline rate, which leaves village posts mostly unfilled"))
        covered_share: float = Field(1.0, ge=0, le=1, description="share of village doctors hired by the township")

    def apply(self, levers, year):
        c, covered = self.county_ids, self.p.covered_share
        levers.pay_factor[c, VILLAGE] *= 1.0 + covered * self.p.pay_increase
        levers.vacancy_fill_factor[c, VILLAGE] *= 1.0 + covered * (self.p.fill_factor - 1.0)


@register
class VillageClinicIntegration(Intervention):
    """Township–village integration (乡村一体化管理; GD §(十五) 镇村一体化, the township centre's head is the legal
    representative of public village clinics; NanX 四(二) 公办村卫生室 → the centre's village service points;
    ZJ §(二) 公办村卫生室纳入医共体管理; XC 三(四) 紧密型乡村一体化管理; AH §21 names village doctors' pay and the
    clinics' running costs, 提高村医待遇和村卫生室运营保障水平, which its package encodes as village pay).

    The township centre runs the village clinics: their posts fill ``fill_factor`` times faster (the centre
    recruits), village doctors' pay rises by ``subsidy`` (running-cost and post subsidies), and with a pension
    over-age village doctors retire ``retirement_factor`` times as readily (without one they practise on).
    Mechanism: younger, better-paid village doctors replace those who could not afford to stop, so the village
    level keeps its doctors."""

    name = "village_clinic_integration"

    class Params(InterventionParams):
        fill_factor: float = Field(1.5, ge=1, le=20, description=(
            "ASSUMPTION: × the village vacancy fill rate when the township centre recruits for its clinics; no "
            "evaluation gives a number: half as fast again"))
        subsidy: float = Field(0.1, ge=0, le=3, description="ASSUMPTION: pay rise, share of reference pay")
        retirement_factor: float = Field(2.0, ge=0, le=10, description="ASSUMPTION: no source found for the "
                                         "effect of village-doctor pensions on retirement")

    def apply(self, levers, year):
        c = self.county_ids
        levers.vacancy_fill_factor[c, VILLAGE] *= self.p.fill_factor
        levers.pay_factor[c, VILLAGE] *= 1.0 + self.p.subsidy
        levers.village_retirement_factor[c] *= self.p.retirement_factor


@register
class VillagePublicHealthTasks(Intervention):
    """Public-health tasks paid to village clinics (XC 三(四): ≥45% of basic public-health tasks in 2020,
    50% from 2021, paid by results; AH §21).

    The village clinics' share of the basic public-health budget (``public_health_per_capita`` per resident)
    rises from the baseline share to ``share``; the extra money (a yearly sum per county, by its residents)
    is shared among the county's village doctors as pay, so it is more per doctor where fewer are left.
    Mechanism: village doctors earn more, so fewer leave and more posts are filled."""

    name = "village_public_health_tasks"

    class Params(InterventionParams):
        share: float = Field(ge=0, le=1)

    def init(self, model):
        super().init(model)
        wp = model.params.workforce
        extra = max(self.p.share - wp.village_public_health_share, 0.0) * wp.public_health_per_capita
        self.yearly_funds = extra * model.region.county_population()  # yuan a year, per county

    def apply(self, levers, year):
        levers.village_pay_pool[self.county_ids] += self.yearly_funds[self.county_ids]


@register
class IntegratedHiring(Intervention):
    """Integrated county–township hiring with rotation (县乡村人才一体化, 县招乡用; ZJ §(十五): new hires sign
    with the lead hospital, work 5 years at the county hospital, then serve at grassroots; AH §22 编共体).

    Township vacancies fill ``fill_factor`` times faster (the county recruits for them) and new township
    doctors arrive with ``training_years`` × ``skill_per_year`` more skill. Mechanism: the township is
    staffed by better-trained doctors, raising capacity and capability."""

    name = "integrated_hiring"

    class Params(InterventionParams):
        fill_factor: float = Field(1.5, ge=1, le=10, description=(
            "ASSUMPTION: × the township vacancy fill rate when the county recruits for it; no evaluation gives a "
            "number: half as fast again"))
        training_years: float = Field(5.0, ge=0, le=10)
        skill_per_year: float = Field(0.01, ge=0, le=0.1, description=(
            "ASSUMPTION: skill (0–1) a new doctor gains a year at the county hospital; no source: 0.05 over the "
            "five years ZJ (十五) names"))

    def apply(self, levers, year):
        c = self.county_ids
        levers.vacancy_fill_factor[c, TOWNSHIP] *= self.p.fill_factor
        levers.recruit_skill_bonus[c, TOWNSHIP] += self.p.training_years * self.p.skill_per_year
