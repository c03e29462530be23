"""Every figure as it is saved: no text past the canvas's edge, every figure of the paper inside its page's
text area at the size of the shipped packages, one colour per scenario across the figures of a folder, tick
labels in the unit their axis names, labels in words rather than the model's identifiers, and Chinese labels
drawn in an embedded CJK font (or refused, naming the set-up command, where none is installed)."""

import os
import re
import warnings
from itertools import product
from pathlib import Path

import matplotlib

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ygt_abm.evaluation_runs import chosen_evaluations
from ygt_abm.figures import style
from ygt_abm.figures.county_map import county_map_figure
from ygt_abm.figures.effects import attainment_figure, backflow_figure, decomposition_figure, uncertainty_figure
from ygt_abm.figures.evaluations import evaluations_figure
from ygt_abm.figures.fit import fit_figure
from ygt_abm.figures.indicators import differences_figure, main_indicators_figure
from ygt_abm.figures.save import save_figure
from ygt_abm.figures.schedule import schedule_figure
from ygt_abm.figures.sensitivity import sensitivity_figure
from ygt_abm.figures.style import (
    NEUTRAL,
    MissingFont,
    cjk_font,
    fit_to_canvas,
    scenario_palette,
    texts_outside,
)
from ygt_abm.paper.build import PAPER_STYLE
from ygt_abm.processes import Loop, default_processes
from ygt_abm.vocabulary import HEADLINE_INDICATORS, INDICATORS, package_words

ROOT = Path(__file__).resolve().parents[1]
MANUSCRIPT = (ROOT / "paper" / "paper.typ").read_text(encoding="utf-8")

# long names, as real packages have them: the worst case for a layout
SCENARIOS = ("baseline", "anhui-2024-medical-community-with-capitation", "guangdong-2022", "zhejiang-2023")
YEARS = (1, 2, 3, 4, 5)


def _kpis() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = [{"scenario": s, "point": "base", "replicate": r, "county": "County 1", "year": y, "metric": m,
             "value": 0.5 + 0.04 * i + 0.01 * y + rng.normal(0, 0.01)}
            for i, s in enumerate(SCENARIOS) for r in range(3) for y in YEARS for m in HEADLINE_INDICATORS]
    return pd.DataFrame(rows)


def _backflow() -> pd.DataFrame:
    rows = [{"scenario": s, "point": "base", "year": y, "measure": m, "mean": 1000.0 * y, "ci_low": 900.0 * y,
             "ci_high": 1100.0 * y}
            for s, y, m in product(SCENARIOS[1:], YEARS, ("moved_down", "moved_up", "into_care", "out_of_care"))]
    return pd.DataFrame(rows)


def _decomposition() -> pd.DataFrame:
    levers = ("appraisal_linked_settlement", "township_outpatient_reimbursement_gap", "global_budget", "capitation")
    rows = [{"package": p, "lever": lever, "point": "base", "county": "County 1", "year": 5, "metric": m,
             **{f"{kind}_{stat}": v for kind in ("alone", "contribution", "package")
                for stat, v in (("mean", 0.02), ("ci_low", 0.01), ("ci_high", 0.03))}}
            for p, lever, m in product(SCENARIOS[1:3], levers, ("primary_care_visit_share", "in_county_visit_rate"))]
    return pd.DataFrame(rows)


def _attainment() -> pd.DataFrame:
    rows = [{"scenario": s, "indicator": m, "comparison": "at_least", "target": 0.65, "target_year": 2025,
             "status": "simulated", "probability": 0.5, "baseline_probability": 0.0, "band": np.nan}
            for s, m in product(SCENARIOS[1:], ("primary_care_share_of_in_county_visits", "in_county_visit_rate",
                                                "township_capability_standard_share"))]
    about = {**rows[1], "comparison": "about", "target": 0.85, "band": 0.05, "baseline_probability": 1.0}
    return pd.DataFrame(rows + [about, {**rows[0], "status": "outside the simulated years", "probability": np.nan}])


