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


def _load(tmp_path, tail: str):
    path = tmp_path / "design.yaml"
    path.write_text(HEAD + textwrap.dedent(tail))
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
