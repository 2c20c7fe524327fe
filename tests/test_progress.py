"""Progress lines: none for a short run; items, rate and time left for a long one."""

from __future__ import annotations

import io

from geo.core.progress import Progress


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_a_short_run_prints_nothing():
    out, clock = io.StringIO(), Clock()
    p = Progress("meetings", total=3, size=300, out=out, clock=clock)
    for _ in range(3):
        clock.t += 0.1
        p.step(100)
    p.done()
    assert out.getvalue() == ""


def test_a_long_run_says_where_it_is_at_most_every_interval():
    out, clock = io.StringIO(), Clock()
    p = Progress("places", total=10, size=10_000_000, out=out, clock=clock, every=2.0)
    for _ in range(10):
        clock.t += 1.0
        p.step(1_000_000)
    p.done()
    lines = out.getvalue().splitlines()
    assert lines[0] == "places: 2/10 articles (20%), 1.00 MB/s, about 8 s left"
    assert len(lines) == 6  # every 2 s, then the closing line
    assert lines[-1] == "places: 10/10 articles (100%), 1.00 MB/s, 10 s in all"


def test_a_large_item_is_announced_before_it_starts():
    out = io.StringIO()
    p = Progress("articles", total=2, size=60_000_000, out=out, clock=Clock())
    p.announce_large([("small.txt", 10_000), ("long.txt", 50_100_000)])
    assert out.getvalue() == "articles: long.txt is 50.1 MB; it is read as one piece (about a second per MB)\n"
    p.done()  # and a closing line follows, since something was said
    assert out.getvalue().count("\n") == 2
