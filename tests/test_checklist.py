"""The paper's reporting checklist (ygt_abm/paper/checklist.py, paper/stress-abs.yaml)."""

from pathlib import Path

import pytest

from ygt_abm.config.files import ConfigError
from ygt_abm.paper.checklist import CHECKLIST, checklist_table, headings, load_checklist, unknown_places

ROOT = Path(__file__).resolve().parents[1]
#: STRESS-ABS v1.1 (the guideline's own form, stressguidelines/stress-guides: STRESS_ABS_v1_1.docx), in its order
FORM = [("1.1", "Purpose of the model"), ("1.2", "Model Outputs"), ("1.3", "Experimentation Aims"),
        ("2.1", "Base model overview diagram"), ("2.2", "Base model logic"), ("2.3", "Scenario logic"),
        ("2.4", "Algorithms"), ("2.5.1", "Environment"), ("2.5.2", "Agents"), ("2.5.3", "Interaction Topology"),
        ("2.5.4", "Entry / Exit"), ("3.1", "Data sources"), ("3.2", "Pre-processing"), ("3.3", "Input parameters"),
        ("3.4", "Assumptions"), ("4.1", "Initialisation"), ("4.2", "Run length"), ("4.3", "Estimation approach"),
        ("5.1", "Software or programming language"), ("5.2", "Random sampling"), ("5.3", "Model execution"),
        ("5.4", "System Specification"), ("6.1", "Computer Model Sharing Statement")]


@pytest.fixture(scope="module")
def shipped():
    return load_checklist(ROOT / "paper" / CHECKLIST)


def test_the_checklist_holds_every_item_of_the_form_in_its_order(shipped):
    assert [(item.item, item.name) for item in shipped] == FORM


def test_every_place_named_is_a_heading_of_the_paper_or_of_its_document(shipped):
    assert unknown_places(shipped, ROOT / "paper" / "paper.typ", ROOT / "docs") == []


def test_an_item_is_reported_somewhere_or_says_what_is_missing(shipped):
    assert all(item.reported or item.missing for item in shipped)


def test_headings_are_read_from_typst_and_markdown_with_their_labels_dropped():
    text = "= Results\n== Details <sec-details>\n## 4. Initialization\n#let x = 1\nplain = text\n"
    assert headings(text) == {"Results", "Details", "4. Initialization"}


def test_a_place_that_is_no_heading_is_named_with_its_item(tmp_path):
    (tmp_path / "paper.typ").write_text("= Methods\n", encoding="utf-8")
    (tmp_path / "model.md").write_text("# Details\n", encoding="utf-8")
    path = tmp_path / CHECKLIST
    path.write_text('items:\n  - {item: "1.1", name: Purpose, reported: ["paper: Methods", "paper: Method", '
                    '"model.md: Details", "other.md: Details"]}\n', encoding="utf-8")
    items = load_checklist(path)
    assert unknown_places(items, tmp_path / "paper.typ", tmp_path) == ["1.1: paper: Method", "1.1: other.md: Details"]


def test_the_table_names_the_papers_sections_and_the_documents():
    path_items = load_checklist(ROOT / "paper" / CHECKLIST)
    table = checklist_table(path_items)
    assert list(table.columns) == ["Item", "STRESS-ABS", "Reported in", "Not yet reported"]
    first = table.iloc[0]
    assert first["Reported in"] == "Introduction; Overview; docs/model.md (1. Purpose and patterns)"
    assert first["Not yet reported"] == "—"
    assert (table["Reported in"] == "—").sum() == sum(not item.reported for item in path_items)
    assert not table["Reported in"].str.contains(r"\(issue \d+\)|`").any()  # the project's bookkeeping stays out


@pytest.mark.parametrize("entry, field", [
    ('{item: "1", name: P, reported: []}', "items[0].item"),
    ('{item: "1.1", name: P, reported: [Introduction]}', "items[0].reported"),
    ('{item: "1.1", name: P, reported: [], wrong: 1}', "items[0].wrong"),
])
def test_a_bad_checklist_names_its_file_line_and_field(tmp_path, entry, field):
    path = tmp_path / CHECKLIST
    path.write_text(f"items:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_checklist(path)
    assert str(path) in str(exc.value) and field in str(exc.value) and ":2:" in str(exc.value)
