"""Published evaluations as data: the shipped file, its pre-registered split, the held-out set kept from
fitting code, and every kind of bad entry reported as file:line: field: problem."""

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ygt_abm.cli import app
from ygt_abm.config.evaluations import (
    EVALUATIONS_FILE, FAMILIES, HELD_OUT, TRAINING, held_out_evaluations, load_evaluations, training_evaluations,
)
from ygt_abm.config.files import ConfigError
from ygt_abm.experiment.loading import intervention_schemas
from ygt_abm.vocabulary import INDICATORS

PACKAGE = Path(__file__).resolve().parents[1] / "ygt_abm"
SCHEMAS = intervention_schemas()
runner = CliRunner()


@pytest.fixture(scope="module")
def shipped():
    return load_evaluations(EVALUATIONS_FILE, SCHEMAS)


def test_the_split_is_disjoint_and_large_enough(shipped):
    training = training_evaluations(SCHEMAS)
    held_out = held_out_evaluations(SCHEMAS)
    assert {e.id for e in training} | {e.id for e in held_out} == {e.id for e in shipped}
    assert not {e.id for e in training} & {e.id for e in held_out}
    assert not {e.publication for e in training} & {e.publication for e in held_out}
    # only evaluations with an outcome the model can measure count towards the sizes
    assert len([e for e in training if e.outcomes]) >= 6
    assert len([e for e in held_out if e.outcomes]) >= 4


def test_both_sets_span_gatekeeping_payment_budgets_and_integration(shipped):
    for name in (TRAINING, HELD_OUT):
        families = {e.family for e in shipped if e.set == name and e.outcomes}
        assert {"gatekeeping", "case_payment", "global_budget", "integration"} <= families, name


def test_the_shipped_split_follows_its_pre_registered_rule(shipped):
    """Rule (the file's header): publications, by family, ordered by year (undated last) then id, alternate
    training, held-out, starting with training."""
    publications: dict[str, tuple] = {}
    for e in shipped:
        if e.batch == 1:  # the second batch, registered later, is held-out whatever the rule says
            publications.setdefault(e.publication, (e.family, e.year, e.set))
    for family in FAMILIES:
        ordered = sorted((p for p, (f, _, _) in publications.items() if f == family),
                         key=lambda p: (publications[p][1] is None, publications[p][1] or 0, p))
        for rank, publication in enumerate(ordered):
            assert publications[publication][2] == (TRAINING if rank % 2 == 0 else HELD_OUT), publication


def test_the_second_batch_is_held_out_and_shares_no_publication_with_the_first(shipped):
    second = [e for e in shipped if e.batch == 2]
    assert second and all(e.set == HELD_OUT for e in second)
    assert not {e.publication for e in second} & {e.publication for e in shipped if e.batch == 1}
    assert not {e.id for e in training_evaluations(SCHEMAS)} & {e.id for e in second}


def test_the_issue_names_dingyuan_sanming_and_deqing(shipped):
    ids = " ".join(e.id for e in shipped)
    assert all(place in ids for place in ("dingyuan", "sanming", "deqing"))


def test_every_shipped_evaluation_has_a_name_for_readers_of_its_own(shipped):
    labels = [e.label for e in shipped]
    assert all(labels) and len(set(labels)) == len(labels)
    assert not any(e.id in e.label for e in shipped)  # a name, not the file's key


def test_every_outcome_names_indicators_and_a_band_with_its_rule(shipped):
    outcomes = [o for e in shipped for o in e.outcomes]
    assert outcomes and all(set(o.indicators()) <= set(INDICATORS) for o in outcomes)
    assert {o.band_basis for o in outcomes} >= {"p_value", "factor_two", "sign"}
    sign = next(o for o in outcomes if o.band_basis == "sign" and o.band[0] == 0)
    assert sign.contains(0.01) and not sign.contains(-0.01)


def test_training_evaluations_cannot_return_held_out_entries(tmp_path):
    path = _write(tmp_path, _entry("a2020-x", "training") + _entry("b2021-y", "held-out"))
    assert [e.id for e in training_evaluations(SCHEMAS, path)] == ["a2020-x"]
    assert [e.id for e in held_out_evaluations(SCHEMAS, path)] == ["b2021-y"]


# ── the held-out set is unreadable by fitting code ──

#: modules that fit parameters, now and later: the calibration, the baseline's fit, and any fitting or
#: estimation package
FITTING_GLOBS = ("calibrate*.py", "*fit*.py", "fitting/**/*.py", "estimation/**/*.py", "calibrate/**/*.py")
#: what reaching the held-out set takes: its loader, the loader of both sets, or its name
FORBIDDEN_NAMES = {"held_out_evaluations", "load_evaluations", "HELD_OUT"}
FORBIDDEN_TEXT = re.compile(r"held[-_ ]out", re.IGNORECASE)


def _fitting_modules() -> list[Path]:
    return sorted({path for pattern in FITTING_GLOBS for path in PACKAGE.glob(pattern)})


