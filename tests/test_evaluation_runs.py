"""`ygt-abm evaluations`: each outcome's simulated effect measured as evaluations.yaml defines it (on
hand-made tables), the experiments built from an evaluation, and the command end to end on tiny counties:
its table, Markdown and forest plot, the training set run without reading a held-out entry, a resumed run,
and bad arguments."""

import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ygt_abm.analysis.evaluations import (
    Effect, compare, evaluation_rows, evaluation_table, evaluations_markdown, expected_sign, outcome_effect,
    set_summary,
)
from ygt_abm.cli import app
from ygt_abm.config.evaluations import Evaluation, Outcome
from ygt_abm.experiment.evaluation_experiments import arm_names, batch_experiment, batches, evaluation_seed, prepare
from ygt_abm.figures.evaluations import evaluations_figure, row_scale
from ygt_abm.figures.save import FORMATS, save_figure

runner = CliRunner()


def outcome(**fields) -> Outcome:
    return Outcome(**{"indicator": "visits_per_capita", "effect": "difference", "years": [1], "band": [0, None],
                      "band_basis": "sign", "source": "abstract", **fields})


def kpis(values: dict[tuple[str, str], list[float]], replicates: int = 3, counties: tuple[str, ...] = ("C",),
         ) -> pd.DataFrame:
    """Runs of (scenario, metric) → value by year (from 1); replicate r adds r (the same in both arms:
    common random numbers), county k adds 10·k."""
    rows = []
    for (scenario, metric), by_year in values.items():
        for r in range(replicates):
            for k, county in enumerate(counties):
                for year, value in enumerate(by_year, start=1):
                    rows.append({"scenario": scenario, "point": "base", "replicate": r, "county": county,
                                 "year": year, "metric": metric, "value": value + r + 10 * k})
    return pd.DataFrame(rows)


# ── the effect, on hand-made tables ──

def test_a_relative_effect_is_paired_by_replicate():
    data = kpis({("control", "visits_per_capita"): [10.0], ("treated", "visits_per_capita"): [12.0]})
    effect = outcome_effect(data, outcome(effect="relative"))
    # replicate r: (12 + r − 10 − r) ÷ (10 + r) = 0.2, 0.1818…, 0.1667
    assert effect.mean == pytest.approx((0.2 + 2 / 11 + 2 / 12) / 3) and effect.replicates == 3
    assert effect.ci_low < effect.mean < effect.ci_high
    difference = outcome_effect(data, outcome())
    assert difference == Effect(2.0, 2.0, 2.0, 3)  # paired: the replicates' common shift cancels exactly


def test_a_sum_of_indicators_and_years_averaged():
    data = kpis({("control", "a"): [1.0, 1.0, 100.0], ("control", "b"): [2.0, 2.0, 100.0],
                 ("treated", "a"): [2.0, 4.0, -100.0], ("treated", "b"): [2.0, 2.0, -100.0]})
    effect = outcome_effect(data, outcome(indicator=["visits_per_capita_village", "visits_per_capita_township"],
                                          years=[1, 2]).model_copy(update={"indicator": ["a", "b"]}))
    assert effect.mean == pytest.approx(2.0)  # year 1: +1, year 2: +3; year 3 is not the outcome's


def test_a_share_of_a_sum_and_counties_averaged():
    share = outcome(indicator="admissions_per_capita_county",
                    of=["admissions_per_capita_township", "admissions_per_capita_county"])
    data = pd.concat([kpis({("control", "admissions_per_capita_county"): [1.0],
                            ("control", "admissions_per_capita_township"): [1.0],
                            ("treated", "admissions_per_capita_county"): [1.0],
                            ("treated", "admissions_per_capita_township"): [3.0]}, replicates=1)])
    data["value"] -= data["replicate"]
    assert outcome_effect(data, share).mean == pytest.approx(0.25 - 0.5)
    two = kpis({("control", "visits_per_capita"): [1.0], ("treated", "visits_per_capita"): [2.0]},
               replicates=2, counties=("A", "B"))
    assert outcome_effect(two, outcome(effect="relative")).mean == pytest.approx(
        ((2 + 12) / (1 + 11) - 1 + (3 + 13) / (2 + 12) - 1) / 2)  # each arm's counties averaged, then the change


