"""``ygt-abm paper``: run or reuse the experiments the paper needs (through the experiment runner: any
executor, resumable), draw its figures in one paper style, write its tables and the numbers its text
quotes from the result files, and typeset ``paper.pdf`` with Typst. Each step is skipped when nothing it
reads has changed (its inputs, the manifest and ygt_abm's own source, recorded in ``stamps.json``); the
experiments are reused as ``ygt-abm run`` reuses them (same configuration: same runs). Byte for byte the
same on every build of the same source tree: figures without dates, Typst's fonts and the manuscript's own
(paper/fonts/, for its Chinese) embedded, no PDF date; numbers.json and page 1 carry ygt_abm's version and
commit (``identity.py``), so a new commit that leaves ygt_abm's source as it was rewrites only numbers.json
and the PDF; the Code and data section prints the Python and libraries it ran on (``environment.py``)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path

import matplotlib
import pandas as pd

from ygt_abm.config.files import read_yaml
from ygt_abm.config.targets import TARGETS_FILE, load_targets
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.experiment.runner import config_digest, run_experiment
from ygt_abm.paper.checklist import CHECKLIST, checklist_table, load_checklist
from ygt_abm.paper.county import MAP_TABLES, county_year
from ygt_abm.paper.fonts import compile_pdf, font_files
from ygt_abm.paper.environment import environment_numbers
from ygt_abm.paper.identity import build_identity
from ygt_abm.paper.manifest import EVALUATIONS, PaperEvaluations, PaperExperiment, PaperManifest, load_manifest
from ygt_abm.paper.numbers import (
    PROVINCE_OUTCOMES, attainment_cells, dose_response_cells, effect_cells, evaluation_cells, evaluation_source_cells,
    fit_cells, lever_cells, outcome_cells, posterior_cells, quoted_numbers, sensitivity_cells, sobol_cells, target_source_cells,
    uncertainty_cells,
)
from ygt_abm.paper.referee import REFEREE, check_figures, load_referee
from ygt_abm.results.store import COMPLETE, write_atomic, write_csv, write_json, yaml_text

MANIFEST, MANUSCRIPT, REFERENCES = "paper.yaml", "paper.typ", "references.bib"
#: One style for every figure of the paper: small type for a two-column-width page, text as paths (SVG).
PAPER_STYLE = {"font.size": 8, "axes.titlesize": 8, "axes.labelsize": 8, "legend.fontsize": 7,
               "xtick.labelsize": 7, "ytick.labelsize": 7, "figure.titlesize": 9, "svg.fonttype": "path"}
TABLES = ("fit.csv", "fit-values.csv", "effects.csv", "attainment.csv", "sensitivity.csv", "sobol.csv",
          "validation.csv", "posterior.csv", "posterior-values.csv", "uncertainty.csv", "stress-abs.csv",
          "target-sources.csv", "evaluation-sources.csv", "levers.csv", "outcomes.csv", "outcomes-values.csv",
          "dose-response.csv")
Log = Callable[[str], None]


def code_digest() -> str:
    """ygt_abm's own source: a figure or table changes when the code that draws it does."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".yaml", ".csv"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Stamps:
    """Which steps are up to date: each step's digest of what it read, and the files it wrote."""

    def __init__(self, path: Path, code: str) -> None:
        self.path, self.code = path, code
        self.done = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self._files: dict[tuple, bytes] = {}

    def digest(self, name: str, inputs: list[Path], extra: str = "") -> str:
        h = hashlib.sha256(f"{name}\0{self.code}\0{extra}".encode())
        for path in inputs:
            h.update(path.name.encode() + b"\0" + self._file_digest(path))
        return h.hexdigest()

    def _file_digest(self, path: Path) -> bytes:
        # Several steps read the same result tables (kpis.parquet is large): hash each version once.
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in self._files:
            self._files[key] = hashlib.sha256(path.read_bytes()).digest()
        return self._files[key]

    def step(self, name: str, inputs: list[Path], make: Callable[[], list[Path]], log: Log, extra: str = "",
             base: Path | None = None) -> bool:
        """Run ``make`` unless its inputs are unchanged and its outputs all there; True when it ran."""
        digest = self.digest(name, inputs, extra)
        base = base or self.path.parent
        seen = self.done.get(name)
        if seen and seen["digest"] == digest and all((base / f).is_file() for f in seen["outputs"]):
            log(f"{name}: up to date")
            return False
        outputs = make()
        self.done[name] = {"digest": digest, "outputs": sorted(str(Path(p).relative_to(base)) for p in outputs)}
        write_json(self.done, self.path)
        log(f"{name}: written ({len(outputs)} files)")
        return True


