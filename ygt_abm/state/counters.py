"""Tallies of one year, by home county of the resident (what the indicators are computed from), and the
few tallies kept over the whole run."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ygt_abm.vocabulary import CHRONIC, N_EPISODE_TYPES, N_LEVELS, OUTCOMES, PRIMARY_CARE


@dataclass
class YearCounters:
    visits: np.ndarray  # (county, level)
    admissions: np.ndarray  # (county, level)
    oop: np.ndarray  # (county,)
    care_episodes: np.ndarray  # (county,) episodes with ≥1 contact
    unmet: np.ndarray  # (county,)
    referrals_up: np.ndarray  # (county,) formal referrals
    self_referrals_up: np.ndarray  # (county,)
    referrals_down: np.ndarray  # (county,)
    episodes: np.ndarray  # (county, type) episodes started
    outcomes: np.ndarray  # (county, outcome) episodes ended
    charges: np.ndarray  # (county, level) total price of contacts, yuan
    reimbursed: np.ndarray  # (county, level) insurance payments for contacts (capitation excluded), yuan
    inpatient_fund: np.ndarray  # (county, level) insurance payments for admissions, yuan
    inpatient_charges: np.ndarray  # (county, level) total price of admissions, yuan
    capitation: np.ndarray  # (county, level) capitation paid, yuan
    resources: np.ndarray  # (county, level) itemised charges of contacts: the resources used, at list prices, yuan
    inpatient_resources: np.ndarray  # (county, level) the same for admissions (次均住院费用 ÷ admissions)
    settled_outpatient_visits: np.ndarray  # (county,) outpatient contacts the fund paid part of (门诊统筹结算)
    settled_outpatient_charges: np.ndarray  # (county,) their total price, yuan
    inappropriate_admissions: np.ndarray  # (county, level) admissions below the appropriate-admission severity
    declined_admissions: np.ndarray  # (county,) appropriate admissions a provider declined, sending the patient up
    kept_after_failure: np.ndarray  # (county,) failed care a provider kept rather than referred up (留治)
    older_first_contacts: np.ndarray  # (county, level) episodes of residents aged 45+ by the level of first contact
    remote_consultations: np.ndarray  # (county,) primary-care contacts discussed with the lead hospital remotely

    @classmethod
    def zeros(cls, n_counties: int) -> "YearCounters":
        by_level = (n_counties, N_LEVELS)
        shapes = {"visits": by_level, "admissions": by_level, "charges": by_level, "reimbursed": by_level,
                  "inpatient_fund": by_level, "inpatient_charges": by_level, "capitation": by_level,
                  "resources": by_level, "inpatient_resources": by_level, "older_first_contacts": by_level,
                  "inappropriate_admissions": by_level, "episodes": (n_counties, N_EPISODE_TYPES),
                  "outcomes": (n_counties, len(OUTCOMES))}
        return cls(**{f.name: np.zeros(shapes.get(f.name, (n_counties,))) for f in fields(cls)})

    def reset(self) -> None:
        for f in fields(self):
            getattr(self, f.name)[:] = 0

    def facility_revenue(self) -> np.ndarray:
        """(county, level) yuan the facilities earned from the county's residents: from patients and the fund,
        and capitation."""
        return self.charges + self.capitation

    def service_surplus(self, marginal_cost_share: float) -> np.ndarray:
        """(county, level) the year's service surplus the facilities may pay bonuses from (两个允许): revenue less
        the cost that varies with care, since government funds the posts (公益一类财政保障, XC 四(四))."""
        return self.facility_revenue() - marginal_cost_share * self.resources

    def add_by_level(self, table: np.ndarray, county: np.ndarray, level: np.ndarray, mask: np.ndarray) -> None:
        """table[county, level] += 1 for every masked contact (``table`` is visits or admissions)."""
        table += np.bincount(county[mask] * N_LEVELS + level[mask], minlength=table.size).reshape(table.shape)

    def add_by_level_weighted(self, table: np.ndarray, county: np.ndarray, level: np.ndarray,
                              weights: np.ndarray) -> None:
        """table[county, level] += weight for every entry (yuan by level)."""
        table += np.bincount(county * N_LEVELS + level, weights=weights, minlength=table.size).reshape(table.shape)

    def add(self, table: np.ndarray, county: np.ndarray, weights: np.ndarray | None = None) -> None:
        """table[county] += 1 (or += weight) for every entry (``table`` is a per-county counter)."""
        table += np.bincount(county, weights=weights, minlength=len(table))


@dataclass
class RunCounters:
    """Tallies of the whole run, warm-up included; never reset."""

    contacts: np.ndarray  # (level, episode type) contacts, int64

    @classmethod
    def zeros(cls) -> "RunCounters":
        return cls(np.zeros((N_LEVELS, N_EPISODE_TYPES), dtype=np.int64))

    def primary_chronic_share(self) -> float:
        """Share of chronic contacts so far at village clinics and township centres (one half before any)."""
        chronic = self.contacts[:, CHRONIC]
        return float(chronic[list(PRIMARY_CARE)].sum() / chronic.sum()) if chronic.sum() else 0.5
