"""What every figure shares: seaborn's theme, one colour per scenario across a folder's figures, the
language of the labels (English, or Chinese with the indicators' own terms, drawn in a CJK font), and a
last pass that keeps every text inside the canvas.

A figure function decorated with :func:`styled` is drawn inside the theme and fitted to its canvas before
it is returned, so ``save_figure`` writes what the function drew, clipped nowhere."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import ParamSpec

import matplotlib
import seaborn as sns
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedFormatter, PercentFormatter

from ygt_abm.vocabulary import INDICATORS, LEVER_NAMES_ZH, in_words

LANGUAGES = ("en", "zh")
#: ships with matplotlib, so the Latin glyphs are the same on every machine
BASE_FONT = "DejaVu Sans"
#: fonts with the simplified Chinese glyphs, the first installed one is used (scripts/setup.sh installs Noto)
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
CJK_FILES = ("notosanscjk", "sourcehansans", "notosanssc", "wqy")  # file names to register when the cache is stale
SETUP = "bash scripts/setup.sh"
#: the reference scenario's colour in every figure: the effects of the others are drawn against it
NEUTRAL = "#7f7f7f"
#: a sweep's points of one scenario share its colour and differ in line and marker
POINT_STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"))
#: the labels a figure draws besides the indicators' names, in Chinese
TERMS = {"year": "年份", "simulated year": "模拟年份", "percentage points": "百分点",
         "difference from the reference, percentage points": "与参照情景之差（百分点）",
         "probability across runs": "各次运行中达到目标的概率", "share of the variance": "方差占比",
         "μ*, percentage points": "μ*（百分点）", "percent": "百分比", "episodes a year": "每年病程数"}
EDGE = 2.0  # pixels a text keeps from the canvas's edge

P = ParamSpec("P")


class MissingFont(RuntimeError):
    """Chinese labels asked for where no CJK font is installed (they would be drawn as empty boxes)."""


def _known_cjk() -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def cjk_font() -> str:
    """The family name of an installed CJK font; registers the system's CJK font files with matplotlib when
    its font cache predates their install. Raises MissingFont, naming the set-up command, when there is none."""
    found = _known_cjk()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(key in Path(path).name.lower().replace("-", "").replace("_", "") for key in CJK_FILES):
                font_manager.fontManager.addfont(path)
        found = _known_cjk()
    if found is None:
        raise MissingFont(f"Chinese labels need a CJK font (one of {', '.join(CJK_FONTS)}); none is installed. "
                          f"Run `{SETUP}` (it installs Debian's fonts-noto-cjk) or install one of them.")
    return found


def check_language(lang: str) -> None:
    """A ValueError for a language the figures are not drawn in."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown figure language {lang!r}; expected one of {', '.join(LANGUAGES)}")


@contextmanager
def figure_style(lang: str = "en") -> Iterator[None]:
    """seaborn's white-grid theme with a font that every machine has (and a CJK font for ``zh``)."""
    check_language(lang)
    fonts = [BASE_FONT] + ([cjk_font()] if lang == "zh" else [])
    with matplotlib.rc_context({**sns.axes_style("whitegrid"), "font.family": fonts}):
        yield


def styled(draw: Callable[P, Figure]) -> Callable[P, Figure]:
    """Draw the figure in the theme of its ``lang`` keyword (English by default) and fit it to its canvas."""

    @wraps(draw)
    def drawn(*args: P.args, **kwargs: P.kwargs) -> Figure:
        with figure_style(str(kwargs.get("lang", "en"))):
            fig = draw(*args, **kwargs)
            fit_to_canvas(fig)  # ticks and fonts are made here, inside the theme
        return fig

    return drawn


def _shipped_packages() -> list[str]:
    """The reform packages the project ships, sorted: each has its colour in every folder."""
    from ygt_abm.config.policy import shipped_policies

    return sorted(name for name in shipped_policies() if name != "baseline")


def scenario_palette(names: Iterable[str], reference: str | None = "baseline") -> dict[str, str]:
    """One colour per scenario, the same in every figure of a folder: the reference grey; a shipped package
    (anhui-2024, …) its own colour of seaborn's colour-blind palette in every folder; other scenarios the
    palette's remaining colours in the order of their sorted names."""
    names = set(names) - {reference}
    colours = [c for c in sns.color_palette("colorblind").as_hex() if c != "#949494"]  # its grey: the reference's
    fixed = dict(zip(_shipped_packages(), colours))
    others = sorted(names - set(fixed))
    free = [c for c in colours if c not in fixed.values()]
    if len(others) > len(free):
        free = sns.color_palette("husl", len(others)).as_hex()
    palette = {name: fixed[name] for name in sorted(names & set(fixed))} | dict(zip(others, free))
    if reference is not None:
        palette[reference] = NEUTRAL
    return palette


def fill_palette(palette: dict[str, str] | None, names: Iterable[str], reference: str | None = "baseline"
                 ) -> dict[str, str]:
    """``palette`` (the folder's) with a colour for each of ``names`` it lacks; all of them when it is None."""
    names = set(names)
    if palette is not None and names <= set(palette):
        return palette
    return {**scenario_palette(names | set(palette or ()), reference), **(palette or {})}


