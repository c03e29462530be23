"""Supply side: capability moves down (资源下沉). policy-levers.md §1."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from ygt_abm.interventions.base import Intervention, InterventionParams, register
from ygt_abm.levers import Secondment
from ygt_abm.vocabulary import CITY, COUNTY, EPISODE_TYPES, TOWNSHIP, VILLAGE

EpisodeType = Literal["minor", "chronic", "serious", "emergency"]


def _types(names: list[str]) -> list[int]:
    return [EPISODE_TYPES.index(n) for n in names]


@register
class DoctorDispatch(Intervention):
    """Doctor dispatch to township health centres (县管乡用, 下沉; ZJ §(四), NanX 四(二)).

    Each county's hospital keeps ``doctors_per_township`` of its most skilled doctors posted at every
    township health centre. Mechanism: the posted doctors add capacity and raise the centre's mean skill,
    hence capability; patients who are treated successfully there learn that the township is better, and
    word of mouth spreads it, so flows shift down over the years. The county hospital loses the same
    doctor time. A dispatched doctor works at the township full time only where prescribing at the home
    hospital is suspended for postings of at least six months (NanX 四(二): 下沉半年以上暂停原机构处方权) or the
    posting is year-round (ZJ §(四) 常年服务); otherwise ``part_time_presence`` of the time."""

    name = "doctor_dispatch"

    class Params(InterventionParams):
        doctors_per_township: int = Field(1, ge=1, le=20)
        rotation_months: int = Field(12, ge=1, le=60, description="length of one posting")
        suspend_home_prescribing: bool = False
        year_round: bool = Field(False, description="the posting is full time all year (常年服务)")
        part_time_presence: float = Field(0.5, ge=0, le=1, description="ASSUMPTION: share of time at the "
                                          "township when the doctor keeps prescribing at home")

    def apply(self, levers, year):
        full = self.p.year_round or (self.p.suspend_home_prescribing and self.p.rotation_months >= 6)
        presence = 1.0 if full else self.p.part_time_presence
        for c in self.county_ids:
            levers.secondments.append(Secondment(int(c), COUNTY, TOWNSHIP, self.p.doctors_per_township, presence))


@register
class CityExperts(Intervention):
    """City tertiary experts resident at the county's lead hospital (组团式帮扶; AH §11: ≥3 experts, ≥6
    months; ZJ §(四): ≥3 year-round).

    Mechanism: the most skilled city-hospital doctors are seconded to the lead hospital for ``months`` a
    year, raising its skill (so capability for serious cases) and capacity; fewer county patients fail and
    are referred out, and serious patients learn to stay in the county."""

    name = "city_experts"

    class Params(InterventionParams):
        experts: int = Field(3, ge=1, le=50)
        months: int = Field(6, ge=1, le=12, description="months a year the experts are resident")

    def apply(self, levers, year):
        for c, lead in zip(self.county_ids, self.lead_hospitals()):
            levers.secondments.append(Secondment(int(c), CITY, COUNTY, self.p.experts, self.p.months / 12.0,
                                                 only_facilities=(int(lead),)))


@register
class CountyHospitalUpgrade(Intervention):
    """County hospital capability upgrade (to 二甲/三级, key specialties for the diseases that most often
    leave the county; GD §(五), AH §14, NanX 四(三)).

    Mechanism: capability for the targeted episode types (by default serious and emergency, the cases
    that leave) rises by ``capability_gain`` and beds grow by ``extra_beds_share`` (linearly over
    ``ramp_years`` where a document sets the standard for a later year); fewer cases fail and are referred
    to the city, and residents' perceived quality of the county level rises with experience."""

    name = "county_hospital_upgrade"

    class Params(InterventionParams):
        capability_gain: float = Field(0.05, ge=0, le=0.5)
        episode_types: list[EpisodeType] = Field(default_factory=lambda: ["serious", "emergency"], min_length=1)
        extra_beds_share: float = Field(0.0, ge=0, le=2)
        ramp_years: int = Field(1, ge=1, le=30, description="years to reach the full gain (a goal for a later year)")

    def init(self, model):
        super().init(model)
        self.baseline_beds = model.facilities.beds.copy()

    def apply(self, levers, year):
        hospitals, progress = self.facilities(COUNTY), self.progress(year)
        levers.capability_bonus[np.ix_(hospitals, _types(self.p.episode_types))] += self.p.capability_gain * progress
        levers.extra_beds[hospitals] += self.baseline_beds[hospitals] * self.p.extra_beds_share * progress


