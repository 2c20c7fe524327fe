"""The map's palette (data/mediators.csv) survives colour-vision deficiencies and the land colour
(issue 11): colours drawn together stay ≥ 20 CIEDE2000 apart for normal vision and simulated
protanopia, deuteranopia and tritanopia; direct talks and marker outlines have ≥ 3:1 contrast
on the land."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest

from geo.core.paths import DATA
from geo.core.schema import load_dataset
from geo.present.colour import CVD, ciede2000, contrast, delta_e, lab, simulate
from geo.present.mapview import DIRECT, LAND_COLOUR, OUTLINE_COLOUR, SEA_COLOUR

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
VISIONS = (None, *CVD)  # None: normal vision
MIN_DELTA_E = 20
MIN_CONTRAST = 3


# --- the colour maths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [  # Sharma, Wu & Dalal (2005), table 1
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_matches_the_published_pairs(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_lab_contrast_and_simulation_behave():
    assert lab("#ffffff") == pytest.approx((100, 0, 0), abs=0.01)
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    for kind in CVD:
        assert delta_e(simulate("#777777", kind), "#777777") < 1  # greys look the same to everyone
    assert (
        delta_e(simulate("#ff0000", "protanopia"), simulate("#00aa00", "protanopia"))
        < delta_e("#ff0000", "#00aa00") / 2
    )  # red and green run together without L cones


# --- the palette -----------------------------------------------------------------------------


def drawn_together(data_dir: Path) -> list[tuple[str, str, str, str]]:
    """(name, colour, name, colour) for every pair of mediators the unfiltered map draws at
    once: those with meetings in the data, direct talks included."""
    ds = load_dataset(data_dir)
    present = {m for ms in ds.meetings["mediator_list"] for m in ms}
    colours = [(n, c) for n, c in zip(ds.mediators["name"], ds.mediators["colour"]) if n in present]
    return [(a, ca, b, cb) for (a, ca), (b, cb) in combinations(colours, 2)]


def seen(colour: str, vision: str | None) -> str:
    return colour if vision is None else simulate(colour, vision)


@pytest.mark.parametrize("data_dir", [DATA, FIXTURE_DATA], ids=["committed", "fixture"])
@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
def test_colours_drawn_together_are_told_apart(data_dir, vision):
    pairs = drawn_together(data_dir)
    assert len(pairs) >= 10  # at least five colours on the map
    close = [
        (a, b, round(delta_e(seen(ca, vision), seen(cb, vision)), 1))
        for a, ca, b, cb in pairs
        if delta_e(seen(ca, vision), seen(cb, vision)) < MIN_DELTA_E
    ]
    assert close == [], f"re-pick these colours in mediators.csv (CIEDE2000 < {MIN_DELTA_E})"


@pytest.mark.parametrize("data_dir", [DATA, FIXTURE_DATA], ids=["committed", "fixture"])
def test_direct_talks_and_outlines_stand_out_on_land_and_sea(data_dir):
    ds = load_dataset(data_dir)
    direct = ds.mediator_colour(DIRECT)
    for background in (LAND_COLOUR, SEA_COLOUR):
        assert contrast(direct, background) >= MIN_CONTRAST  # the hollow ring's colour
        assert contrast(OUTLINE_COLOUR, background) >= MIN_CONTRAST  # every filled marker's edge


def test_united_states_and_direct_talks_are_apart_under_protanopia():
    """The pair the issue measured at ΔE ≈ 12."""
    ds = load_dataset(DATA)
    usa, direct = ds.mediator_colour("USA"), ds.mediator_colour(DIRECT)
    assert delta_e(simulate(usa, "protanopia"), simulate(direct, "protanopia")) >= MIN_DELTA_E
