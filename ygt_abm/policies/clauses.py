"""Clause maps: each document read clause by clause, as data (``configs/policies/clauses/<package>.yaml``).

A map lists every clause of a document that carries an instrument, a number or a target: its reference as
the text numbers it, and for each thing the clause asks for a short verbatim quote and what it maps to —
the intervention of the package that encodes it (``lever``, with the parameters the quote sets in
``sets``), the package's headline target (``target``), or the reason it is not encoded (``left_out``). An
item with none of the three is *missing*: the text asks for it and nobody has said why the model does not
carry it. Governance, party-building, publicity and supervision-only clauses are listed compactly as left
out with that reason.

``load_clause_map`` reads a map and checks it (problems as ``file:line: field: message``);
``problems_against`` checks it against its package: every intervention type of the package is in the map,
every lever and target the map names is in the package, and every quote in a ``source:`` is a quote of the
map; ``print_documents`` prints a map, or the coverage of all five, for ``ygt-abm documents``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from ygt_abm.config.files import ConfigError, Problem, did_you_mean, line_of, read_yaml, validate_model
from ygt_abm.config.params import Strict
from ygt_abm.config.policy import POLICY_DIR, PolicyPackage
from ygt_abm.vocabulary import INDICATORS

CLAUSE_DIR = POLICY_DIR / "clauses"

_NUMERAL = "[一二三四五六七八九十]{1,3}"
# As the texts number their clauses: 二(十五) (part and item), 三(一)7(1) (NanX's deeper items), (十六)
# (ZJ's items, numbered through its parts), §23 (AH's items), 一 (a part, where the targets are).
REFERENCE = re.compile(rf"^(§\d{{1,2}}|\({_NUMERAL}\)|{_NUMERAL}(\({_NUMERAL}\)(\d{{1,2}}(\(\d{{1,2}}\))?)?)?)$")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
# A source's Chinese: runs of ideographs, Chinese punctuation, digits and signs; "…" and 「」 break them.
_CHINESE_RUN = re.compile(r"[\u4e00-\u9fff\u3001-\u3003\u3008-\u3011\u3014-\u301b\uff01-\uff1f“”‘’0-9%.+/（）—\-]+")
_SOURCE_REFERENCE = re.compile(rf"(§\(?{_NUMERAL}\)?|§\d+|\({_NUMERAL}\)|{_NUMERAL}\({_NUMERAL}\)[\d()]*)")


def squeeze(text: str) -> str:
    """``text`` without whitespace: the texts are laid out with line breaks and spaces inside sentences."""
    return re.sub(r"\s+", "", text)


class Document(Strict):
    """The document as a reader can find it."""

    code: str = Field(pattern=r"^[A-Z][A-Za-z]{1,5}$", description="the short name used in the docs, e.g. GD, NanX")
    title: str = Field(min_length=2, description="the document's title, in Chinese")
    number: str = Field("", description="its issuing number (文号), e.g. 粤办函〔2022〕245号; empty where none is given")
    issuer: str = Field(min_length=2, description="the issuing body or bodies")
    date: str = Field(pattern=r"^\d{4}(-\d{2}-\d{2})?$", description="date issued (or in force): YYYY-MM-DD, or "
                      "the year where the text gives no date")
    date_note: str = Field("", description="what the date is, where it is not plainly the date issued")
    published: str = Field("", description="where the text is published, as far as known")


class Item(Strict):
    """One thing a clause asks for, and what encodes it."""

    quote: str = Field(min_length=2, description="verbatim from the text (line breaks and spaces aside)")
    lever: str | None = Field(None, description="the intervention type of the package that encodes it")
    sets: list[str] = Field(default_factory=list, description="the lever's parameters the quote gives")
    target: str | None = Field(None, description="the package target's indicator that states it")
    left_out: str | None = Field(None, min_length=3, description="why the model does not carry it")
    note: str = ""

    @model_validator(mode="after")
    def _one_mapping(self) -> "Item":
        if sum(x is not None for x in (self.lever, self.target, self.left_out)) > 1:
            raise ValueError("an item maps to one of lever, target or left_out")
        if self.sets and self.lever is None:
            raise ValueError("sets names parameters of a lever: give the lever")
        return self

    @property
    def status(self) -> str:
        if self.lever or self.target:
            return "encoded"
        return "left out" if self.left_out else "missing"

    def mapping(self) -> str:
        if self.lever:
            return f"`{self.lever}`" + (f" ({', '.join(self.sets)})" if self.sets else "")
        if self.target:
            return f"target `{self.target}`"
        return f"left out: {self.left_out}" if self.left_out else "MISSING: no encoding and no reason"


class Clause(Strict):
    ref: str = Field(pattern=REFERENCE.pattern, description="as the text numbers it, e.g. 二(十五), §23, (十六)")
    heading: str = ""
    items: list[Item] = Field(min_length=1)


class ClauseMap(Strict):
    package: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    document: Document
    clauses: list[Clause] = Field(min_length=1)

    def items(self) -> list[tuple[Clause, Item]]:
        return [(clause, item) for clause in self.clauses for item in clause.items]

    def coverage(self) -> Counter:
        """Items by status: encoded, left out (with a reason), missing (no reason)."""
        counts = Counter({"encoded": 0, "left out": 0, "missing": 0})
        counts.update(item.status for _, item in self.items())
        return counts


@dataclass(frozen=True)
class LoadedMap:
    """A map with the file and parsed YAML it came from (for lines in later checks)."""

    map: ClauseMap
    file: str
    node: Any

    def line(self, *path: Any) -> int:
        return line_of(self.node, path)[0] or 1


def clause_map_path(name: str) -> Path:
    return CLAUSE_DIR / f"{name}.yaml"


def mapped_packages() -> list[str]:
    return sorted(path.stem for path in CLAUSE_DIR.glob("*.yaml"))


def load_clause_map(path: str | Path) -> LoadedMap:
    """Read and check a clause map; all problems at once, each with its line."""
    from ygt_abm.experiment.loading import intervention_schemas

    path = Path(path)
    file, doc = str(path), read_yaml(path)
    clause_map = validate_model(ClauseMap, doc, file)
    loaded, schemas, problems = LoadedMap(clause_map, file, doc), intervention_schemas(), []
    seen: dict[str, int] = {}
    for i, clause in enumerate(clause_map.clauses):
        if clause.ref in seen:
            problems.append(Problem(file, loaded.line("clauses", i, "ref"), f"clauses[{i}].ref",
                                    f"{clause.ref} is mapped twice (first as clauses[{seen[clause.ref]}])"))
        seen.setdefault(clause.ref, i)
        for j, item in enumerate(clause.items):
            where = ("clauses", i, "items", j)
            if item.lever is not None and item.lever not in schemas:
                problems.append(Problem(file, loaded.line(*where, "lever"), f"clauses[{i}].items[{j}].lever",
                                        f"unknown intervention {item.lever!r}{did_you_mean(item.lever, schemas)}"))
            elif item.lever is not None:
                known = set(schemas[item.lever].model_fields)
                for name in item.sets:
                    if name not in known:
                        problems.append(Problem(file, loaded.line(*where, "sets"), f"clauses[{i}].items[{j}].sets",
                                                f"{item.lever} has no parameter {name!r}{did_you_mean(name, known)}"))
            if item.target is not None and item.target not in INDICATORS:
                problems.append(Problem(file, loaded.line(*where, "target"), f"clauses[{i}].items[{j}].target",
                                        f"unknown indicator {item.target!r}{did_you_mean(item.target, INDICATORS)}"))
    if problems:
        raise ConfigError(problems)
    return loaded


def source_quotes(source: str) -> list[str]:
    """The Chinese quoted in a ``source:`` (runs of two or more ideographs; clause references removed)."""
    text = _SOURCE_REFERENCE.sub(" ", source)
    return [run for run in _CHINESE_RUN.findall(text) if len(_IDEOGRAPH.findall(run)) >= 2]


def problems_against(loaded: LoadedMap, package: PolicyPackage, package_file: str = "",
                     package_node: Any = None) -> list[Problem]:
    """What disagrees between a map and its package: an intervention type the map does not name, a lever or
    target the map names that the package lacks, a lever clause the intervention's ``source:`` does not
    cite, and a quote in a ``source:`` that is not in the quotes the map gives that lever. Problems of the
    package's entries point at ``package_file`` (lines from ``package_node``, its parsed YAML)."""
    file, problems = loaded.file, []

    def in_package(i: int, key: str, message: str) -> Problem:
        line = line_of(package_node, ("interventions", i, key))[0] if package_node is not None else None
        return Problem(package_file or package.name, line or 1, f"interventions[{i}].{key}", message)

    if loaded.map.package != package.name:
        problems.append(Problem(file, loaded.line("package"), "package",
                                f"the map is of {loaded.map.package!r}, the package is {package.name!r}"))
    by_type: dict[str, list[tuple[int, dict]]] = {}
    for i, entry in enumerate(package.interventions):
        by_type.setdefault(entry["type"], []).append((i, entry))
    indicators = {target.indicator for target in package.targets}
    quotes: dict[str, str] = {}
    for i, clause in enumerate(loaded.map.clauses):
        for j, item in enumerate(clause.items):
            field = f"clauses[{i}].items[{j}]"
            if item.lever is not None:
                quotes[item.lever] = quotes.get(item.lever, "") + "\n" + squeeze(item.quote)
                sources = [entry["source"] for _, entry in by_type.get(item.lever, [])]
                if not sources:
                    problems.append(Problem(file, loaded.line("clauses", i, "items", j, "lever"), f"{field}.lever",
                                            f"{package.name} has no {item.lever} intervention"))
                elif not any(clause.ref in source for source in sources):
                    problems.append(Problem(file, loaded.line("clauses", i, "ref"), f"{field}.lever",
                                            f"no source: of {item.lever} in {package.name} cites {clause.ref}"))
            if item.target is not None and item.target not in indicators:
                problems.append(Problem(file, loaded.line("clauses", i, "items", j, "target"), f"{field}.target",
                                        f"{package.name} has no target on {item.target}"))
    for kind, entries in sorted(by_type.items()):
        if kind not in quotes:
            problems.append(in_package(entries[0][0], "type", f"{kind} is in no clause of {file}"))
            continue
        for i, entry in entries:
            for quote in source_quotes(entry["source"]):
                if squeeze(quote) not in quotes[kind]:
                    problems.append(in_package(i, "source", f"quotes 「{quote}」, which no item of {file} "
                                               f"mapped to {kind} quotes"))
    return problems


