"""The layers import one way: each module imports only from its own layer and the layers below it."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ygt_abm"

#: lowest first; a module may import from its own layer and any layer listed before it
LAYERS = [
    ("vocabulary", "streams"),
    ("config",),
    ("world",),
    ("state", "levers", "pricing"),
    ("processes",),
    ("model", "analyzers"),
    ("interventions",),
    ("results",),
    ("experiment",),
    ("analysis", "policies"),
    ("figures", "report", "calibrate", "estimation", "baseline_fit", "evaluation_runs", "reference", "bench", "paper", "dashboard"),
    ("cli",),
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else ""
    if top not in LAYER_OF:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")
    return LAYER_OF[top]


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if len(parts) > 1:
            yield ".".join(parts), path


def _imports(path: Path):
    """Every ygt_abm module imported anywhere in the file, function bodies included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("ygt_abm."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ygt_abm."):
            yield node.module


@pytest.mark.parametrize("module, path", list(_modules()), ids=lambda x: x if isinstance(x, str) else "")
def test_a_module_imports_only_its_own_layer_and_those_below(module, path):
    mine = _layer(module)
    upward = [m for m in _imports(path) if _layer(m) > mine]
    assert not upward, f"{module} (layer {LAYERS[mine]}) imports from above: {upward}"


def test_the_vocabulary_imports_nothing():
    tree = ast.parse((PACKAGE / "vocabulary.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                and not (isinstance(n, ast.ImportFrom) and n.module == "__future__")]


def test_the_checker_sees_function_level_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from ygt_abm.model import CountyModel\n", encoding="utf-8")
    assert list(_imports(sample)) == ["ygt_abm.model"]


def test_every_package_folder_is_installed_and_the_shipped_configs_with_it():
    """pyproject.toml lists the packages by hand (configs/ is mapped into ygt_abm/configs): a new folder of
    code must be listed, or `pip install .` leaves it out."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    setuptools = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    code = {".".join(p.relative_to(root).parts) for p in [root / "ygt_abm", *(root / "ygt_abm").rglob("*")]
            if p.is_dir() and p.name.isidentifier() and p.name != "__pycache__"}  # namespace folders too
    configs = {".".join(("ygt_abm", *p.parent.relative_to(root).parts)) for p in (root / "configs").rglob("*.yaml")}
    assert set(setuptools["packages"]) == code | configs | {"ygt_abm.configs"}
    assert setuptools["package-dir"] == {"ygt_abm.configs": "configs"}
    assert all(setuptools["package-data"][folder] == ["*.yaml"] for folder in configs)
