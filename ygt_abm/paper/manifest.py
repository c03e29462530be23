"""The paper's manifest (``paper/paper.yaml``): the experiments the paper runs, the scale ``--quick`` runs
them at, the published evaluations it is checked against (every one, run over the posterior ensemble, and
the scale of that run), and every number its text quotes, each with the result table, row and column it
comes from. Checked like any config: file:line: field: problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from ygt_abm.config.files import ConfigError, Problem, line_of, read_yaml, validate_model
from ygt_abm.config.params import Strict

EVALUATIONS = "evaluations"  # the folder of the published evaluations' run among the results
LAST = "last"  # in a number's row filter: the table's last year
#: the manifest's roles an experiment may fill (map and fit are required)
OPTIONAL_EXPERIMENTS = ("elasticity_experiment", "decomposition_experiment", "uncertainty_experiment",
                        "attainment_experiment", "sensitivity_experiment", "sobol_experiment",
                        "dose_response_experiment")


class PaperExperiment(Strict):
    file: Path = Field(description="experiment YAML, relative to the manifest")
    quick: dict[str, Any] = Field(default_factory=dict,
                                  description="dotted settings --quick overrides (world.population: 8000, ...)")
    full: dict[str, Any] = Field(default_factory=dict,
                                 description="dotted settings the full build writes over the file (replicates: 10): "
                                             "the paper's scale where it differs from the experiment's own")


class QuotedNumber(Strict):
    """A number the text quotes: ``table`` (``<experiment>/<file>`` under the results, or ``tables/<file>``
    of the paper's own tables), the one row ``where`` selects (``year: last``: the table's last year), its
    ``column`` (default ``mean``), times ``scale``, written with the Python format spec ``format``; or, with
    ``aggregate``, the sum, min, max or mean over the rows selected, or their count (of those whose
    ``column`` is not empty, when a column is named)."""

    table: str = Field(pattern=r"^[\w.-]+/[\w.-]+\.(csv|parquet)$")
    where: dict[str, str | int | float] = Field(default_factory=dict)
    column: str | None = None
    aggregate: Literal["one", "count", "sum", "min", "max", "mean"] = "one"
    scale: float = 1.0
    format: str = ".3g"

    @field_validator("format")
    @classmethod
    def _formats_a_number(cls, spec: str) -> str:
        try:
            format(1.5, spec)
        except ValueError as exc:
            raise ValueError(f"not a Python format spec for a number: {exc}") from None
        return spec


class EvaluationScale(Strict):
    """The size of the published evaluations' run (``ygt-abm evaluations``'s options)."""

    population: int = Field(ge=100, le=5_000_000, description="residents of each evaluation's county")
    replicates: int = Field(ge=2, le=10_000, description="replicates (paired; 2 at least for an interval)")
    warmup_years: int = Field(ge=0, le=20, description="unrecorded warm-up years")
    ensemble_size: int | None = Field(None, ge=1, description="run only the ensemble's first N members "
                                      "(none: all of them)")


class PaperEvaluations(EvaluationScale):
    """Every published evaluation, training and held-out (``ygt-abm evaluations --set all``), run over a
    posterior ensemble at this scale, and at ``quick``'s with ``--quick``."""

    file: Path = Field(description="the evaluations file, relative to the manifest")
    ensemble: Path | None = Field(None, description="the ensemble every evaluation runs over, relative to the "
                                  "manifest (an estimation's posterior.yaml)")
    quick: EvaluationScale