def load_checked(name: str) -> tuple[LoadedMap, PolicyPackage]:
    """The map of package ``name`` and the package, checked against each other."""
    from ygt_abm.experiment.loading import load_policy

    loaded, path = load_clause_map(clause_map_path(name)), POLICY_DIR / f"{name}.yaml"
    package = load_policy(path)
    problems = problems_against(loaded, package, str(path), read_yaml(path))
    if problems:
        raise ConfigError(problems)
    return loaded, package


# rendering ------------------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def citation(document: Document) -> str:
    number = f", {document.number}" if document.number else " (no issuing number in the text)"
    note = f" ({document.date_note})" if document.date_note else ""
    return f"{document.title}{number}; {document.issuer}, {document.date}{note}"


def coverage_table(maps: list[ClauseMap]) -> str:
    """Markdown: per document, items encoded, left out with a reason, and missing with none."""
    rows = ["| package | document | issuing number | date | clauses | items | encoded | left out (reason given) | "
            "missing (no reason) |", "|---|---|---|---|---|---|---|---|---|"]
    for m in maps:
        c, d = m.coverage(), m.document
        rows.append(f"| `{m.package}` | {d.code} | {d.number or 'none given'} | {d.date} | {len(m.clauses)} | "
                    f"{sum(c.values())} | {c['encoded']} | {c['left out']} | {c['missing']} |")
    return "\n".join(rows)


