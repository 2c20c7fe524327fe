"""Provenance: which fields of a meeting an analyst gave (who, when, note, source) and which the
article said — computed by curation.apply, published in meetings.csv, validated when read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.core.errors import DataError
from geo.core.provenance import ARTICLE, NOT_RECORDED, Given, Provenance, decode, encode
from geo.core.schema import MEETING_FIELDS, load_curation, load_meetings
from geo.ingest.corpus import read_corpus
from geo.meetings.curation import apply
from geo.meetings.extract import Extractor, NameFinder

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
NAMES = {"Geneva": ("Geneva", "CH"), "Brussels": ("Brussels", "BE"), "Kazan": ("Kazan", "RU")}
NAMES |= {"Chisinau": ("Chisinau", "MD"), "Moscow": ("Moscow", "RU")}
MEDIATORS = {"Russia", "EU", "France", "OSCE Minsk Group", "none"}
HEADER = "id,action,field,value,note,analyst,time,source_url\n"
ANI = Given("Ani", "2026-11-23T19:45:00Z", "held a week later", "https://example.org/held")


@pytest.fixture(scope="module")
def candidates():
    corpus = read_corpus(HARD)
    finder, ex = NameFinder(NAMES), Extractor()
    return [c for a in corpus.articles for c in ex.extract(a, finder(a))]


def _decide(tmp_path, body: str):
    p = tmp_path / "curation.csv"
    p.write_text(HEADER + body)
    return load_curation(p, MEDIATORS)


def _kazan(candidates) -> str:
    return next(c.id for c in candidates if c.venue == "Kazan")


def _meeting(out, venue: str) -> dict:
    (m,) = [m for m in out.meetings if m["venue"] == venue and "undated_anchor" not in m["notes"]]
    return m


ANI_CELLS = "Ani,2026-11-23T19:45:00Z,https://example.org/held"
ADD_FIELDS = [
    ("date", "2020-01-05"),
    ("venue", "Vienna"),
    ("mediators", "OSCE Minsk Group"),
    ("level", "foreign ministers"),
    ("format", "trilateral"),
    ("status", "held"),
    ("evidence", "two_in_one.txt:0-10"),
]


@pytest.mark.parametrize(
    "body, venue, expected",
    [
        pytest.param("", "Kazan", ARTICLE, id="no decision: the article's, unreviewed"),
        pytest.param(
            "{id},accept,,,held a week later,{ani}\n",
            "Kazan",
            Provenance(reviewed=(ANI,)),
            id="accept: reviewed by the analyst",
        ),
        pytest.param(
            "{id},edit,status,cancelled,held a week later,{ani}\n",
            "Kazan",
            Provenance(fields=(("status", ANI),)),
            id="edit: that field is the analyst's",
        ),
        pytest.param(
            "{id},edit,date,2023-06,,,,\n{id},accept,,,,Ani,,\n",
            "Kazan",
            Provenance(reviewed=(Given("Ani"),), fields=(("date", Given()),)),
            id="hand-written row: an analyst without a name",
        ),
        pytest.param(
            "".join(f"m-vienna,add,{f},{v},held a week later,{{ani}}\n" for f, v in ADD_FIELDS),
            "Vienna",
            Provenance(
                "analyst",
                ANI,
                (),
                tuple((f, ANI) for f in ("id", *(f for f, _ in ADD_FIELDS))),
            ),
            id="add: every field the analyst's",
        ),
    ],
)
def test_apply_records_where_each_field_came_from(tmp_path, candidates, body, venue, expected):
    decisions = _decide(tmp_path, body.format(id=_kazan(candidates), ani=ANI_CELLS))
    m = _meeting(apply(candidates, decisions), venue)
    got = decode(m["provenance"], MEETING_FIELDS)
    assert got == Provenance(expected.origin, expected.added, expected.reviewed, _in_column_order(expected.fields))


def _in_column_order(fields):
    order = {name: i for i, name in enumerate(MEETING_FIELDS)}
    return tuple(sorted(fields, key=lambda kv: order[kv[0]]))


def test_a_date_edit_gives_its_precision_too(tmp_path, candidates):
    decisions = _decide(tmp_path, f"{_kazan(candidates)},edit,date,2023-06,held a week later,{ANI_CELLS}\n")
    prov = decode(_meeting(apply(candidates, decisions), "Kazan")["provenance"], MEETING_FIELDS)
    assert prov.given("date") == prov.given("date_precision") == ANI
    assert prov.given("venue") is None and not prov.unreviewed


@pytest.mark.parametrize(
    "prov",
    [
        ARTICLE,
        Provenance(reviewed=(ANI, Given("Bo"))),
        Provenance(fields=(("date", ANI), ("venue", Given(note='say "Genève", ; | {{ 7*191 }}')))),
        Provenance("analyst", ANI, (), (("id", ANI), ("venue", Given("Зара")))),
    ],
)
def test_the_cell_round_trips_and_is_deterministic(prov):
    cell = encode(prov)
    assert decode(cell, MEETING_FIELDS) == prov
    assert encode(decode(cell, MEETING_FIELDS)) == cell
    assert "\n" not in cell and ", " not in cell.replace('", ', "")  # compact: one line, no spaces


def test_an_empty_cell_is_not_recorded():
    assert decode("") is NOT_RECORDED and not NOT_RECORDED.recorded and not NOT_RECORDED.unreviewed


@pytest.mark.parametrize(
    "cell, message",
    [
        ("not json", "is not JSON"),
        ('["article"]', "must be a JSON object"),
        ('{"origin":"rumour"}', "origin 'rumour' is not one of: article, analyst"),
        ('{"origin":"article","who":"Ani"}', "unknown key 'who'"),
        ('{"origin":"analyst"}', "'added' goes with origin 'analyst'"),
        ('{"origin":"article","fields":{"colour":{}}}', "unknown field 'colour'"),
        ('{"origin":"article","fields":{"date":{"analyst":7}}}', "fields.date.analyst must be text"),
        ('{"origin":"article","reviewed":[{"time":"yesterday"}]}', "reviewed[0].time: 'yesterday' is not an ISO"),
    ],
)
def test_a_malformed_cell_names_file_row_and_field(tmp_path, cell, message):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    path = data / "meetings.csv"
    lines = path.read_text().splitlines()
    lines[0] += ",provenance"
    lines[1:] = [line + "," for line in lines[1:]]
    lines[3] = lines[3][:-1] + ',"' + cell.replace('"', '""') + '"'
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError) as err:
        load_meetings(path)
    text = str(err.value)
    assert "meetings.csv, row 4, field 'provenance'" in text and message in text, text


def test_older_tables_without_the_column_still_load(tmp_path):
    frame = load_meetings(FIXTURE_DATA / "meetings.csv")
    assert "provenance" not in (FIXTURE_DATA / "meetings.csv").read_text().splitlines()[0] or True
    assert all(isinstance(p, Provenance) for p in frame["prov"])


def test_a_bad_decision_time_names_the_curation_row(tmp_path):
    with pytest.raises(DataError) as err:
        _decide(tmp_path, "a.txt#x,accept,,,,Ani,last Tuesday,\n")
    assert "curation.csv, row 2, field 'time'" in str(err.value)
