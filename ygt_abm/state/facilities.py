"""Facilities: village clinics, township health centres, county hospitals, city hospitals.

Their state is a struct of arrays (``FacilityState``) so the weekly step stays vectorised;
``FacilityView`` is a read-only look at one row, for inspection and the dashboard. Staffing (doctors,
capacity, capability) is set by ``ygt_abm.processes.workforce``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.config.params import ModelParameters
from ygt_abm.vocabulary import CITY, COUNTY, FACILITY_KINDS, LEVELS, N_EPISODE_TYPES, N_LEVELS, TOWNSHIP, VILLAGE
from ygt_abm.world.geography import Region


@dataclass
class FacilityState:
    level: np.ndarray  # int8
    county: np.ndarray  # int32, -1 for city hospitals
    beds: np.ndarray  # float
    posts: np.ndarray  # doctor posts (编制) to keep filled
    doctors: np.ndarray  # doctors posted here now
    mean_skill: np.ndarray
    capability: np.ndarray  # (facility, episode type) 0–1
    outpatient_capacity: np.ndarray  # visits a week
    admission_capacity: np.ndarray  # admissions a week
    load: np.ndarray  # last week's outpatient demand ÷ capacity
    wait_days: np.ndarray  # expected outpatient wait of a self-referred patient
    referred_wait_days: np.ndarray  # … of a referred patient (shorter where slots are reserved)
    visits: np.ndarray  # this year
    admissions: np.ndarray  # this year
    revenue_fund: np.ndarray  # this year, yuan
    revenue_oop: np.ndarray  # this year, yuan
    #: Share of each facility's capacity open to the region's residents: 1, except the city hospitals of
    #: a county run on its own, which serve it in proportion to its population (``Region.city_share``).
    capacity_share: np.ndarray

    @classmethod
    def create(cls, region: Region, params: ModelParameters) -> "FacilityState":
        n = region.n_facilities
        level = region.facility_level.astype(np.int8)
        fp, wp = params.facilities, params.workforce
        county_pop = region.county_population()
        hospitals_per_county = np.bincount(region.facility_county[level == COUNTY], minlength=region.n_counties)
        beds = np.select(
            [level == VILLAGE, level == TOWNSHIP, level == COUNTY, level == CITY],
            [0.0, fp.township_beds,
             fp.county_beds_per_1000 * county_pop[np.maximum(region.facility_county, 0)] / 1000.0
             / np.maximum(hospitals_per_county[np.maximum(region.facility_county, 0)], 1),
             fp.city_beds])
        beds = np.where(np.isnan(region.facility_beds), beds, region.facility_beds)
        posts = np.select(
            [level == VILLAGE, level == TOWNSHIP, level == COUNTY, level == CITY],
            [wp.village_doctors_per_clinic, wp.township_doctors,
             wp.county_doctors_per_1000 * county_pop[np.maximum(region.facility_county, 0)] / 1000.0
             / np.maximum(hospitals_per_county[np.maximum(region.facility_county, 0)], 1),
             wp.city_doctors])
        posts = np.where(np.isnan(region.facility_doctors), posts, region.facility_doctors)
        z = np.zeros(n)
        return cls(level=level, county=region.facility_county.copy(), beds=beds, posts=posts, doctors=z.copy(),
                   mean_skill=z + 0.5, capability=np.zeros((n, N_EPISODE_TYPES)), outpatient_capacity=z.copy(),
                   admission_capacity=z.copy(), load=z.copy(), wait_days=z.copy(), referred_wait_days=z.copy(),
                   visits=z.copy(),
                   admissions=z.copy(), revenue_fund=z.copy(), revenue_oop=z.copy(),
                   # Capacity, not doctors, is shared out: a county's slice of a city hospital keeps
                   # the whole hospital's staff dynamics (a few doctors each would make it lumpy).
                   capacity_share=np.where(level == CITY, region.city_share, 1.0))

    def reset_year(self) -> None:
        for a in (self.visits, self.admissions, self.revenue_fund, self.revenue_oop):
            a[:] = 0

    def lead_hospitals(self, counties: np.ndarray) -> np.ndarray:
        """Each county's lead hospital (牵头医院): its county hospital with the most beds."""
        leads = []
        for c in counties:
            hospitals = np.flatnonzero((self.level == COUNTY) & (self.county == c))
            leads.append(hospitals[np.argmax(self.beds[hospitals])])
        return np.array(leads, dtype=int)

    def doctors_by_county(self, level: int, n_counties: int) -> np.ndarray:
        """Doctors working at facilities of ``level``, per county (e.g. village doctors, 村医人数); city
        hospitals belong to no county."""
        at = (self.level == level) & (self.county >= 0)
        return np.bincount(self.county[at], weights=self.doctors[at], minlength=n_counties)

    def doctors_by_county_and_level(self, n_counties: int) -> np.ndarray:
        """(county, level) doctors working in each county's facilities of each level."""
        return np.stack([self.doctors_by_county(level, n_counties) for level in range(N_LEVELS)], axis=1)


class FacilityView:
    """A read-only look at one facility (for inspection, teaching and the dashboard)."""

    def __init__(self, model, index: int) -> None:
        if not 0 <= index < len(model.facilities.level):
            raise IndexError(f"facility {index} does not exist")
        self._model, self.index = model, int(index)
        self.name = model.region.facility_names[self.index]

    @property
    def _state(self) -> FacilityState:
        return self._model.facilities

    @property
    def level(self) -> str:
        return LEVELS[self._state.level[self.index]]

    @property
    def kind(self) -> str:
        return FACILITY_KINDS[self._state.level[self.index]]

    @property
    def county(self) -> int:
        return int(self._state.county[self.index])

    @property
    def beds(self) -> float:
        return float(self._state.beds[self.index])

    @property
    def doctors(self) -> float:
        """Doctors working here, counted by their share of time here."""
        return float(self._state.doctors[self.index])

    @property
    def weekly_outpatient_capacity(self) -> float:
        return float(self._state.outpatient_capacity[self.index])

    @property
    def load(self) -> float:
        """Last week's outpatient demand ÷ capacity."""
        return float(self._state.load[self.index])

    @property
    def capability(self) -> np.ndarray:
        return self._state.capability[self.index].copy()

    @property
    def prices(self) -> tuple[float, float]:
        """(outpatient, inpatient) list price in yuan, as policy currently sets them (city hospitals:
        as the first county's residents are charged)."""
        lv, county = self._state.level[self.index], max(self.county, 0)
        levers = self._model.levers
        return float(levers.outpatient_price[county, lv]), float(levers.inpatient_price[county, lv])

    @property
    def revenue(self) -> float:
        """This year's revenue so far: insurance payments plus out-of-pocket payments."""
        return float(self._state.revenue_fund[self.index] + self._state.revenue_oop[self.index])

    def __repr__(self) -> str:
        return f"FacilityView({self.name!r}, {self.kind}, doctors={self.doctors:g})"
