"""Exports of the filtered meetings: CSV (re-readable as meetings.csv) and GeoJSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from geo.core.schema import MEETINGS, load_dataset, load_meetings
from geo.present.export import meetings_csv, meetings_geojson
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
    assert text.strip() == ",".join(MEETINGS.names)
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