def test_an_outcome_the_runs_do_not_record_is_refused():
    data = kpis({("control", "visits_per_capita"): [1.0], ("treated", "visits_per_capita"): [2.0]})
    with pytest.raises(ValueError, match="do not record"):
        outcome_effect(data, outcome(years=[2]))


def test_a_one_sided_band_judges_inside_sign_and_overlap():
    lower = outcome(band=[None, 0])  # published: a fall
    assert compare(lower, Effect(-0.3, -0.5, -0.1, 4))["inside_band"] is True
    rise = compare(lower, Effect(0.2, -0.1, 0.5, 4))
    assert rise["inside_band"] is False and rise["sign_right"] is False and rise["interval_overlaps_band"] is True
    far = compare(outcome(band=[0.2, 0.8], band_basis="factor_two", estimate=0.4), Effect(0.1, 0.05, 0.15, 4))
    assert far == {"mean": 0.1, "ci_low": 0.05, "ci_high": 0.15, "replicates": 4, "inside_band": False,
                   "sign_right": True, "interval_overlaps_band": False}


def test_the_expected_sign_is_the_bands_side_of_zero_else_the_estimates():
    assert expected_sign(outcome(band=[0, None])) == 1 and expected_sign(outcome(band=[None, 0])) == -1
    straddling = outcome(band=[-0.1, 0.5], band_basis="ci95", ci95=[-0.1, 0.5], estimate=0.2)
    assert expected_sign(straddling) == 1
    assert compare(straddling, Effect(0.0, -0.1, 0.1, 4))["sign_right"] is False  # no effect is no sign


def _evaluation(id_: str, set_: str, outcomes: list[Outcome], label: str = "", batch: int = 1) -> Evaluation:
    return Evaluation(id=id_, label=label, set=set_, batch=batch, family="global_budget", year=2020,
                      citation="Someone A (2020) A journal",
                      setting="a county", design="did", period={"pre": [2018, 2019], "post": [2020, 2021]},
                      treated={"interventions": [{"type": "global_budget", "source": "methods"}]},
                      outcomes=outcomes, not_expressible=[] if outcomes else ["a volume nobody counts"])


def test_the_table_counts_per_set_and_lists_evaluations_not_run():
    data = kpis({("control", "visits_per_capita"): [1.0], ("treated", "visits_per_capita"): [1.5]})
    rows = (evaluation_rows(_evaluation("a2020-x", "training", [outcome(), outcome(band=[None, 0])]), data)
            + evaluation_rows(_evaluation("b2020-y", "training", []), None)
            + evaluation_rows(_evaluation("c2020-z", "held-out", [outcome(band=[1, 4], band_basis="factor_two",
                                                                           estimate=2)]), data))
    table = evaluation_table(rows)
    assert table["status"].tolist() == ["simulated", "simulated", "not expressible", "simulated"]
    assert table["label"].tolist() == ["a2020-x", "a2020-x", "b2020-y", "c2020-z"]  # unnamed: the id
    assert "batch 2" not in set_summary(table)["set"].tolist()  # one batch: no row of its own
    later = evaluation_table(rows + evaluation_rows(_evaluation("d2021-w", "held-out", [outcome()], batch=2), data))
    batch_2 = set_summary(later).set_index("set").loc["batch 2"]
    assert batch_2["evaluations"] == 1 and batch_2["outcomes"] == 1 and batch_2["inside_band_of"] == 1
    assert set_summary(later).set_index("set").loc["held-out", "evaluations"] == 2  # the held-out set: both batches
    named = evaluation_rows(_evaluation("a2020-x", "training", [], label="Budget, a county (A 2020)"), None)
    assert named[0]["label"] == "Budget, a county (A 2020)" and named[0]["id"] == "a2020-x"
    summary = set_summary(table).set_index("set")
    assert summary.loc["training", "inside_band"] == 1 and summary.loc["training", "inside_band_of"] == 2
    assert summary.loc["training", "not_expressible"] == 1 and summary.loc["held-out", "sign_right_share"] == 1.0
    assert summary.loc["held-out", "inside_band_share"] == 0.0
    text = evaluations_markdown(table)
    assert "| training | 2 | 1 | 2 | 1/2 (50%) | 1/2 (50%) |" in text and "| 0.5 to 0.5 | 3 | ✓ | ✓ | ✓ |" in text
    assert "not expressible: a volume nobody counts" in text and "not run" in text
    with pytest.raises(ValueError, match="need its runs"):
        evaluation_rows(_evaluation("a2020-x", "training", [outcome()]), None)


