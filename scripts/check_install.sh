#!/usr/bin/env bash
# Install check: `pip install .` (not editable) into a fresh venv in a temporary folder, then, from another
# temporary folder outside the repository, run a tiny experiment that uses shipped policy packages, and copy
# and run the example county. Fails unless the wheel carries its package data. Takes about a minute.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=find_python.sh
source "$root/scripts/find_python.sh"
py="$(find_python)" || no_python
start=$SECONDS

tmp="$(mktemp -d "${TMPDIR:-/tmp}/ygt_abm-install-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check_install: FAILED: $*" >&2; [ -f "$tmp/log" ] && cat "$tmp/log" >&2; exit 1; }

# Build from a copy of what the wheel is made of: pip builds in place, and a stale build/ folder in the
# checkout could carry deleted files into the wheel (and would be left behind in the checkout).
mkdir "$tmp/src"
tar -C "$root" --exclude=__pycache__ -cf - pyproject.toml README.md ygt_abm configs | tar -C "$tmp/src" -xf -

echo "check_install: pip install . into a fresh venv ($("$py" --version))"
"$py" -m venv "$tmp/venv"
# pip's cache (its default, ~/.cache/pip) is kept, so the dependencies are not downloaded again.
"$tmp/venv/bin/python" -m pip install --quiet "$tmp/src"

mkdir "$tmp/work"
cd "$tmp/work"
installed="$("$tmp/venv/bin/python" -c 'import ygt_abm; print(ygt_abm.__file__)')"
case "$installed" in
    "$tmp/venv/"*) ;;
    *) fail "ygt_abm was imported from $installed, not from the fresh venv" ;;
esac

cat > exp.yaml <<'YAML'
name: install-check
seed: 1
replicates: 1
years: 1
warmup_years: 0
world: {kind: synthetic, population: 3000, townships: 1}
scenarios:
  - name: baseline
    policy: baseline
  - name: anhui-2024
    policy: anhui-2024
YAML
echo "check_install: ygt-abm run exp.yaml (policy packages baseline and anhui-2024) in $tmp/work"
"$tmp/venv/bin/ygt-abm" run exp.yaml --workers 1 --out "$tmp/out" >"$tmp/log" 2>&1 || fail "ygt-abm run exited $?"
[ -s "$tmp/out/kpis.parquet" ] || fail "no $tmp/out/kpis.parquet"
"$tmp/venv/bin/python" -c '
import sys, pandas
scenarios = set(pandas.read_parquet(sys.argv[1])["scenario"])
assert scenarios == {"baseline", "anhui-2024"}, scenarios
' "$tmp/out/kpis.parquet" || fail "kpis.parquet lacks a scenario"

echo "check_install: ygt-abm example-county, then run it"
"$tmp/venv/bin/ygt-abm" example-county county >"$tmp/log" 2>&1 || fail "ygt-abm example-county exited $?"
"$tmp/venv/bin/ygt-abm" run county/experiment.yaml --workers 1 --out "$tmp/county-out" --no-figure \
    >"$tmp/log" 2>&1 || fail "ygt-abm run county/experiment.yaml exited $?"
[ -s "$tmp/county-out/kpis.parquet" ] || fail "no $tmp/county-out/kpis.parquet"

echo "check_install: ygt-abm fit at toy scale (the installed calibration targets)"
"$tmp/venv/bin/ygt-abm" fit --population 3000 --worlds 1 --replicates 1 --years 1 --workers 1 --out "$tmp/fit" \
    >"$tmp/log" 2>&1 || fail "ygt-abm fit exited $?"
[ -s "$tmp/fit/fit.md" ] || fail "no $tmp/fit/fit.md"

echo "check_install: ygt-abm documents (the installed clause maps)"
"$tmp/venv/bin/ygt-abm" documents anhui-2024 >"$tmp/log" 2>&1 || fail "ygt-abm documents exited $?"
grep -q "encoded" "$tmp/log" || fail "ygt-abm documents printed no coverage"

echo "check_install: ok in $((SECONDS - start)) s"
