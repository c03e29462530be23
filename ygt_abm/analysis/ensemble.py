"""An ensemble's parameter sets summarised: for every parameter the ensemble varies, its default and the median
and 90% range of its values over the members. For the joint posterior (docs/calibration.md, "The joint
posterior") the range is over the shipped draws, not the weighted particles the estimation's own table uses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.config.design import Point, value_at
from ygt_abm.config.loading import DEFAULTS

#: the quantiles of the range a member's value falls in 90% of the time
LOW_Q, HIGH_Q = 0.05, 0.95


def default_value(parameter: str) -> float:
    """The shipped default of a dotted model parameter (``providers.response_shape``)."""
    return float(value_at(DEFAULTS, parameter))


def ensemble_summary(members: list[Point]) -> pd.DataFrame:
    """One row per parameter the members set, in their order: ``part`` (the parameters' group: providers,
    choice, finance…), ``parameter``, ``default``, ``median``, ``q05``, ``q95`` and ``members``."""
    names = list(dict.fromkeys(name for member in members for name in member.values))
    rows = []
    for name in names:
        values = np.array([float(m.values[name]) for m in members if name in m.values])
        rows.append({"part": name.split(".")[0], "parameter": name, "default": default_value(name),
                     "median": float(np.median(values)), "q05": float(np.quantile(values, LOW_Q)),
                     "q95": float(np.quantile(values, HIGH_Q)), "members": len(values)})
    return pd.DataFrame(rows, columns=["part", "parameter", "default", "median", "q05", "q95", "members"])