def test_the_forest_plot_scales_each_row_and_is_the_same_bytes_twice(tmp_path):
    assert row_scale(pd.Series({"band_low": -0.2, "band_high": 0.05, "mean": 3.0, "ci_low": 2, "ci_high": 4})) == 0.2
    assert row_scale(pd.Series({"band_low": 0, "band_high": math.nan, "mean": -3.0, "ci_low": -5, "ci_high": -1})) == 5
    data = kpis({("control", "visits_per_capita"): [1.0], ("treated", "visits_per_capita"): [1.5]})
    table = evaluation_table(evaluation_rows(_evaluation("a2020-x", "training", [outcome()]), data)
                             + evaluation_rows(_evaluation("b2020-y", "held-out", []), None))
    first = save_figure(evaluations_figure(table), tmp_path / "a", FORMATS)
    second = save_figure(evaluations_figure(table), tmp_path / "b", FORMATS)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


# ── the experiments ──

def test_evaluations_of_one_setting_and_years_are_one_experiment_seeded_from_the_setting(tmp_path):
    assert evaluation_seed("a2020-x") == 5049180074932496223  # SHA-256, not Python's salted hash
    setting = {"finance": {"outpatient_fund_limit": 300}}
    a = _evaluation("a2020-x", "training", [outcome(years=[1, 3]), outcome()]).model_copy(update={"overrides": setting})
    c = _evaluation("c2020-z", "training", [outcome(years=[3])]).model_copy(update={"overrides": setting})
    d = _evaluation("d2020-w", "training", [outcome(years=[2])]).model_copy(update={"overrides": setting})
    e = _evaluation("e2020-v", "training", [outcome(years=[3])])
    groups = batches([a, _evaluation("b2020-y", "training", []), c, d, e])
    assert [[x.id for x in g.evaluations] for g in groups] == [["a2020-x", "c2020-z"], ["d2020-w"], ["e2020-v"]]
    assert groups[0].name.startswith("recorded-3-years-") and groups[2].name == "recorded-3-years"
    assert groups[0].seed() == groups[1].seed() != groups[2].seed()  # one setting, one set of random numbers
    assert groups[0].seed(7) != groups[0].seed()  # a particle's own
    data = batch_experiment(groups[0], population=60_000, replicates=3, warmup_years=2)
    assert (data["years"], data["warmup_years"], data["replicates"]) == (3, 2, 3)
    assert data["world"] == {"kind": "synthetic", "population": 60_000, "townships": 3}
    [(batch, resolved), *_] = prepare(tmp_path, [a, _evaluation("b2020-y", "training", []), c], 60_000, 3, 2)
    assert batch == groups[0] and arm_names(a) == ("a2020-x_control", "a2020-x_treated")
    assert batch.arm(3) == (c, "c2020-z_treated")  # scenarios[3]: the second evaluation's treated arm
    assert list(resolved.interventions) == ["a2020-x_control", "a2020-x_treated", "c2020-z_control", "c2020-z_treated"]
    assert resolved.interventions["a2020-x_control"] == []
    assert resolved.interventions["a2020-x_treated"][0]["type"] == "global_budget"
    assert resolved.parameters("a2020-x_treated").finance.outpatient_fund_limit == 300
    # so that every arm shares one warm-up
    assert all(resolved.parameters(arm) == resolved.parameters("a2020-x_control") for arm in resolved.interventions)
    assert [p.name for p in tmp_path.iterdir()] == [f"{batch.name}.yaml"]  # b2020-y: nothing to measure, nothing to run


# ── the command, end to end on tiny counties ──

