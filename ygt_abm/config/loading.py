"""Loading an experiment file: parameters, scenarios, sweeps and samples, policy packages and inline
interventions, all checked at once; every problem is reported as ``file:line: field: what was expected``.

Intervention parameters are checked against ``schemas`` (type name → parameter model), which the caller
passes in: the config layer knows no simulation code (``ygt_abm.experiment.loading`` passes the registry).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml.comments import CommentedMap

from ygt_abm.config.design import (
    LEVER_PREFIX, LEVER_QUANTILE_PREFIX, EnsembleSizeError, Point, design_points, ensemble_members, flat,
)
from ygt_abm.config.experiment import Experiment, ResolvedExperiment, World, deep_merge
from ygt_abm.config.files import (
    ConfigError, Problem, did_you_mean, dotted, line_of, message_of, problems_from, read_yaml, validate_model,
)
from ygt_abm.config.params import ModelParameters
from ygt_abm.config.policy import load_policy, resolve_policy, shipped_policies, validate_interventions
from ygt_abm.vocabulary import VARIANT_KINDS, variant_name

__all__ = ["ConfigError", "Problem", "resolve_experiment_file"]

DEFAULTS = ModelParameters().model_dump(mode="json")


def resolve_experiment_file(path: str | Path, schemas: Mapping[str, type[BaseModel]]) -> ResolvedExperiment:
    """Read an experiment file and resolve it: its settings, the parameters of every (scenario, sweep point),
    its policy packages and interventions checked against ``schemas``; report all problems at once. What
    only the world tells (county files, targeted counties) is checked by the experiment layer's
    ``load_runnable_experiment``."""
    path = Path(path)
    doc = read_yaml(path)
    file = str(path)
    if not isinstance(doc, CommentedMap):
        raise ConfigError([Problem(file, 1, "(top level)", "expected a mapping of experiment settings")])
    experiment, early = _experiment_settings(doc, file)
    experiment = _resolve_world_paths(experiment, path.parent)
    if experiment.ensemble:
        experiment = experiment.model_copy(update={"ensemble": str(path.parent / experiment.ensemble)})
    try:
        points = design_points(experiment)
    except (OSError, ValueError) as exc:  # an ensemble file missing or not one, or fewer members than asked
        field = "ensemble_size" if isinstance(exc, EnsembleSizeError) else "ensemble"
        line, _ = line_of(doc, (field,))
        raise ConfigError([Problem(file, line or 1, field, str(exc))]) from None
    design_node = doc.get("sweep") or (doc.get("samples") or CommentedMap()).get("bounds") or CommentedMap()
    design_prefix = ("sweep",) if experiment.sweep else ("ensemble",) if experiment.ensemble else ("samples", "bounds")

    problems: list[Problem] = []
    base = doc.get("parameters") or CommentedMap()
    resolved: dict[tuple[str, str], ModelParameters] = {}
    for index, scenario in enumerate(experiment.scenarios):
        scenario_node = doc["scenarios"][index]
        override = scenario_node.get("overrides") or CommentedMap()
        # Laid over the defaults, so an override may name a single element (e.g. one level's ratio).
        merged = deep_merge(deep_merge(DEFAULTS, _plain(base)), _plain(override))
        for varied in points[0].values:
            if _has_path(_plain(override), varied.split(".")):
                line, _ = line_of(design_node, (varied,))
                problems.append(Problem(file, line or 1, dotted(design_prefix + (varied,)),
                                        f"also set by scenario {scenario.name!r}; vary it in one place only"))
        for point in points:
            try:
                resolved[(scenario.name, point.name)] = ModelParameters.model_validate(
                    deep_merge(merged, point.overrides()))
            except ValidationError as exc:
                design = (_member_problems(exc, experiment.ensemble, point) if experiment.ensemble
                          else _design_problems(exc, file, design_node, design_prefix, point))
                problems += design or problems_from(exc, file, [
                    (override, ("scenarios", index, "overrides")),
                    (base, ("parameters",)),
                    (scenario_node, ("scenarios", index)),  # checks spanning all parameters
                ])
    if experiment.calibration:  # each searched parameter must be valid at both ends of its range
        search_node = doc["calibration"].get("search")
        merged = deep_merge(DEFAULTS, _plain(base))
        for name, bounds in experiment.calibration.search.items():
            if name.startswith(LEVER_PREFIX):
                line, _ = line_of(search_node, (name,))
                problems.append(Problem(file, line or 1, dotted(("calibration", "search", name)),
                                        "a calibration fits model parameters to the pre-reform baseline, not lever "
                                        "strengths (reform effects are for validation)"))
                continue
            for bound in bounds:
                ends = Point("bound", {name: bound})
                try:
                    ModelParameters.model_validate(deep_merge(merged, ends.overrides()))
                except ValidationError as exc:
                    problems += _design_problems(exc, file, search_node, ("calibration", "search"), ends)
    problems += _check_world_files(experiment, file, doc)
    if experiment.calibration:  # its files and storage, before any trial runs
        problems += _calibration_problems(experiment.calibration, file, doc, path.parent, schemas)
    interventions, packages = _resolve_policies(experiment, file, doc, path.parent, problems, schemas)
    problems += _lever_strength_problems(points, interventions, file, design_node, design_prefix, schemas)
    problems = early + problems
    if problems:
        raise ConfigError(_unique(problems))
    experiment, resolved, interventions, packages = _decompose(experiment, resolved, interventions, packages)
    return ResolvedExperiment(experiment, resolved, points, path, interventions, packages)


def _calibration_problems(cal: Any, file: str, doc: CommentedMap, base_dir: Path,
                          schemas: Mapping[str, type[BaseModel]]) -> list[Problem]:
    """A calibration's target and evaluations files must exist and be valid (an evaluations file only where it
    is fitted to), and its storage must be a database URL SQLAlchemy knows."""
    problems = []
    for key in ("targets", "evaluations_file"):
        name = getattr(cal, key)
        if name and not (base_dir / name).is_file():
            line, _ = line_of(doc, ("calibration", key))
            problems.append(Problem(file, line or 1, f"calibration.{key}", f"file not found: {base_dir / name}"))
        elif name:  # the file a calibration fits to must be valid too
            from ygt_abm.config.evaluations import training_evaluations  # fitting code reads no other set
            from ygt_abm.config.targets import load_targets

            try:
                if key == "targets":
                    load_targets(base_dir / name)
                elif cal.evaluations == "training":
                    training_evaluations(schemas, base_dir / name)
            except ConfigError as exc:
                problems += exc.problems
    if cal.storage:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        try:
            make_url(cal.storage).get_dialect()
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            line, _ = line_of(doc, ("calibration", "storage"))
            problems.append(Problem(file, line or 1, "calibration.storage", f"not a database URL SQLAlchemy knows "
                                    f"(e.g. sqlite:///study.db, postgresql://host/db): {exc}"))
    return problems


def _resolve_policies(experiment: Experiment, file: str, doc: CommentedMap, base_dir: Path,
                      problems: list[Problem], schemas: Mapping[str, type[BaseModel]]) -> tuple[dict, dict]:
    """Each scenario's final intervention list (package ∪ inline, less excluded) and its package."""
    interventions, packages = {}, {}
    for index, scenario in enumerate(experiment.scenarios):
        node = doc["scenarios"][index]
        package = None
        if scenario.policy:
            policy_path = resolve_policy(scenario.policy, base_dir)
            if not policy_path.is_file():
                line, _ = line_of(node, ("policy",))
                problems.append(Problem(file, line or 1, f"scenarios[{index}].policy",
                                        f"no policy package {scenario.policy!r}"
                                        f"{did_you_mean(scenario.policy, shipped_policies())} (looked for {policy_path})"))
            else:
                try:
                    package = load_policy(policy_path, schemas)
                except ConfigError as exc:
                    problems += exc.problems
        problems += validate_interventions(scenario.interventions, file, node.get("interventions"),
                                           ("scenarios", index, "interventions"), schemas)
        problems += _never_in_force(scenario.interventions, experiment.years, file, node.get("interventions"),
                                    ("scenarios", index, "interventions"))
        # exclude and only select among the package's levers; the scenario's own are always added (so a lever
        # can be left out of the package and put back with other values)
        entries = package.interventions if package else []
        types = [e.get("type") for e in entries]
        for key in ("exclude", "only"):
            for j, kind in enumerate(getattr(scenario, key) or []):
                if kind not in types:
                    line, _ = line_of(node, (key, j))
                    problems.append(Problem(file, line or 1, f"scenarios[{index}].{key}[{j}]",
                                            f"{kind!r} is not an intervention of the scenario's package"
                                            f"{did_you_mean(kind, types)} ({', '.join(types) or 'it has none'})"))
        entries = [e for e in entries if e.get("type") not in scenario.exclude
                   and (scenario.only is None or e.get("type") in scenario.only)]
        interventions[scenario.name] = entries + [_plain(e) for e in scenario.interventions]
        packages[scenario.name] = package
    return interventions, packages


