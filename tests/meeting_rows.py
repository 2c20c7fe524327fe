"""Meetings in the app's loaded shape, written as a few fields each (the rest filled with a
plain held bilateral in Geneva), for tests of the map and the slide."""

from __future__ import annotations

import pandas as pd

from geo.core.schema import meetings_frame
from geo.core.tables import MEETINGS


def frame(*rows: dict) -> pd.DataFrame:
    """Meetings in the loaded shape (year, when, mediator_list...) from a few fields each (ids
    m0, m1, … in the given order)."""
    base = {c: "" for c in MEETINGS.names}
    full = []
    for i, r in enumerate(rows):
        row = dict(
            base,
            id=f"m{i}",
            date="2020-01-01",
            date_precision="day",
            venue="Geneva",
            mediators="none",
            level="leaders",
            format="bilateral",
            status="held",
            documents="a.txt",
            evidence="a.txt:0-10",
        )
        row.update(r)
        full.append(row)
    return meetings_frame(full)
