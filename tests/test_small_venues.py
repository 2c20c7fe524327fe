"""Small venues (towns under 15,000 people, from GeoNames cities500): resolved only for a venue
named with a meeting cue, and never over a larger place or a country of the same name."""

from __future__ import annotations

import pytest

from geo.ingest.corpus import read_corpus
from geo.places.gazetteer import Place
from geo.places.mentions import find_mentions
from geo.places.resolve import distance_km


def _mentions(gaz, tmp_path, sentence):
    (tmp_path / "s.txt").write_text("date: 2024-01-10\n\n" + sentence + "\n")
    return find_mentions(read_corpus(tmp_path).articles[0], gaz)


def _point(lat, lon):
    return Place("", "", lat, lon, None, 0, "", "city", "manual")


# sentence, surface, country, (lat, lon) from GeoNames
SMALL_VENUES = [
    ("The foreign ministers met in Tsaghkadzor on Tuesday.", "Tsaghkadzor", "AM", (40.5325, 44.72323)),
    ("The leaders held talks in Cholpon-Ata, on the shore of Issyk-Kul.", "Cholpon-Ata", "KG", (42.64944, 77.08225)),
    ("Talks in Borjomi, Georgia, ended late at night.", "Borjomi", "GE", (41.84692, 43.3971)),
    ("The prime ministers met at Bled, a lakeside resort, for an informal summit.", "Bled", "SI", (46.36859, 14.11652)),
    ("The leaders met in Cernobbio for talks on the lake.", "Cernobbio", "IT", (45.84307, 9.07194)),
    ("The summit was held in Davos, a Swiss resort.", "Davos", "CH", (46.80429, 9.83723)),
    ("The ministers met in Gabala, a resort town in Azerbaijan.", "Gabala", "AZ", (40.98139, 47.84583)),
    ("The presidents met in the Alpine resort town of Davos on Thursday.", "Davos", "CH", (46.80429, 9.83723)),
    ("Talks were held at the spa town of Jermuk in May.", "Jermuk", "AM", (39.83948, 45.67112)),
    # a `wrong` alias (GeoNames' big Jermuk is Çermik, Turkey) does not keep out the right small town
    ("The two delegations held talks in Jermuk on Friday.", "Jermuk", "AM", (39.83948, 45.67112)),
    # Russian case forms by their Latin spelling, French after "à"
    ("Лидеры провели переговоры в Чолпон-Ате.", "Чолпон-Ате", "KG", (42.64944, 77.08225)),
    ("Министры встретились в Цахкадзоре во вторник.", "Цахкадзоре", "AM", (40.5325, 44.72323)),
    ("Президенты встретились в Давосе на полях форума.", "Давосе", "CH", (46.80429, 9.83723)),
    ("Les ministres se sont réunis à Gabala mardi.", "Gabala", "AZ", (40.98139, 47.84583)),
    ("Les dirigeants se sont rencontrés à Borjomi.", "Borjomi", "GE", (41.84692, 43.3971)),
]


@pytest.mark.parametrize("sentence, surface, country, point", SMALL_VENUES)
def test_small_venue_with_a_cue_resolves(gazetteer, tmp_path, sentence, surface, country, point):
    (m,) = [m for m in _mentions(gazetteer, tmp_path, sentence) if m.text == surface]
    assert (m.role, m.reason) == ("venue", "meeting cue")
    assert m.how == "small"
    assert m.place.country == country
    assert distance_km(m.place, _point(*point)) <= 10


@pytest.mark.parametrize(
    "sentence, surface",
    [
        ("Tourists walked through Tsaghkadzor all winter.", "Tsaghkadzor"),  # a passing mention: no cue
        ("He was born in Jermuk and moved to Yerevan.", "Jermuk"),  # no meeting cue in the sentence
        ("Tsaghkadzor is a ski resort.", "Tsaghkadzor"),  # named, but not after in/at
        ("He skied in the resort town of Davos every winter.", "Davos"),  # no meeting cue
    ],
)
def test_small_town_without_a_venue_cue_is_not_a_place(gazetteer, tmp_path, sentence, surface):
    assert not [m for m in _mentions(gazetteer, tmp_path, sentence) if m.text == surface and m.place is not None]


