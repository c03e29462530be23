"""The words every layer shares: facility levels, episode types, contact kinds, outcomes, first-contact
codes, the calendar, the indicators, the words a reader reads for the model's identifiers, and the names of
decomposition variants.

This module imports nothing, so any layer (config included) can use it. No other module defines these
codes again, and no literal stands for a level count or a year.
"""

# ------------------------------------------------------------------------------------------ facilities

#: Facility levels, in the order of every (…, level) array: village clinic (村卫生室), township health
#: centre (乡镇卫生院), county hospital (县级医院), city hospital outside the county (县外城市医院).
LEVELS = ("village", "township", "county", "city")
VILLAGE, TOWNSHIP, COUNTY, CITY = range(len(LEVELS))
N_LEVELS = len(LEVELS)
#: primary care (基层): the levels of 基层就诊率
PRIMARY_CARE = (VILLAGE, TOWNSHIP)
#: the kind of facility at each level, as CSV counties spell it
FACILITY_KINDS = ("village_clinic", "township_health_centre", "county_hospital", "city_hospital")

# ------------------------------------------------------------------------------------------ residents

AGE_BANDS = ("age_0_14", "age_15_44", "age_45_64", "age_65_plus")
OLDEST_AGE_BAND = len(AGE_BANDS) - 1
CONDITIONS = ("hypertension", "diabetes", "copd")
#: ``usual_level`` of a resident without a usual provider
NO_USUAL_PROVIDER = -1

# ------------------------------------------------------------------------------------------ episodes

#: Episode types: minor acute illness, chronic follow-up, serious illness (needs admission), emergency.
EPISODE_TYPES = ("minor", "chronic", "serious", "emergency")
MINOR, CHRONIC, SERIOUS, EMERGENCY = range(len(EPISODE_TYPES))
N_EPISODE_TYPES = len(EPISODE_TYPES)

#: A contact is an outpatient or emergency visit (门急诊) or an admission (住院).
CONTACT_KINDS = ("outpatient", "inpatient")
OUTPATIENT, INPATIENT = range(len(CONTACT_KINDS))

#: How an episode ends.
OUTCOMES = ("self_care", "resolved", "unresolved", "unmet", "prevented")
SELF_CARE, RESOLVED, UNRESOLVED, UNMET, PREVENTED = range(len(OUTCOMES))

#: First-contact code of a recorded episode: its first level (0–3) or one of these.
FIRST_SELF_CARE, FIRST_NONE, FIRST_PREVENTED = 8, 9, 10

# ------------------------------------------------------------------------------------------ calendar

WEEKS_PER_YEAR = 52

# ------------------------------------------------------------------------------------------ indicators

