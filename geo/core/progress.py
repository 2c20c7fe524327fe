"""Progress of a long run, on stderr: items done, rate, time left — quiet for short runs.

    progress = Progress("extraction", total=len(articles), size=total_bytes)
    for a in articles:
        ...
        progress.step(len(a.text))
    progress.done()

A line appears at most every ``every`` seconds and only once a run has taken that long, so a
small build prints nothing extra and a 10,000-article build says where it is.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(
        self,
        label: str,
        total: int,
        size: int = 0,
        *,
        out: TextIO | None = None,
        every: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.label, self.total, self.size = label, total, size
        self.out = out if out is not None else sys.stderr
        self.every, self.clock = every, clock
        self.start = self.last = clock()
        self.done_items = self.done_bytes = 0
        self.printed = False

    def step(self, nbytes: int = 0, items: int = 1) -> None:
        self.done_items += items
        self.done_bytes += nbytes
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self._line(now)

    def announce_large(self, items: list[tuple[str, int]], limit: int = 5_000_000) -> None:
        """Say up front which items are large enough to take a while on their own (a line per
        item comes only after it is done, so one 50 MB article would otherwise be silent)."""
        for name, nbytes in items:
            if nbytes >= limit:
                print(
                    f"{self.label}: {name} is {nbytes / 1e6:.1f} MB; it is read as one piece (about a second per MB)",
                    file=self.out,
                    flush=True,
                )
                self.printed = True

    def done(self) -> None:
        """A closing line, when progress was shown at all."""
        if self.printed:
            self._line(self.clock(), final=True)

    def line(self, now: float, final: bool = False) -> str:
        elapsed = max(now - self.start, 1e-9)
        text = f"{self.label}: {self.done_items:,}/{self.total:,} articles"
        if self.total:
            text += f" ({100 * self.done_items / self.total:.0f}%)"
        if self.done_bytes:
            text += f", {self.done_bytes / 1e6 / elapsed:.2f} MB/s"
        if final:
            return text + f", {elapsed:.0f} s in all"
        frac = (self.done_bytes / self.size) if self.size else (self.done_items / self.total if self.total else 0)
        if frac > 0:
            text += f", about {elapsed * (1 - frac) / frac:.0f} s left"
        return text

    def _line(self, now: float, final: bool = False) -> None:
        print(self.line(now, final), file=self.out, flush=True)
        self.printed = True
