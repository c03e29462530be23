#!/usr/bin/env bash
# Create .venv with a Python >= 3.12 and install ygt_abm into it (idempotent).
# Finds Python on PATH first, then among pyenv's installed versions; stops with a clear message otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

is_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

find_python() {
    local c
    for c in python3.14 python3.13 python3.12 python3 python; do
        if command -v "$c" >/dev/null 2>&1 && is_ok "$(command -v "$c")"; then command -v "$c"; return 0; fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        local v
        for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -rV); do
            c="$(pyenv prefix "$v" 2>/dev/null)/bin/python3"
            if [ -x "$c" ] && is_ok "$c"; then echo "$c"; return 0; fi
        done
    fi
    return 1
}

if [ ! -x "$venv/bin/python" ] || ! is_ok "$venv/bin/python"; then
    py="$(find_python)" || {
        echo "ygt_abm needs Python >= 3.12, and none was found on PATH or under pyenv." >&2
        echo "Install Python 3.12 or newer (e.g. 'pyenv install 3.12') and run this again." >&2
        exit 1
    }
    echo "setup: creating .venv with $py ($("$py" --version))"
    rm -rf "$venv"
    "$py" -m venv "$venv"
fi

# Reinstall only when the project's dependencies change.
stamp="$venv/.ygt_abm-installed"
want="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing ygt_abm and its dependencies into .venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -e "$root[test]"
    echo "$want" > "$stamp"
fi