@pytest.mark.parametrize(
    "sentence, surface, country",
    [
        ("The presidents met in Georgia on Monday.", "Georgia", "GE"),  # a country: never a small Georgia
        ("The ministers met in Moscow for talks.", "Moscow", "RU"),  # not a small Moscow anywhere
        ("The leaders met in Woodstock for talks.", "Woodstock", "CA"),  # the larger Woodstock keeps the name
        ("The leaders met in Granada for talks.", "Granada", "ES"),
        ("The envoys held talks in Lebanon last week.", "Lebanon", "LB"),  # a country, not a small US Lebanon
        ("The ministers met in Jordan for talks.", "Jordan", "JO"),
    ],
)
def test_a_small_namesake_never_beats_a_larger_place(gazetteer, tmp_path, sentence, surface, country):
    (m,) = [m for m in _mentions(gazetteer, tmp_path, sentence) if m.text == surface]
    assert m.how != "small" and m.place.country == country


def test_a_project_alias_keeps_its_meaning(gazetteer, tmp_path):
    (m,) = [
        m for m in _mentions(gazetteer, tmp_path, "The presidents met at Strelna for a summit.") if m.text == "Strelna"
    ]
    assert (m.place.name, m.how) == ("St. Petersburg", "alias")  # data/aliases.csv: the suburb's city


def test_small_index_leaves_out_names_held_elsewhere(gazetteer):
    for key in ("georgia", "moscow", "woodstock", "kazan", "march", "russian"):
        assert gazetteer.small_lookup(key) == ()
    assert gazetteer.small_lookup("tsaghkadzor")[0].country == "AM"


def test_no_small_name_is_a_name_of_the_other_indexes(gazetteer):
    assert set(gazetteer._small).isdisjoint(gazetteer._index)


def test_a_small_town_takes_its_display_name(gazetteer):
    (place,) = gazetteer.small_lookup("gabala")
    assert place.name == "Gabala"  # data/aliases.csv `display`
    assert not gazetteer.in_scan("gabala")  # a display name does not make it a running-text name


def test_unknown_name_after_at_is_not_reported(gazetteer, tmp_path):
    assert not [m for m in _mentions(gazetteer, tmp_path, "The leaders met at Zzyzxqton for talks.") if m.how]


def test_qualifier_that_no_small_namesake_matches_leaves_it_unresolved(gazetteer, tmp_path):
    found = _mentions(gazetteer, tmp_path, "The leaders met in Tsaghkadzor, Spain, for talks.")
    assert not [m for m in found if m.text == "Tsaghkadzor" and m.place is not None]


# Researched summit sites GeoNames lacks (data/sites.csv): shown under their town, at their own point.
SITES = [
    ("The two ministers talked at the Bürgenstock resort above the lake.", "Bürgenstock resort", "Burgenstock", "CH"),
    ("Ministers met at Burgenstock on Saturday.", "Burgenstock", "Burgenstock", "CH"),
    ("The leaders met at Blenheim Palace for an hour.", "Blenheim Palace", "Woodstock", "GB"),
    ("Главы МИД встретились в замке Castel Mimi в четверг.", "Castel Mimi", "Bulboaca", "MD"),
    ("Переговоры прошли в резиденции Бочаров ручей.", "Бочаров ручей", "Sochi", "RU"),
]


@pytest.mark.parametrize("sentence, surface, town, country", SITES)
def test_researched_site_resolves_to_its_town(gazetteer, tmp_path, sentence, surface, town, country):
    found = [m for m in _mentions(gazetteer, tmp_path, sentence) if m.text == surface]
    assert found and (found[0].place.name, found[0].place.country, found[0].place.precision) == (town, country, "venue")


@pytest.mark.parametrize(
    "sentence",
    [
        "They met at Blenheim Palace, the estate in Woodstock, on Thursday.",
        "The talks in Woodstock were held at Blenheim Palace.",
    ],
)
def test_a_sites_town_named_beside_it_is_that_town_not_a_larger_namesake(gazetteer, tmp_path, sentence):
    woodstock = [m for m in _mentions(gazetteer, tmp_path, sentence) if m.text == "Woodstock"]
    assert woodstock and woodstock[0].place.country == "GB"


def test_every_site_row_has_a_source_and_a_town(gazetteer):
    from geo.core.tables import SITES as SITES_TABLE
    from geo.core.tables import read_table
    from geo.places.gazetteer import SITES as SITES_PATH

    rows = read_table(SITES_PATH, SITES_TABLE, hint=None)
    assert rows and all(r.source_url.startswith("https://") and r.town for r in rows)
