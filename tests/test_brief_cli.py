"""`python -m geo brief`: the picture from the command line, and its refusals (exit code 2)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from geo.cli import main
from geo.core.paths import ROOT
from geo.core.schema import load_mediators
from geo.present import render
from geo.present.brief import remote_references
from geo.present.browser import chromium_path

needs_chromium = pytest.mark.skipif(
    chromium_path() is None, reason="Chromium not installed (scripts/setup.sh installs it)"
)
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"


class Run(NamedTuple):
    returncode: int
    stdout: str
    stderr: str


def brief(*args: str, data: Path = FIXTURE_DATA) -> Run:
    """`python -m geo brief ARGS --data DATA`, run in this process with its output captured
    (tests/test_venues_cli.py runs `python -m geo` once as a real process)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["brief", *args, "--data", str(data)])
        except SystemExit as exc:  # argparse's refusals
            code = exc.code
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture()
def shared_chromium(browser, monkeypatch):
    """The command's slide is drawn in the session's Chromium instead of one it would start."""
    monkeypatch.setattr(render, "launch", lambda: contextlib.nullcontext(browser))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def colour_pixels(png: bytes, colour: str, box: tuple[int, int, int, int], tol: int = 40) -> int:
    """Pixels within ``tol`` per channel of ``colour`` inside box (x0, y0, x1, y1)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    r0, g0, b0 = hex_rgb(colour)
    return sum(1 for r, g, b in img.getdata() if abs(r - r0) <= tol and abs(g - g0) <= tol and abs(b - b0) <= tol)


def map_box(width: int, height: int) -> tuple[int, int, int, int]:
    """The map's part of the slide, left of the legend column (whose swatches share the colours)."""
    u = height / 1080
    return (int(64 * u), int(0.15 * height), int(width - (64 + 400 + 32) * u) - 2, int(0.92 * height))


@pytest.fixture(scope="module")
def colours():
    m = load_mediators(FIXTURE_DATA / "mediators.csv")
    return dict(zip(m["name"], m["colour"]))


