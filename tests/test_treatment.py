"""Treatment: the chance that care succeeds."""

import numpy as np

from ygt_abm.processes.treatment import success_probability


def test_success_is_likelier_when_capability_exceeds_severity():
    p = success_probability(np.array([0.2, 0.5, 0.8]), np.array([0.5, 0.5, 0.5]), slope=10.0)
    assert p[0] < p[1] == 0.5 < p[2]
