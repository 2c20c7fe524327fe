"""Russian case forms of known names, without a morphology package."""

from __future__ import annotations

import pytest

from geo.language.russian import base_form

KNOWN = {"москва", "брюссель", "казань", "сочи", "пашинян", "россия", "сергей"}


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("москве", "москва"),
        ("москвы", "москва"),
        ("брюсселе", "брюссель"),
        ("казани", "казань"),
        ("сочи", "сочи"),
        ("пашиняном", "пашинян"),
        ("россией", "россия"),
        ("сергея", "сергей"),
        ("пашинянович", None),  # a longer word is no case form
        ("moscow", None),  # only Cyrillic words are inflected here
        ("ям", None),  # too short to hold a stem
    ],
)
def test_a_case_form_is_read_as_the_known_name(word, base):
    assert base_form(word, KNOWN.__contains__) == base