def point_styles(points: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Line style and marker of each sweep point, in the order the points come."""
    return {p: POINT_STYLES[i % len(POINT_STYLES)] for i, p in enumerate(dict.fromkeys(points))}


def indicator_label(metric: str, lang: str = "en") -> str:
    """An indicator's name in a figure: its Chinese term (vocabulary.INDICATORS) or its name in words
    (vocabulary.in_words)."""
    if lang == "zh" and metric in INDICATORS:
        return INDICATORS[metric][0]
    return in_words(metric).capitalize()


def lever_label(lever: str, lang: str = "en") -> str:
    """A lever in a figure: the documents' Chinese name (vocabulary.LEVER_NAMES_ZH) or its name in words."""
    return LEVER_NAMES_ZH.get(lever, in_words(lever)) if lang == "zh" else in_words(lever)


def term(text: str, lang: str = "en") -> str:
    """An axis label in the figure's language (English where no Chinese term is listed)."""
    return TERMS.get(text, text) if lang == "zh" else text


def say(lang: str, en: str, zh: str) -> str:
    """A figure's sentence (a title, a legend entry) in its language."""
    return zh if lang == "zh" else en


def points_formatter() -> PercentFormatter:
    """Ticks of a difference of shares in percentage points: 0.015 → 1.5 (the axis label says the unit)."""
    return PercentFormatter(1.0, decimals=None, symbol="")


# ------------------------------------------------------------------------------------------ fitting

def _canvas(fig: Figure):
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts a drawing of ``fig`` shows: visible, not empty, in a visible axes, and of the tick labels
    only those of ticks inside the view (matplotlib keeps others for reuse) of an axes drawn with its axis."""
    shown = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            axis.get_majorticklabels()  # places the ticks
            lo, hi = sorted(axis.get_view_interval())
            slack = 1e-9 * (hi - lo)
            shown += [label for tick in axis.majorTicks + axis.minorTicks if ax.get_visible() and ax.axison
                      and lo - slack <= tick.get_loc() <= hi + slack for label in (tick.label1, tick.label2)]
    texts = fig.findobj(Text)  # makes a tick for each of the locator's places, in view or not: then the ticks
    ticks = {id(label) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.majorTicks + axis.minorTicks for label in (tick.label1, tick.label2)}
    others = [t for t in texts if id(t) not in ticks]
    return [t for t in others + shown if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible())]


def texts_outside(fig: Figure) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each drawn text whose box reaches past the canvas, with its box (x0, y0, x1, y1) in pixels."""
    renderer = _canvas(fig)
    canvas = fig.bbox
    outside = []
    for text in drawn_texts(fig):
        box = text.get_window_extent(renderer)
        if box.x0 < canvas.x0 - 0.5 or box.y0 < canvas.y0 - 0.5 or box.x1 > canvas.x1 + 0.5 \
                or box.y1 > canvas.y1 + 0.5:
            outside.append((text.get_text(), tuple(box.extents)))
    return outside


def _room(text: Text, renderer, canvas) -> tuple[float, float]:
    """(length the text has, length it needs) along its direction, in pixels, from where it is anchored."""
    box = text.get_window_extent(renderer)
    if abs(text.get_rotation() % 180 - 90) < 1:  # a y label: centred along the canvas's height
        lo, hi, a, b, align = box.y0, box.y1, canvas.y0, canvas.y1, "center"
    else:
        lo, hi, a, b, align = box.x0, box.x1, canvas.x0, canvas.x1, text.get_horizontalalignment()
    room = {"left": b - lo, "right": hi - a}.get(align, 2 * min((lo + hi) / 2 - a, b - (lo + hi) / 2))
    return room - 2 * EDGE, hi - lo


def _rewrap(s: str, share: float) -> str:
    """``s`` with its lines wrapped to ``share`` of the longest line's length."""
    longest = max(len(line) for line in s.split("\n"))
    width = max(8, int(longest * share))
    return "\n".join(textwrap.fill(line, width, break_long_words=False) or line for line in s.split("\n"))


def fit_to_canvas(fig: Figure, passes: int = 6) -> None:
    """Wrap (or, when a text has no space to break at, shrink) every text that reaches past the canvas, and
    lay the figure out again, until everything is inside it."""
    for _ in range(passes):
        renderer = _canvas(fig)
        canvas = fig.bbox
        moved = False
        for text in drawn_texts(fig):
            box = text.get_window_extent(renderer)
            if canvas.x0 <= box.x0 and box.x1 <= canvas.x1 and canvas.y0 <= box.y0 and box.y1 <= canvas.y1:
                continue
            room, need = _room(text, renderer, canvas)
            share = max(0.2, room / need) if need > 0 else 1.0
            old = text.get_text()
            new = _rewrap(old, share * 0.97)
            if new == old:  # nothing to break at: smaller
                text.set_fontsize(max(4.0, text.get_fontsize() * min(share, 0.95)))
            else:
                _set_text(text, old, new)
            moved = True
        if not moved:
            return


def _set_text(text: Text, old: str, new: str) -> None:
    """Change a text, and where it is a fixed tick label, the label its axis will draw again."""
    text.set_text(new)
    for ax in text.figure.axes if text.figure else []:
        for axis in (ax.xaxis, ax.yaxis):
            for formatter in (axis.get_major_formatter(), axis.get_minor_formatter()):
                if isinstance(formatter, FixedFormatter):
                    formatter.seq = [new if s == old else s for s in formatter.seq]
