"""Writes the committed corpus of hostile inputs (tests/hostile/): experiment files that mutate a good one,
copies of the example county with one file broken, and calibration target files. Every one must be refused
by `validate` and `run` with exit 2, a file:line problem, no traceback and no output
(tests/test_hostile_inputs.py). After adding a case:

    .venv/bin/python tests/hostile/generate.py
"""

import json
import shutil
from importlib.resources import files
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: the corpus's folders, one per kind of input
KINDS = ("experiments", "counties", "targets", "ensembles", "evaluations", "packages", "commands")
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


# ---- command lines other than validate and run: tests/hostile/commands/<case>/ holds the case's input files
# and case.yaml, which names the command line (run in that folder), the exit status it must give and a
# regular expression its message must match. Nothing in the folder may change.

GOOD_TARGETS_CALIBRATED = GOOD_TARGETS.replace("    role: check\n", "    role: calibrated\n    by: the test\n")

GOOD_CAL = """\
name: hostile-calibration
seed: 1
replicates: 1
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
calibration:
  targets: targets.yaml
  search:
    choice.usual_provider: [0.2, 0.8]
  trials: 2
"""

GOOD_ABC = """\
name: hostile-estimation
seed: 1
replicates: 1
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
calibration:
  method: abc-smc
  search:
    providers.redirect_harm_yuan: [300, 3000]
  roles: []
  evaluations: training
  evaluations_file: evaluations.yaml
  population: 3000
  particles: 2
  generations: 1
"""

GOOD_EVALUATIONS = """\
evaluations:
  - id: hostile-gatekeeping
    set: training
    family: gatekeeping
    year: 2020
    citation: Author A (2020) a made-up evaluation
    setting: a made-up county
    design: did
    period: {pre: [2012, 2012], post: [2013, 2014]}
    treated:
      interventions:
        - {type: gatekeeping, from_level: county, reimbursement_cut: 0.6, source: 'a clause'}
    outcomes:
      - indicator: visits_per_capita
        effect: relative
        years: [1]
        estimate: 0.2
        band: [0.1, 0.4]
        band_basis: factor_two
        source: table 2
"""

GOOD_SENSITIVITY = """\
name: hostile-sensitivity
seed: 1
replicates: 1
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 2}
scenarios:
  - name: baseline
samples:
  method: morris
  n: 2
  bounds:
    choice.usual_provider: [0.2, 0.8]
    providers.redirect_harm_yuan: [300, 3000]
"""

GOOD_ENSEMBLE = """\
ensemble:
  - providers: {redirect_harm_yuan: 1000.0}
    choice: {usual_provider: 0.4}
  - providers: {redirect_harm_yuan: 2000.0}
    choice: {usual_provider: 0.6}
"""

ENSEMBLE_EXPERIMENT = GOOD.split("  - name: reform")[0] + "ensemble: ensemble.yaml\n"
OTHER_DIGEST = "0" * 64 + "\n"  # runs/config.sha256 of some other experiment
NOT_PARQUET = b"PAR1 not a parquet file"


def changing(good: str):
    """A function of (old, new): ``good`` with ``old`` replaced by ``new``; ``old`` must be in it, so that every
    case differs from the good file."""
    def change(old: str, new: str) -> str:
        assert old in good, old
        return good.replace(old, new)
    return change


cal, abc, evaluation = changing(GOOD_CAL), changing(GOOD_ABC), changing(GOOD_EVALUATIONS)
sens, ens = changing(GOOD_SENSITIVITY), changing(GOOD_ENSEMBLE)


AT = r":\d+: "  # a file:line: problem
CALIBRATE = ["calibrate", "experiment.yaml", "--out", "out", "--workers", "1"]
SENSITIVITY = ["sensitivity", "experiment.yaml", "--out", "out", "--workers", "1", "--no-figure"]
EVALUATIONS = ["evaluations", "--set", "training", "--file", "evaluations.yaml", "--out", "out", "--workers", "1",
               "--replicates", "2", "--population", "3000", "--warmup-years", "0"]
FIT = ["fit", "--worlds", "1", "--replicates", "1", "--years", "1", "--population", "3000", "--out", "out",
       "--workers", "1"]


def command(argv: list[str], exit: int, message: str, **files: str | bytes) -> dict:
    """A case: ``argv`` run in a folder of ``files`` (``a/b`` names a file in a subfolder) must exit with
    ``exit`` and print a line matching ``message``."""
    return {"argv": argv, "exit": exit, "message": message, "files": files}


def calibrate(text: str, message: str, exit: int = 2, argv: list[str] = CALIBRATE, **files: str | bytes) -> dict:
    """A calibration case: ``argv`` (the good command line if omitted) on experiment ``text`` beside good target
    and evaluations files."""
    return command(argv, exit, message, **{"experiment.yaml": text, "targets.yaml": GOOD_TARGETS_CALIBRATED,
                                           "evaluations.yaml": GOOD_EVALUATIONS, **files})


def sensitivity(text: str, message: str, exit: int = 2, **files: str | bytes) -> dict:
    return command(SENSITIVITY, exit, message, **{"experiment.yaml": text, **files})


def evaluations(text: str, message: str, *options: str, exit: int = 2, **files: str | bytes) -> dict:
    return command(EVALUATIONS + list(options), exit, message, **{"evaluations.yaml": text, **files})


