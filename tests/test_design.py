"""Sweeps and samples: the points of an experiment, validated with line numbers."""

import textwrap

import numpy as np
import pytest

from ygt_abm.config import ConfigError
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.runner import plan

HEAD = """\
name: design
seed: 4
replicates: 2
years: 1
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: reform
    overrides: {care: {referral_down_after_admission: 0.2}}
"""


def _load(tmp_path, tail: str, head: str = HEAD):
    path = tmp_path / "design.yaml"
    path.write_text(head + textwrap.dedent(tail))
    return load_runnable_experiment(path)


def test_a_sweep_is_the_cartesian_grid_of_its_values(tmp_path):
    resolved = _load(tmp_path, """\
        sweep:
          finance.outpatient_reimbursement.township: [0.7, 0.9]
          choice.usual_provider: [0.2, 0.5, 0.8]
        """)
    assert len(resolved.points) == 6
    assert resolved.points[1].values == {"finance.outpatient_reimbursement.township": 0.7, "choice.usual_provider": 0.5}
    p = resolved.parameters("reform", resolved.points[5].name)
    assert p.finance.outpatient_reimbursement.township == 0.9 and p.choice.usual_provider == 0.8
    assert p.care.referral_down_after_admission == 0.2  # the scenario's own override survives
    specs = plan(resolved)
    assert len(specs) == 2 * 6 * 2 and len({s.run_id for s in specs}) == len(specs)


def test_latin_hypercube_samples_fill_every_stratum_and_are_reproducible(tmp_path):
    tail = """\
        samples:
          method: latin_hypercube
          n: 10
          bounds:
            choice.family_doctor: [0.0, 1.0]
            beliefs.word_of_mouth_rate: [0.01, 0.11]
        """
    a, b = _load(tmp_path, tail), _load(tmp_path, tail)
    values = np.array([[p.values["choice.family_doctor"], p.values["beliefs.word_of_mouth_rate"]] for p in a.points])
    assert [p.values for p in a.points] == [p.values for p in b.points]
    assert sorted(np.floor(values[:, 0] * 10).astype(int)) == list(range(10))
    assert sorted(np.floor((values[:, 1] - 0.01) / 0.01).astype(int)) == list(range(10))


def test_sobol_samples_are_balanced_and_reproducible(tmp_path):
    tail = """\
        samples:
          method: sobol
          n: 16
          bounds:
            choice.family_doctor: [0.0, 1.0]
            beliefs.word_of_mouth_rate: [0.01, 0.11]
        """
    a, b = _load(tmp_path, tail), _load(tmp_path, tail)
    assert [p.values for p in a.points] == [p.values for p in b.points]
    first = np.array([p.values["choice.family_doctor"] for p in a.points])
    assert np.bincount(np.floor(first * 4).astype(int), minlength=4).tolist() == [4, 4, 4, 4]  # balanced quarters


def test_a_bad_sweep_value_names_the_sweep_line_and_the_value(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, """\
            sweep:
              finance.outpatient_reimbursement.township: [0.7, 1.4]
            """)
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [(11, "sweep.finance.outpatient_reimbursement.township")]
    assert "1.4" in problems[0].message and "less than or equal to 1" in problems[0].message


def test_an_unknown_sweep_parameter_is_reported(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "sweep:\n  finance.no_such_thing: [1, 2]\n")
    assert info.value.problems[0].field == "sweep.finance.no_such_thing"
    assert "unknown key" in info.value.problems[0].message


def test_a_parameter_varied_by_the_sweep_and_set_by_a_scenario_is_an_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "sweep:\n  care.referral_down_after_admission: [0.1, 0.3]\n")
    assert "also set by scenario 'reform'" in info.value.problems[0].message


def test_sweep_and_samples_together_or_a_bad_reference_are_rejected(tmp_path):
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "sweep: {choice.family_doctor: [0.1]}\nsamples: {n: 2, bounds: {choice.family_doctor: [0, 1]}}\n")
    assert "either sweep or samples" in info.value.problems[0].message
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "reference: nope\n")
    assert "not a scenario" in info.value.problems[0].message
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "samples: {n: 2, bounds: {choice.family_doctor: [1, 0]}}\n")
    assert "low < high" in info.value.problems[0].message


def test_double_dashes_are_reserved_for_decomposition_variants(tmp_path):
    path = tmp_path / "dash.yaml"
    path.write_text(HEAD.replace("name: reform", "name: reform--only-x"))
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(path)
    assert "reserved for decomposition" in info.value.problems[0].message


# ── lever strengths within their ranges: dose–response sweeps and lever uncertainty ──

