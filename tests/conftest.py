"""Shared small worlds: big enough for stable shares, small enough to run in seconds."""

from __future__ import annotations

import pytest

from ygt_abm.config import ModelParameters, SyntheticWorld
from ygt_abm.model import CountyModel
from ygt_abm.world import build_world


@pytest.fixture(scope="session")
def small_region():
    return build_world(SyntheticWorld(population=20_000, townships=4), seed=11)


@pytest.fixture(scope="session")
def two_county_region():
    return build_world(SyntheticWorld(counties=2, population=8_000, townships=3), seed=5)


@pytest.fixture(scope="session")
def year_run(small_region):
    """A model after one simulated year (read-only for tests)."""
    model = CountyModel(small_region, ModelParameters(), seed=3)
    model.run(1)
    return model
