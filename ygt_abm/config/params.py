"""Typed model parameters, each default with its real-world source or marked as an assumption.

Every number with a real-world meaning lives here, not in simulation code. ``sourced(...)`` records a
published figure; ``assumed(...)`` records a value no source gives, with the reason it was chosen.
``ygt-abm params`` prints the whole table (value, bounds, source). Indexing conventions used throughout:

* facility levels: 0 village clinic (村卫生室), 1 township health centre (乡镇卫生院), 2 county hospital
  (县级医院), 3 city hospital outside the county (县外城市医院);
* episode types: 0 minor acute, 1 chronic follow-up, 2 serious (needs admission), 3 emergency;
* age bands: 0–14, 15–44, 45–64, 65+.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from ygt_abm.vocabulary import EPISODE_TYPES

if TYPE_CHECKING:  # numpy is imported where arrays are made: reading and checking parameters needs none
    import numpy as np

ASSUMPTION = "ASSUMPTION: "


def sourced(default: Any, source: str, **bounds: Any) -> Any:
    """A parameter whose default is a published figure; ``source`` names it."""
    return Field(default, description=source, json_schema_extra={"source": source}, **bounds)


def assumed(default: Any, why: str, **bounds: Any) -> Any:
    """A parameter no source gives; ``why`` says how the value was chosen."""
    return Field(default, description=ASSUMPTION + why, json_schema_extra={"source": ASSUMPTION + why}, **bounds)


class Strict(BaseModel):
    """Base of every config model: unknown keys are errors, values are re-checked on assignment, numbers are
    finite (``.inf`` and ``.nan`` are errors)."""

    # defer_build: a model's validator is built when it first validates, so that loading a file does not
    # build those of the dozens of models it never uses (every intervention's parameters)
    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False,
                              defer_build=True)


class _Vector(Strict):
    """A fixed set of named numbers; ``array()`` gives them in declaration order."""

    def array(self) -> np.ndarray:
        import numpy as np

        return np.array([getattr(self, name) for name in type(self).model_fields], dtype=np.float64)

    def total(self) -> float:
        """The sum of the numbers (correctly rounded)."""
        return math.fsum(getattr(self, name) for name in type(self).model_fields)


class ByLevel(_Vector):
    village: float
    township: float
    county: float
    city: float


class ByEpisode(_Vector):
    minor: float
    chronic: float
    serious: float
    emergency: float


class ByAgeBand(_Vector):
    age_0_14: float
    age_15_44: float
    age_45_64: float
    age_65_plus: float


def _bounded(base: type[Strict], name: str, **bounds: Any) -> type[Strict]:
    """A variant of ``base`` whose every element is range-checked (e.g. shares in [0, 1])."""
    fields = {f: (Annotated[float, Field(**bounds)], ...) for f in base.model_fields}
    return create_model(name, __base__=base, **fields)


ShareByLevel = _bounded(ByLevel, "ShareByLevel", ge=0, le=1)
AmountByLevel = _bounded(ByLevel, "AmountByLevel", ge=0)
PositiveByLevel = _bounded(ByLevel, "PositiveByLevel", gt=0)
PositiveByEpisode = _bounded(ByEpisode, "PositiveByEpisode", gt=0)
ShareByAgeBand = _bounded(ByAgeBand, "ShareByAgeBand", ge=0, le=1)
RateByAgeBand = _bounded(ByAgeBand, "RateByAgeBand", ge=0, le=52)


def _lvl(v, c, t, y) -> dict:
    return dict(village=v, township=c, county=t, city=y)


def _age(a, b, c, d) -> dict:
    return dict(age_0_14=a, age_15_44=b, age_45_64=c, age_65_plus=d)


def _ep(m, c, s, e) -> dict:
    return dict(minor=m, chronic=c, serious=s, emergency=e)


# ---------------------------------------------------------------------------------------------- population


class PopulationParams(Strict):
    age_band_shares: ShareByAgeBand = assumed(
        ShareByAgeBand(**_age(0.1795, 0.385, 0.3005, 0.135)),
        "0–14 (17.95%) and 65+ (13.50%) are the 7th Census 2020 national shares; the split of the remaining "
        "68.55% between 15–44 and 45–64 is assumed",
    )
    hypertension_prevalence: ShareByAgeBand = assumed(
        ShareByAgeBand(**_age(0.0, 0.12, 0.35, 0.55)),
        "age gradient assumed; its adult (15+) average is 27.5%, the adult prevalence in the Report on "
        "Nutrition and Chronic Diseases in China (2020)",
    )
    diabetes_prevalence: ShareByAgeBand = assumed(
        ShareByAgeBand(**_age(0.0, 0.05, 0.16, 0.22)),
        "age gradient assumed; adult average 11.8% vs 11.9% in the Report on Nutrition and Chronic Diseases (2020)",
    )
    copd_prevalence: ShareByAgeBand = assumed(
        ShareByAgeBand(**_age(0.0, 0.02, 0.10, 0.22)),
        "age gradient assumed, informed by 13.6% prevalence at 40+ (Report on Nutrition and Chronic Diseases 2020)",
    )
    insured_share: float = sourced(
        0.95, "basic medical insurance participation stable above 95% (NHSA statistical bulletins 2020–2023)",
        ge=0, le=1,
    )
    family_doctor_signup_key: float = sourced(
        0.65, "key populations (65+, chronic patients) signed >65% (NHC press conference, 2017)", ge=0, le=1,
    )
    family_doctor_signup_other: float = assumed(
        0.23, "chosen so the overall sign-up rate is ≈35%, the national figure reported by NHC in 2017",
        ge=0, le=1,
    )
    usual_provider_shares: ShareByLevel = assumed(
        ShareByLevel(**_lvl(0.45, 0.25, 0.20, 0.0)),
        "share of residents whose usual provider is at each level (the rest have none); residents with a "
        "family-doctor contract have the village clinic",
    )
    belief_noise_sd: float = assumed(0.05, "spread of initial perceived quality across residents", ge=0, le=0.5)


# ---------------------------------------------------------------------------------------------- illness


class IllnessParams(Strict):
    minor_incidence: RateByAgeBand = assumed(
        RateByAgeBand(**_age(5.2, 3.2, 4.0, 5.2)),
        "episodes per person-year; calibrated so that visits per person are ≈6 (bulletins 2018/2021: 6.0; "
        "6th NHSS 2018 two-week visit rate 24.0% ≈ 6.2 a year)",
    )
    chronic_followups_per_year: float = assumed(
        6.0, "follow-up and refill contacts per chronic patient a year; the service standard asks ≥4 "
        "(国家基本公共卫生服务规范 3rd ed., 2017)", ge=0, le=52,
    )
    serious_incidence: RateByAgeBand = assumed(
        RateByAgeBand(**_age(0.07, 0.09, 0.16, 0.36)),
        "admission-needing episodes per person-year; calibrated to the hospitalisation rate 17.5% (bulletin 2022)",
    )
    emergency_incidence: RateByAgeBand = assumed(
        RateByAgeBand(**_age(0.15, 0.12, 0.15, 0.30)),
        "emergency episodes per person-year",
    )
    severity_alpha: PositiveByEpisode = assumed(PositiveByEpisode(**_ep(2.0, 2.0, 4.0, 3.0)), "Beta(α, β) severity per type")
    severity_beta: PositiveByEpisode = assumed(PositiveByEpisode(**_ep(5.0, 5.0, 3.0, 3.0)), "Beta(α, β) severity per type")


# ---------------------------------------------------------------------------------------------- choice


class EpisodeChoice(Strict):
    """Utility coefficients of the care-seeking logit for one episode type."""

    level_constant: ByLevel = Field(description="alternative-specific constant per facility level")
    self_care: float | None = Field(description="utility of self-care (None: not an option for this type)")
    quality: float = Field(description="per unit of perceived quality (0–1)")
    travel_hour: float = Field(description="per hour of road travel")
    cost_100_yuan: float = Field(description="per 100 yuan out of pocket")
    cost_level_weight: ByLevel = Field(
        default_factory=lambda: ByLevel(village=1.0, township=1.0, county=1.0, city=1.0),
        description="× cost_100_yuan at each level: price sensitivity differs by level (cheap village care is "
                    "far more price-elastic per yuan than county care)")
    wait_day: float = Field(description="per day of expected waiting")


_CALIBRATED = ("level constants calibrated by scripts/calibrate_level_constants.py (pooled over 4 synthetic "
               "counties, after the 3-year warm-up and with the workforce at its steady state) to the bulletin 2022 visit split "
               "county:township:village ≈ 35:32:33 with 87.1% of care inside the county (6th NHSS 2018); the village-clinic "
               "and county-hospital constants of minor illness and chronic follow-ups refitted on a typical county "
               "(300,000 residents, 16 townships) by `ygt-abm calibrate experiments/calibrate-visit-split.yaml` (best of 40 "
               "TPE trials, 2026-12-03; docs/calibration.md); the split by episode type is assumed")
_WAIT_SOURCE = "wait −0.077/day: slope of Yan et al. 2022 DCE (none +0.464 … 12 days −0.461)"
#: where the joint estimation set or left a parameter (docs/calibration.md, "The joint posterior")
_JOINT = ("the joint estimation (`ygt-abm calibrate experiments/estimate-joint.yaml`, 2026-12-07; docs/calibration.md, "
          "\"The joint posterior\")")
_JOINT_PRIOR = ("The joint estimation (docs/calibration.md, \"The joint posterior\") leaves it at its prior: the "
                "baseline targets and the training evaluations do not tell its values apart")
_PRICE = ("cost coefficients and the village weight calibrated by scripts/calibrate_price_response.py (with the "
          "level constants) to three pre-reform price elasticities, each measured by raising out-of-pocket cost 10% "
          "at one level (experiments/price-elasticities.yaml): village-clinic outpatient ≈ −1.5 (Zhou et al., Health "
          "Economics 2009), rural outpatient −0.52 at the county hospital and first admission −0.37 (Zhou et al., "
          "Health Policy 2011); refitted 2026-12-02 after the fund's in-catalogue share: simulated −1.53, −0.49, "
          "−0.37 (year 1 after the 3-year warm-up, 8 replicates). The providers' decisions added since had moved the "
          "inpatient elasticity to −0.24: the serious type's coefficient was refitted 2026-12-03 (−0.10617 → −0.14438, "
          "interpolated between two measured values, its constants shifted by the change in the mean expected cost "
          "term, scripts/calibrate_price_response.rescale); with the typical county's level constants: −1.41, −0.51, "
          "−0.37. Cheap village care needs a 41× steeper per-yuan "
          "coefficient: its elasticity is large at a price of a few yuan; township and city care take the county's "
          "coefficient (no level-specific source found, docs/evidence.md)")


class ChoiceParams(Strict):
    minor: EpisodeChoice = assumed(
        EpisodeChoice(level_constant=ByLevel(**_lvl(4.052, 0.815, 1.492, 4.025)), self_care=0.4, quality=2.5,
                      travel_hour=-1.0, cost_100_yuan=-0.9759, cost_level_weight=ByLevel(**_lvl(40.987, 1, 1, 1)),
                      wait_day=-0.077),
        f"{_CALIBRATED}; travel time matters most for minor illness (Liu et al., Soc Sci Med 2019), though "
        f"the DCE of Yan et al. 2022 finds distance effects small; {_PRICE}; {_WAIT_SOURCE}",
    )
    chronic: EpisodeChoice = assumed(
        EpisodeChoice(level_constant=ByLevel(**_lvl(3.586, 0.653, 1.279, 3.162)), self_care=-0.5, quality=2.0,
                      travel_hour=-1.0, cost_100_yuan=-0.9759, cost_level_weight=ByLevel(**_lvl(40.987, 1, 1, 1)),
                      wait_day=-0.077),
        f"{_CALIBRATED}; {_PRICE}; {_WAIT_SOURCE}",
    )
    serious: EpisodeChoice = assumed(
        EpisodeChoice(level_constant=ByLevel(**_lvl(0.011, -0.758, 1.958, 8.441)), self_care=None, quality=5.0,
                      travel_hour=-0.5, cost_100_yuan=-0.2256, wait_day=-0.077),
        "facility attributes barely move the choice for severe illness, quality dominates (Liu et al. 2019); "
        f"{_PRICE}; {_CALIBRATED}; the city constant is large because it offsets the city's high expected cost; "
        "the township constant (−1.218 → −0.570) and the cost coefficient (−0.14438 → −0.2043) refitted with the "
        "in-catalogue share of an admission's price to the bulletin's 1,183 admissions a township centre (2023), "
        "the fund's spending per enrollee and the county-hospital inpatient elasticity, on a typical county, by "
        "`ygt-abm calibrate experiments/calibrate-township-admissions.yaml` (best of 40 TPE trials, 2026-12-06; "
        "docs/calibration.md), then both set to the posterior medians of " + _JOINT + " (−0.758, 90% interval "
        "−1.36 to −0.03; −0.2256, −0.276 to −0.173: narrowed; −0.624 and −0.2125 before the out-of-catalogue shift "
        "and the post-acute share, then −0.730 and −0.2154, then −0.847 and −0.2216)",
    )
    emergency: EpisodeChoice = assumed(
        EpisodeChoice(level_constant=ByLevel(**_lvl(-0.972, -0.475, 0.755, 3.318)), self_care=None, quality=2.0,
                      travel_hour=-2.0, cost_100_yuan=-0.9759, wait_day=-0.077),
        f"travel time dominates in an emergency; {_PRICE}; {_CALIBRATED}",
    )
    usual_provider: float = sourced(
        0.545, "ln(1/0.58): a township usual provider gives odds ratio 0.58 of self-referral to the county "
        "hospital (Qianjiang study, cited in calibration-targets.md)",
    )
    family_doctor: float = assumed(0.3, "extra utility of primary care for residents with a family-doctor contract")

    def for_type(self, episode_type: int) -> EpisodeChoice:
        return getattr(self, EPISODE_TYPES[episode_type])


# ---------------------------------------------------------------------------------------------- care


class CareParams(Strict):
    capability_minor: ShareByLevel = assumed(ShareByLevel(**_lvl(0.60, 0.70, 0.85, 0.95)), "base capability for minor illness")
    capability_chronic: ShareByLevel = assumed(ShareByLevel(**_lvl(0.55, 0.65, 0.85, 0.95)), "base capability, chronic care")
    capability_serious: ShareByLevel = assumed(ShareByLevel(**_lvl(0.0, 0.50, 0.75, 0.95)), "base capability, admissions")
    capability_emergency: ShareByLevel = assumed(ShareByLevel(**_lvl(0.0, 0.45, 0.75, 0.95)), "base capability, emergencies")
    skill_weight: float = assumed(0.3, "capability gained per unit of mean doctor skill above 0.5", ge=0, le=2)
    success_slope: float = assumed(12.0, "steepness of success probability in (capability − severity)", gt=0)
    referral_down_after_admission: float = sourced(
        0.006, "share of successful hospital admissions whose recovery is referred down to the home township "
        "centre before reform (下转): 0.5% of secondary and 0.6% of tertiary public-hospital inpatients were referred "
        "down to primary care in 2016, 0.7% and 0.9% in 2017 (National Health Commission figures, Xinhua, reported "
        "in Hainan Daily, 3 Sep 2017)", ge=0, le=1,
    )
    recovery_share_of_stay: float = assumed(
        0.3, "share of a hospital admission's resources in the recovery phase, which a township centre can give "
        "instead when the patient is referred down (the hospital's stay is that much shorter, the township's "
        "recovery stay uses that share of a township admission's resources). No source found; range 0.2–0.5",
        gt=0, lt=1,
    )
    post_acute_share: float = sourced(
        0.223, "share of hospital admissions whose recovery needs a further inpatient stay, the only ones a county "
        "hospital can send down to a township centre for it (下转): 22.3% of all-payer discharges in the United "
        "States went to post-acute care in 2013 (Tian W, HCUP Statistical Brief 205, AHRQ 2016), an upper bound "
        "for a Chinese county, where post-acute care is scarcer (J Am Med Dir Assoc 2024 25(1):61–68); "
        "docs/evidence.md, section 4c", ge=0, le=1,
    )
    formal_referral_share: float = assumed(
        0.15, "share of moves up after failed or out-of-scope care that are formal referrals by the treating "
        "doctor; the rest are self-referrals (formal upward referrals are a small part of hospital visits)",
        ge=0, le=1,
    )
    formal_referral_share_contracted: float = assumed(
        0.5, "the same for residents with a family-doctor contract: their family doctor refers them", ge=0, le=1,
    )
    referral_on_request: float = assumed(
        0.0, "share of the reimbursement an unreferred contact would lose that patients avoid by obtaining a "
        "referral on request, as a formality (a gatekeeping rule enforced softly): no published share of hospital "
        "patients who got a referral by asking was found; the pilots' enforcement is described as soft, with "
        "patients and hospitals pressing against strict gatekeeping (docs/evidence.md, section 4e). 0: the rule "
        "as written, every unreferred contact loses the whole cut; range 0–0.8. " + _JOINT_PRIOR + "; 0 stays the "
        "default (the posterior's draws carry its spread)",
        ge=0, le=1,
    )
    township_treatable_severity: float = assumed(
        0.45, "serious cases below this severity are ones a township health centre can treat (the documents' "
        "township disease catalogues); at base capability 0.5 their success chance is over 60%", ge=0, le=1,
    )
    township_capability_standard: float = assumed(
        0.6, "capability for admissions at which a township health centre counts as meeting the capability "
        "standard (the 推荐标准 of 优质服务基层行, which the documents' targets name; 二级-like care in its main "
        "departments): between a township centre's base capability (0.5) and a county hospital's (0.75). The "
        "standard is qualitative; this threshold is an assumption, range 0.55–0.7", ge=0, le=1,
    )
    usual_provider_switch: float = assumed(0.15, "chance a successful episode makes its level the usual one", ge=0, le=1)
    max_rounds: int = assumed(4, "choice→rationing→treatment rounds per episode per week", ge=1, le=8)

    def capability(self) -> np.ndarray:
        """Base capability as a (level, episode type) matrix."""
        import numpy as np

        return np.stack([self.capability_minor.array(), self.capability_chronic.array(),
                         self.capability_serious.array(), self.capability_emergency.array()], axis=1)


class BeliefParams(Strict):
    own_experience_rate: float = assumed(0.2, "weight of one's own latest outcome in perceived quality", ge=0, le=1)
    word_of_mouth_rate: float = assumed(
        0.04, "monthly pull of perceived quality towards the village's recent experience", ge=0, le=1,
    )
    word_of_mouth_weeks: int = assumed(4, "weeks between word-of-mouth exchanges", ge=1, le=52)
    prior_chronic_weight: float = assumed(
        0.2, "weight of chronic follow-ups (per follow-up a year) in the starting belief about each level, about "
        "the share of residents with a chronic condition", ge=0, le=1,
    )


# ---------------------------------------------------------------------------------------------- facilities


class FacilityParams(Strict):
    outpatient_price: AmountByLevel = assumed(
        AmountByLevel(**_lvl(40.0, 84.7, 218.6, 354.4)),
        "yuan per visit: township 84.7 (bulletin 2020), county (secondary) 218.6 and city (tertiary) 354.4 "
        "(NHC 2022); the village-clinic price is assumed",
    )
    inpatient_price: AmountByLevel = sourced(
        AmountByLevel(**_lvl(0.0, 2083.0, 6762.0, 13931.0)),
        "yuan per admission: township 2,083 (bulletin 2020), secondary 6,762 and tertiary 13,931 (NHC 2022)",
    )
    visits_per_doctor_week: AmountByLevel = assumed(
        AmountByLevel(**_lvl(40.0, 60.0, 60.0, 80.0)),
        "weekly outpatient capacity per doctor; village: 2,400 visits/clinic/year (bulletin 2023) ÷ 2.32 staff "
        "(bulletin 2018) ≈ 20/week observed, capacity assumed twice that",
    )
    township_beds: float = sourced(44.6, "beds per township health centre (bulletin 2023)", ge=0, le=2_000)
    county_beds_per_1000: float = assumed(3.2, "county-hospital beds per 1,000 county residents", ge=0, le=50)
    city_beds: float = assumed(3000.0, "beds of a city hospital available to the region's residents", ge=0,
                                  le=200_000)
    length_of_stay_days: PositiveByLevel = assumed(
        PositiveByLevel(**_lvl(1.0, 6.4, 8.0, 10.0)), "mean length of stay, days. Township health centres 6.4: "
        "出院者平均住院日 in the national bulletins of 2023 and 2024 (6.5 in 2022; docs/evidence.md, section 4b); "
        "county 8 and city 10 have no source here")
    max_bed_occupancy: float = assumed(0.95, "admissions stop when beds would be fuller than this", gt=0, le=1)
    base_wait_days: AmountByLevel = assumed(
        AmountByLevel(**_lvl(0.0, 0.2, 1.0, 4.0)), "expected outpatient wait when a facility is not crowded, days",
    )
    crowding_wait_days: float = assumed(6.0, "extra days of wait as last week's load goes from 70% to 100%", ge=0)
    crowding_span: float = assumed(
        0.3, "waits grow over the last part of capacity: from a load of 1 − span (70%) to full load", gt=0, le=1,
    )


class WorkforceParams(Strict):
    village_doctors_per_clinic: float = sourced(
        2.32, "village-clinic staff per village (bulletin 2018); one clinic per village is assumed", ge=0, le=50,
    )
    township_doctors: float = assumed(19.0, "physicians per township health centre: 47.6 staff (bulletin 2023) × "
                                      "an assumed 40% physician share", ge=0, le=1_000)
    county_doctors_per_1000: float = assumed(1.2, "county-hospital physicians per 1,000 county residents", ge=0, le=50)
    city_doctors: float = assumed(300.0, "city-hospital physicians serving the region's residents", ge=0,
                                    le=100_000)
    mean_age: AmountByLevel = assumed(AmountByLevel(**_lvl(52.0, 40.0, 41.0, 42.0)), "mean doctor age; village doctors are older")
    age_sd: float = assumed(9.0, "spread of doctor ages", ge=0)
    min_age: float = assumed(22.0, "youngest practising doctor (initial ages are clipped to min_age–max_age)", ge=16, le=40)
    max_age: float = assumed(75.0, "oldest practising doctor at the start (village doctors work past retirement)",
                             ge=50, le=90)
    skill_alpha: float = assumed(5.0, "doctor skill ~ Beta(skill_alpha, skill_beta): mean 0.5, sd 0.15", gt=0)
    skill_beta: float = assumed(5.0, "see skill_alpha", gt=0)
    retirement_age: float = assumed(60.0, "retirement age of employed doctors", ge=40, le=80)
    village_retirement_hazard: float = assumed(
        0.12, "yearly chance a village doctor over the retirement age stops practising", ge=0, le=1,
    )
    quit_rate: ShareByLevel = assumed(ShareByLevel(**_lvl(0.03, 0.04, 0.02, 0.02)), "yearly quitting at reference pay")
    quit_pay_elasticity: float = assumed(1.5, "quitting ∝ (reference pay / pay) to this power", ge=0)
    reference_pay: PositiveByLevel = assumed(
        PositiveByLevel(**_lvl(36000.0, 90000.0, 130000.0, 180000.0)),
        "yearly pay in yuan at baseline; only pay relative to it matters in the model",
    )
    training_rate: ShareByLevel = assumed(ShareByLevel(**_lvl(0.05, 0.10, 0.15, 0.15)), "yearly chance of further training")
    training_skill_gain: float = assumed(0.05, "skill gained by one training", ge=0, le=1)
    vacancy_fill_rate: ShareByLevel = assumed(
        ShareByLevel(**_lvl(0.08, 0.6, 0.9, 1.0)),
        "share of vacancies filled each year; village posts are hard to fill, so village doctors fall ≈3–6% a "
        "year as bulletins report",
    )
    fill_pay_elasticity: float = assumed(1.0, "vacancy fill rate ∝ (pay / reference pay) to this power", ge=0)
    effort_weight: float = assumed(
        0.1, "capability gained per unit of pay above reference (performance pay buys effort)", ge=0, le=1,
    )
    public_health_per_capita: float = sourced(
        89.0, "basic public-health service funding per resident, 2023 national standard (NHC/MoF notice 2023)", ge=0,
    )
    village_public_health_share: float = sourced(
        0.40, "share of basic public-health tasks done by village clinics before reform: ≈40% (NHC guidance); XC "
        "三(四) raises it to ≥45% (2020) and 50% (2021)", ge=0, le=1,
    )
    recruit_age: AmountByLevel = assumed(AmountByLevel(**_lvl(35.0, 28.0, 29.0, 30.0)), "age of newly recruited doctors")
    steady_state_years: int = assumed(
        120, "years of careers (at baseline pay, before the first simulated week) that bring the workforce to its "
        "own steady state: ages, headcount and vacancies stay as they are unless policy changes them, so the "
        "baseline is stationary. The establishment of each level is scaled at half time, by the headcount "
        "averaged over the second quarter, so that its steady-state headcount is the sourced one; the wave of "
        "recruits that sets off needs about 60 years to settle (with 60 in all, village doctors still fell "
        "0.1–0.2% a year in the first simulated decade). 0 starts every post filled with the initial ages: "
        "village doctors then fall about 3.5% a year, the documented secular decline (≈3–6% a year nationally, bulletins; Fujian −28% "
        "2015→2020), which is a transient toward that steady state", ge=0, le=200,
    )


class ProviderParams(Strict):
    """The provider as an imperfect agent (Ellis & McGuire, J Health Econ 1986): it weighs its own net
    revenue against its patients' benefit; ``processes/provision.py`` says how."""

    patient_benefit_weight: float = sourced(
        1.02, "providers' marginal rate of substitution of patient benefit for own profit: random-utility "
        "estimate 1.078 in a medical-decision experiment (张悦, 李星, 林兴 et al., 南方经济 2022 41(2):88–105; mean "
        "altruism 0.82, 49% of subjects above 1); Chinese doctors' patient-regarding preferences equal students' "
        "(Wang, Iversen, Hennig-Schmidt, Godager, HERO WP 2019:1); the range 0.82–1.3 for estimation. The posterior "
        f"median of {_JOINT} (90% interval 0.85–1.24: narrowed; 1.078, the experiment's estimate, before)", ge=0,
    )
    marginal_cost_share: float = sourced(
        0.43, "share of a contact's price that is cost varying with the contact (drugs, consumables, tests); "
        "staff and buildings are fixed within a year. No source found for county facilities (drugs were 41% of "
        "county and 65% of township inpatient income in two Guizhou counties in the 1990s); range 0.3–0.7. Fee-"
        "for-service over-admission, which the evidence shows, needs it below about 0.75. The posterior median of "
        f"{_JOINT} (90% interval 0.32–0.63: narrowed; 0.5 assumed before)", ge=0, le=1,
    )
    appropriate_admission_severity: ShareByLevel = assumed(
        ShareByLevel(**_lvl(0.0, 0.458, 0.389, 0.389)),
        "severity below which an admission is one the Appropriateness Evaluation Protocol calls inappropriate "
        "(the case could be treated as an outpatient). Calibrated by scripts/calibrate_admission_"
        "appropriateness.py (4 counties of 100,000) so that under fee-for-service, where providers admit every serious case, the share "
        "of admissions below it is the pre-reform inappropriate share: township health centres 26.5% (Zhang, "
        "Chen, Zhang, Zhang, BMC Health Serv Res 2014: 2,044 records, 10 THCs in 5 counties), county hospitals "
        "15.2% (IJERPH 2018 15(6):1050: 2,230 records, 5 county hospitals); city: no source, the county's value",
    )
    redirect_harm_yuan: float = sourced(
        1005.0, "median non-financial harm, in yuan, to a patient a provider sends to another level than the one "
        "first seen at (travel, delay, a less capable facility), log-logistic across patients (response_shape); "
        "the difference in out-of-pocket cost there is added to it. No direct source; the posterior median of "
        f"{_JOINT} (prior 300–3000 log-uniform, 90% interval 350–2,566: narrowed, not pinned; 1000 assumed, then "
        "1265, then 1042, then 1083)", gt=0,
    )
    response_shape: float = sourced(
        1.16, "shape of the log-logistic spread, across patients or providers, of the cost of responding to an "
        "incentive (every provider decision: docs/model.md, provision): the dispersion of their responses. At 1 "
        "the share that responds to a small gain is the exponential's (gain ÷ the median cost) and nears 1 only "
        "as 1 − median ÷ gain, so a lever does not switch a behaviour on wholesale; larger values make "
        "providers more alike (at 4, nearly all respond once the gain passes the median). No direct source; "
        f"the posterior median of {_JOINT} (prior 0.5–4 log-uniform, 90% interval 0.55–3.12: narrowed; 1 assumed, "
        "then 1.37, then 1.26)", gt=0, le=20,
    )
    referral_down_consent: float = sourced(
        0.5, "share of patients whose recovery a county hospital would refer down (下转) who consent to the move "
        "to their township centre: the middle of 0.376 (patients of Shanghai tertiary hospitals willing, Yu et "
        "al., BMJ Open 2017 e012565) and 0.626 (older Shandong inpatients who would ask for it, 28.7%, or accept "
        "it on a doctor's advice, 33.9%: Jing et al., IJERPH 2020 17:369); docs/evidence.md, section 4c. It "
        "bounds the hospitals' own referrals down, not the policy's observed rate. " + _JOINT_PRIOR, ge=0, le=1,
    )
    intensity_harm: float = sourced(
        10.7, "how fast patients lose as a provider cuts the intensity of care below its fee-for-service level "
        "(服务缩水): the harm, in yuan, of a cut to intensity m is intensity_harm / 2 × (1 − m)² × the contact's "
        "price (the quadratic loss of Ellis & McGuire's patient benefit around the provider's choice). No direct "
        f"source; the posterior median of {_JOINT} (prior 3–30 log-uniform, 90% interval 3.9–26.6: narrowed; 10 "
        "assumed; a first joint estimation gave 13.1, the next left it at its prior, then 9.4)", gt=0,
    )
    intensity_floor: float = assumed(
        0.7, "lowest intensity, as a share of the fee-for-service level, a provider can deliver (clinical "
        "pathways and appraisal set a minimum); range 0.5–0.9", ge=0, le=1,
    )
    intensity_capability_loss: float = assumed(
        0.2, "capability lost per unit of intensity cut (a 10% cut: 0.02 less capability, so a somewhat smaller "
        "chance that care succeeds). Direction: readmissions rose under a binding rural budget (J Med Econ 2017, "
        "doi 10.1080/13696998.2017.1336448); DRG in Beijing did not change readmissions (Jian et al., Health Aff "
        "2015): no source for the size; range 0–0.5", ge=0, le=2,
    )
    outreach_pull: float = assumed(
        0.3, "utility, for a chronic patient's follow-up at the village clinic or township centre, of the primary "
        "team's full outreach (calls, reminders, home visits: 随访); the same size as chronic_disease_management's "
        "followup_utility. No source found; range 0.1–0.5", ge=0, le=3,
    )
    outreach_cost_yuan: float = assumed(
        170.0, "the primary team's cost of full outreach to one chronic patient a year: the service standard's "
        "four face-to-face follow-ups (国家基本公共卫生服务规范 3rd ed., 2017) at the part of a township visit's price "
        "(84.7 yuan) that is staff time, half; effort cost is log-logistic across patients (response_shape). No source for the "
        "cost itself; range 80–340", gt=0,
    )
    service_tier_capability: float = assumed(
        0.1, "capability for admissions a township health centre gains by offering a further tier of services "
        "(an operating room with a surgeon and an anaesthetist, or specialty beds), or loses by dropping one: the "
        "step from a centre's base capability (0.5) to the capability standard (0.6). Direction: margins cut, "
        "township inpatient and surgical supply fell (Shen et al., BMC Health Serv Res 2021 21:1184: −3.5% "
        "occupied beds per point of subsidy share); no source for the size; range 0.05–0.15", ge=0, le=0.5,
    )
    service_tier_cost_yuan: float = assumed(
        180000.0, "a township centre's yearly cost of a further tier of services: two doctors (a surgeon and an "
        "anaesthetist, whose lack stopped township surgery most often: Li et al., Int J Equity Health 2018) at "
        "the township reference pay; equipment and set-up not counted. Cost log-logistic across centres (response_shape). No "
        "source for the cost itself; range 90,000–540,000", gt=0,
    )
    catalogue_shift_ceiling: float = sourced(
        0.095, "largest share of an admission's in-catalogue charges a township centre or county hospital can move "
        "to items the patient pays in full (目录外费用转嫁: self-paid drugs, consumables and tests) when a budget "
        "makes it bear the fund's payment; how many providers do is their weight on patients' money against the "
        "retention (docs/model.md, provision). Direction: out of pocket per admission rose by 188 yuan under a "
        "binding rural budget (J Med Econ 2017, doi 10.1080/13696998.2017.1336448); self-paid shares rose under "
        "DIP's regional budget (Zunyi, Front Public Health 2024, doi 10.3389/fpubh.2024.1431991); no cost shifting "
        "under Beijing's case payment without a budget (Jian et al., Health Aff 2015). No direct source for the "
        f"size; the posterior median of {_JOINT} (prior 0.02–0.4 log-uniform, 90% interval 0.022–0.33: narrowed, "
        "not pinned; 0.1 assumed, then 0.085, then 0.1)", ge=0, le=1,
    )
    self_paid_cut_priority: float = assumed(
        0.0, "how far a case-paid admission's cut in resources falls first on what the patient pays in full "
        "(self-paid drugs, consumables and tests outside the catalogue): 0 in proportion to their share of the "
        "charges, 1 wholly on them while any remain (docs/model.md, \"A case-paid admission's cut\"). "
        "Direction: under case payment out of pocket per admission fell by more than its share of the charges "
        "(Beijing's DRG pilot: charges −6.2%, out of pocket −10.5%, Jian et al., Health Aff 2015 34(10):1745), "
        "where items cut alike give out of pocket about 30% of the cut (docs/evidence.md, section 1.5). No "
        "source for the size: range 0–1. " + _JOINT_PRIOR + "; 0 (the cut in proportion) stays the default", ge=0, le=1,
    )
    adjustment_rate: float = sourced(
        0.52, "share of the gap to its preferred behaviour a provider closes each year: practice changes over "
        "about two years (consumables replaced drugs from the third quarter of 2014 after Beijing's 2012 reform, "
        "Zeng, Chen, Fu, Lu, Jian, BMC Health Serv Res 2019 19:916); range 0.25–1. The posterior median of "
        f"{_JOINT} (90% interval 0.29–0.89: narrowed; 0.5 assumed, then 0.42, then 0.48, then 0.42)", gt=0, le=1,
    )


