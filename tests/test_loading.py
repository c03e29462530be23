"""Bad experiment files are reported as file:line: field: what was expected, all problems at once."""

import shutil
import textwrap
from importlib.resources import files
from pathlib import Path

import pytest

from ygt_abm.config import ConfigError
from ygt_abm.experiment.loading import load_runnable_experiment

GOOD = """\
name: tiny
seed: 1
replicates: 2
years: 1
world:
  kind: synthetic
  population: 3000
  townships: 2
scenarios:
  - name: baseline
  - name: reform
    overrides:
      finance:
        outpatient_reimbursement: {village: 0.9, township: 0.9, county: 0.5, city: 0.4}
"""


def _write(tmp_path, text: str):
    path = tmp_path / "exp.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _problems(tmp_path, text: str):
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(path)
    return path, info.value.problems


def test_a_good_file_resolves_every_scenarios_parameters(tmp_path):
    resolved = load_runnable_experiment(_write(tmp_path, GOOD))
    assert resolved.scenario_names == ["baseline", "reform"]
    assert resolved.parameters("baseline").finance.outpatient_reimbursement.village == 0.8
    assert resolved.parameters("reform").finance.outpatient_reimbursement.village == 0.9
    assert resolved.parameters("reform").finance.inpatient_reimbursement.county == 0.8  # untouched default


def test_an_unknown_key_names_its_line(tmp_path):
    path, problems = _problems(tmp_path, GOOD.replace("  townships: 2", "  township: 2"))
    assert [(p.line, p.field) for p in problems] == [(8, "world.synthetic.township")]
    assert "unknown key" in problems[0].message
    assert str(problems[0]).startswith(f"{path}:8: world.synthetic.township: ")


def test_an_out_of_range_value_says_what_was_expected(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("replicates: 2", "replicates: 0"))
    assert (problems[0].line, problems[0].field) == (3, "replicates")
    assert "greater than or equal to 1" in problems[0].message


def test_a_wrong_type_is_reported(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("years: 1", "years: ten"))
    assert (problems[0].line, problems[0].field) == (4, "years")
    assert "integer" in problems[0].message


def test_a_boolean_is_not_a_count_and_an_infinite_number_is_not_a_number(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("replicates: 2", "replicates: true"))
    assert (problems[0].line, problems[0].field) == (3, "replicates")
    _, problems = _problems(tmp_path, GOOD.replace("  townships: 2", "  townships: 2\n  highway_kmh: .inf"))
    assert problems[0].field == "world.synthetic.highway_kmh" and "finite" in problems[0].message


def test_a_misspelt_name_gets_the_closest_known_one(tmp_path):
    text = GOOD.replace("  - name: baseline", "  - name: baseline\n    policy: anhui-2042\n    interventions:\n"
                        "      - {type: gatekeping, source: x}").replace("outpatient_reimbursement", "outpatient_reimbursment")
    _, problems = _problems(tmp_path, text)
    messages = " ".join(p.message for p in problems)
    for hint in ("did you mean 'outpatient_reimbursement'?", "did you mean 'anhui-2024'?", "did you mean 'gatekeeping'?"):
        assert hint in messages


def test_a_bad_scenario_override_points_at_the_override(tmp_path):
    text = GOOD.replace("village: 0.9, township", "village: 1.9, township")
    _, problems = _problems(tmp_path, text)
    assert [(p.line, p.field) for p in problems] == [
        (14, "scenarios[1].overrides.finance.outpatient_reimbursement.village")]
    assert "less than or equal to 1" in problems[0].message


def test_a_misspelt_override_is_an_unknown_key(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("      finance:", "      fianance:"))
    assert [(p.line, p.field) for p in problems] == [(13, "scenarios[1].overrides.fianance")]


def test_all_problems_are_reported_at_once(tmp_path):
    text = GOOD.replace("replicates: 2", "replicates: -1").replace("years: 1", "years: 1000")
    _, problems = _problems(tmp_path, text)
    assert {p.field for p in problems} == {"replicates", "years"}


def test_a_missing_required_key_points_at_its_parent(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("seed: 1\n", ""))
    assert (problems[0].field, problems[0].message) == ("seed", "required key is missing")


def test_yaml_syntax_errors_have_a_line(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("years: 1", "years: [1"))
    assert problems[0].field == "yaml" and problems[0].line >= 4


def test_duplicate_keys_and_scenarios_are_errors(tmp_path):
    _, problems = _problems(tmp_path, GOOD.replace("years: 1", "years: 1\nyears: 2"))
    assert problems[0].field == "yaml"
    _, problems = _problems(tmp_path, GOOD.replace("name: reform", "name: baseline"))
    assert "unique" in problems[0].message


