#!/usr/bin/env bash
# Creates .venv (Python 3.11+) and installs backcoach into it with the extras given.
# Usage: scripts/setup-venv.sh EXTRAS   e.g. "vision" or "vision,jobs,test"
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-vision}
if [ ! -x .venv/bin/python ]; then
  py=$(command -v python3.11 || command -v python3 || true)
  [ -n "$py" ] || { echo "backcoach needs Python 3.11 or newer (python3.11 or python3 on PATH)." >&2; exit 1; }
  "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "backcoach needs Python 3.11 or newer; $py is $("$py" --version)." >&2; exit 1; }
  "$py" -m venv .venv
fi
stamp=".venv/.installed-$(echo "$extras" | tr ',' '-')"
# constraints.txt: the versions the suite last passed with (a fresh machine gets what was tested).
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -U pip wheel
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[${extras}]"
  touch "$stamp"
fi
# The in-browser pose model (npm @mediapipe/pose, integrity-checked), served by the app for live coaching.
.venv/bin/python scripts/fetch_pose_assets.py \
  || echo "warning: the in-browser pose model is missing; live coaching will say so (run scripts/fetch_pose_assets.py)." >&2
