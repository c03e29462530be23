"""A referee's checklist for the paper (``paper/referee.yaml``): what a referee of a health-policy journal
checks, each item with the test or build step that holds it, and every figure's axes, units and legend as
the figure must print them. The build reads each drawn figure's words from its SVG (the anatomy
``figures/save.py`` writes as the SVG's description) and fails, naming the figure and what differs, where a
figure does not say what its entry says."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
from pydantic import Field, field_validator

from ygt_abm.config.files import read_yaml, validate_model
from ygt_abm.config.params import Strict

REFEREE = "referee.yaml"
NO_LABEL = "none"  # an axis without a label: a diagram's, or one whose ticks name its rows
_DESCRIPTION = "{http://purl.org/dc/elements/1.1/}description"


class Check(Strict):
    item: str = Field(min_length=1, description="what a referee checks")
    held_by: str = Field(pattern=r"^tests/test_\w+\.py::test_\w+$",
                         description="the test that holds it: tests/test_<module>.py::test_<name>")


class FigureEntry(Strict):
    file: str = Field(pattern=r"^[\w./-]+\.svg$", description="the figure as the manuscript includes it")
    shows: str = Field(min_length=1, description="what it shows, in a sentence")
    x: list[str] = Field(min_length=1, description=f"every panel's x-axis label, as printed ('{NO_LABEL}': no label)")
    y: list[str] = Field(min_length=1, description=f"every panel's y-axis label, as printed ('{NO_LABEL}': no label)")
    units: str = Field(min_length=1, description="the unit of each axis, and of the values in a legend or colour")
    legend: list[str] = Field(description="the legend's entries, as printed (empty: no legend)")
    uncertainty: str = Field(min_length=1, description="the interval drawn, over what; or why none")

    @field_validator("x", "y", "legend")
    @classmethod
    def _distinct(cls, words: list[str]) -> list[str]:
        if len(set(words)) != len(words):
            raise ValueError(f"listed twice: {sorted({w for w in words if words.count(w) > 1})}")
        return words


class RefereeChecklist(Strict):
    checks: list[Check] = Field(min_length=1)
    figures: list[FigureEntry] = Field(min_length=1)


class FigureProblem(Exception):
    """Figures that do not say what the referee checklist says they do."""


def load_referee(path: str | Path) -> RefereeChecklist:
    """The checklist. Raises ``ConfigError`` (file:line: field: problem) for a bad file."""
    return validate_model(RefereeChecklist, read_yaml(Path(path)), str(path))


def manuscript_figures(manuscript: str) -> list[str]:
    """The SVG figures a Typst manuscript includes (``svg("…")``), in order, comments left out."""
    return re.findall(r'svg\("([^"]+\.svg)"\)', re.sub(r"//.*", "", manuscript))


def figure_words(svg: Path) -> dict:
    """A drawn figure's words: its anatomy (title, panels' titles, axis labels and legends, the figure's
    legend), as ``figures/save.py`` wrote it into the SVG. Raises ``FigureProblem`` where it has none."""
    node = ET.parse(svg).getroot().find(f".//{_DESCRIPTION}")
    if node is None or not node.text:
        raise FigureProblem(f"{svg}: no description (drawn before figures carried their words?)")
    return json.loads(node.text)


def _labels(entry_words: list[str], drawn: list[str], axis: str) -> list[str]:
    """What differs between an axis's listed labels and the panels' drawn ones."""
    drawn = [w or NO_LABEL for w in drawn] or [NO_LABEL]  # a diagram drawn without axes
    problems = [f"{axis} label {w!r} is not in the checklist" for w in dict.fromkeys(drawn) if w not in entry_words]
    problems += [f"{axis} label {w!r} is listed but no panel prints it" for w in entry_words if w not in drawn]
    return problems


def figure_problems(entry: FigureEntry, words: dict) -> list[str]:
    """Where a drawn figure's words differ from its entry: axis labels on either side, legend entries."""
    panels = words["panels"]
    problems = _labels(entry.x, [p["x"] for p in panels], "x") + _labels(entry.y, [p["y"] for p in panels], "y")
    legend = list(dict.fromkeys(words["legend"] + [w for p in panels for w in p["legend"]]))
    problems += [f"legend entry {w!r} is not in the checklist" for w in legend if w not in entry.legend]
    problems += [f"legend entry {w!r} is listed but not drawn" for w in entry.legend if w not in legend]
    return problems


def check_figures(checklist: RefereeChecklist, manuscript: str, out: Path) -> pd.DataFrame:
    """Check every figure the manuscript includes against its entry, reading the drawn SVGs under ``out``;
    returns the checked figures as a table. Raises ``FigureProblem`` listing every problem: a figure without
    an entry, an entry for no figure, a figure that says something else."""
    included = manuscript_figures(manuscript)
    entries = {e.file: e for e in checklist.figures}
    problems = [f"{f}: in the manuscript, not in the checklist" for f in included if f not in entries]
    problems += [f"{f}: in the checklist, not in the manuscript" for f in entries if f not in included]
    for file in included:
        if file in entries:
            try:
                problems += [f"{file}: {p}" for p in figure_problems(entries[file], figure_words(out / file))]
            except (FigureProblem, OSError, ET.ParseError) as err:
                problems.append(f"{file}: {err}")
    if problems:
        raise FigureProblem("figures that differ from the referee checklist:\n  " + "\n  ".join(problems))
    return pd.DataFrame([{"figure": e.file, "shows": e.shows, "x": "; ".join(e.x), "y": "; ".join(e.y),
                          "units": e.units, "legend": "; ".join(e.legend) or "—", "uncertainty": e.uncertainty}
                         for f in included for e in [entries[f]]])
