"""Loading real counties from CSV: what a valid set of files becomes, and how every kind of bad row is
reported (file, line, column) — all problems at once."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from ygt_abm.config import ConfigError, Problem
from ygt_abm.config.experiment import CsvCounty, CsvWorld
from ygt_abm.experiment.loading import load_runnable_experiment
from ygt_abm.world.csv_loader import load_csv_region
from ygt_abm.vocabulary import CITY, COUNTY, TOWNSHIP, VILLAGE

EXPERIMENT = Path(__file__).resolve().parents[1] / "experiments" / "example-csv-county.yaml"

VILLAGES = """village,township,population,longitude,latitude
A1,A,100,113.50,34.00
A2,A,200,113.52,34.01
B1,B,300,113.60,34.05
B2,B,400,113.62,34.06
"""
FACILITIES = """facility,kind,township,longitude,latitude,beds,doctors
A centre,township_health_centre,A,113.50,34.10,10,5
B centre,township_health_centre,B,113.60,34.05,,
County hospital,county_hospital,,113.51,34.00,100,
"""
CITIES = """facility,kind,township,longitude,latitude,beds,doctors
City hospital,city_hospital,,114.00,34.30,,
"""


def county(tmp_path: Path, name: str = "c1", villages: str = VILLAGES, facilities: str = FACILITIES) -> CsvCounty:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "villages.csv").write_text(villages, encoding="utf-8")
    (folder / "facilities.csv").write_text(facilities, encoding="utf-8")
    return CsvCounty(name=name, villages=folder / "villages.csv", facilities=folder / "facilities.csv")


def world(tmp_path: Path, *counties: CsvCounty, cities: str = CITIES) -> CsvWorld:
    (tmp_path / "cities.csv").write_text(cities, encoding="utf-8")
    return CsvWorld(kind="csv", counties=list(counties) or [county(tmp_path)], city_hospitals=tmp_path / "cities.csv")


def problems(config: CsvWorld) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load_csv_region(config)
    return caught.value.problems


def example_world() -> CsvWorld:
    return load_runnable_experiment(EXPERIMENT).experiment.world


# --- valid files ---------------------------------------------------------------------------------------------


def test_example_experiment_validates_and_points_at_existing_files():
    world_config = example_world()
    assert world_config.kind == "csv"
    assert world_config.city_hospitals.is_file()
    assert all(c.villages.is_file() and c.facilities.is_file() for c in world_config.counties)


def test_example_county_loads_with_one_clinic_per_village_and_one_centre_per_township():
    region = load_csv_region(example_world())
    assert region.county_names == ["Example county"]
    assert region.n_villages == 16
    assert region.township_names == ["甲镇", "乙乡", "丙乡"]  # order of first appearance
    assert region.population == 20_000
    assert np.bincount(region.facility_level, minlength=4).tolist() == [16, 3, 2, 1]
    assert region.n_facilities == 16 + 3 + 2 + 1
    assert region.meta["source"] == "csv"
    # Choice set: own clinic, own health centre, both county hospitals, the city hospital.
    assert region.options.shape == region.option_minutes.shape == (16, 5)
    real = region.options >= 0
    assert real.all() and np.isfinite(region.option_minutes[real]).all()
    assert (region.option_minutes > 0).all()
    levels = region.facility_level[region.options]
    assert (levels == [VILLAGE, TOWNSHIP, COUNTY, COUNTY, CITY]).all()


def test_beds_and_doctors_are_nan_when_blank_and_numbers_when_given():
    region = load_csv_region(example_world())
    by_name = {name: i for i, name in enumerate(region.facility_names)}
    assert (region.facility_beds[by_name["甲镇卫生院"]], region.facility_doctors[by_name["甲镇卫生院"]]) == (40, 18)
    assert region.facility_beds[by_name["丙乡卫生院"]] == 20
    assert math.isnan(region.facility_doctors[by_name["丙乡卫生院"]])
    assert math.isnan(region.facility_beds[by_name["示例县中医院"]])
    assert math.isnan(region.facility_doctors[by_name["示例县中医院"]])
    assert region.facility_beds[by_name["示例市中心医院"]] == 1500
    assert math.isnan(region.facility_beds[by_name["甲一村 village clinic"]])


def test_townships_follow_first_appearance_and_centres_sit_where_the_file_puts_them(tmp_path):
    villages = VILLAGES.replace("A1,A,100", "B0,B,50")  # B now appears first
    region = load_csv_region(world(tmp_path, county(tmp_path, villages=villages)))
    assert region.township_names == ["B", "A"]
    assert region.village_township.tolist() == [0, 1, 0, 0]
    assert region.village_population.tolist() == [50, 200, 300, 400]
    # Equirectangular km: A's centre is 0.1° of latitude north of A2's latitude 34.01 → 0.09°.
    centre, village = region.graph.nodes[("township", 1)], region.graph.nodes[("village", 1)]
    assert centre["y"] - village["y"] == pytest.approx(6371 * math.radians(0.09))
    assert village["x"] - region.graph.nodes[("village", 2)]["x"] == pytest.approx(
        6371 * math.radians(-0.08) * math.cos(math.radians(region.meta["projection"]["lat0"])))


def test_two_counties_share_the_city_hospitals_but_not_each_other(tmp_path):
    cities = CITIES + "Second city hospital,city_hospital,,113.00,33.70,800,300\n"
    east = county(tmp_path, "east")
    west = county(tmp_path, "west", villages=VILLAGES.replace(",113.", ",112."), facilities=FACILITIES.replace(
        ",113.", ",112."))
    region = load_csv_region(world(tmp_path, east, west, cities=cities))
    assert region.n_counties == 2 and region.n_villages == 8 and len(region.township_names) == 4
    assert region.n_facilities == 8 + 4 + 2 + 2
    city_ids = np.flatnonzero(region.facility_level == CITY)
    assert len(city_ids) == 2 and (region.facility_county[city_ids] == -1).all()
    for v in range(region.n_villages):
        chosen = region.options[v][region.options[v] >= 0]
        assert set(city_ids) <= set(chosen)
        local = chosen[region.facility_county[chosen] >= 0]
        assert (region.facility_county[local] == region.village_county[v]).all()
    assert np.isfinite(region.option_minutes[region.options >= 0]).all()


def test_bom_whitespace_and_extra_columns_are_accepted(tmp_path):
    villages = "\ufeffvillage , township,population,longitude,latitude,note\n" + "\n".join(
        " " + row.replace(",", " , ") + ",anything" for row in VILLAGES.splitlines()[1:]) + "\n"
    region = load_csv_region(world(tmp_path, county(tmp_path, villages=villages)))
    assert region.village_names == ["A1", "A2", "B1", "B2"]
    assert region.population == 1000


# --- bad files: one problem each, at the right file, line and column ----------------------------------------


@pytest.mark.parametrize(("case", "which", "line", "field", "words"), [
    ("population not an integer", "villages", 3, "population", "non-negative integer (at most 100,000), got 'abc'"),
    ("latitude out of range", "villages", 4, "latitude", "[-90, 90], got '95'"),
    ("unknown kind", "facilities", 4, "kind", "got 'hospital'"),
    ("township without a health centre", "villages", 4, "township", "'B'"),
    ("missing column", "villages", 1, "population", "missing column"),
    ("missing file", "facilities", 0, "file", "cannot read"),
    ("no county hospital", "facilities", 1, "kind", "county_hospital"),
    ("no data rows", "villages", 1, "file", "no data rows"),
    ("empty file", "facilities", 1, "file", "empty file"),
    ("unclosed quote", "villages", 3, "file", "malformed CSV"),
    ("duplicate village", "villages", 3, "village", "duplicate village 'A1' (first on line 2)"),
    ("negative beds", "facilities", 2, "beds", "got '-1'"),
    ("city hospital in a county file", "facilities", 4, "kind", "city_hospitals file"),
    ("county hospital in the city file", "cities", 2, "kind", "expected city_hospital"),
])
def test_each_bad_row_is_reported_at_its_file_line_and_column(tmp_path, case, which, line, field, words):
    villages, facilities, cities = VILLAGES, FACILITIES, CITIES
    match case:
        case "population not an integer":
            villages = villages.replace("A2,A,200", "A2,A,abc")
        case "latitude out of range":
            villages = villages.replace("113.60,34.05", "113.60,95")
        case "unknown kind":
            facilities = facilities.replace("county_hospital,", "hospital,")
        case "township without a health centre":
            facilities = facilities.replace("B centre,township_health_centre,B,113.60,34.05,,\n", "")
        case "missing column":
            villages = "\n".join(",".join(row.split(",")[:2] + row.split(",")[3:]) for row in villages.splitlines())
        case "no county hospital":
            facilities = facilities.replace("County hospital,county_hospital,,113.51,34.00,100,\n", "")
        case "no data rows":
            villages = villages.splitlines()[0] + "\n\n"
        case "empty file":
            facilities = ""
        case "unclosed quote":
            villages = villages.replace("A2,", '"A2,')
        case "duplicate village":
            villages = villages.replace("A2,", "A1,")
        case "negative beds":
            facilities = facilities.replace(",10,5", ",-1,5")
        case "city hospital in a county file":
            facilities = facilities.replace("B centre,township_health_centre,B,113.60,34.05",
                                            "B centre,township_health_centre,B,113.60,34.05\nC,city_hospital,,114,34")
        case "county hospital in the city file":
            cities = cities.replace("city_hospital", "county_hospital")
    config = world(tmp_path, county(tmp_path, villages=villages, facilities=facilities), cities=cities)
    if case == "missing file":
        config.counties[0].facilities.unlink()
    expected_file = {"villages": config.counties[0].villages, "facilities": config.counties[0].facilities,
                     "cities": config.city_hospitals}[which]
    found = problems(config)
    assert [(p.file, p.line, p.field) for p in found] == [(str(expected_file), line, field)], found
    assert words in found[0].message


def test_all_problems_in_all_files_are_reported_at_once(tmp_path):
    bad = county(tmp_path, villages=VILLAGES.replace("A2,A,200", "A2,A,-5").replace("34.06", "north"),
                 facilities=FACILITIES.replace(",10,5", ",ten,5"))
    config = world(tmp_path, bad, county(tmp_path, "c2"), cities=CITIES.replace("114.00", "514.00"))
    found = problems(config)
    assert {(Path(p.file).name, p.line, p.field) for p in found} == {
        ("villages.csv", 3, "population"),
        ("villages.csv", 5, "latitude"),
        ("facilities.csv", 2, "beds"),
        ("cities.csv", 2, "longitude"),
    }
    text = str(ConfigError(found))
    assert f"{tmp_path / 'c1' / 'villages.csv'}:3: population: expected a non-negative integer (at most 100,000), got '-5'" in text


def test_a_village_or_facility_far_from_the_countys_villages_is_a_typing_error(tmp_path):
    """A sign dropped or lon and lat swapped puts a point thousands of kilometres away, inside the valid
    ranges; it is refused at its line rather than given a road across the world."""
    import shutil
    from importlib.resources import files

    county = shutil.copytree(Path(str(files("ygt_abm") / "data" / "example-county")), tmp_path / "county")
    lines = (county / "villages.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[3] = "-" + cells[3]  # longitude 113.528 → −113.528: the other hemisphere
    lines[2] = ",".join(cells)
    (county / "villages.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_runnable_experiment(county / "experiment.yaml")
    [problem] = caught.value.problems
    assert problem.line == 3 and problem.field == "longitude, latitude" and "km from the middle" in problem.message


def test_a_county_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path):
    from ygt_abm.config.files import MAX_TABLE_BYTES

    config = world(tmp_path)
    with open(config.counties[0].villages, "r+b") as handle:  # sparse: the size is there, the bytes are not
        handle.truncate(MAX_TABLE_BYTES + 1)
    [problem] = problems(config)
    assert (Path(problem.file).name, problem.line, problem.field) == ("villages.csv", 0, "file")
    assert f"{MAX_TABLE_BYTES + 1:,} bytes; a file of this kind has at most {MAX_TABLE_BYTES:,}" in problem.message
