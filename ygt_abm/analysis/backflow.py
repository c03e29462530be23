"""Backflow (患者回流): how many episodes chose a lower level under a scenario than under the reference.

Scenarios with the same seed share every illness onset (common random numbers), so episode i of a run
is the same illness in every scenario; its first-contact level can be compared one to one. Levels are
ordered village (0) < township (1) < county (2) < city (3); self-care, no care and prevented episodes
are counted separately.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ygt_abm.vocabulary import N_LEVELS

LEVEL_CODES = N_LEVELS  # 0–3 are facility levels; larger first-contact codes: self-care, no contact, prevented


def compare_episodes(scenario: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Per year: episodes whose first contact moved down, moved up, stayed, entered or left care."""
    if len(scenario) != len(reference):
        raise ValueError("episode streams differ in length: the runs do not share their onsets")
    new, old = scenario["first_level"].to_numpy(), reference["first_level"].to_numpy()
    both = (new < LEVEL_CODES) & (old < LEVEL_CODES)
    frame = pd.DataFrame({
        "year": reference["year"].to_numpy(),
        "moved_down": both & (new < old),
        "moved_up": both & (new > old),
        "same_level": both & (new == old),
        "into_care": (new < LEVEL_CODES) & (old >= LEVEL_CODES),
        "out_of_care": (new >= LEVEL_CODES) & (old < LEVEL_CODES),
    })
    return frame.groupby("year", sort=True).sum().reset_index()


def backflow_table(load, runs: list[tuple[str, str, int]], reference: str) -> pd.DataFrame:
    """Long table (scenario, point, replicate, year, measure, value) for every non-reference run.
    ``load(scenario, point, replicate)`` yields the run's episode tables: one, or one per county when
    counties ran on their own, in the same county order for every scenario. Counties are compared
    pairwise and their counts added, so only two tables are in memory at a time."""
    rows = []
    for scenario, point, replicate in runs:
        if scenario == reference:
            continue
        parts = [compare_episodes(mine, theirs)
                 for mine, theirs in zip(load(scenario, point, replicate), load(reference, point, replicate),
                                         strict=True)]
        counts = pd.concat(parts).groupby("year", sort=True).sum().reset_index()
        long = counts.melt(id_vars="year", var_name="measure", value_name="value")
        rows.append(long.assign(scenario=scenario, point=point, replicate=replicate))
    if not rows:
        return pd.DataFrame(columns=["scenario", "point", "replicate", "year", "measure", "value"])
    out = pd.concat(rows, ignore_index=True)
    out["value"] = out["value"].astype(np.int64)
    return out[["scenario", "point", "replicate", "year", "measure", "value"]]