def _never_in_force(entries: list, years: int, file: str, node: Any, prefix: tuple) -> list[Problem]:
    """A scenario's own intervention that starts after the last recorded year would change nothing: a mistake
    (a package is a whole plan, and its later levers may fall outside a short experiment)."""
    problems = []
    for i, entry in enumerate(entries):
        start = entry.get("start_year") if isinstance(entry, dict) else None
        if isinstance(start, int) and not isinstance(start, bool) and start > years:
            item = node[i] if node is not None and i < len(node) else None
            line, _ = line_of(item, ("start_year",)) if item is not None else (None, 0)
            problems.append(Problem(file, line or 1, dotted(prefix + (i, "start_year")),
                                    f"starts in year {start}, after the last recorded year ({years}): it would "
                                    f"never be in force"))
    return problems


def _lever_strength_problems(points: list, interventions: dict, file: str, node: Any, prefix: tuple,
                             schemas: Mapping[str, type[BaseModel]]) -> list[Problem]:
    """A design's lever strengths (``levers.<type>.<parameter>``) must name an intervention some scenario has,
    and give it values its parameters accept, at every point."""
    varied = [name for name in (points[0].values if points else {}) if name.startswith(LEVER_PREFIX)]
    problems: list[Problem] = []
    present = {spec.get("type") for specs in interventions.values() for spec in specs}
    for name in varied:
        kind = name[len(LEVER_PREFIX):].split(".")[0]
        line, _ = line_of(node, (name,))
        if kind not in present:
            problems.append(Problem(file, line or 1, dotted(prefix + (name,)),
                                    f"no scenario has a {kind!r} intervention (levers.<type>.<parameter> sets a "
                                    f"parameter of the scenarios' interventions of that type)"))
    for name in (points[0].values if points else {}):
        if not name.startswith(LEVER_QUANTILE_PREFIX):
            continue
        kind = name[len(LEVER_QUANTILE_PREFIX):]
        line, _ = line_of(node, (name,))
        if not any(spec.get("type") == kind and spec.get("ranges") for specs in interventions.values() for spec in specs):
            problems.append(Problem(file, line or 1, dotted(prefix + (name,)),
                                    f"no scenario has a {kind!r} intervention with `ranges` (lever_quantile.<type> "
                                    f"sets where its ranged strengths sit, 0 to 1)"))
        bad = [p.values[name] for p in points if isinstance(p.values[name], bool)
               or not isinstance(p.values[name], (int, float)) or not 0.0 <= p.values[name] <= 1.0]
        if bad:
            problems.append(Problem(file, line or 1, dotted(prefix + (name,)),
                                    f"a quantile lies between 0 and 1 (value {bad[0]!r})"))
    reported: set[str] = set()  # one problem per lever strength: its first bad value
    for point in points:
        for specs in interventions.values():
            for spec in point.apply_to(specs):
                kind = spec.get("type")
                if kind not in schemas or not any(n.startswith(f"{LEVER_PREFIX}{kind}.") for n in varied):
                    continue
                try:
                    schemas[kind].model_validate(spec)
                except ValidationError as exc:
                    for error in exc.errors():
                        loc = f"{LEVER_PREFIX}{kind}." + ".".join(str(part) for part in error["loc"])
                        name = next((n for n in varied if loc == n or loc.startswith(n + ".")), None)
                        if name is None or name in reported:
                            continue  # not the design's doing: reported with the scenario
                        reported.add(name)
                        line, _ = line_of(node, (name,))
                        problems.append(Problem(file, line or 1, dotted(prefix + (name,)),
                                                f"{message_of(error)} (value {point.values[name]!r})"))
    return problems


