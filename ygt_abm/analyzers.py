"""Analyzers: read-only processes a user adds to a model to watch it week by week (Starsim's word). The
model's results never depend on them; they declare no writes, and the contract checks hold them to it."""

from __future__ import annotations

import mesa
import numpy as np

from ygt_abm.processes.base import Process
from ygt_abm.vocabulary import CITY, N_LEVELS, PRIMARY_CARE, VILLAGE

PRIMARY = list(PRIMARY_CARE)


class WeeklySeries(Process):
    """The week's headline series (a Mesa DataCollector), the slots each facility filled, and the week's
    episodes: what the classroom draws and the paper's county map counts."""

    name = "weekly_series"

    def init(self, model) -> None:
        self.last_week: dict[str, float] = {}
        # Reporters read the model they are given, never this analyzer by closure: a copied model (the
        # classroom copies warmed-up twins) must report its own weeks, not the original's.
        self.datacollector = mesa.DataCollector(model_reporters={
            "week": lambda m: m.week,
            **{name: _last_week(name, default) for name, default in (
                ("visits", 0.0), ("primary_care_visit_share", np.nan), ("in_county_visit_rate", np.nan),
                ("admissions", 0.0), ("referrals_up", 0.0))},
            "village_doctors": lambda m: m.facilities.doctors_by_county(VILLAGE, m.region.n_counties).sum(),
        })

    def start_week(self, model, week) -> None:
        """Note the counters, to report the week's change."""
        c = model.counters
        self.before = c.visits.sum(0), c.admissions.sum(), c.referrals_up.sum()

    def end_week(self, model, week) -> None:
        """The week's series, the slots filled, and its episodes."""
        c = model.counters
        n_fac = len(model.facilities.level)
        self.last_week_served = (week.capacity - week.general - week.reserved).reshape(2, n_fac)  # visits, admissions
        visits = c.visits.sum(0) - self.before[0]
        total = visits.sum()
        self.last_week = {
            "visits": float(total),
            "primary_care_visit_share": float(visits[PRIMARY].sum() / total) if total else float("nan"),
            "in_county_visit_rate": float(visits[:CITY].sum() / total) if total else float("nan"),
            "admissions": float(c.admissions.sum() - self.before[1]),
            "referrals_up": float(c.referrals_up.sum() - self.before[2]),
        }
        self.last_episodes = week.episodes  # to follow a resident (the classroom)
        self.datacollector.collect(model)

    def last_week_first_contacts(self, village_township: np.ndarray, townships: int) -> np.ndarray:
        """The last week's episodes by the patient's home township and the level of first contact
        (townships × levels; episodes with no contact left out): the flows the map draws."""
        ep = self.last_episodes
        first = ep.first_level.astype(np.int64)
        seen = first < N_LEVELS
        home = village_township[ep.village[seen]]
        return np.bincount(home * N_LEVELS + first[seen], minlength=townships * N_LEVELS).reshape(townships, N_LEVELS)


def _last_week(name: str, default: float):
    """A DataCollector reporter: the model's last week's ``name``."""
    return lambda m: m.process(WeeklySeries.name).last_week.get(name, default)
