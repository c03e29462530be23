"""The web assets the classroom serves itself (no public CDN): which npm packages, and where Solara's
asset cache keeps them. ``scripts/dashboard_assets.sh`` fills the cache from the npm registry."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ASSET_LIST = Path(__file__).with_name("web-assets.txt")


def web_assets() -> list[str]:
    """``package@version`` of every npm package the page needs."""
    lines = ASSET_LIST.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def cache_dir() -> Path:
    """Solara's asset cache: ``SOLARA_ASSETS_PROXY_CACHE_DIR``, else its default under the environment."""
    configured = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "solara" / "cdn"


def missing_assets() -> list[str]:
    """The packages not yet in the cache."""
    return [name for name in web_assets() if not (cache_dir() / name / "package.json").is_file()]


#: The classroom's own files the server serves with Solara's (``/static/assets/``): custom.js.
WEB = Path(__file__).with_name("web")


def font_stylesheet() -> str:
    """The page's address of the Chinese web font's stylesheet (an npm package of web-assets.txt)."""
    font = next(name for name in web_assets() if "noto-sans-sc" in name)
    return f"/_solara/cdn/{font}/index.css"
