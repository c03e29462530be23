"""The five documents, clause by clause: each package has a clause map; every intervention of the package is
in its map, with the quotes its `source:` gives; every clause is encoded, or left out with a reason; and a
package writes every parameter of every lever it uses, each quoted from its document or named as assumed."""

import re
from pathlib import Path

import pytest

from ygt_abm.config import ConfigError
from ygt_abm.config.files import read_yaml
from ygt_abm.config.policy import POLICY_DIR
from ygt_abm.experiment.loading import intervention_schemas, load_policy
from ygt_abm.interventions.base import InterventionParams
from ygt_abm.policies.clauses import (
    REFERENCE, documents_markdown, load_checked, load_clause_map, mapped_packages, print_documents, problems_against,
    source_quotes, squeeze,
)

DOCUMENTS = ["anhui-2024", "guangdong-2022", "henan-xuchang-2020", "hunan-nanxian-2024", "zhejiang-2026"]
POLICIES_MD = Path(__file__).resolve().parents[1] / "docs" / "policies.md"
COMMON = set(InterventionParams.model_fields)  # start and end years, counties, source, assumption, ranges


def test_every_document_package_has_a_clause_map():
    assert mapped_packages() == DOCUMENTS
    assert sorted(p.stem for p in POLICY_DIR.glob("*.yaml")) == sorted(DOCUMENTS + ["baseline"])


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_map_and_its_package_agree(name):
    """Every intervention type of the package is in the map; every lever and target the map names is in the
    package, whose `source:` cites the clause and quotes only what the map quotes for that lever."""
    loaded, package = load_checked(name)  # raises ConfigError, file:line, on any disagreement
    mapped = {item.lever for _, item in loaded.map.items() if item.lever}
    assert mapped == {entry["type"] for entry in package.interventions}
    assert {item.target for _, item in loaded.map.items() if item.target} == {t.indicator for t in package.targets}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_clause_references_are_well_formed_unique_and_each_document_is_cited_as_a_document(name):
    m = load_clause_map(POLICY_DIR / "clauses" / f"{name}.yaml").map
    refs = [clause.ref for clause in m.clauses]
    assert all(REFERENCE.match(ref) for ref in refs)
    assert len(refs) == len(set(refs))
    assert m.document.title and m.document.issuer and m.document.date[:4].isdigit()
    assert m.document.code == {"anhui-2024": "AH", "guangdong-2022": "GD", "henan-xuchang-2020": "XC",
                               "hunan-nanxian-2024": "NanX", "zhejiang-2026": "ZJ"}[name]
    package = load_policy(POLICY_DIR / f"{name}.yaml")
    assert m.document.title in package.document and m.document.number in package.document


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_clause_is_missing_a_reason(name):
    """A clause the model does not carry says why; none is left without a reason."""
    m = load_clause_map(POLICY_DIR / "clauses" / f"{name}.yaml").map
    coverage = m.coverage()
    assert coverage["missing"] == 0, [item.quote for _, item in m.items() if item.status == "missing"]
    assert sum(coverage.values()) == len(m.items()) and coverage["encoded"] > 0 and coverage["left out"] > 0


@pytest.mark.parametrize("name", DOCUMENTS)
def test_a_package_writes_every_parameter_of_every_lever_it_uses(name):
    """No silent defaults: a lever's default is a number in force too, so the package must write it."""
    schemas = intervention_schemas()
    for i, entry in enumerate(load_policy(POLICY_DIR / f"{name}.yaml").interventions):
        unwritten = set(schemas[entry["type"]].model_fields) - COMMON - set(entry)
        assert not unwritten, f"{name} interventions[{i}] {entry['type']} leaves {sorted(unwritten)} at the default"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_value_is_quoted_from_the_text_or_named_as_an_assumption(name):
    """A parameter the map's quotes give (`sets`) is quoted; any other is named in the entry's `assumption:`."""
    loaded, package = load_checked(name)
    quoted: dict[str, set[str]] = {}
    for _, item in loaded.map.items():
        if item.lever:
            quoted.setdefault(item.lever, set()).update(item.sets)
    schemas = intervention_schemas()
    for i, entry in enumerate(package.interventions):
        for parameter in set(schemas[entry["type"]].model_fields) - COMMON:
            assert parameter in quoted[entry["type"]] or re.search(rf"\b{parameter}\b", entry.get("assumption", "")), \
                f"{name} interventions[{i}] {entry['type']}.{parameter}: neither quoted nor named as assumed"


