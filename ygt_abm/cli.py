"""The ``ygt-abm`` command. Thin: it parses arguments and calls the library. Each command imports what it
needs when it runs, so ``--help`` and ``validate`` answer without loading the simulation."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ygt_abm.vocabulary import is_variant

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Simulate county medical communities (县域医共体) and measure patient backflow.")


class _LazyConsole:
    """A rich ``Console`` made on first use: importing rich costs more than some commands take in all."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return getattr(self._console, name)


err = _LazyConsole(stderr=True)
out = _LazyConsole()

CONFIG_ERROR_EXIT = 2
# Options several commands share
OutFolder = Annotated[Path | None, typer.Option("--out", help="output directory \\[default: results/<name>]")]
Workers = Annotated[int, typer.Option(min=1, show_default=False, help="local worker processes \\[default: all CPUs]")]
Scheduler = Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786")]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"ygt-abm {version('ygt-abm')}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, metavar="",
                                               help="print the version and exit")] = False) -> None:
    """Simulate county medical communities (县域医共体) and measure patient backflow."""


def _load(path: Path):
    from ygt_abm.config.files import ConfigError
    from ygt_abm.experiment.loading import load_runnable_experiment

    try:
        return load_runnable_experiment(path)
    except ConfigError as exc:
        _report(exc)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None


def _warn_implausible(path: Path, experiment) -> None:
    """Warnings (on stderr, exit status unchanged) about a study whose numbers would mislead: a world no real
    county resembles, too few replicates for its intervals."""
    for warning in experiment.warnings():
        typer.echo(f"{path}: warning: {warning}", err=True)


