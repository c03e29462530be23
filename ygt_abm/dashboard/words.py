"""The classroom's words in Chinese and English: every label, message, legend and chart title the page
shows, so a class can switch language without a word left behind (tests/test_drawing.py checks that each
entry has both). Lever names stay the identifiers of experiment files, since exported YAML uses them; in
Chinese a lever's card also gives the documents' own name for it. The lever explanations are the
interventions' own docstrings (English, citing the Chinese clauses)."""

from __future__ import annotations

from ygt_abm.vocabulary import (
    AGE_BANDS, CONDITIONS, EPISODE_TYPES, FACILITY_KINDS, HEADLINE_INDICATORS, INDICATOR_NAMES, INDICATORS,
    LEVER_NAMES_ZH, LEVELS, OUTCOMES, in_words,
)

LANGUAGES = ("zh", "en")
#: Shown on the switch, each in its own language.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}
#: The cookie in which the page's script (web/custom.js) gives the browser's languages.
LANGUAGE_COOKIE = "ygt_languages"

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "ygt_abm classroom", "zh": "县域医共体课堂"},
    "intro": {"en": "Twin counties: the **baseline** twin never changes; the **policy** twin gets your levers. "
                    "Same residents, same illnesses: every difference is the policy.",
              "zh": "双胞胎县：**基线县**从不改变，**政策县**执行你的政策杠杆。居民相同，疾病相同：两县的一切差别都来自政策。"},
    "county size": {"en": "county size", "zh": "县的规模"},
    "residents": {"en": "{n:,} residents", "zh": "{n:,} 名居民"},
    "week": {"en": "week", "zh": "一周"},
    "year": {"en": "year", "zh": "一年"},
    "play": {"en": "play", "zh": "播放"},
    "pause": {"en": "pause", "zh": "暂停"},
    "reset": {"en": "reset", "zh": "重置"},
    "policy package": {"en": "policy package", "zh": "政策包"},
    "add a lever": {"en": "add a lever", "zh": "添加政策杠杆"},
    "apply levers": {"en": "apply levers", "zh": "施行政策"},
    "draft": {"en": "Your draft: nothing changes until you press “apply levers”.",
              "zh": "草案：按“施行政策”后才生效。"},
    "export": {"en": "export as experiment YAML", "zh": "导出为实验 YAML"},
    "when levers act": {"en": "Levers take effect at the start of the next simulated year, as budgets and "
                              "reimbursement rules do.",
                        "zh": "政策杠杆从下一个模拟年度的年初起生效，与预算和报销规则一样。"},
    "not applied": {"en": "Not applied: {error}", "zh": "未施行：{error}"},
    "levers from": {"en": "Levers in force from year {year}.", "zh": "政策杠杆自第 {year} 年起生效。"},
    "back to baseline": {"en": "Policy twin back to the baseline from year {year}.",
                         "zh": "政策县自第 {year} 年起回到基线。"},
    "package loaded": {"en": "{name}: press “apply levers” to put its levers in force.",
                       "zh": "{name}：按“施行政策”使其政策杠杆生效。"},
    "status week": {"en": "Year {year}, week {week}", "zh": "第 {year} 年第 {week} 周"},
    "status start": {"en": "Start of year {year}", "zh": "第 {year} 年年初"},
    "county": {"en": "{population:,} residents, {townships} townships",
               "zh": "{population:,} 名居民，{townships} 个乡镇"},
    "no levers": {"en": "levers: none", "zh": "政策杠杆：无"},
    "levers in force": {"en": "levers from year {year}: {names}", "zh": "第 {year} 年起的政策杠杆：{names}"},
    "baseline twin": {"en": "baseline twin", "zh": "基线县"},
    "policy twin": {"en": "policy twin", "zh": "政策县"},
    "legend flows": {"en": "first contacts from a township", "zh": "各乡镇首诊流向"},
    "legend sizes": {"en": "size and width: patients a week", "zh": "大小与宽度：每周患者"},
    "legend lines": {"en": "lines: 13-week means; points: the year's value; across: simulated years",
                     "zh": "曲线：13 周均值；圆点：年度值；横轴：模拟年份"},
    "city hospital at": {"en": "city hospital ({km:.0f} km)", "zh": "市医院（{km:.0f} 公里）"},
    "county seat": {"en": "county seat", "zh": "县城"},
    "village tip": {"en": "{name}: {population:,} residents; clinic {weekly:.0f} patients a week "
                          "(click: follow a resident)",
                    "zh": "{name}：{population:,} 名居民；村卫生室每周 {weekly:.0f} 名患者（点击：跟随一位居民）"},
    "facility tip": {"en": "{name} ({kind}): {weekly:.0f} patients a week (click: staff, volume, money)",
                     "zh": "{name}（{kind}）：每周 {weekly:.0f} 名患者（点击：人员、患者、收支）"},
    "flow tip": {"en": "{township} → {level}: {weekly:.0f} patients a week (first contacts, last 4 weeks)",
                 "zh": "{township} → {level}：每周 {weekly:.0f} 名患者（首诊，近 4 周）"},
    "dot tip": {"en": "{twin}, year {year}: {value:.1%}", "zh": "{twin}，第 {year} 年：{value:.1%}"},
    "target": {"en": "target {value:.0%} (year {year})", "zh": "目标 {value:.0%}（第 {year} 年）"},
    "resident heading": {"en": "A resident (click a village)", "zh": "一位居民（点击村庄）"},
    "resident": {"en": "resident {id}: {age}, {conditions}, {insured}",
                 "zh": "居民 {id}：{age}，{conditions}，{insured}"},
    "no chronic condition": {"en": "no chronic condition", "zh": "无慢性病"},
    "insured": {"en": "insured", "zh": "参保"},
    "uninsured": {"en": "uninsured", "zh": "未参保"},
    "no episodes": {"en": "no episodes yet", "zh": "尚无就医记录"},
    "facility heading": {"en": "A facility (click a township centre or a hospital)",
                         "zh": "一家机构（点击乡镇卫生院或医院）"},
    "what it does": {"en": "what it does and where the documents say so", "zh": "作用机制与文件依据"},
    "source": {"en": "source: {source}", "zh": "来源：{source}"},
    "remove": {"en": "remove", "zh": "删除"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    # the followed resident's table
    "col year": {"en": "year", "zh": "年"},
    "col week": {"en": "week", "zh": "周"},
    "col illness": {"en": "illness", "zh": "疾病"},
    "col severity": {"en": "severity", "zh": "严重程度"},
    "col first contact": {"en": "first contact", "zh": "首诊"},
    "col referred up": {"en": "referred up", "zh": "向上转诊"},
    "col outcome": {"en": "outcome", "zh": "结局"},
    "first contact none": {"en": "none", "zh": "未就医"},
    # the facility's table
    "row name": {"en": "name", "zh": "名称"},
    "row kind": {"en": "kind", "zh": "类别"},
    "row doctors": {"en": "doctors", "zh": "医生"},
    "row beds": {"en": "beds", "zh": "床位"},
    "row patients a week": {"en": "patients a week (last 4 weeks)", "zh": "每周患者（近 4 周）"},
    "row visits": {"en": "visits since the year began", "zh": "本年至今门诊人次"},
    "row admissions": {"en": "admissions since the year began", "zh": "本年至今住院人次"},
    "row revenue": {"en": "revenue since the year began (yuan)", "zh": "本年至今收入（元）"},
    "row outpatient price": {"en": "outpatient price (yuan)", "zh": "门诊价格（元）"},
    "row inpatient price": {"en": "inpatient price (yuan)", "zh": "住院价格（元）"},
    "row load": {"en": "outpatient load (1 = full)", "zh": "门诊负荷（1 = 满）"},
    "row wait self": {"en": "wait, self-referred (days)", "zh": "自行就诊等待（天）"},
    "row wait referred": {"en": "wait, referred (days)", "zh": "转诊等待（天）"},
    # levels, facility kinds, illnesses and outcomes, as the model names them
    "village": {"en": "village", "zh": "村"},
    "township": {"en": "township", "zh": "乡镇"},
    "county level": {"en": "county", "zh": "县"},
    "city": {"en": "city", "zh": "市"},
    "village_clinic": {"en": "village clinic", "zh": "村卫生室"},
    "township_health_centre": {"en": "township health centre", "zh": "乡镇卫生院"},
    "county_hospital": {"en": "county hospital", "zh": "县医院"},
    "city_hospital": {"en": "city hospital", "zh": "市医院"},
    "minor": {"en": "minor", "zh": "小病"},
    "chronic": {"en": "chronic", "zh": "慢性病"},
    "serious": {"en": "serious", "zh": "重病"},
    "emergency": {"en": "emergency", "zh": "急症"},
    "self_care": {"en": "self care", "zh": "自我照护"},
    "resolved": {"en": "resolved", "zh": "治愈"},
    "unresolved": {"en": "unresolved", "zh": "未治愈"},
    "unmet": {"en": "unmet", "zh": "未满足"},
    "prevented": {"en": "prevented", "zh": "已预防"},
    "age_0_14": {"en": "aged 0–14", "zh": "0–14 岁"},
    "age_15_44": {"en": "aged 15–44", "zh": "15–44 岁"},
    "age_45_64": {"en": "aged 45–64", "zh": "45–64 岁"},
    "age_65_plus": {"en": "aged 65 or more", "zh": "65 岁及以上"},
    "hypertension": {"en": "hypertension", "zh": "高血压"},
    "diabetes": {"en": "diabetes", "zh": "糖尿病"},
    "copd": {"en": "COPD", "zh": "慢阻肺"},
}
#: The headline indicators as chart titles: in English as a reader names them (``vocabulary.INDICATOR_NAMES``),
#: in Chinese as the documents name them (``vocabulary.INDICATORS``): the project's one list of each.
INDICATOR_TITLES = {metric: INDICATOR_NAMES[metric] for metric in HEADLINE_INDICATORS}
WORDS.update({metric: {"en": title, "zh": INDICATORS[metric][0]} for metric, title in INDICATOR_TITLES.items()})

#: The model's level names, each to its entry (``county`` is also the sentence above, so it has its own key).
LEVEL_KEYS = dict(zip(LEVELS, ("village", "township", "county level", "city")))
#: Every name of the model the page shows, which must have an entry.
MODEL_NAMES = (*HEADLINE_INDICATORS, *FACILITY_KINDS, *EPISODE_TYPES, *OUTCOMES, *LEVEL_KEYS.values(), *AGE_BANDS,
               *CONDITIONS)


def say(key: str, language: str, **values) -> str:
    """The entry ``key`` in ``language`` (zh or en), with ``values`` filled in."""
    return WORDS[key][language].format(**values)


def lever_title(lever: str, language: str) -> str:
    """A lever card's title: its identifier in words, after the documents' name in Chinese."""
    words = in_words(lever)
    return f"{LEVER_NAMES_ZH[lever]} · {words}" if language == "zh" and lever in LEVER_NAMES_ZH else words


def level_name(level: str, language: str) -> str:
    """A level of care (village, township, county, city) in ``language``."""
    return say(LEVEL_KEYS[level], language)


def language_for(accept_language: str) -> str:
    """The page's first language: Chinese where the browser's Accept-Language puts Chinese before English."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"