@register
class TownshipSubcentres(Intervention):
    """Township sub-centres (县域医疗次中心; AH §15: 1–2 per county; NanX 四(三): three named; XC 三(三)).

    The ``count`` largest township health centres away from the county seat are raised toward
    secondary-hospital capability: serious and emergency capability gain ``capability_gain`` and beds grow
    to ``beds``. Mechanism: nearby residents with serious illness can be admitted closer to home with good
    outcomes, so admissions move from the county and city hospitals to the sub-centres."""

    name = "township_subcentres"

    class Params(InterventionParams):
        count: int = Field(2, ge=1, le=10)
        capability_gain: float = Field(0.2, ge=0, le=0.6)
        beds: float = Field(100.0, ge=0, description="ASSUMPTION: beds of a secondary-standard centre")

    def init(self, model):
        super().init(model)
        self.subcentres = self.chosen(model)
        self.baseline_beds = model.facilities.beds[self.subcentres].copy()

    def chosen(self, model) -> np.ndarray:
        r, fac = model.region, model.facilities
        picks = []
        for c in self.county_ids:
            thcs = np.flatnonzero((fac.level == TOWNSHIP) & (fac.county == c))
            served = np.array([r.village_population[r.village_township == r.facility_township[f]].sum()
                               for f in thcs])
            seat = thcs[np.argmin([r.option_minutes[r.village_township == r.facility_township[f], 2].mean()
                                   for f in thcs])]  # the centre nearest the county hospitals
            order = [f for f in thcs[np.argsort(-served, kind="stable")] if f != seat]
            picks += order[:self.p.count]
        return np.array(picks, dtype=int)

    def apply(self, levers, year):
        subs = self.subcentres
        levers.capability_bonus[np.ix_(subs, _types(["serious", "emergency"]))] += self.p.capability_gain
        levers.extra_beds[subs] += np.maximum(self.p.beds - self.baseline_beds, 0.0)


@register
class GrassrootsSpecialtyDepartments(Intervention):
    """Specialty departments at township health centres (特色科室; GD §(九): ≥70% of institutions have ≥1;
    XC 三(三): 1–2 per centre; ZJ §(七)).

    A ``share`` of township health centres gains ``capability_gain`` for minor and chronic care and
    ``extra_capacity_share`` of its baseline outpatient capacity (its capacity at the start, staffed as
    at baseline) every year it is in force; where the document sets the share for a later year, centres
    open their departments one after another over ``ramp_years``. Mechanism: better outcomes and shorter
    waits at the township attract outpatients who would have gone to the county hospital."""

    name = "grassroots_specialty_departments"

    class Params(InterventionParams):
        share: float = Field(0.7, ge=0, le=1)
        capability_gain: float = Field(0.05, ge=0, le=0.5)
        extra_capacity_share: float = Field(0.2, ge=0, le=2)
        ramp_years: int = Field(1, ge=1, le=30, description="years to reach the full gain (a goal for a later year)")

    def init(self, model):
        super().init(model)
        self.baseline_capacity = model.facilities.outpatient_capacity.copy()  # before any lever acts

    def apply(self, levers, year):
        thcs = self.facilities(TOWNSHIP)
        chosen = thcs[: int(round(self.p.share * self.progress(year) * len(thcs)))]
        levers.capability_bonus[np.ix_(chosen, _types(["minor", "chronic"]))] += self.p.capability_gain
        levers.extra_outpatient_capacity[chosen] += self.baseline_capacity[chosen] * self.p.extra_capacity_share


