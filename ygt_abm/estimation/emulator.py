"""An emulator of the particle model (docs/calibration.md, "An emulator of the particle model"): one Gaussian
process per statistic, fitted to the design's simulated particles (ygt_abm/estimation/design.py), on the
parameters' prior quantiles.

Each process has a Matérn 5/2 kernel with a length scale per parameter and a white-noise term: the noise is
one run's chance (its illnesses, choices and careers), the rest is the statistic's expected value, smooth in the
parameters. ABC-SMC calls the emulator as it would the particle model, and gets for each statistic a draw
from the process's predictive distribution of that expected value (its code uncertainty, without the run's
noise): a published band carries the uncertainty of the evaluation, not of a synthetic county's chance. The
draws come from NumPy's global generator, which the estimation seeds per generation, so an emulated
estimation is reproducible.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ygt_abm.estimation.design import to_unit

#: restarts of each process's hyperparameter optimisation (seeded), beyond the first from the initial values
RESTARTS = 2
#: cross-validation folds of the emulator's check
FOLDS = 5


def _process(seed: int):
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * Matern(length_scale=0.5, length_scale_bounds=(1e-2, 1e2), nu=2.5)
              + WhiteKernel(0.1, (1e-6, 1e1)))
    return GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=RESTARTS, random_state=seed)


class Emulator:
    """Parameter values → a draw of each statistic's expected value (the module docstring)."""

    def __init__(self, priors: Mapping[str, tuple[float, float, bool]], keys: Sequence[str]) -> None:
        self.priors = dict(priors)
        self.keys = list(keys)
        self.processes: dict[str, object] = {}
        self.constant: dict[str, float] = {}  # a statistic every design point gave the same value

    def unit(self, values: pd.DataFrame | Mapping[str, float]) -> np.ndarray:
        """The prior quantiles of parameter values (one row a parameter set)."""
        if isinstance(values, Mapping):  # one parameter set, as ABC-SMC asks: no frame to build
            return np.array([[to_unit(np.array([values[name]]), *self.priors[name])[0] for name in self.priors]])
        return np.column_stack([to_unit(values[name].to_numpy(float), *self.priors[name]) for name in self.priors])

    def fit(self, design: pd.DataFrame, seed: int = 0) -> "Emulator":
        """Fit a process per statistic to the design's rows where the statistic was measured (finite)."""
        x = self.unit(design)
        for i, key in enumerate(self.keys):
            y = design[key].to_numpy(float) if key in design else np.full(len(design), np.nan)
            finite = np.isfinite(y)
            if finite.sum() < 2 or np.ptp(y[finite]) == 0:
                self.constant[key] = float(y[finite][0]) if finite.any() else math.nan
                continue
            process = _process(seed + i)
            with warnings.catch_warnings():  # a bound reached is reported by the check, not as a warning
                warnings.simplefilter("ignore")
                process.fit(x[finite], y[finite])
            self.processes[key] = process
        return self

    def predict(self, values: pd.DataFrame | Mapping[str, float], noise: bool = False
                ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per statistic, the predictive mean and sd at each parameter set: of the expected value, or with
        ``noise`` of one run's value. The process's own formulas with its fitted kernel, without
        scikit-learn's per-call checks, which cost more than the arithmetic for the one point ABC-SMC asks
        about (``test_the_predictions_are_scikit_learns``)."""
        from scipy.linalg import solve_triangular
        from scipy.spatial.distance import cdist

        x = self.unit(values)
        found = {}
        for key in self.keys:
            if key in self.constant:
                found[key] = (np.full(len(x), self.constant[key]), np.zeros(len(x)))
                continue
            process = self.processes[key]
            scale = process.kernel_.k1.k1.constant_value
            length = process.kernel_.k1.k2.length_scale
            r = math.sqrt(5) * cdist(x / length, process.X_train_ / length)
            k = scale * (1 + r + r**2 / 3) * np.exp(-r)  # Matérn 5/2
            y_mean = float(np.atleast_1d(process._y_train_mean)[0])
            y_sd = float(np.atleast_1d(process._y_train_std)[0])
            mean = k @ np.ravel(process.alpha_) * y_sd + y_mean
            v = solve_triangular(process.L_, k.T, lower=True, check_finite=False)
            variance = np.maximum(scale - np.einsum("ij,ij->j", v, v), 0.0)
            if noise:
                variance = variance + process.kernel_.k2.noise_level
            found[key] = (mean, np.sqrt(variance) * y_sd)
        return found

    def noise_sd(self, key: str) -> float:
        """One run's noise sd the process found for ``key`` (0 for a constant statistic)."""
        if key in self.constant:
            return 0.0
        process = self.processes[key]
        return float(math.sqrt(process.kernel_.k2.noise_level) * np.atleast_1d(process._y_train_std)[0])

    def __call__(self, parameters: Mapping[str, float]) -> dict[str, float]:
        values = {name: float(parameters[name]) for name in self.priors}
        return {key: float(mean[0] + sd[0] * np.random.standard_normal())
                for key, (mean, sd) in self.predict(values).items()}


def cross_validation(emulator: Emulator, design: pd.DataFrame, seed: int, folds: int = FOLDS) -> pd.DataFrame:
    """How well the emulator predicts design points it was not fitted to: ``folds``-fold, each fold predicted
    by processes with the fitted hyperparameters refitted to the other folds. Per statistic: points, the
    share of the simulated variance the predictions explain (R²), the run noise's sd, and the share of left-out
    points within the 90% predictive interval of one run (about 0.9 for an honest emulator)."""
    from sklearn.base import clone

    x = emulator.unit(design)
    fold = np.random.default_rng(seed).permutation(len(design)) % folds
    rows = []
    for key in emulator.keys:
        y = design[key].to_numpy(float) if key in design else np.full(len(design), np.nan)
        finite = np.isfinite(y)
        row = {"statistic": key, "points": int(finite.sum()), "r2": math.nan, "noise_sd": emulator.noise_sd(key),
               "within_90": math.nan}
        if key in emulator.processes:
            predicted, sd = np.full(len(y), np.nan), np.full(len(y), np.nan)
            for k in range(folds):
                train, test = finite & (fold != k), finite & (fold == k)
                if train.sum() < 2 or not test.any():
                    continue
                process = clone(emulator.processes[key]).set_params(kernel=emulator.processes[key].kernel_,
                                                                    optimizer=None)
                process.fit(x[train], y[train])
                predicted[test], sd[test] = process.predict(x[test], return_std=True)
            ok = finite & np.isfinite(predicted)
            residual = y[ok] - predicted[ok]
            total = np.sum((y[ok] - y[ok].mean()) ** 2)
            row["r2"] = float(1 - np.sum(residual**2) / total) if total > 0 else math.nan
            row["within_90"] = float(np.mean(np.abs(residual) <= 1.645 * sd[ok]))
        rows.append(row)
    return pd.DataFrame(rows)
