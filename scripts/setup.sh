#!/usr/bin/env bash
# Set up everything the app and the tests need, idempotently:
# a virtualenv in .venv with the project installed in editable mode (its pinned dependencies come
# from requirements.txt through pyproject.toml), and Debian's chromium and strace when missing.
# The editable install is what lets `python -m geo`, bench/ and scripts/ import geo from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.requirements.sha
want=$(cat requirements.txt pyproject.toml | sha1sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  # (setuptools warns on every editable install that a folder named like a package shadows it: here
  # geo/ is the package itself, so the warning is silenced)
  PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
  echo "$want" > "$stamp"
fi
# Debian packages: chromium (briefing PNGs, browser tests), strace (the test that records
# every DNS query and connection of a render) and postgresql (the test that runs the decision
# store against a real server it starts itself). apt-get only when one is missing.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian's ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi
