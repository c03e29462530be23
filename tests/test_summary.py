import numpy as np
import pandas as pd
import pytest

from ygt_abm.analysis.summary import effects_beside_baseline, paired_differences, summarize, t_quantile


def _kpis() -> pd.DataFrame:
    rows = []
    for scenario, shift in (("baseline", 0.0), ("reform", 0.1)):
        for r, noise in enumerate((0.0, 0.02, -0.02, 0.04)):
            rows.append({"scenario": scenario, "point": "base", "replicate": r, "county": "C", "year": 1,
                         "metric": "primary_care_visit_share", "value": 0.5 + noise + shift})
    return pd.DataFrame(rows)


def test_summary_gives_mean_and_t_interval():
    s = summarize(_kpis()).set_index("scenario")
    assert s.loc["baseline", "mean"] == pytest.approx(0.51)
    sd = np.std([0.0, 0.02, -0.02, 0.04], ddof=1)
    assert s.loc["baseline", "ci_high"] - s.loc["baseline", "mean"] == pytest.approx(3.1824 * sd / 2, rel=1e-4)


def test_paired_differences_remove_the_shared_noise():
    d = paired_differences(_kpis(), "baseline")
    assert d["scenario"].tolist() == ["reform"] and d["reference"].tolist() == ["baseline"]
    assert d["mean"].iloc[0] == pytest.approx(0.1)
    assert d["ci_high"].iloc[0] - d["ci_low"].iloc[0] == pytest.approx(0.0, abs=1e-12)  # same seeds, same noise


def test_t_quantiles_are_students():
    assert t_quantile(1) == pytest.approx(12.706, abs=1e-3) and t_quantile(19) == pytest.approx(2.093, abs=1e-3)
    assert t_quantile(10_000) == pytest.approx(1.960, abs=1e-3)
    assert np.isnan(t_quantile(0))


def test_effects_stand_beside_the_baseline_level_of_the_last_year():
    kpis = _kpis()
    spending = kpis.assign(metric="fund_spending_per_enrollee", value=kpis["value"] * 2000)
    kpis = pd.concat([kpis, spending, kpis.assign(year=0, value=kpis["value"] * 9)])
    effects = effects_beside_baseline(paired_differences(kpis, "baseline"), summarize(kpis),
                                      ("fund_spending_per_enrollee",))
    assert effects[["scenario", "metric", "year"]].values.tolist() == [["reform", "fund_spending_per_enrollee", 1]]
    row = effects.iloc[0]
    assert row["baseline"] == pytest.approx(1020) and row["mean"] == pytest.approx(200)  # year 0 left out
    assert row["relative_mean"] == pytest.approx(200 / 1020)