class FinanceParams(Strict):
    outpatient_reimbursement: ShareByLevel = sourced(
        ShareByLevel(**_lvl(0.8, 0.7, 0.6, 0.5)),
        "one city's resident scheme: outpatient 70/60/50% by level, village 80% (calibration-targets.md)",
    )
    inpatient_reimbursement: ShareByLevel = assumed(
        ShareByLevel(**_lvl(0.0, 0.85, 0.80, 0.60)),
        "county 80% within observed 77–84% (Cost Eff Resour Alloc 2020); township 85% and city 60% are the "
        "typical gradient, not one sourced schedule",
    )
    inpatient_deductible: AmountByLevel = assumed(
        AmountByLevel(**_lvl(0.0, 150.0, 230.0, 1000.0)),
        "yuan per admission; county 230 within observed 185–272 (Cost Eff Resour Alloc 2020); township and city "
        "follow the typical gradient",
    )
    inpatient_in_catalogue_share: float = assumed(
        0.941, "share of an admission's price inside the insurance catalogue (政策范围内费用): the reimbursement "
        "ratio applies to it after the deductible, the rest (目录外, self-paid) is out of pocket. Calibrated to the "
        "resident scheme's fund spending per enrollee, 1,086 yuan in 2023 (NHSA 2023 statistical bulletin: "
        "10,457.65 亿 ÷ 9.6294 亿 enrolled), first by scripts/calibrate_fund.py, then with the serious type's township "
        "constant by `ygt-abm calibrate experiments/calibrate-township-admissions.yaml` (0.9417), then the "
        f"posterior median of {_JOINT} (90% interval 0.917–0.969: narrowed; 0.946 before the out-of-catalogue shift, "
        "then 0.941, then 0.939)",
        gt=0, le=1,
    )
    outpatient_fund_limit: float | None = assumed(
        227.0, "yuan the fund pays at most for an insured resident's outpatient contacts in a year (门诊统筹"
        "年度最高支付限额; after it the patient pays in full; none: no limit). Calibrated by "
        "scripts/calibrate_fund.py to the outpatient cost the resident scheme settled per enrollee in 2023, "
        "≈430 yuan (general 2,408.5 + chronic and special-disease 1,729.7 亿 ÷ 9.6294 亿 enrolled; NHSA 医保数智库); "
        "municipal limits are 65–800 yuan (docs/evidence.md). Residents choose by the schedule, not by what is left "
        "of their limit (docs/model.md, Known simplifications)", ge=0,
    )
    contribution_per_capita: float = sourced(
        1097.6, "fund income per enrolled resident, resident scheme 2023: 10,569.7 亿 yuan ÷ 9.6294 亿 enrolled "
        "(NHSA 2023 statistical bulletin); the financing standard was 1,020 (fiscal subsidy 640 + individual 380, "
        "NHSA/MoF notice 2023), the rest is the fund's other income", ge=0,
    )
    admission_cost_severity_gradient: float = assumed(
        1.0, "resource use of an admission rises linearly with the illness's severity: an admission of severity s at "
        "a level costs its price × (1 + gradient × (s − the level's typical admitted severity)), so fee-for-service "
        "charges follow severity and a case rate that does not (or only partly) makes mild cases profitable and "
        "severe ones not. At 1, an admission 1.5 standard deviations of severity above the mean costs 1.7 times one "
        "as far below: between the adjusted +27% of stroke patients with very severe comorbidity over none (Hao, "
        "Qi, Xia, Wang, Li, Cost Eff Resour Alloc 2021, doi 10.1186/s12962-021-00316-1) and the 2.15× of US "
        "admissions with major complications over none in one DRG (CMS MS-DRG CC/MCC review example); range 0.5–2",
        ge=0, le=5,
    )
    typical_admission_severity: ShareByLevel = assumed(
        ShareByLevel(**_lvl(0.0, 0.574, 0.582, 0.684)),
        "mean severity of the admissions at each level under the pre-reform baseline (measured by "
        "scripts/calibrate_admission_appropriateness.py on its 4 counties of 30,000, 2026-12-02), so that an admission of typical severity costs the "
        "level's price and severity-dependent resource use leaves each level's mean price as it was",
    )
    budget_township_share: float = assumed(
        0.7, "share of a global budget's kept result (after the lead hospital's part) that goes to township "
        "health centres (the documents give no split)", ge=0, le=1,
    )
    budget_village_share: float = assumed(
        0.3, "the same for village clinics; with budget_township_share it adds up to 1", ge=0, le=1,
    )
    budget_pay_floor: float = assumed(
        0.5, "lowest pay multiplier a borne budget deficit can impose on a level's doctors", ge=0, le=1,
    )

    @model_validator(mode="after")
    def _budget_split_adds_up(self) -> "FinanceParams":
        if abs(self.budget_township_share + self.budget_village_share - 1.0) > 1e-9:
            raise ValueError("budget_township_share + budget_village_share must be 1")
        return self


