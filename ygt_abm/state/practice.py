"""What providers currently do (供方行为), by county and level: set each year by the provision process."""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

from ygt_abm.vocabulary import N_LEVELS


@dataclass
class ProviderPractice:
    admission_threshold: np.ndarray  # (county, level) serious cases below this severity are seen as outpatients
    decline: np.ndarray  # (county, level, severity band) share of appropriate admissions sent up a level (推诿)
    intensity: np.ndarray  # (county, level, contact kind) resources per contact ÷ fee-for-service practice's (服务缩水)
    step_down: np.ndarray  # (county,) share of the county hospitals' successful admissions referred down beyond the
    #                        policy's rate, for their recovery at the home township centre (下转)
    keep: np.ndarray  # (county, level, contact kind) share of failed care not referred up: the patient may try the
    #                   same level again (留治)
    outreach: np.ndarray  # (C,) primary teams' outreach to their chronic patients, a share of the full effort (随访)
    services: np.ndarray  # (C,) capability for admissions the township centres gain (or, below 0, lose) by the
    #                       services they offer beyond fee-for-service practice's (服务能力)
    catalogue_shift: np.ndarray  # (county, level) share of an admission's in-catalogue charges moved to items the
    #                              patient pays in full (目录外费用转嫁)

    @classmethod
    def fee_for_service(cls, n_counties: int) -> "ProviderPractice":
        """Pre-reform practice: every serious case admitted where first seen, with the usual intensity."""
        return cls(np.zeros((n_counties, N_LEVELS)), np.zeros((n_counties, N_LEVELS, SEVERITY_BANDS)),
                   np.ones((n_counties, N_LEVELS, 2)), np.zeros(n_counties), np.zeros((n_counties, N_LEVELS, 2)),
                   np.zeros(n_counties), np.zeros(n_counties), np.zeros((n_counties, N_LEVELS)))

    def departs_from_fee_for_service(self) -> bool:
        """Whether any provider admits or declines differently from fee-for-service practice (in a round)."""
        return bool(self.admission_threshold.any() or self.decline.any())

    def keeps_failed_care(self) -> bool:
        """Whether any provider keeps failed care rather than referring it up."""
        return bool(self.keep.any())

    def cuts_intensity(self) -> bool:
        """Whether any provider delivers less than fee-for-service intensity."""
        return bool((self.intensity != 1.0).any())


#: severity bands of width 1 / SEVERITY_BANDS: a provider's readiness to decline a case depends on its band
SEVERITY_BANDS = 10


@numba.njit(cache=True, nogil=True)
def severity_band(severity: float) -> int:
    """A severity's band (0 … SEVERITY_BANDS − 1); the product is taken in the severity's precision (an episode's
    is float32), as numpy multiplies a float32 array by the band count."""
    return min(np.int64(severity * np.float32(SEVERITY_BANDS)), SEVERITY_BANDS - 1)


def band_midpoints() -> np.ndarray:
    """The severity at the middle of each band."""
    return (np.arange(SEVERITY_BANDS) + 0.5) / SEVERITY_BANDS
