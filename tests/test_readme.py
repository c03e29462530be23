"""The README is a newcomer's first hour: its counts, commands, options and paths are the project's own, so a
reader who copies them gets what the text promises."""

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ygt_abm.cli import app
from ygt_abm.config.policy import shipped_policies
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.interventions import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
WORDS = {"five": 5, "six": 6}
#: paths the README's commands write, or the reader's own experiment of the worked example
WRITTEN = ("experiments/mine.yaml", "paper/build")


def commands() -> list[list[str]]:
    """Every `ygt-abm …` line of the README's code blocks, as its words (comments and placeholders dropped)."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith(".venv/bin/ygt-abm "):
                found.append(shlex.split(line.removeprefix(".venv/bin/ygt-abm ")))
    return found


def test_the_counts_in_the_text_are_the_registries():
    assert re.search(rf"\({len(REGISTRY)} of them", README), f"the README should count {len(REGISTRY)} interventions"
    documents = [p for p in shipped_policies() if p != "baseline"]
    for word, n in WORDS.items():
        if n == len(documents):
            assert f"the {word} documents" in README
        if n == len(documents) + 1:
            assert f"the {word} policy packages" in README


def test_every_command_the_readme_names_exists_with_the_options_it_shows():
    known = {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands}
    lines = commands()
    assert len(lines) >= 15
    for command, *words in lines:
        assert command in known, f"ygt-abm {command} is not a command"
        help_text = CliRunner().invoke(app, [command, "--help"], terminal_width=200).output
        for option in (w.strip("[]").split("=")[0] for w in words if w.strip("[]").startswith("--")):
            assert option in help_text, f"ygt-abm {command}: no option {option}"


NAMED = sorted(set(re.findall(r"(?<![\w/.])((?:experiments|docs|scripts|ygt_abm|paper|tests)/[\w./-]*[\w/])", README)))


@pytest.mark.parametrize("path", [p for p in NAMED if not p.startswith(WRITTEN)])
def test_every_path_the_readme_names_is_in_the_repository(path):
    assert (ROOT / path).exists() or any(ROOT.glob(path)), path


def test_every_experiment_the_readme_names_loads():
    named = sorted(set(re.findall(r"experiments/[\w-]+\.yaml", README)) - set(WRITTEN))
    assert "experiments/quickstart.yaml" in named
    for name in named:
        load_runnable_experiment(ROOT / name)


def test_the_readme_s_scenarios_under_its_experiment_header_make_an_experiment(tmp_path):
    """What a newcomer does first: the experiment file's header with the package scenarios below it."""
    blocks = re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
    header = next(b for b in blocks if b.startswith("name: quickstart")).split("scenarios:")[0]
    scenarios = next(b for b in blocks if b.startswith("scenarios:") and "interventions:" in b)
    (tmp_path / "mine.yaml").write_text(header + scenarios, encoding="utf-8")
    resolved = load_runnable_experiment(tmp_path / "mine.yaml")
    own = [spec["type"] for spec in resolved.interventions["my-two-levers"]]
    assert own == ["doctor_dispatch", "reimbursement_gap"]
