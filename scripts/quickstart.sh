#!/usr/bin/env bash
# Set up (if needed) and run the quickstart experiment: results and a figure in results/quickstart/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root"
.venv/bin/ygt-abm run experiments/quickstart.yaml --out results/quickstart "$@"
