"""A seeded generator of typical counties (defaults from calibration-targets.md)."""

from __future__ import annotations

import numpy as np

from ygt_abm.config.experiment import SyntheticWorld, county_names
from ygt_abm.world.geography import CountyLayout, Region, Roads, Site, build_region


def synthetic_region(config: SyntheticWorld, rng: np.random.Generator, alone: int | None = None) -> Region:
    """Counties placed around shared city hospitals. Township 0 is the county seat town (城关镇); the
    first village of every township is its seat, where the township health centre stands. ``alone``:
    county ``alone`` of that region on its own (see ``build_region``)."""
    cities = [Site(f"City hospital {c + 1}", 0.0 + 5.0 * c, 0.0) for c in range(config.city_hospitals)]
    layouts = []
    for ci, name in enumerate(county_names(config.counties)):
        angle = 2 * np.pi * ci / config.counties + rng.uniform(0, 2 * np.pi / config.counties)
        distance = config.city_distance_km * rng.uniform(0.75, 1.25)
        seat = np.array([np.cos(angle), np.sin(angle)]) * distance
        layouts.append(_county(config, name, seat, rng))
    roads = Roads(config.village_road_kmh, config.county_road_kmh, config.highway_kmh, config.detour_factor,
                  config.access_minutes, config.remoteness)
    region = build_region(layouts, cities, roads, alone)
    region.meta["generator"] = config.model_dump()
    return region


def _county(config: SyntheticWorld, name: str, seat: np.ndarray, rng: np.random.Generator) -> CountyLayout:
    n_town = config.township_count
    radius = config.county_radius_km
    r = radius * np.sqrt(rng.uniform(0.05, 1.0, n_town))
    theta = rng.uniform(0, 2 * np.pi, n_town)
    township_xy = seat + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    township_xy[0] = seat  # the county seat town
    lo, hi = config.villages_per_township
    per_town = rng.integers(lo, hi + 1, n_town)
    town_radius = radius / np.sqrt(n_town)

    village_township = np.repeat(np.arange(n_town), per_town)
    n_v = len(village_township)
    vr = town_radius * np.sqrt(rng.uniform(0.0, 1.0, n_v))
    vt = rng.uniform(0, 2 * np.pi, n_v)
    village_xy = township_xy[village_township] + np.column_stack([vr * np.cos(vt), vr * np.sin(vt)])
    is_seat = np.r_[True, village_township[1:] != village_township[:-1]]
    village_xy[is_seat] = township_xy[village_township[is_seat]]

    weight = rng.lognormal(0.0, config.village_population_sigma, n_v)
    weight[is_seat] *= config.seat_population_factor
    population = _apportion(config.population, weight)

    town_names = [f"{name} T{t + 1:02d}" for t in range(n_town)]
    village_names = [f"{town_names[t]} V{i:02d}" for t, i in zip(village_township, _rank_within(village_township))]
    hospitals = [Site(f"{name} county hospital {h + 1}", float(seat[0]), float(seat[1]))
                 for h in range(config.county_hospitals)]
    return CountyLayout(name, town_names, township_xy, village_names, village_township, population, village_xy,
                        hospitals)


def _apportion(total: int, weight: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weight`` summing exactly to ``total`` (largest remainder)."""
    exact = total * weight / weight.sum()
    out = np.floor(exact).astype(np.int64)
    short = total - int(out.sum())
    out[np.argsort(-(exact - out), kind="stable")[:short]] += 1
    return out


def _rank_within(groups: np.ndarray) -> np.ndarray:
    starts = np.r_[0, np.flatnonzero(groups[1:] != groups[:-1]) + 1]
    return np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)])) + 1