def _decompose(experiment: Experiment, resolved: dict, interventions: dict, packages: dict):
    """Expand ``decompose: true`` scenarios into ``<name>--without-<type>`` and ``<name>--only-<type>``."""
    scenarios = []
    for scenario in experiment.scenarios:
        scenarios.append(scenario)
        if not scenario.decompose:
            continue
        types = list(dict.fromkeys(e["type"] for e in interventions[scenario.name]))
        for mode in VARIANT_KINDS:
            for kind in types:
                name = variant_name(scenario.name, mode, kind)
                kept = [e for e in interventions[scenario.name] if (e["type"] != kind) == (mode == "without")]
                scenarios.append(scenario.model_copy(update={"name": name, "decompose": False,
                                                             "description": f"{scenario.name}, {mode} {kind}"}))
                interventions[name] = kept
                packages[name] = packages[scenario.name]
                for (s_name, point), params in list(resolved.items()):
                    if s_name == scenario.name:
                        resolved[(name, point)] = params
    return experiment.model_copy(update={"scenarios": scenarios}), resolved, interventions, packages


#: Top-level settings no later check depends on: when only these are wrong, a stand-in lets the scenarios,
#: parameters, packages and county files be checked too, so one run of `validate` reports every problem.
STANDALONE_SETTINGS = {"name": "invalid", "description": "", "seed": 0, "replicates": 1, "years": 1,
                       "warmup_years": 0, "record_episodes": False, "split_counties": False}


