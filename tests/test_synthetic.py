import networkx as nx
import numpy as np
import pytest

from ygt_abm.config import SyntheticWorld
from ygt_abm.config.params import ModelParameters
from ygt_abm.model import CountyModel
from ygt_abm.state.facilities import FacilityState
from ygt_abm.world import build_world
from ygt_abm.vocabulary import CITY, COUNTY, TOWNSHIP, VILLAGE


def test_a_typical_county_has_the_structure_of_the_calibration_targets():
    region = build_world(SyntheticWorld(), seed=1)
    per_township = np.bincount(region.village_township)
    assert len(region.township_names) == 16
    assert per_township.min() >= 16 and per_township.max() <= 18
    assert region.population == 300_000
    levels = np.bincount(region.facility_level, minlength=4)
    assert levels[VILLAGE] == region.n_villages
    assert levels[TOWNSHIP] == 16 and levels[COUNTY] == 2 and levels[CITY] == 1
    assert region.share_within(15) >= 0.9  # NHC: ≈90% of households within 15 minutes


def test_the_graph_carries_coordinates_and_road_times():
    region = build_world(SyntheticWorld(population=5000, townships=3), seed=2)
    g = region.graph
    assert all({"x", "y", "kind"} <= set(d) for _, d in g.nodes(data=True))
    assert all(d["minutes"] >= 0 for *_, d in g.edges(data=True))  # a township seat sits on its seat village
    assert nx.is_connected(g)
    assert {d["kind"] for _, d in g.nodes(data=True)} == {"village", "township", "county_seat", "city"}


def test_choice_sets_hold_own_clinic_township_county_hospitals_then_cities(two_county_region):
    r = two_county_region
    for v in range(r.n_villages):
        opts = r.options[v][r.options[v] >= 0]
        level = r.facility_level[opts]
        assert level.tolist() == sorted(level.tolist())
        assert r.facility_village[opts[0]] == v
        assert r.facility_township[opts[1]] == r.village_township[v]
        in_county = opts[level < CITY]
        assert (r.facility_county[in_county] == r.village_county[v]).all()
    minutes = np.where(r.options >= 0, r.option_minutes, np.nan)
    assert (np.nanmax(minutes, axis=1) == minutes[:, -1]).all()  # the city is farthest


def test_counties_of_a_region_share_the_city_hospitals(two_county_region):
    r = two_county_region
    cities = np.flatnonzero(r.facility_level == CITY)
    for county in range(r.n_counties):
        villages = np.flatnonzero(r.village_county == county)
        assert set(cities) <= set(r.options[villages].ravel())


def test_the_same_seed_builds_the_same_world_and_another_seed_another():
    a, b = build_world(SyntheticWorld(population=5000), 3), build_world(SyntheticWorld(population=5000), 3)
    c = build_world(SyntheticWorld(population=5000), 4)
    assert np.array_equal(a.option_minutes, b.option_minutes) and a.village_names == b.village_names
    assert not np.array_equal(a.village_population, c.village_population)


def test_remoteness_lengthens_every_trip():
    near = build_world(SyntheticWorld(population=5000), 3)
    far = build_world(SyntheticWorld(population=5000, remoteness=2.0), 3)
    assert np.allclose(far.option_minutes, 2 * near.option_minutes)


def test_a_county_laid_out_alone_keeps_its_villages_roads_and_share_of_the_city():
    config = SyntheticWorld(counties=3, population=6_000, townships=2)
    whole = build_world(config, seed=5)
    shares = []
    for county in range(3):
        alone = build_world(config, seed=5, county=county)
        mine = whole.village_county == county
        assert alone.county_names == [whole.county_names[county]] and alone.alone_of == county
        assert alone.village_names == [n for n, m in zip(whole.village_names, mine) if m]
        assert (alone.village_population == whole.village_population[mine]).all()
        # The same road times to every option, city hospitals included.
        assert np.allclose(alone.option_minutes, whole.option_minutes[mine])
        assert (alone.facility_level[alone.options] == whole.facility_level[whole.options[mine]]).all()
        shares.append(alone.city_share)
    assert whole.alone_of is None and whole.city_share == 1.0
    assert sum(shares) == pytest.approx(1.0)
    assert shares == pytest.approx(list(whole.county_population() / whole.population))


def test_a_county_alone_gets_its_share_of_city_capacity_but_the_whole_staff():
    config = SyntheticWorld(counties=40, population=400, townships=1, villages_per_township=(2, 3))
    whole = CountyModel(build_world(config, seed=2), ModelParameters(), seed=2).facilities
    alone_region = build_world(config, seed=2, county=7)
    alone = CountyModel(alone_region, ModelParameters(), seed=2).facilities
    city_w, city_a = whole.level == CITY, alone.level == CITY
    assert (alone.doctors[city_a] == whole.doctors[city_w]).all()  # all 300 city doctors, not 300 / 40
    share = alone_region.city_share
    assert 0 < share < 0.05
    assert alone.outpatient_capacity[city_a] == pytest.approx(whole.outpatient_capacity[city_w] * share)
    assert alone.admission_capacity[city_a] == pytest.approx(whole.admission_capacity[city_w] * share)
    # The county's own establishment is what it would be in the whole region.
    posts_w = FacilityState.create(build_world(config, seed=2), ModelParameters())
    posts_a = FacilityState.create(alone_region, ModelParameters())
    county = posts_a.level < CITY
    assert posts_a.posts[county] == pytest.approx(posts_w.posts[(posts_w.county == 7) & (posts_w.level < CITY)])


def test_townships_scale_with_population_unless_given():
    assert SyntheticWorld().township_count == 16  # 300,000 residents: the typical county
    assert SyntheticWorld(population=60_000).township_count == 3
    assert SyntheticWorld(population=20_000).township_count == 2  # a seat town and one more
    assert SyntheticWorld(population=60_000, townships=5).township_count == 5
    region = build_world(SyntheticWorld(population=60_000), seed=2)
    assert len(region.township_names) == 3


def test_an_implausible_structure_is_warned_about_not_refused(tmp_path):
    from typer.testing import CliRunner

    from ygt_abm.cli import app

    assert SyntheticWorld(population=60_000).implausible() == []
    crowded = SyntheticWorld(population=30_000, townships=16)
    assert "1,875 residents per township" in crowded.implausible()[0]
    path = tmp_path / "crowded.yaml"
    path.write_text("name: crowded\nseed: 1\nreplicates: 1\nyears: 1\n"
                    "world: {kind: synthetic, population: 30000, townships: 16}\nscenarios: [{name: baseline}]\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "warning: world: 16 townships for 30,000 residents" in result.output


def test_a_county_of_one_or_two_townships_and_fewer_than_5_replicates_are_warned_about(tmp_path):
    from typer.testing import CliRunner

    from ygt_abm.cli import app

    assert any("2 townships: the township indicators rest on one or two" in w
               for w in SyntheticWorld(population=20_000).implausible())
    path = tmp_path / "small.yaml"
    path.write_text("name: small\nseed: 1\nreplicates: 2\nyears: 1\n"
                    "world: {kind: synthetic, population: 20000}\nscenarios: [{name: baseline}]\n")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and "warning: world: 2 townships" in result.output
    assert "warning: replicates: 2: the 95% intervals" in result.output
    path.write_text(path.read_text().replace("replicates: 2", "replicates: 5").replace("20000", "60000"))
    assert "warning" not in CliRunner().invoke(app, ["validate", str(path)]).output
