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


def venue_layers(page: str) -> list[dict]:
    """The venue layers a rendered map (or the app's swapped layer) draws, read back from the page:
    each as ``geo.present.mapview.venue_layer_data`` made it (``styles``, ``venues``, ``canvas``)."""
    import json
    import re

    decoder = json.JSONDecoder()
    return [decoder.raw_decode(page, m.end())[0] for m in re.finditer(r"TalksVenues\.draw\(\w+, ", page)]


def drawn_circles(page: str, class_name: str) -> int:
    """How many circles of the page's venue layers have this class (venue-marker: one per venue)."""
    return sum(
        layer["styles"][style].get("className") == class_name
        for layer in venue_layers(page)
        for venue in layer["venues"]
        for style, _ in venue[2]
    )
