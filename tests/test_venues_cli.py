"""The venue table, overrides, online fallback (injected, offline) and the two commands."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo import cli
from geo.core.errors import DataError
from geo.core.paths import ROOT
from geo.core.schema import VENUES, load_articles, load_places, load_venues, read_table
from geo.ingest.corpus import read_corpus
from geo.places.gazetteer import get_gazetteer
from geo.places.online import OnlineGeocoder
from geo.places.venues import build_venues, ensure_venues, read_overrides, write_outputs

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
OVERRIDE_HEADER = "venue,country,lat,lon,geonames_id,precision,match,note\n"


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


@pytest.fixture()
def corpus_dir(tmp_path):
    target = tmp_path / "articles"
    shutil.copytree(FIXTURES, target)
    return target


def _rows(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_build_writes_three_valid_tables_and_a_report(gaz, corpus_dir, tmp_path):
    result = build_venues(read_corpus(corpus_dir), gaz, None)
    paths = write_outputs(result, tmp_path / "out" / "venues.csv")
    venues = load_venues(paths.venues)  # validated through the shared schema
    places = load_places(paths.places)
    articles = load_articles(paths.articles)
    by_name = venues.set_index("venue")
    assert {"St. Petersburg", "Arlington", "Washington", "Moscow", "Prague", "Brussels", "Geneva"} <= set(by_name.index)
    assert by_name.loc["St. Petersburg", "country"] == "RU"
    assert by_name.loc["Arlington (US-TX)", "country"] == "US"  # a second Arlington gets its own row
    assert by_name.loc["Moscow", "resolved_by"] == "alias"  # only named as Москва / the Kremlin
    assert by_name.loc["St. Petersburg", "first_date"] == "2019-07-18"
    assert not ((venues["lat"] == 0) & (venues["lon"] == 0)).any()
    assert len(places) == len(result.mentions) and set(places["role"]) == {"venue", "other"}
    assert "Zvartnots" in set(places.loc[places["venue"] == "", "text"])  # unresolved: kept, no venue
    assert len(articles) == 6 and set(articles["path"].map(lambda p: (ROOT / p).exists())) == {True}
    report = _rows(paths.report)
    assert any(r["kind"] == "unresolved" and r["text"] == "Zvartnots" for r in report)
    # documents/mentions count venue-role mentions only
    assert (by_name.loc["Moscow", "documents"], by_name.loc["Moscow", "mentions"]) == ("a03_spellings.txt", 2)
    assert "Yerevan" not in by_name.index  # named only as a dateline, metonymy or in passing


def test_offsets_in_places_csv_point_at_the_files(gaz, corpus_dir, tmp_path):
    result = build_venues(read_corpus(corpus_dir), gaz, None)
    paths = write_outputs(result, tmp_path / "venues.csv")
    for row in _rows(paths.places):
        if row["file"].endswith(".txt"):
            text = (corpus_dir / row["file"]).read_text(encoding="utf-8")
            assert text[int(row["start"]) : int(row["end"])] == row["text"]


def test_bad_metadata_date_is_a_warning_and_the_article_is_kept(gaz, corpus_dir):
    corpus = read_corpus(corpus_dir)
    (problem,) = corpus.problems
    assert (problem.row, problem.field) == (3, "published") and "2020-02-30" in problem.message
    result = build_venues(corpus, gaz, None)
    row = [r for r in result.article_rows if r["file"] == "a05_circuit.txt"][0]
    assert row["date"] is None and row["title"] == "A diplomatic circuit"
    assert problem in result.problems


def test_overrides_resolve_unknowns_and_pin_coordinates(gaz, corpus_dir, tmp_path):
    overrides = tmp_path / "venue_overrides.csv"
    overrides.write_text(
        OVERRIDE_HEADER
        + "Zvartnots,AM,40.1473,44.3959,,venue,Zvartnots,airport near Yerevan\n"
        + "Geneva,CH,46.2220,6.1470,2660646,venue,,Palais des Nations\n"
        + "Camp Hill,US,40.2398,-76.9200,,city,,added by hand for a curated meeting\n"
    )
    before = overrides.read_bytes()
    result = build_venues(read_corpus(corpus_dir), gaz, overrides)
    rows = {r["venue"]: r for r in result.venue_rows}
    assert rows["Zvartnots"]["resolved_by"] == "manual" and rows["Zvartnots"]["mentions"] == 1
    assert rows["Geneva"]["resolved_by"] == "manual" and rows["Geneva"]["lat"] == 46.222
    # "Genève" in the HTML page resolves to the same GeoNames id: it joins the pinned row
    assert rows["Geneva"]["documents"] == "a05_circuit.txt;a06_page.html"
    assert not any(name.startswith("Geneva (") for name in rows)
    assert rows["Camp Hill"]["mentions"] == 0
    assert not result.unresolved
    write_outputs(result, tmp_path / "venues.csv")
    assert overrides.read_bytes() == before  # analyst-owned: read, never rewritten


@pytest.mark.parametrize(
    "line, field",
    [
        ("X,Russia,55,37,,city,,\n", "country"),
        ("X,RU,95,37,,city,,\n", "lat"),
        ("X,RU,55,east,,city,,\n", "lon"),
        ("X,RU,55,37,abc,city,,\n", "geonames_id"),
        ("X,RU,55,37,,town,,\n", "precision"),
        (",RU,55,37,,city,,\n", "venue"),
    ],
)
def test_bad_override_rows_name_row_and_field(tmp_path, line, field):
    overrides = tmp_path / "venue_overrides.csv"
    overrides.write_text(OVERRIDE_HEADER + "Ok,RU,55,37,,city,,\n" + line)
    with pytest.raises(DataError) as exc:
        read_overrides(overrides)
    (problem,) = exc.value.problems
    assert (problem.row, problem.field) == (3, field)


def test_ensure_venues_adds_curated_meeting_venues(gaz, corpus_dir):
    result = build_venues(read_corpus(corpus_dir), gaz, None)
    assert "Almaty" not in result.venue_names
    result, missing = ensure_venues(result, ["Almaty", "Moscow", "Atlantis-under-the-sea"], gaz, None)
    rows = {r["venue"]: r for r in result.venue_rows}
    assert rows["Almaty"]["country"] == "KZ" and rows["Almaty"]["mentions"] == 0
    assert missing == ["Atlantis-under-the-sea"] and result.added == ("Almaty",)


def test_ensure_venues_prefers_an_override_for_a_curated_venue(gaz, corpus_dir, tmp_path):
    overrides = tmp_path / "venue_overrides.csv"
    overrides.write_text(OVERRIDE_HEADER + "Camp Hill,US,40.2398,-76.9200,,city,Camp Hill PA,\n")
    result = build_venues(read_corpus(corpus_dir), gaz, None)
    result, missing = ensure_venues(result, ["Camp Hill PA"], gaz, overrides)
    row = {r["venue"]: r for r in result.venue_rows}["Camp Hill PA"]
    assert (row["resolved_by"], row["country"], row["lat"]) == ("manual", "US", 40.2398) and missing == []


class FakeNominatim:
    """Stands in for geopy's rate-limited Nominatim.geocode: no network in tests."""

    def __init__(self, answers):
        self.answers = answers
        self.calls = []

    def __call__(self, query, **kwargs):
        self.calls.append((query, kwargs))
        answer = self.answers.get(query)
        if isinstance(answer, Exception):
            raise answer
        return answer


