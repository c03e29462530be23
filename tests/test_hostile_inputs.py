"""Hostile inputs (issue: results you can trust): every one must give exit 2, a ``file:line:`` problem, no
traceback, and, for ``run``, no output folder. Each case mutates a good experiment or the example county."""

import re
import shutil
from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ygt_abm.cli import app

runner = CliRunner()

GOOD = """\
name: hostile
seed: 1
replicates: 2
years: 1
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: reform
    policy: anhui-2024
"""

#: (case, text replacing GOOD or bytes) for experiment files
EXPERIMENTS = {
    "yaml syntax": GOOD.replace("years: 1", "years: [1"),
    "tab indentation": GOOD.replace("  - name: baseline", "\t- name: baseline"),
    "boolean seed": GOOD.replace("seed: 1", "seed: true"),
    "boolean replicates": GOOD.replace("replicates: 2", "replicates: true"),
    "infinite road speed": GOOD.replace("townships: 2}", "townships: 2, highway_kmh: .inf}"),
    "nan beds": GOOD + "parameters:\n  facilities: {city_beds: .nan}\n",
    "negative replicates": GOOD.replace("replicates: 2", "replicates: -1"),
    "zero years": GOOD.replace("years: 1", "years: 0"),
    "unknown top-level key": GOOD + "replicate: 3\n",
    "misspelt parameter": GOOD + "parameters:\n  finance: {outpatient_reimbursment: {village: 0.9}}\n",
    "share above one": GOOD + "parameters:\n  finance: {outpatient_reimbursement: {village: 1.5}}\n",
    "unknown package": GOOD.replace("policy: anhui-2024", "policy: anhui-2042"),
    "unknown intervention": GOOD + "  - name: other\n    interventions:\n      - {type: gatekeping, source: x}\n",
    "intervention without source": GOOD + "  - name: other\n    interventions:\n      - {type: continuous_deductible}\n",
    "intervention aimed at an unknown county": GOOD + "  - name: other\n    interventions:\n"
                                               "      - {type: continuous_deductible, counties: [Nowhere], source: x}\n",
    "duplicate scenario": GOOD + "  - name: baseline\n",
    "reference not a scenario": GOOD + "reference: nobody\n",
    "sweep and samples": GOOD + "sweep: {finance.outpatient_reimbursement.village: [0.8]}\n"
                                "samples: {n: 2, bounds: {finance.outpatient_reimbursement.village: [0.7, 0.9]}}\n",
    "sweep of millions of runs": GOOD + "sweep:\n" + "".join(
        f"  finance.outpatient_reimbursement.{level}: [{', '.join(str(0.5 + i / 1000) for i in range(100))}]\n"
        for level in ("village", "township", "county")),
    "empty sweep": GOOD + "sweep: {finance.outpatient_reimbursement.village: []}\n",
    "not a mapping": "- just\n- a list\n",
    "empty file": "",
    "alias": GOOD + "parameters: &p {}\nx: *p\n",
    "deep brackets": "name: " + "[" * 5000 + "]" * 5000 + "\n",
    "latin-1": "name: café\n".encode("latin-1"),
    "utf-16": GOOD.encode("utf-16"),
    "control character": GOOD.replace("seed: 1", "seed: 1\x07"),
    "nul byte": GOOD.encode() + b"\x00",
    "csv world without files": GOOD.replace("world: {kind: synthetic, population: 3000, townships: 2}",
                                            "world: {kind: csv, counties: [{name: A, villages: v.csv, "
                                            "facilities: f.csv}], city_hospitals: c.csv}"),
}


def _county(tmp_path) -> Path:
    folder = tmp_path / "county"
    shutil.copytree(Path(str(files("ygt_abm") / "data" / "example-county")), folder)
    return folder


def _edit(path: Path, change) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_bytes(change(lines) if callable(change) else change)


def _cell(lines, row, column, value):
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode("utf-8")


#: (case, file of the example county, change to its lines → bytes)
COUNTY_FILES = {
    "missing column": ("villages.csv", lambda ls: ("\n".join(",".join(row.split(",")[:-1]) for row in ls) + "\n").encode()),
    "extra cell": ("villages.csv", lambda ls: ("\n".join(ls[:2] + [ls[2] + ",9"] + ls[3:]) + "\n").encode()),
    "duplicate village": ("villages.csv", lambda ls: ("\n".join(ls + [ls[1]]) + "\n").encode()),
    "non-numeric population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "many")),
    "negative population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "-5")),
    "fractional population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "10.5")),
    "huge population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "999999999999")),
    "nan longitude": ("villages.csv", lambda ls: _cell(ls, 2, "longitude", "nan")),
    "latitude out of range": ("villages.csv", lambda ls: _cell(ls, 2, "latitude", "134.0")),
    "blank township": ("villages.csv", lambda ls: _cell(ls, 2, "township", "")),
    "empty villages file": ("villages.csv", lambda ls: b""),
    "header only": ("villages.csv", lambda ls: (ls[0] + "\n").encode()),
    "gbk encoding": ("villages.csv", lambda ls: ("\n".join(ls) + "\n").encode("gbk")),
    "unclosed quote": ("villages.csv", lambda ls: ("\n".join(ls[:2] + ['"' + ls[2]] + ls[3:]) + "\n").encode()),
    "unknown facility kind": ("facilities.csv", lambda ls: _cell(ls, 1, "kind", "clinic")),
    "negative beds": ("facilities.csv", lambda ls: _cell(ls, 1, "beds", "-3")),
    "infinite beds": ("facilities.csv", lambda ls: _cell(ls, 1, "beds", "inf")),
    "no county hospital": ("facilities.csv", lambda ls: ("\n".join(row for row in ls if "county_hospital" not in row)
                                                         + "\n").encode()),
    "township without a centre": ("facilities.csv", lambda ls: ("\n".join(ls[:2] + ls[3:]) + "\n").encode()),
    "wrong city-hospital kind": ("city_hospitals.csv", lambda ls: _cell(ls, 1, "kind", "county_hospital")),
}


def _assert_refused(path: Path, out: Path) -> None:
    for args in (["validate", str(path)], ["run", str(path), "--out", str(out), "--workers", "1"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args[0], result.output, result.exception)
        assert "Traceback" not in result.output
        assert re.search(r"^\S.*:\d+: \S", result.output, re.MULTILINE), result.output  # file:line: field
    assert not out.exists()  # nothing written


@pytest.mark.parametrize("case", list(EXPERIMENTS))
def test_a_hostile_experiment_file_is_refused_with_file_and_line(tmp_path, case):
    path = tmp_path / "experiment.yaml"
    content = EXPERIMENTS[case]
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    _assert_refused(path, tmp_path / "out")


@pytest.mark.parametrize("case", list(COUNTY_FILES))
def test_a_hostile_county_file_is_refused_with_file_and_line(tmp_path, case):
    folder = _county(tmp_path)
    name, change = COUNTY_FILES[case]
    _edit(folder / name, change)
    _assert_refused(folder / "experiment.yaml", tmp_path / "out")
