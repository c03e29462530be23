"""The paper (``ygt-abm paper``): the quick build writes every figure and table the manuscript shows, every
number the text quotes is its table's value and is printed in the PDF, the validation shows every published
evaluation of both sets as the evaluations run wrote it, a second build skips every step and gives the same
bytes, every page of the PDF has something on it, every figure prints the axes, units and legend of its
referee checklist entry, and the build says which ygt_abm made it
(version and commit, on page 1 and in numbers.json), the version CITATION.cff asks to be cited."""

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ygt_abm.cli import app
from ygt_abm.config.files import ConfigError, read_yaml
from ygt_abm.paper import build as paper_build
from ygt_abm.paper.build import TABLES, build_paper
from ygt_abm.paper.environment import KEYS as SOFTWARE_KEYS
from ygt_abm.paper.environment import library_versions, processor_name
from ygt_abm.paper.identity import KEYS, UNKNOWN, BuildIdentity, build_identity, package_version
from ygt_abm.paper.manifest import QuotedNumber, load_manifest
from ygt_abm.paper.numbers import (
    MissingNumber, dose_response_cells, lever_cells, number_value, outcome_cells, sobol_cells,
)

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "paper"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
MANUSCRIPT = (SOURCE / "paper.typ").read_text(encoding="utf-8")
BODY = re.sub(r"//.*", "", MANUSCRIPT)  # without its comments
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """The quick build, once for the module: its folder and the steps it logged."""
    from ygt_abm.experiment.executors import executor_for

    kept = os.environ.get("YGT_ABM_PAPER_BUILD")  # a folder to keep the build in between test runs (it resumes)
    out = Path(kept) if kept else tmp_path_factory.mktemp("paper")
    log = []
    with executor_for(2, None) as executor:
        build_paper(SOURCE, out, quick=True, executor=executor, log=log.append)
    return out, log


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is missing; scripts/setup.sh installs it")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text.replace("−", "-"))


def test_the_quick_build_writes_every_figure_and_table_the_manuscript_shows(build):
    out, log = build
    shown = re.findall(r'(?:svg|result-table)\("([^"]+)"', BODY)
    assert len(shown) >= 12
    assert [p for p in shown if not (out / p).is_file()] == []
    assert sorted(p.name for p in (out / "tables").glob("*.csv") if p.name in TABLES) == sorted(TABLES)
    for name in ("fit.csv", "effects.csv", "validation.csv", "attainment.csv", "sensitivity.csv", "sobol.csv",
                 "uncertainty.csv"):
        assert len(pd.read_csv(out / "tables" / name)) >= 1, name
    assert (out / "paper.pdf").read_bytes().startswith(b"%PDF")
    assert any(line.startswith("pdf: ") for line in log)


def test_every_quoted_number_is_its_tables_value_and_is_printed(build):
    out, _ = build
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    used = set(re.findall(r'#n\("([^"]+)"\)', BODY))
    assert used and used <= set(quoted), f"quoted in paper.typ but not defined: {used - set(quoted)}"
    manifest = load_manifest(SOURCE / "paper.yaml")
    assert set(quoted) == set(manifest.numbers) | set(KEYS) | set(SOFTWARE_KEYS)  # the manifest's and the build's
    for name, entry in ((k, v) for k, v in quoted.items() if k in manifest.numbers):  # again, with plain pandas
        folder, file = entry["table"].split("/")
        path = out / "tables" / file if folder == "tables" else out / "results" / folder / file
        table = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
        rows = table
        for column, wanted in entry["where"].items():
            wanted = table[column].max() if wanted == "last" else wanted
            rows = rows[rows[column].astype(str) == str(wanted)]
        aggregate, column = entry["aggregate"], entry["column"] or "mean"
        if aggregate == "count":
            expected = len(rows) if entry["column"] is None else rows[column].notna().sum()
        elif aggregate == "one":
            assert len(rows) == 1, name
            expected = rows[column].iloc[0]
        else:
            expected = getattr(pd.to_numeric(rows[column]), aggregate)()
        assert entry["value"] == pytest.approx(float(expected), rel=1e-12, abs=1e-12), name
        number = manifest.numbers[name]
        assert entry["text"] == format(float(expected) * number.scale, number.format), name
    text = _pdf_text(out / "paper.pdf")
    for name in used:
        assert quoted[name]["text"].replace("−", "-") in text, f"{name}: {quoted[name]['text']!r} not in the PDF"