@needs_chromium
@pytest.mark.browser
@pytest.mark.parametrize("size", ["1920x1080", "1280x720"])
def test_png_has_the_requested_size_and_markers_in_mediator_colours(tmp_path, colours, size, shared_chromium):
    from PIL import Image

    out = tmp_path / "russia.png"
    res = brief("--mediator", "Russia", "--from", "2016", "--to", "2024", "--size", size, "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "3 meetings at 2 venues" in res.stdout
    png = out.read_bytes()
    w, h = (int(n) for n in size.split("x"))
    assert Image.open(io.BytesIO(png)).size == (w, h)
    # Sochi (Russia only) is drawn in Russia's colour; no marker is in the EU's or the USA's
    assert colour_pixels(png, colours["Russia"], map_box(w, h)) >= 50
    assert colour_pixels(png, colours["EU"], map_box(w, h), tol=20) == 0
    assert colour_pixels(png, colours["USA"], map_box(w, h), tol=20) == 0


@needs_chromium
@pytest.mark.browser
@pytest.mark.parametrize("mediator", ["France", "OSCE Minsk Group", "EU", "Russia", "USA", "none"])
def test_every_filtered_mediators_colour_is_in_the_picture(tmp_path, colours, mediator, shared_chromium):
    """France and the OSCE Minsk Group only ever share a venue with another mediator: their
    colour is a ring there (issue 11: a black "several mediators" dot hid them)."""
    out = tmp_path / "m.png"
    res = brief("--mediator", mediator, "--size", "1280x720", "--out", str(out))
    assert res.returncode == 0, res.stderr
    png = out.read_bytes()
    assert colour_pixels(png, colours[mediator], map_box(1280, 720), tol=12) >= 20, mediator


@needs_chromium
@pytest.mark.browser
def test_html_is_self_contained_and_draws_offline(tmp_path, browser):
    from geo.present.brief import SIZES
    from geo.present.render import capture

    out = tmp_path / "eu.html"
    res = brief("--mediator", "EU", "--title", "EU-mediated talks", "--out", str(out))
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    assert remote_references(page) == []
    assert "EU-mediated talks" in page
    # Opened with every http(s) request blocked: nothing is asked for, and the map still draws.
    shot = capture(page, SIZES["1280x720"], browser=browser)
    assert shot.blocked == () and shot.errors == ()
    assert shot.markers == shot.visible == 2  # Brussels and Geneva, both in view
    assert (
        "EU-mediated talks" in shot.text and "Mediated by European Union" in shot.text
    )  # a custom title: the subtitle names them


@pytest.mark.slow
def test_slide_templates_are_found_from_any_folder(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "eu.html"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "brief",
            "--mediator",
            "EU",
            "--title",
            "EU-mediated talks",
            "--out",
            str(out),
            "--data",
            str(FIXTURE_DATA),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert res.returncode == 0, res.stderr
    page = out.read_text(encoding="utf-8")
    assert '<h1 id="brief-title">EU-mediated talks</h1>' in page and "venue-label" in page  # slide and map templates


@pytest.mark.parametrize("host", ["KZ", "kazakhstan"])
def test_host_filter_on_the_command_line(tmp_path, host):
    out = tmp_path / "kz.html"
    res = brief("--host", host, "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "1 meeting at 1 venue, 2024" in res.stdout
    assert "Armenia–Azerbaijan talks, 2024, hosted by Kazakhstan" in out.read_text(encoding="utf-8")


@needs_chromium
@pytest.mark.browser
def test_empty_result_is_a_picture_not_an_error(tmp_path, shared_chromium):
    from PIL import Image

    out = tmp_path / "none.png"
    res = brief("--mediator", "Germany", "--size", "1280x720", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "no meetings match" in res.stdout
    assert Image.open(out).size == (1280, 720)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--mediator", "Narnia"],
            "unknown mediator 'Narnia'; valid mediators: Russia, EU, France, USA, OSCE Minsk Group",
        ),
        (["--from", "2024", "--to", "2016"], "impossible year range 2024–2016"),
        (
            ["--from", "2030"],
            "impossible year range: --from 2030 is after the last year in the data; the data covers 2016–2024",
        ),
        (["--to", "1990"], "impossible year range: --to 1990 is before the first year in the data"),
        (["--level", "kings"], "unknown level 'kings'; valid levels: leaders, foreign ministers, other"),
        (["--status", "rumoured"], "unknown status 'rumoured'; valid statuses: held, planned, cancelled"),
        (["--size", "800x600"], "unknown size '800x600'; valid sizes: 1920x1080, 1280x720"),
        (["--from", "twenty"], "argument --from: invalid int value: 'twenty'"),
        (["--title", "x" * 400], "a slide title can have at most 300"),
        (["--host", "Narnia"], "unknown host 'Narnia'; hosts in the data: AT (Austria), BE (Belgium)"),
    ],
)
def test_bad_arguments_exit_2_with_the_valid_values(tmp_path, args, message):
    out = tmp_path / "never.png"
    res = brief(*args, "--out", str(out))
    assert res.returncode == 2
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "make_out, message",
    [
        (lambda d: (d / "a-file").write_text("x") and d / "a-file" / "brief.png", "is a file, not a directory"),
        (lambda d: d / "brief.jpg", "the file name must end in .png, .html, .gif or .mp4"),
        (lambda d: (d / "folder.png").mkdir() or d / "folder.png", "is a directory"),
    ],
    ids=["parent-is-a-file", "wrong-suffix", "out-is-a-directory"],
)
def test_unwritable_output_exits_2_before_any_work(tmp_path, make_out, message):
    out = make_out(tmp_path)
    res = brief("--out", str(out))
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr


def test_bad_data_names_file_row_and_field(tmp_path):
    for name in ("venues.csv", "meetings.csv", "mediators.csv"):
        shutil.copy(FIXTURE_DATA / name, tmp_path / name)
    rows = list(csv.DictReader((tmp_path / "meetings.csv").open(encoding="utf-8")))
    rows[1]["mediators"] = "Atlantis"
    with (tmp_path / "meetings.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    res = brief("--out", str(tmp_path / "x.png"), data=tmp_path)
    assert res.returncode == 2
    assert "meetings.csv, row 3, field 'mediators': unknown mediator 'Atlantis'" in res.stderr
    assert not (tmp_path / "x.png").exists()
