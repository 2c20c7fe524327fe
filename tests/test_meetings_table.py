"""The Meetings page's table (geo.present.meetings_table): search, rows, provenance from the
notes cell and data/curation.csv, links."""

from __future__ import annotations

import pytest

from geo.core.dates import When
from geo.core.schema import load_dataset
from geo.core.tables import CurationRow
from geo.present.mapview import EvidenceLookup
from geo.present.meetings_table import analyst_part, edits_by_candidate, read_decisions, search, sources_link, table


@pytest.fixture(scope="module")
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.fixture(scope="module")
def ev(ds, fixture_data):
    return EvidenceLookup(ds.articles, fixture_data.parent.parent.parent)


DECISIONS = [
    CurationRow(2, "a.txt#1", "accept", "", ""),
    CurationRow(3, "a.txt#1", "edit", "date", "2020-01"),
    CurationRow(4, "a.txt#1", "edit", "mediators", "EU"),
    CurationRow(5, "b.txt#2", "accept", "", ""),
]


@pytest.mark.parametrize(
    "notes, expected",
    [
        ("candidates a.txt#1", "edited by analyst: date, mediators"),
        ("a note | candidates b.txt#2, a.txt#1", "edited by analyst: date, mediators"),
        ("candidates b.txt#2", "accepted by analyst"),
        ("candidates c.txt#3 (unreviewed)", "unreviewed"),
        ("added by analyst", "added by analyst"),
        ("", ""),
    ],
)
def test_which_fields_an_analyst_set(notes, expected):
    assert analyst_part(notes, edits_by_candidate(DECISIONS)) == expected


def test_no_curation_file_means_no_decisions(tmp_path):
    assert read_decisions(tmp_path / "curation.csv") == []
    (tmp_path / "curation.csv").write_text("id,action,field,value,note\nx#1,accept,,,ok\n", encoding="utf-8")
    assert [d.action for d in read_decisions(tmp_path / "curation.csv")] == ["accept"]


def test_the_table_has_a_row_per_meeting_newest_first(ds, ev):
    t = table(ds.meetings, ev, ds.articles, {})
    assert len(t) == len(ds.meetings)
    assert t["date"].iloc[-1] == "16 May 2016"
    assert t["date"].iloc[0] == When.parse(max(ds.meetings["date"])).human()
    assert t["article"].iloc[-1] == sources_link("fx_vienna.txt")
    assert t["source"].iloc[-1]  # the article's title
    assert t["evidence"].iloc[-1].startswith("“")  # quoted from the article
    assert len(table(ds.meetings, ev, ds.articles, {}, limit=3)) == 3


@pytest.mark.parametrize("query", ["sochi", "SOCHI", "lavrov", "russia", "black sea resort"])
def test_search_matches_venue_participants_mediators_and_source_title(ds, ev, query):
    got = search(ds.meetings, query, ev)
    assert 0 < len(got) < len(ds.meetings)


def test_an_empty_search_keeps_everything_and_a_miss_keeps_nothing(ds, ev):
    assert len(search(ds.meetings, "  ", ev)) == len(ds.meetings)
    assert len(search(ds.meetings, "atlantis", ev)) == 0


def test_a_link_to_the_sources_page_escapes_the_file_name():
    assert sources_link("a b&c.txt") == "sources?article=a%20b%26c.txt"
