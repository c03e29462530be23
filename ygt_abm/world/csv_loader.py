"""Real counties from CSV files: villages, their township health centres and county hospitals, plus the
city hospitals the counties share.

The files are hand-made or exported from spreadsheets, so every bad cell is reported as
``file:line: column: what was expected`` and all problems in all files are reported at once. The stdlib
``csv`` module is used (not pandas) so that line numbers are exact.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ygt_abm.config.experiment import CsvCounty, CsvWorld
from ygt_abm.config.files import MAX_TABLE_BYTES, ConfigError, Problem, require_regular_file
from ygt_abm.world.geography import CountyLayout, Region, Roads, Site, build_region
from ygt_abm.vocabulary import TOWNSHIP

EARTH_RADIUS_KM = 6371.0
VILLAGE_COLUMNS = ("village", "township", "population", "longitude", "latitude")
FACILITY_COLUMNS = ("facility", "kind", "township", "longitude", "latitude")
COUNTY_KINDS = ("township_health_centre", "county_hospital")
#: residents of one village at most: administrative villages have hundreds to a few thousand (bulletins); a
#: larger number is a typing error (a bound, not a statistic)
MAX_VILLAGE_POPULATION = 100_000
#: beds or doctors of one facility at most: the largest hospitals have about ten thousand beds (bounds, not
#: statistics: a larger number is a typing error)
MAX_FACILITY_COUNT = {"beds": 200_000, "doctors": 100_000}


@dataclass(frozen=True)
class _Village:
    line: int
    name: str
    township: str
    population: int
    lon: float
    lat: float


@dataclass(frozen=True)
class _Facility:
    line: int
    name: str
    kind: str
    township: str
    lon: float
    lat: float
    beds: float
    doctors: float


def load_csv_region(world: CsvWorld, alone: int | None = None) -> Region:
    """Build the region described by ``world``'s CSV files; raise ``ConfigError`` listing every problem.
    ``alone``: county ``alone`` of that region on its own (see ``build_region``)."""
    problems: list[Problem] = []
    counties = [_read_county(county, problems) for county in world.counties]
    cities = _read_facilities(world.city_hospitals, ("city_hospital",), problems, township_required=False)
    if problems:
        raise ConfigError(problems)

    # One plane for all counties and cities, so distances between them (county seat → city) are right.
    points = [(p.lon, p.lat) for villages, facilities in counties for p in [*villages, *facilities]]
    points += [(c.lon, c.lat) for c in cities]
    lon0, lat0 = np.mean(points, axis=0)

    def xy(p: _Village | _Facility) -> tuple[float, float]:
        return (EARTH_RADIUS_KM * math.radians(p.lon - lon0) * math.cos(math.radians(lat0)),
                EARTH_RADIUS_KM * math.radians(p.lat - lat0))

    def site(f: _Facility) -> Site:
        return Site(f.name, *xy(f), beds=f.beds, doctors=f.doctors)

    layouts, thc_names = [], []
    for config, (villages, facilities) in zip(world.counties, counties):
        town_index = {t: i for i, t in enumerate(dict.fromkeys(v.township for v in villages))}  # first appearance
        towns = list(town_index)
        thc = {f.township: f for f in facilities if f.kind == "township_health_centre"}
        thcs = [thc[t] for t in towns]
        thc_names.append([f.name for f in thcs])
        layouts.append(CountyLayout(
            name=config.name,
            township_names=towns,
            township_xy=np.array([xy(f) for f in thcs], dtype=float),
            village_names=[v.name for v in villages],
            village_township=np.array([town_index[v.township] for v in villages], dtype=np.int32),
            village_population=np.array([v.population for v in villages], dtype=np.int64),
            village_xy=np.array([xy(v) for v in villages], dtype=float),
            county_hospitals=[site(f) for f in facilities if f.kind == "county_hospital"],
            township_beds=np.array([f.beds for f in thcs], dtype=float),
            township_doctors=np.array([f.doctors for f in thcs], dtype=float),
        ))
    roads = Roads(world.village_road_kmh, world.county_road_kmh, world.highway_kmh, world.detour_factor,
                  world.access_minutes, remoteness=1.0)
    region = build_region(layouts, [site(c) for c in cities], roads, alone)
    # build_region names health centres after their township; keep the names the files give instead.
    names = thc_names[alone] if alone is not None else [name for county in thc_names for name in county]
    for fid in np.flatnonzero(region.facility_level == TOWNSHIP):
        region.facility_names[fid] = names[region.facility_township[fid]]
    region.meta["source"] = "csv"
    region.meta["projection"] = {"kind": "equirectangular", "lon0": float(lon0), "lat0": float(lat0)}
    return region


def _read_county(county: CsvCounty, problems: list[Problem]) -> tuple[list[_Village], list[_Facility]]:
    """A county's villages and facilities, checked against each other (every township has one health
    centre; every health centre serves a township that has villages; at least one county hospital)."""
    villages = _read_villages(county.villages, problems)
    facilities = _read_facilities(county.facilities, COUNTY_KINDS, problems, township_required=True)
    vfile, ffile = str(county.villages), str(county.facilities)
    first_line: dict[str, int] = {}
    for v in villages or []:
        first_line.setdefault(v.township, v.line)
    if villages and not any(v.population for v in villages):
        problems.append(Problem(vfile, villages[0].line, "population", "every village has 0 residents: expected "
                                "a county with residents"))

    problems += _far_away(villages or [], vfile, "village") + _far_away(
        [f for f in facilities or []], ffile, "facility", centre=_middle(villages or []))

    thc_line: dict[str, int] = {}
    for f in facilities or []:
        if f.kind != "township_health_centre" or not f.township:  # a blank township is already reported
            continue
        if villages is not None and f.township not in first_line:
            problems.append(Problem(ffile, f.line, "township",
                                    f"expected a township of {vfile}, got '{f.township}' (no village lies in it)"))
        elif f.township in thc_line:
            problems.append(Problem(ffile, f.line, "township", f"township '{f.township}' already has a "
                                    f"township health centre on line {thc_line[f.township]}"))
        else:
            thc_line[f.township] = f.line
    if facilities:
        kinds = {f.kind for f in facilities}
        if "county_hospital" not in kinds and kinds <= set(COUNTY_KINDS):  # a misspelt kind may be the hospital
            problems.append(Problem(ffile, 1, "kind", "expected at least one county_hospital row"))
        for town, line in first_line.items():
            if town and town not in thc_line:
                problems.append(Problem(vfile, line, "township",
                                        f"township '{town}' has no township_health_centre row in {ffile}"))
    return villages or [], facilities or []


#: no village or facility of a county lies further than this from the middle of its villages: the largest
#: county-level divisions span a few hundred kilometres; a point beyond is a typing error (a sign, a swap)
MAX_COUNTY_KM = 500.0


def _middle(places: list) -> tuple[float, float] | None:
    """The median longitude and latitude of ``places`` (robust to the one mistyped point being looked for)."""
    if not places:
        return None
    return float(np.median([p.lon for p in places])), float(np.median([p.lat for p in places]))


def _far_away(places: list, file: str, what: str, centre: tuple[float, float] | None = None) -> list[Problem]:
    """A problem for each of ``places`` further than ``MAX_COUNTY_KM`` from ``centre`` (default: their middle);
    coordinates out of range are reported where they are read, and left out here."""
    places = [p for p in places if abs(p.lon) <= 180 and abs(p.lat) <= 90]  # NaN fails both: left out too
    centre = centre or _middle(places)
    if centre is None:
        return []
    lon0, lat0 = np.radians(centre)
    found = []
    for p in places:
        lon, lat = np.radians((p.lon, p.lat))
        cos = np.sin(lat0) * np.sin(lat) + np.cos(lat0) * np.cos(lat) * np.cos(lon - lon0)
        km = EARTH_RADIUS_KM * float(np.arccos(np.clip(cos, -1.0, 1.0)))
        if km > MAX_COUNTY_KM:
            found.append(Problem(file, p.line, "longitude, latitude", f"{what} '{p.name}' lies {km:,.0f} km from the middle of "
                                 f"the county's villages (at most {MAX_COUNTY_KM:,.0f}): check its longitude and "
                                 "latitude"))
    return found


def _read_villages(path: Path, problems: list[Problem]) -> list[_Village] | None:
    rows = _read_rows(path, VILLAGE_COLUMNS, problems)
    if rows is None:
        return None
    file, out, seen = str(path), [], {}
    for line, row in rows:
        cell = _Cells(file, line, row, problems)
        name = cell.name("village")
        if name and name in seen:
            problems.append(Problem(file, line, "village", f"duplicate village '{name}' (first on line {seen[name]})"))
        seen.setdefault(name, line)
        out.append(_Village(line, name, cell.name("township"), cell.population("population"), *cell.lon_lat()))
    return out


def _read_facilities(path: Path, kinds: tuple[str, ...], problems: list[Problem],
                     township_required: bool) -> list[_Facility] | None:
    """Facility rows whose ``kind`` is one of ``kinds``. ``township`` is required only of health centres."""
    columns = FACILITY_COLUMNS if township_required else tuple(c for c in FACILITY_COLUMNS if c != "township")
    rows = _read_rows(path, columns, problems)
    if rows is None:
        return None
    file, out = str(path), []
    for line, row in rows:
        cell = _Cells(file, line, row, problems)
        name = cell.name("facility")
        kind = row["kind"]
        if kind not in kinds:
            expected = " or ".join(kinds)
            hint = {"village_clinic": " (village clinics are implicit: one per village)",
                    "city_hospital": " (city hospitals belong in the world's city_hospitals file)"}.get(kind, "")
            problems.append(Problem(file, line, "kind", f"expected {expected}, got '{kind}'{hint}"))
        town = cell.name("township") if kind == "township_health_centre" else row.get("township", "")
        out.append(_Facility(line, name, kind, town, *cell.lon_lat(),
                             beds=cell.optional_count("beds"), doctors=cell.optional_count("doctors")))
    return out


def _read_rows(path: Path, required: tuple[str, ...],
               problems: list[Problem]) -> list[tuple[int, dict[str, str]]] | None:
    """(line, stripped cells by column) of every non-blank data row, or None if the file is unusable."""
    file = str(path)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        require_regular_file(path, MAX_TABLE_BYTES)
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f, strict=True)  # an unclosed quote is an error, not one huge cell
            for cells in reader:
                line, previous = previous + 1, reader.line_num  # a quoted cell may span lines: report its first
                if header is None:
                    header = [c.strip() for c in cells]
                elif any(c.strip() for c in cells):
                    rows.append((line, cells))
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, 0, "file", f"not UTF-8 text (in a spreadsheet, save as 'CSV UTF-8'): {exc}"))
        return None
    except OSError as exc:
        problems.append(Problem(file, 0, "file", f"cannot read: {exc.strerror or exc}"))
        return None
    except csv.Error as exc:
        problems.append(Problem(file, previous + 1, "file", f"malformed CSV: {exc}"))
        return None
    if header is None:
        problems.append(Problem(file, 1, "file", f"empty file: expected a header row ({', '.join(required)})"))
        return None
    bad = False
    for column in required:
        if column not in header:
            problems.append(Problem(file, 1, column, "missing column"))
            bad = True
    for column in dict.fromkeys(c for c in header if c and header.count(c) > 1):
        problems.append(Problem(file, 1, column, "duplicate column"))
        bad = True
    if not rows:
        problems.append(Problem(file, 1, "file", "no data rows"))
        return None
    if bad:
        return None
    out = []
    for line, cells in rows:
        if any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(file, line, "row", f"{len(cells)} cells but the header has {len(header)} "
                                    "(a comma inside a cell needs quotes)"))
        out.append((line, {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header) if col}))
    return out


class _Cells:
    """One data row's cells, parsed and checked; a bad cell becomes a problem and a placeholder value
    (the placeholder is never used: any problem stops the load before the region is built)."""

    def __init__(self, file: str, line: int, row: dict[str, str], problems: list[Problem]) -> None:
        self.file, self.line, self.row, self.problems = file, line, row, problems

    def _bad(self, column: str, expected: str) -> None:
        text = self.row.get(column, "")
        self.problems.append(Problem(self.file, self.line, column, f"expected {expected}, got "
                                     + (f"'{text}'" if text else "blank")))

    def name(self, column: str) -> str:
        if not self.row[column]:
            self._bad(column, "a name")
        return self.row[column]

    def population(self, column: str) -> int:
        if re.fullmatch(r"[0-9]+", self.row[column]) and int(self.row[column]) <= MAX_VILLAGE_POPULATION:
            return int(self.row[column])
        self._bad(column, f"a non-negative integer (at most {MAX_VILLAGE_POPULATION:,})")
        return 0

    def _number(self, column: str, low: float, high: float) -> float | None:
        try:
            value = float(self.row[column])
        except ValueError:
            return None
        return value if low <= value <= high else None  # also rejects nan; inf only if a bound is inf

    def lon_lat(self) -> tuple[float, float]:
        lon = self._number("longitude", -180.0, 180.0)
        lat = self._number("latitude", -90.0, 90.0)
        if lon is None:
            self._bad("longitude", "a longitude in [-180, 180]")
        if lat is None:
            self._bad("latitude", "a latitude in [-90, 90]")
        return (math.nan if lon is None else lon), (math.nan if lat is None else lat)  # reported: kept out of checks

    def optional_count(self, column: str) -> float:
        """Beds or doctors: NaN (use the parameter default) when the column or cell is blank."""
        if not self.row.get(column):
            return float("nan")
        value = self._number(column, 0.0, MAX_FACILITY_COUNT[column])
        if value is None:
            self._bad(column, f"a non-negative number (at most {MAX_FACILITY_COUNT[column]:,}) or blank")
            return float("nan")
        return value
