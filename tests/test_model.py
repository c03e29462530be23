"""The weekly step: accounting identities, capacity, referrals, reproducibility, common random numbers."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.analyzers import WeeklySeries
from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.processes import MissingProcess, default_processes
from ygt_abm.vocabulary import OUTCOMES, UNMET, WEEKS_PER_YEAR
from ygt_abm.world import build_world


def _params(**sections) -> ModelParameters:
    data = ModelParameters().model_dump()
    for section, values in sections.items():
        data[section].update(values)
    return ModelParameters.model_validate(data)


def test_every_episode_ends_exactly_once(small_region):
    model = CountyModel(small_region, seed=1, analyzers=[WeeklySeries()])
    for _ in range(6):
        model.step()
        assert (model.process("weekly_series").last_episodes.outcome >= 0).all()
        assert model.process("weekly_series").last_episodes.outcome.max() < len(OUTCOMES)
    c = model.counters
    assert c.episodes.sum() == c.outcomes.sum() > 0
    assert (c.episodes.sum(axis=1) == c.outcomes.sum(axis=1)).all()


def test_fund_spending_equals_the_sum_of_reimbursements_received_by_facilities(small_region):
    model = CountyModel(small_region, seed=2)
    for _ in range(10):
        model.step()
    assert model.fund.spending.sum() == pytest.approx(model.facilities.revenue_fund.sum(), rel=1e-12)
    level = model.facilities.level
    by_level = np.bincount(level, weights=model.facilities.revenue_fund, minlength=4)
    assert model.fund.spending.sum(axis=0) == pytest.approx(by_level, rel=1e-12)


def test_no_facility_serves_more_than_its_weekly_capacity(small_region):
    scarce = _params(facilities={"visits_per_doctor_week": {"village": 3, "township": 4, "county": 4, "city": 5},
                                 "township_beds": 2.0, "county_beds_per_1000": 0.2, "city_beds": 5.0},
                     workforce={"city_doctors": 2.0})
    model = CountyModel(small_region, scarce, seed=3, analyzers=[WeeklySeries()])
    fac = model.facilities
    for _ in range(8):
        model.step()
        served_out, served_in = model.process("weekly_series").last_week_served
        assert (served_out <= fac.outpatient_capacity + 1e-9).all()
        assert (served_in <= fac.admission_capacity + 1e-9).all()
    assert (model.process("weekly_series").last_episodes.outcome == UNMET).any()  # rationing turned people away


def test_weak_primary_care_sends_more_patients_up(small_region):
    weak = _params(care={"capability_minor": {"village": 0.3, "township": 0.4, "county": 0.85, "city": 0.95}})
    base, low = CountyModel(small_region, seed=4), CountyModel(small_region, weak, seed=4)
    for _ in range(8):
        base.step()
        low.step()
    assert low.counters.referrals_up.sum() > 1.3 * base.counters.referrals_up.sum()


def test_referral_down_after_admission_follows_its_lever(small_region):
    never = CountyModel(small_region, _params(care={"referral_down_after_admission": 0.0}), seed=5)
    always = CountyModel(small_region, _params(care={"referral_down_after_admission": 1.0}), seed=5)
    for _ in range(6):
        never.step()
        always.step()
    assert never.counters.referrals_down.sum() == 0
    hospital_admissions = always.counters.admissions[:, 2:].sum()
    assert 0.5 * hospital_admissions < always.counters.referrals_down.sum() <= hospital_admissions


def test_the_same_inputs_give_identical_results(small_region):
    a = CountyModel(small_region, seed=6, replicate=1).run(1)
    b = CountyModel(small_region, seed=6, replicate=1).run(1)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_other_replicates_give_other_results(small_region):
    a = CountyModel(small_region, seed=6, replicate=0).run(1)
    b = CountyModel(small_region, seed=6, replicate=1).run(1)
    assert not np.array_equal(a["value"].to_numpy(), b["value"].to_numpy())


def test_scenarios_with_the_same_seed_share_population_and_illness_onsets(small_region):
    reform = _params(finance={"outpatient_reimbursement": {"village": 0.95, "township": 0.95, "county": 0.4,
                                                           "city": 0.3}})
    a, b = CountyModel(small_region, seed=7), CountyModel(small_region, reform, seed=7)
    for field in ("village", "age_band", "chronic", "insured", "family_doctor", "belief"):
        assert np.array_equal(getattr(a.population, field), getattr(b.population, field))
    for _ in range(10):
        a.step()
        b.step()
    assert a.process("onset").digest == b.process("onset").digest != 0
    assert a.counters.episodes.tolist() == b.counters.episodes.tolist()
    # …while the policy still changed where people went.
    share = lambda m: m.counters.visits[:, :2].sum() / m.counters.visits.sum()  # noqa: E731
    assert share(b) > share(a)


def test_phases_are_timed(year_run):
    assert set(year_run.phase_seconds) >= {p.name for p in year_run.loop.processes}
    assert all(v >= 0 for v in year_run.phase_seconds.values())
    assert set(year_run.phase_seconds) == {p.name for p in year_run.loop.processes}
    assert year_run.phase_seconds["choice"] > 0


def test_indicators_are_long_format_per_county_and_year(year_run):
    df = year_run.indicators()
    assert list(df.columns) == ["county", "year", "metric", "value"]
    assert df["year"].unique().tolist() == [1]
    shares = df[df["metric"].str.contains("share|rate")]
    assert shares["value"].between(0, 1).all()


@pytest.mark.parametrize("left_out", [p.name for p in default_processes()])
def test_a_model_without_a_process_either_runs_or_names_what_is_missing(left_out):
    """Leave any process out: the model runs weeks and reports (or says it cannot report without recording),
    or refuses to be built, naming the missing process and who needs it."""
    region = build_world(SyntheticWorld(population=2_000, townships=1), seed=2)
    processes = [p for p in default_processes() if p.name != left_out]
    needed_by = [p.name for p in processes if left_out in p.needs]
    if needed_by:
        with pytest.raises(MissingProcess, match=rf"process '{needed_by[0]}' needs '{left_out}'"):
            CountyModel(region, seed=1, processes=processes)
        return
    model = CountyModel(region, seed=1, processes=processes, checks=True)
    for _ in range(WEEKS_PER_YEAR):
        model.step()
    if left_out == "recording":
        with pytest.raises(MissingProcess, match="no process 'recording'"):
            model.indicators()
    else:
        assert set(model.indicators()["year"]) == {1}


def test_interventions_without_the_policy_process_are_refused(small_region):
    processes = [p for p in default_processes() if p.name != "policy"]
    gap = build({"type": "reimbursement_gap", "outpatient_change": {"township": 0.1}, "source": "a test"})
    with pytest.raises(MissingProcess, match="no process 'policy'"):
        CountyModel(small_region, seed=1, processes=processes, interventions=[gap])