ENTRY = """
  - id: {id}
    set: {set}
    family: {family}
    year: {year}
    citation: Someone A ({year}) A journal 1:1
    setting: a county
    design: did
    period: {{pre: [2018, 2019], post: [2020, 2021]}}
    treated:
      interventions:
        - type: {type}
          source: a study's methods{extra}
    outcomes:
      - indicator: [visits_per_capita_village, visits_per_capita_township]
        effect: relative
        years: [1]
        band: [0, null]
        band_basis: sign
        source: abstract
      - indicator: admissions_per_capita_county
        of: [admissions_per_capita_township, admissions_per_capita_county]
        effect: difference
        years: [1]
        band: [null, 0]
        band_basis: sign
        source: abstract
"""
NOTHING = """
  - id: c2019-z
    set: training
    family: other
    year: 2019
    citation: Someone C (2019) A journal 1:1
    setting: a county
    design: its
    period: {pre: [2018, 2019], post: [2020, 2021]}
    not_expressible: [a reform with no lever]
"""
TINY = ["--population", "3000", "--replicates", "2", "--warmup-years", "1", "--workers", "1"]


def _file(tmp_path, held_out_extra: str = "") -> str:
    path = tmp_path / "evaluations.yaml"
    path.write_text("evaluations:" + ENTRY.format(id="a2020-x", set="training", family="gatekeeping", year=2020,
                                                  type="gatekeeping", extra="\n          reimbursement_cut: 0.6")
                    + NOTHING + ENTRY.format(id="b2021-y", set="held-out", family="gatekeeping", year=2021,
                                             type="family_doctor_contracting",
                                             extra="\n          target: 0.5" + held_out_extra),
                    encoding="utf-8")
    return str(path)


def _run(*args: str):
    return runner.invoke(app, ["evaluations", *args, *TINY])


