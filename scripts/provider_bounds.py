"""The providers' sanity bounds (ygt_abm/analysis/provider_bounds.py) of a finished experiment's result folder,
such as experiments/provider-bounds.yaml's: referrals down per 100 county-hospital admissions and each
provider behaviour's growth in one year, per scenario and year, as provider-bounds.csv in the folder and a
summary on standard output.

    .venv/bin/python scripts/provider_bounds.py results/provider-bounds
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from ygt_abm.analysis.provider_bounds import GROWTH_AT_MOST, REFERRALS_DOWN_PER_100_AT_MOST, provider_bounds
from ygt_abm.results.store import write_csv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a finished experiment's result folder")
    folder = parser.parse_args().folder
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    residents = manifest["config"]["world"]["population"]
    table = provider_bounds(pd.read_parquet(folder / "kpis.parquet"), residents, manifest["reference_scenario"])
    write_csv(table, folder / "provider-bounds.csv", float_format="%.4g")
    print(table.round(2).to_string(index=False))
    print(f"\nreferrals down within {REFERRALS_DOWN_PER_100_AT_MOST} per 100: "
          f"{int(table['referrals_down_within'].sum())}/{len(table)} scenario-years; growth within "
          f"{GROWTH_AT_MOST}x: {int(table['growth_within'].sum())}/{len(table)}")


if __name__ == "__main__":
    main()
