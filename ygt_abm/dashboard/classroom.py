"""Twin counties for a class: the same county, seed and replicate under the baseline and under the
students' levers, stepped together on common random numbers, so every difference between the twins is the
policy and not luck.

A classroom session is an experiment run written down as it happens. Levers pulled during year Y take
effect from the next year that has not begun (the policy process rebuilds levers at a year's first week),
and each setting becomes interventions with the ``start_year`` and ``end_year`` of the years it was in
force. ``experiment()`` writes that down as an experiment file; its replicate 0 is the classroom's own
run, number for number (tests/test_classroom.py), so a finding in class becomes a research run with
replicates.

Nothing here imports Solara: the browser app (``dashboard/app.py``) only draws what this module computes.
"""

from __future__ import annotations

import copy
import functools
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ygt_abm.analyzers import WeeklySeries
from ygt_abm.config.experiment import WARMUP_YEARS, SyntheticWorld
from ygt_abm.config.params import ModelParameters
from ygt_abm.dashboard.controls import shipped_package
from ygt_abm.interventions import build
from ygt_abm.model import CountyModel
from ygt_abm.results.store import yaml_text
from ygt_abm.vocabulary import EPISODE_TYPES, FIRST_NONE, LEVELS, N_LEVELS, OUTCOMES, WEEKS_PER_YEAR
from ygt_abm.world import build_world

BASELINE, POLICY = "baseline", "policy"
TWINS = (BASELINE, POLICY)
#: Root seed of a class unless the teacher picks another (any fixed number: the twins share it).
DEFAULT_SEED = 20261202
#: Weeks over which the map's flows are averaged (one week of a small county is noisy).
FLOW_WEEKS = 4
CLASSROOM_SOURCE = "ygt-abm dashboard (a classroom setting)"


def new_classroom(population: int = 30_000, seed: int = DEFAULT_SEED) -> "Classroom":
    """A class's own twins, as a copy of warmed-up twins kept for each size and seed: building and warming
    up takes seconds, a copy milliseconds, and a copy shares no state with the kept twins or other copies."""
    return copy.deepcopy(_warmed_up(population, seed))


@functools.cache
def _warmed_up(population: int, seed: int) -> "Classroom":
    return Classroom(population=population, seed=seed)


@dataclass
class Period:
    """Interventions in force from ``start`` to ``end`` (simulated years; ``end`` None: still in force)."""

    start: int
    end: int | None
    interventions: list[dict[str, Any]]
    package: str | None = None


@dataclass
class Followed:
    """One resident followed through both twins: a line per episode, as the week ended."""

    resident: int
    village: int
    episodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {twin: [] for twin in TWINS})


