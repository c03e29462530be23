"""A package experiment end to end: paired differences, backflow, decomposition and attainment tables."""


import pandas as pd
import pytest

from ygt_abm.analysis.backflow import compare_episodes
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.runner import run_experiment
from ygt_abm.report import write_reports

PACKAGE = """\
name: tiny-package
title: Tiny
document: none
base_year: 2030
interventions:
  - type: reimbursement_gap
    outpatient_change: {township: 0.2, county: -0.2}
    source: test §1
  - type: reserved_referral_slots
    share: 0.3
    source: test §2
targets:
  - {indicator: primary_care_visit_share, value: 0.5, year: 2031, clause: "§0"}
  - {indicator: in_county_visit_rate, value: 0.99, year: 2040, clause: "§0"}
"""

EXPERIMENT = """\
name: tiny-policy
seed: 3
replicates: 3
years: 2
warmup_years: 0
record_episodes: true
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: reform
    policy: tiny-package.yaml
    decompose: true
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    (root / "tiny-package.yaml").write_text(PACKAGE)
    (root / "exp.yaml").write_text(EXPERIMENT)
    resolved = load_runnable_experiment(root / "exp.yaml")
    kpis = run_experiment(resolved, root / "out")
    write_reports(resolved, root / "out", kpis, figure=False)
    return resolved, root / "out"


def test_decompose_expands_each_lever_removed_and_alone(report):
    resolved, _ = report
    assert resolved.scenario_names == [
        "baseline", "reform",
        "reform--without-reimbursement_gap", "reform--without-reserved_referral_slots",
        "reform--only-reimbursement_gap", "reform--only-reserved_referral_slots"]
    assert [e["type"] for e in resolved.interventions["reform--only-reserved_referral_slots"]] == \
        ["reserved_referral_slots"]


def test_backflow_counts_episodes_whose_chosen_level_moved_down(report):
    _, out = report
    backflow = pd.read_csv(out / "backflow.csv")
    assert set(backflow["scenario"]) == {"reform"}
    down = backflow[backflow["measure"] == "moved_down"]["value"].sum()
    up = backflow[backflow["measure"] == "moved_up"]["value"].sum()
    assert down > up > 0  # cheaper township, dearer county: more episodes move down than up


def test_the_decomposition_table_has_each_levers_alone_and_contribution(report):
    _, out = report
    table = pd.read_csv(out / "decomposition.csv")
    assert set(table["lever"]) == {"reimbursement_gap", "reserved_referral_slots"}
    share = table[(table["metric"] == "primary_care_visit_share") & (table["year"] == 2)].set_index("lever")
    assert share.loc["reimbursement_gap", "alone_mean"] > share.loc["reserved_referral_slots", "alone_mean"]
    assert {"alone_ci_low", "contribution_mean", "package_mean"} <= set(table.columns)


def test_attainment_gives_a_probability_and_flags_years_outside_the_run(report):
    _, out = report
    table = pd.read_csv(out / "attainment.csv").set_index("indicator")
    assert 0.0 <= table.loc["primary_care_visit_share", "probability"] <= 1.0
    assert table.loc["primary_care_visit_share", "simulated_year"] == 2
    assert table.loc["in_county_visit_rate", "status"] == "outside the simulated years"


def test_compare_episodes_requires_shared_onsets():
    a = pd.DataFrame({"year": [1, 1, 1], "first_level": [2, 1, 8]})
    b = pd.DataFrame({"year": [1, 1, 1], "first_level": [1, 1, 1]})
    counts = compare_episodes(b, a).iloc[0]
    assert (counts["moved_down"], counts["same_level"], counts["into_care"]) == (1, 1, 1)
    with pytest.raises(ValueError, match="share their onsets"):
        compare_episodes(b.iloc[:2], a)


def test_every_figure_of_the_tables_is_drawn_in_every_format_the_same_each_time(report, tmp_path):
    from ygt_abm.figures.results import plot_results

    resolved, out = report
    first = plot_results(resolved, out, formats=("png", "pdf", "svg"))
    names = {p.stem for p in first}
    assert names == {"main_indicators", "paired_differences", "backflow", "decomposition", "attainment"}
    assert len(first) == 15
    before = {p: p.read_bytes() for p in first}
    plot_results(resolved, out, formats=("png", "pdf", "svg"))
    assert all(p.read_bytes() == content for p, content in before.items())


def test_a_single_reform_is_drawn_in_calendar_years_with_its_targets_where_they_are_due(report):
    import pandas as pd

    from ygt_abm.figures.indicators import main_indicators_figure

    resolved, out = report
    kpis = pd.read_parquet(out / "kpis.parquet")
    packages = {name: resolved.package(name) for name in resolved.scenario_names}
    fig = main_indicators_figure(kpis[kpis["scenario"].isin(["baseline", "reform"])], packages)
    first = fig.axes[0]  # primary_care_visit_share: target 0.5 by 2031 (simulated year 2 of base year 2030)
    assert first.get_xlabel() == "year"
    stars = [line for line in first.get_lines() if line.get_marker() == "*"]
    assert [(list(s.get_xdata()), list(s.get_ydata())) for s in stars] == [([2031], [0.5])]
    years = sorted({x for line in first.get_lines() if line.get_marker() == "o" for x in line.get_xdata()})
    assert years == [2030, 2031]