class Location:
    def __init__(self, lat, lon, raw):
        self.latitude, self.longitude, self.raw = lat, lon, raw


def test_online_fallback_caches_successes_only(gaz, corpus_dir, tmp_path):
    from geopy.exc import GeocoderUnavailable

    fake = FakeNominatim({"Zvartnots": GeocoderUnavailable("offline")})
    cache = tmp_path / "geocoder.json"
    geocoder = OnlineGeocoder(geocode=fake, cache_path=cache)
    result = build_venues(read_corpus(corpus_dir), gaz, None, geocoder)
    assert [m.text for m in result.unresolved] == ["Zvartnots"]  # a transient failure stays unresolved
    assert not cache.exists()  # ...and is not remembered as "not found"
    assert any("Zvartnots" in str(p) and "failed" in str(p) for p in result.problems)

    fake.answers["Zvartnots"] = Location(
        40.1473, 44.3959, {"name": "Zvartnots", "addresstype": "aeroway", "address": {"country_code": "am"}}
    )
    geocoder = OnlineGeocoder(geocode=fake, cache_path=cache)
    result = build_venues(read_corpus(corpus_dir), gaz, None, geocoder)
    row = {r["venue"]: r for r in result.venue_rows}["Zvartnots"]
    assert (row["country"], row["resolved_by"], row["precision"]) == ("AM", "geocoder", "venue")
    assert fake.calls[-1][1]["exactly_one"] is True
    calls = len(fake.calls)
    again = OnlineGeocoder(geocode=fake, cache_path=cache)  # a new run: answered from the disk cache
    assert again("Zvartnots").country == "AM" and len(fake.calls) == calls


def test_online_geocoder_defaults_are_polite_and_fail_fast(monkeypatch, tmp_path):
    import geopy.extra.rate_limiter as rl

    seen = {}
    real = rl.RateLimiter

    def spy(func, **kwargs):
        seen.update(kwargs)
        seen["user_agent"] = func.__self__.headers.get("User-Agent")
        return real(func, **kwargs)

    monkeypatch.setattr(rl, "RateLimiter", spy)
    OnlineGeocoder(cache_path=tmp_path / "g.json")._client()
    assert seen["max_retries"] == 0 and seen["min_delay_seconds"] >= 1
    assert seen["user_agent"].startswith("talks-atlas/")


