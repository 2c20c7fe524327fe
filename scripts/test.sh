#!/usr/bin/env bash
# Set everything up, then run every test (unit, AppTest, real-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q -rs "$@"
