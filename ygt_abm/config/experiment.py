"""Experiment and world configuration: what region to build, which scenarios to run, how often."""

from __future__ import annotations

import math

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from ygt_abm.config.files import did_you_mean
from ygt_abm.config.params import ModelParameters, Strict, assumed, sourced
from ygt_abm.vocabulary import VARIANT_SEPARATOR, is_variant

#: Unrecorded years before year 1: usual providers settle from their assumed starting shares with a time
#: constant of about 1.5 years; after 3 years the baseline is stationary (each share within ±0.5 point
#: over 10 years, tests/test_stylized_facts.py).
WARMUP_YEARS = 3


#: Residents per township of a typical county: ≈16 townships for 300,000 residents.
RESIDENTS_PER_TOWNSHIP = 300_000 / 16


#: Townships of the counties the shipped parameters were calibrated on (scripts/calibrate_*.py, 30,000
#: residents each): 16, the default before townships scaled with population. The scripts keep it so that
#: they reproduce the shipped values; a refit on typical counties is due (docs/calibration.md).
CALIBRATION_TOWNSHIPS = 16


def scaled_townships(population: int) -> int:
    """Townships of a county of ``population`` residents at the typical size (at least 2: the county seat
    town and one more)."""
    return max(2, round(population / RESIDENTS_PER_TOWNSHIP))


def county_names(n_counties: int) -> list[str]:
    """The names of a synthetic region's counties, in order."""
    return [f"County {ci + 1}" for ci in range(n_counties)]