#: name → (Chinese term, definition) of every indicator; the order is the output order.
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
    "referrals_down": ("下转人次", "successful hospital admissions whose recovery was referred down to the home "
                       "township centre, as a recovery stay there (count)"),
    "declined_admissions": ("推诿", "admissions a provider declined although the case needed one, sending the "
                            "patient up a level (count)"),
    "failed_care_kept": ("留治", "failed care a township centre or county hospital kept rather than referred "
                         "up: the patient, not referred, may try the same level again (count)"),
    "oop_per_episode": ("次均自付费用", "out-of-pocket yuan ÷ episodes with at least one contact"),
    "family_doctor_signup_rate": ("家庭医生签约率", "residents with a family-doctor contract ÷ residents"),
    "key_population_signup_rate": ("重点人群签约率", "residents 65+ or with a chronic condition who have a "
                                   "family-doctor contract ÷ those residents"),
    "chronic_managed_rate": ("慢病规范管理率", "chronic patients with ≥4 follow-ups at primary care in the year "
                             "(国家基本公共卫生服务规范) ÷ chronic patients under management (≥1 follow-up at primary "
                             "care in the year), the national statistic's denominator"),
    "chronic_management_coverage": ("慢病管理率", "chronic patients with ≥1 follow-up at primary care in the year "
                                    "÷ chronic patients"),
    "village_doctors": ("村医人数", "doctors posted at village clinics at year end (count)"),
    "fund_balance_per_capita": ("基金结余", "(contributions − insurance spending) ÷ residents, yuan"),
    "fund_spending_per_enrollee": ("人均基金支出", "insurance spending (capitation included) ÷ insured residents, yuan "
                                   "a year"),
    "settled_outpatient_visits_per_enrollee": ("人均门诊统筹结算人次", "outpatient contacts the fund paid part of ÷ "
                                               "insured residents (visits past the yearly limit are not settled)"),
    "settled_outpatient_cost_per_enrollee": ("人均门诊统筹结算费用", "total price of outpatient contacts the fund paid "
                                             "part of ÷ insured residents, yuan"),
    "inpatient_effective_reimbursement": ("住院实际报销比例", "insurance payments for admissions ÷ their total price "
                                          "(insured and uninsured residents)"),
    "remote_consultations_per_1000": ("远程会诊人次", "primary-care contacts discussed remotely with the lead "
                                      "hospital's specialists, per 1,000 residents a year"),
    "inpatient_fund_share": ("住院基金支出占比", "insurance spending on admissions ÷ all insurance spending"),
    "unmet_need_share": ("未满足需求", "episodes that found no capacity anywhere ÷ episodes seeking care"),
    "township_admission_share": ("乡镇卫生院住院人次占比", "admissions at township health centres ÷ all admissions of "
                                 "the county's residents"),
    "out_of_county_inpatient_share": ("县外住院率", "admissions at city hospitals ÷ all admissions of the county's "
                                      "residents"),
    "out_of_county_inpatient_fund_share": ("县外住院基金支出占比", "insurance spending on admissions at city hospitals "
                                           "÷ insurance spending on all admissions of the county's residents"),
    "out_of_county_inpatient_spending_per_capita": ("县外住院费用", "charges for admissions at city hospitals "
                                                    "(fund and out of pocket) ÷ residents, yuan a year"),
    "out_of_county_inpatient_fund_per_capita": ("县外住院基金支出", "insurance spending on admissions at city "
                                                "hospitals ÷ residents, yuan a year"),
    "primary_care_share_of_in_county_fund": ("县域内基层医保基金占比", "insurance spending at village clinics and "
                                             "township health centres ÷ insurance spending inside the county"),
    "admitted_patients_per_capita": ("住院人数", "residents admitted at least once in the year ÷ residents (patients, "
                                     "where admissions_per_capita counts admissions)"),
    "township_capability_standard_share": ("乡镇卫生院达到服务能力推荐标准比例", "township health centres whose "
                                           "capability for admissions is at least care.township_capability_standard "
                                           "÷ the county's township health centres, at year end"),
    "older_bypass_share": ("45岁以上越过基层首诊比例", "episodes of residents aged 45 and over whose first contact "
                           "was at a county or city hospital ÷ their episodes with a first contact"),
    "visits_per_village_clinic": ("村卫生室年诊疗人次", "visits at the county's village clinics in the year (all "
                                  "patients) ÷ village clinics"),
    "visits_per_township_centre": ("乡镇卫生院年诊疗人次", "visits at the county's township health centres in the "
                                   "year (all patients) ÷ township health centres"),
    "admissions_per_township_centre": ("乡镇卫生院年住院人次", "admissions at the county's township health centres "
                                       "in the year (recovery stays included) ÷ township health centres"),
    "bed_occupancy_township": ("乡镇卫生院病床使用率", "admissions × facilities.length_of_stay_days ÷ (beds × 365) "
                               "at the county's township health centres (a recovery stay counted as a full stay)"),
    "bed_occupancy_county": ("县级医院病床使用率", "admissions × facilities.length_of_stay_days ÷ (beds × 365) at "
                             "the county's hospitals"),
    "doctors_per_1000": ("每千人口医师数", "doctors working at the county's village clinics, township health centres "
                         "and county hospitals at year end, counted by their time there, per 1,000 residents"),
}
#: The documents' headline backflow indicators, in the order figures and the classroom show them: the ones
#: the policy packages set targets for, and the primary-care share of the fund.
HEADLINE_INDICATORS = ("primary_care_visit_share", "primary_care_share_of_in_county_visits", "in_county_visit_rate",
                       "in_county_inpatient_share", "primary_care_fund_share", "chronic_managed_rate")
