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
    echo "setup: installing ygt_abm and its dependencies into .venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet -e "$root[test]"
    echo "$want" > "$stamp"
fi
