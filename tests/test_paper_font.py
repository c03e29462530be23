"""The paper's Chinese: the CJK font kept with the manuscript (paper/fonts/) holds every CJK character of the
project's texts, and Typst, compiling as the paper's build does (no font of the machine's), embeds it, so
a document's clause prints as Chinese, not as empty boxes, the same bytes on every compile."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from ygt_abm.config.files import read_yaml
from ygt_abm.paper.fonts import CJK_FAMILY, CJK_FILE, FONT_FOLDER, cjk_characters, cjk_text, compile_pdf, font_files

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "paper"
MANUSCRIPT = (SOURCE / "paper.typ").read_text(encoding="utf-8")


def _clauses() -> list[str]:
    """The clauses of the shipped packages' targets: the Chinese the paper's attainment table prints."""
    return sorted({t["clause"] for path in sorted((ROOT / "configs" / "policies").glob("*.yaml"))
                   for t in read_yaml(path).get("targets") or []})


def test_the_paper_font_holds_every_cjk_character_of_the_projects_texts():
    font = TTFont(SOURCE / FONT_FOLDER / CJK_FILE)
    assert font["name"].getDebugName(1) == CJK_FAMILY
    assert (SOURCE / FONT_FOLDER / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") == 1
    held = {chr(code) for code in font.getBestCmap()}
    needed = cjk_text(ROOT)
    assert cjk_characters(_clauses()) and cjk_characters(_clauses()) <= needed
    missing = "".join(sorted(needed - held))
    assert not missing, f"paper/fonts/{CJK_FILE} lacks {missing!r}: run scripts/paper_font.py"
    assert font_files(SOURCE) == [SOURCE / FONT_FOLDER / CJK_FILE]


def test_the_manuscript_sets_the_cjk_font_after_its_latin_one():
    assert re.search(rf'#set text\(font: \("Libertinus Serif", "{CJK_FAMILY}"\)', MANUSCRIPT)


def test_chinese_is_typeset_in_the_embedded_cjk_font_and_extracts_as_chinese(tmp_path):
    clauses = _clauses()
    # without a date the PDF is the same bytes at any time (Typst writes the compile time otherwise)
    (tmp_path / "t.typ").write_text("#set document(date: none)\n"
                                    '#set text(font: ("Libertinus Serif", "' + CJK_FAMILY + '"))\n'
                                    + "Clauses: " + " / ".join(clauses) + "\n", encoding="utf-8")
    pdf = compile_pdf(tmp_path / "t.typ", tmp_path, SOURCE)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+NotoSansCJKsc-Regular", pdf)
    assert compile_pdf(tmp_path / "t.typ", tmp_path, SOURCE) == pdf  # the same bytes every time
    (tmp_path / "t.pdf").write_bytes(pdf)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is missing; scripts/setup.sh installs it")
    text = subprocess.run(["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert all(clause in text for clause in clauses), text
    # Without the manuscript's fonts Typst has no CJK glyph at all: the test would see it.
    (tmp_path / "none").mkdir()
    bare = compile_pdf(tmp_path / "t.typ", tmp_path, tmp_path / "none")
    assert b"NotoSansCJK" not in bare
