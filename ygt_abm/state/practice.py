"""What providers currently do (供方行为), by county and level: set each year by the provision process."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ygt_abm.vocabulary import N_LEVELS


@dataclass
class ProviderPractice:
    admission_threshold: np.ndarray  # (county, level) serious cases below this severity are seen as outpatients
    decline: np.ndarray  # (county, level) share of appropriate admissions sent up a level (推诿)

    @classmethod
    def fee_for_service(cls, n_counties: int) -> "ProviderPractice":
        """Pre-reform practice: every serious case admitted where first seen."""
        return cls(np.zeros((n_counties, N_LEVELS)), np.zeros((n_counties, N_LEVELS)))

    def departs_from_fee_for_service(self) -> bool:
        """Whether any provider admits or declines differently from fee-for-service practice."""
        return bool(self.admission_threshold.any() or self.decline.any())