class Classroom:
    """Two models of one county: ``twins[BASELINE]`` never gets a lever, ``twins[POLICY]`` gets the class's."""

    def __init__(self, population: int = 30_000, seed: int = DEFAULT_SEED, warmup_years: int = WARMUP_YEARS,
                 parameters: ModelParameters | None = None) -> None:
        self.seed, self.warmup_years = seed, warmup_years
        self.world = SyntheticWorld(population=population)  # townships in proportion
        self.region = build_world(self.world, seed)
        self.parameters = parameters or ModelParameters()
        # Interventions are initialised on a model that has not stepped, as a run initialises them when it
        # builds its model; the twins are then built and warmed up exactly as a run's model is.
        self._unstepped = CountyModel(self.region, self.parameters, seed=seed)
        self.twins = {twin: CountyModel(self.region, self.parameters, seed=seed, analyzers=[WeeklySeries()])
                      for twin in TWINS}
        for model in self.twins.values():
            model.warm_up(warmup_years)
        self.periods: list[Period] = []
        self.followed: Followed | None = None
        self._flows = {twin: deque(maxlen=FLOW_WEEKS) for twin in TWINS}
        self._served = {twin: deque(maxlen=FLOW_WEEKS) for twin in TWINS}
        self.village_xy = self.region.village_xy()
        self.facility_xy = self.region.facility_xy()

    # ------------------------------------------------------------------------------------------ the clock

    @property
    def weeks(self) -> int:
        """Weeks simulated since the warm-up."""
        return self.twins[POLICY].steps - self.warmup_years * WEEKS_PER_YEAR

    @property
    def year(self) -> int:
        """The simulated year under way (1 = the first; between years: the next one)."""
        return self.weeks // WEEKS_PER_YEAR + 1

    @property
    def next_policy_year(self) -> int:
        """The first year that levers pulled now are in force: this one if it has not begun, else the next."""
        return self.year + (1 if self.weeks % WEEKS_PER_YEAR else 0)

    def step(self, weeks: int = 1) -> None:
        for _ in range(weeks):
            for twin, model in self.twins.items():
                model.step()
                self._note_week(twin, model)

    def step_to_year_end(self) -> None:
        self.step(WEEKS_PER_YEAR - self.weeks % WEEKS_PER_YEAR)

    # ------------------------------------------------------------------------------------------ levers

    @property
    def levers(self) -> list[dict[str, Any]]:
        """The interventions the class set last (in force now or from the next year)."""
        return self.periods[-1].interventions if self.periods and self.periods[-1].end is None else []

    @property
    def package(self) -> str | None:
        return self.periods[-1].package if self.periods and self.periods[-1].end is None else None

    def set_levers(self, interventions: list[dict[str, Any]], package: str | None = None) -> int:
        """Put ``interventions`` (type and parameters; ``start_year``/``end_year`` count from the year they
        take effect, as in a package) in force from ``next_policy_year``; returns that year. An empty list
        returns the policy twin to the baseline from then on."""
        start = self.next_policy_year
        entries = [self._entry(spec) for spec in interventions]
        for spec in entries:  # check every parameter before changing anything
            build(spec)
        if self.periods and self.periods[-1].end is None:
            if self.periods[-1].start >= start:  # never in force: replaced
                self.periods.pop()
            else:
                self.periods[-1].end = start - 1
        if entries:
            self.periods.append(Period(start, None, entries, package))
        self._rebuild_policy_interventions()
        return start

    def load_package(self, name: str) -> int:
        """Set the levers of a shipped policy package (``baseline``: none)."""
        return self.set_levers(shipped_package(name).interventions, package=name)

    @staticmethod
    def _entry(spec: dict[str, Any]) -> dict[str, Any]:
        entry = json.loads(json.dumps(spec))  # plain types (a package's YAML numbers carry their formatting)
        entry.setdefault("source", CLASSROOM_SOURCE)
        return entry

    def scheduled_interventions(self) -> list[dict[str, Any]]:
        """Every period's interventions with the simulated years they were in force."""
        out = []
        for period in self.periods:
            for spec in period.interventions:
                entry = copy.deepcopy(spec)
                first = period.start + entry.get("start_year", 1) - 1
                last = None if entry.get("end_year") is None else period.start + entry["end_year"] - 1
                if period.end is not None:
                    last = period.end if last is None else min(last, period.end)
                if last is not None and last < first:
                    continue
                entry["start_year"] = first
                if last is None:
                    entry.pop("end_year", None)
                else:
                    entry["end_year"] = last
                out.append(entry)
        return out

    def _rebuild_policy_interventions(self) -> None:
        interventions = [build(spec) for spec in self.scheduled_interventions()]
        for intervention in interventions:
            intervention.init(self._unstepped)
        self.twins[POLICY].interventions = sorted(interventions, key=lambda i: i.canonical_key())

    # ------------------------------------------------------------------------------------------ export

    def experiment(self, replicates: int = 10, years: int | None = None, name: str = "classroom") -> dict[str, Any]:
        """The class's run as an experiment file (a mapping to write as YAML): replicate 0 is this run."""
        schedule = self.scheduled_interventions()
        last_start = max((entry["start_year"] for entry in schedule), default=1)
        years = years or max(self.weeks // WEEKS_PER_YEAR, last_start, 1)
        world = {"kind": "synthetic", "counties": 1, "population": self.world.population,
                 "townships": self.world.township_count}
        packages = sorted({p.package for p in self.periods if p.package})
        return {
            "name": name,
            "description": "Exported from the classroom dashboard: the baseline twin and the class's levers"
                           + (f" (starting from {', '.join(packages)})" if packages else "") + ".",
            "seed": self.seed,
            "replicates": replicates,
            "years": years,
            "warmup_years": self.warmup_years,
            "world": world,
            "scenarios": [
                {"name": BASELINE, "description": "No reform: the baseline twin."},
                {"name": "classroom-policy", "description": "The levers pulled in class, each in force in the "
                 "years it was set.", "interventions": schedule},
            ],
        }

    def experiment_yaml(self, replicates: int = 10, years: int | None = None, name: str = "classroom") -> str:
        """``experiment()`` as the text of a file ``ygt-abm run`` accepts."""
        return yaml_text(self.experiment(replicates, years, name),
                         "# Exported from `ygt-abm dashboard`. Replicate 0 of each scenario is the classroom's own "
                         "run;\n# the others add replicate uncertainty. Run it with: ygt-abm run THIS_FILE\n")

    # ------------------------------------------------------------------------------------------ what to show

    def indicators(self, twin: str) -> pd.DataFrame:
        """The twin's yearly indicators so far (long format: county, year, metric, value)."""
        return self.twins[twin].indicators()

    def weekly(self, twin: str) -> pd.DataFrame:
        """The twin's weekly series since the warm-up (the DataCollector's table)."""
        table = self.twins[twin].process(WeeklySeries.name).datacollector.get_model_vars_dataframe()
        table = table[table["week"] > self.warmup_years * WEEKS_PER_YEAR].copy()
        table["week"] -= self.warmup_years * WEEKS_PER_YEAR
        return table.reset_index(drop=True)

    def facility_volume(self, twin: str) -> np.ndarray:
        """Visits plus admissions a week at each facility, averaged over the last ``FLOW_WEEKS`` weeks."""
        served = self._served[twin]
        return np.mean(served, axis=0) if served else np.zeros(self.region.n_facilities)

    def flows(self, twin: str) -> np.ndarray:
        """(township, level) episodes a week whose first contact was at each level, by home township,
        averaged over the last ``FLOW_WEEKS`` weeks."""
        weeks = self._flows[twin]
        if not weeks:
            return np.zeros((len(self.region.township_names), N_LEVELS))
        return np.mean(weeks, axis=0)

    def follow(self, village: int) -> Followed:
        """Follow a resident of ``village`` from now on, in both twins: the one with the most chronic
        conditions, the oldest age band breaking ties (the resident with the most episodes to watch)."""
        population = self.twins[BASELINE].population
        residents = np.flatnonzero(population.village == village)
        if not len(residents):
            raise ValueError(f"village {village} has no residents")
        conditions = np.array([bin(int(c)).count("1") for c in population.chronic[residents]])
        order = np.lexsort((-population.age_band[residents].astype(int), -conditions))
        self.followed = Followed(int(residents[order[0]]), village)
        return self.followed

    def person(self, twin: str) -> dict[str, Any] | None:
        if self.followed is None:
            return None
        return self.twins[twin].population.person(self.followed.resident).as_dict()

    def facility(self, twin: str, index: int) -> dict[str, Any]:
        """A facility's staff, volume and money in one twin."""
        view = self.twins[twin].facility(index)
        fac = self.twins[twin].facilities
        outpatient, inpatient = view.prices
        return {
            "name": view.name, "kind": view.kind, "doctors": round(view.doctors, 2), "beds": round(view.beds, 1),
            "patients a week (last 4 weeks)": round(float(self.facility_volume(twin)[index]), 1),
            "visits this year": int(fac.visits[index]), "admissions this year": int(fac.admissions[index]),
            "revenue this year (yuan)": round(view.revenue), "outpatient price (yuan)": round(outpatient, 1),
            "inpatient price (yuan)": round(inpatient, 1), "outpatient load": round(view.load, 2),
            "wait, self-referred (days)": round(float(fac.wait_days[index]), 2),
            "wait, referred (days)": round(float(fac.referred_wait_days[index]), 2),
            "capability": {t: round(float(c), 3) for t, c in zip(EPISODE_TYPES, view.capability)},
        }

    # ------------------------------------------------------------------------------------------ bookkeeping

    def _note_week(self, twin: str, model: CountyModel) -> None:
        series = model.process(WeeklySeries.name)
        episodes = series.last_episodes
        self._flows[twin].append(series.last_week_first_contacts(self.region.village_township,
                                                                    len(self.region.township_names)))
        served_visits, served_admissions = series.last_week_served
        self._served[twin].append(served_visits + served_admissions)
        if self.followed is not None:
            for i in np.flatnonzero(episodes.resident == self.followed.resident):
                code = int(episodes.first_level[i])
                self.followed.episodes[twin].append({
                    "year": model.year, "week": model.week_index % WEEKS_PER_YEAR + 1,
                    "illness": EPISODE_TYPES[episodes.kind[i]], "severity": round(float(episodes.severity[i]), 2),
                    "first contact": LEVELS[code] if code < N_LEVELS else ("none" if code == FIRST_NONE else "—"),
                    "referred up": bool(episodes.referred[i]), "outcome": OUTCOMES[episodes.outcome[i]],
                })
