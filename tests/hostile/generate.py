"""Writes the committed corpus of hostile inputs (tests/hostile/): experiment files that mutate a good one,
copies of the example county with one file broken, and calibration target files. Every one must be refused
by `validate` and `run` with exit 2, a file:line problem, no traceback and no output
(tests/test_hostile_inputs.py). After adding a case:

    .venv/bin/python tests/hostile/generate.py
"""

import shutil
from importlib.resources import files
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOOD = """\
name: hostile
seed: 1
replicates: 2
years: 1
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
  - name: reform
    policy: anhui-2024
"""

WORLD = "world: {kind: synthetic, population: 3000, townships: 2"


def world(extra: str) -> str:
    """GOOD with ``extra`` settings of its world."""
    return GOOD.replace(WORLD + "}", f"{WORLD}, {extra}}}")


def other(spec: str) -> str:
    """GOOD with a third scenario of one intervention, ``spec``."""
    return GOOD + "  - name: other\n    interventions:\n      - " + spec + "\n"


#: (case, text replacing GOOD or bytes) for experiment files
EXPERIMENTS = {
    "yaml syntax": GOOD.replace("years: 1", "years: [1"),
    "tab indentation": GOOD.replace("  - name: baseline", "\t- name: baseline"),
    "boolean seed": GOOD.replace("seed: 1", "seed: true"),
    "boolean replicates": GOOD.replace("replicates: 2", "replicates: true"),
    "infinite road speed": GOOD.replace("townships: 2}", "townships: 2, highway_kmh: .inf}"),
    "nan beds": GOOD + "parameters:\n  facilities: {city_beds: .nan}\n",
    "negative replicates": GOOD.replace("replicates: 2", "replicates: -1"),
    "zero years": GOOD.replace("years: 1", "years: 0"),
    "unknown top-level key": GOOD + "replicate: 3\n",
    "misspelt parameter": GOOD + "parameters:\n  finance: {outpatient_reimbursment: {village: 0.9}}\n",
    "share above one": GOOD + "parameters:\n  finance: {outpatient_reimbursement: {village: 1.5}}\n",
    "unknown package": GOOD.replace("policy: anhui-2024", "policy: anhui-2042"),
    "unknown intervention": GOOD + "  - name: other\n    interventions:\n      - {type: gatekeping, source: x}\n",
    "intervention without source": GOOD + "  - name: other\n    interventions:\n      - {type: continuous_deductible}\n",
    "intervention aimed at an unknown county": GOOD + "  - name: other\n    interventions:\n"
                                               "      - {type: continuous_deductible, counties: [Nowhere], source: x}\n",
    "duplicate scenario": GOOD + "  - name: baseline\n",
    "reference not a scenario": GOOD + "reference: nobody\n",
    "sweep and samples": GOOD + "sweep: {finance.outpatient_reimbursement.village: [0.8]}\n"
                                "samples: {n: 2, bounds: {finance.outpatient_reimbursement.village: [0.7, 0.9]}}\n",
    "sweep of millions of runs": GOOD + "sweep:\n" + "".join(
        f"  finance.outpatient_reimbursement.{level}: [{', '.join(str(0.5 + i / 1000) for i in range(100))}]\n"
        for level in ("village", "township", "county")),
    "empty sweep": GOOD + "sweep: {finance.outpatient_reimbursement.village: []}\n",
    "not a mapping": "- just\n- a list\n",
    "empty file": "",
    "alias": GOOD + "parameters: &p {}\nx: *p\n",
    "deep brackets": "name: " + "[" * 5000 + "]" * 5000 + "\n",
    "latin-1": "name: café\n".encode("latin-1"),
    "utf-16": GOOD.encode("utf-16"),
    "control character": GOOD.replace("seed: 1", "seed: 1\x07"),
    "nul byte": GOOD.encode() + b"\x00",
    "csv world without files": GOOD.replace("world: {kind: synthetic, population: 3000, townships: 2}",
                                            "world: {kind: csv, counties: [{name: A, villages: v.csv, "
                                            "facilities: f.csv}], city_hospitals: c.csv}"),
    "zero population": GOOD.replace("population: 3000", "population: 0"),
    "population above five million": GOOD.replace("population: 3000", "population: 6000000"),
    "zero townships": GOOD.replace("townships: 2", "townships: 0"),
    "too many townships": GOOD.replace("townships: 2", "townships: 101"),
    "villages per township reversed": world("villages_per_township: [5, 2]"),
    "zero counties": world("counties: 0"),
    "four county hospitals": world("county_hospitals: 4"),
    "no city hospital": world("city_hospitals: 0"),
    "negative seed": GOOD.replace("seed: 1", "seed: -1"),
    "seed beyond 2^63": GOOD.replace("seed: 1", "seed: 9223372036854775808"),
    "too many years": GOOD.replace("years: 1", "years: 101"),
    "too many warm-up years": GOOD + "warmup_years: 21\n",
    "boolean warm-up years": GOOD + "warmup_years: true\n",
    "string years": GOOD.replace("years: 1", "years: '1'"),
    "float replicates": GOOD.replace("replicates: 2", "replicates: 2.5"),
    "uppercase scenario name": GOOD.replace("- name: reform", "- name: Reform"),
    "scenario name with a space": GOOD.replace("- name: reform", "- name: my reform"),
    "reserved variant separator": GOOD.replace("- name: reform", "- name: a--b"),
    "no scenarios": GOOD.split("scenarios:")[0] + "scenarios: []\n",
    "scenarios as a mapping": GOOD.split("scenarios:")[0] + "scenarios: {baseline: {}}\n",
    "misspelt scenario key": GOOD.replace("    policy: anhui-2024", "    polcy: anhui-2024"),
    "exclude unknown lever": GOOD + "    exclude: [gatekeping]\n",
    "only unknown lever": GOOD + "    only: [gatekeping]\n",
    "unknown override": GOOD + "    overrides: {finance: {nothing: 1}}\n",
    "negative price override": GOOD + "    overrides: {finance: {outpatient_price: {village: -5}}}\n",
    "intervention parameter out of range": other("{type: reserved_referral_slots, share: 2.0, source: x}"),
    "intervention start year zero": other("{type: continuous_deductible, start_year: 0, source: x}"),
    "intervention ends before it starts": other("{type: continuous_deductible, start_year: 3, end_year: 2, source: x}"),
    "intervention after the last year": other("{type: continuous_deductible, start_year: 50, source: 'a clause'}"),
    "intervention with an unknown parameter": other("{type: continuous_deductible, strength: 2, source: x}"),
    "intervention share as a string": other("{type: reserved_referral_slots, share: '30%', source: x}"),
    "intervention nan share": other("{type: reserved_referral_slots, share: .nan, source: x}"),
    "intervention unknown level": other("{type: reimbursement_gap, outpatient_change: {hospital: 0.1}, source: x}"),
    "interventions as a mapping": GOOD + "  - name: other\n    interventions: {type: continuous_deductible}\n",
    "zero samples": GOOD + "samples: {n: 0, bounds: {finance.outpatient_reimbursement.village: [0.7, 0.9]}}\n",
    "samples bounds reversed": GOOD + "samples: {n: 2, bounds: {finance.outpatient_reimbursement.village: [0.9, 0.7]}}\n",
    "samples unknown parameter": GOOD + "samples: {n: 2, bounds: {finance.nothing: [0.7, 0.9]}}\n",
    "samples unknown method": GOOD + "samples: {method: halton, n: 2, bounds: {finance.outpatient_reimbursement.village: [0.7, 0.9]}}\n",
    "sweep unknown parameter": GOOD + "sweep: {finance.nothing: [1, 2]}\n",
    "lever strength of an absent intervention": GOOD + "samples: {n: 2, bounds: {levers.no_such_lever.share: [0, 1]}}\n",
    "lever strength out of range": GOOD + "sweep: {levers.global_budget.retained_share: [1.5]}\n",
    "calibration of a lever strength": GOOD.split("  - name: reform")[0] + "calibration: {search: {levers.global_budget.retained_share: [0, 1]}}\n",
    "ensemble file missing": GOOD + "ensemble: no-such-ensemble.yaml\n",
    "ensemble with a sweep": GOOD + "ensemble: x.yaml\nsweep: {choice.usual_provider: [0.2, 0.4]}\n",
    "calibration unknown parameter": GOOD + "calibration: {search: {finance.nothing: [0.7, 0.9]}}\n",
    "calibration bound out of range": GOOD + "calibration: {search: {finance.outpatient_reimbursement.village: [0.7, 1.9]}}\n",
    "calibration with samples": GOOD + "calibration: {search: {choice.usual_provider: [0, 1]}}\n"
                                "samples: {n: 2, bounds: {finance.outpatient_reimbursement.village: [0.7, 0.9]}}\n",
    "calibration sampler unknown": GOOD + "calibration: {search: {choice.usual_provider: [0, 1]}, sampler: grid}\n",
    "sweep value of the wrong type": GOOD + "sweep: {finance.outpatient_reimbursement.village: [high]}\n",
    "sweep value out of range": GOOD + "sweep: {finance.outpatient_reimbursement.village: [1.5]}\n",
    "record episodes as text": GOOD + "record_episodes: sometimes\n",
    "name too long": GOOD.replace("name: hostile", "name: " + "x" * 65),
    "empty name": GOOD.replace("name: hostile", "name: ''"),
    "description as a list": GOOD + "description: [a, b]\n",
    "unknown world kind": GOOD.replace("kind: synthetic", "kind: magic"),
    "population as text": GOOD.replace("population: 3000", "population: 300k"),
    "duplicate key": GOOD + "seed: 2\n",
    "two documents": GOOD + "---\nname: second\n",
    "deep mappings": "name: " + "{k: " * 3000 + "1" + "}" * 3000 + "\n",
    "package path missing": GOOD.replace("policy: anhui-2024", "policy: missing.yaml"),
    "huge finite beds": GOOD + "parameters:\n  facilities: {city_beds: 1.0e308}\n",
    "percent text share": GOOD + "parameters:\n  finance: {outpatient_reimbursement: {village: 90%}}\n",
    "huge village population spread": world("village_population_sigma: 100"),
    "road faster than light": world("highway_kmh: 1e308"),
    "intervention for no county": other("{type: continuous_deductible, counties: [], source: 'a clause'}"),
    "calibration targets file missing": GOOD.split("  - name: reform")[0]
    + "calibration: {targets: no-such-targets.yaml, search: {choice.usual_provider: [0, 1]}}\n",
    "share as a list": GOOD + "parameters:\n  finance: {outpatient_reimbursement: {village: [0.9]}}\n",
    "parameters as a list": GOOD + "parameters: [1, 2]\n",
    "unknown parameter group": GOOD + "parameters: {fiance: {}}\n",
    "reference as a number": GOOD + "reference: 3\n",
}