def test_the_command_writes_the_table_the_markdown_and_the_forest_plot(tmp_path):
    out = tmp_path / "out"
    result = _run("--file", _file(tmp_path), "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "evaluations.csv")
    assert table[["id", "set", "status"]].values.tolist() == [
        ["a2020-x", "training", "simulated"], ["a2020-x", "training", "simulated"],
        ["c2019-z", "training", "not expressible"],
        ["b2021-y", "held-out", "simulated"], ["b2021-y", "held-out", "simulated"]]
    simulated = table[table["status"] == "simulated"]
    assert (simulated["replicates"] == 2).all() and simulated["mean"].notna().all()
    assert simulated["inside_band"].tolist() == [m > 0 if i % 2 == 0 else m <= 0
                                                 for i, m in enumerate(simulated["mean"])]
    text = (out / "evaluations.md").read_text(encoding="utf-8")
    assert "3,000 residents in 2 townships, 2 replicates, 1 warm-up years" in text
    assert "| training | 2 | 1 | 2 |" in text and "| held-out | 1 | 0 | 2 |" in text and "not run" in text
    assert all((out / f"evaluations.{fmt}").stat().st_size > 0 for fmt in FORMATS)
    assert {p.name for p in out.iterdir() if p.is_dir()} == {"recorded-1-years"}  # one setting, one year
    runs = pd.read_parquet(out / "recorded-1-years" / "runs.parquet")
    assert sorted(runs["scenario"].unique()) == ["a2020-x_control", "a2020-x_treated", "b2021-y_control",
                                                 "b2021-y_treated"]
    assert runs["forked"].all() and runs["warmup_runs"].eq(4).all()  # every arm forked from one warm-up
    controls = runs[runs["scenario"].str.endswith("_control")].groupby("replicate")["simulated_as"].nunique()
    assert controls.eq(1).all()  # both controls are the baseline: one simulation
    alone = _run("--file", _file(tmp_path), "--out", str(tmp_path / "alone"), "--only", "b2021-y")
    assert alone.exit_code == 0, alone.output  # an evaluation's effects do not depend on its batch's company
    assert pd.read_csv(tmp_path / "alone" / "evaluations.csv")["mean"].tolist() == simulated["mean"].tolist()[2:]


def test_the_training_set_never_reads_a_held_out_entry(tmp_path):
    # broken only when run: an intervention that starts after the one year the evaluation's experiment records
    path = _file(tmp_path, held_out_extra="\n          start_year: 9")
    out = tmp_path / "out"
    result = _run("--file", path, "--out", str(out), "--set", "training")
    assert result.exit_code == 0, result.output
    assert set(pd.read_csv(out / "evaluations.csv")["set"]) == {"training"}
    kept = pd.read_parquet(out / "recorded-1-years" / "runs.parquet")["scenario"]
    assert not kept.str.startswith("b2021-y").any()
    broken = _run("--file", path, "--out", str(tmp_path / "other"), "--set", "held-out")
    assert broken.exit_code == 2 and "starts in year 9, after the last recorded year (1)" in broken.output
    assert f"{path}:" in broken.output and "as an experiment: " in broken.output  # the entry, not an unwritten file
    assert not (tmp_path / "other").exists()  # found before --out is made


def test_a_resumed_run_reuses_the_finished_run_files(tmp_path):
    path, out = _file(tmp_path), tmp_path / "out"
    assert _run("--file", path, "--out", str(out), "--only", "a2020-x").exit_code == 0
    files = sorted((out / "recorded-1-years" / "runs").rglob("rep-*.parquet"))
    stamps = [p.stat().st_mtime_ns for p in files]
    table = (out / "evaluations.csv").read_bytes()
    assert len(files) == 4
    again = _run("--file", path, "--out", str(out), "--only", "a2020-x")
    assert again.exit_code == 0 and "[4/4 runs]" in again.output  # all four found finished at the start
    assert [p.stat().st_mtime_ns for p in files] == stamps
    assert (out / "evaluations.csv").read_bytes() == table


def test_over_an_ensemble_every_member_runs_and_effects_pair_member_and_replicate(tmp_path):
    """The posterior predictive: an estimation's draws as an ensemble, each member a point of every evaluation."""
    draws = tmp_path / "posterior.yaml"
    draws.write_text("ensemble:\n  - {providers: {redirect_harm_yuan: 500.0}}\n"
                     "  - {providers: {redirect_harm_yuan: 2500.0}}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = _run("--file", _file(tmp_path), "--out", str(out), "--only", "a2020-x", "--ensemble", str(draws))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "evaluations.csv")
    assert (table["replicates"] == 4).all()  # 2 members × 2 replicates, each pair on shared seeds
    runs = pd.read_parquet(out / "recorded-1-years" / "runs.parquet")
    assert sorted(runs["point"].unique()) == ["e0000", "e0001"]
    assert "over every member of posterior.yaml" in (out / "evaluations.md").read_text(encoding="utf-8")
    missing = _run("--file", _file(tmp_path), "--out", str(tmp_path / "other"), "--ensemble", "none.yaml")
    assert missing.exit_code == 2 and "--ensemble none.yaml: no such file" in missing.output


@pytest.mark.parametrize("args, message", [
    (["--set", "tested"], "--set tested: expected one of training, held-out, all"),
    (["--only", "a2020-z"], "--only a2020-z: no such evaluation in the all set"),
    (["--set", "training", "--only", "b2021-y"], "no such evaluation in the training set"),
    (["--replicates", "1"], "--replicates"),
    (["--file", "no-such-file.yaml"], "--file no-such-file.yaml: no such file"),
])
def test_bad_arguments_are_refused_with_exit_2(tmp_path, args, message):
    file = [] if "--file" in args else ["--file", _file(tmp_path)]
    result = runner.invoke(app, ["evaluations", *file, "--out", str(tmp_path / "out"), *TINY, *args])
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out" / "evaluations.csv").exists()


def test_validation_md_holds_the_measured_table_as_the_run_wrote_it():
    docs = Path(__file__).resolve().parents[1] / "docs"
    measured = sorted(docs.glob("measurements/evaluations-prior-*/evaluations.md")) + sorted(
        docs.glob("measurements/evaluations-posterior-*/evaluations.md"))
    assert measured, "no measured evaluations table"
    text = (docs / "validation.md").read_text(encoding="utf-8")
    for path in measured:
        body = path.read_text(encoding="utf-8").split("\n", 2)[2].strip()  # without its title
        assert body in text, f"docs/validation.md: paste {path.relative_to(docs)} again"