def _uncertainty() -> pd.DataFrame:
    rows = [{"scenario": s, "county": "County 1", "year": 5, "metric": m, "reference": "baseline", "mean": 0.02,
             "members": 3, **{f"{k}_{end}": 0.02 + (0.01 if end == "high" else -0.01) * w
                              for k, w in (("replicate", 1), ("parameter", 2), ("combined", 3)) for end in ("low", "high")}}
            for s, m in product(SCENARIOS[1:], HEADLINE_INDICATORS)]
    return pd.DataFrame(rows)


def _sensitivity() -> pd.DataFrame:
    parameters = ("providers.marginal_cost_share", "patients.distance_aversion_per_km", "care.township_capability")
    rows = [{"scenario": "baseline", "measure": "level", "metric": m, "year": 5, "parameter": p, "index": "mu_star",
             "value": 0.1, "ci_low": 0.05, "ci_high": 0.15} for m, p in product(HEADLINE_INDICATORS, parameters)]
    return pd.DataFrame(rows)


def _fit() -> pd.DataFrame:
    return pd.DataFrame([{"target": "village clinics' share of visits below the city", "role": "calibrated",
                          "value": 0.33, "tolerance": 0.03, "mean": 0.40, "ci_low": 0.32, "ci_high": 0.49},
                         {"target": "primary-care share of visits", "role": "check", "value": 0.515,
                          "tolerance": 0.035, "mean": np.nan, "ci_low": np.nan, "ci_high": np.nan}])


def _evaluations() -> pd.DataFrame:
    row = {"id": "someone2020-global-budget", "label": "Global budget, a county (Someone 2020)", "set": "training",
           "status": "simulated", "band_low": -0.2,
           "band_high": 0.05, "mean": -0.1, "ci_low": -0.15, "ci_high": -0.05, "inside_band": True,
           "indicator": "primary_care_visit_share", "of": "", "effect": "difference_in_differences",
           "years": "2020–2021"}
    return pd.DataFrame([row, {**row, "id": "other2021-capitation", "label": "Capitation, a county (Other 2021)",
                               "set": "held-out", "status": "not expressible"}])


def _county() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    villages = pd.DataFrame({"village": range(6), "township": [0, 0, 0, 1, 1, 1], "x_km": [0, 2, 4, 10, 12, 14],
                             "y_km": [0, 3, 1, 0, 2, 5], "residents": [300, 200, 250, 400, 150, 220]})
    facilities = pd.DataFrame({"facility": range(5), "kind": ["county_hospital", "city_hospital",
                                                              "township_health_centre", "township_health_centre",
                                                              "village_clinic"],
                               "township": [-1, -1, 0, 1, 0], "x_km": [6, 60, 1, 12, 2], "y_km": [2, 40, 1, 2, 3],
                               "visits": [8000, 3000, 4000, 3500, 900], "admissions": [400, 200, 60, 50, 0]})
    flows = pd.DataFrame({"township": [t for t in (0, 1) for _ in range(4)],
                          "level": ["village", "township", "county", "city"] * 2,
                          "episodes": [700, 400, 300, 100, 500, 450, 350, 150]})
    return villages, facilities, flows


FIGURES = {
    "main_indicators": lambda lang: main_indicators_figure(_kpis(), lang=lang),
    "paired_differences": lambda lang: differences_figure(_kpis(), "baseline", lang=lang),
    "backflow": lambda lang: backflow_figure(_backflow(), lang=lang),
    "decomposition": lambda lang: decomposition_figure(_decomposition(), lang=lang),
    "attainment": lambda lang: attainment_figure(_attainment(), lang=lang),
    "uncertainty": lambda lang: uncertainty_figure(_uncertainty(), lang=lang),
    "sensitivity": lambda lang: sensitivity_figure(_sensitivity(), lang=lang),
}
#: a result folder's figures, the ones ``ygt-abm plot --lang zh`` draws; the three below only in English
IN_CHINESE = tuple(FIGURES)
FIGURES |= {"fit": lambda lang: fit_figure(_fit()), "evaluations": lambda lang: evaluations_figure(_evaluations()),
            "county_map": lambda lang: county_map_figure(*_county()),
            "schedule": lambda lang: schedule_figure(Loop(default_processes()))}