def _reaches_held_out(path: Path) -> list[str]:
    """Every way the module names the held-out set: loader names, imports, attributes, string constants."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Name):
            names = [node.id]
        elif isinstance(node, ast.Attribute):
            names = [node.attr]
        elif isinstance(node, ast.ImportFrom | ast.Import):
            names = [alias.name.split(".")[-1] for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and FORBIDDEN_TEXT.search(node.value):
            found.append(f"line {node.lineno}: the string {node.value!r}")
        found += [f"line {node.lineno}: {name}" for name in names if name in FORBIDDEN_NAMES]
    return found


def test_fitting_code_never_reaches_the_held_out_set():
    modules = _fitting_modules()
    assert PACKAGE / "calibrate.py" in modules and PACKAGE / "baseline_fit.py" in modules
    offences = {str(m.relative_to(PACKAGE)): _reaches_held_out(m) for m in modules}
    assert not {m: o for m, o in offences.items() if o}


#: the loader defines the held-out set's names; fitting code imports it for ``training_evaluations``
LOADER = "ygt_abm.config.evaluations"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path) -> set[str]:
    """The ygt_abm modules a file imports anywhere (function bodies too), each with its packages."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            found |= {".".join(parts[:i]) for i in range(2, len(parts) + 1) if parts[0] == "ygt_abm"}
    return found


def test_fitting_code_imports_no_module_that_reaches_the_held_out_set():
    """Naming it directly is not the only way in: a fitting module must not import, even through other
    modules, one that reads the held-out set (such as the `ygt-abm evaluations` job)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    reaching = {name for name, path in modules.items() if name != LOADER and _reaches_held_out(path)}
    assert "ygt_abm.evaluation_runs" in reaching  # the check sees the module that reports the held-out set
    imports = {name: _imported(path) & modules.keys() for name, path in modules.items()}
    for path in _fitting_modules():
        seen, todo = set(), [_module_name(path)]
        while todo:  # every module the fitting module loads, through any chain of imports
            for name in imports[todo.pop()] - seen:
                seen.add(name)
                todo.append(name)
        assert not seen & reaching, f"{path.relative_to(PACKAGE)} imports {sorted(seen & reaching)}"


@pytest.mark.parametrize("source", [
    "from ygt_abm.config.evaluations import held_out_evaluations\n",
    "import ygt_abm.config.evaluations as ev\nev.load_evaluations('x', {})\n",
    "def f(evs):\n    return [e for e in evs if e.set == 'held-out']\n",
    "from ygt_abm.config import evaluations\nevaluations.HELD_OUT\n",
])
def test_the_check_sees_every_way_to_the_held_out_set(tmp_path, source):
    sample = tmp_path / "sample.py"
    sample.write_text(source, encoding="utf-8")
    assert _reaches_held_out(sample)


def test_the_check_lets_the_training_loader_through(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from ygt_abm.config.evaluations import training_evaluations\ntraining_evaluations({})\n",
                      encoding="utf-8")
    assert not _reaches_held_out(sample)


# ── hostile input: each bad entry is reported as file:line: field: problem ──

def _entry(id_: str, set_: str, outcome: str | None = None, intervention: str | None = None) -> str:
    outcome = outcome or """
      - indicator: out_of_county_inpatient_share
        effect: difference
        years: [1]
        band: [null, 0]
        band_basis: sign
        source: abstract"""
    intervention = intervention or """
        - type: global_budget
          source: a study's methods"""
    return f"""
  - id: {id_}
    set: {set_}
    family: global_budget
    year: 2020
    citation: Someone A (2020) A journal 1:1
    setting: a county
    design: did
    period: {{pre: [2018, 2019], post: [2020, 2021]}}
    treated:
      interventions:{intervention}
    outcomes:{outcome}
"""


