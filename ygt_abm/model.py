"""CountyModel: the state of a region and the ordered loop of processes that advances it one week a step.

``print(model.loop)`` shows the loop. Each week the model runs, in the loop's order, the processes of
``start_year`` (at a year's first week), ``start_week``, then up to ``care.max_rounds`` care rounds of
``care_round`` while episodes are open, ``end_week``, and ``end_year`` (at a year's last week). Each
process's time is kept under its own name in ``phase_seconds``. See ``ygt_abm.processes.base``.
"""

from __future__ import annotations

import time

import mesa
import numpy as np
import pandas as pd

from ygt_abm.config.params import ModelParameters
from ygt_abm.levers import PolicyLevers
from ygt_abm.processes import Loop, Process, Week, default_processes
from ygt_abm.processes.contracts import checked_step
from ygt_abm.processes.learning import starting_belief
from ygt_abm.state.counters import RunCounters, YearCounters
from ygt_abm.state.doctors import Doctors
from ygt_abm.state.economy import SettledAccounts
from ygt_abm.state.episodes import Round
from ygt_abm.state.facilities import FacilityState, FacilityView
from ygt_abm.state.fund import InsuranceFund
from ygt_abm.state.population import synthesize_population
from ygt_abm.state.practice import ProviderPractice
from ygt_abm.state.tariff import Tariff
from ygt_abm.streams import Streams
from ygt_abm.vocabulary import TOWNSHIP, WEEKS_PER_YEAR
from ygt_abm.world.geography import Region


class CountyModel(mesa.Model):
    """A simulated region; ``run(years)`` returns its indicators per county per year."""

    def __init__(self, region: Region, params: ModelParameters | None = None, seed: int = 0,
                 replicate: int = 0, interventions: list | None = None, record_episodes: bool = False,
                 processes: list[Process] | None = None, analyzers: list[Process] = (),
                 checks: bool = False) -> None:
        self.streams = Streams(seed, replicate, region.alone_of)
        super().__init__(rng=self.streams.get("mesa"))
        self.region = region
        self.params = params = params or ModelParameters()
        self.interventions = sorted(interventions or [], key=lambda i: i.canonical_key())
        self.record_episodes = record_episodes
        self.warmup_years = 0
        self.checks = checks  # each step's writes and invariants checked against its process's contract
        self.written: dict[str, set[str]] = {}  # under checks: what each process was seen to write

        n_c, n_f = region.n_counties, region.n_facilities
        self.levers = PolicyLevers.baseline(params, n_c, n_f)
        self.accounts = SettledAccounts.none_yet(n_c)
        self.practice = ProviderPractice.fee_for_service(n_c)  # what providers do (processes/provision.py)
        self.tariff = Tariff.of(self.levers)  # at fee-for-service practice; payment sets each year's
        self.facilities = FacilityState.create(region, params)
        self.doctors = Doctors.empty()
        self.population = synthesize_population(region, params.population,
                                                starting_belief(params, self.streams.get("belief_prior")),
                                                self.streams.get("population"))
        self.fund = InsuranceFund.empty(n_c)
        self.counters = YearCounters.zeros(n_c)
        self.run_counters = RunCounters.zeros()
        self.home_centre = home_township_centre(region)  # each village's township health centre

        self.loop = Loop([*(processes if processes is not None else default_processes()), *analyzers])
        if self.interventions:
            self.loop.process("policy")  # only policy turns interventions into levers: without it, an error
        self.phase_seconds = {p.name: 0.0 for p in self.loop.processes}
        for process in self.loop.processes:
            process.init(self)
        for intervention in self.interventions:
            intervention.init(self)

    # ------------------------------------------------------------------------------------------ the clock

    @property
    def week(self) -> int:
        """Weeks simulated so far, this one included (Mesa's step count)."""
        return self.steps

    @property
    def week_index(self) -> int:
        """The week being simulated, from 0 (Mesa counts a step before running it; −1 before the first)."""
        return self.steps - 1

    @property
    def years_done(self) -> int:
        """Whole years simulated before the current week's year began (at its last week: including it)."""
        return self.steps // WEEKS_PER_YEAR

    @property
    def year(self) -> int:
        """Recorded year of the current week: 1 is the first year after the warm-up (≤ 0 while warming up)."""
        return self.week_index // WEEKS_PER_YEAR + 1 - self.warmup_years

    # ------------------------------------------------------------------------------------------ the loop

    def process(self, name: str) -> Process:
        """The loop's process (or analyzer) called ``name``."""
        return self.loop.process(name)

    def _run(self, stage: str, *args) -> None:
        for process in self.loop.by_stage[stage]:
            start = time.perf_counter()
            if self.checks:
                self.written.setdefault(process.name, set()).update(checked_step(process, stage, self, *args))
            else:
                getattr(process, stage)(self, *args)
            self.phase_seconds[process.name] += time.perf_counter() - start

    def step(self) -> None:
        """One simulated week."""
        index = self.week_index
        if index % WEEKS_PER_YEAR == 0:
            self._run("start_year")
        week = Week(index, self.streams)
        self._run("start_week", week)
        for round_index in range(self.params.care.max_rounds):
            still_open = np.flatnonzero(week.episodes.active)
            if not len(still_open):
                break
            self._run("care_round", week, Round(still_open, len(week.episodes), week.key, round_index))
        self._run("end_week", week)
        if (index + 1) % WEEKS_PER_YEAR == 0:
            self._run("end_year")
            self.close_year()

    def close_year(self) -> None:
        """The kernel's year close, after every process's ``end_year``: the year's tallies start afresh."""
        self.counters.reset()
        self.facilities.reset_year()
        self.population.reset_year()

    # ------------------------------------------------------------------------------------------ running

    def warm_up(self, years: int) -> None:
        """Simulate ``years`` unrecorded years so that usual providers, beliefs and staffing settle into
        the model's own steady state before year 1 (a burn-in; the initial shares are assumptions)."""
        if self.steps % WEEKS_PER_YEAR:
            raise RuntimeError("warm up at a year boundary")
        self.warmup_years += years  # interventions see warm-up years as year ≤ 0: never active
        for _ in range(years * WEEKS_PER_YEAR):
            self.step()

    def run(self, years: int, warmup_years: int = 0) -> pd.DataFrame:
        """Warm up, then simulate ``years`` × 52 weeks; indicators per county per year in long format."""
        self.warm_up(warmup_years)
        for _ in range(years * WEEKS_PER_YEAR):
            self.step()
        return self.indicators()

    def indicators(self) -> pd.DataFrame:
        """Every recorded year's indicators per county, in long format (``recording``'s)."""
        return pd.DataFrame.from_records(self.process("recording").records,
                                         columns=["county", "year", "metric", "value"])

    def facility(self, index: int) -> FacilityView:
        """A read-only look at one facility."""
        return FacilityView(self, index)


def home_township_centre(region: Region) -> np.ndarray:
    """The township health centre of each village's township."""
    thc = np.flatnonzero(region.facility_level == TOWNSHIP)
    by_township = np.full(len(region.township_names), -1)
    by_township[region.facility_township[thc]] = thc
    return by_township[region.village_township]