#: (case, command) for command lines other than validate and run
COMMANDS = {
    # calibrate, method optuna
    "calibrate without a calibration section": calibrate(GOOD_CAL.split("calibration:")[0],
                                                         r"experiment\.yaml: no calibration section"),
    "calibrate unknown method": calibrate(cal("  targets:", "  method: bayes\n  targets:"), AT + r"calibration\.method"),
    "calibrate zero trials": calibrate(cal("trials: 2", "trials: 0"), AT + r"calibration\.trials"),
    "calibrate trials as text": calibrate(cal("trials: 2", "trials: many"), AT + r"calibration\.trials"),
    "calibrate trials beyond the limit": calibrate(cal("trials: 2", "trials: 1000000"), AT + r"calibration\.trials"),
    "calibrate empty search": calibrate(cal("  search:\n    choice.usual_provider: [0.2, 0.8]\n", "  search: {}\n"),
                                        AT + r"calibration\.search"),
    "calibrate search bounds reversed": calibrate(cal("[0.2, 0.8]", "[0.8, 0.2]"), AT + r"calibration\.search"),
    "calibrate search of one bound": calibrate(cal("[0.2, 0.8]", "[0.2]"), AT + r"calibration\.search"),
    "calibrate search bounds as text": calibrate(cal("[0.2, 0.8]", "[low, high]"), AT + r"calibration\.search"),
    "calibrate search unknown parameter": calibrate(cal("choice.usual_provider", "choice.usual_providr"),
                                                    AT + r"calibration\.search"),
    "calibrate search bound out of range": calibrate(cal("choice.usual_provider: [0.2, 0.8]",
                                                         "finance.outpatient_reimbursement.village: [0.7, 1.9]"),
                                                     AT + r"calibration\.search"),
    "calibrate integer parameter searched as a float": calibrate(cal("choice.usual_provider: [0.2, 0.8]",
                                                                     "choice.max_rounds: [1.5, 6.5]"),
                                                                 AT + r"calibration\.search"),
    "calibrate targets file missing": calibrate(cal("targets.yaml", "no-such-targets.yaml"),
                                                AT + r"calibration\.targets"),
    "calibrate targets file a folder": calibrate(cal("targets.yaml", "folder"), AT + r"calibration\.targets",
                                                 **{"folder/readme.txt": "a folder, not a target file\n"}),
    "calibrate no role": calibrate(cal("  trials: 2", "  roles: []\n  trials: 2"), AT + r"calibration\.roles"),
    "calibrate unknown role": calibrate(cal("  trials: 2", "  roles: [guess]\n  trials: 2"), AT + r"calibration\.roles"),
    "calibrate an estimation setting": calibrate(cal("  trials: 2", "  trials: 2\n  particles: 10"),
                                                 AT + r"calibration\.particles"),
    "calibrate unknown sampler": calibrate(cal("  trials: 2", "  trials: 2\n  sampler: grid"),
                                           AT + r"calibration\.sampler"),
    "calibrate storage as a list": calibrate(cal("  trials: 2", "  trials: 2\n  storage: [a, b]"),
                                             AT + r"calibration\.storage"),
    "calibrate storage of an unknown kind": calibrate(cal("  trials: 2", "  trials: 2\n  storage: nosuch://x"),
                                                      AT + r"calibration\.storage"),
    "calibrate with a sweep": calibrate(GOOD_CAL + "sweep: {finance.outpatient_reimbursement.village: [0.8, 0.9]}\n",
                                        AT + r"\(top level\)|" + AT + "calibration"),
    "calibrate two scenarios": calibrate(cal("  - name: baseline\n", "  - name: baseline\n  - name: other\n"),
                                         AT),
    "calibrate a scenario raising two prices": calibrate(cal(
        "  - name: baseline\n", "  - name: baseline\n  - name: dearer\n    interventions:\n      - {type: "
        "price_adjustment, outpatient_change: {village: 0.1, county: 0.1}, source: test}\n"), AT + r"calibration: .*dearer"),
    "calibrate a lever strength": calibrate(cal("choice.usual_provider", "levers.global_budget.retained_share"),
                                            AT + r"calibration\.search"),
    "calibrate unknown calibration key": calibrate(cal("  trials: 2", "  trials: 2\n  trails: 3"),
                                                   AT + r"calibration\.trails"),
    "calibrate calibration as a list": calibrate(GOOD_CAL.split("calibration:")[0] + "calibration: [a, b]\n",
                                                 AT + r"calibration"),
    "calibrate parallel unknown": calibrate(GOOD_CAL, r"--parallel everything",
                                            argv=CALIBRATE + ["--parallel", "everything"]),
    "calibrate parallel particles for optuna": calibrate(GOOD_CAL, r"--parallel particles",
                                                         argv=CALIBRATE + ["--parallel", "particles"]),
    "calibrate zero workers": calibrate(GOOD_CAL, r"--workers", argv=CALIBRATE[:-1] + ["0"]),
    "calibrate unreachable scheduler": calibrate(GOOD_CAL, r"garbage", argv=CALIBRATE + ["--scheduler", "garbage"]),
    "calibrate experiment missing": command(["calibrate", "no-such.yaml", "--out", "out"], 2, r"no-such\.yaml:0: file"),
    "calibrate out is a file": calibrate(GOOD_CAL, r"--out out", out="a file\n"),
    # calibrate, method abc-smc
    "estimate one particle": calibrate(abc("particles: 2", "particles: 1"), AT + r"calibration\.particles"),
    "estimate zero generations": calibrate(abc("generations: 1", "generations: 0"), AT + r"calibration\.generations"),
    "estimate quantile of one": calibrate(abc("generations: 1", "generations: 1\n  quantile: 1"),
                                          AT + r"calibration\.quantile"),
    "estimate quantile of zero": calibrate(abc("generations: 1", "generations: 1\n  quantile: 0"),
                                           AT + r"calibration\.quantile"),
    "estimate negative minimum epsilon": calibrate(abc("generations: 1", "generations: 1\n  min_epsilon: -1"),
                                                   AT + r"calibration\.min_epsilon"),
    "estimate zero draws": calibrate(abc("generations: 1", "generations: 1\n  draws: 0"), AT + r"calibration\.draws"),
    "estimate tiny population": calibrate(abc("population: 3000", "population: 50"), AT + r"calibration\.population"),
    "estimate log prior of an unsearched parameter": calibrate(abc("  roles: []", "  log: [providers.response_shape]\n"
                                                                   "  roles: []"), AT + r"calibration\.log"),
    "estimate log prior from zero": calibrate(abc("[300, 3000]", "[0, 3000]\n  log: [providers.redirect_harm_yuan]"),
                                              AT + r"calibration\.log"),
    "estimate the held-out set": calibrate(abc("evaluations: training", "evaluations: held-out"),
                                           AT + r"calibration\.evaluations"),
    "estimate nothing to fit": calibrate(abc("  evaluations: training\n", ""), AT + r"calibration"),
    "estimate an optuna setting": calibrate(abc("generations: 1", "generations: 1\n  trials: 3"),
                                            AT + r"calibration\.trials"),
    "estimate evaluations file missing": calibrate(abc("evaluations_file: evaluations.yaml",
                                                       "evaluations_file: no-such.yaml"),
                                                   AT + r"calibration\.evaluations_file"),
    "estimate evaluations file with a syntax error": calibrate(GOOD_ABC, r"evaluations\.yaml" + AT + "yaml",
                                                               **{"evaluations.yaml": GOOD_EVALUATIONS.replace(
                                                                   "years: [1]", "years: [1")}),
    "estimate evaluations file with an unknown indicator": calibrate(
        GOOD_ABC, r"evaluations\.yaml" + AT + r"evaluations\[0\]\.outcomes\[0\]\.indicator",
        **{"evaluations.yaml": evaluation("indicator: visits_per_capita", "indicator: visits_per_capta")}),
    "estimate evaluations file without training entries": calibrate(
        GOOD_ABC, AT + r"calibration|nothing to fit",
        **{"evaluations.yaml": evaluation("set: training", "set: held-out")}),
    "estimate parallel particles with zero workers": command(CALIBRATE[:-1] + ["0", "--parallel", "particles"], 2,
                                                             r"--workers", **{"experiment.yaml": GOOD_ABC,
                                                                              "evaluations.yaml": GOOD_EVALUATIONS}),
    # sensitivity
    "sensitivity without samples": sensitivity(GOOD_SENSITIVITY.split("samples:")[0],
                                               r"experiment\.yaml: samples\.method must be morris or saltelli"),
    "sensitivity of a latin hypercube": sensitivity(sens("method: morris", "method: latin_hypercube"),
                                                    r"samples\.method must be morris or saltelli"),
    "sensitivity odd morris levels": sensitivity(sens("  n: 2", "  n: 2\n  levels: 5"), AT + r"samples"),
    "sensitivity morris of one level": sensitivity(sens("  n: 2", "  n: 2\n  levels: 1"), AT + r"samples\.levels"),
    "sensitivity saltelli not a power of two": sensitivity(sens("method: morris\n  n: 2", "method: saltelli\n  n: 3"),
                                                           AT + r"samples"),
    "sensitivity morris of too many runs": sensitivity(sens("n: 2", "n: 100000"), AT + r"samples|runs"),
    "sensitivity saltelli of too many runs": sensitivity(sens("method: morris\n  n: 2", "method: saltelli\n  n: 65536"),
                                                         AT + r"samples|runs"),
    "sensitivity bounds reversed": sensitivity(sens("[0.2, 0.8]", "[0.8, 0.2]"), AT + r"samples\.bounds"),
    "sensitivity unknown parameter": sensitivity(sens("choice.usual_provider", "choice.usual_providr"),
                                                 AT + r"samples\.bounds"),
    "sensitivity bound out of range": sensitivity(sens("choice.usual_provider: [0.2, 0.8]",
                                                       "finance.outpatient_reimbursement.village: [0.7, 1.9]"),
                                                  AT + r"samples\.bounds"),
    "sensitivity of a sweep": sensitivity(GOOD_SENSITIVITY.split("samples:")[0]
                                          + "sweep: {choice.usual_provider: [0.2, 0.8]}\n",
                                          r"samples\.method must be morris or saltelli"),
    "sensitivity lever of an absent intervention": sensitivity(sens("choice.usual_provider",
                                                                    "levers.global_budget.retained_share"),
                                                               AT + r"samples\.bounds\.levers"),
    "sensitivity zero workers": command(SENSITIVITY[:-2] + ["0", "--no-figure"], 2, r"--workers",
                                        **{"experiment.yaml": GOOD_SENSITIVITY}),
    "sensitivity unreachable scheduler": command(SENSITIVITY + ["--scheduler", "garbage"], 2, r"garbage",
                                                 **{"experiment.yaml": GOOD_SENSITIVITY}),
    "sensitivity into another experiment's folder": sensitivity(
        GOOD_SENSITIVITY, r"out holds results of a different experiment configuration", exit=1,
        **{"out/runs/config.sha256": OTHER_DIGEST}),
    "sensitivity out is a file": sensitivity(GOOD_SENSITIVITY, r"--out out", **{"out": "a file\n"}),
    # evaluations
    "evaluations intervention after the recorded years": evaluations(
        evaluation("reimbursement_cut: 0.6, source", "reimbursement_cut: 0.6, start_year: 9, source"),
        r"^evaluations\.yaml:2: evaluations\[0\] as an experiment: .*start_year: starts in year 9"),
    "evaluations unknown set": command(["evaluations", "--set", "testing", "--out", "out"], 2, r"--set testing"),
    "evaluations file missing": command(["evaluations", "--file", "no-such.yaml", "--out", "out"], 2,
                                        r"--file no-such\.yaml"),
    "evaluations file a folder": command(["evaluations", "--file", "folder", "--out", "out"], 2, r"folder",
                                         **{"folder/readme.txt": "a folder\n"}),
    "evaluations unknown id": evaluations(GOOD_EVALUATIONS, r"--only hostile-gatekeepin", "--only",
                                          "hostile-gatekeepin"),
    "evaluations id of the other set": evaluations(GOOD_EVALUATIONS, r"--only hostile-gatekeeping", "--set",
                                                   "held-out", "--only", "hostile-gatekeeping"),
    "evaluations one replicate": evaluations(GOOD_EVALUATIONS, r"--replicates", "--replicates", "1"),
    "evaluations too many replicates": evaluations(GOOD_EVALUATIONS, r"--replicates", "--replicates", "20000"),
    "evaluations population above five million": evaluations(GOOD_EVALUATIONS, r"--population", "--population",
                                                             "100000000"),
    "evaluations tiny population": evaluations(GOOD_EVALUATIONS, r"--population", "--population", "10"),
    "evaluations too many warm-up years": evaluations(GOOD_EVALUATIONS, r"--warmup-years", "--warmup-years", "21"),
    "evaluations zero workers": evaluations(GOOD_EVALUATIONS, r"--workers", "--workers", "0"),
    "evaluations unreachable scheduler": evaluations(GOOD_EVALUATIONS, r"garbage", "--scheduler", "garbage"),
    "evaluations ensemble missing": evaluations(GOOD_EVALUATIONS, r"--ensemble no-such\.yaml", "--ensemble",
                                                "no-such.yaml"),
    "evaluations out is a file": evaluations(GOOD_EVALUATIONS, r"--out out", **{"out": "a file\n"}),
    # status
    "status of a missing folder": command(["status", "nowhere"], 2, r"nowhere: not a result folder"),
    "status of a file": command(["status", "afile"], 2, r"afile: not a result folder", afile="a file\n"),
    "status of a folder without runs": command(["status", "out"], 2, r"out: not a result folder",
                                               **{"out/readme.txt": "not results\n"}),
    "status with a garbage completion marker": command(["status", "out"], 1, r"out: incomplete",
                                                       **{"out/runs/config.sha256": OTHER_DIGEST,
                                                          "out/complete.json": "{garbage"}),
    "status with a list completion marker": command(["status", "out"], 1, r"out: incomplete",
                                                    **{"out/runs/config.sha256": OTHER_DIGEST,
                                                       "out/complete.json": "[1, 2]"}),
    "status with a marker of another configuration": command(
        ["status", "out"], 1, r"out: incomplete", **{"out/runs/config.sha256": OTHER_DIGEST,
                                                     "out/complete.json": '{"config_sha256": "1", "reports": []}'}),
    "status with a marker naming absent reports": command(
        ["status", "out"], 1, r"out: incomplete",
        **{"out/runs/config.sha256": OTHER_DIGEST,
           "out/complete.json": '{"config_sha256": "%s", "reports": ["summary.csv"]}' % OTHER_DIGEST.strip()}),
    "status with a marker that is a folder": command(["status", "out"], 1, r"out: incomplete",
                                                     **{"out/runs/config.sha256": OTHER_DIGEST,
                                                        "out/complete.json/readme.txt": "a folder\n"}),
    "status with a lock that is a folder": command(["status", "out"], 1, r"out: incomplete",
                                                   **{"out/runs/.lock/readme.txt": "a folder\n"}),
    "status with a stamp that is a folder": command(
        ["status", "out"], 1, r"out: incomplete",
        **{"out/runs/config.sha256/readme.txt": "a folder\n",
           "out/complete.json": '{"config_sha256": "1", "reports": []}'}),
    "status with a binary stamp": command(
        ["status", "out"], 1, r"out: incomplete",
        **{"out/runs/config.sha256": b"\xff\xfe\x00garbage",
           "out/complete.json": '{"config_sha256": "1", "reports": []}'}),
    # collect
    "collect without runs": command(["collect", "experiment.yaml", "--out", "out"], 1, r"out: no runs to collect",
                                    **{"experiment.yaml": GOOD}),
    "collect of a hostile experiment": command(["collect", "experiment.yaml", "--out", "out"], 2,
                                               r"experiment\.yaml" + AT + "seed",
                                               **{"experiment.yaml": GOOD.replace("seed: 1", "seed: -1")}),
    "collect into another experiment's folder": command(
        ["collect", "experiment.yaml", "--out", "out"], 1, r"out holds results of a different experiment",
        **{"experiment.yaml": GOOD, "out/runs/config.sha256": OTHER_DIGEST}),
    "collect with runs missing": command(["collect", "experiment.yaml", "--out", "out"], 1, r"runs have no result yet",
                                         **{"experiment.yaml": GOOD,
                                            "out/runs/baseline/base/rep-0000.parquet": NOT_PARQUET}),
    "collect a run file that is not parquet": command(
        ["collect", "experiment.yaml", "--out", "out"], 1, r"rep-0000\.parquet cannot be read",
        **{"experiment.yaml": GOOD.replace("replicates: 2", "replicates: 1").split("  - name: reform")[0],
           "out/runs/baseline/base/rep-0000.parquet": NOT_PARQUET}),
    "collect an empty run file": command(
        ["collect", "experiment.yaml", "--out", "out"], 1, r"rep-0000\.parquet cannot be read",
        **{"experiment.yaml": GOOD.replace("replicates: 2", "replicates: 1").split("  - name: reform")[0],
           "out/runs/baseline/base/rep-0000.parquet": b""}),
    # plot
    "plot unknown format": command(["plot", "experiment.yaml", "--out", "out", "--formats", "png,gif"], 2,
                                   r"--formats png,gif", **{"experiment.yaml": GOOD}),
    "plot no format": command(["plot", "experiment.yaml", "--out", "out", "--formats", ","], 2, r"--formats",
                              **{"experiment.yaml": GOOD}),
    "plot without results": command(["plot", "experiment.yaml", "--out", "out"], 1, r"out: no kpis\.parquet",
                                    **{"experiment.yaml": GOOD}),
    "plot of a hostile experiment": command(["plot", "experiment.yaml", "--out", "out"], 2,
                                            r"experiment\.yaml" + AT + "replicates",
                                            **{"experiment.yaml": GOOD.replace("replicates: 2", "replicates: 0")}),
    "plot another experiment's folder": command(
        ["plot", "experiment.yaml", "--out", "out"], 1, r"out holds results of a different experiment",
        **{"experiment.yaml": GOOD, "out/runs/config.sha256": OTHER_DIGEST, "out/kpis.parquet": NOT_PARQUET}),
    "plot a kpis file that is not parquet": command(["plot", "experiment.yaml", "--out", "out"], 1,
                                                    r"kpis\.parquet cannot be read",
                                                    **{"experiment.yaml": GOOD, "out/kpis.parquet": NOT_PARQUET}),
    "plot an empty kpis file": command(["plot", "experiment.yaml", "--out", "out"], 1, r"kpis\.parquet cannot be read",
                                       **{"experiment.yaml": GOOD, "out/kpis.parquet": b""}),
    "plot a kpis file that is a folder": command(["plot", "experiment.yaml", "--out", "out"], 1, r"kpis\.parquet",
                                                 **{"experiment.yaml": GOOD, "out/kpis.parquet/readme.txt": "a folder\n"}),
    # fit
    "fit zero population": command(FIT + ["--population", "0"], 2, r"--population"),
    "fit zero worlds": command(FIT + ["--worlds", "0"], 2, r"--worlds"),
    "fit zero replicates": command(FIT + ["--replicates", "0"], 2, r"--replicates"),
    "fit zero years": command(FIT + ["--years", "0"], 2, r"--years"),
    "fit too many replicates": command(FIT + ["--replicates", "20000"], 2, r"--replicates"),
    "fit too many years": command(FIT + ["--years", "101"], 2, r"--years"),
    "fit seed beyond 2^62": command(FIT + ["--seed", str(2**62 + 1)], 2, r"--seed"),
    "fit of too many runs": command(FIT + ["--worlds", "100000000"], 2, r"--worlds 100000000 × --replicates 1"),
    "fit negative seed": command(FIT + ["--seed", "-1"], 2, r"--seed"),
    "fit targets file missing": command(FIT + ["--targets", "no-such.yaml"], 2, r"no-such\.yaml:0: file"),
    "fit targets file with a syntax error": command(FIT + ["--targets", "targets.yaml"], 2, r"targets\.yaml" + AT + "yaml",
                                                    **{"targets.yaml": GOOD_TARGETS.replace("value: 6.4", "value: [6.4")}),
    "fit targets file that is an experiment": command(FIT + ["--targets", "targets.yaml"], 2, r"targets\.yaml" + AT,
                                                      **{"targets.yaml": GOOD}),
    "fit elasticities folder without its table": command(FIT + ["--elasticities", "elasticities"], 2,
                                                         r"--elasticities elasticities",
                                                         **{"elasticities/readme.txt": "no table\n"}),
    "fit elasticities table empty": command(FIT + ["--elasticities", "elasticities"], 2, r"elasticities\.csv",
                                            **{"elasticities/elasticities.csv": ""}),
    "fit elasticities table of the wrong columns": command(FIT + ["--elasticities", "elasticities"], 2,
                                                           r"elasticities\.csv",
                                                           **{"elasticities/elasticities.csv": "a,b\n1,2\n"}),
    "fit elasticities table not text": command(FIT + ["--elasticities", "elasticities"], 2, r"elasticities\.csv",
                                               **{"elasticities/elasticities.csv": b"\xff\xfe\x00\x01garbage"}),
    "fit out is a file": command(FIT, 2, r"--out out", out="a file\n"),
    "fit into another fit's folder": command(FIT, 1, r"holds results of a different",
                                             **{"out/world-0/runs/config.sha256": OTHER_DIGEST,
                                                "out/fit-world-0.yaml": "# another fit's world\n"}),
    # example-county, schema, paper
    "example-county into an existing folder": command(["example-county", "here"], 1, r"here already exists",
                                                      **{"here/readme.txt": "taken\n"}),
    "example-county onto a file": command(["example-county", "here"], 1, r"here already exists", here="a file\n"),
    "example-county under a file": command(["example-county", "afile/county"], 2, r"afile/county: cannot create it",
                                           afile="a file\n"),
    "schema into a folder": command(["schema", "-o", "folder"], 2, r"--output folder",
                                    **{"folder/readme.txt": "a folder\n"}),
    "schema under a file": command(["schema", "-o", "afile/schema.json"], 2, r"--output afile/schema\.json",
                                   afile="a file\n"),
    "paper without its manifest": command(["paper", "--source", "folder"], 2, r"--source folder|Typst",
                                          **{"folder/readme.txt": "no paper here\n"}),
    # run's options (its files are the other folders of the corpus)
    "run unreachable scheduler": command(["run", "experiment.yaml", "--out", "out", "--scheduler", "garbage"], 2,
                                         r"garbage", **{"experiment.yaml": GOOD}),
    "run shard out of range": command(["run", "experiment.yaml", "--out", "out", "--shard", "3/2"], 2, r"--shard 3/2",
                                      **{"experiment.yaml": GOOD}),
    "run shard not a fraction": command(["run", "experiment.yaml", "--out", "out", "--shard", "half"], 2, r"--shard",
                                        **{"experiment.yaml": GOOD}),
    "run into another experiment's folder": command(["run", "experiment.yaml", "--out", "out", "--workers", "1"], 1,
                                                    r"out holds results of a different experiment",
                                                    **{"experiment.yaml": GOOD, "out/runs/config.sha256": OTHER_DIGEST}),
    "ensemble of too many runs": command(["validate", "experiment.yaml"], 2, r"experiment\.yaml" + AT + "ensemble",
                                         **{"experiment.yaml": ENSEMBLE_EXPERIMENT.replace("replicates: 2",
                                                                                           "replicates: 1000"),
                                            "ensemble.yaml": "ensemble:\n" + "  - {}\n" * 201}),
    "run with a lock that is a folder": command(["run", "experiment.yaml", "--out", "out", "--workers", "1"], 1,
                                                r"out/runs/\.lock should be a file",
                                                **{"experiment.yaml": GOOD, "out/runs/.lock/readme.txt": "a folder\n"}),
    "run with runs that is a file": command(["run", "experiment.yaml", "--out", "out", "--workers", "1"], 1,
                                            r"out/runs should be a folder",
                                            **{"experiment.yaml": GOOD, "out/runs": "a file\n"}),
    "run with a completion marker that is a folder": command(
        ["run", "experiment.yaml", "--out", "out", "--workers", "1"], 1, r"out/complete\.json should be a file",
        **{"experiment.yaml": GOOD, "out/complete.json/readme.txt": "a folder\n"}),
    "run with a stamp that is a folder": command(["run", "experiment.yaml", "--out", "out", "--workers", "1"], 1,
                                                 r"out holds results of a different experiment",
                                                 **{"experiment.yaml": GOOD,
                                                    "out/runs/config.sha256/readme.txt": "a folder\n"}),
    "collect with a lock that is a folder": command(["collect", "experiment.yaml", "--out", "out"], 1,
                                                    r"out/runs/\.lock should be a file",
                                                    **{"experiment.yaml": GOOD, "out/runs/.lock/readme.txt": "a folder\n"}),
    "calibrate into a study file that is not a database": calibrate(GOOD_CAL, r"study\.db: not a study database",
                                                                   exit=1, **{"out/study.db": "not a database\n"}),
    "estimate into a history file that is not a database": calibrate(GOOD_ABC, r"abc\.db: not a history database",
                                                                     **{"out/abc.db": "not a database\n"}),
    "sensitivity with runs that is a file": sensitivity(GOOD_SENSITIVITY, r"out/runs should be a folder", exit=1,
                                                        **{"out/runs": "a file\n"}),
    "evaluations into another evaluation's folder": evaluations(
        GOOD_EVALUATIONS, r"out/recorded-1-years holds results of a different experiment", exit=1,
        **{"out/recorded-1-years/runs/config.sha256": OTHER_DIGEST}),
    "evaluations over an ensemble of too many runs": evaluations(
        GOOD_EVALUATIONS, r"runs; an experiment has at most", "--ensemble", "ensemble.yaml", "--replicates", "1000",
        **{"ensemble.yaml": "ensemble:\n" + "  - {}\n" * 101}),
    "fit with a world's runs that is a file": command(FIT, 1, r"out/world-0/runs should be a folder",
                                                      **{"out/world-0/runs": "a file\n"}),
    "validate a missing file": command(["validate", "no-such.yaml"], 2, r"no-such\.yaml:0: file"),
    "validate a folder": command(["validate", "folder"], 2, r"folder:0: file", **{"folder/readme.txt": "a folder\n"}),
}

