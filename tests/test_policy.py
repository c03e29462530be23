"""Policy packages: every shipped package validates and runs; bad intervention parameters are errors
naming the file, line and parameter."""

from pathlib import Path

import numpy as np
import pytest

from ygt_abm.config import ConfigError, ModelParameters, SyntheticWorld
from ygt_abm.config.files import SHIPPED_CONFIGS
from ygt_abm.config.policy import POLICY_DIR, resolve_policy
from ygt_abm.experiment.loading import load_policy
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world

PACKAGES = sorted(POLICY_DIR.glob("*.yaml"))
EXPECTED = {"baseline", "guangdong-2022", "henan-xuchang-2020", "zhejiang-2026", "anhui-2024", "hunan-nanxian-2024"}


def test_the_six_packages_are_shipped():
    assert {p.stem for p in PACKAGES} == EXPECTED


def test_the_package_table_of_policies_md_counts_each_packages_interventions():
    table = (Path(__file__).parents[1] / "docs" / "policies.md").read_text().split("## Packages")[1]
    for path in PACKAGES:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{path.stem}` |"))
        assert int(row.split("|")[4]) == len(load_policy(path).interventions), path.stem


@pytest.mark.parametrize("path", PACKAGES, ids=lambda p: p.stem)
def test_every_package_validates_cites_its_document_and_runs(path, small_region):
    package = load_policy(path)
    assert package.name == path.stem
    for entry in package.interventions:
        assert package.name.split("-")[0] in entry["source"] or package.name == "baseline"
    if package.name != "baseline":
        assert package.document != "none" and not package.document.endswith(".txt"), "the document, not a file"
        assert package.targets, "a document package states its headline targets"
    model = CountyModel(small_region, ModelParameters(), seed=1, interventions=[build(e) for e in package.interventions])
    frame = model.run(1)
    assert frame["value"].notna().any()


@pytest.mark.parametrize("path", [p for p in PACKAGES if p.stem != "baseline"], ids=lambda p: p.stem)
def test_a_package_gives_byte_identical_results_whatever_the_order_of_its_interventions(path):
    """Interventions are applied in canonical order, and floors such as pay parity are levers of their own."""
    region = build_world(SyntheticWorld(population=6_000, townships=2), seed=3)
    entries = load_policy(path).interventions
    shuffled = [entries[i] for i in np.random.default_rng(7).permutation(len(entries))]
    runs = []
    for order in (entries, shuffled, entries[::-1]):
        model = CountyModel(region, ModelParameters(), seed=2, interventions=[build(e) for e in order])
        runs.append(model.run(3, warmup_years=1)["value"].to_numpy().tobytes() + model.levers.pay_factor.tobytes()
                    + model.population.belief.tobytes())
    assert runs[0] == runs[1] == runs[2]


def test_a_name_finds_the_package_shipped_with_ygt_abm_from_any_folder(tmp_path):
    path = resolve_policy("anhui-2024", tmp_path)
    assert path == POLICY_DIR / "anhui-2024.yaml" and path.is_file()
    assert POLICY_DIR.parent == SHIPPED_CONFIGS  # configs/ in a checkout, ygt_abm/configs/ when installed
    assert load_policy(path).name == "anhui-2024"


def test_a_projects_own_configs_policies_wins_and_a_yaml_name_is_a_relative_path(tmp_path):
    own = tmp_path / "configs" / "policies" / "anhui-2024.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("name: anhui-2024\ntitle: Mine\ndocument: none\nbase_year: 2024\n")
    experiments = tmp_path / "experiments"
    experiments.mkdir()
    assert resolve_policy("anhui-2024", tmp_path) == own
    assert resolve_policy("anhui-2024", experiments) == own
    assert resolve_policy("../configs/policies/anhui-2024.yaml", experiments) == own.resolve()
    assert load_policy(own).title == "Mine"
    assert not resolve_policy("no-such-package", tmp_path).exists()


def _write(tmp_path, body: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\ntitle: Bad\ndocument: none\nbase_year: 2024\ninterventions:\n" + body)
    return path


@pytest.mark.parametrize("body, line, field, words", [
    ("  - type: reserved_referral_slots\n    share: 0.3\n    sauce: x\n    source: s §1\n", 8,
     "interventions[0].sauce", "unknown key"),
    ("  - type: reserved_referral_slots\n    share: 1.5\n    source: s §1\n", 7,
     "interventions[0].share", "less than or equal to 0.9"),
    ("  - type: reserved_slots\n    source: s §1\n", 6, "interventions[0].type", "unknown intervention"),
    ("  - type: reserved_referral_slots\n    share: 0.3\n", 6, "interventions[0].source", "required"),
    ("  - type: continuous_deductible\n    source: s §1\n    start_year: 3\n    end_year: 2\n", 6,
     "interventions[0]", "end_year"),
])
def test_bad_intervention_parameters_name_file_line_and_parameter(tmp_path, body, line, field, words):
    path = _write(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)
    assert words in problem.message


def test_an_unknown_target_indicator_is_an_error(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: p\ntitle: P\ndocument: none\nbase_year: 2024\ntargets:\n"
                    "  - {indicator: happiness, value: 1, year: 2025, clause: x}\n"
                    "  - {indicator: in_county_visit_rte, value: 0.9, year: 2025, clause: x}\n")
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert [p.field for p in info.value.problems] == ["targets[0].indicator", "targets[1].indicator"]
    assert "did you mean 'in_county_visit_rate'?" in info.value.problems[1].message