CASES = [(name, "en") for name in sorted(FIGURES)] + [(name, "zh") for name in IN_CHINESE]


def _needs_cjk_font() -> None:
    try:
        cjk_font()
    except MissingFont:
        if os.environ.get("CI"):
            raise
        pytest.skip("no CJK font installed; scripts/setup.sh installs one (under CI this fails)")


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_text_of_every_figure_lies_inside_its_canvas(name, lang, tmp_path):
    if lang == "zh":
        _needs_cjk_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)", a layout that gave up: errors
        fig = FIGURES[name](lang)
        save_figure(fig, tmp_path / name, ("png",))  # as written: the layout savefig made
    assert texts_outside(fig) == []
    if lang == "zh":  # titled in Chinese too, not only the indicators
        assert re.search("[\u4e00-\u9fff]", fig.get_suptitle())


def test_the_layout_check_sees_a_clipped_title_and_the_fitting_wraps_it():
    fig = Figure(figsize=(4, 3), layout="constrained")
    fig.subplots().set_xlabel("a label far longer than the figure is wide, " * 3)
    fig.suptitle("a title far longer than the figure is wide, so it runs past both edges " * 2)
    assert len(texts_outside(fig)) == 2
    fit_to_canvas(fig)
    assert texts_outside(fig) == []
    assert "\n" in fig.get_suptitle()


def test_a_scenario_has_the_same_colour_in_every_figure_of_a_folder_and_the_reference_is_grey():
    palette = scenario_palette(SCENARIOS, "baseline")
    assert palette == scenario_palette(reversed(SCENARIOS), "baseline")  # from the names, not their order
    assert palette["baseline"] == NEUTRAL and len(set(palette.values())) == len(SCENARIOS)
    assert scenario_palette(SCENARIOS[:2], "baseline")["baseline"] == NEUTRAL
    shipped = scenario_palette(["baseline", "anhui-2024", "my-reform"])  # a package keeps its colour everywhere
    assert shipped["anhui-2024"] == scenario_palette(["zhejiang-2026", "anhui-2024", "a-reform"])["anhui-2024"]
    packages = scenario_palette(["anhui-2024", "guangdong-2022", "henan-xuchang-2020", "hunan-nanxian-2024",
                                 "zhejiang-2026"])
    assert shipped["my-reform"] not in packages.values() and len(set(packages.values())) == 6

    def colours(fig):
        return {line.get_label(): line.get_color() for line in fig.axes[0].get_lines()
                if not line.get_label().startswith("_")}

    kpis = _kpis()
    main = colours(main_indicators_figure(kpis, palette=palette))
    differences = colours(differences_figure(kpis, "baseline", palette=palette))
    backflow = colours(backflow_figure(_backflow(), palette=palette))
    assert main == {package_words(s): palette[s] for s in SCENARIOS}
    assert differences == backflow == {package_words(s): palette[s] for s in SCENARIOS[1:]}
    bars = attainment_figure(_attainment(), palette=palette).axes[0].patches
    assert [b.get_facecolor() for b in bars][:3] == [bars[0].get_facecolor()] * 3  # one scenario's three targets
    assert {tuple(np.round(b.get_facecolor()[:3], 3)) for b in bars} == {
        tuple(np.round(pd.Series([int(palette[s][i:i + 2], 16) / 255 for i in (1, 3, 5)]), 3)) for s in SCENARIOS[1:]}


