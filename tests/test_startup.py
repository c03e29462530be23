"""Commands import only what they use: checking a file or printing a table loads no simulation, no tables,
no figures and no clusters (a second or more of imports). Each command runs in a fresh interpreter, which
then lists the packages it imported; nothing is timed."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: the simulation's compiled kernels, its tables, figures, graphs, clusters, the samplers and the per-agent
#: reference: none of them is needed to check a file or to print what the model offers
HEAVY = {"scipy", "numba", "llvmlite", "pandas", "pyarrow", "matplotlib", "networkx", "mesa", "dask",
         "distributed", "optuna", "SALib"}

RUN = """\
import json, sys
from ygt_abm.cli import app
try:
    app(sys.argv[1:], prog_name="ygt-abm")
except SystemExit as exc:
    code = exc.code or 0
print("MODULES " + json.dumps({"exit": code, "packages": sorted({m.partition(".")[0] for m in sys.modules})}))
"""


def imported_by(*args: str) -> set[str]:
    """The top-level packages ``ygt-abm ARGS`` imports, in a fresh interpreter; the command must succeed."""
    done = subprocess.run([sys.executable, "-c", RUN, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("MODULES "), done.stdout + done.stderr
    report = json.loads(last.removeprefix("MODULES "))
    assert report["exit"] == 0, done.stdout + done.stderr
    return set(report["packages"])


def test_importing_the_command_line_loads_neither_models_nor_arrays_nor_rich():
    assert sorted(imported_by("--version") & (HEAVY | {"numpy", "pydantic", "rich", "ruamel"})) == []


def test_validate_checks_every_kind_of_file_without_the_simulation():
    packages = imported_by("validate", "experiments/quickstart.yaml", "experiments/regression-all-packages.yaml",
                           "configs/policies/zhejiang-2026.yaml", "configs/calibration/targets.yaml",
                           "configs/calibration/evaluations.yaml")
    assert {"pydantic", "ruamel"} <= packages  # it did check them
    assert sorted(packages & (HEAVY | {"rich"})) == []  # rich prints tables; validate prints lines


@pytest.mark.parametrize("command, also_absent", [
    (["--help"], set()), (["params"], {"numpy"}), (["interventions"], set()), (["indicators"], {"numpy"}),
    (["schema"], {"numpy", "rich"}),  # the parameters' defaults and the schema are pure pydantic
], ids=lambda c: c[0] if isinstance(c, list) else "")
def test_tables_and_help_load_no_simulation(command, also_absent):
    assert sorted(imported_by(*command) & (HEAVY | also_absent)) == []


def test_validate_loads_no_arrays_for_a_file_that_names_no_intervention():
    """Interventions' code (and numpy with it) is imported only when a file names one."""
    packages = imported_by("validate", "experiments/quickstart.yaml")
    assert "pydantic" in packages and "numpy" not in packages


def test_the_check_sees_a_heavy_import_when_a_command_makes_one():
    # the weekly loop's table is read from the processes, which load their compiled kernels
    assert "numba" in imported_by("loop")