def test_shares_that_do_not_sum_to_one_are_rejected(tmp_path):
    text = GOOD + "parameters:\n  population:\n    age_band_shares: {age_0_14: 0.5, age_15_44: 0.5, " \
                  "age_45_64: 0.5, age_65_plus: 0.5}\n"
    _, problems = _problems(tmp_path, text)
    assert any("sum to 1" in p.message for p in problems)


def test_a_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(tmp_path / "nope.yaml")
    assert info.value.problems[0].field == "file"


def test_shipped_experiments_validate():
    from pathlib import Path

    for path in sorted(Path(__file__).parent.parent.glob("experiments/*.yaml")):
        load_runnable_experiment(path)


@pytest.mark.parametrize("content, line, words", [
    ("name: café\n".encode("latin-1"), 1, "not UTF-8"),
    ("name: x\n".encode("utf-16"), 1, "not UTF-8"),
    (b"name: x\nseed: 1\x00\n", 2, "control character #x0000"),
    (b"a: " + b"[" * 20000 + b"]" * 20000 + b"\n", 1, "nested more than"),
    ("".join(f"{'  ' * i}k{i}:\n" for i in range(300)).encode(), 66, "nested more than"),
    (b"a: &x [1, 2]\nb: *x\n", 2, "alias *x"),
])
def test_an_unreadable_file_is_a_problem_with_a_line_not_a_traceback(tmp_path, content, line, words):
    path = tmp_path / "exp.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load_runnable_experiment(path)
    (problem,) = info.value.problems
    assert problem.line == line and words in problem.message


def test_a_sweep_of_millions_of_runs_is_refused_at_once(tmp_path):
    values = "[" + ", ".join(str(round(0.5 + i / 1000, 4)) for i in range(100)) + "]"
    sweep = "".join(f"  finance.outpatient_reimbursement.{level}: {values}\n" for level in ("village", "township", "county"))
    _, problems = _problems(tmp_path, GOOD + "sweep:\n" + sweep)  # refused before any point is resolved
    assert "1,000,000 points × 2 scenarios × 2 replicates = 4,000,000 runs" in problems[0].message


