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


@pytest.mark.parametrize(
    "word, spelling, absent",
    [
        ("Чолпон-Ате", "cholpon-ata", None),
        ("Давосе", "davos", None),
        ("Цахкадзоре", "tsaghkadzor", None),
        ("Габале", "gabala", None),
        ("Белом", None, "bely"),  # "в Белом доме": no stem of four letters, no "й" after a consonant
        ("Davos", None, "davos"),  # Latin words are left alone
    ],
)
def test_latin_spellings_of_a_case_form(word, spelling, absent):
    from geo.language.russian import latin_spellings

    got = latin_spellings(word)
    assert spelling is None or spelling in got
    assert absent is None or absent not in got