def map_table(m: ClauseMap) -> str:
    """Markdown: one row per item of a document's map."""
    rows = ["| clause | the text says | encoded as, or why not |", "|---|---|---|"]
    for clause, item in m.items():
        rows.append(f"| {clause.ref} | 「{_cell(item.quote)}」 | {_cell(item.mapping())} |")
    return "\n".join(rows)


def documents_markdown() -> str:
    """The generated section of docs/policies.md: coverage of every document, then each map."""
    maps = [load_checked(name)[0].map for name in mapped_packages()]
    parts = [coverage_table(maps)]
    for m in maps:
        parts.append(f"### `{m.package}`: {m.document.title}\n\n{citation(m.document)}."
                     + (f" Published: {m.document.published}." if m.document.published else "")
                     + f"\n\n{map_table(m)}")
    return "\n\n".join(parts) + "\n"


def print_documents(name: str | None = None) -> None:
    """``ygt-abm documents [NAME]``: the coverage of every document, or one document's clause map."""
    names = mapped_packages()
    if name is None:
        print(coverage_table([load_checked(n)[0].map for n in names]))
        print("\nygt-abm documents NAME prints one document's clauses; NAME is one of: " + ", ".join(names))
        return
    if name not in names:
        raise ConfigError([Problem(str(clause_map_path(name)), 1, "package",
                                   f"no clause map for {name!r}{did_you_mean(name, names)}; "
                                   f"expected one of: {', '.join(names)}")])
    m = load_checked(name)[0].map
    c = m.coverage()
    print(f"{m.package}: {citation(m.document)}")
    if m.document.published:
        print(f"published: {m.document.published}")
    for clause in m.clauses:
        print(f"\n{clause.ref}" + (f" {clause.heading}" if clause.heading else ""))
        for item in clause.items:
            print(f"  「{' '.join(item.quote.split())}」\n    → {' '.join(item.mapping().split())}")
    print(f"\n{len(m.clauses)} clauses, {sum(c.values())} items: {c['encoded']} encoded, {c['left out']} left out "
          f"with a reason, {c['missing']} missing with no reason")
