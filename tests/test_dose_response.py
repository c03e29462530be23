"""Dose–response: the slope of a package's effect per unit of the one lever strength a sweep varies."""

import numpy as np
import pandas as pd
import pytest

from ygt_abm.analysis.dose_response import dose_response_table, swept_lever


def _kpis(slope: float, noise: float = 0.0) -> pd.DataFrame:
    """Two scenarios, three doses, three replicates: the reform's effect is ``slope`` × dose plus a replicate's
    luck that both scenarios share (common random numbers) and ``noise`` of its own."""
    rows, doses = [], {"g0000": 1.0, "g0001": 2.0, "g0002": 3.0}
    rng = np.random.default_rng(1)
    for replicate in range(3):
        luck = rng.normal()
        for point, dose in doses.items():
            base = 0.5 + luck
            rows.append(("baseline", point, replicate, "c", 1, "share", base))
            rows.append(("reform", point, replicate, "c", 1, "share", base + slope * dose + noise * rng.normal()))
    return pd.DataFrame(rows, columns=["scenario", "point", "replicate", "county", "year", "metric", "value"]), doses


def test_the_slope_is_the_effect_per_unit_and_shared_luck_cancels():
    kpis, doses = _kpis(0.02)
    row = dose_response_table(kpis, doses, "baseline", "levers.doctor_dispatch.doctors_per_township").iloc[0]
    assert row["scenario"] == "reform" and row["replicates"] == 3
    assert row["slope"] == pytest.approx(0.02) and row["slope_sd"] == pytest.approx(0.0, abs=1e-12)
    assert row["effect_low"] == pytest.approx(0.02) and row["effect_high"] == pytest.approx(0.06)
    assert (row["dose_low"], row["dose_high"]) == (1.0, 3.0)


def test_a_noisy_dose_response_gets_an_interval_around_its_slope():
    kpis, doses = _kpis(0.02, noise=0.01)
    row = dose_response_table(kpis, doses, "baseline", "lever_quantile.reimbursement_gap").iloc[0]
    assert row["slope_low"] < row["slope"] < row["slope_high"]
    assert row["slope_low"] < 0.02 < row["slope_high"]


@pytest.mark.parametrize("sweep, lever", [
    ({"levers.doctor_dispatch.doctors_per_township": [1, 2, 3]}, "levers.doctor_dispatch.doctors_per_township"),
    ({"lever_quantile.reimbursement_gap": [0.0, 1.0]}, "lever_quantile.reimbursement_gap"),
    ({"care.usual_provider_switch": [0.1, 0.2]}, None),  # a model parameter, not a lever
    ({"levers.doctor_dispatch.doctors_per_township": [1, 2], "lever_quantile.reimbursement_gap": [0, 1]}, None),
    ({"levers.doctor_dispatch.doctors_per_township": [2]}, None),  # one dose: no slope
    ({"levers.doctor_dispatch.year_round": [True, False]}, None),
])
def test_only_a_sweep_of_one_lever_strength_over_numbers_has_a_dose_response(sweep, lever):
    assert swept_lever(sweep) == lever