RANGED = """\
name: ranged
seed: 4
replicates: 1
years: 1
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: gap
    interventions:
      - type: reimbursement_gap
        outpatient_change: {township: 0.05, city: -0.05}
        source: "a document's clause"
        assumption: "no numbers"
        ranges: {outpatient_change.township: [0.0, 0.1], outpatient_change.city: [-0.1, 0.0]}
        range_source: "ASSUMPTION: from none to twice the assumed change"
      - type: doctor_dispatch
        doctors_per_township: 2
        source: "a document's clause"
        ranges: {doctors_per_township: [1, 3]}
        range_source: "ASSUMPTION: a test"
"""


def _ranged(tmp_path, tail: str, head: str = RANGED):
    path = tmp_path / "ranged.yaml"
    path.write_text(head + textwrap.dedent(tail))
    return load_runnable_experiment(path)


def _gap(resolved, point):
    return next(s for s in resolved.interventions_at("gap", point.name) if s["type"] == "reimbursement_gap")


def test_a_sweep_of_a_lever_quantile_moves_every_ranged_strength_of_its_type_together(tmp_path):
    resolved = _ranged(tmp_path, "sweep: {lever_quantile.reimbursement_gap: [0.0, 0.5, 1.0]}\n")
    gaps = [_gap(resolved, p)["outpatient_change"] for p in resolved.points]
    # one strength: from no change at 0 to the far end of every range at 1, a rise and a cut widening together
    assert gaps == [{"township": 0.0, "city": 0.0}, {"township": 0.05, "city": -0.05}, {"township": 0.1, "city": -0.1}]
    dispatch = next(s for s in resolved.interventions_at("gap", "g0000") if s["type"] == "doctor_dispatch")
    assert dispatch["doctors_per_township"] == 2  # another type keeps its given strength
    assert resolved.parameters("gap", "g0000") == resolved.parameters("gap", "g0002")  # levers, not parameters


def test_lever_uncertainty_gives_each_ensemble_member_its_own_draw_the_same_on_every_load(tmp_path):
    members = "\n".join(f"  - {{care: {{usual_provider_switch: {0.1 + i / 100}}}}}" for i in range(6))
    (tmp_path / "ensemble.yaml").write_text("ensemble:\n" + members + "\n")
    tail = "ensemble: ensemble.yaml\nlever_uncertainty: true\n"
    first, again = _ranged(tmp_path, tail), _ranged(tmp_path, tail)
    townships = [_gap(first, p)["outpatient_change"]["township"] for p in first.points]
    assert townships == [_gap(again, p)["outpatient_change"]["township"] for p in again.points]
    assert len(set(townships)) == 6 and all(0.0 <= t <= 0.1 for t in townships)
    for point in first.points:  # one quantile a type: the gap's parameters move together
        gap = _gap(first, point)["outpatient_change"]
        assert gap["township"] == pytest.approx(first.lever_quantiles(point)["reimbursement_gap"] * 0.1)
        assert gap["city"] == pytest.approx(-gap["township"])
        doctors = next(s for s in first.interventions_at("gap", point.name) if s["type"] == "doctor_dispatch")
        assert doctors["doctors_per_township"] in (1, 2, 3)  # whole doctors
    without = _ranged(tmp_path, "ensemble: ensemble.yaml\n")
    assert {_gap(without, p)["outpatient_change"]["township"] for p in without.points} == {0.05}


def test_a_quantile_counts_a_strength_from_no_change_whole_numbers_too():
    from ygt_abm.config.design import within_range

    assert within_range(-0.1, 0.0, 0.25, False) == pytest.approx(-0.025)
    assert within_range(0.5, 0.9, 0.5, False) == pytest.approx(0.7)
    assert [within_range(-3, -1, q, True) for q in (0.0, 0.5, 0.99)] == [-1, -2, -3]
    assert [within_range(1, 3, q, True) for q in (0.0, 0.5, 0.99)] == [1, 2, 3]


@pytest.mark.parametrize("tail, field, message", [
    ("sweep: {lever_quantile.reimbursement_gap: [0.5, 1.5]}\n", "sweep.lever_quantile.reimbursement_gap",
     "between 0 and 1"),
    ("sweep: {lever_quantile.price_adjustment: [0.5]}\n", "sweep.lever_quantile.price_adjustment",
     "no scenario has a 'price_adjustment' intervention with `ranges`"),
    ("lever_uncertainty: true\n", "lever_uncertainty", "give one"),
])
def test_lever_quantiles_and_uncertainty_are_checked_with_their_line(tmp_path, tail, field, message):
    with pytest.raises(ConfigError) as caught:
        _ranged(tmp_path, tail)
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.file.endswith("ranged.yaml") and problem.line > 1
    assert field in problem.field or field == "lever_uncertainty"


