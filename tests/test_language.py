"""The text layer: the sentence splitter's two rule sets and the word lists in data/lexicon."""

from __future__ import annotations

import re

import pytest

from geo.core.errors import DataError
from geo.language.guess import language_code
from geo.language.sentences import GAPLESS, TRIMMED, Sentences, split
from geo.language.words import (
    LEXICON_DIR,
    alternation,
    entries,
    languages_with,
    supported_languages,
    whole_words,
    word_list,
    words,
)

LISTS = sorted(p.stem for p in (LEXICON_DIR / "en").glob("*.csv"))
USE = re.compile(r"^(?:places|meetings|sentences)(?:\.[a-z_]+)?$")


@pytest.mark.parametrize(
    "text, n",
    [
        ("One. Two! Three?", 3),
        ("Talks in St. Petersburg went on. Then Sept. 27 came.", 2),
        ("A hard-wrapped paragraph whose first line runs on past the margin\nand ends on the next one.", 1),
        ("Short headline\nBody sentence.", 2),
        ("Headline\n\nBody sentence one. Body two.", 3),
        ("The U.S. did not only offer a venue. It took part.", 2),
    ],
)
def test_trimmed_sentences(text, n):
    spans = split(text, 0, TRIMMED)
    assert len(spans) == n, [text[s:e] for s, e in spans]
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)


@pytest.mark.parametrize(
    "text, starts",
    [
        ("One. Two! Three?", [0, 5, 10]),
        ("Talks in St. Petersburg went on. Then Gen. Smith came.", [0, 33]),
        ("He left. then he came back.", [0]),  # a full stop before a small letter ends nothing
        ("Headline\n\nBody.", [0, 10]),  # a blank line ends a sentence; the gap stays with the first
    ],
)
def test_gapless_sentences_cover_the_text(text, starts):
    spans = split(text, 0, GAPLESS)
    assert [s for s, _ in spans] == starts
    assert spans[-1][1] == len(text) and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    "text",
    [
        "Short headline\nBody sentence.",  # a headline line: one sentence for GAPLESS, two for TRIMMED
        "It was Sept. 27 then.",  # "Sept." is an abbreviation for TRIMMED only
        "They met. then left.",  # a small letter after the stop: an end for TRIMMED only
    ],
)
def test_the_two_rule_sets_differ_where_documented(text):
    gapless = [s for s, _ in split(text, 0, GAPLESS)]
    trimmed = [s for s, _ in split(text, 0, TRIMMED)]
    assert gapless != trimmed


def test_around_finds_the_sentence_of_an_offset():
    text = "One sentence. Another one."
    index = Sentences(split(text, 0, GAPLESS))
    assert index.around(0) == (0, 14) and index.around(13) == (0, 14) and index.around(14) == (14, len(text))


@pytest.mark.parametrize("name", LISTS)
def test_every_word_list_reads_and_names_known_uses(name):
    rows = word_list(name)
    assert rows
    for row in rows:
        assert row.word == row.word.strip() and row.used_by
        assert all(USE.match(u) for u in row.used_by), (row.word, row.used_by)


def test_alternation_puts_longer_words_first_and_honours_unless_after():
    cues = re.compile(r"\b(?:" + alternation("cues", "places") + r")\b", re.IGNORECASE)
    assert cues.search("a conference in Vienna") and not cues.search("a press conference in Vienna")
    # without the look-behinds of unless_after
    plain = [re.sub(r"\(\?<![^)]*\)", "", w) for w in alternation("cues", "meetings", "en").split("|")]
    meetings = [re.sub(r"\\(.)", r"\1", w) for w in plain]  # unescaped
    assert [len(w) for w in meetings] == sorted((len(w) for w in meetings), reverse=True)
    assert sorted(meetings) == sorted(words("cues", "meetings", "en"))


def test_a_use_no_word_names_is_an_error():
    with pytest.raises(DataError) as exc:
        entries("cues", "places.no_such_rule")
    assert "cues.csv" in exc.value.problems[0].path


def test_words_keep_file_order():
    assert words("titles", "places")[:2] == ("President", "Minister")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The ministers met in the capital on Monday and said that talks were useful.", "en"),
        ("Les ministres se sont rencontrés lundi dans la capitale et ont salué des pourparlers utiles.", "fr"),
        ("Die Minister haben sich am Montag in der Hauptstadt getroffen und die Gespräche sind nicht beendet.", "de"),
        ("Министры встретились в понедельник в столице и назвали переговоры полезными.", "ru"),
        ("Міністри зустрілися в понеділок у столиці, і переговори їх були корисні.", "uk"),
        ("Նախարարները հանդիպեցին երկուշաբթի մայրաքաղաքում։", "hy"),
        ("2023 — 14 / 05", "und"),
    ],
)
def test_language_code_is_a_cheap_guess_from_script_and_common_words(text, code):
    assert language_code(text) == code


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("The two leaders met in Vienna for talks.", ["met", "talks"]),
        ("Les deux dirigeants se sont rencontrés à Vienne lors d'un sommet.", ["rencontrés", "sommet"]),
        ("Лидеры встретились в Вене, переговоры продолжались час.", ["встретились", "переговоры"]),
    ],
)
def test_a_rule_reads_every_languages_copy_of_a_list(sentence, found):
    assert whole_words("cues", "meetings").findall(sentence) == found


def test_each_language_folder_is_a_supported_language_and_english_comes_first():
    assert {"en", "fr", "ru"} <= supported_languages()
    assert languages_with("cues")[0] == "en" and "ru" in languages_with("cues")
    assert languages_with("titles") == ("en",)  # a language holds only the lists it needs


@pytest.mark.parametrize("rules", [GAPLESS, TRIMMED])
@pytest.mark.parametrize(
    ("text", "first_words"),
    [
        ("« Nous avons avancé. » Le ministre est parti. À Vienne, rien.", ["«", "Le", "À"]),
        ("Переговоры прошли в Вене. «Мы договорились», — заявил он. Ёлка стоит.", ["Переговоры", "«Мы", "Ёлка"]),
        ("Talks ended. Élysée officials left.", ["Talks", "Élysée"]),
    ],
)
def test_sentences_end_before_french_quotes_accented_and_cyrillic_capitals(rules, text, first_words):
    assert [text[s:e].split()[0] for s, e in split(text, 0, rules)] == first_words


@pytest.mark.parametrize(
    "sentence, cue",
    [
        ("The two leaders had a long conversation in Davos.", True),
        ("The two leaders had a phone conversation on Monday.", False),
        ("They held a telephone conversation late at night.", False),
        ("A video conversation was arranged.", False),
    ],
)
def test_a_cue_is_cancelled_by_any_of_its_words_before_it(sentence, cue):
    from geo.meetings.extract import CUE

    assert any(m.group(0).lower() == "conversation" for m in CUE.finditer(sentence)) is cue
