"""A region: counties of villages and townships on a road graph, the facilities serving them, and the
travel time from every village to every facility its residents can choose.

Built once per run from a layout (synthetic or CSV); read-only afterwards. Residents of a county choose
among their own village clinic, their township's health centre, their county's hospitals and the
region's city hospitals (outside every county); other counties' facilities are not in their choice set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # networkx is imported where a region is built: checking a file needs no road graph
    import networkx as nx

from ygt_abm.vocabulary import CITY, COUNTY, TOWNSHIP, VILLAGE


@dataclass(frozen=True)
class Site:
    """A hospital at a place: name, coordinates in km, optional beds and doctors (NaN: use defaults)."""

    name: str
    x_km: float
    y_km: float
    beds: float = float("nan")
    doctors: float = float("nan")


@dataclass
class CountyLayout:
    """Where one county's villages, township health centres and county hospitals are."""

    name: str
    township_names: list[str]
    township_xy: np.ndarray  # (T, 2) km: position of each township health centre
    village_names: list[str]
    village_township: np.ndarray  # (V,) local township index
    village_population: np.ndarray  # (V,) residents
    village_xy: np.ndarray  # (V, 2) km
    county_hospitals: list[Site]
    township_beds: np.ndarray | None = None  # (T,) NaN: use defaults
    township_doctors: np.ndarray | None = None


@dataclass(frozen=True)
class Roads:
    """How fast people travel: speeds by road class, a detour factor and a remoteness multiplier."""

    village_road_kmh: float = 25.0
    county_road_kmh: float = 45.0
    highway_kmh: float = 70.0
    detour_factor: float = 1.3
    access_minutes: float = 5.0
    remoteness: float = 1.0

    def minutes(self, km: float, kmh: float) -> float:
        return km * self.detour_factor / kmh * 60.0 * self.remoteness


@dataclass
class Region:
    """Read-only geography of one simulated region (struct of arrays, indexable by id)."""

    graph: nx.Graph
    county_names: list[str]
    village_names: list[str]
    village_county: np.ndarray
    village_township: np.ndarray  # global township index
    village_population: np.ndarray
    township_names: list[str]
    township_county: np.ndarray
    facility_names: list[str]
    facility_level: np.ndarray  # int8, 0..3
    facility_county: np.ndarray  # -1 for city hospitals
    facility_township: np.ndarray  # -1 above township level
    facility_village: np.ndarray  # -1 above village level
    facility_beds: np.ndarray  # NaN: take the parameter default
    facility_doctors: np.ndarray  # NaN: take the parameter default
    options: np.ndarray  # (V, K) facility ids a village's residents can choose; -1 pads
    option_minutes: np.ndarray  # (V, K) road minutes; inf pads
    meta: dict = field(default_factory=dict)
    #: Set when one county of a larger region is laid out on its own (``build_region(..., alone=c)``):
    #: its index in that region, the region's county names, and its population's share of the city
    #: hospitals' capacity.
    alone_of: int | None = None
    region_county_names: list[str] | None = None
    city_share: float = 1.0

    @property
    def n_villages(self) -> int:
        return len(self.village_names)

    @property
    def n_facilities(self) -> int:
        return len(self.facility_names)

    @property
    def n_counties(self) -> int:
        return len(self.county_names)

    @property
    def population(self) -> int:
        return int(self.village_population.sum())

    def county_population(self) -> np.ndarray:
        return np.bincount(self.village_county, weights=self.village_population, minlength=self.n_counties)

    def village_xy(self) -> np.ndarray:
        """(V, 2) km: where each village lies (for maps)."""
        return np.array([[self.graph.nodes[("village", v)][k] for k in "xy"] for v in range(self.n_villages)])

    def facility_xy(self) -> np.ndarray:
        """(F, 2) km: where each facility stands: a village clinic in its village, a township health
        centre at its township seat, county hospitals at the county seat, city hospitals in their city."""
        nodes = self.graph.nodes
        xy = np.empty((self.n_facilities, 2))
        for f, level in enumerate(self.facility_level):
            if level == VILLAGE:
                node = ("village", int(self.facility_village[f]))
            elif level == TOWNSHIP:
                node = ("township", int(self.facility_township[f]))
            elif level == COUNTY:
                node = ("seat", int(self.facility_county[f]))
            else:
                node = ("city", int(f - np.flatnonzero(self.facility_level == CITY)[0]))
            xy[f] = nodes[node]["x"], nodes[node]["y"]
        return xy

    def share_within(self, minutes: float) -> float:
        """Share of residents whose nearest facility is within ``minutes`` (NHC: ≈90% within 15)."""
        nearest = np.nanmin(np.where(self.options >= 0, self.option_minutes, np.inf), axis=1)
        return float(self.village_population[nearest <= minutes].sum() / self.village_population.sum())


