"""Config files: YAML read in round-trip mode, so every key remembers its line, and the problems found in
them, each reported as ``file:line: field: what was expected``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.reader import ReaderError


def _shipped_configs() -> Path:
    """The shipped configuration a researcher copies and edits (policy packages and their clause maps,
    calibration targets, published evaluations, ensembles): ``configs/`` at the top of a checkout (an
    editable install reads it there), installed as ``ygt_abm/configs/`` by ``pip install .``."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "configs"
    return installed if installed.is_dir() else package.parent / "configs"


#: the shipped configuration folder (a real folder: ygt_abm is installed as files, never zipped)
SHIPPED_CONFIGS = _shipped_configs()


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ConfigError(Exception):
    """One or more problems in config files; ``str()`` lists them one per line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


MAX_CONFIG_BYTES = 1_000_000  # config files are written by hand; a bigger one is a mistake
MAX_NESTING = 64  # brackets or indentation levels; configs use fewer than 10
#: a CSV table read as input (a county's villages or facilities, an elasticity table): tens of kilobytes in
#: practice, so a larger one is a mistake, refused before it is read
MAX_TABLE_BYTES = 20_000_000


def _too_deep(text: str) -> int | None:
    """The line where brackets or indentation nest deeper than ``MAX_NESTING`` (checked before parsing,
    which would take minutes or exhaust the stack), else None. Quotes are not parsed: a bound, not a count."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if (len(line) - len(line.lstrip(" "))) // 2 > MAX_NESTING:
            return number
        for char in line:
            depth += (char in "[{") - (char in "]}")
            if depth > MAX_NESTING:
                return number
    return None


def require_regular_file(path: Path, limit: int | None = None) -> None:
    """OSError unless ``path`` is a regular file (of at most ``limit`` bytes, if given): a FIFO would block a
    reader and a device never end, so they are refused before any byte is read, as is a file too large to hold."""
    if not path.is_file():
        raise OSError(f"not a regular file{'' if path.exists() else ' (no such file)'}")
    if limit is not None and (size := path.stat().st_size) > limit:
        raise OSError(f"{size:,} bytes; a file of this kind has at most {limit:,}")


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file (``require_regular_file``)."""
    require_regular_file(path)
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def read_yaml(path: Path) -> Any:
    """Parse ``path`` in round-trip mode (keeps line numbers). Every way a file can be unreadable becomes a
    ``ConfigError`` with a line: not UTF-8, control characters, syntax, nesting too deep, too large, and YAML
    aliases (refused: an alias can multiply a small file into billions of values)."""
    file = str(path)
    try:
        data = read_limited(Path(path), MAX_CONFIG_BYTES)
    except OSError as exc:
        raise ConfigError([Problem(file, 0, "file", f"cannot read: {exc.strerror or exc}")]) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError([Problem(file, 0, "file", f"{len(data):,} bytes; a config file has at most "
                                                  f"{MAX_CONFIG_BYTES:,}")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ConfigError([Problem(file, line, "file", f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the "
                                                     "file as UTF-8")]) from None
    deep = _too_deep(text)
    if deep is not None:
        raise ConfigError([Problem(file, deep, "yaml", f"nested more than {MAX_NESTING} levels deep")])
    try:
        for event in YAML(typ="rt").parse(text):
            if isinstance(event, AliasEvent):
                raise ConfigError([Problem(file, event.start_mark.line + 1, "yaml",
                                           f"alias *{event.anchor}: write the values out instead")])
        return YAML(typ="rt").load(text)
    except ReaderError as exc:
        line = text[:exc.position].count("\n") + 1
        raise ConfigError([Problem(file, line, "yaml", f"control character #x{exc.character:04x}: {exc.reason}")]) \
            from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ConfigError([Problem(file, line, "yaml", f"{exc.problem or exc.context}")]) from None
    except RecursionError:
        raise ConfigError([Problem(file, 1, "yaml", "nested too deeply")]) from None


def line_of(node: Any, path: tuple[Any, ...]) -> tuple[int | None, int]:
    """(1-based line of the deepest part of ``path`` found under ``node``, how many parts were found).

    Parts that are not keys (pydantic's union tags, a key that is missing) are skipped."""
    line = node.lc.line + 1 if getattr(getattr(node, "lc", None), "line", None) is not None else None
    found = 0
    for part in path:
        if isinstance(node, CommentedMap) and part in node:
            line, node = node.lc.key(part)[0] + 1, node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line, node = node.lc.item(part)[0] + 1, node[part]
        else:
            continue
        found += 1
    return line, found


def dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def did_you_mean(name: Any, known) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``known`` to a mistyped ``name``, or nothing."""
    close = difflib.get_close_matches(str(name), sorted(known), n=1, cutoff=0.75)
    close = close or [key for key in sorted(known) if str(key).startswith(f"{name}_")][:1]  # outpatient_change
    return f" (did you mean {close[0]!r}?)" if close else ""


def _config_keys() -> set[str]:
    """Every key any config model has (the classes that derive from ``Strict``)."""
    from ygt_abm.config.params import Strict

    keys, todo = set(), [Strict]
    while todo:
        cls = todo.pop()
        keys |= set(getattr(cls, "model_fields", {}))
        todo += cls.__subclasses__()
    return keys


def message_of(error: dict[str, Any], keys: set[str] | None = None, listed_by: str = "ygt-abm params") -> str:
    """A pydantic error in the project's words; an unknown key is matched against ``keys`` (default: every
    config key) and the reader sent to the command ``listed_by`` that lists the right ones."""
    msg = error["msg"]
    if error["type"] == "extra_forbidden":
        hint = did_you_mean(error["loc"][-1], _config_keys() if keys is None else keys) if error["loc"] else ""
        return f"unknown key{hint} (check its spelling and place; see `{listed_by}`)"
    if error["type"] == "missing":
        return "required key is missing"
    return msg.removeprefix("Value error, ")


def problems_from(exc: ValidationError, file: str, roots: list[tuple[Any, tuple[Any, ...]]],
                  keys: set[str] | None = None, listed_by: str = "ygt-abm params") -> list[Problem]:
    """Map pydantic errors onto YAML lines. ``roots`` are (node, field prefix) pairs, e.g. a scenario's
    overrides and the experiment's shared parameters: the one holding most of the error's path wins.
    ``keys``, ``listed_by``: see ``message_of``."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        located = [line_of(node, loc) for node, _ in roots]
        best = max(range(len(roots)), key=lambda i: (located[i][1], -i))  # most of the path; earlier root on ties
        line = located[best][0]
        problems.append(Problem(file, line or 1, dotted(roots[best][1] + loc), message_of(error, keys, listed_by)))
    return problems


def validate_model(model: type[BaseModel], data: Any, file: str, node: Any = None) -> BaseModel:
    """Validate ``data`` as ``model``; errors point at lines of ``node`` (defaults to ``data``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, file, [(data if node is None else node, ())])) from None
