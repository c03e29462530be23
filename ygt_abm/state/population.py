"""Residents as a struct of numpy arrays (never one Python object per person).

Index ``i`` is a resident throughout the model. ``Population.person(i)`` gives a read-only view of one
resident for inspection and teaching; nothing in the simulation uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.config.params import PopulationParams
from ygt_abm.vocabulary import AGE_BANDS, CONDITIONS, LEVELS, N_LEVELS, NO_USUAL_PROVIDER, OLDEST_AGE_BAND
from ygt_abm.world.geography import Region

#: follow-ups at primary care in a year that make a chronic patient "managed" (慢病规范管理): at least four
#: face-to-face follow-ups a year (国家基本公共卫生服务规范, 3rd ed., 2017)
MANAGED_FOLLOWUPS = 4
#: residents whose starting beliefs are drawn at a time
BELIEF_CHUNK = 1 << 16


@dataclass
class Population:
    village: np.ndarray  # int32: home village
    county: np.ndarray  # int16: home county (derived from village, kept for speed)
    age_band: np.ndarray  # int8: index into AGE_BANDS
    chronic: np.ndarray  # uint8 bit mask over CONDITIONS
    insured: np.ndarray  # bool: enrolled in basic medical insurance (城乡居民医保)
    family_doctor: np.ndarray  # bool: signed a family-doctor contract (家庭医生签约)
    belief: np.ndarray  # float32 (N, 4): perceived quality of each facility level, 0–1
    usual_level: np.ndarray  # int8: level of the usual provider, -1 none
    primary_followups: np.ndarray  # int16: chronic follow-ups at primary care this year
    admitted: np.ndarray  # bool: admitted at least once this year
    outpatient_fund_used: np.ndarray  # float64: the fund's payments for outpatient care this year, yuan (门诊统筹)

    @property
    def size(self) -> int:
        return len(self.village)

    @property
    def has_chronic(self) -> np.ndarray:
        return self.chronic > 0

    @property
    def chronic_under_management(self) -> np.ndarray:
        """Chronic patients with at least one primary-care follow-up this year (纳入管理)."""
        return self.has_chronic & (self.primary_followups >= 1)

    @property
    def managed_chronic(self) -> np.ndarray:
        """Chronic patients with enough primary-care follow-ups this year to count as managed."""
        return self.has_chronic & (self.primary_followups >= MANAGED_FOLLOWUPS)

    @property
    def key_population(self) -> np.ndarray:
        """Key populations for family-doctor targets: 65+ or living with a chronic condition."""
        return (self.age_band == OLDEST_AGE_BAND) | self.has_chronic

    def reset_year(self) -> None:
        """A new year: no follow-ups, nobody admitted yet."""
        self.primary_followups[:] = 0
        self.admitted[:] = False

    def person(self, i: int) -> "PersonView":
        return PersonView(self, int(i))

    def nbytes(self) -> int:
        return sum(getattr(self, f).nbytes for f in self.__dataclass_fields__)


class PersonView:
    """A read-only look at one resident (for the dashboard and for teaching)."""

    def __init__(self, population: Population, index: int) -> None:
        if not 0 <= index < population.size:
            raise IndexError(f"resident {index} does not exist (population {population.size})")
        self._p, self.index = population, index

    def __setattr__(self, name, value):
        if name in ("_p", "index") and name not in self.__dict__:
            object.__setattr__(self, name, value)
        else:
            raise AttributeError("a PersonView is read-only")

    @property
    def village(self) -> int:
        return int(self._p.village[self.index])

    @property
    def age_band(self) -> str:
        return AGE_BANDS[self._p.age_band[self.index]]

    @property
    def conditions(self) -> tuple[str, ...]:
        bits = int(self._p.chronic[self.index])
        return tuple(c for b, c in enumerate(CONDITIONS) if bits & (1 << b))

    @property
    def insured(self) -> bool:
        return bool(self._p.insured[self.index])

    @property
    def family_doctor(self) -> bool:
        return bool(self._p.family_doctor[self.index])

    @property
    def beliefs(self) -> dict[str, float]:
        return {lvl: float(b) for lvl, b in zip(LEVELS, self._p.belief[self.index])}

    @property
    def usual_provider(self) -> str | None:
        lvl = int(self._p.usual_level[self.index])
        return None if lvl == NO_USUAL_PROVIDER else LEVELS[lvl]

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in
                ("index", "village", "age_band", "conditions", "insured", "family_doctor", "beliefs", "usual_provider")}

    def __repr__(self) -> str:
        return f"PersonView({self.as_dict()})"


def synthesize_population(region: Region, params: PopulationParams, initial_belief: np.ndarray,
                          rng: np.random.Generator) -> Population:
    """Draw every resident's attributes. ``initial_belief`` is the mean perceived quality per level
    (the model sets it to the quality residents would experience, so the baseline starts settled)."""
    village = np.repeat(np.arange(region.n_villages, dtype=np.int32), region.village_population)
    n = len(village)
    age_band = rng.choice(len(AGE_BANDS), size=n, p=params.age_band_shares.array()).astype(np.int8)
    chronic = np.zeros(n, dtype=np.uint8)
    for bit, prevalence in enumerate((params.hypertension_prevalence, params.diabetes_prevalence,
                                      params.copd_prevalence)):
        has = rng.random(n) < prevalence.array()[age_band]
        chronic |= (has.astype(np.uint8) << bit)
    insured = rng.random(n) < params.insured_share
    key = (age_band == OLDEST_AGE_BAND) | (chronic > 0)
    signup = np.where(key, params.family_doctor_signup_key, params.family_doctor_signup_other)
    family_doctor = rng.random(n) < signup

    shares = params.usual_provider_shares.array()
    draw = rng.random(n)
    usual = np.searchsorted(np.cumsum(shares), draw, side="right").astype(np.int8)
    usual[usual >= N_LEVELS] = NO_USUAL_PROVIDER
    usual[family_doctor] = 0

    belief = np.empty((n, N_LEVELS), dtype=np.float32)
    for start in range(0, n, BELIEF_CHUNK):  # in chunks: the float64 noise never exists for everyone at once
        rows = slice(start, min(start + BELIEF_CHUNK, n))
        noise = rng.normal(0.0, params.belief_noise_sd, (rows.stop - start, N_LEVELS))  # the same draws as one call
        belief[rows] = np.clip(initial_belief[None, :] + noise, 0.0, 1.0)
    return Population(
        village=village,
        county=region.village_county[village].astype(np.int16),
        age_band=age_band,
        chronic=chronic,
        insured=insured,
        family_doctor=family_doctor,
        belief=belief,
        usual_level=usual,
        primary_followups=np.zeros(n, dtype=np.int16),
        admitted=np.zeros(n, dtype=bool),
        outpatient_fund_used=np.zeros(n),
    )
