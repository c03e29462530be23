"""A result store that loses nothing: each run's table is written to a temporary file and renamed into
place, so a file that exists is a finished run and a killed run leaves no half-written result under a
finished run's name. Paths are deterministic in the run's address (scenario, point, replicate)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by whoever has a table to write
    import pandas as pd

KPI_COLUMNS = ["scenario", "point", "replicate", "county", "year", "metric", "value"]
PACKAGES = ("ygt_abm", "mesa", "numpy", "pandas", "pyarrow", "networkx", "pydantic", "ruamel.yaml", "seaborn")
TMP_MARK = ".tmp-"


def run_path(out: Path, scenario: str, point: str, replicate: int, county: int | None = None) -> Path:
    """Where one run's indicator table is stored (``county``: a county run on its own)."""
    part = "" if county is None else f"-county-{county:04d}"
    return Path(out) / "runs" / scenario / point / f"rep-{replicate:04d}{part}.parquet"


def timing_path(result: Path) -> Path:
    return result.with_suffix(".timing.json")


def episodes_path(result: Path) -> Path:
    return result.with_suffix(".episodes.parquet")


def write_atomic(path: Path, write) -> None:
    """Call ``write(tmp_path)`` then rename the temporary file onto ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_stale_temporaries(out: Path) -> int:
    """Delete temporary files left by killed runs; they were never results."""
    stale = [p for p in (Path(out) / "runs").rglob(f".*{TMP_MARK}*")] if (Path(out) / "runs").exists() else []
    for p in stale:
        p.unlink(missing_ok=True)
    return len(stale)


def write_table(df: pd.DataFrame, path: Path) -> None:
    write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))


def write_json(data: Any, path: Path) -> None:
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def git_commit(where: Path) -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def package_versions() -> dict[str, str]:
    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
