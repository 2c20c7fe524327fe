"""The tree stays ruff-clean (settings in pyproject.toml), so style problems show up in CI."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from geo.core.paths import ROOT


@pytest.mark.slow
def test_ruff_check_is_clean():
    ruff = shutil.which("ruff", path=str(ROOT / ".venv" / "bin")) or shutil.which("ruff")
    cmd = [ruff, "check", "."] if ruff else [sys.executable, "-m", "ruff", "check", "."]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]
