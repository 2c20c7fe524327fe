"""Exports of the filtered meetings: CSV (re-readable as meetings.csv) and GeoJSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from geo.core.schema import MEETINGS, load_dataset, load_meetings
from geo.present.export import READABLE, meetings_csv, meetings_geojson
from geo.present.filters import Filters, apply


@pytest.fixture(scope="module")
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.mark.parametrize("f", [Filters(), Filters(mediators=("none",)), Filters(year_from=2022, year_to=2022)])
def test_csv_reads_back_as_meetings(ds, tmp_path, f):
    shown = apply(ds.meetings, f)
    path = tmp_path / "meetings.csv"
    path.write_text(meetings_csv(shown), encoding="utf-8")
    back = load_meetings(path, set(ds.venues["venue"]), set(ds.mediators["name"]))
    assert list(back["id"]) == list(shown["id"])
    for col in MEETINGS.names:
        if col != "confidence":
            assert list(back[col]) == list(shown[col]), col


@pytest.mark.parametrize(
    "value, written",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Aliyev", "Aliyev"),
        ("summit = sidelines", "summit = sidelines"),
    ],
)
def test_csv_defuses_spreadsheet_formulas(ds, value, written):
    one = ds.meetings.iloc[:1].copy()
    one["event"] = value
    row = next(csv.DictReader(io.StringIO(meetings_csv(one))))
    assert row["event"] == written


def test_empty_export_has_header_only(ds):
    text = meetings_csv(ds.meetings.iloc[0:0])
    assert text.strip() == ",".join([*MEETINGS.names, *READABLE])
    assert json.loads(meetings_geojson(ds.meetings.iloc[0:0], ds.venues))["features"] == []


def test_geojson_points_at_venues(ds):
    gj = json.loads(meetings_geojson(ds.meetings, ds.venues, ds.mediators))
    assert gj["type"] == "FeatureCollection"
    assert [f["id"] for f in gj["features"]] == list(ds.meetings["id"])
    where = {r.venue: [r.lon, r.lat] for r in ds.venues.itertuples()}
    for feat, (_, m) in zip(gj["features"], ds.meetings.iterrows()):
        assert feat["geometry"] == {"type": "Point", "coordinates": where[m["venue"]]}
        assert feat["properties"]["mediators"] == list(m["mediator_list"])
        assert feat["properties"]["participants"] == list(m["participant_list"])
        assert feat["properties"]["date"] == m["date"]


def test_geojson_keeps_a_meeting_without_coordinates(ds):
    gj = json.loads(meetings_geojson(ds.meetings, ds.venues.iloc[1:]))
    missing = [f for f in gj["features"] if f["geometry"] is None]
    assert len(gj["features"]) == len(ds.meetings)
    assert {f["properties"]["venue"] for f in missing} == {ds.venues.iloc[0]["venue"]}


# --- provenance: titles, web addresses, quotes, confidence and who gave each field -------------


@pytest.fixture(scope="module")
def evidence(ds, fixture_data):
    from geo.present.mapview import EvidenceLookup

    return EvidenceLookup(ds.articles, fixture_data / "articles")


def _articles_with_urls(ds):
    articles = ds.articles.copy()
    articles["source"] = ["https://example.org/europe", "javascript:alert(1)", "", "http://example.org/vienna"]
    return articles


def _with_source_url(meetings):
    """The fixture's meetings, Geneva's date with the web address the analyst read it at."""
    from dataclasses import replace

    out = meetings.copy()
    at = out.index[out["id"] == "f-2022-10-geneva"][0]
    prov = out.at[at, "prov"]
    out.at[at, "prov"] = replace(prov, fields=(("date", replace(prov.given("date"), source_url=SUMMIT)),))
    return out


SUMMIT = "https://example.org/summit"


def _csv_rows(ds, evidence) -> dict[str, dict]:
    text = meetings_csv(_with_source_url(ds.meetings), evidence, _articles_with_urls(ds))
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize(
    "mid, provenance_text",
    [
        ("f-2018-03-sochi", "from the article, unreviewed"),
        ("f-2016-05-16-vienna", "from the article; reviewed: analyst Ani, 20 Nov 2026"),
        (
            "f-2022-10-geneva",
            "from the article; date: analyst Ani, 20 Nov 2026, from https://example.org/summit "
            "(the summit of 6 October, general knowledge)",
        ),
        ("f-2024-08-tbilisi", "from the article; level: analyst (officials, rank not given)"),
    ],
)
def test_csv_says_who_gave_each_field(ds, evidence, mid, provenance_text):
    assert _csv_rows(ds, evidence)[mid]["provenance_text"] == provenance_text


def test_csv_gives_titles_web_addresses_and_quotes_not_offsets(ds, evidence):
    row = _csv_rows(ds, evidence)["f-2022-10-geneva"]
    assert row["sources"] == "Brussels and Geneva keep the European track going"
    assert row["source_urls"] == "https://example.org/europe"
    assert row["evidence_text"].startswith("“In October 2022 they met again in Geneva") and ":" not in row["sources"]
    assert row["confidence"] == "0.7"
    tbilisi = _csv_rows(ds, evidence)["f-2024-08-tbilisi"]
    assert tbilisi["source_urls"] == ""  # javascript: is no web address


def test_csv_without_the_articles_says_why_a_quote_is_missing(ds, tmp_path):
    from geo.present.mapview import EvidenceLookup

    rows = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO(meetings_csv(ds.meetings, EvidenceLookup(ds.articles, tmp_path))))
    }
    assert rows["f-2018-03-sochi"]["evidence_text"].startswith("[not quoted: fx_sochi.txt:34-206, not read:")


def test_geojson_carries_sources_quotes_confidence_and_provenance(ds, evidence):
    gj = json.loads(
        meetings_geojson(_with_source_url(ds.meetings), ds.venues, ds.mediators, evidence, _articles_with_urls(ds))
    )
    props = {f["id"]: f["properties"] for f in gj["features"]}
    geneva = props["f-2022-10-geneva"]
    assert geneva["sources"] == [
        {
            "file": "fx_europe.txt",
            "title": "Brussels and Geneva keep the European track going",
            "url": "https://example.org/europe",
        }
    ]
    assert geneva["evidence_text"][0].startswith("In October 2022 they met again in Geneva")
    assert geneva["confidence"] == 0.7
    assert geneva["provenance"]["origin"] == "article" and geneva["provenance"]["recorded"] is True
    assert geneva["provenance"]["fields"]["date"] == {
        "analyst": "Ani",
        "note": "the summit of 6 October, general knowledge",
        "source_url": "https://example.org/summit",
        "time": "2026-11-20T10:00:00Z",
    }
    assert props["f-2018-03-sochi"]["provenance"]["text"] == "from the article, unreviewed"
