"""Tense and status predicates (geo.meetings.status) and the confidence weights."""

from __future__ import annotations

from datetime import date

import pytest

from geo.core.dates import When
from geo.meetings.status import WEIGHTS, Wording, announces, confidence, meeting_status, reports_cancelled, reports_held


@pytest.mark.parametrize(
    "sentence",
    [
        "The two leaders would meet in Vienna, an aide said.",
        "The ministers are due to hold a round in Geneva.",
        "Both presidents are expected to attend the talks in Rome.",
        "The sides will hold another round next week.",
        "A new meeting is to be held in Oslo later this month.",
        "The presidents agreed to meet in Tallinn in the autumn.",
        "Les deux ministres doivent se retrouver mardi à Lisbonne.",
        "Le président doit recevoir ses homologues à Lyon.",
        "Les deux dirigeants se retrouveront à Nantes en mars.",
        "Une rencontre envisagée à Lille à la mi-mai.",
        "Министры должны встретиться в Казани в четверг.",
        "Стороны договорились провести следующую встречу в Риге.",
        "Лидеры соберутся в Астане осенью.",
    ],
)
def test_reported_future_is_announced(sentence):
    assert announces(sentence) and not reports_cancelled(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The meeting in Vienna did not take place.",
        "The round in Geneva was called off on Friday.",
        "Talks were postponed until the spring.",
        "The president pulled out of the summit at the last minute.",
        "A trilateral meeting never took place.",
        "The summit in Oslo will not take place this month.",
        "A meeting in Rome won't take place after all.",
        "The round planned for Bern was put off until the summer.",
        "A ministerial meeting was due in Riga, but it never happened.",
        "La rencontre de Lyon n'a jamais eu lieu.",
        "Le sommet de Nice ne se tiendra pas.",
        "La réunion de Lille a été repoussée à l'automne.",
        "Встреча в Казани отложена на неопределённый срок.",
        "Саммит в Минске не состоялся.",
        "Президент отказался приехать в Ригу.",
    ],
)
def test_cancellation_wording(sentence):
    assert reports_cancelled(sentence)


@pytest.mark.parametrize(
    "sentence, held",
    [
        ("The ministers met in Rome.", True),
        ("Talks took place in Oslo.", True),
        ("They will meet in Oslo.", False),
        ("Les deux ministres se sont entretenus à Lyon.", True),
        ("Ils s'étaient vus à Nice le mois dernier.", True),
        ("Путин собрал лидеров в Москве.", True),
        ("Лидеры коротко пообщались в Ашхабаде.", True),
        ("Ils se retrouveront à Nice.", False),
    ],
)
def test_held_wording(sentence, held):
    assert reports_held(sentence) == held


PUB = date(2024, 5, 10)


@pytest.mark.parametrize(
    "sentences, when, expected",
    [
        (["They met in Rome on Friday."], "2024-05-09", "held"),
        (["They will meet in Rome next week."], "2024-05", "planned"),
        (["They will meet in Rome on Monday."], "2024-05-13", "planned"),
        (
            ["The talks in Rome begin on Friday."],
            "2024-05-10",
            "planned",
        ),  # the publication day, nothing says it happened
        (["The talks in Rome took place on Friday."], "2024-05-10", "held"),  # the publication day, and it happened
        (["The Rome round was called off."], "2024-05-09", "cancelled"),
        (["They will meet in Rome.", "It was postponed."], None, "cancelled"),
        (["Talks in Rome are scheduled for June 3."], "2024-06-03", "planned"),  # a later date is planned
        (["They met in Rome.", "They will meet again."], None, "held"),
    ],
)
def test_meeting_status(sentences, when, expected):
    w = When.parse(when) if when else None
    assert meeting_status([Wording.of(s) for s in sentences], w, PUB) == expected


def test_undated_article_status_comes_from_wording_only():
    assert (
        meeting_status([Wording.of("They will meet in Rome on Friday.")], When.parse("2024-05-10"), None) == "planned"
    )
    assert meeting_status([Wording.of("They met in Rome on Friday.")], When.parse("2024-05-10"), None) == "held"


