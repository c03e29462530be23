"""Regenerate every generated document: parameters, interventions, the experiment schema, and the loop and
lever blocks (``<!-- ygt-abm ARGS -->`` … ``<!-- end -->``) in docs/*.md. Run after changing a parameter, an
intervention, a process or a lever; tests/test_cli.py checks that they are current."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from ygt_abm.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def output(args: list[str]) -> str:
    result = runner.invoke(app, args)
    if result.exit_code:
        raise SystemExit(f"ygt-abm {' '.join(args)} failed:\n{result.output}")
    return result.output


def main() -> None:
    (ROOT / "docs" / "parameters.md").write_text(output(["params", "--markdown"]), encoding="utf-8")
    (ROOT / "docs" / "interventions.md").write_text(output(["interventions", "--markdown"]), encoding="utf-8")
    (ROOT / "experiments" / "experiment.schema.json").write_text(output(["schema"]), encoding="utf-8")
    block = re.compile(r"(<!-- ygt-abm (?P<args>[^>]*?) -->\n)(.*?)(\n<!-- end -->)", re.S)
    for doc in sorted((ROOT / "docs").glob("*.md")):
        text = doc.read_text(encoding="utf-8")
        new = block.sub(lambda m: m.group(1) + output(shlex.split(m.group("args"))).strip() + m.group(4), text)
        if new != text:
            doc.write_text(new, encoding="utf-8")
            print(f"regenerated blocks in {doc.relative_to(ROOT)}")
    clause_maps()


# --- clause maps: the coverage section of docs/policies.md ---------------------------------------------------
CLAUSE_MAPS_START = "<!-- clause-maps: scripts/regenerate_docs.py -->\n"
CLAUSE_MAPS_END = "\n<!-- end clause-maps -->"


def clause_maps() -> None:
    """Write the documents' coverage and clause maps (configs/policies/clauses/) between the markers of
    docs/policies.md; tests/test_documents.py checks that they are current."""
    from ygt_abm.policies.clauses import documents_markdown

    doc = ROOT / "docs" / "policies.md"
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(CLAUSE_MAPS_START)
    tail = rest.split(CLAUSE_MAPS_END.lstrip("\n"), 1)[1]
    new = head + CLAUSE_MAPS_START + documents_markdown().strip() + CLAUSE_MAPS_END + tail
    if new != text:
        doc.write_text(new, encoding="utf-8")
        print("regenerated the clause maps in docs/policies.md")
# --- end clause maps ------------------------------------------------------------------------------------------


if __name__ == "__main__":
    main()