class ModelParameters(Strict):
    """Everything that defines behaviour, supply and money in a simulated region."""

    population: PopulationParams = Field(default_factory=PopulationParams)
    illness: IllnessParams = Field(default_factory=IllnessParams)
    choice: ChoiceParams = Field(default_factory=ChoiceParams)
    care: CareParams = Field(default_factory=CareParams)
    beliefs: BeliefParams = Field(default_factory=BeliefParams)
    facilities: FacilityParams = Field(default_factory=FacilityParams)
    workforce: WorkforceParams = Field(default_factory=WorkforceParams)
    finance: FinanceParams = Field(default_factory=FinanceParams)
    providers: ProviderParams = Field(default_factory=ProviderParams)

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> "ModelParameters":
        total = self.population.age_band_shares.total()
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"population.age_band_shares must sum to 1, got {total:.4f}")
        if self.population.usual_provider_shares.total() > 1 + 1e-9:
            raise ValueError("population.usual_provider_shares must sum to at most 1")
        return self


def parameter_table(model: type[BaseModel] = ModelParameters, prefix: str = "") -> list[tuple[str, Any, str]]:
    """Flatten a parameter model into (dotted name, default, source) rows for documentation."""
    rows: list[tuple[str, Any, str]] = []
    defaults = model()
    for name, field in model.model_fields.items():
        value = getattr(defaults, name)
        extra = field.json_schema_extra or {}
        source = extra.get("source") if isinstance(extra, dict) else None
        if source is None and isinstance(value, BaseModel) and not isinstance(value, (_Vector, EpisodeChoice)):
            rows.extend(parameter_table(type(value), f"{prefix}{name}."))
            continue
        shown = value.model_dump() if isinstance(value, BaseModel) else value
        rows.append((prefix + name, shown, source or field.description or ""))
    return rows
