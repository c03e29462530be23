"""The classroom's twin counties: common random numbers, levers that act on one twin from the next year,
and an export whose replicate 0 is the classroom's own run."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.dashboard.classroom import BASELINE, POLICY, Classroom, new_classroom
from ygt_abm.dashboard.controls import lever_catalogue
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.plan import RunSpec
from ygt_abm.experiment.runner import run_once
from ygt_abm.interventions import REGISTRY, build
from ygt_abm.vocabulary import WEEKS_PER_YEAR

GAP = {"type": "reimbursement_gap", "outpatient_change": {"village": 0.2, "township": 0.2, "county": -0.2}}


@pytest.fixture(scope="module")
def pulled():
    """A class that watched a year of twins, widened the reimbursement gap halfway through year 2, and
    went on to the end of year 3."""
    room = Classroom(population=20_000, warmup_years=1)
    room.step(WEEKS_PER_YEAR + 20)
    assert room.set_levers([GAP]) == 3  # pulled during year 2: in force from year 3
    room.step_to_year_end()
    room.step(WEEKS_PER_YEAR)
    return room


def share(room, twin, metric="primary_care_visit_share"):
    table = room.indicators(twin)
    return table[table.metric == metric].set_index("year")["value"]


def test_twins_are_identical_until_a_lever_acts_then_only_the_policy_twin_changes(pulled):
    base, policy = share(pulled, BASELINE), share(pulled, POLICY)
    assert list(base.index) == [1, 2, 3]
    assert base[1] == policy[1] and base[2] == policy[2]  # common random numbers, lever not yet in force
    assert policy[3] > base[3] + 0.02  # a wider gap in favour of primary care moves visits down


def test_the_baseline_twin_is_the_run_without_levers(pulled):
    untouched = Classroom(population=20_000, warmup_years=1)
    untouched.step(3 * WEEKS_PER_YEAR)
    pd.testing.assert_frame_equal(untouched.indicators(BASELINE), pulled.indicators(BASELINE))


def test_the_exported_experiment_reproduces_the_classroom_run(pulled, tmp_path):
    path = tmp_path / "classroom.yaml"
    path.write_text(pulled.experiment_yaml(replicates=2), encoding="utf-8")
    resolved = load_runnable_experiment(path)
    assert resolved.experiment.years == 3 and resolved.experiment.replicates == 2
    for scenario, twin in (("baseline", BASELINE), ("classroom-policy", POLICY)):
        table, _, _ = run_once(resolved, RunSpec(scenario, "base", 0))
        mine = pulled.indicators(twin)
        np.testing.assert_array_equal(table["value"].to_numpy(), mine["value"].to_numpy())


def test_levers_changed_again_close_the_earlier_setting_and_one_never_in_force_is_dropped():
    room = Classroom(population=20_000, warmup_years=0)
    room.set_levers([GAP])  # before year 1: from year 1
    room.step(WEEKS_PER_YEAR)
    room.set_levers([{"type": "shared_diagnostics"}])  # at the year boundary: from year 2
    room.set_levers([{"type": "unified_drug_catalogue"}])  # replaces the one never in force
    schedule = room.scheduled_interventions()
    assert [(e["type"], e["start_year"], e.get("end_year")) for e in schedule] == [
        ("reimbursement_gap", 1, 1), ("unified_drug_catalogue", 2, None)]
    assert [i.name for i in room.twins[POLICY].interventions] == ["reimbursement_gap", "unified_drug_catalogue"]
    assert room.twins[BASELINE].interventions == []


def test_a_package_keeps_its_own_start_years_counted_from_when_it_is_loaded():
    room = Classroom(population=20_000, warmup_years=0)
    room.step(WEEKS_PER_YEAR + 1)
    assert room.load_package("zhejiang-2026") == 3
    starts = {e["start_year"] for e in room.scheduled_interventions()}
    assert min(starts) == 3 and max(starts) > 3  # ZJ's township hires act years later (§(十五))
    assert room.package == "zhejiang-2026"


def test_a_bad_lever_is_refused_before_anything_changes():
    room = Classroom(population=20_000, warmup_years=0)
    with pytest.raises(ValueError):
        room.set_levers([GAP, {"type": "reserved_referral_slots", "share": 2.0}])
    assert room.periods == [] and room.twins[POLICY].interventions == []


def test_a_followed_resident_lives_the_same_illnesses_in_both_twins():
    room = Classroom(population=20_000, warmup_years=0)
    followed = room.follow(village=3)
    assert room.twins[BASELINE].population.village[followed.resident] == 3
    room.step(30)
    base, policy = followed.episodes[BASELINE], followed.episodes[POLICY]
    assert base and [(e["week"], e["illness"]) for e in base] == [(e["week"], e["illness"]) for e in policy]


def test_flows_and_volumes_count_the_weeks_care():
    room = Classroom(population=20_000, warmup_years=0)
    room.step(4)
    flows = room.flows(POLICY)
    assert flows.shape == (len(room.region.township_names), 4) and flows.sum() > 0
    assert room.facility_volume(POLICY).sum() > 0
    assert room.facility_xy.shape == (room.region.n_facilities, 2)


def test_every_lever_has_controls_whose_defaults_the_model_accepts():
    catalogue = lever_catalogue()
    assert {lever.type for lever in catalogue} == set(REGISTRY)
    for lever in catalogue:
        spec = {"type": lever.type, "source": "test", **{k: v for k, v in lever.defaults().items() if v is not None}}
        build(spec)
        for control in lever.controls:
            if control.kind in ("number", "integer") and control.default is not None:
                assert control.low is None or control.low <= control.default
                assert control.high is None or control.default <= control.high


def test_each_class_gets_its_own_copy_of_the_warmed_up_twins():
    first, second = new_classroom(20_000), new_classroom(20_000)
    assert first.twins[POLICY] is not second.twins[POLICY]
    first.set_levers([GAP])
    first.step(WEEKS_PER_YEAR)
    second.step(WEEKS_PER_YEAR)
    assert second.periods == [] and second.twins[POLICY].interventions == []
    assert share(first, POLICY)[1] > share(second, POLICY)[1]  # the lever acted in the first class only
    pd.testing.assert_frame_equal(first.indicators(BASELINE), second.indicators(BASELINE))
    fresh = Classroom(population=20_000)
    fresh.step(WEEKS_PER_YEAR)
    pd.testing.assert_frame_equal(fresh.indicators(BASELINE), second.indicators(BASELINE))  # a copy is a build
    pd.testing.assert_frame_equal(fresh.weekly(BASELINE), second.weekly(BASELINE))  # its weekly series too
    assert not first.weekly(POLICY).equals(second.weekly(POLICY))