def test_the_quotes_of_a_source_are_its_chinese_runs_without_clause_references():
    source = "anhui-2024 §17: 牵头医院预留20%以上的专家号源、住院床位…优先保障家庭医生转诊的患者; 二(四) 1+1+N 签约"
    assert source_quotes(source) == ["牵头医院预留20%以上的专家号源、住院床位", "优先保障家庭医生转诊的患者", "签约"]
    assert squeeze("分别达到 90%、\n65%以上") == "分别达到90%、65%以上"


def _map(tmp_path, clauses: str, file: str = "guangdong-2022.yaml") -> Path:
    path = tmp_path / file
    path.write_text("package: guangdong-2022\ndocument: {code: GD, title: 标题, issuer: 某省, date: '2022-07-20'}\n"
                    "clauses:\n" + clauses, encoding="utf-8")
    return path


@pytest.mark.parametrize("clauses, line, field, words", [
    ("  - ref: 二(四)\n    items:\n      - {quote: 起付线连续计算, lever: continuous_deductibl}\n", 6,
     "clauses[0].items[0].lever", "did you mean 'continuous_deductible'"),
    ("  - ref: two\n    items:\n      - {quote: 起付线, left_out: no reason}\n", 4, "clauses[0].ref", "pattern"),
    ("  - ref: 二(四)\n    items:\n      - {quote: 起付线, left_out: x y}\n  - ref: 二(四)\n    items:\n"
     "      - {quote: 起付线, left_out: x y}\n", 7, "clauses[1].ref", "mapped twice"),
    ("  - ref: 二(四)\n    items:\n      - {quote: 起付线, lever: continuous_deductible, left_out: x y}\n", 6,
     "clauses[0].items[0]", "one of lever, target or left_out"),
    ("  - ref: 二(十二)\n    items:\n      - {quote: 30%以上, lever: reserved_referral_slots, sets: [shar]}\n", 6,
     "clauses[0].items[0].sets", "no parameter 'shar'"),
    ("  - ref: 一\n    items:\n      - {quote: 住院率达85%左右, target: in_county_inpatient_rate}\n", 6,
     "clauses[0].items[0].target", "unknown indicator"),
])
def test_a_bad_map_entry_names_file_line_and_field(tmp_path, clauses, line, field, words):
    path = _map(tmp_path, clauses)
    with pytest.raises(ConfigError) as info:
        load_clause_map(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)
    assert words in problem.message


def test_a_source_quoting_what_the_map_does_not_names_the_package_file_and_line(tmp_path):
    package = tmp_path / "guangdong-2022.yaml"
    package.write_text("name: guangdong-2022\ntitle: GD\ndocument: 粤办函〔2022〕245号\nbase_year: 2022\ninterventions:\n"
                       "  - type: continuous_deductible\n    source: 'guangdong-2022 二(四): 起付线连续计算, 另一句话'\n",
                       encoding="utf-8")
    loaded = load_clause_map(_map(tmp_path, "  - ref: 二(四)\n    items:\n      - {quote: 患者在县域医共体内部转诊医保起付线连续计算, "
                                  "lever: continuous_deductible}\n", file="map.yaml"))
    problems = problems_against(loaded, load_policy(package), str(package), read_yaml(package))
    assert [(p.file, p.line, p.field) for p in problems] == [(str(package), 7, "interventions[0].source")]
    assert "「另一句话」" in problems[0].message


def test_an_item_with_no_mapping_counts_as_missing(tmp_path):
    path = _map(tmp_path, "  - ref: 二(三)\n    items:\n      - {quote: 财务统一管理}\n")
    assert load_clause_map(path).map.coverage() == {"encoded": 0, "left out": 0, "missing": 1}


def test_policies_md_shows_the_coverage_generated_from_the_maps():
    text = POLICIES_MD.read_text(encoding="utf-8")
    block = text.split("<!-- clause-maps: scripts/regenerate_docs.py -->\n")[1].split("\n<!-- end clause-maps -->")[0]
    assert block.strip() == documents_markdown().strip(), "regenerate: .venv/bin/python scripts/regenerate_docs.py"


def test_documents_prints_the_coverage_of_all_five_and_one_documents_clauses(capsys):
    print_documents(None)
    summary = capsys.readouterr().out
    assert all(f"`{name}`" in summary for name in DOCUMENTS)
    print_documents("guangdong-2022")
    one = capsys.readouterr().out
    assert "粤办函〔2022〕245号" in one and "二(十五)" in one and "missing with no reason" in one
    with pytest.raises(ConfigError, match="did you mean 'anhui-2024'"):
        print_documents("anhui-2042")


def test_the_paper_cites_each_document_by_its_title_and_issuing_number():
    bib = (Path(__file__).resolve().parents[1] / "paper" / "references.bib").read_text(encoding="utf-8")
    for name in mapped_packages():
        document = load_checked(name)[0].map.document
        assert document.title in bib, name
        if document.number:
            assert document.number in bib, name
