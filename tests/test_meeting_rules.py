"""The named rules of meeting extraction, one by one, in English, Russian and French (sentences
of our own)."""

from __future__ import annotations

import pytest

from geo.meetings.extract import level_hint


@pytest.mark.parametrize(
    "words, level",
    [
        ("the foreign ministers met in oslo", "foreign ministers"),
        ("the two top diplomats met in oslo", "foreign ministers"),
        ("главы мид двух стран встретились в казани", "foreign ministers"),
        ("министры иностранных дел армении и азербайджана", "foreign ministers"),
        ("les chefs de la diplomatie se sont retrouvés à lyon", "foreign ministers"),
        ("le ministre des affaires étrangères arménien", "foreign ministers"),
        ("the two presidents met in oslo", "leaders"),
        ("лидеры двух стран встретились", "leaders"),
        ("les deux dirigeants se sont vus à nice", "leaders"),
        ("the deputy prime ministers' commission met", ""),
        ("the delegations met in oslo", ""),
    ],
)
def test_level_named_by_the_words(words, level):
    assert level_hint(words) == level