def test_differences_are_drawn_in_percentage_points_and_levels_in_percent():
    kpis = _kpis()
    differences = differences_figure(kpis, "baseline")
    levels = main_indicators_figure(kpis)
    for ax in differences.axes:
        assert ax.get_ylabel() == "percentage points"
        assert not any("%" in t.get_text() for t in ax.get_yticklabels())
    for ax in levels.axes:
        assert ax.get_ylabel() == "percent"
        assert isinstance(ax.yaxis.get_major_formatter(), PercentFormatter)
        assert any(t.get_text().endswith("%") for t in ax.get_yticklabels())
    effects = uncertainty_figure(_uncertainty())
    assert all(ax.get_xlabel() == "percentage points" for ax in effects.axes if ax.get_visible())


def test_chinese_labels_are_the_indicators_terms_in_an_embedded_cjk_font(tmp_path):
    _needs_cjk_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)": a box drawn for a character
        fig = main_indicators_figure(_kpis(), lang="zh")
        pdf, svg = save_figure(fig, tmp_path / "zh", ("pdf", "svg"))
    assert [ax.get_title() for ax in fig.axes] == [INDICATORS[m][0] for m in HEADLINE_INDICATORS]
    assert fig.axes[-1].get_xlabel() == "模拟年份"
    font = cjk_font().replace(" ", "").lower().encode()  # Noto Sans CJK SC: /BaseFont /…+NotoSansCJKsc-Regular
    assert font in pdf.read_bytes().lower()
    assert pdf.read_bytes() == save_figure(main_indicators_figure(_kpis(), lang="zh"), tmp_path / "again",
                                           ("pdf",))[0].read_bytes()
    english = save_figure(main_indicators_figure(_kpis()), tmp_path / "en", ("pdf",))[0]
    assert font not in english.read_bytes().lower()


def test_without_a_cjk_font_chinese_labels_are_refused_naming_the_set_up(monkeypatch):
    monkeypatch.setattr(style, "CJK_FONTS", ("No Such Font SC",))
    monkeypatch.setattr(style, "CJK_FILES", ("nosuchfontfile",))
    with pytest.raises(MissingFont, match="scripts/setup.sh"):
        main_indicators_figure(_kpis(), lang="zh")
    with pytest.raises(ValueError, match="expected one of en, zh"):
        main_indicators_figure(_kpis(), lang="fr")


# ---------------------------------------------------------------------------------------------- the paper

#: A4 in points, and the room a figure's caption (up to four lines) and its spacing take below it
A4 = (595.28, 841.89)
CAPTION_ROOM = 60.0
#: type smaller than this, printed, cannot be read
LEGIBLE = 6.0
CM = 72 / 2.54


def text_area() -> tuple[float, float]:
    """Width and height in points of the paper's text area: A4 less the margins paper.typ sets."""
    page = re.search(r'#set page\(paper: "a4", margin: \(x: ([\d.]+)cm, y: ([\d.]+)cm\)', MANUSCRIPT)
    assert page, "paper.typ's page settings have changed: update this test's reading of them"
    x, y = (float(v) * CM for v in page.groups())
    return A4[0] - 2 * x, A4[1] - 2 * y


def _shipped_decomposition() -> pd.DataFrame:
    """The decomposition of five packages of 21 levers each (the most a shipped package has), with long names."""
    rows = [{"package": f"{province}-{year}", "lever": f"lever_with_a_long_name_number_{i}", "point": "base",
             "county": "County 1", "year": 10, "metric": m,
             **{f"{kind}_{stat}": (0.01 * i if kind != "package" else 0.2) + d
                for kind in ("alone", "contribution", "package")
                for stat, d in (("mean", 0.0), ("ci_low", -0.005), ("ci_high", 0.005))}}
            for province, year in (("anhui", 2024), ("guangdong", 2022), ("henan-xuchang", 2020),
                                   ("hunan-nanxian", 2024), ("zhejiang", 2026))
            for i in range(21) for m in ("primary_care_visit_share", "in_county_visit_rate")]
    return pd.DataFrame(rows)


