"""The Streamlit app through AppTest: every page, filters from the sidebar and the URL, bad
links, empty filters, missing or broken data. Marker counts are read from the arguments the app
hands the st_folium component (its proto.json_args), expected values from geo.present.filters."""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest
from meeting_rows import drawn_circles
from streamlit.testing.v1 import AppTest

from geo.core import paths
from geo.core.paths import DATA, ROOT
from geo.core.schema import load_dataset
from geo.present.filters import FilterOptions, apply, from_query
from geo.present.mapview import MARKER_CLASS

pytestmark = pytest.mark.slow  # every test here runs the whole app (AppTest)

APP = str(ROOT / "app.py")
PAGES = ["app_pages/map.py", "app_pages/timeline.py", "app_pages/venues.py", "app_pages/sources.py"]
DS = load_dataset(DATA)
OPTS = FilterOptions.from_data(DS.meetings, DS.mediators)


def expected_venues(params: dict) -> int:
    f, _ = from_query(params, OPTS)
    return apply(DS.meetings, f)["venue"].nunique()


def app(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def map_args(at: AppTest) -> dict:
    comps = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    assert len(comps) == 1
    return json.loads(comps[0].proto.json_args)


def map_script(at: AppTest) -> str:
    """The map's script and the venue layer swapped into it (st_folium's feature_group)."""
    args = map_args(at)
    return args["script"] + (args.get("feature_group") or "")


def markers(at: AppTest) -> int:
    return drawn_circles(map_script(at), MARKER_CLASS)


def qp(at: AppTest, key: str) -> list[str]:
    """A URL parameter as a list (AppTest gives a lone value as a plain string)."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.info]
    parts += [e.value for e in at.sidebar.caption] + [e.value for e in at.error]
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", "\n".join(str(p) for p in parts)).replace("\u2060", "")  # as shown


@pytest.fixture(autouse=True)
def _data_env(monkeypatch):
    monkeypatch.delenv("TALKS_ATLAS_DATA", raising=False)


# ---------------------------------------------------------------------------------------------
# Map page (the default)


def test_map_is_the_default_page_with_every_venue():
    at = app()
    assert markers(at) == DS.meetings["venue"].nunique()
    assert f"{len(DS.meetings)} meetings at {DS.meetings['venue'].nunique()} venues" in texts(at)
    args = map_args(at)
    assert args["returned_objects"] == []  # pans and zooms do not rerun the app
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])
    assert "openstreetmap" not in args["script"].lower()
    assert not at.exception


@pytest.mark.parametrize(
    "params",
    [
        {"mediator": ["Russia"]},
        {"mediator": ["none"]},
        {"mediator": ["EU", "USA"]},
        {"from": "2024"},
        {"from": "2016", "to": "2022"},
        {"level": ["leaders"]},
        {"level": ["foreign ministers"], "mediator": ["USA"]},
        {"status": ["held"]},
        {"until": "2022-10-06"},
    ],
)
def test_url_params_set_the_filters(params):
    at = app(params)
    assert markers(at) == expected_venues(params)
    assert markers(at) < DS.meetings["venue"].nunique() or params == {"status": ["held"]}
    assert not at.exception


def test_url_params_show_in_the_widgets():
    at = app({"mediator": ["Russia", "EU"], "from": "2017", "level": ["leaders"]})
    assert at.sidebar.multiselect(key="f_mediators").value == ["Russia", "EU"]
    assert at.sidebar.slider(key="f_years").value == (2017, OPTS.year_max)
    assert at.sidebar.multiselect(key="f_levels").value == ["leaders"]
    assert not at.exception


@pytest.mark.parametrize(
    "params, notice",
    [
        ({"mediator": ["Narnia"]}, "unknown mediator 'Narnia'"),
        ({"from": "soon"}, "not a year"),
        ({"from": "2024", "to": "2016"}, "it is empty"),
        ({"level": ["kings"]}, "unknown level 'kings'"),
        ({"until": "31/10/2022"}, "not a date"),
        ({"mediator": ["Russia", "<script>alert(1)</script>"]}, "Ignored unknown mediator"),
    ],
)
def test_bad_url_params_are_survived_with_a_notice(params, notice):
    at = app(params)
    assert notice in texts(at)
    assert markers(at) == expected_venues(params)  # the good parts still apply
    assert not any("Narnia" in v or "<script>" in v for v in qp(at, "mediator"))  # the link is cleaned
    assert not at.exception


def test_sidebar_change_redraws_the_map_and_writes_the_url():
    at = app()
    at.sidebar.multiselect(key="f_mediators").set_value(["EU"]).run()
    assert markers(at) == expected_venues({"mediator": ["EU"]})
    assert qp(at, "mediator") == ["EU"]
    at.sidebar.slider(key="f_years").set_value((2022, 2022)).run()
    assert markers(at) == expected_venues({"mediator": ["EU"], "from": "2022", "to": "2022"})
    assert qp(at, "from") == ["2022"] and qp(at, "to") == ["2022"]
    at.sidebar.multiselect(key="f_mediators").set_value([]).run()
    assert "mediator" not in at.query_params
    assert not at.exception


def test_time_control_is_cumulative():
    at = app()
    first = DS.meetings["when"].min().date()
    at.select_slider(key="map_until").set_value(first.isoformat()).run()
    assert markers(at) == expected_venues({"until": first.isoformat()}) == 1
    assert qp(at, "until") == [first.isoformat()]
    assert not at.exception


@pytest.mark.parametrize("toggle, needle", [("map_route", "meeting-route"), ("map_tiles", "tile.openstreetmap.org")])
def test_route_and_online_tiles_are_options(toggle, needle):
    at = app()
    assert needle not in map_script(at)
    at.toggle(key=toggle).set_value(True).run()
    assert needle in map_script(at)
    assert not at.exception


def test_empty_filter_gives_a_friendly_message_and_an_empty_map():
    params = {"mediator": ["Kazakhstan"]}
    assert expected_venues(params) == 0
    at = app(params)
    assert markers(at) == 0
    assert "No meetings match" in texts(at)
    assert not at.exception


# ---------------------------------------------------------------------------------------------
# Other pages


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_filters_from_the_url(page):
    at = app({"mediator": ["none"]}, page)
    assert not at.exception
    assert not at.error
    assert at.sidebar.multiselect(key="f_mediators").value == ["none"]


@pytest.mark.parametrize("page", PAGES + ["app_pages/briefing.py"])
def test_a_page_run_without_app_py_says_how_to_open_the_app(page):
    at = AppTest.from_file(str(ROOT / page), default_timeout=60).run()
    assert [e.value for e in at.info] == ["Open Talks Atlas with `streamlit run app.py`."]
    assert not at.exception


@pytest.mark.parametrize("page", PAGES)
def test_every_page_survives_an_empty_filter(page):
    at = app({"mediator": ["Kazakhstan"]}, page)
    assert not at.exception
    assert not at.error


def test_filters_survive_page_switches():
    at = app({"mediator": ["USA"]})
    for page in PAGES[1:] + PAGES[:1]:
        at.switch_page(page)
        at.run()
        assert qp(at, "mediator") == ["USA"]
    assert markers(at) == expected_venues({"mediator": ["USA"]})
    assert not at.exception


def test_timeline_counts_and_colours_by_mediator():
    at = app({"from": "2024"}, "app_pages/timeline.py")
    n = len(apply(DS.meetings, from_query({"from": "2024"}, OPTS)[0]))
    assert f"**{n} meetings at" in texts(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    spec = json.loads(charts[0].proto.spec)
    assert spec["encoding"]["color"]["field"] == "mediator"
    per_year = json.loads(charts[1].proto.spec)
    assert per_year["encoding"]["x"]["scale"]["domain"] == list(range(2024, OPTS.year_max + 1))
    assert not at.exception


def test_venues_table_lists_the_geocoded_venues():
    at = app({"mediator": ["Russia"]}, "app_pages/venues.py")
    table = at.dataframe[0].value
    assert sorted(table["venue"]) == sorted(DS.venues["venue"])
    assert table["meetings"].sum() == len(apply(DS.meetings, from_query({"mediator": ["Russia"]}, OPTS)[0]))
    assert {"mentions", "precision", "articles"} <= set(table.columns)
    at.toggle(key="venues_only").set_value(True).run()
    assert len(at.dataframe[0].value) == expected_venues({"mediator": ["Russia"]})
    assert not at.exception


def test_sources_page_highlights_evidence(seeds_dir):
    at = app({}, "app_pages/sources.py")
    html = at.html[-1].value
    assert "<mark" in html
    assert not at.exception


# ---------------------------------------------------------------------------------------------
# Own data: untrusted article text, missing and broken tables


def _copy_data(tmp_path):
    for name in ("venues.csv", "meetings.csv", "mediators.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


@pytest.fixture()
def hostile_data(tmp_path, monkeypatch):
    """A data folder whose article carries markup and script-ish text (written for this test)."""
    (tmp_path / "data").mkdir()
    data = _copy_data(tmp_path / "data")
    (tmp_path / "corpus").mkdir()
    article = tmp_path / "corpus" / "report.txt"  # the app reads articles from the corpus folder only
    text = (
        "Envoys gathered in a lakeside town this morning. <script>alert('x')</script> ${boom} "
        "`tick` <b>bold claim</b> The talks ended without a statement."
    )
    article.write_text(text, encoding="utf-8")
    start, end = text.index("<script>"), text.index("The talks")
    rows = _rows(data / "meetings.csv")
    rows[0]["documents"] = "report.txt"
    rows[0]["evidence"] = f"report.txt:{start}-{end}"
    rows[0]["event"] = "<img src=x onerror=alert(1)>"
    _write(data / "meetings.csv", rows)
    _write(
        data / "articles.csv",
        [
            {
                "file": "report.txt",
                "title": "Envoys <i>meet</i>",
                "date": "2016-06-21",
                "date_source": "header",
                "source": "test",
                "path": str(article),
                "chars": len(text),
            }
        ],
    )
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(data))
    monkeypatch.setattr(paths, "DEFAULT_CORPUS", tmp_path / "corpus")
    return rows[0]


def test_hostile_article_text_is_escaped_on_map_and_sources(hostile_data):
    at = app()
    script = map_script(at)
    assert "<script>alert" not in script and "<img src=x" not in script and "${boom}" not in script
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in script
    assert "Envoys &lt;i&gt;meet&lt;/i&gt;" in script
    at.switch_page("app_pages/sources.py")
    at.run()
    html = at.html[-1].value
    assert "<script>" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "<mark" in html
    assert not at.exception


@pytest.mark.parametrize("missing", ["meetings.csv", "venues.csv", "mediators.csv"])
def test_missing_table_names_the_file_and_the_rebuild_command(tmp_path, monkeypatch, missing):
    data = _copy_data(tmp_path)
    (data / missing).unlink()
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(data))
    at = app()
    message = at.error[0].value
    assert missing in message and "file not found" in message
    if missing != "mediators.csv":
        assert "geo build" in message
    assert not at.get("component_instance")
    assert not at.exception


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date", "2022-13-45", "row 2, field 'date'"),
        ("venue", "Atlantis", "unknown venue 'Atlantis'"),
        ("level", "kings", "row 2, field 'level'"),
        (
            "venue",
            "![x](http://example.invalid/i.png) " + "`" * 3,
            "unknown venue '![x](http://example.invalid/i.png) " + "'" * 3,
        ),
    ],
)
def test_invalid_table_names_row_and_field(tmp_path, monkeypatch, field, value, message):
    data = _copy_data(tmp_path)
    rows = _rows(data / "meetings.csv")
    rows[0][field] = value
    _write(data / "meetings.csv", rows)
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(data))
    at = app()
    error = at.error[0].value
    assert message in error and "meetings.csv" in error
    assert error.count("`" * 3) == 2  # one verbatim block: cell text cannot become markdown
    assert not at.exception


def test_export_caption_follows_the_map_time_control():
    until = "2022-10-06"
    at = app({"until": until})
    n = len(apply(DS.meetings, from_query({"until": until}, OPTS)[0]))
    assert f"Download the {n} filtered meetings, up to 6 October 2022" in texts(at)
    assert not at.exception
