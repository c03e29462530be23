"""Hostile inputs (issue: results you can trust): the committed corpus in tests/hostile/ (experiment files,
calibration target files, copies of the example county with one file broken, ensemble files, and command
lines of every command with their input files; tests/hostile/generate.py writes it). Every file must give
exit 2, a ``file:line:`` problem, no traceback, and, for ``run``, no output folder; every command line its
documented exit status and message, no traceback, and no change to the folder it runs in."""

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ygt_abm.cli import app

HOSTILE = Path(__file__).parent / "hostile"
sys.path.insert(0, str(HOSTILE))
import generate  # noqa: E402

runner = CliRunner()
EXPERIMENTS = sorted((HOSTILE / "experiments").glob("*.yaml"))
COUNTIES = sorted(p for p in (HOSTILE / "counties").iterdir() if p.is_dir())
TARGETS = sorted((HOSTILE / "targets").glob("*.yaml"))
ENSEMBLES = sorted(p for p in (HOSTILE / "ensembles").iterdir() if p.is_dir())
EVALUATIONS = sorted((HOSTILE / "evaluations").glob("*.yaml"))
PACKAGES = sorted(p for p in (HOSTILE / "packages").iterdir() if p.is_dir())
COMMANDS = sorted(p for p in (HOSTILE / "commands").iterdir() if p.is_dir())


def _assert_refused(path: Path, out: Path, *more: list[str]) -> None:
    for args in (["validate", str(path)], ["run", str(path), "--out", str(out), "--workers", "1"], *more):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args[0], result.output, result.exception)
        _assert_no_traceback(result)
        assert re.search(r"^\S.*:\d+: \S", result.output, re.MULTILINE), result.output  # file:line: field
    assert not out.exists()  # nothing written


def _assert_no_traceback(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def _tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``folder``."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def test_the_corpus_has_at_least_250_cases_and_is_what_the_generator_writes():
    kinds = (EXPERIMENTS, COUNTIES, TARGETS, ENSEMBLES, EVALUATIONS, PACKAGES, COMMANDS)
    assert sum(map(len, kinds)) >= 250
    written = {p for p in HOSTILE.rglob("*") if p.is_file() and p.parent != HOSTILE}
    expected = generate.generate()
    assert written == set(expected), "regenerate: .venv/bin/python tests/hostile/generate.py"
    assert all(path.read_bytes() == data for path, data in expected.items())


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_a_hostile_experiment_file_is_refused_with_file_and_line(tmp_path, path):
    copy = tmp_path / path.name  # run beside nothing else: relative package paths must not resolve
    copy.write_bytes(path.read_bytes())
    _assert_refused(copy, tmp_path / "out")


@pytest.mark.parametrize("folder", COUNTIES, ids=lambda p: p.name)
def test_a_hostile_county_file_is_refused_with_file_and_line(tmp_path, folder):
    copy = shutil.copytree(folder, tmp_path / "county")
    _assert_refused(copy / "experiment.yaml", tmp_path / "out")


@pytest.mark.parametrize("path", TARGETS, ids=lambda p: p.stem)
def test_a_hostile_target_file_is_refused_with_file_and_line(tmp_path, path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    _assert_refused(copy, tmp_path / "out")


def test_a_file_above_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "experiment.yaml"
    path.write_text(generate.GOOD + "description: '" + "x" * 1_100_000 + "'\n", encoding="utf-8")
    _assert_refused(path, tmp_path / "out")


@pytest.mark.parametrize("folder", ENSEMBLES, ids=lambda p: p.name)
def test_a_hostile_ensemble_file_is_refused_with_file_and_line(tmp_path, folder):
    copy = shutil.copytree(folder, tmp_path / "case")
    _assert_refused(copy / "experiment.yaml", tmp_path / "out",
                    ["evaluations", "--ensemble", str(copy / "ensemble.yaml"), "--file", str(copy / "evaluations.yaml"),
                     "--set", "training", "--out", str(tmp_path / "out"), "--workers", "1"])
    assert _tree(copy) == _tree(folder)


@pytest.mark.parametrize("path", EVALUATIONS, ids=lambda p: p.stem)
def test_a_hostile_evaluations_file_is_refused_with_file_and_line(tmp_path, path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    _assert_refused(copy, tmp_path / "out", ["evaluations", "--file", str(copy), "--out", str(tmp_path / "out"),
                                            "--workers", "1"])


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_a_hostile_policy_package_is_refused_with_file_and_line(tmp_path, folder):
    copy = shutil.copytree(folder, tmp_path / "case")
    _assert_refused(copy / "experiment.yaml", tmp_path / "out", ["validate", str(copy / "package.yaml")])


@pytest.mark.parametrize("folder", COMMANDS, ids=lambda p: p.name)
def test_a_hostile_command_line_gives_its_exit_status_and_message_and_changes_nothing(tmp_path, monkeypatch, folder):
    copy = shutil.copytree(folder, tmp_path / "case")
    case = yaml.safe_load((copy / "case.yaml").read_text(encoding="utf-8"))
    monkeypatch.chdir(copy)  # the command line's paths are the case folder's
    result = runner.invoke(app, case["argv"])
    assert result.exit_code == case["exit"], (result.output, result.exception)
    _assert_no_traceback(result)
    assert re.search(case["message"], result.output, re.MULTILINE), result.output
    assert _tree(copy) == _tree(folder)  # no --out made, no file written, none changed
