"""The Chromium that renders pictures stays off the network: no DNS query, no connection to any
host but the loopback — recorded with strace around a real render of a slide."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from geo.core.paths import ROOT
from geo.present.browser import chromium_path

# One render in a child process: a slide with a map, as the briefing makes it.
RENDER = textwrap.dedent("""
    from datetime import date
    from geo.core.schema import load_dataset
    from geo.present.brief import SIZES, compose, page_html
    from geo.present.filters import Filters
    from geo.present.render import capture
    ds = load_dataset({data!r})
    brief = compose(ds, Filters(), None, as_of=date(2026, 11, 23))
    shot = capture(page_html(brief, SIZES["1280x720"]), SIZES["1280x720"])
    print("markers", shot.markers)
""")

# A time-lapse in a child process: the warm renderer (geo.present.render.Renderer) steps through
# the meetings, then the frames are encoded (ffmpeg is a child process too: it must stay off the net).
TIMELAPSE = textwrap.dedent("""
    from datetime import date
    from geo.core.schema import load_dataset
    from geo.present.brief import SIZES
    from geo.present.filters import Filters
    from geo.present.render import Renderer
    from geo.present.timelapse import frame_count, make
    ds = load_dataset({data!r})
    with Renderer() as renderer:
        data = make(ds, Filters(mediators=("Russia",)), ".mp4", SIZES["1280x720"], renderer, as_of=date(2026, 11, 23))
    print("markers", frame_count(data, ".mp4"))  # frames read back; the test wants a count above 0
""")

# strace -yy names each descriptor's protocol: connect(21<UDPv6:[116585]>, {... "2001:4860::8888" ...})
CALL = re.compile(
    r"^\d+ +(connect|sendto|sendmsg)\(\d+<(\w+):[^>]*>, .*?sin6?_port=htons\((\d+)\).*?"
    r"(?:inet_addr\(\"([\d.]+)\"\)|inet_pton\(AF_INET6, \"([0-9a-f:.]+)\")",
    re.M,
)
LOOPBACK = ("127.", "::1", "::ffff:127.")


def network_calls(log: str) -> list[tuple[str, str, str, int]]:
    """(call, protocol, address, port) of every IPv4/IPv6 connect or send in an ``strace -yy`` log."""
    return [(m.group(1), m.group(2), m.group(4) or m.group(5), int(m.group(3))) for m in CALL.finditer(log)]


def off_loopback(calls: list[tuple[str, str, str, int]]) -> list[tuple[str, str, str, int]]:
    """Calls that would put a packet on the network. A UDP ``connect`` sends nothing: Chromium
    uses one to ask the kernel for a route (its IPv6 reachability probe, to a Google DNS
    address); a send on such a socket, any TCP connect, or anything to port 53 would be traffic."""
    bad = []
    for call, kind, addr, port in calls:
        if addr.startswith(LOOPBACK):
            continue
        if call == "connect" and kind.startswith("UDP") and port != 53:
            continue
        bad.append((call, kind, addr, port))
    return bad


def test_network_calls_are_read_from_an_strace_log():
    log = (
        "10 connect(21<UDPv6:[116585]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), "
        'inet_pton(AF_INET6, "2001:4860:4860::8888", &sin6_addr), sin6_scope_id=0}, 28) = 0\n'
        '11 connect(7<UDP:[4242]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0\n'
        "12 connect(9<TCP:[4343]>, {sa_family=AF_INET, sin_port=htons(8501), "
        'sin_addr=inet_addr("127.0.0.1")}, 16) = 0\n'
        "13 connect(9<TCP:[4444]>, {sa_family=AF_INET, sin_port=htons(443), "
        'sin_addr=inet_addr("142.250.1.1")}, 16) = 0\n'
        '14 connect(5<UNIX:[99]>, {sa_family=AF_UNIX, sun_path="/run/x"}, 110) = 0\n'
    )
    calls = network_calls(log)
    assert calls == [
        ("connect", "UDPv6", "2001:4860:4860::8888", 443),
        ("connect", "UDP", "10.0.0.53", 53),
        ("connect", "TCP", "127.0.0.1", 8501),
        ("connect", "TCP", "142.250.1.1", 443),
    ]
    assert off_loopback(calls) == [("connect", "UDP", "10.0.0.53", 53), ("connect", "TCP", "142.250.1.1", 443)]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("program", [RENDER, TIMELAPSE], ids=["slide-png", "timelapse-mp4"])
def test_rendering_a_slide_makes_no_dns_query_and_no_connection(tmp_path: Path, program: str):
    if chromium_path() is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (scripts/setup.sh installs Debian's strace)")
    data = ROOT / "tests" / "fixtures" / "data"
    if not (data / "meetings.csv").exists():
        data = ROOT / "data"
    log = tmp_path / "strace.log"
    script = program.format(data=str(data))
    run = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-yy",
            "-e",
            "trace=connect,sendto,sendmsg",
            "-o",
            str(log),
            sys.executable,
            "-c",
            script,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "markers" in run.stdout and not run.stdout.strip().endswith("markers 0")
    calls = network_calls(log.read_text(errors="replace"))
    assert not [c for c in calls if c[3] == 53], "a DNS query left the machine"
    assert off_loopback(calls) == []