#: (case, text) for ensemble files, each given to `validate` and `run` through an experiment that names it
#: and to `evaluations --ensemble`
ENSEMBLES = {
    "yaml syntax": ens("usual_provider: 0.4}", "usual_provider: [0.4}"),
    "duplicate key": ens("    choice: {usual_provider: 0.4}\n", "    choice: {usual_provider: 0.4}\n"
                         "    choice: {usual_provider: 0.5}\n"),
    "python tag": "ensemble:\n  - !!python/object/apply:os.system ['true']\n",
    "alias": "ensemble:\n  - &m {choice: {usual_provider: 0.4}}\n  - *m\n",
    "nested aliases": "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi")) + "ensemble: [*i]\n",
    "deep brackets": "ensemble: " + "[" * 5000 + "]" * 5000 + "\n",
    "empty file": "",
    "not a mapping": "- providers: {redirect_harm_yuan: 1000.0}\n",
    "empty list": "ensemble: []\n",
    "members not mappings": "ensemble: [1, 2]\n",
    "no ensemble key": "members:\n  - providers: {redirect_harm_yuan: 1000.0}\n",
    "unknown parameter group": ens("    choice: {usual_provider: 0.6}", "    choise: {usual_provider: 0.6}"),
    "unknown parameter": ens("    choice: {usual_provider: 0.6}", "    choice: {usual_providr: 0.6}"),
    "value out of range": ens("    choice: {usual_provider: 0.6}",
                              "    finance: {outpatient_reimbursement: {village: 1.6}}"),
    "value as text": ens("usual_provider: 0.6", "usual_provider: high"),
    "nan value": ens("usual_provider: 0.6", "usual_provider: .nan"),
    "latin-1": ens("2000.0}", "2000.0}  # café").encode("latin-1"),
    "nul byte": GOOD_ENSEMBLE.encode() + b"\x00",
    "two documents": GOOD_ENSEMBLE + "---\nensemble: []\n",
}