def _shipped_evaluations() -> pd.DataFrame:
    """As many forest-plot rows as the shipped evaluations have outcomes."""
    labels = [e.label or e.id for e in chosen_evaluations("all") for _ in range(max(1, len(e.outcomes)))]
    row = _evaluations().iloc[0].to_dict()
    return pd.DataFrame([{**row, "id": f"author{2000 + i}-a-reform", "label": label} for i, label in enumerate(labels)])


def _shipped_sensitivity() -> pd.DataFrame:
    """A screening of 13 assumed parameters, on a package's effect."""
    parameters = [f"providers.assumed_parameter_{i}" for i in range(13)]
    return pd.DataFrame([{"scenario": "anhui-2024", "measure": "effect", "metric": m, "year": 5, "parameter": p,
                          "index": "mu_star", "value": 0.1, "ci_low": 0.05, "ci_high": 0.15}
                         for m, p in product(HEADLINE_INDICATORS, parameters)])


#: the paper's figures drawn at the size of the shipped packages where their size grows with them
AT_PAPER_SIZE = FIGURES | {"decomposition": lambda lang: decomposition_figure(_shipped_decomposition(), lang=lang),
                           "evaluations": lambda lang: evaluations_figure(_shipped_evaluations()),
                           "sensitivity": lambda lang: sensitivity_figure(_shipped_sensitivity(), lang=lang)}
PAPER_FIGURES = sorted({Path(path).stem for path in re.findall(r'svg\("([^"]+)"', re.sub(r"//.*", "", MANUSCRIPT))})


def printed_size(fig: Figure) -> tuple[float, float, float]:
    """Width and height in points as the paper prints ``fig`` (scaled to the text width), and its smallest
    drawn text's size in print."""
    width, height = fig.get_size_inches() * 72
    scale = text_area()[0] / width
    smallest = min(t.get_fontsize() for t in style.drawn_texts(fig))
    return width * scale, height * scale, smallest * scale


def test_the_paper_shows_the_figures_this_test_draws():
    assert len(PAPER_FIGURES) >= 10 and set(PAPER_FIGURES) <= set(AT_PAPER_SIZE)


@pytest.mark.parametrize("name", PAPER_FIGURES)
def test_every_figure_of_the_paper_fits_its_pages_text_area(name):
    with matplotlib.rc_context(PAPER_STYLE):
        fig = AT_PAPER_SIZE[name]("en")
    width, height, _ = printed_size(fig)
    assert height <= text_area()[1] - CAPTION_ROOM, f"{name}: {height:.0f} pt tall at the text width"
    assert texts_outside(fig) == []


def test_the_lever_decomposition_is_printed_at_a_legible_size_with_words_for_its_names():
    with matplotlib.rc_context(PAPER_STYLE):
        fig = AT_PAPER_SIZE["decomposition"]("en")
    width, height, smallest = printed_size(fig)
    assert smallest >= LEGIBLE, f"its smallest type prints at {smallest:.1f} pt"
    assert fig.get_size_inches()[0] * 72 <= text_area()[0] + 1  # printed at its size, not shrunk
    labels = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels() if t.get_text()]
    assert "lever with a long name number 20" in labels and "15 other levers" in labels
    assert not any("_" in label for label in labels)
    assert [ax.get_ylabel() for ax in fig.axes[::2]] == ["Anhui 2024", "Guangdong 2022", "Henan Xuchang 2020",
                                                         "Hunan Nanxian 2024", "Zhejiang 2026"]


def test_no_figure_names_a_file_an_identifier_or_a_comparison_code():
    texts = []
    for name, draw in FIGURES.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            texts += [t.get_text() for t in style.drawn_texts(draw("en"))]
    joined = "\n".join(texts)
    assert not re.search(r"\w\.csv|at_least|at_most|providers\.|primary_care|anhui-2024", joined), joined
    assert "≥ 65% by 2025" in joined and "Marginal cost share".lower() in joined.lower()
