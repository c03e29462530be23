"""An ensemble's parameter sets summarised (``analysis/ensemble.py``): each parameter's default, and the median
and 90% range of the members' values, in the members' order."""

import numpy as np
import pytest

from ygt_abm.analysis.ensemble import default_value, ensemble_summary
from ygt_abm.config.design import Point
from ygt_abm.config.loading import DEFAULTS


def test_each_parameter_has_its_default_median_and_range_over_the_members():
    members = [Point(f"e{i:04d}", {"providers.adjustment_rate": rate, "finance.inpatient_in_catalogue_share": 0.95})
               for i, rate in enumerate(np.linspace(0.3, 0.7, 21))]
    summary = ensemble_summary(members)
    assert list(summary["parameter"]) == ["providers.adjustment_rate", "finance.inpatient_in_catalogue_share"]
    assert list(summary["part"]) == ["providers", "finance"]
    rate = summary.iloc[0]
    assert rate["default"] == DEFAULTS["providers"]["adjustment_rate"]
    assert rate["median"] == pytest.approx(0.5)
    assert (rate["q05"], rate["q95"]) == pytest.approx((0.32, 0.68))
    assert rate["members"] == 21
    assert summary.iloc[1][["median", "q05", "q95"]].tolist() == pytest.approx([0.95] * 3)


def test_a_parameter_only_some_members_set_counts_only_those():
    members = [Point("e0000", {"providers.response_shape": 1.0}),
               Point("e0001", {"providers.response_shape": 3.0, "providers.intensity_harm": 5.0})]
    summary = ensemble_summary(members).set_index("parameter")
    assert summary.loc["providers.intensity_harm", "members"] == 1
    assert summary.loc["providers.response_shape", "median"] == 2.0


def test_a_nested_default_is_read_by_its_dotted_name():
    assert default_value("choice.serious.level_constant.township") == \
        DEFAULTS["choice"]["serious"]["level_constant"]["township"]