def _cell(lines, row, column, value):
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode("utf-8")


#: (case, file of the example county, change to its lines → bytes)
COUNTY_FILES = {
    "missing column": ("villages.csv", lambda ls: ("\n".join(",".join(row.split(",")[:-1]) for row in ls) + "\n").encode()),
    "extra cell": ("villages.csv", lambda ls: ("\n".join(ls[:2] + [ls[2] + ",9"] + ls[3:]) + "\n").encode()),
    "duplicate village": ("villages.csv", lambda ls: ("\n".join(ls + [ls[1]]) + "\n").encode()),
    "non-numeric population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "many")),
    "negative population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "-5")),
    "fractional population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "10.5")),
    "huge population": ("villages.csv", lambda ls: _cell(ls, 2, "population", "999999999999")),
    "nan longitude": ("villages.csv", lambda ls: _cell(ls, 2, "longitude", "nan")),
    "latitude out of range": ("villages.csv", lambda ls: _cell(ls, 2, "latitude", "134.0")),
    "blank township": ("villages.csv", lambda ls: _cell(ls, 2, "township", "")),
    "empty villages file": ("villages.csv", lambda ls: b""),
    "header only": ("villages.csv", lambda ls: (ls[0] + "\n").encode()),
    "gbk encoding": ("villages.csv", lambda ls: ("\n".join(ls) + "\n").encode("gbk")),
    "unclosed quote": ("villages.csv", lambda ls: ("\n".join(ls[:2] + ['"' + ls[2]] + ls[3:]) + "\n").encode()),
    "unknown facility kind": ("facilities.csv", lambda ls: _cell(ls, 1, "kind", "clinic")),
    "negative beds": ("facilities.csv", lambda ls: _cell(ls, 1, "beds", "-3")),
    "infinite beds": ("facilities.csv", lambda ls: _cell(ls, 1, "beds", "inf")),
    "no county hospital": ("facilities.csv", lambda ls: ("\n".join(row for row in ls if "county_hospital" not in row)
                                                         + "\n").encode()),
    "township without a centre": ("facilities.csv", lambda ls: ("\n".join(ls[:2] + ls[3:]) + "\n").encode()),
    "wrong city-hospital kind": ("city_hospitals.csv", lambda ls: _cell(ls, 1, "kind", "county_hospital")),
    "duplicate facility": ("facilities.csv", lambda ls: ("\n".join(ls + [ls[1]]) + "\n").encode()),
    "facility in an unknown township": ("facilities.csv", lambda ls: _cell(ls, 1, "township", "丙镇")),
    "negative doctors": ("facilities.csv", lambda ls: _cell(ls, 1, "doctors", "-2")),
    "non-numeric doctors": ("facilities.csv", lambda ls: _cell(ls, 1, "doctors", "many")),
    "huge beds": ("facilities.csv", lambda ls: _cell(ls, 1, "beds", "1e12")),
    "city hospital among the county's facilities": ("facilities.csv", lambda ls: _cell(ls, 1, "kind", "city_hospital")),
    "empty facilities file": ("facilities.csv", lambda ls: b""),
    "longitude out of range": ("villages.csv", lambda ls: _cell(ls, 2, "longitude", "200")),
    "every village empty": ("villages.csv", lambda ls: "\n".join([ls[0]] + [
        ",".join(c if i != 2 else "0" for i, c in enumerate(row.split(","))) for row in ls[1:]]).encode() + b"\n"),
    "duplicate column": ("villages.csv", lambda ls: ("\n".join(row + "," + row.split(",")[2] for row in ls)
                                                     + "\n").encode()),
    "blank village name": ("villages.csv", lambda ls: _cell(ls, 2, "village", "")),
    "empty city hospitals file": ("city_hospitals.csv", lambda ls: b""),
    "huge city hospital": ("city_hospitals.csv", lambda ls: _cell(ls, 1, "beds", "1e15")),
    "village in the other hemisphere": ("villages.csv", lambda ls: _cell(
        ls, 2, "longitude", "-" + ls[2].split(",")[ls[0].split(",").index("longitude")])),
    "facility far from its villages": ("facilities.csv", lambda ls: _cell(ls, 1, "latitude", "5.0")),
    "two counties of one name": ("experiment.yaml", lambda ls: ("\n".join(
        sum(([row] + (ls[i - 2:i + 1] if row.strip().startswith("facilities:") else []) for i, row in enumerate(ls)),
            [])) + "\n").encode()),
}