class PaperManifest(Strict):
    experiments: dict[str, PaperExperiment] = Field(min_length=1)
    map_experiment: str = Field(description="the experiment whose world (and baseline) the county map shows")
    fit_experiment: str = Field(description="the experiment whose baseline scenario is fitted to the targets")
    elasticity_experiment: str | None = Field(None, description="the experiment whose elasticities.csv gives "
                                              "the fit's price-elasticity targets")
    decomposition_experiment: str | None = Field(None, description="the experiment whose decomposition.csv gives "
                                                 "each package's leading levers (tables/levers.csv)")
    uncertainty_experiment: str | None = Field(None, description="the experiment over a calibrated ensemble whose "
                                               "uncertainty.csv gives the effects' replicate and parameter intervals")
    attainment_experiment: str | None = Field(None, description="the experiment whose attainment.csv the paper "
                                              "shows (over an ensemble: replicate and parameter uncertainty)")
    sensitivity_experiment: str | None = Field(None, description="the screening (Morris) whose sensitivity.csv "
                                               "the paper shows as tables/sensitivity.csv")
    sobol_experiment: str | None = Field(None, description="the Sobol indices (Saltelli design) whose "
                                         "sensitivity.csv the paper shows as tables/sobol.csv")
    dose_response_experiment: str | None = Field(None, description="the sweep of one lever's strength whose "
                                                 "dose_response.csv the paper shows as tables/dose-response.csv")
    evaluations: PaperEvaluations | None = Field(None, description="the published evaluations the paper's "
                                                 "validation shows (results/evaluations)")
    numbers: dict[str, QuotedNumber] = Field(default_factory=dict)


def is_manifest(doc: Any) -> bool:
    """Whether a YAML document is a paper manifest (it names the experiment its county map shows)."""
    return isinstance(doc, dict) and "map_experiment" in doc


def load_manifest(path: str | Path) -> PaperManifest:
    """Read and check the paper's manifest; experiment files resolved against its folder."""
    file = str(path)
    doc = read_yaml(Path(path))
    manifest = validate_model(PaperManifest, doc, file)
    problems = []
    base = Path(path).parent
    for name, experiment in manifest.experiments.items():
        experiment.file = (base / experiment.file).resolve()
        if not experiment.file.is_file():
            problems.append(Problem(file, line_of(doc, ("experiments", name, "file"))[0] or 1,
                                    f"experiments.{name}.file", f"no such file: {experiment.file}"))
    if manifest.evaluations is not None:
        if EVALUATIONS in manifest.experiments:  # both would write results/evaluations
            problems.append(Problem(file, line_of(doc, ("experiments", EVALUATIONS))[0] or 1,
                                    f"experiments.{EVALUATIONS}", "the name of the evaluations' results: rename it"))
        sized = [k for k, scale in (("ensemble_size", manifest.evaluations), ("quick.ensemble_size",
                                    manifest.evaluations.quick)) if scale.ensemble_size]
        if sized and manifest.evaluations.ensemble is None:
            problems.append(Problem(file, line_of(doc, ("evaluations", *sized[0].split(".")))[0] or 1,
                                    f"evaluations.{sized[0]}", "needs an ensemble (evaluations.ensemble)"))
        for field in ("file", "ensemble"):
            named = getattr(manifest.evaluations, field)
            if named is not None:
                setattr(manifest.evaluations, field, (base / named).resolve())
                if not getattr(manifest.evaluations, field).is_file():
                    problems.append(Problem(file, line_of(doc, ("evaluations", field))[0] or 1,
                                            f"evaluations.{field}", f"no such file: {(base / named).resolve()}"))
    for field in ("map_experiment", "fit_experiment", *OPTIONAL_EXPERIMENTS):
        named = getattr(manifest, field)
        if named not in manifest.experiments and not (named is None and field in OPTIONAL_EXPERIMENTS):
            problems.append(Problem(file, line_of(doc, (field,))[0] or 1, field,
                                    f"expected one of the experiments {sorted(manifest.experiments)}"))
    known = set(manifest.experiments) | {"tables"} | ({EVALUATIONS} if manifest.evaluations else set())
    for name, number in manifest.numbers.items():
        folder = number.table.split("/")[0]
        if folder not in known:
            problems.append(Problem(file, line_of(doc, ("numbers", name, "table"))[0] or 1, f"numbers.{name}.table",
                                    f"{folder!r} is not an experiment of the paper nor 'tables'"))
    if problems:
        raise ConfigError(problems)
    return manifest
