"""The paper's referee checklist (ygt_abm/paper/referee.py, paper/referee.yaml): each check is held by a test
that exists, each figure the manuscript includes has an entry, and a figure that prints other axes or
legends than its entry is named with what differs."""

import ast
from pathlib import Path

import matplotlib
import pytest
from matplotlib.figure import Figure

from ygt_abm.config.files import ConfigError
from ygt_abm.figures.save import save_figure
from ygt_abm.paper.referee import (
    REFEREE,
    FigureEntry,
    FigureProblem,
    check_figures,
    figure_problems,
    figure_words,
    load_referee,
    manuscript_figures,
)

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def shipped():
    return load_referee(ROOT / "paper" / REFEREE)


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_check_is_held_by_a_test_that_exists(shipped):
    missing = [c.held_by for c in shipped.checks
               if c.held_by.split("::")[1] not in _tests_in(ROOT / c.held_by.split("::")[0])]
    assert missing == []


def test_every_figure_of_the_manuscript_has_one_entry_and_every_entry_a_figure(shipped):
    included = manuscript_figures((ROOT / "paper" / "paper.typ").read_text(encoding="utf-8"))
    assert len(included) >= 10
    assert sorted(e.file for e in shipped.figures) == sorted(included)


def test_the_manuscripts_figures_are_read_without_its_comments():
    text = '#figure(svg("a/b.svg"))\n// #figure(svg("old.svg"))\n#image("c.png")\n'
    assert manuscript_figures(text) == ["a/b.svg"]


def _figure(ylabel: str = "percentage points", legend: tuple[str, ...] = ("Anhui 2024",)) -> Figure:
    fig = Figure()
    ax = fig.subplots()
    for label in legend:
        ax.plot([1, 2], [0.0, 0.1], label=label)
    ax.set_xlabel("simulated year")
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend(title="scenario")
    return fig


ENTRY = FigureEntry(file="results/x/figures/effects.svg", shows="effects", x=["simulated year"],
                    y=["percentage points"], units="points", legend=["scenario", "Anhui 2024"], uncertainty="none")


def test_a_drawn_svg_carries_its_panels_labels_and_legend_as_words(tmp_path):
    save_figure(_figure(), tmp_path / "effects", ("svg",))
    words = figure_words(tmp_path / "effects.svg")
    assert words["panels"] == [{"title": "", "x": "simulated year", "y": "percentage points",
                                "legend": ["scenario", "Anhui 2024"]}]
    assert figure_problems(ENTRY, words) == []


def test_an_axis_without_its_unit_or_a_legend_entry_not_listed_is_named(tmp_path):
    save_figure(_figure(ylabel="", legend=("Anhui 2024", "Zhejiang 2026")), tmp_path / "effects", ("svg",))
    assert figure_problems(ENTRY, figure_words(tmp_path / "effects.svg")) == [
        "y label 'none' is not in the checklist",
        "y label 'percentage points' is listed but no panel prints it",
        "legend entry 'Zhejiang 2026' is not in the checklist"]


def test_a_listed_legend_entry_the_figure_does_not_draw_is_named(tmp_path):
    save_figure(_figure(legend=()), tmp_path / "effects", ("svg",))
    assert figure_problems(ENTRY, figure_words(tmp_path / "effects.svg")) == [
        "legend entry 'scenario' is listed but not drawn", "legend entry 'Anhui 2024' is listed but not drawn"]


def test_the_check_names_a_figure_without_entry_an_entry_without_figure_and_a_figure_without_words(tmp_path):
    folder = tmp_path / "results" / "x" / "figures"
    folder.mkdir(parents=True)
    save_figure(_figure(), folder / "effects", ("svg",))
    (folder / "old.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    manuscript = '#figure(svg("results/x/figures/effects.svg"))\n#figure(svg("results/x/figures/old.svg"))\n'
    checklist = load_referee(ROOT / "paper" / REFEREE).model_copy(update={"figures": [
        ENTRY, ENTRY.model_copy(update={"file": "results/x/figures/old.svg"}),
        ENTRY.model_copy(update={"file": "gone.svg"})]})
    with pytest.raises(FigureProblem) as err:
        check_figures(checklist, manuscript, tmp_path)
    assert str(err.value).splitlines()[1:] == [
        "  gone.svg: in the checklist, not in the manuscript",
        f"  results/x/figures/old.svg: {folder / 'old.svg'}: no description (drawn before figures carried their "
        "words?)"]
    table = check_figures(checklist.model_copy(update={"figures": [ENTRY]}), manuscript.splitlines()[0], tmp_path)
    assert table.to_dict("records") == [{"figure": ENTRY.file, "shows": "effects", "x": "simulated year",
                                         "y": "percentage points", "units": "points", "legend": "scenario; Anhui 2024",
                                         "uncertainty": "none"}]


def test_a_bad_checklist_names_the_file_line_and_field(tmp_path):
    path = tmp_path / REFEREE
    path.write_text("checks:\n  - item: numbers\n    held_by: tests/test_paper.py::numbers\n"
                    "figures:\n  - {file: a.svg, shows: a, x: [year, year], y: [none], units: u, legend: [],"
                    " uncertainty: none}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_referee(path)
    text = str(err.value)
    assert f"{path}:3" in text and "held_by" in text
    assert f"{path}:5" in text and "listed twice" in text
