"""Writing figures: each format atomically, and byte for byte the same on every run (no dates, no
software versions, fixed SVG element ids), so a figure changes only when what it shows changes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from ygt_abm.results.store import write_atomic  # noqa: E402

FORMATS = ("png", "pdf", "svg")
_METADATA = {"png": {"Software": None}, "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
             "svg": {"Date": None, "Creator": None}}


def save_figure(fig: Figure, stem: Path, formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """Write ``fig`` as ``stem.<format>`` for each format; returns the paths."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown figure formats {unknown}; expected some of {FORMATS}")
    paths = []
    for fmt in formats:
        path = Path(stem).with_suffix(f".{fmt}")
        with matplotlib.rc_context({"svg.hashsalt": "ygt_abm", "pdf.compression": 6}):
            write_atomic(path, lambda tmp, fmt=fmt: fig.savefig(tmp, format=fmt, dpi=120, metadata=_METADATA[fmt]))
        paths.append(path)
    return paths
