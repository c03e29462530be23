"""Config files: YAML read in round-trip mode, so every key remembers its line, and the problems found in
them, each reported as ``file:line: field: what was expected``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError


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


def read_yaml(path: Path) -> Any:
    """Parse ``path`` in round-trip mode (keeps line numbers); syntax errors become ``ConfigError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([Problem(str(path), 0, "file", f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise ConfigError([Problem(str(path), line, "yaml", f"{exc.problem or exc.context}")]) from None


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


def message_of(error: dict[str, Any]) -> str:
    msg = error["msg"]
    if error["type"] == "extra_forbidden":
        return "unknown key (check its spelling and place; see `ygt-abm params`)"
    if error["type"] == "missing":
        return "required key is missing"
    return msg.removeprefix("Value error, ")


def problems_from(exc: ValidationError, file: str, roots: list[tuple[Any, tuple[Any, ...]]]) -> list[Problem]:
    """Map pydantic errors onto YAML lines. ``roots`` are (node, field prefix) pairs, e.g. a scenario's
    overrides and the experiment's shared parameters: the one holding most of the error's path wins."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        located = [line_of(node, loc) for node, _ in roots]
        best = max(range(len(roots)), key=lambda i: (located[i][1], -i))  # most of the path; earlier root on ties
        line = located[best][0]
        problems.append(Problem(file, line or 1, dotted(roots[best][1] + loc), message_of(error)))
    return problems


def validate_model(model: type[BaseModel], data: Any, file: str, node: Any = None) -> BaseModel:
    """Validate ``data`` as ``model``; errors point at lines of ``node`` (defaults to ``data``)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, file, [(data if node is None else node, ())])) from None
