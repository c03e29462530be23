"""The emulator: on a known smooth function with run noise, the held-out design points are predicted within
their intervals about as often as the intervals say, the noise it finds is the noise there is, and the draws
ABC-SMC takes are of the expected value (narrower than one run), reproducible from NumPy's seed."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.estimation.design import design_points
from ygt_abm.estimation.emulator import Emulator, cross_validation

PRIORS = {"a": (0.0, 1.0, False), "b": (1.0, 10.0, True)}
NOISE = 0.05


def expected(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sin(3 * a) + 0.5 * np.log(b) ** 2


def design(n: int = 60, seed: int = 0) -> pd.DataFrame:
    frame = pd.DataFrame(design_points(PRIORS, n, seed=seed))
    rng = np.random.default_rng(seed)
    frame["s"] = expected(frame["a"], frame["b"]) + rng.normal(0, NOISE, n)
    frame["flat"] = 2.0
    return frame


def test_the_emulator_predicts_held_out_points_as_well_as_it_claims():
    frame = design()
    emulator = Emulator(PRIORS, ["s", "flat"]).fit(frame)
    check = cross_validation(emulator, frame, seed=1).set_index("statistic")
    assert check.loc["s", "r2"] > 0.95
    assert 0.75 <= check.loc["s", "within_90"] <= 1.0
    assert emulator.noise_sd("s") == pytest.approx(NOISE, rel=0.5)
    assert check.loc["flat", "noise_sd"] == 0 and np.isnan(check.loc["flat", "r2"])


def test_a_draw_is_of_the_expected_value_narrower_than_one_run_and_seeded():
    emulator = Emulator(PRIORS, ["s", "flat"]).fit(design())
    point = {"a": 0.4, "b": 3.0}
    mean, sd = emulator.predict(point)["s"]
    run_sd = emulator.predict(point, noise=True)["s"][1]
    assert mean[0] == pytest.approx(expected(np.array([0.4]), np.array([3.0]))[0], abs=3 * NOISE)
    assert sd[0] < run_sd[0] and sd[0] < NOISE
    np.random.seed(9)
    first = emulator(point)
    np.random.seed(9)
    assert emulator(point) == first and first["flat"] == 2.0


def test_unmeasured_points_are_left_out_of_a_statistic_fit():
    frame = design()
    frame.loc[:9, "s"] = np.nan  # ten points where the statistic could not be measured
    check = cross_validation(Emulator(PRIORS, ["s"]).fit(frame), frame, seed=1)
    assert check.loc[0, "points"] == 50 and check.loc[0, "r2"] > 0.9


def test_the_predictions_are_scikit_learns():
    frame = design()
    emulator = Emulator(PRIORS, ["s"]).fit(frame)
    points = pd.DataFrame(design_points(PRIORS, 7, seed=5))
    process = emulator.processes["s"]
    with_noise, without = emulator.predict(points, noise=True)["s"], emulator.predict(points)["s"]
    mean, sd = process.predict(emulator.unit(points), return_std=True)
    np.testing.assert_allclose(with_noise[0], mean, rtol=1e-9)
    np.testing.assert_allclose(with_noise[1], sd, rtol=1e-7)
    white = process.kernel_.k2.noise_level * process._y_train_std ** 2
    np.testing.assert_allclose(without[1] ** 2, np.maximum(sd**2 - white, 0), rtol=1e-6, atol=1e-12)