#: (case, text) for published-evaluation files, each given to `validate`, `run` and `evaluations --file`
EVALUATION_FILES = {
    "yaml syntax": evaluation("years: [1]", "years: [1"),
    "empty list": "evaluations: []\n",
    "unknown set": evaluation("set: training", "set: testing"),
    "unknown family": evaluation("family: gatekeeping", "family: magic"),
    "unknown design": evaluation("design: did", "design: anecdote"),
    "id with capitals": evaluation("id: hostile-gatekeeping", "id: Hostile-Gatekeeping"),
    "duplicate id": GOOD_EVALUATIONS + GOOD_EVALUATIONS.split("\n", 1)[1],
    "one publication in both sets": GOOD_EVALUATIONS + GOOD_EVALUATIONS.split("\n", 1)[1].replace(
        "id: hostile-gatekeeping", "id: hostile-again").replace("set: training", "set: held-out"),
    "unknown indicator": evaluation("indicator: visits_per_capita", "indicator: visits_per_capta"),
    "unknown indicator in of": evaluation("        effect:", "        of: [visits_per_capta]\n        effect:"),
    "band reversed": evaluation("band: [0.1, 0.4]", "band: [0.4, 0.1]"),
    "band against its basis": evaluation("band: [0.1, 0.4]", "band: [0.1, 0.9]"),
    "band open on both sides": evaluation("band: [0.1, 0.4]", "band: [null, null]"),
    "year zero in force": evaluation("years: [1]", "years: [0]"),
    "no years in force": evaluation("years: [1]", "years: []"),
    "p-value basis without p": evaluation("band_basis: factor_two", "band_basis: p_value"),
    "unknown intervention": evaluation("type: gatekeeping", "type: gatekeping"),
    "intervention without source": evaluation(", source: 'a clause'", ""),
    "unknown policy package": evaluation("    treated:\n      interventions:\n"
                                         "        - {type: gatekeeping, from_level: county, reimbursement_cut: 0.6, "
                                         "source: 'a clause'}\n", "    treated: {policy: anhui-2042}\n"),
    "treated is the control": evaluation("    treated:\n      interventions:\n"
                                         "        - {type: gatekeeping, from_level: county, reimbursement_cut: 0.6, "
                                         "source: 'a clause'}\n", ""),
    "intervention aimed at a county": evaluation("reimbursement_cut: 0.6, source", "reimbursement_cut: 0.6, "
                                                 "counties: [Nowhere], source"),
    "unknown override": evaluation("    outcomes:", "    overrides: {finance: {nothing: 1}}\n    outcomes:"),
    "override out of range": evaluation("    outcomes:", "    overrides: {finance: {outpatient_reimbursement: "
                                        "{village: 1.5}}}\n    outcomes:"),
    "misspelt key": evaluation("citation:", "citaton:"),
    "publication year out of range": evaluation("year: 2020", "year: 1850"),
    "duplicate key": evaluation("    design: did\n", "    design: did\n    design: rct\n"),
    "alias": evaluation("    period:", "    period: &p {pre: [2012, 2012], post: [2013, 2014]}\n    again: *p\n"
                        "    ignored:"),
}

