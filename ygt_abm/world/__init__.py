"""Geography: building (synthetic) or loading (CSV) a region of counties and its travel times."""

from __future__ import annotations

from ygt_abm.config.experiment import CsvWorld, SyntheticWorld, county_count  # noqa: F401 - re-exported
from ygt_abm.streams import Streams
from ygt_abm.world.geography import Region


def build_world(config: SyntheticWorld | CsvWorld, seed: int, county: int | None = None) -> Region:
    """The region of an experiment. It depends on the root seed only, not on the replicate, so every
    scenario and replicate of an experiment runs on the same geography. ``county``: that county of the
    region on its own, with its population's share of the city hospitals (``build_region``)."""
    if config.kind == "csv":
        from ygt_abm.world.csv_loader import load_csv_region

        return load_csv_region(config, county)
    from ygt_abm.world.synthetic import synthetic_region

    return synthetic_region(config, Streams(seed).get("world"), county)