#: Indicators by facility level: name prefix, Chinese term, definition, first level it applies to (only
#: township centres and hospitals admit) and, where it is not the city, the last (city hospitals serve the
#: whole region, so their staff costs are no county's). Each gives one indicator per level, ``<prefix>_<level>``.
_BY_LEVEL = (
    ("visits_per_capita", "人均门急诊人次（分级）", "visits at {level} level ÷ residents", VILLAGE),
    ("admissions_per_capita", "人均住院人次（分级）", "admissions at {level} level ÷ residents", TOWNSHIP),
    ("fund_spending_per_capita", "人均医保基金支出（分级）",
     "insurance spending at {level} level ÷ residents, yuan (capitation included)", VILLAGE),
    ("effective_reimbursement_ratio", "实际报销比例（分级）", "insurance payments for contacts at {level} level ÷ "
     "their total price (insured and uninsured residents)", VILLAGE),
    ("facility_revenue_per_capita", "医疗收入（分级）", "what facilities at {level} level earn from the county's "
     "residents (prices paid by the fund and out of pocket, and capitation) ÷ residents, yuan", VILLAGE),
    ("oop_per_visit", "次均门急诊自付（分级）",
     "out-of-pocket yuan per visit at {level} level (all residents, insured or not)", VILLAGE),
    ("oop_per_admission", "次均住院自付（分级）",
     "out-of-pocket yuan per admission at {level} level (all residents, insured or not)", TOWNSHIP),
    ("charges_per_admission", "次均住院费用（分级）", "itemised charges per admission at {level} level, yuan: the "
     "resources used at list prices, whatever the facility is paid (a case rate under DRG/DIP)", TOWNSHIP),
    ("inappropriate_admission_share", "不合理住院比例（分级）", "admissions at {level} level of cases below its "
     "appropriate-admission severity (ones the Appropriateness Evaluation Protocol calls inappropriate) ÷ "
     "admissions there", TOWNSHIP),
    ("facility_surplus_per_capita", "医疗收支结余（分级）", "what facilities at {level} level earn from the county's "
     "residents, less the cost that varies with contacts (providers.marginal_cost_share × their price) and their "
     "doctors' pay (workforce.reference_pay × the year's pay factors, by time worked), ÷ residents, yuan; other "
     "staff and fixed costs are not modelled", VILLAGE, COUNTY),
)
for _prefix, _term, _definition, _first, *_last in _BY_LEVEL:
    for _level in LEVELS[_first:(_last[0] + 1 if _last else None)]:
        INDICATORS[f"{_prefix}_{_level}"] = (_term, _definition.format(level=_level))
del _prefix, _term, _definition, _first, _last, _level

# ------------------------------------------------------------------------------------------ words

#: The indicators the documents set targets on, as a reader names them in English (the classroom's chart
#: titles, the paper's figures and tables); any other indicator in its identifier's words (``in_words``).
INDICATOR_NAMES = {
    "primary_care_visit_share": "primary care visit share",
    "primary_care_share_of_in_county_visits": "primary care share of in-county visits",
    "in_county_visit_rate": "in-county visit rate",
    "in_county_inpatient_share": "in-county inpatient share",
    "primary_care_fund_share": "primary care share of the insurance fund",
    "chronic_managed_rate": "chronic disease managed rate",
    "in_county_fund_share": "in-county share of the insurance fund",
    "family_doctor_signup_rate": "family-doctor sign-up rate",
    "key_population_signup_rate": "family-doctor sign-up rate of key populations",
    "township_capability_standard_share": "township centres meeting the capability standard",
    "fund_spending_per_enrollee": "insurance fund spending per enrollee",
    "oop_per_episode": "out of pocket per episode",
    "doctors_per_1000": "doctors per 1,000 residents",
    "village_doctors": "village doctors",
}
#: Each lever under the name the documents give it (its docstring quotes them): the classroom's lever cards
#: and the figures in Chinese.
LEVER_NAMES_ZH = {
    "appraisal_linked_settlement": "考核挂钩结余留用、超支分担",
    "case_payment": "按病种付费（DRG/DIP）",
    "chronic_capitation": "慢病按人头付费",
    "chronic_disease_management": "医防融合、慢病一体化管理",
    "circuit_clinics": "巡回医疗",
    "city_experts": "组团式帮扶",
    "continuous_deductible": "起付线连续计算",
    "county_hospital_upgrade": "县医院等级提升",
    "doctor_dispatch": "县管乡用、医生下沉",
    "family_doctor_contracting": "家庭医生签约",
    "gatekeeping": "基层首诊、双向转诊",
    "global_budget": "医保总额付费",
    "grassroots_performance_pay": "公益一类保障、公益二类绩效",
    "grassroots_specialty_departments": "基层特色科室",
    "health_literacy": "健康素养",
    "integrated_hiring": "县乡村人才一体化",
    "outpatient_capitation": "门诊统筹按人头付费",
    "pay_parity_promotion": "基层待遇与职称晋升",
    "price_adjustment": "医疗服务价格调整",
    "referral_management": "转诊管理（病种目录）",
    "referred_patient_waiver_priority": "一免三优先",
    "reimbursement_gap": "差别化支付",
    "remote_consultation": "远程会诊",
    "reserved_referral_slots": "号源预留",
    "same_disease_same_payment": "同病同价同付",
    "service_surplus_pay": "两个允许",
    "shared_diagnostics": "基层检查、上级诊断、结果互认",
    "township_subcentres": "县域医疗次中心",
    "unified_drug_catalogue": "药品统一目录",
    "village_clinic_integration": "乡村一体化管理",
    "village_doctors_hired_by_township": "乡聘村用",
    "village_public_health_tasks": "村医公共卫生任务",
}
#: A target's comparison (a package's ``targets``) as its sign
COMPARISON_SIGNS = {"at_least": "≥", "at_most": "≤", "about": "≈"}
#: Parts of identifiers a reader would not read as written
_ABBREVIATIONS = (("_per_capita", " per person"), ("oop_", "out-of-pocket_"), ("_yuan", " (yuan)"))


