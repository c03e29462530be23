import numpy as np
import pytest

from ygt_abm.config.params import IllnessParams
from ygt_abm.processes.onset import draw_onsets, draw_severity, weekly_onset_table


def test_weekly_onsets_match_the_age_specific_incidence():
    params = IllnessParams()
    table = weekly_onset_table(params)
    rng = np.random.default_rng(4)
    group = np.repeat(np.arange(8), 20_000).astype(np.int8)  # every band × chronic group
    members = [np.flatnonzero(group == g).astype(np.int32) for g in range(8)]
    counts = np.zeros((8, 4))
    weeks = 20
    for _ in range(weeks):
        res, kind = draw_onsets(members, table, rng)
        assert (np.diff(res) > 0).all()  # resident order, at most one episode a resident
        np.add.at(counts, (group[res], kind), 1)
    observed_yearly = counts / 20_000 / weeks * 52
    expected = np.diff(np.column_stack([np.zeros(8), table]), axis=1) * 52
    assert observed_yearly == pytest.approx(expected, rel=0.08, abs=0.02)
    assert (observed_yearly[0::2, 1] == 0).all()  # no chronic follow-ups without a chronic condition


def test_severity_lies_in_the_unit_interval_and_serious_is_more_severe():
    kind = np.repeat(np.arange(4), 5000).astype(np.int8)
    sev = draw_severity(kind, IllnessParams(), np.random.default_rng(0))
    assert ((sev > 0) & (sev < 1)).all()
    assert sev[kind == 2].mean() > sev[kind == 0].mean()


def test_impossible_incidence_is_rejected():
    with pytest.raises(ValueError, match="too high"):
        weekly_onset_table(IllnessParams(chronic_followups_per_year=52))
