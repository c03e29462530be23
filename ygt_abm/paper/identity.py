"""Which ygt_abm built the paper: the package's version and the git commit of its source tree (marked
``+modified`` when the tree has uncommitted changes), and the tag when that commit is exactly a tag. The
build writes them to ``numbers.json`` (``build.version``, ``build.commit``, ``build.tag``) and page 1
prints them, so a reader can cite the version and commit they ran. Nothing here depends on the time or the
machine: the same tree gives the same identity."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

#: the folder holding ygt_abm/ and pyproject.toml: a checkout, or site-packages when installed
SOURCE_ROOT = Path(__file__).resolve().parents[2]
UNKNOWN = "unknown"
#: the keys of numbers.json the identity fills; no manifest number may take one of them
KEYS = ("build.version", "build.commit", "build.tag")


@dataclass(frozen=True)
class BuildIdentity:
    """ygt_abm's version, its source tree's commit (40 hex digits, 64 in a SHA-256 repository; or ``unknown`` outside a git checkout),
    whether that tree has uncommitted changes (None when unknown), and the tag at the commit (or None)."""

    version: str
    commit: str = UNKNOWN
    modified: bool | None = None
    tag: str | None = None

    @property
    def commit_text(self) -> str:
        """The commit as page 1 prints it: 7 hex digits, ``+modified`` when the tree was dirty."""
        if self.commit == UNKNOWN:
            return UNKNOWN
        return self.commit[:7] + ("+modified" if self.modified else "")

    def numbers(self) -> dict[str, dict]:
        """The identity as numbers.json entries: each with the ``value`` and the ``text`` the paper prints."""
        return {
            "build.version": {"value": self.version, "text": self.version,
                              "source": "ygt_abm's package metadata (pyproject.toml)"},
            "build.commit": {"value": self.commit, "text": self.commit_text, "modified": self.modified,
                             "source": "git rev-parse HEAD; git status --porcelain"},
            "build.tag": {"value": self.tag, "text": self.tag or "",
                          "source": "git describe --tags --exact-match"},
        }


def package_version(root: Path = SOURCE_ROOT) -> str:
    """The version of the source that runs: pyproject.toml's beside it in a checkout (an editable install's
    metadata keeps the version it was installed at, and a worktree on the path is not what was installed),
    else the installed package's."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    try:
        return importlib.metadata.version("ygt_abm")
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN


def _git(root: Path, *args: str) -> str | None:
    # --no-optional-locks: a status must not take the index lock from someone committing in the same checkout.
    try:
        done = subprocess.run(["git", "--no-optional-locks", "-C", str(root), *args], capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def build_identity(root: Path = SOURCE_ROOT, version: str | None = None) -> BuildIdentity:
    """The identity of the source tree at ``root`` (the folder holding ygt_abm/): its commit only when
    ``root`` is the top of a git checkout, so an installed copy inside some other repository (a virtual
    environment in a checkout) is not credited with that repository's commit."""
    version = version or package_version(root)
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != root.resolve():
        return BuildIdentity(version)
    commit = _git(root, "rev-parse", "HEAD")
    status = _git(root, "status", "--porcelain")
    if commit is None or not re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", commit) or status is None:
        return BuildIdentity(version)  # a checkout without a commit yet, or git failing part-way
    return BuildIdentity(version, commit, bool(status), _git(root, "describe", "--tags", "--exact-match") or None)