def test_one_validation_reports_the_settings_the_scenarios_the_packages_and_the_county_files_at_once(tmp_path):
    """A bad name no longer hides the scenarios' problems, nor a YAML problem the county files' cells or an
    intervention aimed at a county the world lacks."""
    county = Path(str(files("ygt_abm") / "data" / "example-county"))
    for name in ("villages.csv", "facilities.csv", "city_hospitals.csv"):
        shutil.copy(county / name, tmp_path / name)
    facilities = (tmp_path / "facilities.csv").read_text(encoding="utf-8").splitlines()
    facilities[1] = facilities[1].rsplit(",", 2)[0] + ",-3,18"
    (tmp_path / "facilities.csv").write_text("\n".join(facilities) + "\n", encoding="utf-8")
    path = tmp_path / "exp.yaml"
    path.write_text(
        "name: Bad Name\nseed: 7\nreplicates: 2\nyears: 2\n"
        "world: {kind: csv, counties: [{name: C, villages: villages.csv, facilities: facilities.csv}], "
        "city_hospitals: city_hospitals.csv}\n"
        "scenarios:\n  - name: baseline\n    overrides: {finance: {outpatient_reimbursement: {village: 1.5}}}\n"
        "  - name: reform\n    policy: anhui-2042\n"
        "    interventions: [{type: continuous_deductible, counties: [Nowhere], source: test}]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_runnable_experiment(path)
    fields = [(Path(p.file).name, p.line, p.field) for p in caught.value.problems]
    assert fields == [("exp.yaml", 1, "name"),
                      ("exp.yaml", 8, "scenarios[0].overrides.finance.outpatient_reimbursement.village"),
                      ("exp.yaml", 10, "scenarios[1].policy"),
                      ("facilities.csv", 2, "beds"),
                      ("exp.yaml", 9, "scenarios[1] (reform): continuous_deductible.counties")]


def test_a_scenarios_own_intervention_that_starts_after_the_last_year_is_refused_at_its_line(tmp_path):
    path = tmp_path / "late.yaml"
    path.write_text(textwrap.dedent("""\
        name: late
        seed: 1
        replicates: 1
        years: 2
        world: {kind: synthetic, population: 3000, townships: 2}
        scenarios:
          - name: baseline
          - name: package
            policy: guangdong-2022
          - name: late
            interventions:
              - type: continuous_deductible
                source: "a clause"
                start_year: 3
        """))
    with pytest.raises(ConfigError) as caught:
        load_runnable_experiment(path)
    [problem] = caught.value.problems  # the package's own later levers are not the scenario's mistake
    assert (problem.line, problem.field) == (14, "scenarios[2].interventions[0].start_year")
    assert "after the last recorded year (2)" in problem.message


def test_two_csv_counties_of_one_name_are_refused_not_merged(tmp_path):
    folder = Path(str(files("ygt_abm") / "data" / "example-county"))
    county = shutil.copytree(folder, tmp_path / "county")
    text = (county / "experiment.yaml").read_text(encoding="utf-8")
    block = "    - name: Example county\n      villages: villages.csv\n      facilities: facilities.csv\n"
    assert block in text
    (county / "experiment.yaml").write_text(text.replace(block, block * 2), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_runnable_experiment(county / "experiment.yaml")
    [problem] = caught.value.problems
    assert problem.line == 14 and problem.field.endswith("counties[1].name")
    assert "county 'Example county' is already counties[0]" in problem.message


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_file_that_is_not_a_regular_file_is_refused_before_reading(tmp_path, special):
    """A FIFO would block validate forever and /dev/zero never end: both are refused before any byte is read
    (in a child process with a timeout, so a regression fails instead of hanging the suite)."""
    import os
    import subprocess
    import sys

    path = tmp_path / "fifo.yaml"
    if special == "fifo":
        os.mkfifo(path)
    else:
        path = Path(special)
    code = "import sys; from ygt_abm.cli import app; sys.argv = ['ygt-abm', 'validate', sys.argv[1]]; app()"
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and f"{path}:0: file: cannot read: not a regular file" in result.stdout + result.stderr


def test_exclude_leaves_a_package_s_lever_out_and_the_scenario_s_own_puts_it_back(tmp_path):
    resolved = load_runnable_experiment(_write(tmp_path, GOOD.split("scenarios:")[0] + """\
scenarios:
  - name: without
    policy: anhui-2024
    exclude: [continuous_deductible]
  - name: back
    policy: anhui-2024
    exclude: [continuous_deductible]
    interventions:
      - {type: continuous_deductible, start_year: 1, source: "the package's lever put back"}
  - name: only-the-budget
    policy: anhui-2024
    only: [global_budget]
    interventions:
      - {type: continuous_deductible, start_year: 1, source: "added beside the package's budget"}
"""))
    types = {name: [spec["type"] for spec in specs] for name, specs in resolved.interventions.items()}
    assert "continuous_deductible" not in types["without"]
    assert types["back"].count("continuous_deductible") == 1 and len(types["back"]) == len(types["without"]) + 1
    assert sorted(types["only-the-budget"]) == ["continuous_deductible", "global_budget"]


def test_exclude_names_only_the_package_s_levers(tmp_path):
    path, problems = _problems(tmp_path, GOOD.split("scenarios:")[0] + """\
scenarios:
  - name: own
    interventions:
      - {type: continuous_deductible, start_year: 1, source: "a scenario's own lever"}
    exclude: [continuous_deductible]
""")
    assert any(p.field == "scenarios[0].exclude[0]" and "not an intervention of the scenario's package" in p.message
               for p in problems), problems


def test_a_mistyped_intervention_says_how_to_write_it(tmp_path):
    path, problems = _problems(tmp_path, GOOD.split("scenarios:")[0] + """\
scenarios:
  - name: kind-for-type
    interventions:
      - {kind: doctor_dispatch, source: "a source long enough"}
  - name: type-as-key
    interventions:
      - doctor_dispatch: {source: "a source long enough"}
  - name: wrong-parameter
    interventions:
      - {type: reimbursement_gap, outpatient: 0.1, source: "a source long enough"}
  - name: misspelt-exclude
    policy: anhui-2024
    exclude: [global_budgets]
""")
    by_field = {p.field: p.message for p in problems}
    assert "this entry has `kind:`" in by_field["scenarios[0].interventions[0].type"]
    assert "write `- type: doctor_dispatch`" in by_field["scenarios[1].interventions[0].type"]
    wrong = by_field["scenarios[2].interventions[0].outpatient"]
    assert "did you mean 'outpatient_change'" in wrong and "`ygt-abm interventions`" in wrong
    assert "did you mean 'global_budget'" in by_field["scenarios[3].exclude[0]"]
    assert not any("None" in message for message in by_field.values())
