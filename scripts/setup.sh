#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install ygt_abm into it (idempotent).
# Finds Python on PATH first, then among pyenv's installed versions; stops with a clear message otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

# shellcheck source=find_python.sh
source "$root/scripts/find_python.sh"

if [ ! -x "$venv/bin/python" ] || ! is_ok "$venv/bin/python"; then
    py="$(find_python)" || no_python
    echo "setup: creating .venv with $py ($("$py" --version))"
    rm -rf "$venv"
    "$py" -m venv "$venv"
fi

# Reinstall only when the project's dependencies change.
stamp="$venv/.ygt_abm-installed"
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing ygt_abm and its dependencies into .venv (numpy, pandas, numba, Solara, Playwright, … from PyPI: a minute or two, quiet until done)"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -e "$root[test]"
    echo "$want" > "$stamp"
fi

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }
}

# Debian packages the tests drive: Chromium for the dashboard's browser tests (Playwright cannot download a
# browser here), poppler-utils' pdftoppm to rasterise the paper's pages.
for need in chromium:chromium pdftoppm:poppler-utils; do
    tool="${need%%:*}" package="${need##*:}"
    command -v "$tool" >/dev/null && continue
    if can_apt; then
        echo "setup: installing Debian's $package ($tool)"
        apt_install "$package"
    else
        echo "setup: $tool is missing and cannot be installed here (needs root and apt-get); the tests that need it are skipped (under CI they fail)"
    fi
done
# A CJK font for figures with Chinese labels (ygt-abm plot --lang zh): Debian's Noto Sans CJK. matplotlib
# keeps a list of the fonts it found: dropped after the install, so that it looks again. (The paper needs
# none of the machine's: its CJK font is kept in paper/fonts/, cut from this one by scripts/paper_font.py.)
has_cjk_font() { "$venv/bin/python" -c "from ygt_abm.figures.style import cjk_font; cjk_font()" 2>/dev/null; }
if ! has_cjk_font; then
    if can_apt; then
        echo "setup: installing Debian's fonts-noto-cjk (Chinese labels in figures)"
        apt_install fonts-noto-cjk
        rm -f "$("$venv/bin/python" -c "import matplotlib; print(matplotlib.get_cachedir())")"/fontlist-*.json
        has_cjk_font || echo "setup: fonts-noto-cjk is installed but matplotlib does not find it; ygt-abm plot --lang zh will say so"
    else
        echo "setup: no CJK font, and none can be installed here (needs root and apt-get): install Noto Sans CJK SC for ygt-abm plot --lang zh; the tests that need it are skipped (under CI they fail)"
    fi
fi
# The dashboard serves its web assets from Solara's cache, filled from the npm registry.
if command -v npm >/dev/null; then
    bash "$root/scripts/dashboard_assets.sh" "$venv/bin/python"
else
    echo "setup: npm is missing: the dashboard will ask a public CDN for its web assets (see docs/teaching.md)"
fi