@pytest.mark.parametrize("ranges, message", [
    ("{outpatient_change.township: [0.06, 0.1]}", "the given value 0.05 lies outside [0.06, 0.1]"),
    ("{outpatient_change.county: [0.0, 0.1]}", "no number of this intervention is set there"),
    ("{outpatient_change.township: [0.1, 0.0]}", "low 0.1 is above high 0.0"),
])
def test_a_range_must_hold_the_strength_it_is_around(tmp_path, ranges, message):
    bad = RANGED.replace("{outpatient_change.township: [0.0, 0.1], outpatient_change.city: [-0.1, 0.0]}", ranges)
    with pytest.raises(ConfigError) as caught:
        _ranged(tmp_path, "", head=bad)
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.line == 14 and "ranges" in problem.field


def test_a_range_needs_its_source_and_a_given_value(tmp_path):
    bad = RANGED.replace('        range_source: "ASSUMPTION: a test"\n', "").replace("        doctors_per_township: 2\n", "")
    with pytest.raises(ConfigError) as caught:
        _ranged(tmp_path, "", head=bad)
    messages = " | ".join(p.message for p in caught.value.problems)
    assert "ranges need a range_source" in messages and "give the value the range is around" in messages


@pytest.mark.parametrize("text, line, message", [
    ("base: &b {care: {usual_provider_switch: 0.1}}\nensemble:\n  - *b\n  - *b\n", 3, "alias *b"),
    ("ensemble:\n  - {care: {usual_provider_switch: 0.1}}\n  - {care: {usual_provider_switch: 0.2, usual_provider_switch: 0.3}}\n",
     3, "duplicate key"),
    ("ensemble: [" * 70 + "]" * 70 + "\n", 1, "nested more than"),
])
def test_an_ensemble_file_is_read_as_guardedly_as_the_experiment(tmp_path, text, line, message):
    (tmp_path / "ensemble.yaml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        _ranged(tmp_path, "ensemble: ensemble.yaml\n")
    [problem] = caught.value.problems
    assert problem.file.endswith("ensemble.yaml") and problem.line == line and message in problem.message


FOUR = ("{care.usual_provider_switch: [0.1, 0.2], choice.family_doctor: [0.0, 0.6], choice.usual_provider: [0.2, 0.8], "
        "care.formal_referral_share: [0.1, 0.3]}")


@pytest.mark.parametrize("samples, message", [
    # 16,000 trajectories of 5 points × 2 scenarios × 2 replicates: counted in runs, refused before drawing
    ("{method: morris, n: 16000, bounds: " + FOUR + "}", "80,000 points × 2 scenarios × 2 replicates = 320,000 runs"),
    ("{method: saltelli, n: 32768, bounds: " + FOUR + "}", "196,608 points × 2 scenarios × 2 replicates"),
    ("{method: morris, n: 4, levels: 5, bounds: " + FOUR + "}", "a Morris grid needs an even number of levels"),
    ("{method: saltelli, n: 30, bounds: " + FOUR + "}", "a Saltelli design needs a power of 2 (e.g. 32)"),
])
def test_sensitivity_designs_are_counted_in_runs_and_meet_salibs_preconditions(tmp_path, samples, message):
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, f"samples: {samples}\n")
    assert message in " | ".join(p.message for p in caught.value.problems)


def test_an_ensemble_is_counted_in_runs_too(tmp_path):
    members = "".join(f"  - {{care: {{usual_provider_switch: {0.1 + i / 1e5}}}}}\n" for i in range(1001))
    (tmp_path / "ensemble.yaml").write_text("ensemble:\n" + members)
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "ensemble: ensemble.yaml\n", head=HEAD.replace("replicates: 2", "replicates: 100"))
    [problem] = caught.value.problems
    assert problem.field == "ensemble" and "1,001 members × 2 scenarios × 100 replicates = 200,200 runs" in problem.message


def test_a_bad_ensemble_member_is_reported_at_its_line_in_the_ensemble_file(tmp_path):
    (tmp_path / "ensemble.yaml").write_text("ensemble:\n  - care:\n      usual_provider_switch: 0.1\n"
                                            "  - care:\n      usual_provider_switch: 7.0\n")
    with pytest.raises(ConfigError) as caught:
        _load(tmp_path, "ensemble: ensemble.yaml\n")
    problem = next(p for p in caught.value.problems if "usual_provider_switch" in p.field)
    assert problem.file.endswith("ensemble.yaml") and problem.line == 5
    assert problem.field == "ensemble[1].care.usual_provider_switch" and "7.0" in problem.message
