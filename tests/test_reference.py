"""Differential test: the vectorised CountyModel against the per-agent ReferenceModel.

Both run the same small world for 26 weeks (before any year end, so doctors' careers play no part),
each with its own replicates. For every compared quantity a Welch two-sample t-test must not reject
equality at a Bonferroni-corrected level. The test has power: the same comparison must reject when one
parameter is changed in only one of the two models.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.config.experiment import deep_merge
from ygt_abm.model import CountyModel
from ygt_abm.reference import UNMET, ReferenceModel
from ygt_abm.world import build_world

WEEKS = 26
REPLICATES = 10
METRICS = ("visit_share_village", "visit_share_township", "visit_share_county", "visit_share_city",
           "admissions_per_capita", "formal_referrals_up_per_capita", "all_moves_up_per_capita",
           "fund_spending_per_capita")
ALPHA = 0.01 / len(METRICS)  # family-wise 1% per comparison


@pytest.fixture(scope="module")
def world():
    return build_world(SyntheticWorld(population=4000, townships=2), seed=7)


def _params(**overrides) -> ModelParameters:
    return ModelParameters.model_validate(deep_merge(ModelParameters().model_dump(), overrides))


def _outcome(model) -> np.ndarray:
    c, n = model.counters, model.population.size
    visits = c.visits.sum(axis=0)
    return np.r_[visits / visits.sum(), c.admissions.sum() / n, c.referrals_up.sum() / n,
                 (c.referrals_up.sum() + c.self_referrals_up.sum()) / n, model.fund.spending.sum() / n]


def _replicates(model_class, world, params: ModelParameters) -> np.ndarray:
    rows = []
    for seed in range(1, REPLICATES + 1):
        model = model_class(world, params, seed=seed)
        for _ in range(WEEKS):
            model.step()
        rows.append(_outcome(model))
    return np.array(rows)


def _p_values(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    return dict(zip(METRICS, stats.ttest_ind(a, b, equal_var=False).pvalue))


@pytest.fixture(scope="module")
def reference_runs(world):
    return _replicates(ReferenceModel, world, ModelParameters())


@pytest.fixture(scope="module")
def vectorised_runs(world):
    return _replicates(CountyModel, world, ModelParameters())


def test_vectorised_and_reference_models_are_statistically_indistinguishable(reference_runs, vectorised_runs):
    p = _p_values(vectorised_runs, reference_runs)
    means = {m: (round(v, 4), round(r, 4)) for m, v, r in
             zip(METRICS, vectorised_runs.mean(0), reference_runs.mean(0))}
    assert min(p.values()) > ALPHA, f"p-values {p}; means (vectorised, reference) {means}"


@pytest.mark.parametrize("changed, overrides", [
    ("vectorised", {"care": {"capability_minor": {"village": 0.3, "township": 0.4}}}),
    ("vectorised", {"finance": {"outpatient_reimbursement": {"county": 0.5}}}),
    ("vectorised", {"care": {"max_rounds": 2}}),
    ("reference", {"choice": {"minor": {"level_constant": {"city": 3.371}}}}),  # +0.3 on the calibrated value
])
def test_a_parameter_changed_in_one_model_only_is_detected(world, reference_runs, vectorised_runs, changed,
                                                           overrides):
    if changed == "vectorised":
        a, b = _replicates(CountyModel, world, _params(**overrides)), reference_runs
    else:
        a, b = vectorised_runs, _replicates(ReferenceModel, world, _params(**overrides))
    p = _p_values(a, b)
    assert min(p.values()) < ALPHA, p


def test_reference_keeps_the_accounting_and_capacity_rules(world):
    scarce = _params(facilities={"county_beds_per_1000": 0.5, "township_beds": 1.0,
                                 "visits_per_doctor_week": {"village": 3, "township": 4, "county": 4, "city": 5}},
                     workforce={"city_doctors": 2.0})
    model = ReferenceModel(world, scarce, seed=3)
    fac = model.facilities
    for _ in range(3):
        model.step()
        assert all(r >= 0 for r in model.remaining[0]) and all(r >= 0 for r in model.remaining[1])
        assert (np.array(model.remaining[1]) <= fac.admission_capacity).all()
    c = model.counters
    assert c.episodes.sum() == c.outcomes.sum() > 0
    assert c.outcomes[:, UNMET].sum() > 0  # rationing turned people away
    served = c.visits.sum() + c.admissions.sum()
    assert served <= 3 * (fac.outpatient_capacity.sum() + np.floor(fac.admission_capacity).sum())


def test_reference_is_reproducible_and_writes_yearly_indicators():
    world = build_world(SyntheticWorld(population=600, townships=1, villages_per_township=(4, 4)), seed=2)
    a, b = ReferenceModel(world, seed=5), ReferenceModel(world, seed=5)
    for _ in range(52):
        a.step()
        b.step()
    np.testing.assert_array_equal([r["value"] for r in a.records], [r["value"] for r in b.records])
    metrics = {r["metric"] for r in a.records}
    assert {"primary_care_visit_share", "in_county_visit_rate", "referrals_up", "fund_balance_per_capita"} <= metrics
    assert {r["year"] for r in a.records} == {1}
    assert a.counters.visits.sum() == 0  # counters start afresh after the year end