def _run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_venues_command(corpus_dir, tmp_path, capsys):
    out = tmp_path / "data" / "venues.csv"
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "meetings.csv").write_text("id,venue\nm1,Almaty\n")
    code, stdout, stderr = _run(
        ["venues", str(corpus_dir), "--out", str(out), "--overrides", str(tmp_path / "none.csv")], capsys
    )
    assert code == 0
    assert "articles read: 6 (1 warnings)" in stdout
    assert "unresolved: 1" in stdout and "venues:" in stdout and "Almaty" in stdout
    assert "metadata.csv, row 3, field 'published'" in stderr
    assert read_table(out, VENUES)[0].venue
    assert (tmp_path / "data" / "places.csv").exists() and (tmp_path / "data" / "venues_report.csv").exists()


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_venues_command_bad_corpus_exits_2(tmp_path, capsys, make):
    target = tmp_path / "corpus"
    if make == "empty":
        target.mkdir()
    code, stdout, stderr = _run(["venues", str(target), "--out", str(tmp_path / "v.csv")], capsys)
    assert code == 2 and stderr.startswith("error: ") and str(target) in stderr
    assert "Traceback" not in stderr and not (tmp_path / "v.csv").exists()


def test_geocode_command(capsys):
    code, stdout, stderr = _run(["geocode", "St. Petersburg", "Praha", "Arlington, Texas", "Georgia"], capsys)
    rows = list(csv.DictReader(stdout.splitlines()))
    assert code == 0
    assert list(rows[0]) == ["query", "venue", "country", "lat", "lon", "geonames_id", "precision"]
    assert [(r["venue"], r["country"]) for r in rows] == [
        ("St. Petersburg", "RU"),
        ("Prague", "CZ"),
        ("Arlington", "US"),
        ("Georgia", "GE"),
    ]
    assert rows[2]["lat"].startswith("32.7") and rows[3]["precision"] == "country"


def test_geocode_context_and_unknown(capsys):
    code, stdout, stderr = _run(
        ["geocode", "Columbus", "Nowhereville", "--context", "A delegation flew in from Atlanta."], capsys
    )
    rows = list(csv.DictReader(stdout.splitlines()))
    assert rows[0]["lat"].startswith("32.")  # Columbus, Georgia: near Atlanta, not Ohio
    assert rows[1]["venue"] == "" and "Nowhereville" in stderr and code == 1


@pytest.mark.slow  # the one test that runs `python -m geo` as a real process
def test_python_m_geo_geocode_runs_as_a_process():
    proc = subprocess.run(
        [sys.executable, "-m", "geo", "geocode", "Москва"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].startswith("Москва,Moscow,RU,55.75")


def test_venues_command_online_uses_the_geocoder_for_unknown_venues(corpus_dir, tmp_path, capsys, monkeypatch):
    import geo.places.online

    fake = FakeNominatim(
        {
            "Zvartnots": Location(
                40.1473, 44.3959, {"name": "Zvartnots", "addresstype": "aeroway", "address": {"country_code": "am"}}
            )
        }
    )
    monkeypatch.setattr(
        geo.places.online, "OnlineGeocoder", lambda: OnlineGeocoder(geocode=fake, cache_path=tmp_path / "g.json")
    )
    out = tmp_path / "venues.csv"
    code, stdout, stderr = _run(
        ["venues", str(corpus_dir), "--out", str(out), "--online", "--overrides", str(tmp_path / "none.csv")], capsys
    )
    assert code == 0 and "unresolved: 0" in stdout and "geocoder: 1 online lookups, 0 failed" in stdout
    row = [r for r in _rows(out) if r["venue"] == "Zvartnots"][0]
    assert row["resolved_by"] == "geocoder" and [q for q, _ in fake.calls] == ["Zvartnots"]


def test_namesake_suffix_does_not_depend_on_article_order(gaz, tmp_path):
    (tmp_path / "a.txt").write_text("date: 2020-01-01\n\nA trade conference was held in Arlington, Texas.\n")
    (tmp_path / "b.txt").write_text("date: 2021-01-01\n\nThe ministers met in Arlington near Washington.\n")
    rows = {r["venue"]: r for r in build_venues(read_corpus(tmp_path), gaz, None).venue_rows}
    assert rows["Arlington"]["lat"] == pytest.approx(38.88, abs=0.05)  # Virginia keeps the plain name
    assert rows["Arlington (US-TX)"]["documents"] == "a.txt"


def test_geocoder_answer_at_zero_zero_stays_unresolved(gaz, corpus_dir, tmp_path):
    fake = FakeNominatim(
        {
            "Zvartnots": Location(
                0.0, 0.0, {"name": "Zvartnots", "addresstype": "aeroway", "address": {"country_code": "am"}}
            )
        }
    )
    geocoder = OnlineGeocoder(geocode=fake, cache_path=tmp_path / "g.json")
    result = build_venues(read_corpus(corpus_dir), gaz, None, geocoder)
    assert [m.text for m in result.unresolved] == ["Zvartnots"] and "Zvartnots" not in result.venue_names
    assert any("0,0" in str(p) and "Zvartnots" in str(p) for p in result.problems)


def test_two_rows_for_one_place_under_different_names_are_fine(tmp_path):
    overrides = tmp_path / "venue_overrides.csv"
    overrides.write_text(
        OVERRIDE_HEADER + "Sochi (residence),RU,43.56,39.78,491422,venue,Sochi,\n"
        "Bocharov Ruchey,RU,43.56,39.78,,venue,,\n"
    )
    assert [o.row for o in read_overrides(overrides)] == [2, 3]
