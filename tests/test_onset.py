import numpy as np
import pytest
from scipy import stats
from scipy.special import betaincinv

from ygt_abm.config.params import IllnessParams
from ygt_abm.streams import Streams
from ygt_abm.state.episodes import splitmix64
from ygt_abm.processes.onset import (
    EXACT_TAIL_CELLS, SEVERITY_CELLS, draw_onsets, onset_bounds, draw_severity, interpolated_quantiles, severity_quantiles,
    weekly_onset_table,
)


def test_weekly_onsets_match_the_age_specific_incidence():
    params = IllnessParams()
    table = weekly_onset_table(params)
    streams = Streams(4)
    group = np.tile(np.arange(8), 20_000).astype(np.int8)  # every band × chronic group, interleaved
    counts = np.zeros((8, 4))
    weeks = 20
    for week in range(weeks):
        res, kind = draw_onsets(np.uint64(streams.key("onset", week)), group, onset_bounds(table))
        assert (np.diff(res) > 0).all()  # resident order, at most one episode a resident
        np.add.at(counts, (group[res], kind), 1)
    observed_yearly = counts / 20_000 / weeks * 52
    expected = np.diff(np.column_stack([np.zeros(8), table]), axis=1) * 52
    assert observed_yearly == pytest.approx(expected, rel=0.08, abs=0.02)
    assert (observed_yearly[0::2, 1] == 0).all()  # no chronic follow-ups without a chronic condition


def test_an_onset_is_the_resident_s_own_uniform_against_its_group_s_probabilities():
    """The same resident falls ill in the same week whoever else is in the county (common random numbers)."""
    table = weekly_onset_table(IllnessParams())
    key = np.uint64(Streams(2).key("onset", 7))
    group = np.random.default_rng(0).integers(0, 8, 50_000).astype(np.int8)
    res, kind = draw_onsets(key, group, onset_bounds(table))
    fewer, fewer_kind = draw_onsets(key, group[:25_000], onset_bounds(table))
    assert (fewer == res[res < 25_000]).all() and (fewer_kind == kind[res < 25_000]).all()
    u = (np.array([splitmix64(key, np.uint64(i)) for i in res[:200]], dtype=np.uint64) >> np.uint64(11)) / 2.0**53
    expected = [np.searchsorted(table[g], x, side="right") for g, x in zip(group[res[:200]], u)]
    assert (kind[:200] == expected).all()


def test_severity_lies_in_the_unit_interval_and_serious_is_more_severe():
    kind = np.repeat(np.arange(4), 5000).astype(np.int8)
    sev = draw_severity(kind, IllnessParams(), np.random.default_rng(0))
    assert ((sev > 0) & (sev < 1)).all()
    assert sev[kind == 2].mean() > sev[kind == 0].mean()


def test_impossible_incidence_is_rejected():
    with pytest.raises(ValueError, match="too high"):
        weekly_onset_table(IllnessParams(chronic_followups_per_year=52))


@pytest.mark.parametrize("episode_type", range(4))
def test_severity_follows_each_type_s_beta_distribution(episode_type):
    params = IllnessParams()
    a, b = params.severity_alpha.array()[episode_type], params.severity_beta.array()[episode_type]
    sev = draw_severity(np.full(400_000, episode_type, dtype=np.int8), params, np.random.default_rng(episode_type))
    assert stats.kstest(sev.astype(np.float64), stats.beta(a, b).cdf).pvalue > 0.001
    assert sev.mean() == pytest.approx(a / (a + b), abs=0.002)


def test_the_severity_table_is_within_2e_5_of_the_exact_quantiles_where_it_interpolates():
    params = IllnessParams()
    alpha, beta = params.severity_alpha.array(), params.severity_beta.array()
    table = severity_quantiles(tuple(alpha), tuple(beta))
    u = np.linspace(EXACT_TAIL_CELLS / SEVERITY_CELLS, 1 - EXACT_TAIL_CELLS / SEVERITY_CELLS, 200_001)
    for t in range(4):
        interpolated = interpolated_quantiles(table, np.full(len(u), t, dtype=np.int8), u)
        assert np.abs(interpolated - betaincinv(alpha[t], beta[t], u)).max() < 2e-5


def test_severity_in_the_tails_is_the_exact_quantile():
    params = IllnessParams()
    rng = np.random.default_rng(9)
    kind = np.zeros(2_000_000, dtype=np.int8)
    sev = draw_severity(kind, params, rng)
    u = np.random.default_rng(9).random(len(kind))
    tail = (u < EXACT_TAIL_CELLS / SEVERITY_CELLS) | (u >= 1 - EXACT_TAIL_CELLS / SEVERITY_CELLS)
    exact = betaincinv(params.severity_alpha.array()[0], params.severity_beta.array()[0], u[tail])
    assert tail.sum() > 1000 and (sev[tail] == exact.astype(np.float32)).all()
