"""The emulator's design: a Latin hypercube over the priors (log-uniform ones through the logarithm), seeded;
points simulated one by one and kept, so a killed design goes on with what it lacks, and a design spread over
a process pool equals one simulated here."""

import math
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pytest
from interruptions import Killed, killing_after

from ygt_abm.estimation.design import design_points, from_unit, simulate_design, to_unit

PRIORS = {"a": (0.0, 2.0, False), "b": (1.0, 100.0, True)}


def model(values) -> dict[str, float]:
    """A model of no cost whose statistics are a function of the values, as a particle's are."""
    return {"target: x": values["a"] + math.log(values["b"]), "effect: y [0]": values["a"] * 2}


def test_points_fill_each_prior_one_to_a_stratum_and_are_seeded():
    points = design_points(PRIORS, 10, seed=3)
    assert points == design_points(PRIORS, 10, seed=3) and points != design_points(PRIORS, 10, seed=4)
    for name, (low, high, log) in PRIORS.items():
        u = to_unit(np.array([p[name] for p in points]), low, high, log)
        assert sorted(np.floor(u * 10).astype(int)) == list(range(10))  # one point in each tenth of the prior
    b = np.array([p["b"] for p in points])
    assert ((b >= 1) & (b <= 100)).all() and (b < 10).sum() == 5  # log-uniform: half below the geometric middle


def test_from_unit_and_to_unit_are_inverse():
    for low, high, log in PRIORS.values():
        for u in (0.0, 0.3, 1.0):
            assert to_unit(np.array([from_unit(u, low, high, log)]), low, high, log)[0] == pytest.approx(u)


def test_a_killed_design_goes_on_with_the_points_it_lacks_and_equals_an_uninterrupted_one(tmp_path):
    points = design_points(PRIORS, 6, seed=1)
    whole = simulate_design(model, points, tmp_path / "whole", "d")
    with pytest.raises(Killed):
        simulate_design(killing_after(4, model), points, tmp_path / "cut", "d")
    assert len(list((tmp_path / "cut" / "design").iterdir())) == 4
    calls = []
    resumed = simulate_design(lambda v: calls.append(v) or model(v), points, tmp_path / "cut", "d")
    assert calls == points[4:]  # only the two it lacked
    assert (tmp_path / "cut" / "design.csv").read_bytes() == (tmp_path / "whole" / "design.csv").read_bytes()
    assert list(whole.columns) == ["point", "a", "b", "target: x", "effect: y [0]"] and resumed.equals(whole)


def test_a_design_over_a_process_pool_equals_one_simulated_here(tmp_path):
    points = design_points(PRIORS, 5, seed=2)
    simulate_design(model, points, tmp_path / "here", "d")
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        simulate_design(model, points, tmp_path / "pool", "d", executor=pool)
    assert (tmp_path / "pool" / "design.csv").read_bytes() == (tmp_path / "here" / "design.csv").read_bytes()


def test_a_point_of_another_estimation_is_an_error_not_a_result(tmp_path):
    points = design_points(PRIORS, 2, seed=1)
    simulate_design(model, points, tmp_path, "one")
    with pytest.raises(ValueError, match="another estimation"):
        simulate_design(model, points, tmp_path, "other")