def in_words(name: str) -> str:
    """An identifier as a reader reads it: an indicator by its name (``INDICATOR_NAMES``), a parameter
    without its group (``providers.marginal_cost_share``: marginal cost share), anything else its words
    (``reimbursement_gap``: reimbursement gap; ``oop_per_visit_county``: out-of-pocket per visit county)."""
    if name in INDICATOR_NAMES:
        return INDICATOR_NAMES[name]
    words = name.rsplit(".", 1)[-1]
    for short, long in _ABBREVIATIONS:
        words = words.replace(short, long)
    return words.replace("_", " ")


def outcome_words(indicator: str, of: str = "") -> str:
    """An evaluation's outcome in words: its indicator, a sum of indicators (``a + b``) or a share (of the
    sum ``of``); a sum over the levels of one indicator as ``stem: level + level``, a share as ``stem: level
    ÷ (level + level)``."""
    terms, whole = indicator.split(" + "), str(of).split(" + ") if of else []
    stems = {t.rsplit("_", 1)[0] for t in terms + whole}
    if len(stems) != 1 or len(terms) + len(whole) == 1:
        words = " + ".join(in_words(t) for t in terms)
        return f"{words} ÷ ({' + '.join(in_words(t) for t in whole)})" if whole else words
    levels = [" + ".join(t.rsplit("_", 1)[1] for t in part) for part in (terms, whole)]
    return f"{in_words(stems.pop())}: {levels[0]}" + (f" ÷ ({levels[1]})" if whole else "")


def package_words(name: str) -> str:
    """A policy package or scenario as a reader reads it: ``hunan-nanxian-2024``: Hunan Nanxian 2024."""
    return " ".join(part.capitalize() if part.isalpha() else part for part in name.split("-"))


def target_words(indicator: str, comparison: str, value: float, year: int, band: float | None = None) -> str:
    """A package's target in words: in-county visit rate ≥ 90% by 2027; with the half-width ``band`` of an
    "about" target: in-county inpatient share ≈ 85% (80–90%) by 2025."""
    words = f"{in_words(indicator)} {COMPARISON_SIGNS[comparison]} {100 * value:g}%"
    if comparison == "about" and band is not None and band == band:  # band == band: not NaN
        words += f" ({100 * (value - band):g}–{100 * (value + band):g}%)"
    return f"{words} by {year}"


# ------------------------------------------------------------------------------------------ variants

#: Separates a scenario from the lever of one of its decomposition variants; reserved in scenario names.
VARIANT_SEPARATOR = "--"
VARIANT_KINDS = ("without", "only")


def variant_name(scenario: str, kind: str, lever: str) -> str:
    """``<scenario>--without-<lever>`` (the package minus one lever) or ``<scenario>--only-<lever>``."""
    if kind not in VARIANT_KINDS:
        raise ValueError(f"variant kind {kind!r}; expected one of {VARIANT_KINDS}")
    return f"{scenario}{VARIANT_SEPARATOR}{kind}-{lever}"


def is_variant(name: str) -> bool:
    """Whether a scenario name is a decomposition variant (not a scenario of the file's own)."""
    return VARIANT_SEPARATOR in name


def parse_variant(name: str) -> tuple[str, str, str] | None:
    """(scenario, kind, lever) of a variant name, or None for a plain scenario name."""
    scenario, sep, rest = name.partition(VARIANT_SEPARATOR)
    kind, dash, lever = rest.partition("-")
    if not sep or not dash or kind not in VARIANT_KINDS:
        return None
    return scenario, kind, lever
