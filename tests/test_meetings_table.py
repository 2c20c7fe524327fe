"""The Meetings page's table (geo.present.meetings_table): search, rows, confidence and the
published provenance, links."""

from __future__ import annotations

import pytest

from geo.core.dates import When
from geo.core.schema import load_dataset
from geo.present.mapview import EvidenceLookup
from geo.present.meetings_table import search, sources_link, table


@pytest.fixture(scope="module")
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.fixture(scope="module")
def ev(ds, fixture_data):
    return EvidenceLookup(ds.articles, fixture_data.parent.parent.parent)


@pytest.mark.parametrize(
    "mid, by_analyst, words",
    [
        ("f-2018-03-sochi", "", "from the article, unreviewed"),
        ("f-2016-05-16-vienna", "", "from the article; reviewed: analyst Ani, 20 Nov 2026"),
        (
            "f-2022-10-geneva",
            "date",
            "from the article; date: analyst Ani, 20 Nov 2026 (the summit of 6 October",
        ),
        ("f-2024-08-tbilisi", "level", "from the article; level: analyst (officials, rank not given)"),
    ],
)
def test_each_row_says_where_its_fields_came_from(ds, ev, mid, by_analyst, words):
    t = table(ds.meetings, ev, ds.articles)
    (r,) = t[t["date"] == When.parse(ds.meetings.set_index("id").loc[mid, "date"]).human()].to_dict("records")
    assert r["by analyst"] == by_analyst and r["provenance"].startswith(words)
    assert 0 < r["confidence"] <= 1


def test_an_added_meeting_is_the_analysts_throughout(ds, ev):
    from geo.core.provenance import Given, Provenance

    added = ds.meetings.iloc[:1].copy()
    added["prov"] = [Provenance("analyst", Given("Bo"), (), (("venue", Given("Bo")),))]
    (r,) = table(added, ev, ds.articles).to_dict("records")
    assert (r["by analyst"], r["provenance"]) == ("all (added)", "added by an analyst; added: analyst Bo")


def test_the_table_has_a_row_per_meeting_newest_first(ds, ev):
    t = table(ds.meetings, ev, ds.articles)
    assert len(t) == len(ds.meetings)
    assert t["date"].iloc[-1] == "16 May 2016"
    assert t["date"].iloc[0] == When.parse(max(ds.meetings["date"])).human()
    assert t["article"].iloc[-1] == sources_link("fx_vienna.txt")
    assert t["source"].iloc[-1]  # the article's title
    assert t["evidence"].iloc[-1].startswith("“")  # quoted from the article
    assert len(table(ds.meetings, ev, ds.articles, limit=3)) == 3


@pytest.mark.parametrize("query", ["sochi", "SOCHI", "lavrov", "russia", "black sea resort"])
def test_search_matches_venue_participants_mediators_and_source_title(ds, ev, query):
    got = search(ds.meetings, query, ev)
    assert 0 < len(got) < len(ds.meetings)


def test_an_empty_search_keeps_everything_and_a_miss_keeps_nothing(ds, ev):
    assert len(search(ds.meetings, "  ", ev)) == len(ds.meetings)
    assert len(search(ds.meetings, "atlantis", ev)) == 0


def test_a_link_to_the_sources_page_escapes_the_file_name():
    assert sources_link("a b&c.txt") == "sources?article=a%20b%26c.txt"
