"""The named rules of meeting extraction, one by one, in English, Russian and French (sentences
of our own)."""

from __future__ import annotations

import pytest

from geo.meetings.dates_in_text import find_dates
from geo.meetings.extract import (
    PEOPLE_IN,
    QUOTED_SITE,
    SPEECH_SETTING,
    VenueMention,
    in_aside,
    level_hint,
    nearer_another_place,
    reaction_scene,
    spoken_from,
)
from geo.meetings.status import Wording


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


def _before(sentence: str, place: str) -> str:
    return sentence[: sentence.index(place)]


@pytest.mark.parametrize(
    "sentence, place, spoke",
    [
        ("Speaking in Yerevan on Tuesday, the prime minister said more.", "Yerevan", False),
        ("The prime minister stated in Kazan that talks would go on.", "Kazan", True),
        ("Пашинян заявил в Ереване, что переговоры продолжатся.", "Ереване", True),
        ("« Nous avançons », a déclaré à Erevan le Premier ministre.", "Erevan", True),
        ("Aliev, qui s'exprimait mardi à Bakou, a salué la rencontre.", "Bakou", True),
        ("The ministers said at talks in Vienna that they agreed.", "Vienna", False),
        ("Лидеры встретились в Москве.", "Москве", False),
    ],
)
def test_where_someone_spoke(sentence, place, spoke):
    assert spoken_from(_before(sentence, place)) == spoke


@pytest.mark.parametrize(
    "sentence, place, located",
    [
        ("Analysts in Baku and Yerevan still describe it as a missed chance.", "Baku", True),
        ("Analysts in Baku and Yerevan still describe it as a missed chance.", "Yerevan", True),
        ("Armenian opposition politicians in Yerevan criticised the meeting.", "Yerevan", True),
        ("Эксперты в Ереване и Баку сходятся в одном.", "Баку", True),
        ("Les analystes à Bakou restent prudents.", "Bakou", True),
        ("The two leaders met in Brussels with officials.", "Brussels", False),
        ("Officials met the ministers in Vienna.", "Vienna", False),
    ],
)
def test_people_located_in_a_place(sentence, place, located):
    assert bool(PEOPLE_IN.search(_before(sentence, place))) == located


@pytest.mark.parametrize(
    "sentence, place, reaction",
    [
        ("В Баку результаты встречи в Москве пока не комментировали.", "Баку", True),
        ("В Баку и Ереване итоги встречи назвали обнадёживающими.", "Ереване", True),
        ("À Bakou, la présidence a jugé les discussions « utiles ».", "Bakou", True),
        ("In Baku, officials welcomed the outcome of the talks.", "Baku", True),
        ("В Москве лидеры обсудили мирный договор, сообщил Кремль.", "Москве", False),
        ("In Vienna, the presidents met and said they were pleased.", "Vienna", False),
        ("À Genève, les ministres doivent se retrouver, a indiqué un diplomate.", "Genève", False),
        ("Diplomats said the leaders met in Baku.", "Baku", False),
    ],
)
def test_a_place_that_opens_a_reaction(sentence, place, reaction):
    at = sentence.index(place)
    assert reaction_scene(sentence, 0, len(sentence), at, Wording.of(sentence)) == reaction


@pytest.mark.parametrize(
    "sentence, venue, other, date_text, nearer_other",
    [
        (
            "The Berlin talks continued the meeting held on 17 February in Munich.",
            "Berlin",
            "Munich",
            "17 February",
            True,
        ),
        ("They met in Brussels on 14 May and in Moscow on 25 May.", "Brussels", "Moscow", "14 May", False),
        ("They met in Brussels on 14 May and in Moscow on 25 May.", "Brussels", "Moscow", "25 May", True),
        ("Переговоры в Берлине продолжили встречу 17 февраля в Мюнхене.", "Берлине", "Мюнхене", "17 февраля", True),
        ("On Monday in Sochi, after talks in Moscow, the leaders met.", "Sochi", "Moscow", "Monday", False),
    ],
)
def test_a_date_belongs_to_the_nearest_place(sentence, venue, other, date_text, nearer_other):
    def mention(name):
        at = sentence.index(name)
        return VenueMention(at, at + len(name), name, name, "XX")

    (x,) = [d for d in find_dates(sentence) if d.text == date_text]
    assert nearer_another_place(x, mention(venue), [mention(other)]) == nearer_other


@pytest.mark.parametrize(
    "before, site",
    [
        ("Путин провёл переговоры в резиденции «", True),
        ("они встретились в замке «", True),
        ("the leaders met at the residence '", True),
        ("les dirigeants se sont vus au château « ", True),
        ("les dirigeants se sont vus au palais de ", False),  # unquoted: "Blenheim" alone is a namesake
        ("the leaders praised the 'spirit of ", False),
    ],
)
def test_a_quoted_name_after_a_site_noun_is_a_place(before, site):
    assert bool(QUOTED_SITE.search(before)) == site


@pytest.mark.parametrize(
    "sentence, place, setting",
    [
        ("In an interview in Baku on Wednesday, Aliyev praised the talks.", "Baku", True),
        ("At a press conference in Yerevan, Pashinyan spoke of the meeting.", "Yerevan", True),
        ("В интервью в Баку Алиев заявил, что переговоры были полезными.", "Баку", True),
        ("На пресс-конференции в Ереване Пашинян рассказал о встрече.", "Ереване", True),
        ("Dans un entretien accordé mercredi à Bakou, Aliev a jugé la rencontre utile.", "Bakou", True),
        ("Lors d'une conférence de presse à Erevan, Pachinian a évoqué la rencontre.", "Erevan", True),
        ("Pachinian et Aliev ont eu un entretien à Bruxelles.", "Bruxelles", False),  # talks, not an interview
        ("The leaders met in Brussels after a briefing by aides.", "Brussels", False),
    ],
)
def test_an_occasion_for_speaking_is_not_a_venue(sentence, place, setting):
    assert bool(SPEECH_SETTING.search(_before(sentence, place))) == setting


@pytest.mark.parametrize(
    "sentence, place, aside",
    [
        ("Pashinyan, who was in Paris on a visit, said he would meet Aliyev in Brussels.", "Paris", True),
        ("Пашинян, находившийся с визитом в Париже, заявил, что встретится с Алиевым.", "Париже", True),
        ("Pachinian, qui se trouvait à Paris, a annoncé une rencontre à Bruxelles.", "Paris", True),
        ("Pashinyan, who met Aliyev in Geneva, returned home.", "Geneva", False),  # the aside has the cue
        ("Встреча, которую планировали провести в Женеве, была отменена.", "Женеве", False),  # the meeting's
        ("Pashinyan, who was in Paris on a visit, said he would meet Aliyev in Brussels.", "Brussels", False),
    ],
)
def test_where_a_person_was_in_an_aside(sentence, place, aside):
    at = sentence.index(place)
    assert in_aside(sentence, 0, len(sentence), at, at + len(place)) == aside