def _output_folder(target: Path) -> Path:
    """``--out`` made ready for writing, or a clear error (exit 2): a file, an unwritable place."""
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        typer.echo(f"--out {target}: cannot create the folder: {exc.strerror or exc}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    if not os.access(target, os.W_OK):
        typer.echo(f"--out {target}: the folder is not writable", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    return target


def _check_scheduler(scheduler: str | None) -> None:
    """A Dask scheduler that does not answer is refused (exit 2) before anything is written."""
    if not scheduler:
        return
    from ygt_abm.experiment.executors import SchedulerUnreachable, check_scheduler

    try:
        check_scheduler(scheduler)
    except SchedulerUnreachable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None


EXAMPLE_NOTE = "In a scenario (the defaults shown; keep only what you change)"


def _intervention_example(entry: dict) -> str:
    """A scenario's ``interventions:`` block with this intervention at its defaults, ready to paste."""
    example = {"type": entry["type"], "start_year": 1,
               **{p["name"]: "…" if p["required"] else p["default"] for p in entry["parameters"]},
               "source": "the document and clause it implements"}
    from ygt_abm.results.store import yaml_text

    return yaml_text({"interventions": [example]})


def _count(n: int, noun: str) -> str:
    """``1 point``, ``2 points``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _report(exc) -> None:
    for problem in sorted(exc.problems, key=lambda p: (p.file, p.line)):  # editors and CI logs parse file:line
        typer.echo(str(problem), err=True)


@contextmanager
def _job_failures() -> Iterator[None]:
    """A job's failures as the command line reports them: a bad config as file:line lines (exit 2), an output
    folder that holds another experiment, is being written or cannot be written (exit 1)."""
    from ygt_abm.config.files import ConfigError
    from ygt_abm.experiment.executors import SchedulerUnreachable
    from ygt_abm.experiment.runner import OutputConflict
    from ygt_abm.results.store import OutputLocked

    try:
        yield
    except ConfigError as exc:
        _report(exc)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    except SchedulerUnreachable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    except (OutputConflict, OutputLocked) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    except OSError as exc:  # inputs are read as ConfigErrors: this is the output (a folder where a file goes, a full disk)
        where = exc.filename2 or exc.filename or "the output folder"  # a rename's destination, else the path
        typer.echo(f"{where}: cannot write: {exc.strerror or exc}; choose another --out or clear it", err=True)
        raise typer.Exit(1) from None


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="experiment, policy-package, target, evaluations, "
                                                              "ensemble or paper-manifest YAML files")]) -> None:
    """Check experiment files (with their packages and CSV counties), policy packages, calibration target
    files, published-evaluation files, ensemble files and the paper's manifest (with its experiments); print
    file:line: field: problem for each problem, exit 2 if any."""
    from ygt_abm.config.evaluations import is_evaluation_file, load_evaluations
    from ygt_abm.config.experiment import county_count
    from ygt_abm.config.files import ConfigError, read_yaml
    from ygt_abm.config.loading import is_ensemble_file, load_ensemble
    from ygt_abm.config.targets import is_target_file, load_targets
    from ygt_abm.experiment.loading import intervention_schemas, load_policy, load_runnable_experiment
    from ygt_abm.experiment.plan import plan
    from ygt_abm.paper.manifest import is_manifest, load_manifest

    failed = False
    for path in files:
        try:
            doc = read_yaml(path)
            if is_manifest(doc):  # before the evaluations: it names their file
                manifest = load_manifest(path)
                for entry in manifest.experiments.values():
                    load_runnable_experiment(entry.file)
                typer.echo(f"{path}: ok (paper manifest: {_count(len(manifest.experiments), 'experiment')}, "
                           f"{_count(len(manifest.numbers), 'quoted number')})")
                continue
            if is_target_file(doc):
                typer.echo(f"{path}: ok (calibration targets: {len(load_targets(path))})")
                continue
            if is_ensemble_file(doc):
                typer.echo(f"{path}: ok (ensemble: {len(load_ensemble(path))} members)")
                continue
            if is_evaluation_file(doc):
                sets = [e.set for e in load_evaluations(path, intervention_schemas())]
                typer.echo(f"{path}: ok (published evaluations: {sets.count('training')} training, "
                           f"{sets.count('held-out')} held-out)")
                continue
            if isinstance(doc, dict) and "interventions" in doc and "scenarios" not in doc:  # a policy package
                package = load_policy(path)
                typer.echo(f"{path}: ok (policy package {package.name}: {len(package.interventions)} interventions, "
                           f"{len(package.targets)} targets)")
                continue
            resolved = load_runnable_experiment(path)
            exp = resolved.experiment
            counties = f" × {county_count(exp.world)} counties run alone" if exp.split_counties else ""
            typer.echo(f"{path}: ok ({_count(len(resolved.scenario_names), 'scenario')} × "
                       f"{_count(len(resolved.points), 'point')} × {_count(exp.replicates, 'replicate')}{counties} = "
                       f"{_count(len(plan(resolved)), 'run')} of {exp.warmup_years}+{exp.years} years)")
            _warn_implausible(path, exp)
        except ConfigError as exc:
            failed = True
            _report(exc)
    if failed:
        raise typer.Exit(CONFIG_ERROR_EXIT)


@app.command()
def run(
    experiment: Annotated[Path, typer.Argument(help="experiment YAML file")],
    out_dir: OutFolder = None,
    workers: Workers = os.cpu_count() or 1,
    scheduler: Scheduler = None,
    shard: Annotated[str | None, typer.Option(help="run only job-array slice I/N (0 ≤ I < N); then `collect`")] = None,
    figure: Annotated[bool, typer.Option(help="also draw the figures (figures/*.png; all formats: ygt-abm plot)")] = True,
    fork: Annotated[bool, typer.Option(help="simulate the warm-up runs share once and fork them from it "
                                            "(byte-identical; --no-fork: every run from scratch)")] = True,
) -> None:
    """Run an experiment (resuming where a previous run stopped): kpis.parquet, summary.csv,
    paired_differences.csv, runs.parquet, manifest.json and a figure in --out."""
    from ygt_abm.experiment.executors import executor_for
    from ygt_abm.experiment.progress import progress_for
    from ygt_abm.experiment.runner import parse_shard, run_experiment

    resolved = _load(experiment)
    _warn_implausible(experiment, resolved.experiment)
    try:
        shard_of = parse_shard(shard) if shard else None
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    _check_scheduler(scheduler)
    target = _output_folder(out_dir or Path("results") / resolved.experiment.name)
    progress = progress_for(f"{resolved.experiment.name}" + (f" shard {shard}" if shard else ""))
    try:
        with _job_failures(), executor_for(workers, scheduler) as executor:
            kpis = run_experiment(resolved, target, executor=executor, shard=shard_of, progress=progress,
                                  fork=None if fork else False)
    finally:
        progress.close()
    if kpis is None:
        out.print(f"shard {shard} done in {target}/; merge all shards with: ygt-abm collect {experiment} --out {target}")
        return
    _finish(resolved, target, kpis, figure)


@app.command()
def status(folder: Annotated[Path, typer.Argument(help="a result folder (--out of run)")]) -> None:
    """Whether a result folder is complete, incomplete (and what is missing) or being written; exit 0 only
    when complete."""
    from ygt_abm.results.store import COMPLETE, is_held

    runs = folder / "runs"
    if not runs.is_dir():
        typer.echo(f"{folder}: not a result folder (no runs/)", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    finished = sum(1 for p in runs.rglob("rep-*.parquet") if not p.name.endswith(".episodes.parquet"))
    if is_held(folder):
        typer.echo(f"{folder}: running ({finished} runs finished so far)")
        raise typer.Exit(1)
    stamp = runs / "config.sha256"
    marker = _completion_marker(folder / COMPLETE)
    if marker is not None:
        absent = [name for name in marker["reports"] if not (folder / name).exists()]
        if stamp.is_file() and stamp.read_bytes().strip() == marker["config_sha256"].encode() and not absent:
            typer.echo(f"{folder}: complete ({finished} runs, {len(marker['reports'])} reports)")
            return
    missing = [name for name in ("kpis.parquet", "runs.parquet", "manifest.json", "summary.csv", COMPLETE)
               if not (folder / name).exists()]
    typer.echo(f"{folder}: incomplete ({finished} runs finished; missing: {', '.join(missing) or 'nothing listed'}); "
              "`ygt-abm run` with the same experiment and --out resumes it")
    raise typer.Exit(1)


def _completion_marker(path: Path) -> dict | None:
    """complete.json as the runner writes it (its fingerprint and its reports), or None for anything else: no
    file, a folder, garbage, another shape. A marker that is not the runner's says nothing is complete."""
    from ygt_abm.results.store import read_json

    try:
        marker = read_json(path) if path.is_file() else None
    except (OSError, ValueError):
        return None
    if not (isinstance(marker, dict) and isinstance(marker.get("config_sha256"), str)
            and isinstance(marker.get("reports"), list) and all(isinstance(r, str) for r in marker["reports"])):
        return None
    return marker


@app.command()
def collect(
    experiment: Annotated[Path, typer.Argument(help="experiment YAML file")],
    out_dir: OutFolder = None,
    figure: Annotated[bool, typer.Option(help="also draw the figures (figures/*.png; all formats: ygt-abm plot)")] = True,
) -> None:
    """Merge the runs of all shards into kpis.parquet and the summaries (fails if runs are missing)."""
    from ygt_abm.experiment.runner import MissingRuns, OutputConflict
    from ygt_abm.experiment.runner import collect as collect_runs
    from ygt_abm.results.store import OutputLocked

    resolved = _load(experiment)
    target = out_dir or Path("results") / resolved.experiment.name
    if not (target / "runs").is_dir():  # nothing to merge: make no folder and leave no lock behind
        typer.echo(f"{target}: no runs to collect (run the shards with --out {target} first)", err=True)
        raise typer.Exit(1)
    target = _output_folder(target)
    try:
        kpis = collect_runs(resolved, target)
    except (MissingRuns, OutputConflict, OutputLocked) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    _finish(resolved, target, kpis, figure)


@app.command()
def plot(
    experiment: Annotated[Path, typer.Argument(help="experiment YAML file")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="result folder \\[default: results/<name>]")] = None,
    formats: Annotated[str, typer.Option(help="comma-separated: png, pdf, svg")] = "png,pdf,svg",
    lang: Annotated[str, typer.Option(help="label language: en, or zh for the indicators' Chinese terms (into "
                                           "figures-zh/; needs a CJK font, which scripts/setup.sh installs)")] = "en",
) -> None:
    """Draw every figure of a finished result folder from its tables, into figures/: the headline indicators
    with bands and targets, paired differences, and backflow, decomposition and attainment where the
    experiment has them; each scenario in one colour throughout. Byte for byte the same on every run."""
    import pandas as pd

    from ygt_abm.experiment.runner import check_output
    from ygt_abm.figures.results import plot_results
    from ygt_abm.figures.save import FORMATS
    from ygt_abm.figures.style import LANGUAGES, MissingFont, cjk_font

    chosen = tuple(f.strip() for f in formats.split(",") if f.strip())
    unknown = sorted(set(chosen) - set(FORMATS))
    if unknown or not chosen:
        typer.echo(f"--formats {formats}: expected some of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    if lang not in LANGUAGES:
        typer.echo(f"--lang {lang}: expected one of {', '.join(LANGUAGES)}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    if lang == "zh":
        try:
            cjk_font()
        except MissingFont as exc:  # boxes instead of characters would be worse than no figure
            typer.echo(f"--lang zh: {exc}", err=True)
            raise typer.Exit(1) from None
    resolved = _load(experiment)
    target = out_dir or Path("results") / resolved.experiment.name
    if not (target / "kpis.parquet").is_file():
        typer.echo(f"{target}: no kpis.parquet; run (or collect) the experiment first", err=True)
        raise typer.Exit(1)
    with _job_failures():
        check_output(target, resolved)  # another experiment's tables would be drawn under this one's name
    try:
        kpis = pd.read_parquet(target / "kpis.parquet")
    except (OSError, ValueError) as exc:  # truncated or empty: pyarrow says so in either
        typer.echo(f"{target / 'kpis.parquet'} cannot be read ({exc}); run (or collect) the experiment again",
                   err=True)
        raise typer.Exit(1) from None
    with _job_failures():
        paths = list(plot_results(resolved, _output_folder(target), kpis, formats=chosen, lang=lang))
    for path in paths:
        out.print(str(path))


@app.command()
def calibrate(
    experiment: Annotated[Path, typer.Argument(help="experiment YAML file with a calibration section")],
    out_dir: OutFolder = None,
    workers: Workers = os.cpu_count() or 1,
    scheduler: Scheduler = None,
    parallel: Annotated[str, typer.Option(help="abc-smc: what runs in parallel on --workers or --scheduler: "
                                          "'runs' (a particle's runs; one particle at a time, reproducible) or "
                                          "'particles' (pyabc's multicore or Dask sampler; not reproducible)")
                        ] = "runs",
) -> None:
    """Fit the parameters the calibration section names. method optuna: to the calibration targets (each
    trial a baseline run through the experiment runner; the study in an RDB storage, so a killed calibration
    resumes): trials.csv, calibrated.yaml, ensemble.yaml and the best trial's fit.md, fit.csv and fit.png in
    --out. method abc-smc: a posterior from the baseline targets and the training evaluations (pyabc ABC-SMC;
    its history in abc.db resumes): posterior.csv, posterior.yaml, parameters.md/.csv, training-fit.md/.csv
    and posterior.png in --out; with an emulator also design.csv, emulator.md/.csv, emulated-fit.md/.csv and
    check.csv (training-fit from the check's fresh runs)."""
    from ygt_abm.calibrate import calibrate as run_calibration
    from ygt_abm.estimation.smc import EstimationError
    from ygt_abm.experiment.executors import executor_for

    resolved = _load(experiment)
    cal = resolved.experiment.calibration
    if cal is None:
        typer.echo(f"{experiment}: no calibration section (what to fit: calibration.search)", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    if parallel not in ("runs", "particles"):
        typer.echo(f"--parallel {parallel}: expected runs or particles", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    if parallel == "particles" and cal.method != "abc-smc":
        typer.echo("--parallel particles: for method abc-smc only (Optuna's trials run one at a time)", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    if parallel == "particles" and cal.method == "abc-smc" and cal.emulator is not None:
        typer.echo("--parallel particles: an emulated estimation spreads its design points over --workers or "
                   "--scheduler itself, and its particles cost milliseconds; leave --parallel out", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    _check_scheduler(scheduler)
    if cal.method == "abc-smc":  # what it fits, read and checked before --out is made
        from ygt_abm.estimation.smc import check_estimation

        with _job_failures():
            try:
                check_estimation(resolved)
            except EstimationError as exc:
                typer.echo(f"{experiment}: {exc}", err=True)
                raise typer.Exit(CONFIG_ERROR_EXIT) from None
    target = _output_folder(out_dir or Path("results") / resolved.experiment.name)

    def progress(done: int, total: int, threshold: float | None = None, what: str = "trial") -> None:
        if threshold is None:
            out.print(f"{what} {done}/{total}")
        else:
            out.print(f"generation {done}/{total}: threshold {threshold:.4g}")

    if cal.method == "abc-smc":
        with _job_failures(), _particle_sampler(parallel, workers, scheduler) as sampler, \
                executor_for(1 if sampler is not None else workers, None if sampler is not None else scheduler
                             ) as executor:
            try:
                result = run_calibration(resolved, target, executor=executor, progress=progress,
                                         particle_sampler=sampler)
            except EstimationError as exc:
                typer.echo(f"{experiment}: {exc}", err=True)
                raise typer.Exit(CONFIG_ERROR_EXIT) from None
        typer.echo((target / "parameters.md").read_text(encoding="utf-8"))
        out.print(f"{result.generations} generations, threshold {result.epsilon:.4g}; results in {target}/ "
                  "(posterior.yaml: draws an experiment's `ensemble:` runs over)")
        return
    with _job_failures(), executor_for(workers, scheduler) as executor:
        result = run_calibration(resolved, target, executor=executor, progress=progress)
    typer.echo((target / "fit.md").read_text(encoding="utf-8"))
    out.print(f"best {result.best}; {len(result.ensemble)} trials within tolerance; results in {target}/")


@contextmanager
def _particle_sampler(parallel: str, workers: int, scheduler: str | None) -> Iterator[Any]:
    """pyabc's sampler for ``--parallel particles``: Dask's (a running scheduler) or the multicore one (local
    workers); None, the seeded single-core sampler, for ``--parallel runs`` or one worker."""
    if parallel != "particles" or (scheduler is None and workers <= 1):
        yield None
        return
    import logging

    from pyabc.sampler import DaskDistributedSampler, MulticoreEvalParallelSampler

    logging.getLogger("ABC").setLevel(logging.WARNING)  # importing pyabc set it to INFO
    if scheduler is None:
        yield MulticoreEvalParallelSampler(n_procs=workers)
        return
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError("a Dask scheduler needs the 'dask' extra: pip install 'ygt_abm[dask]'") from exc
    with Client(scheduler) as client:
        yield DaskDistributedSampler(dask_client=client)


@app.command()
def sensitivity(
    experiment: Annotated[Path, typer.Argument(help="experiment YAML file whose samples are a morris or saltelli design")],
    out_dir: OutFolder = None,
    workers: Workers = os.cpu_count() or 1,
    scheduler: Scheduler = None,
    figure: Annotated[bool, typer.Option(help="also draw the figures")] = True,
) -> None:
    """Run a sensitivity design through the experiment runner (resumable, any executor) and rank the
    parameters by what they do to the headline indicators and to each package's effect: Morris μ* or Sobol
    indices with 95% bootstrap intervals (sensitivity.csv, figures/sensitivity.png, and the run's tables)."""
    import pandas as pd

    from ygt_abm.analysis.sensitivity import ranking

    resolved = _load(experiment)
    samples = resolved.experiment.samples
    if samples is None or not samples.sensitivity():
        typer.echo(f"{experiment}: samples.method must be morris or saltelli for a sensitivity analysis "
                   f"(found {samples.method if samples else 'no samples'})", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    run(experiment, out_dir, workers, scheduler, None, figure)
    target = out_dir or Path("results") / resolved.experiment.name
    table = pd.read_csv(target / "sensitivity.csv")
    typer.echo(ranking(table).round(4).to_string())
    out.print(f"sensitivity indices in {target}/sensitivity.csv")


@app.command()
def fit(
    targets: Annotated[Path | None, typer.Option(help="calibration target file \\[default: the shipped targets]")] = None,
    population: Annotated[int, typer.Option(min=100, max=5_000_000, help="residents per county")] = 300_000,
    worlds: Annotated[int, typer.Option(min=1, help="counties, each with its own geography and city hospital "
                                                "(each an experiment of its own, as the calibration scripts run)")] = 4,
    replicates: Annotated[int, typer.Option(min=1, max=10_000)] = 2,  # an experiment's bounds: each world is one
    years: Annotated[int, typer.Option(min=1, max=100, help="recorded years after the warm-up")] = 10,
    seed: Annotated[int, typer.Option(min=0, max=2**62, help="world w is seeded SEED + w")] = 2023,
    elasticities: Annotated[Path | None, typer.Option(help="result folder of experiments/price-elasticities.yaml "
                                                           "(its elasticities.csv) for the elasticity targets")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="output directory")] = Path("results/fit"),
    workers: Workers = os.cpu_count() or 1,
) -> None:
    """Run the baseline (worlds × replicates, through the experiment runner, resumable) and report its fit to
    the calibration targets: target, simulated mean, 95% interval, within tolerance or not (fit.csv and
    fit.md in --out)."""
    from ygt_abm.baseline_fit import ELASTICITIES, fit_baseline, read_elasticities
    from ygt_abm.config.experiment import MAX_RUNS
    from ygt_abm.config.files import ConfigError
    from ygt_abm.config.targets import TARGETS_FILE, load_targets
    from ygt_abm.experiment.executors import executor_for

    if worlds * replicates > MAX_RUNS:  # each world is an experiment of its own: the limit holds for all of them
        typer.echo(f"--worlds {worlds} × --replicates {replicates} = {worlds * replicates:,} runs; a fit has at most "
                   f"{MAX_RUNS:,}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    try:
        wanted = load_targets(targets or TARGETS_FILE)
    except ConfigError as exc:
        _report(exc)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    if elasticities is not None:  # read and checked before hours of runs
        if not (elasticities / ELASTICITIES).exists():
            typer.echo(f"--elasticities {elasticities}: no {ELASTICITIES} (run experiments/price-elasticities.yaml "
                       "into it first)", err=True)
            raise typer.Exit(CONFIG_ERROR_EXIT)
        try:
            read_elasticities(elasticities)
        except ValueError as exc:
            typer.echo(f"--elasticities {elasticities}: {exc}", err=True)
            raise typer.Exit(CONFIG_ERROR_EXIT) from None
    folder = _output_folder(out_dir)
    with _job_failures(), executor_for(workers, None) as executor:
        result = fit_baseline(folder, wanted, population, worlds, replicates, years, seed, elasticities, executor)
    typer.echo(result.markdown)
    out.print(f"fit in {folder}/fit.md, fit.csv and fit.png (.pdf, .svg)")


@app.command()
def evaluations(
    which: Annotated[str, typer.Option("--set", help="training, held-out or all")] = "all",
    out_dir: Annotated[Path, typer.Option("--out", help="output directory")] = Path("results/evaluations"),
    replicates: Annotated[int, typer.Option(min=2, max=10_000, help="replicates (paired; 2 at least for an "
                                                                    "interval)")] = 8,
    population: Annotated[int, typer.Option(min=100, max=5_000_000, help="residents of the county (townships in "
                                                                         "proportion)")] = 120_000,
    warmup_years: Annotated[int, typer.Option(min=0, max=20, help="unrecorded warm-up years")] = 3,
    workers: Workers = os.cpu_count() or 1,
    scheduler: Scheduler = None,
    only: Annotated[list[str] | None, typer.Option(help="run only this evaluation id (repeatable)")] = None,
    file: Annotated[Path | None, typer.Option(help="evaluations file \\[default: the shipped one]")] = None,
    ensemble: Annotated[Path | None, typer.Option(help="run over every member of this ensemble (an estimation's "
                                                  "posterior.yaml): the posterior predictive")] = None,
) -> None:
    """Run the published evaluations (each an experiment: control and treated in one county, through the
    experiment runner, resumable) and compare every outcome's simulated effect with its published band:
    evaluations.csv, evaluations.md and the forest plot evaluations.png (.pdf, .svg) in --out."""
    from ygt_abm.config.evaluations import EVALUATIONS_FILE
    from ygt_abm.config.files import ConfigError
    from ygt_abm.evaluation_runs import SETS, check_folder, chosen_evaluations, run_evaluations
    from ygt_abm.experiment.executors import executor_for
    from ygt_abm.experiment.progress import progress_for

    if which not in SETS:
        typer.echo(f"--set {which}: expected one of {', '.join(SETS)}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    path = file or EVALUATIONS_FILE
    if not path.is_file():
        typer.echo(f"--file {path}: no such file", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    try:
        chosen = chosen_evaluations(which, path, only or ())  # type: ignore[arg-type]
    except ConfigError as exc:
        _report(exc)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    if ensemble is not None and not ensemble.is_file():
        typer.echo(f"--ensemble {ensemble}: no such file", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    _check_scheduler(scheduler)
    with _job_failures():  # before --out is made: the ensemble's members, then every experiment and its folder
        if ensemble is not None:
            from ygt_abm.config.loading import load_ensemble

            load_ensemble(ensemble)
        check_folder(out_dir, chosen, population, replicates, warmup_years, ensemble, source=path)
    folder = _output_folder(out_dir)
    with _job_failures(), executor_for(workers, scheduler) as executor:
        report = run_evaluations(folder, chosen, population, replicates, warmup_years, executor,
                                 lambda name: progress_for(f"evaluation {name}"), ensemble)
    typer.echo(report.markdown)
    out.print(f"evaluations in {folder}/evaluations.md, evaluations.csv and evaluations.png (.pdf, .svg)")


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")] = None,
) -> None:
    """The JSON schema of experiment files, for editors that check YAML."""
    from ygt_abm.config.schema import experiment_schema

    text = json.dumps(experiment_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            typer.echo(f"--output {output}: cannot write: {exc.strerror or exc}", err=True)
            raise typer.Exit(CONFIG_ERROR_EXIT) from None
    else:
        typer.echo(text, nl=False)


def _finish(resolved, target: Path, kpis, figure: bool) -> None:
    from ygt_abm.report import write_reports

    with _job_failures():
        summary = write_reports(resolved, target, kpis, figure)
    _print_last_year(summary[~summary["scenario"].map(is_variant)])
    out.print(f"results in {target}/")


def _print_last_year(summary) -> None:
    from rich.table import Table

    last = summary[(summary["year"] == summary["year"].max()) & (summary["point"] == summary["point"].iloc[0])]
    metrics = ["primary_care_visit_share", "in_county_visit_rate", "in_county_inpatient_share",
               "visits_per_capita", "admissions_per_capita", "village_doctors"]
    scenarios = list(dict.fromkeys(last["scenario"]))
    for county, rows in last.groupby("county", sort=False):
        table = Table(title=f"{county}, year {int(last['year'].max())}, point {last['point'].iloc[0]}: "
                      "mean [95% interval] across replicates")
        table.add_column("indicator")
        for scenario in scenarios:
            table.add_column(scenario, justify="right")
        by = rows.set_index(["metric", "scenario"])
        for m in metrics:
            table.add_row(m, *(f"{by.at[(m, s), 'mean']:.3f} [{by.at[(m, s), 'ci_low']:.3f}, "
                               f"{by.at[(m, s), 'ci_high']:.3f}]" for s in scenarios))
        out.print(table)


@app.command()
def params(
    prefix: Annotated[str | None, typer.Argument(help="only the parameters whose dotted name starts with this, "
                                                      "e.g. providers or finance.outpatient")] = None,
    markdown: Annotated[bool, typer.Option(help="print a Markdown table (docs/parameters.md)")] = False,
    as_yaml: Annotated[bool, typer.Option("--yaml", help="print their defaults as a `parameters:` block to paste "
                                                        "into an experiment file")] = False,
) -> None:
    """Every model parameter with its default and its source (or the assumption behind it)."""
    from ygt_abm.config.files import did_you_mean
    from ygt_abm.config.params import parameter_table

    rows = parameter_table()
    if prefix is not None:
        chosen = [row for row in rows if row[0] == prefix or row[0].startswith(f"{prefix}.")
                  or row[0].startswith(prefix)]
        if not chosen:
            typer.echo(f"params: no parameter starts with {prefix!r}{did_you_mean(prefix, {r[0] for r in rows})}; the "
                       f"sections are: {', '.join(sorted({r[0].split('.')[0] for r in rows}))}", err=True)
            raise typer.Exit(CONFIG_ERROR_EXIT)
        rows = chosen
    if markdown:
        typer.echo("# Model parameters\n\nGenerated by `ygt-abm params --markdown`; defaults with their source, or the "
                   "assumption behind them.\n\n| parameter | default | source |\n|---|---|---|")
        for name, value, source in rows:
            typer.echo(f"| `{name}` | {value} | {source.replace('|', '/')} |")
        return
    if as_yaml:
        from ygt_abm.config.design import Point
        from ygt_abm.results.store import yaml_text

        defaults = Point("defaults", {name: value for name, value, _ in rows}).overrides()  # dotted → nested
        typer.echo(yaml_text({"parameters": defaults}), nl=False)
        return
    out.print(_table(("parameter", "default", "source"), [(name, str(value), source) for name, value, source in rows],
                     unbroken=1))


@app.command()
def indicators() -> None:
    """The indicators every run reports, with their definitions."""
    from ygt_abm.vocabulary import INDICATORS

    out.print(_table(("indicator", "term", "definition"),
                     [(name, term, definition) for name, (term, definition) in INDICATORS.items()]))


@app.command()
def loop(
    levers: Annotated[bool, typer.Option(help="which process reads each policy lever, instead")] = False,
    contracts: Annotated[bool, typer.Option(help="each process's contract instead: the levers it reads, the "
                                                 "processes it needs, the state it writes")] = False,
) -> None:
    """The model's weekly loop: its processes by stage, in the order they run (Markdown)."""
    from ygt_abm.processes import Loop, default_processes, lever_table, loop_table
    from ygt_abm.processes.contracts import contract_table

    if contracts:
        typer.echo(contract_table(Loop(default_processes())))
    else:
        typer.echo(lever_table() if levers else loop_table())


@app.command()
def documents(
    name: Annotated[str | None, typer.Argument(help="a package, e.g. anhui-2024; omitted: the coverage of all five")] = None,
) -> None:
    """The five documents clause by clause: each clause's quote and the lever, target or reason that maps it,
    and each document's coverage (encoded, left out with a reason, missing)."""
    from ygt_abm.config.files import ConfigError, did_you_mean
    from ygt_abm.policies.clauses import mapped_packages, print_documents

    names = mapped_packages()
    if name is not None and name not in names:
        typer.echo(f"documents: no clause map for {name!r}{did_you_mean(name, names)}; expected one of: "
                   f"{', '.join(names)}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    try:
        print_documents(name)
    except ConfigError as exc:
        _report(exc)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None


@app.command()
def interventions(
    name: Annotated[str | None, typer.Argument(help="one intervention, e.g. global_budget, with a YAML example")] = None,
    markdown: Annotated[bool, typer.Option(help="print Markdown (docs/interventions.md)")] = False,
) -> None:
    """Every registered intervention: its mechanism, parameters and defaults."""
    from ygt_abm.config.files import did_you_mean
    from ygt_abm.interventions import catalogue

    if name is not None:
        entries = {entry["type"]: entry for entry in catalogue()}
        if name not in entries:
            typer.echo(f"interventions: no intervention {name!r}{did_you_mean(name, entries)}; they are: "
                       f"{', '.join(sorted(entries))}", err=True)
            raise typer.Exit(CONFIG_ERROR_EXIT)
        entry = entries[name]
        out.rule(f"[bold]{name}")
        out.print(entry["mechanism"], highlight=False)
        out.print(_table(("parameter", "default", "description"),
                         [(p["name"], "(required)" if p["required"] else str(p["default"]), p["description"])
                          for p in entry["parameters"]], box=None, unbroken=1))
        typer.echo(f"\n{EXAMPLE_NOTE}:\n")
        typer.echo(_intervention_example(entry), nl=False)
        return
    if markdown:
        typer.echo("# Interventions\n\nGenerated by `ygt-abm interventions --markdown`. Every intervention also "
                   "takes `start_year` (1 = first recorded year), `end_year`, `counties` (names; default all), "
                   "`source` (required: document and clause) and `assumption` (what the document does not give).")
        for entry in catalogue():
            typer.echo(f"\n## `{entry['type']}`\n\n{entry['mechanism']}\n\n| parameter | default | description |"
                       "\n|---|---|---|")
            for p in entry["parameters"]:
                default = "(required)" if p["required"] else f"`{p['default']}`"
                typer.echo(f"| `{p['name']}` | {default} | {p['description']} |")
            typer.echo(f"\n{EXAMPLE_NOTE}:\n\n```yaml\n{_intervention_example(entry)}```")
        return
    for entry in catalogue():
        out.rule(f"[bold]{entry['type']}")
        out.print(entry["mechanism"], highlight=False)
        common = [("start_year / end_year", "1 / —", "years in force (1 = first recorded year)"),
                  ("counties", "all", "county names targeted"), ("source", "(required)", "document and clause")]
        own = [(p["name"], "(required)" if p["required"] else str(p["default"]), p["description"])
               for p in entry["parameters"]]
        out.print(_table(("parameter", "default", "description"), common + own, box=None))


@app.command()
def bench(
    population: Annotated[int, typer.Option(help="residents in one county")] = 500_000,
    years: Annotated[int, typer.Option(help="simulated years")] = 10,
    seed: Annotated[int, typer.Option()] = 1,
    suite: Annotated[str | None, typer.Option(
        help="comma-separated sizes, e.g. 100000,500000,1000000: the whole suite (each size in a fresh "
             "process, the per-agent reference at 100,000, the targets) instead of one county")] = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="with --suite: also write the rows here")] = None,
    reference_population: Annotated[int, typer.Option(help="with --suite: residents of the reference "
                                                           "comparison (the targets are defined at 100,000)")] = 100_000,
) -> None:
    """Time one county (seconds per simulated year, resident-steps per second, time per phase), or the
    benchmark suite with --suite."""
    from ygt_abm.bench import benchmark, print_suite

    if suite:
        print_suite(suite, years, seed, reference_population, json_path=str(json_path) if json_path else None)
        return
    report = benchmark(population, years, seed)
    for key, value in report.items():
        out.print(f"{key:32s} {value:,.4g}" if isinstance(value, float) else f"{key:32s} {value}")


@app.command()
def paper(
    quick: Annotated[bool, typer.Option(help="the whole paper at toy scale (minutes; for CI): the "
                                             "experiments' quick settings in paper.yaml")] = False,
    source: Annotated[Path, typer.Option(help="the paper's folder: paper.yaml, paper.typ, references.bib")] = Path("paper"),
    out_dir: Annotated[Path | None, typer.Option("--out", help="build folder \\[default: SOURCE/build, or "
                                                              "SOURCE/build-quick with --quick]")] = None,
    workers: Workers = os.cpu_count() or 1,
    scheduler: Scheduler = None,
) -> None:
    """Build the paper: run or reuse its experiments (through the experiment runner), write every table and
    quoted number from the result files, draw every figure, typeset paper.pdf (Typst). Steps whose inputs
    have not changed are skipped; the same seeds give the same bytes."""
    import importlib.util

    from ygt_abm.experiment.executors import executor_for
    from ygt_abm.paper.build import MANIFEST, build_paper
    from ygt_abm.experiment.loading import load_runnable_experiment
    from ygt_abm.paper.manifest import load_manifest
    from ygt_abm.paper.numbers import MissingNumber
    from ygt_abm.paper.referee import FigureProblem

    if importlib.util.find_spec("typst") is None:
        err.print("paper: Typst is not installed; pip install 'ygt_abm[paper]' (or bash scripts/setup.sh)")
        raise typer.Exit(CONFIG_ERROR_EXIT)
    if not (source / MANIFEST).is_file():
        typer.echo(f"--source {source}: no {MANIFEST} (run from the repository, or point --source at paper/)", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT)
    _check_scheduler(scheduler)
    with _job_failures():  # a bad manifest or experiment file: before the build folder is made, not hours in
        for entry in load_manifest(source / MANIFEST).experiments.values():
            load_runnable_experiment(entry.file)
    target = _output_folder(out_dir or source / ("build-quick" if quick else "build"))
    try:
        with _job_failures(), executor_for(workers, scheduler) as executor:
            pdf = build_paper(source, target, quick=quick, executor=executor, log=out.print)
    except (MissingNumber, FigureProblem) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    out.print(f"paper: {pdf}")


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(help="port to serve on")] = 8765,
    host: Annotated[str, typer.Option(help="address to bind; 0.0.0.0 lets other machines in (a classroom "
                                           "network)")] = "127.0.0.1",
) -> None:
    """The classroom in the browser: twin counties, the levers, the map and the charts (docs/teaching.md).
    Needs the dashboard extra: pip install 'ygt_abm\\[dashboard]'."""
    import importlib.util
    import os
    import sys

    if importlib.util.find_spec("solara") is None:
        err.print("dashboard: Solara is not installed; pip install 'ygt_abm\\[dashboard]' (or bash scripts/setup.sh)")
        raise typer.Exit(2)
    from ygt_abm.dashboard.assets import cache_dir, missing_assets

    missing = missing_assets()
    if missing:  # Solara then asks the public CDN, which an offline classroom cannot reach
        err.print(f"dashboard: {len(missing)} web assets are not in {cache_dir()} ({', '.join(missing)}); "
                  "fetch them with: bash scripts/dashboard_assets.sh")
    out.print(f"dashboard: http://{host}:{port}/  (Ctrl-C stops it)")
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")  # a classroom reports to no one
    os.execv(sys.executable, [sys.executable, "-m", "solara", "run", "ygt_abm.dashboard.app", "--production",
                              "--host", host, "--port", str(port), "--no-open"])


@app.command()
def example_county(
    dest: Annotated[Path, typer.Argument(help="new folder to copy it into")] = Path("example-county"),
) -> None:
    """Copy the fictional example county installed with ygt_abm (CSV files, README.md, experiment.yaml) into
    a new folder: to run it, or as a template for a real county."""
    import shutil
    from importlib.resources import as_file, files

    if dest.exists():
        typer.echo(f"{dest} already exists; give a new folder", err=True)
        raise typer.Exit(1)
    try:
        with as_file(files("ygt_abm") / "data" / "example-county") as source:
            shutil.copytree(source, dest)
    except OSError as exc:
        typer.echo(f"{dest}: cannot create it: {exc.strerror or exc}", err=True)
        raise typer.Exit(CONFIG_ERROR_EXIT) from None
    typer.echo(f"wrote {dest}/ (fictional data, see its README.md); run it with: "
               f"ygt-abm run {dest / 'experiment.yaml'}")


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]], unbroken: int = 0, **style) -> Table:
    """A rich table whose long cells wrap instead of being cut; its first ``unbroken`` columns never break
    (names a reader copies)."""
    from rich.table import Table

    table = Table(**style)
    for i, col in enumerate(columns):
        table.add_column(col, no_wrap=True) if i < unbroken else table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*row)
    return table


if __name__ == "__main__":
    app()
