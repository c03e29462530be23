"""Writing figures: each format atomically, and byte for byte the same on every run (no dates, no
software versions, fixed SVG element ids), so a figure changes only when what it shows changes. An SVG
carries its anatomy as its description (its panels' titles, axis labels and legends, as JSON): the figure's
words for a screen reader, and what the paper's referee checklist (``ygt_abm/paper/referee.py``) reads."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from ygt_abm.results.store import write_atomic  # noqa: E402

FORMATS = ("png", "pdf", "svg")
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
             "svg": {"Date": None, "Creator": None}}


def figure_anatomy(fig: Figure) -> dict:
    """What a figure says in words: its title, each visible panel's title, axis labels and legend, and the
    figure's own legend (each legend's title first). Panels with nothing drawn on them (turned off) are left out."""
    def legend_words(legend) -> list[str]:  # its title first, where it has one
        if legend is None:
            return []
        return [t.get_text() for t in [legend.get_title(), *legend.get_texts()] if t.get_text()]

    panels = [{"title": ax.get_title(), "x": ax.get_xlabel(), "y": ax.get_ylabel(),
               "legend": legend_words(ax.get_legend())} for ax in fig.axes if ax.axison]
    return {"title": fig.get_suptitle(), "panels": panels, "legend": [w for lg in fig.legends for w in legend_words(lg)]}


def save_figure(fig: Figure, stem: Path, formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """Write ``fig`` as ``stem.<format>`` for each format; returns the paths."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown figure formats {unknown}; expected some of {FORMATS}")
    paths = []
    for fmt in formats:
        path = Path(stem).with_suffix(f".{fmt}")
        metadata = dict(_METADATA[fmt])
        if fmt == "svg":
            metadata["Description"] = json.dumps(figure_anatomy(fig), ensure_ascii=False, sort_keys=True)
        with matplotlib.rc_context({"svg.hashsalt": "ygt_abm", "pdf.compression": 6}):
            write_atomic(path, lambda tmp, fmt=fmt, metadata=metadata: fig.savefig(tmp, format=fmt, dpi=120,
                                                                                   metadata=metadata))
        paths.append(path)
    return paths
