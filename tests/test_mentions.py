"""Mentions and their roles, on fixture articles written for the tests (tests/fixtures/articles)
and on the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.ingest.corpus import read_corpus
from geo.places.gazetteer import get_gazetteer
from geo.places.mentions import find_mentions

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


@pytest.fixture(scope="module")
def fixture_mentions(gaz):
    corpus = read_corpus(FIXTURES)
    return {a.file: (a, find_mentions(a, gaz)) for a in corpus.articles}


def _mention(found, file, surface, nth=0):
    article, mentions = found[file]
    start = article.body_start - 1  # header lines are not scanned
    for _ in range(nth + 1):
        start = article.text.index(surface, start + 1)
    hits = [m for m in mentions if m.start == start and m.text == surface]
    assert hits, f"no mention of {surface!r} (occurrence {nth}) in {file}: {[(m.text, m.start) for m in mentions]}"
    return hits[0]


# (file, surface, occurrence, venue or None (unresolved), country, admin1 or None (any), role, reason)
TRAPS = [
    ("a01_petersburg.txt", "St. Petersburg", 0, "St. Petersburg", "RU", "66", "venue", "meeting cue"),  # not Florida
    ("a01_petersburg.txt", "St. Petersburg", 1, "St. Petersburg", "US", "FL", "other", "passing"),  # ", Florida"
    ("a01_petersburg.txt", "Strelna", 0, "St. Petersburg", "RU", None, "venue", "meeting cue"),  # alias
    ("a01_petersburg.txt", "YEREVAN", 0, "Yerevan", "AM", None, "other", "dateline"),
    ("a01_petersburg.txt", "Moscow", 0, "Moscow", "RU", None, "other", "metonymy"),  # "Moscow said"
    ("a01_petersburg.txt", "Baku", 0, "Baku", "AZ", None, "other", "metonymy"),  # "Baku and Yerevan agreed"
    ("a01_petersburg.txt", "Yerevan", 0, "Yerevan", "AM", None, "other", "metonymy"),
    ("a02_us.txt", "Arlington", 0, "Arlington", "US", "VA", "venue", "meeting cue"),  # Washington context
    ("a02_us.txt", "Arlington", 2, "Arlington", "US", "TX", "venue", "meeting cue"),  # ", Texas"
    ("a02_us.txt", "Washington", 0, "Washington", "US", "DC", "other", "passing"),  # not the state
    ("a02_us.txt", "Washington, D.C.", 0, "Washington", "US", "DC", "venue", "meeting cue"),
    ("a02_us.txt", "Georgia", 0, "Georgia", "GE", None, "other", "country"),  # the country
    ("a02_us.txt", "Georgia", 1, "Georgia", "US", "GA", "other", "qualifier"),  # "Atlanta, Georgia"
    ("a02_us.txt", "New York", 0, "New York", "US", "NY", "venue", "meeting cue"),
    ("a02_us.txt", "Vienna", 0, "Vienna", "AT", None, "venue", "meeting cue"),  # not Vienna, Virginia
    ("a03_spellings.txt", "Москва", 0, "Moscow", "RU", "48", "venue", "meeting cue"),
    ("a03_spellings.txt", "Praha", 0, "Prague", "CZ", None, "venue", "meeting cue"),
    ("a03_spellings.txt", "the Belgian capital", 0, "Brussels", "BE", None, "venue", "meeting cue"),
    ("a03_spellings.txt", "Alma-Ata", 0, "Almaty", "KZ", None, "other", "history"),  # the Declaration
    ("a03_spellings.txt", "Nur-Sultan", 0, "Astana", "KZ", None, "venue", "meeting cue"),
    ("a03_spellings.txt", "the Kremlin", 0, "Moscow", "RU", "48", "venue", "meeting cue"),
    ("a04_homonyms.txt", "Kazan", 0, "Kazan", "RU", "73", "venue", "meeting cue"),  # not Turkey
    ("a04_homonyms.txt", "Moscow", 0, "Moscow", "US", "ID", "other", "passing"),  # ", Idaho" said so
    ("a04_homonyms.txt", "Kazan", 1, "Kazan", "TR", None, "other", "passing"),  # "in Turkey" said so
    ("a04_homonyms.txt", "Granada", 0, "Granada", "ES", None, "venue", "meeting cue"),  # not Nicaragua
    ("a04_homonyms.txt", "Granada", 1, "Granada", "NI", None, "other", "passing"),
    ("a04_homonyms.txt", "Minsk", 0, "Minsk", "BY", None, "other", "name"),  # the Minsk Group
    ("a04_homonyms.txt", "Bishkek", 0, "Bishkek", "KG", None, "other", "history"),  # the Protocol
    ("a05_circuit.txt", "Vienna", 0, "Vienna", "AT", None, "venue", "meeting cue"),  # in a list after "met in"
    ("a05_circuit.txt", "Tbilisi", 0, "Tbilisi", "GE", None, "venue", "meeting cue"),
    ("a05_circuit.txt", "Dushanbe", 0, "Dushanbe", "TJ", None, "venue", "meeting cue"),
    ("a05_circuit.txt", "Astana", 0, "Astana", "KZ", None, "venue", "host"),  # "Astana will host"
    ("a05_circuit.txt", "Sochi", 0, "Sochi", "RU", None, "venue", "meeting cue"),  # "the Sochi talks"
    ("a05_circuit.txt", "Zvartnots", 0, None, None, None, "venue", "meeting cue"),  # unknown: kept, unresolved
    ("a06_page.html", "Genève", 0, "Geneva", "CH", None, "venue", "meeting cue"),  # HTML entity
    ("a06_page.html", "TBILISI", 0, "Tbilisi", "GE", None, "other", "dateline"),
    ("a06_page.html", "Washington", 0, "Washington", "US", "DC", "other", "metonymy"),
]


@pytest.mark.parametrize("file, surface, nth, venue, country, admin1, role, reason", TRAPS)
def test_fixture_traps(fixture_mentions, file, surface, nth, venue, country, admin1, role, reason):
    m = _mention(fixture_mentions, file, surface, nth)
    if venue is None:
        assert m.place is None
    else:
        assert (m.place.name, m.place.country) == (venue, country)
        if admin1 is not None:
            assert m.place.admin1 == admin1
    assert (m.role, m.reason) == (role, reason)


def test_traps_cover_every_fixture_article_and_every_role_found_there(fixture_mentions):
    """A new fixture article without traps, or a (role, reason) the finder gives on the
    fixtures that no trap checks, fails here."""
    assert {t[0] for t in TRAPS} == set(fixture_mentions)
    found = {(m.role, m.reason) for _, mentions in fixture_mentions.values() for m in mentions}
    checked = {(t[6], t[7]) for t in TRAPS}
    assert found <= checked, sorted(found - checked)


@pytest.mark.parametrize(
    "file, surface",
    [
        ("a01_petersburg.txt", "Vladimir"),  # Vladimir Putin, not the city of Vladimir
        ("a03_spellings.txt", "March"),
        ("a05_circuit.txt", "Over"),
    ],
)
def test_words_that_are_not_places(fixture_mentions, file, surface):
    article, mentions = fixture_mentions[file]
    assert all(m.text != surface for m in mentions)


def test_offsets_index_the_article_text(fixture_mentions):
    for article, mentions in fixture_mentions.values():
        assert mentions
        for m in mentions:
            assert article.text[m.start : m.end] == m.text
            assert m.start >= article.body_start
        starts = [m.start for m in mentions]
        assert starts == sorted(starts)


def test_header_lines_are_not_scanned(gaz, tmp_path):
    (tmp_path / "h.txt").write_text("title: Summit in Vienna\nsource: Fixture Wire\n\nNothing happened anywhere.\n")
    article = read_corpus(tmp_path).articles[0]
    assert find_mentions(article, gaz) == []


@pytest.mark.parametrize(
    "sentence, role, reason",
    [
        ("The two presidents met in Prague on Thursday.", "venue", "meeting cue"),
        ("Prague said it would not take sides.", "other", "metonymy"),
        ("Prague’s position has not changed.", "other", "metonymy"),
        ("The Prague talks ended without a deal.", "venue", "meeting cue"),
        ("Prague will host the next round.", "venue", "host"),
        ("Tourists crowded the bridges in Prague.", "other", "passing"),
        ("PRAGUE, May 3 (Fixture Wire) — Nothing was agreed.", "other", "dateline"),
        ("The Prague Declaration was signed long ago.", "other", "history"),
        ("Foreign ministers gathered in the Czech capital for consultations.", "venue", "meeting cue"),
        ("Diplomats in Prague said the summit in Vienna would go ahead.", "other", "passing"),
        ("The leaders met in Prague’s castle district on Friday.", "venue", "meeting cue"),
        ("Sources in Prague told reporters that the talks had stalled.", "other", "passing"),
        ("Speaking at a press conference in Prague, the envoy said talks would resume.", "other", "passing"),
        ("Prague or Vienna could host the signing ceremony.", "venue", "host"),
        ("In Prague, the president said a treaty could be signed soon.", "other", "passing"),
        ("In Prague, the two leaders refused to shake hands before their meeting.", "venue", "meeting cue"),
        ("The ministers met in Prague, officials said.", "venue", "meeting cue"),
        ("Talks planned for Prague next month were called off.", "venue", "meeting cue"),
        ("Ministers talk in Prague", "venue", "meeting cue"),
        ("The minister thanked Prague for its support in the talks.", "other", "passing"),
    ],
)
def test_roles_in_single_sentences(gaz, tmp_path, sentence, role, reason):
    (tmp_path / "s.txt").write_text("date: 2024-01-10\n\n" + sentence + "\n")
    article = read_corpus(tmp_path).articles[0]
    (m,) = [m for m in find_mentions(article, gaz) if m.place is not None and m.place.name == "Prague"]
    assert (m.role, m.reason) == (role, reason)


def test_old_years_make_history(gaz, tmp_path):
    (tmp_path / "y.txt").write_text("date: 2024-01-10\n\nIn 1994 the sides held talks in Bishkek.\n")
    (m,) = find_mentions(read_corpus(tmp_path).articles[0], gaz)
    assert (m.place.name, m.role, m.reason) == ("Bishkek", "other", "history")


# The venues the curated meetings use must be found as venues in the seed articles.
SEED_VENUES = ["St. Petersburg", "Brussels", "Prague", "Sochi", "Almaty", "Washington", "New York", "Moscow", "Kazan"]


@pytest.mark.parametrize("venue", SEED_VENUES)
def test_seed_venues_are_found_as_venues(gaz, seeds_dir, venue):
    corpus = read_corpus(seeds_dir)
    found = {m.place.name for a in corpus.articles for m in find_mentions(a, gaz) if m.role == "venue" and m.place}
    assert venue in found


def test_seed_metonymy_and_history(gaz, seeds_dir):
    corpus = read_corpus(seeds_dir)
    roles = {(m.place.name, m.reason) for a in corpus.articles for m in find_mentions(a, gaz) if m.place}
    assert ("Moscow", "metonymy") in roles  # the city named for the Russian government
    assert ("Almaty", "history") in roles  # the Alma-Ata Declaration
    assert ("Minsk", "name") in roles  # the OSCE Minsk Group


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Officials from Russia. Armenia rejected the plan.", True),  # a sentence end, not a first name
        ("The envoy met Maia Sandu on Monday.", False),  # first name + surname: no place
        ("Delegations met in Vienna on Monday.", True),
    ],
)
def test_names_after_a_capitalised_word(gaz, tmp_path, text, kept):
    (tmp_path / "n.txt").write_text(text + "\n")
    mentions = find_mentions(read_corpus(tmp_path).articles[0], gaz)
    surface = {"Armenia", "Sandu", "Vienna"}
    assert any(m.text in surface for m in mentions) == kept


def test_odd_text_never_breaks_offsets(gaz, tmp_path):
    import random

    rng = random.Random(3)
    pieces = [
        "abc",
        "XYZ",
        "St.",
        "D.C.",
        ",",
        ";",
        ":",
        "—",
        "–",
        "-",
        "'",
        "’",
        '"',
        "(",
        ")",
        "\n",
        "\n\n",
        "\t",
        "Москва",
        "Praha",
        "Genève",
        "Moscow",
        "in",
        "at",
        "the",
        "Kremlin",
        "1994",
        "met",
        "said",
        "東京",
        " ",
        " ",
    ]
    for i in range(40):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 200)))
        path = tmp_path / f"r{i}.txt"
        path.write_text(text, encoding="utf-8")
    found = 0
    for article in read_corpus(tmp_path).articles:
        for m in find_mentions(article, gaz):
            assert article.text[m.start : m.end] == m.text and m.text.strip() == m.text and m.text
            found += 1
    assert found > 20  # the random texts do contain names: the checks above ran


@pytest.mark.parametrize(
    ("sentence", "surface", "place", "role"),
    [
        ("Министры встретились в Москве в пятницу.", "Москве", "Moscow", "venue"),
        ("Переговоры лидеров прошли в Брюсселе.", "Брюсселе", "Brussels", "venue"),
        ("Саммит прошёл в Санкт-Петербурге.", "Санкт-Петербурге", "St. Petersburg", "venue"),
        ("Встреча состоится в Казани.", "Казани", "Kazan", "venue"),
        ("Лидеры встретились в Праге.", "Праге", "Prague", "venue"),
        ("Les ministres se sont rencontrés à Prague jeudi.", "Prague", "Prague", "venue"),
        ("Un sommet aura lieu à Bruxelles.", "Bruxelles", "Brussels", "venue"),
        ("Переговоры о мире в Армении продолжаются.", "Армении", "Armenia", "other"),  # a country, never a town
        ("Les pourparlers en Arménie continuent.", "Arménie", "Armenia", "other"),
    ],
)
def test_russian_case_forms_and_french_prepositions_name_venues(gaz, tmp_path, sentence, surface, place, role):
    (tmp_path / "a.txt").write_text("date: 2023-05-14\n\n" + sentence + "\n", encoding="utf-8")
    article = read_corpus(tmp_path).articles[0]
    (m,) = [m for m in find_mentions(article, gaz) if m.text == surface]
    assert (m.place.name, m.role) == (place, role)
    if role == "other":
        assert m.place.precision == "country"


def _surfaces(gaz, tmp_path, sentence):
    (tmp_path / "n.txt").write_text("date: 2024-01-10\n\n" + sentence + "\n", encoding="utf-8")
    return {m.text: m for m in find_mentions(read_corpus(tmp_path).articles[0], gaz)}


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("Les ministres se sont retrouvés à Genève pour des discussions.", "Les"),
        ("« Des progrès ont été faits à Genève », a déclaré le ministre.", "Des"),
        ("Selon le ministère, la rencontre a eu lieu à Genève.", "Selon"),
        ("Президент России Владимир Путин провёл встречу в Сочи.", "Владимир"),
        ("Вице-премьер Анна Петрова прилетела в Москву.", "Анна"),
        ("They met at the George P. Shultz Center in Arlington.", "George"),
        ("Talks were held at the John F. Kennedy Center in Washington.", "John"),
    ],
)
def test_function_words_first_names_and_initialled_names_are_never_places(gaz, tmp_path, sentence, word):
    found = _surfaces(gaz, tmp_path, sentence)
    assert word not in found
    assert len(found) >= 1  # the real place of the sentence is still found


def test_the_city_a_first_name_shares_is_still_a_place_when_named_as_one(gaz, tmp_path):
    found = _surfaces(gaz, tmp_path, "The delegation travelled to Vladimir, east of Moscow.")
    assert found["Vladimir"].place.name == "Vladimir"


@pytest.mark.parametrize(
    "sentence, surface, venue",
    [
        ("La rencontre s'est tenue à Abou Dhabi jeudi.", "Abou Dhabi", "Abu Dhabi"),
        ("Путин проведёт в Кремле трёхстороннюю встречу.", "Кремле", "Moscow"),
    ],
)
def test_exonyms_and_landmarks_in_other_languages(gaz, tmp_path, sentence, surface, venue):
    found = _surfaces(gaz, tmp_path, sentence)
    assert found[surface].place.name == venue
