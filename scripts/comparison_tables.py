"""The tables of docs/policies.md "Results", from a finished province comparison's result folder
(experiments/province-comparison-quick.yaml, or the paper's comparison): the last year's means by package,
the paired differences of three indicators, backflow, and target attainment, as Markdown. With --csv, the
last year's summary rows are saved too (docs/measurements/), so every number in the tables has its file.

    .venv/bin/python scripts/comparison_tables.py results/province-comparison-quick [--csv FILE]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from ygt_abm.vocabulary import target_words

ABBREVIATIONS = {"guangdong-2022": "GD 2022", "henan-xuchang-2020": "XC 2020", "zhejiang-2026": "ZJ 2026",
                 "anhui-2024": "AH 2024", "hunan-nanxian-2024": "NanX 2024"}
#: (metric, row label, format)
MEANS = [
    ("primary_care_visit_share", "primary-care share of all visits", ".3f"),
    ("primary_care_share_of_in_county_visits", "primary-care share of in-county visits", ".3f"),
    ("in_county_visit_rate", "in-county visit rate", ".3f"),
    ("in_county_inpatient_share", "in-county inpatient share", ".3f"),
    ("primary_care_fund_share", "primary-care share of the fund", ".3f"),
    ("primary_care_share_of_in_county_fund", "primary-care share of in-county fund spending", ".3f"),
    ("admissions_per_capita", "admissions per person", ".3f"),
    ("admitted_patients_per_capita", "admitted patients per person", ".3f"),
    ("township_admission_share", "township centres' share of admissions", ".3f"),
    ("township_capability_standard_share", "township centres meeting the capability standard", ".3f"),
    ("charges_per_admission_county", "county-hospital charges per admission, yuan", ",.0f"),
    ("failed_care_kept", "failed care kept in place (留治), a year", ",.0f"),
    ("referrals_down", "recoveries referred down (下转), a year", ",.0f"),
    ("chronic_managed_rate", "chronic standardized management", ".3f"),
    ("village_doctors", "village doctors", ",.0f"),
    ("oop_per_episode", "out of pocket per episode, yuan", ",.0f"),
    ("fund_spending_per_enrollee", "fund spending per enrollee, yuan", ",.0f"),
    ("fund_balance_per_capita", "fund balance per resident, yuan", "+,.0f"),
]
DIFFERENCES = [("primary_care_visit_share", "primary-care share of all visits"),
               ("in_county_inpatient_share", "in-county inpatient share"),
               ("admissions_per_capita", "admissions per person")]


def _short(scenario: str) -> str:
    """A package's row label: GD, XC, ZJ, AH, NanX."""
    return ABBREVIATIONS.get(scenario, scenario).split()[0]


def _signed(x: float) -> str:
    return f"{x:+.3f}".replace("-", "−")


def tables(folder: Path) -> tuple[str, pd.DataFrame]:
    summary = pd.read_csv(folder / "summary.csv")
    last = summary[summary["year"] == summary["year"].max()]
    if last["point"].nunique() > 1 or last["county"].nunique() > 1:
        raise SystemExit(f"{folder}: one point and one county expected (a comparison of packages)")
    differences = pd.read_csv(folder / "paired_differences.csv")
    reference = differences["reference"].iloc[0]
    scenarios = [reference] + [s for s in dict.fromkeys(last["scenario"]) if s != reference]
    names = [ABBREVIATIONS.get(s, s) for s in scenarios]
    means = last.pivot_table(index="metric", columns="scenario", values="mean")
    out = [f"Year {int(last['year'].max())} means across replicates:", "",
           "| indicator | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for metric, label, spec in MEANS:
        out.append(f"| {label} | " + " | ".join(format(means.at[metric, s], spec) for s in scenarios) + " |")
    final = differences[differences["year"] == differences["year"].max()].set_index(["scenario", "metric"])
    out += ["", "Paired differences from the baseline in the last year (95% intervals):", "",
            "| | " + " | ".join(label for _, label in DIFFERENCES) + " |", "|---" * (len(DIFFERENCES) + 1) + "|"]
    for scenario in scenarios[1:]:
        cells = [f"{_signed(final.at[(scenario, m), 'mean'])} [{_signed(final.at[(scenario, m), 'ci_low'])}, "
                 f"{_signed(final.at[(scenario, m), 'ci_high'])}]" for m, _ in DIFFERENCES]
        out.append(f"| {_short(scenario)} | " + " | ".join(cells) + " |")
    backflow = pd.read_csv(folder / "backflow_summary.csv")
    first, final_year = backflow["year"].min(), backflow["year"].max()
    out += ["", "| | moved down, year 1 | moved down, last year | moved up, last year |", "|---|---|---|---|"]
    for scenario in scenarios[1:]:
        rows = backflow[backflow["scenario"] == scenario].set_index(["measure", "year"])["mean"]
        out.append(f"| {_short(scenario)} | {rows[('moved_down', first)]:,.0f} | "
                   f"{rows[('moved_down', final_year)]:,.0f} | {rows[('moved_up', final_year)]:,.0f} |")
    attainment = pd.read_csv(folder / "attainment.csv")
    out += ["", "| package | target | probability | mean then | baseline's probability | baseline then |",
            "|---|---|---|---|---|---|"]
    for r in attainment.itertuples():
        cells = (_probability(r.probability), _mean(r.mean_at_target_year), _probability(r.baseline_probability),
                 _mean(r.baseline_mean_at_target_year))
        words = target_words(r.indicator, r.comparison, r.target, r.target_year, r.band)
        out.append(f"| {_short(r.scenario)} | {words} | " + " | ".join(cells) + " |")
    return "\n".join(out), last


def _probability(p: float) -> str:
    return "outside the simulated years" if pd.isna(p) else f"{p:.2f}"


def _mean(m: float) -> str:
    return "—" if pd.isna(m) else f"{m:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--csv", type=Path, help="save the last year's summary rows here")
    args = parser.parse_args()
    text, last = tables(args.folder)
    print(text)
    if args.csv:
        last.to_csv(args.csv, index=False, float_format="%.6g")


if __name__ == "__main__":
    main()
