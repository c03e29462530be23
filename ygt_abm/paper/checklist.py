"""The paper's reporting checklist (``paper/stress-abs.yaml``): each item of the STRESS-ABS form (Monks et al.
2019, version 1.1), where the paper or the model's documents report it, and what is not yet reported. Read and
checked like any config (file:line: field: problem); the build prints it as an appendix table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from pydantic import Field, field_validator

from ygt_abm.config.files import read_yaml, validate_model
from ygt_abm.config.params import Strict

CHECKLIST = "stress-abs.yaml"
PAPER = "paper"  # a place in the paper itself ("paper: <heading>"), not in a document under docs/
#: the appendix table's columns
COLUMNS = ["Item", "STRESS-ABS", "Reported in", "Not yet reported"]


class ChecklistItem(Strict):
    item: str = Field(pattern=r"^\d+\.\d+(\.\d+)?$", description="the form's number")
    name: str = Field(min_length=1, description="the form's item name")
    reported: list[str] = Field(description="'paper: <heading>' or '<file under docs/>: <heading>'")
    missing: str | None = Field(None, min_length=1, description="what is not yet reported anywhere")

    @field_validator("reported")
    @classmethod
    def _places(cls, places: list[str]) -> list[str]:
        for place in places:
            if not re.fullmatch(r"[\w.-]+: \S.*", place):
                raise ValueError(f"{place!r}: expected 'paper: <heading>' or '<file>.md: <heading>'")
        return places


class Checklist(Strict):
    items: list[ChecklistItem] = Field(min_length=1)


def load_checklist(path: str | Path) -> list[ChecklistItem]:
    """The checklist's items, in the file's order. Raises ``ConfigError`` for a bad file."""
    return validate_model(Checklist, read_yaml(Path(path)), str(path)).items


def headings(text: str) -> set[str]:
    """The headings of a Typst manuscript (``= Title <label>``) or a Markdown document (``## Title``)."""
    found = set()
    for line in text.splitlines():
        match = re.match(r"^(=+|#+) +(.+?)\s*(<[\w:.-]+>)?\s*$", line)
        if match:
            found.add(match.group(2))
    return found


def unknown_places(items: list[ChecklistItem], manuscript: Path, docs: Path) -> list[str]:
    """The places ``items`` name that are not a heading of ``manuscript`` (``paper: …``) or of their file
    under ``docs``: each as "item: place"."""
    known: dict[str, set[str]] = {}
    unknown = []
    for item in items:
        for place in item.reported:
            where, heading = place.split(": ", 1)
            if where not in known:
                path = manuscript if where == PAPER else docs / where
                known[where] = headings(path.read_text(encoding="utf-8")) if path.is_file() else set()
            if heading not in known[where]:
                unknown.append(f"{item.item}: {place}")
    return unknown


def checklist_table(items: list[ChecklistItem]) -> pd.DataFrame:
    """The appendix table: each item, its name, where it is reported (the paper's sections by name, the
    documents as docs/<file>), and what is not yet reported ("—" where nothing is missing)."""
    def place(text: str) -> str:
        where, heading = text.split(": ", 1)
        heading = re.sub(r"\s*\(issue \d+\)$", "", heading).replace("`", "")  # the project's bookkeeping, not the paper's
        return heading if where == PAPER else f"docs/{where} ({heading})"

    return pd.DataFrame([[item.item, item.name, "; ".join(place(p) for p in item.reported) or "—",
                          item.missing or "—"] for item in items], columns=COLUMNS)