GOOD_PACKAGE = """\
name: hostile-package
title: A made-up package
document: none
base_year: 2020
interventions:
  - type: global_budget
    start_year: 1
    source: a made-up clause
targets:
  - indicator: in_county_visit_rate
    value: 0.9
    year: 2022
    clause: a made-up clause
"""
package = changing(GOOD_PACKAGE)
PACKAGE_EXPERIMENT = GOOD.replace("policy: anhui-2024", "policy: package.yaml")

#: (case, text) for policy-package files, each named by an experiment given to `validate` and `run`, and
#: given to `validate` itself
PACKAGES = {
    "yaml syntax": package("value: 0.9", "value: [0.9"),
    "name with a space": package("name: hostile-package", "name: hostile package"),
    "no title": package("title: A made-up package\n", ""),
    "base year out of range": package("base_year: 2020", "base_year: 1900"),
    "unknown intervention": package("type: global_budget", "type: global_budgt"),
    "intervention without source": package("    source: a made-up clause\n", ""),
    "intervention parameter out of range": package("    start_year: 1\n", "    start_year: 1\n    overspend_share: 3\n"),
    "intervention unknown parameter": package("    start_year: 1\n", "    start_year: 1\n    strength: 3\n"),
    "intervention years backwards": package("    start_year: 1\n", "    start_year: 3\n    end_year: 2\n"),
    "interventions as a mapping": package("  - type: global_budget\n    start_year: 1\n    source: a made-up clause\n",
                                          "  type: global_budget\n"),
    "unknown comparison": package("    year: 2022", "    comparison: roughly\n    year: 2022"),
    "target year out of range": package("year: 2022", "year: 3000"),
    "target without clause": package("    clause: a made-up clause\n", ""),
    "misspelt key": package("base_year:", "base_yaer:"),
    "duplicate key": package("document: none\n", "document: none\ndocument: other\n"),
    "not utf-8": package("A made-up package", "A made-up café").encode("latin-1"),
}