def test_the_chinese_of_the_tables_is_printed_in_the_embedded_cjk_font(build):
    out, _ = build
    clauses = set(pd.read_csv(out / "tables" / "attainment.csv")["Clause"].dropna())
    assert any(re.search("[\u4e00-\u9fff]", c) for c in clauses)
    pdf = (out / "paper.pdf").read_bytes()
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansCJKsc-Regular", pdf)
    text = _pdf_text(out / "paper.pdf")
    assert [c for c in clauses if c not in text] == []


def test_the_cjk_font_holds_every_chinese_character_of_the_tables_and_references(build):
    from fontTools.ttLib import TTFont

    from ygt_abm.paper.fonts import CJK_FILE, FONT_FOLDER, cjk_characters

    out, _ = build
    held = {chr(code) for code in TTFont(SOURCE / FONT_FOLDER / CJK_FILE).getBestCmap()}
    printed = [p.read_text(encoding="utf-8") for p in [*sorted((out / "tables").glob("*.csv")),
                                                       SOURCE / "references.bib"]]
    assert "".join(sorted(cjk_characters(printed) - held)) == ""


def test_a_second_build_skips_every_step_and_gives_the_same_bytes(build, tmp_path):
    out, _ = build
    before = {p: p.read_bytes() for p in [out / "paper.pdf", out / "numbers.json", *sorted(out.glob("**/*.svg")),
                                          *sorted(out.glob("results/*/*.csv"))]}
    log = []
    build_paper(SOURCE, out, quick=True, log=log.append)  # no executor needed: nothing runs
    assert log and all(line.endswith("up to date") for line in log), log
    assert {p: p.read_bytes() for p in before} == before
    # Everything after the experiments made again from scratch: the same bytes.
    (out / "stamps.json").unlink()
    for p in before:
        p.unlink()
    log = []
    build_paper(SOURCE, out, quick=True, log=log.append)
    experiments = [f"reports {name}" for name in load_manifest(SOURCE / "paper.yaml").experiments]
    assert [line.split(":")[0] for line in log if ": written" in line] == experiments + [
        "county map tables", "evaluations", "checklist", "tables", "numbers", "figures", "referee", "pdf"]
    assert {p: p.read_bytes() for p in before} == before


def test_a_changed_manuscript_rebuilds_only_the_figures_check_and_the_pdf(build, tmp_path):
    out, _ = build
    source = tmp_path / "paper"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns("build*"))
    manifest = (source / "paper.yaml").read_text(encoding="utf-8")
    # The copied manifest's experiment files: the same as the repository's (relative to the copy).
    manifest = manifest.replace("file: ../experiments/", f"file: {SOURCE.parent / 'experiments'}/")
    manifest = manifest.replace(": ../configs/", f": {SOURCE.parent / 'configs'}/")
    (source / "paper.yaml").write_text(manifest.replace("file: experiments/", f"file: {SOURCE / 'experiments'}/"),
                                       encoding="utf-8")
    (source / "paper.typ").write_text(MANUSCRIPT.replace("= Limitations", "= Limitations and scope"),
                                      encoding="utf-8")
    log = []
    build_paper(source, out, quick=True, log=log.append)
    rebuilt = [line.split(":")[0] for line in log if ": written" in line]
    assert rebuilt == ["referee", "pdf"], log  # the figures are checked again: the manuscript says which it shows
    assert "Limitations and scope" in _pdf_text(out / "paper.pdf")
    build_paper(SOURCE, out, quick=True, log=log.append)  # back to the repository's manuscript


def test_the_build_says_which_ygt_abm_made_it_on_page_1_and_in_its_numbers(build):
    out, _ = build
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert quoted["build.version"]["text"] == VERSION
    commit = quoted["build.commit"]
    assert re.fullmatch(r"[0-9a-f]{40}", commit["value"]) or commit["value"] == UNKNOWN, commit
    assert set(re.findall(r'#n\("(build\.[^"]+)"\)', BODY)) == set(KEYS)  # page 1 prints all three
    page_1 = _pdf_text(out / "paper.pdf").split("Abstract")[0]
    assert f"ygt_abm {VERSION} · commit {commit['text']}" in page_1