def build_region(counties: list[CountyLayout], cities: list[Site], roads: Roads, alone: int | None = None) -> Region:
    """Lay counties and city hospitals on one road graph and compute every village's choice set.

    ``alone=c`` lays out county ``c`` only, with the city hospitals it shares with the others (same
    places, same road times), of which it gets its population's share of beds and doctors: a county
    that can be run on its own, in parallel with the others (counties then no longer compete for city
    beds week by week, only in proportion)."""
    if not counties or not cities:
        raise ValueError("a region needs at least one county and one city hospital")
    if alone is not None:
        population = [layout.village_population.sum() for layout in counties]
        region = build_region([counties[alone]], cities, roads)
        region.alone_of = alone
        region.region_county_names = [layout.name for layout in counties]
        region.city_share = float(population[alone] / sum(population))
        return region
    import networkx as nx

    g = nx.Graph()
    for c, site in enumerate(cities):
        g.add_node(("city", c), kind="city", x=site.x_km, y=site.y_km, name=site.name)

    names: dict[str, list] = {k: [] for k in ("village", "township", "facility")}
    v_county, v_town, v_pop, t_county = [], [], [], []
    f_level, f_county, f_town, f_village, f_beds, f_docs = [], [], [], [], [], []

    def add_facility(name, level, county, town, village, beds=np.nan, docs=np.nan) -> int:
        names["facility"].append(name)
        for lst, val in ((f_level, level), (f_county, county), (f_town, town), (f_village, village),
                         (f_beds, beds), (f_docs, docs)):
            lst.append(val)
        return len(f_level) - 1

    per_village_targets = []  # (village id, [(facility id, node)])
    for ci, layout in enumerate(counties):
        seat = ("seat", ci)
        sx, sy = np.mean([[h.x_km, h.y_km] for h in layout.county_hospitals], axis=0)
        g.add_node(seat, kind="county_seat", x=float(sx), y=float(sy), name=layout.name, county=ci)
        for c in range(len(cities)):
            city = g.nodes[("city", c)]
            g.add_edge(seat, ("city", c), minutes=roads.minutes(_km(sx, sy, city["x"], city["y"]), roads.highway_kmh))
        hospital_ids = [add_facility(h.name, COUNTY, ci, -1, -1, h.beds, h.doctors)
                        for h in layout.county_hospitals]
        t0 = len(names["township"])
        txy = np.asarray(layout.township_xy, dtype=float)
        thc_ids = []
        for t, tname in enumerate(layout.township_names):
            node = ("township", t0 + t)
            g.add_node(node, kind="township", x=float(txy[t, 0]), y=float(txy[t, 1]), name=tname, county=ci)
            g.add_edge(node, seat, minutes=roads.minutes(_km(*txy[t], sx, sy), roads.county_road_kmh))
            names["township"].append(tname)
            t_county.append(ci)
            beds = layout.township_beds[t] if layout.township_beds is not None else np.nan
            docs = layout.township_doctors[t] if layout.township_doctors is not None else np.nan
            thc_ids.append(add_facility(f"{tname} township health centre", TOWNSHIP, ci, t0 + t, -1,
                                        beds, docs))
        # Townships are also linked to their two nearest neighbours, so routes need not pass the seat.
        for t in range(len(txy)):
            d = np.hypot(*(txy - txy[t]).T)
            for u in np.argsort(d)[1:3]:
                g.add_edge(("township", t0 + t), ("township", t0 + int(u)),
                           minutes=roads.minutes(float(d[u]), roads.county_road_kmh))
        vxy = np.asarray(layout.village_xy, dtype=float)
        for v, vname in enumerate(layout.village_names):
            vid = len(names["village"])
            t = int(layout.village_township[v])
            node = ("village", vid)
            g.add_node(node, kind="village", x=float(vxy[v, 0]), y=float(vxy[v, 1]), name=vname, county=ci,
                       population=int(layout.village_population[v]))
            g.add_edge(node, ("township", t0 + t),
                       minutes=roads.minutes(_km(*vxy[v], *txy[t]), roads.village_road_kmh))
            names["village"].append(vname)
            v_county.append(ci)
            v_town.append(t0 + t)
            v_pop.append(int(layout.village_population[v]))
            clinic = add_facility(f"{vname} village clinic", VILLAGE, ci, t0 + t, vid)
            targets = [(clinic, node), (thc_ids[t], ("township", t0 + t))]
            targets += [(h, seat) for h in hospital_ids]
            per_village_targets.append((vid, targets))

    city_ids = [add_facility(s.name, CITY, -1, -1, -1, s.beds, s.doctors) for s in cities]
    n_v = len(names["village"])
    width = max(len(t) for _, t in per_village_targets) + len(cities)
    options = np.full((n_v, width), -1, dtype=np.int32)
    minutes = np.full((n_v, width), np.inf, dtype=np.float64)

    # Shortest road times, one Dijkstra per destination: within its county's subgraph for county
    # facilities (a county's roads never run through another county), over the whole graph for cities.
    access = roads.access_minutes * roads.remoteness
    county_nodes: dict[int, list] = {}
    for node, data in g.nodes(data=True):
        if "county" in data:
            county_nodes.setdefault(data["county"], []).append(node)
    cache: dict = {}

    def time_to(node) -> dict:
        if node not in cache:
            county = g.nodes[node].get("county")
            graph = g if county is None else g.subgraph(county_nodes[county])
            cache[node] = nx.single_source_dijkstra_path_length(graph, node, weight="minutes")
        return cache[node]

    for vid, targets in per_village_targets:
        vnode = ("village", vid)
        row = targets + [(f, ("city", c)) for c, f in enumerate(city_ids)]
        for k, (fid, fnode) in enumerate(row):
            options[vid, k] = fid
            minutes[vid, k] = access + (0.0 if fnode == vnode else time_to(fnode)[vnode])

    return Region(
        graph=g,
        county_names=[c.name for c in counties],
        village_names=names["village"],
        village_county=np.asarray(v_county, dtype=np.int32),
        village_township=np.asarray(v_town, dtype=np.int32),
        village_population=np.asarray(v_pop, dtype=np.int64),
        township_names=names["township"],
        township_county=np.asarray(t_county, dtype=np.int32),
        facility_names=names["facility"],
        facility_level=np.asarray(f_level, dtype=np.int8),
        facility_county=np.asarray(f_county, dtype=np.int32),
        facility_township=np.asarray(f_town, dtype=np.int32),
        facility_village=np.asarray(f_village, dtype=np.int32),
        facility_beds=np.asarray(f_beds, dtype=np.float64),
        facility_doctors=np.asarray(f_docs, dtype=np.float64),
        options=options,
        option_minutes=minutes,
    )


def _km(x0: float, y0: float, x1: float, y1: float) -> float:
    return float(np.hypot(x1 - x0, y1 - y0))