GOOD_PAPER = """\
experiments:
  main:
    file: experiment.yaml
    quick: {replicates: 1}
map_experiment: main
fit_experiment: main
numbers:
  visits:
    table: main/summary.csv
    where: {metric: visits_per_capita, year: last}
"""
paper = changing(GOOD_PAPER)


def paper_case(text: str, message: str) -> dict:
    """``ygt-abm paper`` on a paper folder whose manifest is ``text``: refused before SOURCE/build is made."""
    return command(["paper", "--source", "paper", "--workers", "1"], 2, r"paper\.yaml" + AT + message,
                   **{"paper/paper.yaml": text, "paper/experiment.yaml": GOOD, "paper/paper.typ": "= A paper\n"})


PAPERS = {
    "paper manifest syntax": paper_case(paper("quick: {replicates: 1}", "quick: {replicates: 1"), "yaml"),
    "paper manifest without experiments": paper_case(paper(GOOD_PAPER.split("map_experiment")[0],
                                                           "experiments: {}\n"), "experiments"),
    "paper experiment file missing": paper_case(paper("file: experiment.yaml", "file: no-such.yaml"),
                                                r"experiments\.main\.file"),
    "paper map of an unknown experiment": paper_case(paper("map_experiment: main", "map_experiment: mian"),
                                                     "map_experiment"),
    "paper unknown key": paper_case(paper("map_experiment:", "map_experimnt: main\nmap_experiment:"),
                                    "map_experimnt"),
    "paper number of an unknown table folder": paper_case(paper("main/summary.csv", "other/summary.csv"),
                                                          r"numbers\.visits\.table"),
    "paper number with a bad format": paper_case(paper("year: last}", "year: last}\n    format: '%d'"),
                                                 r"numbers\.visits\.format"),
    "paper duplicate key": paper_case(paper("fit_experiment: main\n", "fit_experiment: main\nfit_experiment: x\n"),
                                      "yaml"),
    "paper manifest a list": paper_case("- main\n", ""),
    "paper with a hostile experiment": command(["paper", "--source", "paper", "--workers", "1"], 2,
                                               r"experiment\.yaml" + AT + "seed",
                                               **{"paper/paper.yaml": GOOD_PAPER, "paper/paper.typ": "= A paper\n",
                                                  "paper/experiment.yaml": GOOD.replace("seed: 1", "seed: -1")}),
    "paper unreachable scheduler": command(["paper", "--source", "paper", "--scheduler", "garbage"], 2, "garbage",
                                           **{"paper/paper.yaml": GOOD_PAPER, "paper/experiment.yaml": GOOD,
                                              "paper/paper.typ": "= A paper\n"}),
}
COMMANDS.update(PAPERS)
#: calibrate and fit read their target file, and an estimation its evaluations file, before making --out: every
#: hostile target and evaluations file, given to them
COMMANDS.update({f"calibrate targets: {case}": calibrate(GOOD_CAL, r"targets\.yaml" + AT, **{"targets.yaml": text})
                 for case, text in TARGET_FILES.items()})