class SyntheticWorld(Strict):
    """A seeded generator of typical counties; defaults follow calibration-targets.md."""

    kind: Literal["synthetic"] = "synthetic"
    counties: int = Field(1, ge=1, le=200, description="counties in the region; they share the city hospitals")
    population: int = sourced(
        300_000, "residents per county: a typical rural county has 300k–500k (7th Census 2020)", ge=100, le=5_000_000,
    )
    townships: int | None = Field(
        None, ge=1, le=100, description="townships of each county; by default in proportion to population: ≈16 "
        "per 300,000 residents (Ministry of Civil Affairs 2022: ≈29,970 rural township-level units in 1,871 "
        "county units), at least 2, so villages keep their typical size in a small or a large county")
    villages_per_township: tuple[int, int] = sourced(
        (16, 18), "≈16–18 administrative villages per township (bulletin 2018); drawn uniformly in this range",
    )
    county_hospitals: int = sourced(2, "≈1–3 county-level hospitals per county (Sichuan 2015: 2.4)", ge=1, le=3)
    city_hospitals: int = assumed(1, "city hospitals outside the county serving the region", ge=1, le=3)
    county_radius_km: float = assumed(25.0, "radius of a county of ≈2,000 km²", gt=0, le=200)
    city_distance_km: float = assumed(80.0, "road distance from a county seat to the city hospital", gt=0, le=1000)
    remoteness: float = assumed(1.0, "multiplier on every road travel time (mountains, poor roads)", gt=0, le=10)
    village_road_kmh: float = assumed(25.0, "speed from a village to its township seat", gt=0, le=200)
    county_road_kmh: float = assumed(45.0, "speed between township seats and the county seat", gt=0, le=200)
    highway_kmh: float = assumed(70.0, "speed from a county seat to the city", gt=0, le=200)
    detour_factor: float = assumed(1.3, "road distance ÷ straight-line distance", ge=1, le=3)
    access_minutes: float = assumed(
        5.0, "minutes from a home to its own village's clinic or the township seat's facility; ≈90% of "
        "households are within 15 minutes of a facility (NHC 2022)", ge=0,
    )
    village_population_sigma: float = assumed(0.5, "log-normal spread of village populations", ge=0, le=3)
    seat_population_factor: float = assumed(3.0, "a township seat is this many times an average village", gt=0)

    @property
    def township_count(self) -> int:
        """Townships of each county: as given, or in proportion to population (``scaled_townships``)."""
        return self.townships if self.townships is not None else scaled_townships(self.population)

    def implausible(self) -> list[str]:
        """Warnings about a structure no real county has (the run is still allowed: a study may want one)."""
        warnings = []
        per_township = self.population / self.township_count
        if not RESIDENTS_PER_TOWNSHIP / 4 <= per_township <= RESIDENTS_PER_TOWNSHIP * 4:
            warnings.append(f"{self.township_count} townships for {self.population:,} residents is {per_township:,.0f} "
                            f"residents per township; a typical county has ≈{RESIDENTS_PER_TOWNSHIP:,.0f} (leave "
                            "`townships` out to scale them with population)")
        per_village = per_township / (sum(self.villages_per_township) / 2)
        if not 100 <= per_village <= 10_000:
            warnings.append(f"about {per_village:,.0f} residents per village; administrative villages have hundreds "
                            "to a few thousand")
        if self.township_count < 3:
            warnings.append(f"{self.township_count} township{'' if self.township_count == 1 else 's'}: the township "
                            "indicators rest on one or two health centres, and a reform's effects on them on chance; "
                            "60,000 residents or more give a county of 3 or more")
        return warnings

    @field_validator("villages_per_township")
    @classmethod
    def _ordered(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not 1 <= value[0] <= value[1] <= 200:
            raise ValueError("expected [low, high] with 1 ≤ low ≤ high ≤ 200")
        return value


class CsvCounty(Strict):
    name: str = Field(min_length=1)
    villages: Path = Field(description="CSV: village, township, population, longitude, latitude")
    facilities: Path = Field(description="CSV: facility, kind, township, longitude, latitude[, beds, doctors]")


def county_count(world: "SyntheticWorld | CsvWorld") -> int:
    """How many counties the region of ``world`` has, without building it."""
    return world.counties if world.kind == "synthetic" else len(world.counties)


class CsvWorld(Strict):
    """Real counties loaded from CSV files; paths are relative to the experiment file."""

    kind: Literal["csv"]
    counties: list[CsvCounty] = Field(min_length=1)
    city_hospitals: Path = Field(description="CSV: facility, kind=city_hospital, longitude, latitude[, beds, doctors]")
    village_road_kmh: float = assumed(25.0, "speed on village roads", gt=0, le=200)
    county_road_kmh: float = assumed(45.0, "speed on county roads", gt=0, le=200)
    highway_kmh: float = assumed(70.0, "speed to the city", gt=0, le=200)
    detour_factor: float = assumed(1.3, "road distance ÷ straight-line distance", ge=1, le=3)
    access_minutes: float = assumed(5.0, "minutes from a home to its own village's facility", ge=0)

    @model_validator(mode="after")
    def _distinct_counties(self) -> "CsvWorld":
        """Two counties of one name would merge under one label in every result."""
        first: dict[str, int] = {}
        repeated = []
        for i, county in enumerate(self.counties):
            if county.name in first:
                repeated.append(InitErrorDetails(
                    type=PydanticCustomError("duplicate_county", "county '{name}' is already counties[{first}]: "
                                             "every county needs a name of its own", {"name": county.name,
                                                                                       "first": first[county.name]}),
                    loc=("counties", i, "name"), input=county.name))
            first.setdefault(county.name, i)
        if repeated:
            raise ValidationError.from_exception_data(type(self).__name__, repeated)
        return self


World = Annotated[SyntheticWorld | CsvWorld, Field(discriminator="kind")]


class Scenario(Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=120)
    description: str = ""
    policy: str | None = Field(None, description="policy package: a name in configs/policies/ or a .yaml path")
    interventions: list[dict[str, Any]] = Field(default_factory=list, description="interventions added to the "
                                                "package's (each: type, start_year, source, parameters…)")
    exclude: list[str] = Field(default_factory=list, description="intervention types of the package left out "
                               "(the scenario's own interventions are always added)")
    only: list[str] | None = Field(None, description="keep only these intervention types of the package (the "
                                   "scenario's own are always added)")
    decompose: bool = Field(False, description="also run the package with each lever removed in turn, and "
                            "each lever alone")
    overrides: dict[str, Any] = Field(default_factory=dict, description="parameter overrides for this scenario")


#: the intervention that changes list prices, and its change key for each contact kind
PRICE_CHANGE = "price_adjustment"
PRICE_CHANGE_KEYS = {"outpatient": "outpatient_change", "inpatient": "inpatient_change"}


def price_changes(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(contact kind, level) of each price an intervention spec changes: none unless it is a
    ``price_adjustment``."""
    if spec.get("type") != PRICE_CHANGE:
        return []
    return [(kind, level) for kind, key in PRICE_CHANGE_KEYS.items()
            for level, share in (spec.get(key) or {}).items() if share]


def _raises_one_price(scenario: Scenario) -> bool:
    """Whether the scenario is a baseline with one price raised at one level and nothing else: the
    measurement of an own-price elasticity (``ygt_abm/analysis/elasticity.py``)."""
    if scenario.policy or scenario.exclude or scenario.only is not None or scenario.decompose or scenario.overrides:
        return False
    return len(scenario.interventions) == 1 and len(price_changes(scenario.interventions[0])) == 1


#: runs in one experiment file at most (scenarios × points × replicates): a province-scale study of every
#: package's decomposition is about 3,500; a sweep of 3 parameters × 100 values would be millions
MAX_RUNS = 200_000


def _ordered_bounds(bounds: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    for name, (low, high) in bounds.items():
        if not low < high:
            raise ValueError(f"{name}: expected [low, high] with low < high")
    return bounds


class Samples(Strict):
    """Parameter samples: ``n`` points inside ``bounds`` for a sweep-like study (``uniform``,
    ``latin_hypercube``, ``sobol``: a scrambled Sobol sequence), or a sensitivity design whose indices every
    report computes (``sensitivity.csv``): ``morris`` (elementary effects, Morris 1991: ``n`` trajectories of
    D + 1 points on a grid of ``levels``) or ``saltelli`` (Sobol indices, Saltelli 2002/2010: ``n`` base
    samples, n × (D + 2) points, n × (2D + 2) with ``second_order``; n a power of 2)."""

    method: Literal["latin_hypercube", "sobol", "uniform", "morris", "saltelli"] = "latin_hypercube"
    n: int = Field(ge=1, le=100_000)
    bounds: dict[str, tuple[float, float]] = Field(min_length=1, description="dotted parameter → [low, high]")
    levels: int = Field(4, ge=2, le=20, description="morris: grid levels (even)")
    second_order: bool = Field(False, description="saltelli: also the second-order indices")

    def sensitivity(self) -> bool:
        """Whether the design is one sensitivity indices are computed from."""
        return self.method in ("morris", "saltelli")

    def points(self) -> int:
        """How many points the design has: ``n``, or what a Morris or Saltelli design of ``n`` makes of it."""
        d = len(self.bounds)
        if self.method == "morris":
            return self.n * (d + 1)
        if self.method == "saltelli":
            return self.n * (2 * d + 2 if self.second_order else d + 2)
        return self.n

    _ordered = field_validator("bounds")(classmethod(lambda cls, bounds: _ordered_bounds(bounds)))

    @model_validator(mode="after")
    def _salib_preconditions(self) -> "Samples":
        """SALib only warns where its estimators lose their properties: here that is an error."""
        if self.method == "morris" and self.levels % 2:
            raise ValueError(f"levels {self.levels}: a Morris grid needs an even number of levels")
        if self.method == "saltelli" and self.n & (self.n - 1):
            raise ValueError(f"n {self.n}: a Saltelli design needs a power of 2 (e.g. {1 << self.n.bit_length()})")
        return self


#: fields of a calibration that only one method reads (a field set for the other method is an error)
_OPTUNA_ONLY = ("trials", "sampler")
_ABC_ONLY = ("log", "evaluations", "evaluations_file", "population", "replicates", "particles", "generations",
             "min_epsilon", "quantile", "draws", "emulator")


class Emulator(Strict):
    """An emulator of the particle model (docs/calibration.md, "An emulator of the particle model"): ``design``
    parameter sets spread over the prior are simulated once each, a Gaussian process per statistic is fitted to
    them, and the ABC-SMC then samples the emulator's predictive distribution instead of simulating; ``check``
    posterior draws are simulated afresh to show the fit with real runs."""

    design: int = Field(ge=4, le=100_000, strict=True, description="parameter sets simulated for the emulator "
                        "(a Latin hypercube over the prior; some ten per parameter)")
    check: int = Field(20, ge=0, le=10_000, strict=True, description="posterior draws simulated afresh (the fit "
                       "with real runs, and how far the emulator was off)")


class Calibration(Strict):
    """What ``ygt-abm calibrate`` fits: the parameters searched within bounds. ``optuna`` searches for the point
    that best matches the calibration targets (pre-reform baseline figures); ``abc-smc`` estimates a posterior
    (pyabc's ABC-SMC) with the bounds as uniform priors, jointly from the baseline targets and, with
    ``evaluations: training``, from the effects of the training set of published evaluations
    (docs/calibration.md)."""

    method: Literal["optuna", "abc-smc"] = Field("optuna", description="optuna: a best point and an ensemble of "
                                                 "trials within tolerance; abc-smc: a posterior (pyabc ABC-SMC)")
    search: dict[str, tuple[float, float]] = Field(min_length=1, description="dotted parameter → [low, high] searched "
                                                   "(abc-smc: a uniform prior on it)")
    log: list[str] = Field(default_factory=list, description="abc-smc: parameters of `search` whose prior is "
                           "log-uniform (both bounds > 0)")
    targets: str | None = Field(None, description="calibration target file, relative to this file (default: the "
                                "shipped targets)")
    roles: list[Literal["calibrated", "check"]] = Field(
        default_factory=lambda: ["calibrated"],
        description="targets whose distance enters the loss (mean of ((simulated − target) ÷ tolerance)²); abc-smc "
        "with training evaluations may give none, where the parameters searched cannot move the baseline")
    trials: int = Field(50, ge=1, le=10_000, strict=True, description="optuna: complete trials to reach (a rerun "
                        "goes on)")
    sampler: Literal["tpe", "cmaes", "random"] = Field("tpe", description="optuna: the sampler")
    evaluations: Literal["training"] | None = Field(
        None, description="abc-smc: also fit to the effects of the training set of published evaluations (the "
        "only set fitting code reads); null: the baseline targets alone")
    evaluations_file: str | None = Field(None, description="abc-smc: evaluations file, relative to this file "
                                         "(default: the shipped one); only its training entries are read")
    population: int | None = Field(None, ge=100, le=5_000_000, strict=True, description="abc-smc: residents of "
                                   "the county a particle's runs simulate (default: the world's; a CSV world's "
                                   "baseline runs as given)")
    replicates: int | None = Field(None, ge=1, le=1000, strict=True, description="abc-smc: replicates of each of "
                                   "a particle's runs (default: the experiment's)")
    particles: int = Field(20, ge=2, le=10_000, strict=True, description="abc-smc: particles of each generation")
    generations: int = Field(4, ge=1, le=100, strict=True, description="abc-smc: generations at most, the "
                             "first a sample of the prior (a rerun with more goes on)")
    min_epsilon: float = Field(0.0, ge=0, description="abc-smc: stop once a generation's distance threshold is "
                               "at most this")
    quantile: float = Field(0.5, gt=0, lt=1, description="abc-smc: each generation's threshold is this quantile "
                            "of the previous generation's distances")
    draws: int = Field(20, ge=1, le=10_000, strict=True, description="abc-smc: parameter sets drawn from the "
                       "posterior into posterior.yaml (seeded)")
    emulator: Emulator | None = Field(None, description="abc-smc: sample an emulator fitted to a design of "
                                      "simulated particles instead of simulating every particle")
    storage: str | None = Field(None, description="optuna: an RDB URL (default: sqlite file study.db in the output "
                                "folder); abc-smc: pyabc's history database URL (default: sqlite file abc.db "
                                "there); e.g. postgresql://… on a cluster")

    _ordered = field_validator("search")(classmethod(lambda cls, bounds: _ordered_bounds(bounds)))

    @field_validator(*_OPTUNA_ONLY, *_ABC_ONLY)
    @classmethod
    def _of_its_method(cls, value: Any, info: ValidationInfo) -> Any:
        """A field the chosen method does not read is an error where it is written, not silently ignored."""
        method = info.data.get("method", "optuna")
        if method == "optuna" and info.field_name in _ABC_ONLY:
            raise ValueError("for method abc-smc only (this calibration's method is optuna)")
        if method == "abc-smc" and info.field_name in _OPTUNA_ONLY:
            raise ValueError("for method optuna only (abc-smc runs `generations` of `particles`)")
        return value

    @field_validator("roles")
    @classmethod
    def _something_to_fit(cls, roles: list[str], info: ValidationInfo) -> list[str]:
        if not roles and info.data.get("method", "optuna") == "optuna":
            raise ValueError("name at least one role: an optuna calibration fits the baseline targets")
        return roles

    @model_validator(mode="after")
    def _fits_something(self) -> "Calibration":
        if not self.roles and self.evaluations is None:
            raise ValueError("no roles and no evaluations: nothing to fit (give roles, or evaluations: training)")
        return self

    @field_validator("log")
    @classmethod
    def _log_uniform(cls, names: list[str], info: ValidationInfo) -> list[str]:
        search = info.data.get("search") or {}
        for name in names:
            if name not in search:
                raise ValueError(f"{name!r} is not a parameter of `search`{did_you_mean(name, search)}")
            if search[name][0] <= 0:
                raise ValueError(f"{name}: a log-uniform prior needs bounds above 0 (search gives "
                                 f"[{search[name][0]}, {search[name][1]}])")
        return names


class Experiment(Strict):
    """One experiment file: a world, scenarios, replicates, years, and optional sweep or samples."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    description: str = ""
    seed: int = Field(ge=0, lt=2**63, strict=True, description="root seed; replicate r of every scenario shares its streams")
    replicates: int = Field(ge=1, le=10_000, strict=True)  # strict: `true` is not 1
    years: int = Field(ge=1, le=100, strict=True)
    warmup_years: int = Field(WARMUP_YEARS, ge=0, le=20, strict=True, description="unrecorded burn-in years before year 1, so "
                              "usual providers and beliefs start from the model's own steady state")
    world: World = Field(default_factory=SyntheticWorld)
    parameters: dict[str, Any] = Field(default_factory=dict, description="overrides of the defaults, all scenarios")
    scenarios: list[Scenario] = Field(min_length=1)
    reference: str | None = Field(None, description="scenario the others are compared with (default: the first)")
    sweep: dict[str, list[Any]] = Field(
        default_factory=dict, description="dotted parameter → values; every combination is a sweep point")
    samples: Samples | None = None
    ensemble: str | None = Field(None, description="an ensemble file of ygt-abm calibrate (ensemble.yaml, relative "
                                 "to this file): every member is a point, so results carry parameter uncertainty")
    ensemble_size: int | None = Field(None, ge=2, strict=True, description="run only the ensemble's first N members "
                                      "(a quick look at toy scale; default: every member)")
    lever_uncertainty: bool = Field(False, description="each ensemble member also draws where the packages' "
                                    "assumed lever strengths sit in their ranges (the interventions' `ranges`), one "
                                    "quantile per intervention type shared by all scenarios: results carry lever "
                                    "uncertainty with the parameters'")


    def warnings(self) -> list[str]:
        """Warnings (``field: text``) about a study whose numbers would mislead; the run is still allowed."""
        warnings = [f"world: {w}" for w in (self.world.implausible() if self.world.kind == "synthetic" else [])]
        if self.replicates < 5:
            warnings.append(f"replicates: {self.replicates}: the 95% intervals of summary.csv, paired_differences.csv "
                            "and the figures are wide and unstable with fewer than 5")
        return warnings

    @field_validator("lever_uncertainty")
    @classmethod
    def _members_to_draw_for(cls, value: bool, info: ValidationInfo) -> bool:
        if value and not info.data.get("ensemble"):
            raise ValueError("lever_uncertainty draws lever strengths for each member of an ensemble: give one")
        return value
    calibration: Calibration | None = Field(None, description="for ygt-abm calibrate: parameters to fit to the "
                                            "calibration targets (one baseline scenario, no sweep or samples)")

    @field_validator("calibration")
    @classmethod
    def _one_baseline(cls, calibration: Calibration | None, info: ValidationInfo) -> Calibration | None:
        scenarios = info.data.get("scenarios") or []
        if calibration is None or len(scenarios) < 2:
            return calibration
        others = [s.name for s in scenarios[1:] if not _raises_one_price(s)]
        reference = info.data.get("reference")
        if others or reference not in (None, scenarios[0].name):
            raise ValueError("a calibration fits one baseline scenario, the first; it may add scenarios that each "
                             "raise one price at one level (one `price_adjustment` and nothing else), which "
                             "measure its elasticity targets"
                             + (f"; not such a scenario: {', '.join(others)}" if others else ""))
        return calibration

    record_episodes: bool = Field(False, description="store every episode's first-contact level, so backflow "
                                  "(episodes whose chosen level moved down) can be counted against the reference; "
                                  "not for decomposition variants")
    split_counties: bool = Field(False, description="run every county of the region as a run of its own (spread "
                                 "over workers: province scale), with its population's share of the city "
                                 "hospitals; counties then do not compete for city beds week by week")

    @model_validator(mode="after")
    def _consistent(self) -> "Experiment":
        names = [s.name for s in self.scenarios]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"scenario names must be unique; repeated: {', '.join(dupes)}")
        reserved = [n for n in names if is_variant(n)]
        if reserved:
            raise ValueError(f"{VARIANT_SEPARATOR!r} in a scenario name is reserved for decomposition variants: {', '.join(reserved)}")
        if self.reference is not None and self.reference not in names:
            raise ValueError(f"reference {self.reference!r} is not a scenario (expected one of: {', '.join(names)})")
        if self.sweep and self.samples:
            raise ValueError("give either sweep or samples, not both")
        if self.ensemble and (self.sweep or self.samples):
            raise ValueError("give one of sweep, samples or ensemble")
        if self.ensemble_size and not self.ensemble:
            raise ValueError("ensemble_size needs an ensemble")
        if self.calibration and (self.sweep or self.samples or self.ensemble):
            raise ValueError("a calibration fits one baseline scenario: no sweep, samples or ensemble")
        empty = [k for k, v in self.sweep.items() if not v]
        if empty:
            raise ValueError(f"sweep values must not be empty: {', '.join(empty)}")
        points = (math.prod(len(v) for v in self.sweep.values()) if self.sweep
                  else self.samples.points() if self.samples else self.ensemble_size or 1)
        runs = points * len(self.scenarios) * self.replicates
        if runs > MAX_RUNS:
            raise ValueError(f"{points:,} points × {len(self.scenarios)} scenarios × {self.replicates} replicates = "
                             f"{runs:,} runs; an experiment has at most {MAX_RUNS:,} (split it, or sample the "
                             "parameters instead of sweeping every combination)")
        return self

    @property
    def reference_scenario(self) -> str:
        return self.reference or self.scenarios[0].name


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` laid over it, recursively for nested mappings."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def nested(dotted: str, value: Any) -> dict[str, Any]:
    """``"a.b.c", v`` → ``{"a": {"b": {"c": v}}}``."""
    out: Any = value
    for part in reversed(dotted.split(".")):
        out = {part: out}
    return out


class ResolvedExperiment:
    """A validated experiment: its sweep points and the full parameters of every (scenario, point)."""

    def __init__(self, experiment: Experiment, parameters: dict[tuple[str, str], ModelParameters],
                 points: list, path: Path | None, interventions: dict[str, list[dict[str, Any]]] | None = None,
                 packages: dict[str, Any] | None = None) -> None:
        self.experiment = experiment
        self.points = points
        self._parameters = parameters
        self.path = path
        self.interventions = interventions or {s.name: [] for s in experiment.scenarios}
        self.packages = packages or {}

    def parameters(self, scenario: str, point: str = "base") -> ModelParameters:
        return self._parameters[(scenario, point)]

    def interventions_at(self, scenario: str, point: str = "base") -> list[dict[str, Any]]:
        """The scenario's interventions (specs) with the point's lever strengths (``levers.…`` in a design)."""
        found = next((p for p in self.points if p.name == point), None)
        specs = self.interventions[scenario]
        return found.apply_to(specs) if found is not None else specs

    def varies_levers(self) -> bool:
        """Whether the design sets lever strengths (``levers.<type>.<parameter>``)."""
        return any(p.lever_overrides() for p in self.points)

    def lever_quantiles(self, point) -> dict[str, float]:
        """Intervention type → where ``point`` puts the ranged strengths of the scenarios' interventions of that
        type (``lever_quantile.<type>`` in a design, or the member's draw under ``lever_uncertainty``)."""
        ranged = {spec.get("type") for specs in self.interventions.values() for spec in specs if spec.get("ranges")}
        return point.lever_quantiles(ranged)

    def package(self, scenario: str):
        """The policy package of a scenario (None without one)."""
        return self.packages.get(scenario)

    @property
    def scenario_names(self) -> list[str]:
        return [s.name for s in self.experiment.scenarios]