def test_a_new_commit_rewrites_only_the_numbers_and_the_pdf(build, monkeypatch):
    out, _ = build
    monkeypatch.setattr(paper_build, "build_identity", lambda: BuildIdentity(VERSION, "0" * 40, False, "v9.9.9"))
    log = []
    build_paper(SOURCE, out, quick=True, log=log.append)
    assert [line.split(":")[0] for line in log if ": written" in line] == ["numbers", "pdf"], log
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert (quoted["build.commit"]["text"], quoted["build.tag"]["text"]) == ("0000000", "v9.9.9")
    assert "commit 0000000 (tag v9.9.9)" in _pdf_text(out / "paper.pdf")
    monkeypatch.undo()
    build_paper(SOURCE, out, quick=True, log=log.append)  # back to the repository's own identity
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert {k: quoted[k] for k in KEYS} == build_identity().numbers()


@pytest.mark.skipif(not PDFTOPPM and not os.environ.get("CI"), reason="pdftoppm (poppler-utils) is missing; "
                    "scripts/setup.sh installs it")
def test_every_page_of_the_pdf_renders_with_something_on_it(build, tmp_path):
    from PIL import Image

    out, _ = build
    assert PDFTOPPM, "CI: pdftoppm is missing; scripts/setup.sh installs poppler-utils"
    subprocess.run([PDFTOPPM, "-r", "30", "-png", str(out / "paper.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 6
    for page in pages:
        pixels = np.asarray(Image.open(page).convert("L"))
        assert (pixels < 200).mean() > 0.002, f"{page.name} is blank"


def test_every_figure_says_what_its_referee_entry_says(build):
    from ygt_abm.paper.referee import REFEREE, figure_problems, figure_words, load_referee

    out, log = build
    checklist = load_referee(SOURCE / REFEREE)
    for entry in checklist.figures:  # as the build's step checked them, read again from the drawn figures
        assert figure_problems(entry, figure_words(out / entry.file)) == [], entry.file
    checked = pd.read_csv(out / "referee-figures.csv")
    assert sorted(checked["figure"]) == sorted(e.file for e in checklist.figures)
    assert any(line.startswith("referee: ") for line in log)


def test_the_validation_shows_every_evaluation_of_both_sets_and_quotes_its_counts(build):
    out, _ = build
    manifest = load_manifest(SOURCE / "paper.yaml")
    run = pd.read_csv(out / "results" / "evaluations" / "evaluations.csv")
    shown = pd.read_csv(out / "tables" / "validation.csv", keep_default_na=False)
    # Every outcome (and every evaluation not run), in the run's order; both sets.
    assert list(zip(shown["Evaluation"], shown["Set"])) == list(zip(run["label"], run["set"]))  # named for readers
    assert set(run["id"]) == {e["id"] for e in read_yaml(manifest.evaluations.file)["evaluations"]}
    assert set(shown["Set"]) == {"training", "held-out"}
    assert not [c for c in shown.columns if "_" in c]  # headers in words, not the run's column names
    # Over the quick build's first members of the posterior: every effect pairs members × replicates.
    quick = manifest.evaluations.quick
    assert (run["replicates"].dropna() == quick.ensemble_size * quick.replicates).all()
    # The counts the text quotes are the run's own.
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    for name, kind in (("training", "training"), ("held_out", "held-out")):
        part = run[(run["set"] == kind) & (run["status"] == "simulated")]
        assert quoted[f"{name}_outcomes"]["value"] == len(part)
        assert quoted[f"{name}_inside"]["value"] == (part["inside_band"].astype(str) == "True").sum()
        assert quoted[f"{name}_signed"]["value"] == part["sign_right"].notna().sum()
        assert quoted[f"{name}_sign_right"]["value"] == (part["sign_right"].astype(str) == "True").sum()
    assert quoted["not_expressible"]["value"] == (run["status"] != "simulated").sum() >= 1


def test_the_posterior_table_shows_every_draw_of_the_ensemble_whatever_the_quick_build_runs(build):
    out, _ = build
    manifest = load_manifest(SOURCE / "paper.yaml")
    members = read_yaml(manifest.evaluations.ensemble)["ensemble"]
    values = pd.read_csv(out / "tables" / "posterior-values.csv")
    shown = pd.read_csv(out / "tables" / "posterior.csv")
    assert (values["members"] == len(members)).all() and len(members) > manifest.evaluations.quick.ensemble_size
    assert len(shown) == len(values) >= 10
    assert not shown["Parameter"].str.contains("_|\\.").any()  # in words
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert quoted["posterior_parameters"]["value"] == len(values)
    assert quoted["posterior_provider_parameters"]["value"] == (values["part"] == "providers").sum()
    assert quoted["posterior_draws"]["value"] == len(members)


def test_every_target_and_evaluation_is_listed_as_a_data_source_with_its_years(build):
    out, _ = build
    manifest = load_manifest(SOURCE / "paper.yaml")
    targets = pd.read_csv(out / "tables" / "target-sources.csv")
    assert list(targets["Target"]) == [t["name"] for t in read_yaml(ROOT / "configs" / "calibration" /
                                                                     "targets.yaml")["calibration_targets"]]
    assert targets["Source"].str.contains(r"(?:19|20)\d\d").mean() > 0.8  # sources say their years
    evaluations = pd.read_csv(out / "tables" / "evaluation-sources.csv")
    entries = read_yaml(manifest.evaluations.file)["evaluations"]
    assert list(evaluations["Evaluation"]) == [e.get("label") or e["id"] for e in entries]  # both sets, in order
    assert not evaluations["Design"].str.contains("_").any()  # in words


# ------------------------------------------------------------------------------------ the manifest, fast

def test_a_quoted_number_is_one_row_of_its_table_or_an_aggregate_of_several():
    table = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "year": [1, 2, 1, 2], "mean": [0.1, 0.2, 0.3, np.nan]})
    assert number_value(QuotedNumber(table="x/t.csv", where={"scenario": "a", "year": "last"}), table) == 0.2
    assert number_value(QuotedNumber(table="x/t.csv", where={"year": 1}, aggregate="max"), table) == 0.3
    assert number_value(QuotedNumber(table="x/t.csv", aggregate="count"), table) == 4
    assert number_value(QuotedNumber(table="x/t.csv", column="mean", aggregate="count"), table) == 3
    words = table.assign(inside=["yes", "no", None, "yes"])  # a count of cells in words: those not empty
    assert number_value(QuotedNumber(table="x/t.csv", column="inside", aggregate="count"), words) == 3
    assert number_value(QuotedNumber(table="x/t.csv", where={"inside": "yes"}, aggregate="count"), words) == 2
    with pytest.raises(MissingNumber, match="2 rows match"):
        number_value(QuotedNumber(table="x/t.csv", where={"scenario": "a"}), table)
    with pytest.raises(MissingNumber, match="no column 'county'"):
        number_value(QuotedNumber(table="x/t.csv", where={"county": "a"}), table)


def test_the_levers_table_gives_each_packages_three_largest_levers_and_their_interaction():
    levers = {"reimbursement_gap": (0.075, 0.063), "family_doctor_contracting": (0.059, 0.044),
              "shared_diagnostics": (0.011, 0.009), "chronic_disease_management": (0.029, 0.040)}
    rows = [{"package": "anhui-2024", "lever": lever, "point": "base", "county": "County 1", "year": year,
             "metric": metric, "alone_mean": alone * (year / 10), "contribution_mean": within * (year / 10)}
            for lever, (alone, within) in levers.items() for year in (5, 10)
            for metric in ("primary_care_visit_share", "in_county_visit_rate", "visits_per_capita")]
    table = lever_cells(pd.DataFrame(rows))
    assert list(table["Lever"]) == ["reimbursement gap", "family doctor contracting", "chronic disease management"]
    first = table.iloc[0]
    assert (first["Package"], first["Primary care visit share: alone"]) == ("Anhui 2024", "+7.5")
    assert first["Primary care visit share: in the package"] == "+6.3"
    assert first["Primary care visit share: interaction"] == "-1.2"
    assert table.iloc[2]["In-county visit rate: interaction"] == "+1.1"  # does more inside the package
    assert not [c for c in table.columns if "_" in c]


def test_the_outcomes_table_gives_the_baseline_level_then_each_package_in_its_units():
    effects = pd.DataFrame([
        {"scenario": s, "metric": m, "baseline": level, "mean": d, "ci_low": d - 10, "ci_high": d + 10,
         "relative_mean": d / level}
        for s, scale in (("anhui-2024", 1.0), ("zhejiang-2026", 0.5))
        for m, level, d in (("fund_spending_per_enrollee", 1100.0, -220.0 * scale), ("oop_per_episode", 180.0, 4.0))])
    table = outcome_cells(effects)
    assert list(table["Package"]) == ["Baseline (level)", "Anhui 2024", "Zhejiang 2026"]
    fund = "Insurance fund spending per enrollee (yuan a year)"
    assert list(table[fund]) == ["1,100", "-220 [-230, -210] (-20%)", "-110 [-120, -100] (-10%)"]
    assert table.iloc[1]["Out of pocket per episode (yuan)"] == "+4 [-6, +14] (+2.22%)"


def test_the_dose_response_table_gives_both_ends_and_the_slope_of_the_last_year():
    dose = pd.DataFrame([
        {"scenario": "anhui-2024", "county": "County 1", "year": year, "metric": metric, "dose_low": 0.0,
         "dose_high": 1.0, "slope": 0.08 * year / 3, "slope_low": 0.07, "slope_high": 0.09,
         "effect_low": 0.135, "effect_high": 0.216}
        for year in (1, 3) for metric in ("primary_care_visit_share", "visits_per_capita")])
    table = dose_response_cells(dose)
    assert table.values.tolist() == [["Anhui 2024", "primary care visit share", "+13.5", "+21.6",
                                      "+8.0 [7.0, 9.0]"]]
    assert list(table.columns)[2:4] == ["Effect at 0", "Effect at 1"]


def test_the_uncertainty_table_prints_a_range_narrower_than_its_printed_precision_as_none():
    from ygt_abm.paper.numbers import uncertainty_cells

    row = {"scenario": "anhui-2024", "county": "across counties", "year": 10, "metric": "primary_care_visit_share",
           "reference": "baseline", "mean": 0.059, "replicate_low": 0.036, "replicate_high": 0.082,
           "parameter_low": 0.0589, "parameter_high": 0.0591, "county_low": 0.059, "county_high": 0.059,
           "combined_low": 0.036, "combined_high": 0.082, "parameter_share": 0.001, "county_share": 0.0}
    printed = uncertainty_cells(pd.DataFrame([row])).iloc[0]
    assert (printed["Chance"], printed["Parameters"], printed["Counties"]) == ("[3.6, 8.2]", "none", "none")


def test_the_sobol_table_ranks_each_packages_parameters_by_st_with_intervals_kept_within_0_and_1():
    rows = [{"scenario": scenario, "measure": "effect", "metric": "in_county_inpatient_share", "year": 5,
             "parameter": parameter, "index": index, "value": value, "ci_low": value - 0.2, "ci_high": value + 0.2}
            for scenario, lead in (("anhui-2024", "providers.redirect_harm_yuan"), ("guangdong-2022", "providers.outreach_pull"))
            for parameter in ("providers.redirect_harm_yuan", "providers.outreach_pull", "providers.intensity_harm")
            for index, value in (("ST", 0.9 if parameter == lead else 0.1), ("S1", 0.85 if parameter == lead else -0.05))]
    rows.append({**rows[0], "measure": "level"})  # levels are not effects: not in the table
    table = sobol_cells(pd.DataFrame(rows))
    assert table["Effect of"].tolist() == ["Anhui 2024", "Guangdong 2022"]
    anhui = table.iloc[0]
    assert anhui["#1"] == "redirect harm (yuan)" and anhui["#1 ST"] == "0.90 [0.70, 1.00]"
    assert anhui["#2 S1"] == "0.00 [0.00, 0.15]"  # an estimate below 0 is sampling error: printed at the bound
    assert anhui["Sum of S1"] == "0.75"


def test_a_bad_manifest_names_the_file_line_and_field(tmp_path):
    bad = tmp_path / "paper.yaml"
    bad.write_text("experiments:\n  comparison:\n    file: nowhere.yaml\nmap_experiment: comparison\n"
                   "fit_experiment: elsewhere\nnumbers:\n  x: {table: other/summary.csv, format: '%d'}\n"
                   "uncertainty_experiment: nope\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_manifest(bad)
    assert "paper.yaml:7: numbers.x.format" in str(caught.value)
    bad.write_text(bad.read_text(encoding="utf-8").replace("'%d'", "'.2f'"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_manifest(bad)
    problems = str(caught.value)
    assert "paper.yaml:3: experiments.comparison.file: no such file" in problems
    assert "paper.yaml:5: fit_experiment: expected one of the experiments ['comparison']" in problems
    assert "paper.yaml:7: numbers.x.table: 'other' is not an experiment" in problems
    assert "paper.yaml:8: uncertainty_experiment: expected one of the experiments ['comparison']" in problems


def test_the_evaluations_first_members_need_an_ensemble_and_are_its_first(tmp_path):
    bad = tmp_path / "paper.yaml"
    bad.write_text("experiments:\n  comparison:\n    file: x.yaml\nmap_experiment: comparison\nfit_experiment: "
                   "comparison\nevaluations:\n  file: e.yaml\n  population: 2000\n  replicates: 2\n  warmup_years: 1\n"
                   "  quick: {population: 1000, replicates: 2, warmup_years: 1, ensemble_size: 2}\n", encoding="utf-8")
    (tmp_path / "x.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "e.yaml").write_text("{}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_manifest(bad)
    assert "paper.yaml:11: evaluations.quick.ensemble_size: needs an ensemble" in str(caught.value)
    posterior = ROOT / "configs" / "calibration" / "posterior-joint.yaml"
    first = paper_build.first_members(posterior, 2, tmp_path / "first.yaml")
    assert read_yaml(first)["ensemble"] == read_yaml(posterior)["ensemble"][:2]
    with pytest.raises(ValueError, match="more than the"):
        paper_build.first_members(posterior, 1000, tmp_path / "first.yaml")


def test_the_command_refuses_a_folder_without_a_manifest(tmp_path):
    result = CliRunner().invoke(app, ["paper", "--quick", "--source", str(tmp_path)])
    assert result.exit_code == 2
    assert "no paper.yaml" in result.output


def test_the_effects_over_the_ensemble_carry_both_uncertainties(build):
    out, _ = build
    table = pd.read_csv(out / "results" / "uncertainty" / "uncertainty.csv")
    assert (table["members"] == 3).all()  # the quick build's ensemble_size
    last = table[table["year"] == table["year"].max()]
    assert (last["combined_high"] - last["combined_low"] >= last["replicate_high"] - last["replicate_low"] - 1e-12).all()
    pooled = last[last["county"] == "across counties"]
    assert len(pooled) and (pooled["counties"] == 2).all()  # the quick build's counties, each run on its own
    assert (pooled["combined_high"] - pooled["combined_low"] >= pooled["county_high"] - pooled["county_low"] - 1e-12).all()
    printed = pd.read_csv(out / "tables" / "uncertainty.csv")
    assert len(printed) == 5 * 4  # five packages × the four targeted indicators, pooled over the counties
    assert {"Chance", "Parameters", "Counties", "All", "Counties' share"} <= set(printed.columns)


def test_the_paper_names_the_python_the_libraries_and_the_machine_it_was_built_with(build):
    out, _ = build
    quoted = json.loads((out / "numbers.json").read_text(encoding="utf-8"))
    assert quoted["software.libraries"]["value"] == library_versions()
    assert quoted["software.libraries"]["value"]["numpy"] == np.__version__
    text = _pdf_text(out / "paper.pdf")
    assert f"Python {quoted['software.python']['text']} ({quoted['software.platform']['text']})" in text
    assert quoted["hardware.cores"]["value"] >= 1 and quoted["hardware.memory"]["value"] > 0
    assert f"on {quoted['hardware.cores']['text']} logical cores" in text
    for name, version in quoted["software.libraries"]["value"].items():
        assert f"{name} {version}" in text, name


# ------------------------------------------------------------------------------ the build's identity, fast

def _git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=ygt_abm", "-c", "user.email=ygt_abm@localhost", "-c",
                           "commit.gpgsign=false", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_identity_of_this_checkout_is_its_version_and_commit():
    identity = build_identity()
    assert identity.version == VERSION
    if (ROOT / ".git").exists():
        assert re.fullmatch(r"[0-9a-f]{40}", identity.commit) and identity.modified in (True, False)
    else:
        assert identity.commit == UNKNOWN


@pytest.mark.skipif(shutil.which("git") is None, reason="git is missing")
def test_the_identity_names_the_commit_marks_a_modified_tree_and_gives_the_tag_at_it(tmp_path):
    assert build_identity(tmp_path, "1.2.3") == BuildIdentity("1.2.3", UNKNOWN, None, None)  # not a checkout
    _git(tmp_path, "init", "-q")
    assert build_identity(tmp_path, "1.2.3").commit == UNKNOWN  # a checkout without a commit
    (tmp_path / "model.py").write_text("x = 1\n", encoding="utf-8")
    _git(tmp_path, "add", "model.py")
    _git(tmp_path, "commit", "-q", "-m", "first")
    head = _git(tmp_path, "rev-parse", "HEAD")
    clean = build_identity(tmp_path, "1.2.3")
    assert clean == BuildIdentity("1.2.3", head, False, None)
    assert clean.numbers()["build.commit"]["text"] == head[:7]
    assert clean.numbers()["build.tag"]["text"] == ""
    _git(tmp_path, "tag", "v1.2.3")
    assert build_identity(tmp_path, "1.2.3").tag == "v1.2.3"
    (tmp_path / "model.py").write_text("x = 2\n", encoding="utf-8")
    dirty = build_identity(tmp_path, "1.2.3")
    assert (dirty.modified, dirty.commit_text) == (True, head[:7] + "+modified")
    # A copy inside someone else's checkout (a virtual environment in it) is not credited with its commit.
    (tmp_path / "site-packages").mkdir()
    assert build_identity(tmp_path / "site-packages", "1.2.3").commit == UNKNOWN


def test_a_checkout_reports_its_own_pyproject_version_not_the_installed_one(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "ygt_abm"\nversion = "9.8.7"\n', encoding="utf-8")
    assert package_version(tmp_path) == "9.8.7"
    assert package_version(tmp_path / "no-checkout-here") == importlib.metadata.version("ygt_abm")


def test_a_library_not_installed_is_named_so():
    versions = library_versions(("numpy", "no-such-library-here"))
    assert versions == {"numpy": np.__version__, "no-such-library-here": "not installed"}


def test_the_processor_is_named_as_the_system_names_it(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Some   CPU @ 2.20GHz\n\nprocessor\t: 1\n"
                       "model name\t: Some CPU @ 2.20GHz\n", encoding="utf-8")
    assert processor_name(cpuinfo) == "Some CPU @ 2.20GHz"
    assert processor_name(tmp_path / "absent") not in ("", "Some CPU @ 2.20GHz")


def test_citation_cff_asks_for_the_version_pyproject_gives():
    citation = read_yaml(ROOT / "CITATION.cff")
    assert citation["version"] == VERSION
    assert citation["cff-version"] == "1.2.0" and citation["type"] == "software"
    assert "doi" not in citation


def test_no_caption_names_a_file_or_an_identifier():
    captions = re.findall(r"caption: \[(.*?)\]\) <", BODY, re.S)
    assert len(captions) >= 15
    assert [c for c in captions if re.search(r"`|\w\.(csv|yaml|py|md)\b|\w_\w", c)] == []


def test_the_full_build_runs_an_experiment_at_the_manifests_scale_where_it_names_one(tmp_path):
    manifest = load_manifest(SOURCE / "paper.yaml")
    for name, entry in manifest.experiments.items():
        file = paper_build.experiment_file(entry, name, tmp_path, quick=False, write=True)
        if not entry.full:
            assert file == entry.file  # the experiment as its own file says
            continue
        scaled, own = read_yaml(file), read_yaml(entry.file)
        for dotted, value in entry.full.items():
            node = scaled
            for key in dotted.split("."):
                node = node[key]
            assert node == value
        assert {k: v for k, v in scaled.items() if k not in {d.split(".")[0] for d in entry.full}} == \
            {k: v for k, v in own.items() if k not in {d.split(".")[0] for d in entry.full}}
    assert any(entry.full for entry in manifest.experiments.values())
