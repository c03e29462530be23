"""The ygt-abm command: run writes tidy results reproducibly; bad configs exit 2 and write nothing."""

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ygt_abm.cli import app
from ygt_abm.interventions import REGISTRY

TINY = """\
name: tiny
seed: 3
replicates: 2
years: 2
world: {kind: synthetic, population: 4000, townships: 2}
scenarios:
  - name: baseline
  - name: reform
    overrides:
      finance:
        outpatient_reimbursement: {village: 0.9, township: 0.9, county: 0.5, city: 0.4}
"""

runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    exp = root / "tiny.yaml"
    exp.write_text(TINY)
    result = runner.invoke(app, ["run", str(exp), "--out", str(root / "out"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return root, exp


def test_run_writes_long_kpis_a_manifest_a_summary_and_a_figure(tiny_run):
    root, _ = tiny_run
    out = root / "out"
    kpis = pd.read_parquet(out / "kpis.parquet")
    assert list(kpis.columns) == ["scenario", "point", "replicate", "county", "year", "metric", "value"]
    assert set(kpis["scenario"]) == {"baseline", "reform"}
    assert sorted(kpis["replicate"].unique()) == [0, 1] and sorted(kpis["year"].unique()) == [1, 2]
    manifest = json.loads((out / "manifest.json").read_text())
    assert {"config", "parameters", "seeds", "versions", "git_commit"} <= set(manifest)
    assert manifest["seeds"]["root"] == 3 and len(manifest["seeds"]["runs"]) == 4
    assert manifest["reference_scenario"] == "baseline" and manifest["points"] == {"base": {}}
    assert manifest["versions"]["mesa"].startswith("3.")
    summary = pd.read_csv(out / "summary.csv")
    assert {"mean", "ci_low", "ci_high", "n"} <= set(summary.columns)
    assert (out / "figures" / "main_indicators.png").stat().st_size > 10_000
    paired = pd.read_csv(out / "paired_differences.csv")
    assert set(paired["scenario"]) == {"reform"} and set(paired["reference"]) == {"baseline"}
    runs = pd.read_parquet(out / "runs.parquet")
    assert len(runs) == 4 and (runs["status"] == "done").all() and runs["wall_seconds"].gt(0).all()


def test_a_fresh_run_of_the_same_config_is_byte_identical(tiny_run):
    root, exp = tiny_run
    result = runner.invoke(app, ["run", str(exp), "--out", str(root / "again"), "--no-figure", "--workers", "1"])
    assert result.exit_code == 0, result.output
    for name in ("kpis.parquet", "manifest.json"):
        assert (root / "again" / name).read_bytes() == (root / "out" / name).read_bytes()


def test_no_fork_runs_every_run_from_scratch_with_the_same_bytes(tmp_path):
    exp = tmp_path / "levers.yaml"
    exp.write_text(TINY.replace("""    overrides:
      finance:
        outpatient_reimbursement: {village: 0.9, township: 0.9, county: 0.5, city: 0.4}
""", """    interventions:
      - {type: reimbursement_gap, outpatient_change: {township: 0.1}, source: a test of forking}
"""))
    folders = {}
    for flag in ("--fork", "--no-fork"):
        folders[flag] = tmp_path / flag.strip("-")
        result = runner.invoke(app, ["run", str(exp), "--out", str(folders[flag]), "--no-figure", "--workers", "1", flag])
        assert result.exit_code == 0, result.output
    assert pd.read_parquet(folders["--fork"] / "runs.parquet")["forked"].any()  # the scenarios share a warm-up
    assert not pd.read_parquet(folders["--no-fork"] / "runs.parquet")["forked"].any()
    assert (folders["--fork"] / "kpis.parquet").read_bytes() == (folders["--no-fork"] / "kpis.parquet").read_bytes()


def test_an_output_directory_of_another_config_is_refused(tiny_run):
    root, exp = tiny_run
    other = root / "other.yaml"
    other.write_text(TINY.replace("seed: 3", "seed: 4"))
    result = runner.invoke(app, ["run", str(other), "--out", str(root / "out"), "--workers", "1"])
    assert result.exit_code == 1
    assert "different experiment" in result.output


def test_a_bad_config_exits_2_names_file_line_field_and_writes_nothing(tmp_path):
    exp = tmp_path / "bad.yaml"
    exp.write_text(TINY.replace("years: 2", "years: -2"))
    result = runner.invoke(app, ["run", str(exp), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{exp}:4: years: " in result.output
    assert not (tmp_path / "out").exists()


def test_validate_checks_several_files(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(TINY)
    bad.write_text(TINY.replace("name: reform", "name: Reform!"))
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    result = runner.invoke(app, ["validate", str(good), str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:8: scenarios[1].name: " in result.output


def test_validate_checks_the_paper_manifest_and_its_experiments(tmp_path):
    paper = Path(__file__).parent.parent / "paper"
    result = runner.invoke(app, ["validate", str(paper / "paper.yaml")])
    assert result.exit_code == 0 and "paper manifest: 7 experiments" in result.output, result.output
    (tmp_path / "experiments").mkdir()
    (tmp_path / "experiments" / "tiny.yaml").write_text(TINY.replace("years: ", "years: -"))
    bad = tmp_path / "paper.yaml"
    bad.write_text("experiments:\n  tiny: {file: experiments/tiny.yaml}\nmap_experiment: tiny\n"
                   "fit_experiment: tiny\nsobol_experiment: elsewhere\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2 and f"{bad}:5: sobol_experiment: expected one of the experiments" in result.output
    bad.write_text(bad.read_text(encoding="utf-8").replace("sobol_experiment: elsewhere\n", ""), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2 and "tiny.yaml:" in result.output  # the experiment's own problem, at its line


def test_params_and_indicators_list_sources_and_definitions():
    params = runner.invoke(app, ["params"], env={"COLUMNS": "200"})
    assert params.exit_code == 0 and "ASSUMPTION" in params.output and "bulletin" in params.output
    indicators = runner.invoke(app, ["indicators"], env={"COLUMNS": "200"})
    assert indicators.exit_code == 0 and "in_county_visit_rate" in indicators.output


def test_bench_reports_its_fields_at_toy_size():
    result = runner.invoke(app, ["bench", "--population", "2000", "--years", "1"])
    assert result.exit_code == 0, result.output
    for field in ("seconds_per_year", "resident_steps_per_second", "peak_rss_mb", "phase_choice_seconds"):
        assert field in result.output


def test_bench_runs_the_whole_suite_with_the_reference(tmp_path):
    rows = tmp_path / "rows.json"
    result = runner.invoke(app, ["bench", "--suite", "2000", "--years", "1", "--reference-population", "1000",
                                 "--json", str(rows)])
    assert result.exit_code == 0, result.output
    assert "speed-up of the vectorised model" in result.output and "targets:" in result.output
    assert [row["residents"] for row in json.loads(rows.read_text())] == [2000]


def test_the_parameter_document_is_current():
    generated = runner.invoke(app, ["params", "--markdown"]).output
    documented = (Path(__file__).parent.parent / "docs" / "parameters.md").read_text(encoding="utf-8")
    assert generated == documented, "regenerate: ygt-abm params --markdown > docs/parameters.md"


def test_the_shipped_json_schema_is_current():
    generated = runner.invoke(app, ["schema"]).output
    shipped = (Path(__file__).parent.parent / "experiments" / "experiment.schema.json").read_text(encoding="utf-8")
    assert generated == shipped, "regenerate: ygt-abm schema -o experiments/experiment.schema.json"
    assert '"ModelParameters"' in shipped and '"additionalProperties": false' in shipped


@pytest.mark.parametrize("change, line, field", [
    (("years: 2", "yeers: 2"), 4, "yeers"),  # unknown key
    (("replicates: 2", "replicates: two"), 3, "replicates"),  # wrong type
    (("seed: 3", "seed: -3"), 2, "seed"),  # out of range
    (("world: {kind: synthetic, population: 4000, townships: 2}",
      "world: {kind: csv, counties: [{name: A, villages: v.csv, facilities: f.csv}], city_hospitals: c.csv}"),
     5, "world.counties[0].villages"),  # missing file
    (("name: tiny", "name: [tiny"), 1, "yaml"),  # YAML syntax
])
def test_every_kind_of_bad_experiment_file_exits_2_with_file_and_line(tmp_path, change, line, field):
    exp = tmp_path / "bad.yaml"
    exp.write_text(TINY.replace(*change))
    result = runner.invoke(app, ["run", str(exp), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert all(x.startswith(f"{exp}:") for x in lines)
    prefix = f"{exp}:" if field == "yaml" else f"{exp}:{line}: "
    assert any(x.startswith(prefix) and f": {field}: " in x for x in lines), lines
    assert not (tmp_path / "out").exists()


def test_the_intervention_document_is_current():
    generated = runner.invoke(app, ["interventions", "--markdown"]).output
    documented = (Path(__file__).parent.parent / "docs" / "interventions.md").read_text(encoding="utf-8")
    assert generated == documented, "regenerate: ygt-abm interventions --markdown > docs/interventions.md"
    assert generated.count("\n## `") == len(REGISTRY)


def test_example_county_copies_the_installed_county_into_a_new_folder_ready_to_run(tmp_path):
    dest = tmp_path / "county"
    result = runner.invoke(app, ["example-county", str(dest)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in dest.iterdir()) == [
        "README.md", "city_hospitals.csv", "experiment.yaml", "facilities.csv", "villages.csv"]
    result = runner.invoke(app, ["validate", str(dest / "experiment.yaml")])
    assert result.exit_code == 0, result.output
    from ygt_abm.experiment.loading import load_runnable_experiment
    from ygt_abm.world.csv_loader import load_csv_region

    assert load_csv_region(load_runnable_experiment(dest / "experiment.yaml").experiment.world).population == 20_000
    again = runner.invoke(app, ["example-county", str(dest)])
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.parametrize("doc, args", [("architecture.md", ["loop"]), ("architecture.md", ["loop", "--levers"]),
                                       ("architecture.md", ["loop", "--contracts"]), ("model.md", ["loop"])])
def test_the_loop_and_lever_tables_in_the_docs_are_current(doc, args):
    generated = CliRunner().invoke(app, args).output.strip()
    text = (Path(__file__).parent.parent / "docs" / doc).read_text(encoding="utf-8")
    marker = f"<!-- ygt-abm {' '.join(args)} -->\n"
    assert marker in text, f"docs/{doc} lacks the block {marker.strip()}"
    block = text.split(marker, 1)[1].split("\n<!-- end -->", 1)[0].strip()
    assert block == generated, f"regenerate the block of `ygt-abm {' '.join(args)}` in docs/{doc}"


def test_version_and_the_defaults_in_brackets_are_shown():
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"ygt-abm {version('ygt-abm')}"
    text = " ".join(runner.invoke(app, ["run", "--help"]).output.replace("│", " ").split())  # unwrapped
    assert "[default: results/<name>]" in text and "[default: all CPUs]" in text
    [row] = [line for line in runner.invoke(app, ["--help"]).output.splitlines() if "--version" in line]
    assert " ".join(row.replace("│", " ").split()) == "--version print the version and exit"  # a flag: no <bool>


def _county(tmp_path) -> Path:
    folder = tmp_path / "county"
    assert runner.invoke(app, ["example-county", str(folder)]).exit_code == 0
    return folder


def test_a_bad_county_file_is_reported_before_any_run_with_its_file_and_line(tmp_path):
    folder = _county(tmp_path)
    villages = folder / "villages.csv"
    lines = villages.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",1100,", ",-5,")  # line 3: a negative population
    villages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(folder / "experiment.yaml")])
    assert result.exit_code == 2 and f"{villages}:3:" in result.output, result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(folder / "experiment.yaml"), "--out", str(out), "--workers", "1"])
    assert result.exit_code == 2 and not out.exists()


def test_an_intervention_aimed_at_a_county_the_world_lacks_is_reported_before_any_run(tmp_path):
    folder = _county(tmp_path)
    experiment = folder / "experiment.yaml"
    text = experiment.read_text(encoding="utf-8").replace(
        "  - name: baseline", "  - name: baseline\n    interventions:\n      - {type: continuous_deductible, "
        "counties: [Elsewhere], source: test}")
    experiment.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(experiment)])
    assert result.exit_code == 2 and "unknown counties ['Elsewhere']" in result.output, result.output
    assert f"{experiment}:" in result.output


def test_an_output_folder_that_cannot_be_one_is_reported_not_a_traceback(tmp_path):
    experiment = Path(__file__).parent.parent / "experiments" / "quickstart.yaml"
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "below"):
        result = runner.invoke(app, ["run", str(experiment), "--out", str(out), "--workers", "1"])
        assert result.exit_code == 2 and f"--out {out}: cannot create the folder" in result.output


def test_validate_accepts_a_policy_package_and_reports_its_problems(tmp_path):
    shipped = Path(__file__).parent.parent / "configs" / "policies"
    result = runner.invoke(app, ["validate", str(shipped / "baseline.yaml"), str(shipped / "anhui-2024.yaml")])
    assert result.exit_code == 0 and "policy package anhui-2024" in result.output
    bad = tmp_path / "mine.yaml"
    bad.write_text((shipped / "anhui-2024.yaml").read_text(encoding="utf-8").replace("type: global_budget",
                                                                                     "type: global_budjet"))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2 and "did you mean 'global_budget'?" in result.output


def test_plot_draws_the_figures_of_a_finished_folder_in_the_formats_asked(tiny_run, tmp_path):
    root, exp = tiny_run
    result = runner.invoke(app, ["plot", str(exp), "--out", str(root / "out"), "--formats", "svg,pdf"])
    assert result.exit_code == 0, result.output
    for name in ("main_indicators", "paired_differences"):
        for suffix in (".svg", ".pdf"):
            assert (root / "out" / "figures" / f"{name}{suffix}").stat().st_size > 10_000
    bad = runner.invoke(app, ["plot", str(exp), "--out", str(root / "out"), "--formats", "gif"])
    assert bad.exit_code == 2 and "expected some of png, pdf, svg" in bad.output
    empty = runner.invoke(app, ["plot", str(exp), "--out", str(tmp_path)])
    assert empty.exit_code == 1 and "run (or collect) the experiment first" in empty.output


def test_plot_draws_chinese_labels_into_their_own_folder_or_says_which_set_up_installs_the_font(
        tiny_run, monkeypatch):
    from ygt_abm.figures import style

    root, exp = tiny_run
    english = {p: p.read_bytes() for p in (root / "out" / "figures").glob("*")}
    bad = runner.invoke(app, ["plot", str(exp), "--out", str(root / "out"), "--lang", "fr"])
    assert bad.exit_code == 2 and "--lang fr: expected one of en, zh" in bad.output
    try:
        font = style.cjk_font()
    except style.MissingFont:
        font = None
    if font is not None:
        result = runner.invoke(app, ["plot", str(exp), "--out", str(root / "out"), "--lang", "zh", "--formats", "pdf"])
        assert result.exit_code == 0, result.output
        pdf = (root / "out" / "figures-zh" / "main_indicators.pdf").read_bytes()
        assert font.replace(" ", "").lower().encode() in pdf.lower()
        assert {p: p.read_bytes() for p in (root / "out" / "figures").glob("*")} == english  # left as they were
    monkeypatch.setattr(style, "CJK_FONTS", ("No Such Font SC",))
    monkeypatch.setattr(style, "CJK_FILES", ("nosuchfontfile",))
    missing = runner.invoke(app, ["plot", str(exp), "--out", str(root / "out"), "--lang", "zh"])
    assert missing.exit_code == 1 and "bash scripts/setup.sh" in missing.output, missing.output
    assert "Traceback" not in missing.output


def test_plot_refuses_a_folder_another_experiment_wrote_and_leaves_its_figures(tiny_run, tmp_path):
    root, exp = tiny_run
    other = tmp_path / "other.yaml"
    other.write_text(TINY.replace("seed: 3", "seed: 4"), encoding="utf-8")  # same name, other results
    figures = {p: p.read_bytes() for p in (root / "out" / "figures").glob("*")}
    result = runner.invoke(app, ["plot", str(other), "--out", str(root / "out")])
    assert result.exit_code == 1 and "holds results of a different experiment configuration" in result.output
    assert {p: p.read_bytes() for p in (root / "out" / "figures").glob("*")} == figures


def test_fit_runs_the_baseline_and_writes_the_fit_table(tmp_path):
    result = runner.invoke(app, ["fit", "--population", "4000", "--worlds", "2", "--replicates", "1", "--years",
                                 "2", "--out", str(tmp_path / "fit"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "fit" / "fit.csv")
    assert len(table) >= 15 and set(table["role"]) == {"calibrated", "check"}
    measured = table[table["n"] > 0]
    assert (measured["n"] == 2).all()  # 2 worlds × 1 replicate
    assert table[table["n"] == 0]["target"].str.contains("elasticity").all()  # not given: not measured
    assert "| visits per person per year | check | 6.4 |" in (tmp_path / "fit" / "fit.md").read_text(encoding="utf-8")
    assert all((tmp_path / "fit" / f"fit.{fmt}").stat().st_size > 10_000 for fmt in ("png", "pdf", "svg"))
    missing = runner.invoke(app, ["fit", "--elasticities", str(tmp_path), "--out", str(tmp_path / "again")])
    assert missing.exit_code == 2 and "no elasticities.csv" in missing.output


def test_unwritable_outputs_and_a_malformed_scheduler_are_messages_not_tracebacks(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    schema = runner.invoke(app, ["schema", "-o", str(tmp_path)])
    assert schema.exit_code == 2 and f"--output {tmp_path}: cannot write" in schema.output
    county = runner.invoke(app, ["example-county", str(blocker / "county")])
    assert county.exit_code == 2 and "cannot create it" in county.output
    experiment = Path(__file__).parent.parent / "experiments" / "quickstart.yaml"
    run = runner.invoke(app, ["run", str(experiment), "--out", str(tmp_path / "out"), "--scheduler", "garbage"])
    assert run.exit_code == 2 and "--scheduler garbage: missing port number" in run.output
    assert not (tmp_path / "out").exists()  # refused before the folder is made
    for result in (schema, county, run):
        assert "Traceback" not in result.output


@pytest.mark.parametrize("damage", ["garbage marker", "list marker", "stamp a folder", "lock a folder"])
def test_status_reads_a_damaged_folder_as_incomplete_not_a_traceback(tmp_path, damage):
    folder = tmp_path / "out"
    (folder / "runs").mkdir(parents=True)
    if damage == "garbage marker":
        (folder / "complete.json").write_text("garbage")
    elif damage == "list marker":
        (folder / "complete.json").write_text("[1, 2]")
    elif damage == "stamp a folder":
        (folder / "runs" / "config.sha256").mkdir()
    else:
        (folder / "runs" / ".lock").mkdir()
    result = runner.invoke(app, ["status", str(folder)])
    assert result.exit_code == 1 and f"{folder}: incomplete" in result.output and "Traceback" not in result.output


def test_collect_with_nothing_to_collect_makes_no_folder(tiny_run, tmp_path):
    _, exp = tiny_run
    result = runner.invoke(app, ["collect", str(exp), "--out", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no runs to collect" in result.output
    assert not (tmp_path / "none").exists()


def test_fit_blames_a_bad_population_on_the_option_and_writes_nothing(tmp_path):
    result = runner.invoke(app, ["fit", "--population", "0", "--out", str(tmp_path / "fit")])
    assert result.exit_code == 2 and "--population" in result.output
    assert not (tmp_path / "fit").exists()


def test_a_truncated_parquet_file_is_a_message_for_collect_and_plot(tmp_path):
    exp = tmp_path / "tiny.yaml"
    exp.write_text(TINY.replace("replicates: 2", "replicates: 1"))
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(exp), "--out", str(out), "--workers", "1", "--no-figure"]).exit_code == 0
    run_file = next((out / "runs").rglob("rep-0000.parquet"))
    run_file.write_bytes(run_file.read_bytes()[:100])  # a copy cut off
    collected = runner.invoke(app, ["collect", str(exp), "--out", str(out), "--no-figure"])
    assert collected.exit_code == 1 and "cannot be read as run" in collected.output
    (out / "kpis.parquet").write_bytes(b"")
    plotted = runner.invoke(app, ["plot", str(exp), "--out", str(out)])
    assert plotted.exit_code == 1 and "kpis.parquet cannot be read" in plotted.output
    assert "Traceback" not in collected.output + plotted.output


def test_an_output_folder_that_cannot_be_written_mid_job_is_named_not_a_traceback(tmp_path):
    experiment = tmp_path / "calibration.yaml"
    experiment.write_text(TINY.split("  - name: reform")[0]
                          + "calibration:\n  search: {choice.usual_provider: [0.2, 0.8]}\n  trials: 1\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "trials").write_text("a file where the trials' folder goes")
    result = runner.invoke(app, ["calibrate", str(experiment), "--out", str(tmp_path / "out"), "--workers", "1"])
    assert result.exit_code == 1, result.output
    assert "trials/t0000/runs: cannot write: Not a directory; choose another --out" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_reports_and_figures_that_cannot_be_written_are_named_not_a_traceback(tiny_run, tmp_path):
    import shutil

    root, exp = tiny_run
    folder = shutil.copytree(root / "out", tmp_path / "out")
    shutil.rmtree(folder / "figures")
    (folder / "figures").write_text("a file where the figures go")
    plot = runner.invoke(app, ["plot", str(exp), "--out", str(folder)])
    assert plot.exit_code == 1 and "figures" in plot.output and "cannot write" in plot.output, plot.output
    (folder / "summary.csv").unlink()
    (folder / "summary.csv").mkdir()
    rerun = runner.invoke(app, ["run", str(exp), "--out", str(folder), "--workers", "1"])  # every run done: reports
    assert rerun.exit_code == 1 and "summary.csv: cannot write: Is a directory" in rerun.output, rerun.output
    for result in (plot, rerun):
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_documents_prints_each_document_s_coverage_and_one_document_s_clauses():
    result = runner.invoke(app, ["documents"])
    assert result.exit_code == 0, result.output
    for package in ("anhui-2024", "guangdong-2022", "henan-xuchang-2020", "hunan-nanxian-2024", "zhejiang-2026"):
        assert f"`{package}`" in result.output
    assert "粤办函〔2022〕245号" in result.output and "missing (no reason)" in result.output
    one = runner.invoke(app, ["documents", "guangdong-2022"])
    assert one.exit_code == 0 and "encoded" in one.output and "→" in one.output
    unknown = runner.invoke(app, ["documents", "guangdong"])
    assert unknown.exit_code == 2 and "no clause map for 'guangdong'" in unknown.output
    assert "Traceback" not in unknown.output


def test_problems_are_reported_in_line_order_and_counts_agree_with_their_nouns(capsys, tmp_path):
    from ygt_abm.cli import _report
    from ygt_abm.config.files import ConfigError, Problem

    _report(ConfigError([Problem("b.yaml", 2, "x", "late file"), Problem("a.yaml", 9, "y", "nine"),
                         Problem("a.yaml", 3, "z", "three")]))
    assert capsys.readouterr().err.splitlines() == ["a.yaml:3: z: three", "a.yaml:9: y: nine", "b.yaml:2: x: late file"]
    result = runner.invoke(app, ["validate", str(Path(__file__).resolve().parents[1] / "experiments" / "quickstart.yaml")])
    assert "2 scenarios × 1 point × 5 replicates = 10 runs" in result.output


def test_params_filters_by_prefix_and_prints_a_block_an_experiment_accepts(tmp_path):
    result = runner.invoke(app, ["params", "providers.adjust"])
    assert result.exit_code == 0 and "providers.adjustment_rate" in result.output
    assert "finance." not in result.output
    block = runner.invoke(app, ["params", "finance.outpatient", "--yaml"]).output
    assert block.startswith("parameters:\n  finance:\n    outpatient_reimbursement:\n")
    experiment = tmp_path / "pasted.yaml"
    experiment.write_text("name: pasted\nseed: 1\nreplicates: 1\nyears: 1\nworld: {kind: synthetic, population: 20000}\n"
                          "scenarios:\n  - name: baseline\n" + block, encoding="utf-8")
    assert runner.invoke(app, ["validate", str(experiment)]).exit_code == 0
    unknown = runner.invoke(app, ["params", "provder"])
    assert unknown.exit_code == 2 and "the sections are: beliefs" in unknown.output


def test_interventions_shows_one_lever_with_an_example_a_scenario_accepts(tmp_path):
    result = runner.invoke(app, ["interventions", "global_budget"])
    assert result.exit_code == 0 and "retained_share" in result.output and "case_payment" not in result.output
    example = result.output[result.output.index("interventions:\n"):]
    experiment = tmp_path / "pasted.yaml"
    experiment.write_text("name: pasted\nseed: 1\nreplicates: 1\nyears: 1\nworld: {kind: synthetic, population: 20000}\n"
                          "scenarios:\n  - name: baseline\n  - name: budget\n"
                          + "".join(f"    {line}\n" for line in example.splitlines()), encoding="utf-8")
    checked = runner.invoke(app, ["validate", str(experiment)])
    assert checked.exit_code == 0, checked.output
    unknown = runner.invoke(app, ["interventions", "global_budgets"])
    assert unknown.exit_code == 2 and "did you mean 'global_budget'" in unknown.output


def test_every_intervention_s_documented_example_is_accepted_by_a_scenario(tmp_path):
    from ygt_abm.cli import _intervention_example
    from ygt_abm.interventions import catalogue

    entries = [entry for entry in catalogue() if not any(p["required"] for p in entry["parameters"])]
    assert len(entries) >= 20
    scenarios = "".join(f"  - name: s{i}\n" + "".join(f"    {line}\n" for line in _intervention_example(e).splitlines())
                        for i, e in enumerate(entries))
    experiment = tmp_path / "examples.yaml"
    experiment.write_text("name: examples\nseed: 1\nreplicates: 5\nyears: 1\nworld: {kind: synthetic, population: 60000}\n"
                          "scenarios:\n  - name: baseline\n" + scenarios, encoding="utf-8")
    checked = runner.invoke(app, ["validate", str(experiment)])
    assert checked.exit_code == 0, checked.output


def test_the_dashboard_help_names_the_extra_to_install():
    """Rich reads `[dashboard]` as markup unless it is escaped: the help must show what to type."""
    result = CliRunner().invoke(app, ["dashboard", "--help"], terminal_width=200)
    assert "'ygt_abm[dashboard]'" in result.output