def _write(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "evaluations.yaml"
    path.write_text("evaluations:" + entries, encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_evaluations(path, SCHEMAS)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = [str(p) for p in caught.value.problems]
    assert all(line in result.output for line in lines)
    return lines


def test_a_good_file_validates(tmp_path):
    path = _write(tmp_path, _entry("a2020-x", "training"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "1 training, 0 held-out" in result.output


def test_an_unknown_indicator(tmp_path):
    outcome = """
      - indicator: out_of_county_inpatient_shares
        effect: difference
        years: [1]
        band: [null, 0]
        band_basis: sign
        source: abstract"""
    path = _write(tmp_path, _entry("a2020-x", "training", outcome=outcome))
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:15: evaluations[0].outcomes[0].indicator: unknown indicator")
    assert "did you mean 'out_of_county_inpatient_share'" in problem


def test_an_unknown_indicator_in_a_sum(tmp_path):
    outcome = """
      - indicator: [visits_per_capita_village, visits_per_capita_town]
        effect: relative
        years: [1]
        band: [0, null]
        band_basis: sign
        source: abstract"""
    [problem] = _problems(_write(tmp_path, _entry("a2020-x", "training", outcome=outcome)))
    assert ":15: evaluations[0].outcomes[0].indicator: unknown indicator 'visits_per_capita_town'" in problem


def test_an_unknown_intervention_parameter(tmp_path):
    intervention = """
        - type: global_budget
          retained_shares: 0.5
          source: a study's methods"""
    [problem] = _problems(_write(tmp_path, _entry("a2020-x", "training", intervention=intervention)))
    assert ":13: evaluations[0].treated.interventions[0].retained_shares: unknown key" in problem


def test_an_intervention_without_a_source(tmp_path):
    intervention = """
        - type: global_budget
          retained_share: 0.5"""
    [problem] = _problems(_write(tmp_path, _entry("a2020-x", "training", intervention=intervention)))
    assert ":12: evaluations[0].treated.interventions[0].source: required key is missing" in problem


def test_an_outcome_without_a_source(tmp_path):
    outcome = """
      - indicator: out_of_county_inpatient_share
        effect: difference
        years: [1]
        band: [null, 0]
        band_basis: sign"""
    [problem] = _problems(_write(tmp_path, _entry("a2020-x", "training", outcome=outcome)))
    assert ":15: evaluations[0].outcomes[0].source: required key is missing" in problem


def test_a_duplicate_id(tmp_path):
    path = _write(tmp_path, _entry("a2020-x", "training") + _entry("a2020-x", "training"))
    [problem] = _problems(path)
    assert problem == f"{path}:22: evaluations[1].id: duplicate id 'a2020-x' (first as evaluations[0])"


def test_an_evaluation_in_both_sets(tmp_path):
    path = _write(tmp_path, _entry("a2020-x", "training") + _entry("a2020-x", "held-out"))
    [problem] = _problems(path)
    assert problem.endswith("duplicate id 'a2020-x' (first as evaluations[0]) and is listed in both sets "
                            "(training, held-out)")


def test_a_second_batch_entry_in_the_training_set(tmp_path):
    path = _write(tmp_path, _entry("a2020-x", "training").replace("    set: training", "    set: training\n    batch: 2"))
    [problem] = _problems(path)
    assert "evaluations[0]" in problem and "held-out only" in problem


def test_one_publication_in_both_sets(tmp_path):
    path = _write(tmp_path, _entry("a2020-x", "training") + _entry("a2020-y", "held-out"))
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:23: evaluations[1].set: 'held-out', but 'a2020-x' of the same publication")


def test_a_set_that_is_neither(tmp_path):
    [problem] = _problems(_write(tmp_path, _entry("a2020-x", "testing")))
    assert ":3: evaluations[0].set: Input should be 'training' or 'held-out'" in problem


@pytest.mark.parametrize("band, basis, extra, message", [
    ("[0.1, 0.9]", "p_value", "estimate: 0.553\n        p: 0.001", "does not follow band_basis 'p_value'"),
    ("[0.2, 0.9]", "factor_two", "estimate: 0.4", "does not follow band_basis 'factor_two'"),
    ("[0.1, 0.9]", "ci95", "estimate: 0.5", "band_basis ci95 needs the published ci95"),
    ("[-0.1, 0]", "sign", "", "a sign band is [0, null] or [null, 0]"),
    ("[null, null]", "sign", "", "a band is open on one side at most"),
    ("[0.5, 0.1]", "ci95", "ci95: [0.1, 0.5]", "band: expected [low, high] with low < high"),
])
def test_a_band_that_does_not_follow_its_rule(tmp_path, band, basis, extra, message):
    outcome = f"""
      - indicator: visits_per_capita
        effect: relative
        years: [1]
        {extra or 'note: none'}
        band: {band}
        band_basis: {basis}
        source: abstract"""
    [problem] = _problems(_write(tmp_path, _entry("a2020-x", "training", outcome=outcome)))
    assert ":15: evaluations[0].outcomes[0]" in problem and message in problem


def test_an_unknown_policy_package_and_a_bad_override(tmp_path):
    entry = _entry("a2020-x", "training").replace("    treated:\n", "    overrides: {finance: {outpatient_fund_limit: -1}}\n"
                                                  "    control: {policy: zhejiang-2062}\n    treated:\n")
    path = _write(tmp_path, entry)
    problems = _problems(path)
    assert any(":11: evaluations[0].control.policy: no shipped policy package 'zhejiang-2062'" in p
               and "did you mean 'zhejiang-2026'" in p for p in problems)
    assert any(":10: evaluations[0].overrides.finance.outpatient_fund_limit" in p for p in problems)


def test_an_evaluation_with_nothing_to_measure_must_say_why(tmp_path):
    entry = _entry("a2020-x", "training").split("    outcomes:")[0] + "    outcomes: []\n"
    [problem] = _problems(_write(tmp_path, entry))
    assert "evaluations[0]: an evaluation without outcomes says why (not_expressible)" in problem