def _experiment_settings(doc: CommentedMap, file: str) -> tuple[Experiment, list[Problem]]:
    """The experiment's settings, and the problems of those that need no later check (reported with the
    rest); problems elsewhere in the settings are raised at once."""
    try:
        return validate_model(Experiment, doc, file), []
    except ConfigError as exc:
        wrong = {problem.field.split(".")[0] for problem in exc.problems}
        if not wrong <= set(STANDALONE_SETTINGS):
            raise
        stand_in = CommentedMap(doc)
        stand_in.update({key: STANDALONE_SETTINGS[key] for key in wrong})
        return validate_model(Experiment, stand_in, file), exc.problems


def _design_problems(exc: ValidationError, file: str, node: Any, prefix: tuple, point,
                     nested: bool = False) -> list[Problem]:
    """Errors in a design point belong to the entry whose dotted name covers the error: a sweep's or samples'
    key (``node`` keyed by dotted names), or, ``nested``, an ensemble member's nested keys."""
    problems = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"])
        varied = next((d for d in point.values if loc == d or loc.startswith(d + ".") or d.startswith(loc)),
                      None)
        if varied is None:
            continue  # not caused by the design: the caller reports it with the scenario
        line, _ = line_of(node, tuple(varied.split(".")) if nested else (varied,))
        value = "" if error["type"] == "extra_forbidden" else f" (value {point.values[varied]!r})"  # a name, once
        problems.append(Problem(file, line or 1, dotted(prefix + (varied,)), message_of(error) + value))
    return problems


def _member_problems(exc: ValidationError, ensemble: str, point) -> list[Problem]:
    """Errors in an ensemble member belong to its line in the ensemble file (member e0003 is the fourth)."""
    index = int(point.name[1:])
    member = read_yaml(Path(ensemble)).get("ensemble")[index]
    return _design_problems(exc, ensemble, member, (f"ensemble[{index}]",), point, nested=True)


def is_ensemble_file(doc: Any) -> bool:
    """Whether ``doc`` is an ensemble file (``ensemble:`` a list), not an experiment that names one."""
    return isinstance(doc, dict) and isinstance(doc.get("ensemble"), list) and "scenarios" not in doc


def load_ensemble(path: str | Path) -> list[Point]:
    """The members of an ensemble file as design points, each checked as model parameters laid over the
    defaults; every problem at its member's line (``ConfigError``)."""
    file = str(path)
    try:
        members = ensemble_members(path)
    except (OSError, ValueError) as exc:
        raise ConfigError([Problem(file, 1, "ensemble", str(exc).removeprefix(f"{file}: "))]) from None
    points = [Point(f"e{i:04d}", flat(member)) for i, member in enumerate(members)]
    problems: list[Problem] = []
    for point in points:
        try:
            ModelParameters.model_validate(deep_merge(DEFAULTS, point.overrides()))
        except ValidationError as exc:
            problems += _member_problems(exc, file, point) or [Problem(file, 1, "ensemble", message_of(error))
                                                               for error in exc.errors()]
    if problems:
        raise ConfigError(_unique(problems))
    return points


def _has_path(data: Any, parts: list[str]) -> bool:
    for part in parts:
        if not isinstance(data, dict) or part not in data:
            return False
        data = data[part]
    return True


def _plain(node: Any) -> Any:
    """Round-trip YAML nodes as plain dicts and lists (so merging never mixes the two)."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _resolve_world_paths(experiment: Experiment, base_dir: Path) -> Experiment:
    return experiment.model_copy(update={"world": _world_with_paths(experiment.world, base_dir)})


def _world_with_paths(world: World, base_dir: Path) -> World:
    """A CSV world's file paths taken relative to the experiment file's folder."""
    if world.kind != "csv":
        return world
    counties = [c.model_copy(update={"villages": base_dir / c.villages, "facilities": base_dir / c.facilities})
                for c in world.counties]
    return world.model_copy(update={"counties": counties, "city_hospitals": base_dir / world.city_hospitals})


def world_of(doc: Any, base_dir: Path) -> World | None:
    """The world of an experiment file's ``doc``, its paths resolved against ``base_dir``, when that section
    alone is valid (else None): so that its county files can be checked even when other parts are wrong."""
    try:
        world = TypeAdapter(World).validate_python(_plain(doc.get("world", {"kind": "synthetic"})))
    except (ValidationError, AttributeError):
        return None
    return _world_with_paths(world, base_dir)


def _check_world_files(experiment: Experiment, file: str, doc: CommentedMap) -> list[Problem]:
    world = experiment.world
    if world.kind != "csv":
        return []
    problems = []
    wanted = [(("world", "city_hospitals"), world.city_hospitals)]
    for i, county in enumerate(world.counties):
        wanted += [(("world", "counties", i, "villages"), county.villages),
                   (("world", "counties", i, "facilities"), county.facilities)]
    for loc, target in wanted:
        if not Path(target).is_file():
            line, _ = line_of(doc, loc)
            line = line or 1
            problems.append(Problem(file, line, dotted(loc), f"file not found: {target}"))
    return problems