GOOD_TARGETS = """\
calibration_targets:
  - name: visits per person per year
    indicator: visits_per_capita
    value: 6.4
    tolerance: 0.4
    source: national bulletins
    role: check
"""

#: (case, text) for calibration target files
TARGET_FILES = {
    "unknown indicator": GOOD_TARGETS.replace("indicator: visits_per_capita", "indicator: visits_per_capta"),
    "calibrated by nothing": GOOD_TARGETS.replace("role: check", "role: calibrated"),
    "no way to measure": GOOD_TARGETS.replace("    indicator: visits_per_capita\n", ""),
    "zero tolerance": GOOD_TARGETS.replace("tolerance: 0.4", "tolerance: 0"),
    "unknown role": GOOD_TARGETS.replace("role: check", "role: guess"),
    "elasticity without a level": GOOD_TARGETS.replace("    indicator: visits_per_capita\n",
                                                       "    measure: elasticity\n    kind: outpatient\n"),
    "empty target list": "calibration_targets: []\n",
    "misspelt key": GOOD_TARGETS.replace("tolerance:", "tolerence:"),
    "duplicate target name": GOOD_TARGETS + GOOD_TARGETS.split("\n", 1)[1],
    "empty of list": GOOD_TARGETS.replace("    role: check\n", "    role: check\n    of: []\n"),
    "unknown indicator in of": GOOD_TARGETS.replace("    role: check\n", "    role: check\n    of: [visits_per_capta]\n"),
}


def slug(case: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in case.lower()).strip("-")


def generate() -> dict[Path, bytes]:
    """Every file of the corpus: path → bytes."""
    corpus = {}
    for case, content in EXPERIMENTS.items():
        corpus[HERE / "experiments" / f"{slug(case)}.yaml"] = content if isinstance(content, bytes) else content.encode()
    for case, content in TARGET_FILES.items():
        corpus[HERE / "targets" / f"{slug(case)}.yaml"] = content.encode()
    county = Path(str(files("ygt_abm") / "data" / "example-county"))
    for case, (name, change) in COUNTY_FILES.items():
        for original in sorted(county.glob("*")):
            if original.suffix in (".csv", ".yaml"):
                data = original.read_bytes()
                if original.name == name:
                    data = change(data.decode("utf-8").splitlines())
                corpus[HERE / "counties" / slug(case) / original.name] = data
    return corpus


if __name__ == "__main__":
    for folder in ("experiments", "counties", "targets"):
        shutil.rmtree(HERE / folder, ignore_errors=True)
    corpus = generate()
    for path, data in corpus.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{len(corpus)} files")
