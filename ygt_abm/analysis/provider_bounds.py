"""Sanity bounds on the providers' behaviour (docs/validation.md, "Sanity bounds on the providers"): referrals
down per 100 county-hospital admissions against the national upper bound, and each provider behaviour's growth
from one year to the next against the fastest growth recorded nationally (docs/evidence.md, section 4).

A behaviour's year-1 value is compared with the reference scenario's year 1 (the same county and random
numbers, without the levers), each later year with the scenario's year before. A count below ``FLOOR_PER_100``
of the cases the behaviour acts on (``CASES``) is a behaviour that has not started; growth from there is
measured from the floor, so a behaviour may start, but not at full size in one year.
"""

from __future__ import annotations

import pandas as pd

#: the provider decisions whose counts are bounded (vocabulary.INDICATORS)
BEHAVIOURS = ("referrals_down", "failed_care_kept", "declined_admissions")
#: national down-referrals, 2023: 14.7220 million against 30,187.3万 admissions in all facilities, about 4.9 per
#: 100 (6.0 per 100 hospital admissions), an upper bound for inpatients sent down (docs/evidence.md, section 4c)
REFERRALS_DOWN_PER_100_AT_MOST = 6.0
#: down-referrals in the first half of 2017 exceeded all of 2016 (NHFPC, 2017): the fastest recorded national
#: growth, about 2× a year; a county may go faster than the nation, so the bound allows 3× (ASSUMPTION)
GROWTH_AT_MOST = 3.0
#: a behaviour under 1 per 100 of the cases it acts on has not started (ASSUMPTION)
FLOOR_PER_100 = 1.0
#: the cases each behaviour acts on (indicators summed): recoveries of county-hospital admissions sent down,
#: appropriate admissions declined, failed care kept rather than referred up (formally or by the patient)
CASES = {"referrals_down": ("county_admissions",), "declined_admissions": ("county_admissions",),
         "failed_care_kept": ("referrals_up", "self_referrals_up", "failed_care_kept")}


def provider_bounds(kpis: pd.DataFrame, residents: float, reference: str) -> pd.DataFrame:
    """Per scenario and year (means over replicates and counties): referrals down per 100 county-hospital
    admissions, and each behaviour's growth factor on the year before (year 1: on the reference's year 1, or on
    the floor of its cases if more), with whether each bound holds. ``residents``: of one county, the
    denominator of the per-capita rates."""
    wanted = ["admissions_per_capita_county", "referrals_up", "self_referrals_up", *BEHAVIOURS]
    table = (kpis[kpis["metric"].isin(wanted)]
             .groupby(["scenario", "year", "metric"])["value"].mean().unstack("metric").reset_index())
    table["county_admissions"] = table["admissions_per_capita_county"] * residents
    table["referrals_down_per_100"] = 100 * table["referrals_down"] / table["county_admissions"]
    base = table[table["scenario"] == reference].set_index("year")
    first = table["year"] == table["year"].min()
    for behaviour in BEHAVIOURS:
        before = table.groupby("scenario")[behaviour].shift(1)
        before[first] = table.loc[first, "year"].map(base[behaviour])
        floor = FLOOR_PER_100 / 100 * table[list(CASES[behaviour])].sum(axis=1)
        table[f"{behaviour}_growth"] = table[behaviour] / pd.concat([before, floor], axis=1).max(axis=1)
    growth = [f"{b}_growth" for b in BEHAVIOURS]
    table["largest_growth"] = table[growth].max(axis=1)
    table["referrals_down_within"] = table["referrals_down_per_100"] <= REFERRALS_DOWN_PER_100_AT_MOST
    table["growth_within"] = table["largest_growth"] <= GROWTH_AT_MOST
    return table[["scenario", "year", "referrals_down_per_100", *growth, "largest_growth",
                  "referrals_down_within", "growth_within"]]
