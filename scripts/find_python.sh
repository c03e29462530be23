# Sourced by setup.sh and check_install.sh: find a Python >= 3.12.
#   is_ok PYTHON   succeeds if PYTHON is at least 3.12
#   find_python    prints the path of the newest one on PATH, else among pyenv's installed versions;
#                  fails (printing nothing) if there is none
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

# Stops the calling script with a clear message when no Python >= 3.12 is found.
no_python() {
    echo "ygt_abm needs Python >= 3.12, and none was found on PATH or under pyenv." >&2
    echo "Install Python 3.12 or newer (e.g. 'pyenv install 3.12') and run this again." >&2
    exit 1
}
