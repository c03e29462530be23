"""A result store that loses nothing: each run's table is written to a temporary file and renamed into
place, so a file that exists is a finished run and a killed run leaves no half-written result under a
finished run's name. Paths are deterministic in the run's address (scenario, point, replicate).

A folder is written by one runner at a time (a lock on ``runs/.lock``: exclusive for a whole experiment,
shared for a job-array shard, which also holds its own shard's lock), and every table and figure of the
reports is written the same way; ``complete.json``, written last, says the folder is finished."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import socket
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
COMPLETE = "complete.json"  # written last: the folder's results and reports are all there


class OutputLocked(Exception):
    """Another runner is writing to the output directory."""


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


@contextlib.contextmanager
def hold_output(out: Path, shard: tuple[int, int] | None = None):
    """Hold the output folder for one runner: an exclusive lock for a whole experiment; for a job-array
    shard a shared lock (other shards may write beside it) and its own shard's exclusive lock. A runner
    already holding it makes this raise ``OutputLocked``, naming it. Released when the block ends, even
    if the process is killed (the kernel drops the lock)."""
    runs = Path(out) / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    locks = [(runs / ".lock", fcntl.LOCK_SH if shard else fcntl.LOCK_EX)]
    if shard:
        locks.append((runs / f".lock-shard-{shard[0]}-of-{shard[1]}", fcntl.LOCK_EX))
    with contextlib.ExitStack() as held:
        for path, mode in locks:
            handle = held.enter_context(open(path, "a+", encoding="utf-8"))
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another runner"
                raise OutputLocked(f"{out} is being written by {holder}; wait for it to finish, or choose "
                                   "another --out") from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
            handle.flush()
        yield


def is_held(out: Path) -> bool:
    """Whether a runner is writing to ``out`` now."""
    lock = Path(out) / "runs" / ".lock"
    if not lock.is_file():  # absent, or something no runner made (a folder): nothing holds the output
        return False
    with open(lock, encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def write_table(df: pd.DataFrame, path: Path) -> None:
    write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))


def write_csv(df: pd.DataFrame, path: Path, **options: Any) -> None:
    write_atomic(path, lambda tmp: df.to_csv(tmp, index=False, **options))


def write_json(data: Any, path: Path) -> None:
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def yaml_text(data: Any, header: str = "") -> str:
    """``data`` (plain mappings, lists, numbers, strings) as block YAML in the order given, after ``header``
    (comment lines): the form of the experiment and parameter files the project writes for people to read."""
    from ruamel.yaml import YAML

    stream = io.StringIO()
    stream.write(header)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.sort_base_mapping_type_on_output = False
    yaml.dump(data, stream)
    return stream.getvalue()


def write_yaml(data: Any, path: Path, header: str = "") -> None:
    text = yaml_text(data, header)
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
