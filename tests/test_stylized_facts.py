"""Stylized facts the model must reproduce from its mechanisms (issue: behaviour grounded in evidence).
Raising a level's price lowering its use is in tests/test_elasticity.py; a budget with surplus retention
changing what providers do from year 1 is in tests/test_provision.py."""

import pandas as pd

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world

SRC = {"source": "test"}
NO_OPS = [
    {"type": "price_adjustment", **SRC},
    {"type": "reimbursement_gap", "outpatient_change": {"township": 0.0}, **SRC},
    {"type": "referral_management", **SRC},
    {"type": "health_literacy", "baseline": 0.3, "target": 0.3, **SRC},
]


def test_a_package_of_levers_that_change_nothing_is_byte_identical_to_the_baseline():
    region = build_world(SyntheticWorld(population=8_000, townships=2), seed=6)
    runs = []
    for interventions in ([], [build(spec) for spec in NO_OPS]):
        model = CountyModel(region, ModelParameters(), seed=3, interventions=interventions, record_episodes=True)
        frame = model.run(2, warmup_years=1)
        episodes = model.process("recording").episode_levels
        runs.append(frame["value"].to_numpy().tobytes() + b"".join(e.tobytes() for e in episodes))
    assert runs[0] == runs[1]


def test_gatekeeping_lowers_hospital_visits_but_compliance_is_partial():
    region = build_world(SyntheticWorld(population=20_000, townships=2), seed=8)
    gate = {"type": "gatekeeping", "from_level": "county", "reimbursement_cut": 0.3, **SRC}
    values = []
    for interventions in ([], [build(gate)]):
        model = CountyModel(region, ModelParameters(), seed=5, interventions=interventions)
        values.append(model.run(1, warmup_years=1).set_index("metric")["value"])
    base, gated = values
    hospital = ["visits_per_capita_county", "visits_per_capita_city"]
    assert gated[hospital].sum() < 0.97 * base[hospital].sum()
    assert gated[hospital].sum() > 0.3 * base[hospital].sum()  # many still go straight up, and pay
    assert gated["primary_care_visit_share"] > base["primary_care_visit_share"]


STATIONARY_SHARES = ("primary_care_visit_share", "in_county_visit_rate", "in_county_inpatient_share",
                     "township_admission_share")


def shares_by_year(steady_state_years: int | None = None, seeds=range(4)) -> pd.DataFrame:
    """Mean over seeds of each share by year: a 60,000-resident county, 3 warm-up years, 10 recorded."""
    region = build_world(SyntheticWorld(population=60_000, townships=3), seed=4)
    params = ModelParameters()
    if steady_state_years is not None:
        params.workforce.steady_state_years = steady_state_years
    frames = [CountyModel(region, params, seed=s).run(10, warmup_years=3) for s in seeds]
    table = pd.concat(frames).pivot_table(index="year", columns="metric", values="value", aggfunc="mean")
    return table[[*STATIONARY_SHARES, "village_doctors"]]


def test_the_baseline_is_stationary_after_warm_up_unless_the_secular_trend_is_switched_on():
    steady = shares_by_year()  # the shipped pre-start
    deviation = (steady[list(STATIONARY_SHARES)] - steady[list(STATIONARY_SHARES)].mean()).abs().max()
    assert (deviation <= 0.005).all(), deviation.round(4).to_dict()  # each share within ±0.5 point
    trend = shares_by_year(steady_state_years=0, seeds=range(1))  # the documented decline of village doctors
    yearly = (trend["village_doctors"].iloc[-1] / trend["village_doctors"].iloc[0]) ** (1 / 9) - 1
    assert -0.06 <= yearly <= -0.02
    assert trend["primary_care_visit_share"].iloc[-1] < trend["primary_care_visit_share"].iloc[0] - 0.01


def last_year(region, specs, params=None, years=3):
    """Indicators of the last of ``years`` recorded years (after the usual warm-up), one seed."""
    model = CountyModel(region, params or ModelParameters(), seed=5, interventions=[build({**SRC, **s}) for s in specs])
    frame = model.run(years, warmup_years=3)
    return frame[frame["year"] == years].set_index("metric")["value"]


def test_under_fee_for_service_a_stronger_county_hospital_draws_patients_from_the_townships_not_only_the_city():
    region = build_world(SyntheticWorld(population=40_000, townships=3), seed=9)
    upgrade = {"type": "county_hospital_upgrade", "capability_gain": 0.15, "extra_beds_share": 0.3,
               "episode_types": ["minor", "chronic", "serious", "emergency"]}
    base, upgraded = last_year(region, []), last_year(region, [upgrade])
    assert upgraded["visits_per_capita_county"] > base["visits_per_capita_county"]
    for level in ("township", "city"):  # 虹吸: from below as well as from above
        assert upgraded[f"visits_per_capita_{level}"] < base[f"visits_per_capita_{level}"]
        assert upgraded[f"admissions_per_capita_{level}"] < base[f"admissions_per_capita_{level}"]


def test_the_same_package_does_less_where_township_centres_cannot_treat_more():
    region = build_world(SyntheticWorld(population=40_000, townships=3), seed=9)
    weak = ModelParameters()
    weak.workforce.township_doctors, weak.facilities.township_beds = 4, 8  # few doctors and beds
    gap = [{"type": "reimbursement_gap", "outpatient_change": {"township": 0.2}, "inpatient_change": {"township": 0.1}}]
    effects = {}
    for name, params in (("strong", None), ("weak", weak)):
        base, reformed = last_year(region, [], params, years=2), last_year(region, gap, params, years=2)
        effects[name] = reformed["primary_care_visit_share"] - base["primary_care_visit_share"]
    assert effects["strong"] > 0.01
    assert effects["weak"] < effects["strong"] / 3