@register
class SharedDiagnostics(Intervention):
    """Shared diagnostic centres, mutual recognition of results and telemedicine (基层检查、上级诊断、结果互认;
    GD §(十), XC 三(六), ZJ §(六)(十一), AH §16, NanX 四(二)).

    Mechanism: village clinics and township centres diagnose better with county-read tests and remote
    consultation (capability gain for minor, chronic and serious care), so fewer of their patients fail;
    a referred patient's tests are not repeated, so a referred contact costs ``referred_price_discount``
    less."""

    name = "shared_diagnostics"

    class Params(InterventionParams):
        capability_gain: float = Field(0.03, ge=0, le=0.5)
        referred_price_discount: float = Field(0.1, ge=0, le=0.9)

    def apply(self, levers, year):
        primary = np.concatenate([self.facilities(VILLAGE), self.facilities(TOWNSHIP)])
        levers.capability_bonus[np.ix_(primary, _types(["minor", "chronic"]))] += self.p.capability_gain
        thcs = self.facilities(TOWNSHIP)
        levers.capability_bonus[thcs, EPISODE_TYPES.index("serious")] += self.p.capability_gain
        levers.referred_price_discount[self.county_ids] = self.p.referred_price_discount


@register
class RemoteConsultation(Intervention):
    """Remote consultation as a channel of care (远程会诊; ZJ §(十六): 将符合条件的互联网诊疗服务、AI辅助诊断项目纳入
    医保支付范围, 推动互联网诊疗、远程医疗…向基层延伸; AH §23; GD 二(十四) remote consultation).

    A ``share`` of the outpatient contacts at village clinics and township health centres that would fail
    is discussed with the lead hospital's specialists; such a contact succeeds as if the lead hospital had
    treated it (admissions, and care outside the local scope, still go up). The fund pays the lead
    hospital ``fee`` per consultation (0: the community bears it, no money moves). The specialists' time
    is not limited. Mechanism: fewer patients fail at primary care, so fewer go up, and residents' perceived
    quality of primary care rises with their experience and their neighbours'."""

    name = "remote_consultation"

    class Params(InterventionParams):
        share: float = Field(ge=0, le=1, description="ASSUMPTION: share of failing primary-care contacts discussed")
        fee: float = Field(0.0, ge=0, le=2000, description="ASSUMPTION: yuan the fund pays per consultation")

    def apply(self, levers, year):
        levers.remote_consultation_share[self.county_ids] = self.p.share
        levers.remote_consultation_fee[self.county_ids] = self.p.fee


@register
class CircuitClinics(Intervention):
    """Mobile and circuit clinics (巡回医疗, 固定+流动+互联网+AI; ZJ §(四) full rural coverage, AH §11, NanX 四(二)).

    Township teams visit the village clinics of the ``coverage`` most remote share of villages (by road
    time to the township centre), adding ``visits_per_week`` of capacity and township-level skill there.
    Mechanism: residents of remote villages get competent care without travelling, so fewer skip care or
    travel to the county; a village whose doctor has left is served again."""

    name = "circuit_clinics"

    class Params(InterventionParams):
        coverage: float = Field(1.0, ge=0, le=1)
        visits_per_week: float = Field(10.0, ge=0, le=500, description="ASSUMPTION: half a day a week")
        capability_gain: float = Field(0.05, ge=0, le=0.5)

    def init(self, model):
        super().init(model)
        self.clinics = self.covered(model)

    def covered(self, model) -> np.ndarray:
        r = model.region
        clinics = self.facilities(VILLAGE)
        remoteness = r.option_minutes[r.facility_village[clinics], 1]  # road minutes to the township centre
        order = clinics[np.argsort(-remoteness, kind="stable")]
        return order[: int(round(self.p.coverage * len(order)))]

    def apply(self, levers, year):
        covered = self.clinics
        levers.extra_outpatient_capacity[covered] += self.p.visits_per_week
        levers.capability_bonus[np.ix_(covered, _types(["minor", "chronic"]))] += self.p.capability_gain


@register
class UnifiedDrugCatalogue(Intervention):
    """Unified drug catalogue and chronic-disease drugs at village clinics (药品统一目录; GD §(十一),
    ZJ §(十), AH §12 §16, NanX 三(一)6).

    Mechanism: village clinics stock the same chronic-disease drugs as the county hospital, so chronic
    follow-ups there succeed more often (``capability_gain`` for chronic care at village clinics and
    township centres); patients stop travelling up for refills."""

    name = "unified_drug_catalogue"

    class Params(InterventionParams):
        capability_gain: float = Field(0.05, ge=0, le=0.5)

    def apply(self, levers, year):
        primary = np.concatenate([self.facilities(VILLAGE), self.facilities(TOWNSHIP)])
        levers.capability_bonus[primary, EPISODE_TYPES.index("chronic")] += self.p.capability_gain