def scaled_experiment(file: Path, overrides: dict, target: Path, scale: str) -> Path:
    """``file`` with the ``scale`` build's settings (dotted keys) written over it, saved as ``target``."""
    doc = read_yaml(file)
    for dotted, value in overrides.items():
        node, *parents = doc, *dotted.split(".")[:-1]
        for key in parents:
            node = node[key]
        node[dotted.split(".")[-1]] = value
    if "ensemble" in doc:  # a path relative to the experiment file: still found from the scaled copy's folder
        doc["ensemble"] = str((file.parent / doc["ensemble"]).resolve())
    text = yaml_text(json.loads(json.dumps(doc)), f"# {file.name} at the paper's {scale} scale (written by "
                                                  "`ygt-abm paper`; edit paper/paper.yaml instead).\n")
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target


def first_members(ensemble: Path, size: int, target: Path) -> Path:
    """The first ``size`` members of the ensemble file ``ensemble``, saved as ``target``: an experiment's
    ``ensemble_size`` for the published evaluations, whose experiments run over a whole ensemble file."""
    doc = read_yaml(ensemble)
    if size > len(doc["ensemble"]):
        raise ValueError(f"evaluations: ensemble_size {size} is more than the {len(doc['ensemble'])} members of "
                         f"{ensemble}")
    text = yaml_text(json.loads(json.dumps({"ensemble": doc["ensemble"][:size]})),
                     f"# The first {size} members of {ensemble.name} (written by `ygt-abm paper`; edit "
                     "paper/paper.yaml instead).\n")
    write_atomic(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return target


def run_published_evaluations(settings: PaperEvaluations, out: Path, quick: bool,
                              executor: Executor | None) -> list[Path]:
    """Every published evaluation, training and held-out, run (or its finished runs reused) into
    ``out/results/evaluations`` as ``ygt-abm evaluations --set all`` runs them, at the manifest's scale (its
    quick one with ``quick``): evaluations.csv and the forest plot evaluations.svg among what it writes."""
    from ygt_abm.evaluation_runs import chosen_evaluations, run_evaluations

    scale = settings.quick if quick else settings
    ensemble = settings.ensemble
    if ensemble is not None and scale.ensemble_size:
        ensemble = first_members(ensemble, scale.ensemble_size,
                                 out / "experiments" / f"{ensemble.stem}-first-{scale.ensemble_size}.yaml")
    folder = out / "results" / EVALUATIONS
    folder.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(PAPER_STYLE):
        run_evaluations(folder, chosen_evaluations("all", settings.file), scale.population, scale.replicates,
                        scale.warmup_years, executor, ensemble=ensemble)
    return [folder / f"evaluations.{suffix}" for suffix in ("csv", "md", "png", "pdf", "svg")]


def _finished(resolved, folder: Path) -> bool:
    stamp = folder / COMPLETE
    return stamp.is_file() and json.loads(stamp.read_text())["config_sha256"] == config_digest(resolved)


def experiment_file(entry: PaperExperiment, name: str, out: Path, quick: bool, write: bool = False) -> Path:
    """The file experiment ``name`` runs from: its own, or, where the build's scale overrides settings, the
    scaled copy ``out/experiments/<name>.yaml`` (written with ``write``)."""
    scale, overrides = ("quick", entry.quick) if quick else ("full", entry.full)
    if not overrides:
        return entry.file
    target = out / "experiments" / f"{name}.yaml"
    return scaled_experiment(entry.file, overrides, target, scale) if write else target


def run_experiments(manifest: PaperManifest, out: Path, quick: bool, executor: Executor | None, log: Log) -> dict:
    """Each experiment of the manifest run (or reused) into ``out/results/<name>``; its tables are a step of
    their own (``write_experiment_reports``), so a change to the analysis rewrites them without a run."""
    resolved = {}
    for name, entry in manifest.experiments.items():
        file = experiment_file(entry, name, out, quick, write=True)
        resolved[name] = load_runnable_experiment(file)
        folder = out / "results" / name
        if _finished(resolved[name], folder):
            log(f"experiment {name}: up to date")
            continue
        log(f"experiment {name}: running {file}")
        run_experiment(resolved[name], folder, executor=executor)
    return resolved


def write_experiment_reports(resolved, folder: Path) -> list[Path]:
    """An experiment's tables (summary, paired differences, uncertainty, backflow, attainment, …) from its
    kpis, and the stamp that says it is complete."""
    from ygt_abm.report import write_reports

    write_reports(resolved, folder, pd.read_parquet(folder / "kpis.parquet"), figure=False)
    return [folder / name for name in json.loads((folder / COMPLETE).read_text())["reports"]] + [folder / COMPLETE]


def _result_tables(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.csv")) + [folder / "kpis.parquet"]


def draw_figures(resolved: dict, manifest: PaperManifest, out: Path) -> list[Path]:
    from ygt_abm.figures.county_map import county_map_figure
    from ygt_abm.figures.fit import fit_figure
    from ygt_abm.figures.results import plot_results
    from ygt_abm.figures.save import save_figure
    from ygt_abm.figures.schedule import schedule_figure
    from ygt_abm.processes import Loop, default_processes

    written = []
    with matplotlib.rc_context(PAPER_STYLE):
        for name, experiment in resolved.items():
            written += plot_results(experiment, out / "results" / name, formats=("svg",))
        tables = [pd.read_csv(out / "tables" / t) for t in MAP_TABLES]
        written += save_figure(county_map_figure(*tables), out / "figures" / "county_map", ("svg",))
        written += save_figure(fit_figure(pd.read_csv(out / "tables" / "fit-values.csv")), out / "figures" / "fit",
                               ("svg",))
        written += save_figure(schedule_figure(Loop(default_processes())), out / "figures" / "schedule", ("svg",))
    return written


def write_tables(manifest: PaperManifest, resolved: dict, out: Path) -> list[Path]:
    """The paper's tables: the fit of the fit experiment's reference scenario (its baseline) to the shipped
    targets, the packages' effects, the published evaluations (validation) and the posterior they run over,
    each package's leading levers, attainment and sensitivity; the targets and evaluations as data sources."""
    from ygt_abm.analysis.ensemble import ensemble_summary
    from ygt_abm.analysis.fit import fit_table
    from ygt_abm.analysis.summary import effects_beside_baseline
    from ygt_abm.config.evaluations import load_evaluations
    from ygt_abm.config.loading import load_ensemble
    from ygt_abm.experiment.loading import intervention_schemas

    results, tables = out / "results", out / "tables"
    fit_folder = results / manifest.fit_experiment
    kpis = pd.read_parquet(fit_folder / "kpis.parquet")
    reference = resolved[manifest.fit_experiment].experiment.reference_scenario
    baseline = kpis[kpis["scenario"] == reference].assign(county=kpis["county"].astype(str))
    elasticities = None
    if manifest.elasticity_experiment:
        elasticities = pd.read_csv(results / manifest.elasticity_experiment / "elasticities.csv")
    targets = load_targets()
    fit = fit_table(baseline, targets, elasticities)
    differences = pd.read_csv(fit_folder / "paired_differences.csv")
    outcomes = effects_beside_baseline(differences, pd.read_csv(fit_folder / "summary.csv"), tuple(PROVINCE_OUTCOMES))
    made = {"fit-values.csv": fit, "fit.csv": fit_cells(fit), "effects.csv": effect_cells(differences),
            "outcomes-values.csv": outcomes, "outcomes.csv": outcome_cells(outcomes),
            "target-sources.csv": target_source_cells(targets)}
    if manifest.evaluations is not None:
        made["validation.csv"] = evaluation_cells(pd.read_csv(results / EVALUATIONS / "evaluations.csv"))
        made["evaluation-sources.csv"] = evaluation_source_cells(load_evaluations(manifest.evaluations.file,
                                                                                 intervention_schemas()))
        if manifest.evaluations.ensemble is not None:  # every draw, whatever a quick build runs
            made["posterior-values.csv"] = ensemble_summary(load_ensemble(manifest.evaluations.ensemble))
            made["posterior.csv"] = posterior_cells(made["posterior-values.csv"])
    for name, source, experiment, cells in (
            ("levers.csv", "decomposition.csv", manifest.decomposition_experiment, lever_cells),
            ("attainment.csv", "attainment.csv", manifest.attainment_experiment, attainment_cells),
            ("sensitivity.csv", "sensitivity.csv", manifest.sensitivity_experiment, sensitivity_cells),
            ("sobol.csv", "sensitivity.csv", manifest.sobol_experiment, sobol_cells),
            ("uncertainty.csv", "uncertainty.csv", manifest.uncertainty_experiment, uncertainty_cells),
            ("dose-response.csv", "dose_response.csv", manifest.dose_response_experiment, dose_response_cells)):
        if experiment:
            if not (results / experiment / source).is_file():
                raise FileNotFoundError(f"the paper shows {name} from experiment {experiment!r}, whose results have "
                                        f"no {source} (paper.yaml names it; does the experiment make one?)")
            made[name] = cells(pd.read_csv(results / experiment / source))
    written = []
    for name, table in made.items():
        write_csv(table, tables / name, float_format="%.6g")
        written.append(tables / name)
    return written


def typeset(source: Path, out: Path, quick: bool) -> list[Path]:
    """Copy the manuscript and its references into ``out`` and compile them with Typst (Typst's own fonts
    and the CJK font kept with the manuscript, never the machine's, so the PDF is the same on every machine;
    no date in it)."""
    for name in (MANUSCRIPT, REFERENCES):
        shutil.copyfile(source / name, out / name)
    pdf = out / "paper.pdf"
    write_atomic(pdf, lambda tmp: tmp.write_bytes(compile_pdf(out / MANUSCRIPT, out, source,
                                                              {"scale": "quick" if quick else "full"})))
    return [pdf]


def build_paper(source: Path, out: Path, quick: bool = False, executor: Executor | None = None,
                log: Log = print) -> Path:
    """The whole paper from ``source`` (paper/) into ``out``: experiments, tables and numbers, figures, PDF."""
    source, out = Path(source), Path(out)
    manifest = load_manifest(source / MANIFEST)
    identity = build_identity()  # before the experiments: the tree that ran them, not one committed meanwhile
    out.mkdir(parents=True, exist_ok=True)
    resolved = run_experiments(manifest, out, quick, executor, log)
    stamps = Stamps(out / "stamps.json", code_digest())
    # What the tables and numbers read of the manifest (the experiments' and evaluations' results are inputs
    # of their own).
    setting = json.dumps(manifest.model_dump(mode="json", exclude={"experiments", "evaluations"}), sort_keys=True)
    for name, experiment in resolved.items():
        folder = out / "results" / name
        stamps.step(f"reports {name}", [folder / "kpis.parquet"],
                    lambda experiment=experiment, folder=folder: write_experiment_reports(experiment, folder), log,
                    extra=config_digest(experiment))
    map_file = experiment_file(manifest.experiments[manifest.map_experiment], manifest.map_experiment, out, quick)
    stamps.step("county map tables", [map_file], lambda: county_year(resolved[manifest.map_experiment],
                                                                     out / "tables"), log,
                extra=config_digest(resolved[manifest.map_experiment]))
    evaluated: list[Path] = []  # the published evaluations' table and forest plot
    if manifest.evaluations is not None:
        settings = manifest.evaluations
        stamps.step("evaluations", [settings.file, *([settings.ensemble] if settings.ensemble else [])],
                    lambda: run_published_evaluations(settings, out, quick, executor), log,
                    extra=(settings.quick if quick else settings).model_dump_json(include={
                        "population", "replicates", "warmup_years", "ensemble_size"}))
        evaluated = [out / "results" / EVALUATIONS / f"evaluations.{suffix}" for suffix in ("csv", "svg")]
    results = [t for name in resolved for t in _result_tables(out / "results" / name)] + evaluated[:1]
    stamps.step("checklist", [source / CHECKLIST], lambda: _write_checklist(source, out), log)
    sources = [TARGETS_FILE] + ([manifest.evaluations.file, manifest.evaluations.ensemble]
                                if manifest.evaluations else [])
    stamps.step("tables", results + [Path(p) for p in sources if p], lambda: write_tables(manifest, resolved, out),
                log, extra=setting)
    numbers_in = results + sorted((out / "tables").glob("*.csv"))
    # The identity and the software only in the numbers' digest: a new commit or an upgraded library rewrites
    # numbers.json (and so the PDF), no more.
    built = identity.numbers() | environment_numbers()
    stamps.step("numbers", numbers_in, lambda: _write_numbers(manifest, out, built), log,
                extra=setting + json.dumps(built, sort_keys=True))
    stamps.step("figures", numbers_in, lambda: draw_figures(resolved, manifest, out), log)
    figures = sorted(out.glob("results/*/figures/*.svg")) + sorted((out / "figures").glob("*.svg")) + evaluated[1:]
    stamps.step("referee", [source / REFEREE, source / MANUSCRIPT, *figures], lambda: _check_figures(source, out), log)
    manuscript = [source / MANUSCRIPT, source / REFERENCES, *font_files(source), out / "numbers.json",
                  *sorted((out / "tables").glob("*.csv"))]
    stamps.step("pdf", manuscript + figures, lambda: typeset(source, out, quick), log, extra=str(quick))
    return out / "paper.pdf"


def _write_checklist(source: Path, out: Path) -> list[Path]:
    """The reporting checklist (``paper/stress-abs.yaml``) as the appendix's table."""
    table = out / "tables" / "stress-abs.csv"
    table.parent.mkdir(parents=True, exist_ok=True)
    write_csv(checklist_table(load_checklist(source / CHECKLIST)), table)
    return [table]


def _check_figures(source: Path, out: Path) -> list[Path]:
    """Every figure the manuscript includes against the referee checklist (``paper/referee.yaml``); the
    figures checked as ``referee-figures.csv``. Raises ``FigureProblem`` naming what differs."""
    table = check_figures(load_referee(source / REFEREE), (source / MANUSCRIPT).read_text(encoding="utf-8"), out)
    path = out / "referee-figures.csv"
    write_csv(table, path)
    return [path]


def _write_numbers(manifest: PaperManifest, out: Path, built: dict[str, dict]) -> list[Path]:
    """numbers.json: the manifest's quoted numbers and the build's own (its identity and software)."""
    quoted = quoted_numbers(manifest.numbers, out)
    if taken := sorted(set(built) & set(quoted)):
        raise ValueError(f"paper.yaml's numbers {taken} would hide the build's own identity: rename them")
    write_json(built | quoted, out / "numbers.json")
    return [out / "numbers.json"]