@pytest.mark.parametrize(
    "features, expected",
    [
        ((), 0.5),
        (("both sides in the sentence", "date to the day or month", "participants named"), 0.9),
        (("both sides in the sentence", "date to the day or month", "participants named", "several sentences"), 0.95),
        (("no date, undated article", "hypothetical wording"), 0.05),  # clipped at the floor
        (("both sides in the sentence", "date to the day or month", "date counted from an earlier date"), 0.75),
        (("date to the day or month", "participants named", "sides joined in the next sentence"), 0.65),
    ],
)
def test_confidence_from_weights(features, expected):
    assert confidence(features) == expected


def test_unknown_feature_is_an_error():
    with pytest.raises(KeyError):
        confidence(["a feature nobody weighed"])
    assert all(-1 < w < 1 for w in WEIGHTS.values())


@pytest.mark.parametrize(
    "sentence, venue, future, past, cancelled",
    [
        ("They met in Oslo, but a planned meeting in Rome collapsed.", "Oslo", False, True, False),
        ("They met in Oslo, but a planned meeting in Rome collapsed.", "Rome", True, True, True),
        ("They met in Oslo; they will meet in Rome next week.", "Rome", True, False, False),
        ("They met in Oslo; they will meet in Rome next week.", "Oslo", False, True, False),
        ("The talks in Oslo, the capital, will resume.", "Oslo", True, False, False),  # no break: the sentence
        # reported speech: the talks before "that" are past, the meeting after it ahead
        ("They said after talks in Oslo in April that they would meet in Rome in June.", "Oslo", False, True, False),
        ("They said after talks in Oslo in April that they would meet in Rome in June.", "Rome", True, False, False),
        ("После переговоров в Осло министры заявили, что встретятся в Риме.", "Осло", False, True, False),
        ("À l'issue des entretiens d'Oslo, ils ont annoncé qu'ils se verront à Rome.", "Rome", True, False, False),
    ],
)
def test_wording_of_the_venues_clause(sentence, venue, future, past, cancelled):
    from geo.meetings.status import wording_at

    w = wording_at(sentence, sentence.index(venue))
    assert (w.future, w.past, w.cancelled) == (future, past, cancelled)


@pytest.mark.parametrize(
    "sentence, venue, others, cancelled",
    [
        ("A meeting was due to take place in Riga in May, but it never happened.", "Riga", (), True),
        ("The leaders were to meet in Bern, but Aliyev pulled out.", "Bern", (), True),
        ("Встреча должна была пройти в Казани, но была отменена.", "Казани", (), True),
        ("La rencontre devait avoir lieu à Lyon, mais elle a été annulée.", "Lyon", (), True),
        ("They met in Oslo, but the talks collapsed.", "Oslo", (), False),  # held: its own clause is past
        ("They will meet in Oslo, but a planned meeting in Rome was called off.", "Oslo", ("Rome",), False),
        ("They will meet in Oslo, but the date is open.", "Oslo", (), False),
    ],
)
def test_a_plan_called_off_in_the_next_clause(sentence, venue, others, cancelled):
    from geo.meetings.status import wording_at

    w = wording_at(sentence, sentence.index(venue), places=[sentence.index(o) for o in others])
    assert w.cancelled == cancelled


@pytest.mark.parametrize(
    "sentence, forward",
    [
        ("They will meet on Monday.", True),
        ("The meeting planned for Monday did not take place.", False),
        ("The meeting planned for Dec. 7 has been called off.", True),
        ("A planned meeting in October collapsed.", False),
        ("They met on Monday.", False),
    ],
)
def test_which_way_a_bare_date_resolves(sentence, forward):
    assert Wording.of(sentence).resolves_forward == forward


@pytest.mark.parametrize(
    "sentence, forward",
    [
        ("In March the president pulled out of a planned meeting in Oslo.", False),
        ("The minister withdrew from the planned talks in Oslo in March.", False),
        ("A meeting planned for March in Oslo has been called off.", True),  # still ahead: only called off
        ("The leaders are expected to meet in Oslo in March.", True),
    ],
)
def test_a_past_withdrawal_dates_the_planned_meeting_behind(sentence, forward):
    assert Wording.of(sentence).resolves_forward is forward