COMMANDS.update({f"fit targets: {case}": command(FIT + ["--targets", "targets.yaml"], 2, r"targets\.yaml" + AT,
                                                 **{"targets.yaml": text}) for case, text in TARGET_FILES.items()})
COMMANDS.update({f"estimate evaluations: {case}": calibrate(GOOD_ABC, r"evaluations\.yaml" + AT,
                                                            **{"evaluations.yaml": text})
                 for case, text in EVALUATION_FILES.items()})


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
    for case, text in ENSEMBLES.items():
        folder = HERE / "ensembles" / slug(case)
        corpus[folder / "ensemble.yaml"] = text if isinstance(text, bytes) else text.encode()
        corpus[folder / "experiment.yaml"] = ENSEMBLE_EXPERIMENT.encode()
        corpus[folder / "evaluations.yaml"] = GOOD_EVALUATIONS.encode()
    for case, text in EVALUATION_FILES.items():
        corpus[HERE / "evaluations" / f"{slug(case)}.yaml"] = text.encode()
    for case, text in PACKAGES.items():
        folder = HERE / "packages" / slug(case)
        corpus[folder / "package.yaml"] = text if isinstance(text, bytes) else text.encode()
        corpus[folder / "experiment.yaml"] = PACKAGE_EXPERIMENT.encode()
    for case, spec in COMMANDS.items():
        folder = HERE / "commands" / slug(case)
        corpus[folder / "case.yaml"] = (f"# {case}\nargv: {json.dumps(spec['argv'])}\nexit: {spec['exit']}\n"
                                        f"message: {json.dumps(spec['message'])}\n").encode()
        for name, content in spec["files"].items():
            corpus[folder / name] = content if isinstance(content, bytes) else content.encode()
    return corpus


if __name__ == "__main__":
    for folder in KINDS:
        shutil.rmtree(HERE / folder, ignore_errors=True)
    corpus = generate()
    for path, data in corpus.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{len(corpus)} files")
