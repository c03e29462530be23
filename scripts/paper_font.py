"""Write the paper's CJK font, paper/fonts/NotoSansCJKsc-Regular-subset.otf: Noto Sans CJK SC (Regular)
cut down to the CJK characters of the project's texts (ygt_abm/paper/fonts.py: the policy packages, their
clause maps, the indicators' terms, the manuscript). Run it when a text gains a character the font lacks
(tests/test_paper_font.py names them); the source is Debian's fonts-noto-cjk, which scripts/setup.sh
installs. The same source font gives the same bytes.

    .venv/bin/python scripts/paper_font.py [--font /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

from ygt_abm.paper.fonts import CJK_FAMILY, CJK_FILE, FONT_FOLDER, cjk_text

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def source_font(path: Path) -> TTFont:
    """The face ``CJK_FAMILY`` of a font file or collection."""
    faces = TTCollection(path).fonts if path.suffix.lower() == ".ttc" else [TTFont(path)]
    for face in faces:
        if face["name"].getDebugName(1) == CJK_FAMILY:
            return face
    raise SystemExit(f"{path} has no face {CJK_FAMILY!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--font", type=Path, default=DEBIAN_FONT,
                        help="Noto Sans CJK (a .ttc collection or the SC .otf); default: Debian's fonts-noto-cjk")
    font = source_font(parser.parse_args().font)
    characters = sorted(cjk_text(ROOT))
    options = subset.Options()
    options.name_IDs, options.name_languages = ["*"], ["*"]  # the copyright and licence entries stay
    options.layout_features = []  # horizontal text in the SC face needs none; vertical forms would double it
    options.hinting = False
    options.notdef_outline = True
    cut = subset.Subsetter(options)
    cut.populate(unicodes=[ord(c) for c in characters])
    cut.subset(font)
    font.recalcTimestamp = False  # the source's dates: the same bytes from the same font
    target = ROOT / "paper" / FONT_FOLDER / CJK_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    print(f"{target.relative_to(ROOT)}: {len(characters)} characters, {target.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
