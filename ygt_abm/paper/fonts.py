"""The paper's fonts: Typst's own (Libertinus Serif and the rest, in the ``typst`` wheel) and a CJK font
kept with the manuscript, ``paper/fonts/``, for the Chinese the paper prints (a document's clause
numbers, its title, the indicators' terms). The CJK font is a subset of Noto Sans CJK SC (SIL Open Font
Licence 1.1, paper/fonts/OFL.txt) holding the CJK characters of the project's own texts (``cjk_text``):
small enough to keep in the repository, the same file on every machine, so the PDF is the same bytes
everywhere, offline. ``scripts/paper_font.py`` writes it again from Debian's fonts-noto-cjk (which
scripts/setup.sh installs) when a text gains a character it lacks; the tests say which."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

FONT_FOLDER = "fonts"
CJK_FAMILY = "Noto Sans CJK SC"
CJK_FILE = "NotoSansCJKsc-Regular-subset.otf"
#: CJK punctuation and symbols, ideographs (extension A and the unified block), full-width forms
CJK_CHARACTERS = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
#: the project's texts whose Chinese the paper can print, relative to the repository's root: the policy
#: packages (their documents, targets and clauses), their clause maps, the indicators' terms, the manuscript,
#: its references and checklists, and the targets and evaluations whose sources its tables print
CJK_SOURCES = ("configs/policies/*.yaml", "configs/policies/clauses/*.yaml", "ygt_abm/vocabulary.py",
               "paper/paper.typ", "paper/references.bib", "configs/calibration/targets.yaml",
               "configs/calibration/evaluations.yaml", "paper/stress-abs.yaml", "paper/referee.yaml")


def cjk_characters(texts: Iterable[str]) -> set[str]:
    """The CJK characters of ``texts``."""
    return {ch for text in texts for ch in CJK_CHARACTERS.findall(text)}


def cjk_text(root: Path) -> set[str]:
    """Every CJK character of the project's texts (``CJK_SOURCES``) under the repository ``root``."""
    return cjk_characters(path.read_text(encoding="utf-8") for pattern in CJK_SOURCES
                          for path in sorted(Path(root).glob(pattern)))


def font_paths(source: Path) -> list[str]:
    """The folders Typst reads fonts from besides its own, for the manuscript in ``source`` (paper/)."""
    return [str(Path(source) / FONT_FOLDER)]


def font_files(source: Path) -> list[Path]:
    """The font files kept with the manuscript: inputs of the PDF, like the manuscript itself."""
    return sorted((Path(source) / FONT_FOLDER).glob("*.otf"))


def compile_pdf(manuscript: Path, root: Path, source: Path, inputs: dict[str, str] | None = None) -> bytes:
    """``manuscript`` typeset by Typst into PDF bytes with Typst's own fonts and those of ``source`` only
    (never the machine's), so the same files give the same bytes on every machine, if the manuscript sets
    ``document(date: none)`` (paper.typ does): otherwise Typst writes the compile time into the PDF."""
    import typst

    return typst.compile(str(manuscript), root=str(root), font_paths=font_paths(source), ignore_system_fonts=True,
                         sys_inputs=inputs or {})
