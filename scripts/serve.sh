#!/usr/bin/env bash
# Sets up backcoach (with the camera form coach) and starts the web app on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-venv.sh vision
exec .venv/bin/backcoach serve "$@"
