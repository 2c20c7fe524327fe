"""Bad input through the app (AppTest, every page): hostile links and broken data folders.

Each case checks three things: the message a user sees names the parameter, file, row or field;
nothing shown turns input into markup (no Markdown image or link, no HTML tag, no reference to a
remote host); and no exception reaches Streamlit. A page that fails unexpectedly gets the app's
guard (ui/guard.py): a message naming the page and the link, and a log file with the traceback.

The data folder is written by each test (two venues, three meetings, one article).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from geo.core import atomic, paths
from geo.core.schema import ARTICLES, MEDIATORS, MEETINGS, VENUES
from geo.present.brief import remote_references
from ui.messages import WORD_JOINER

pytestmark = pytest.mark.slow  # every case runs the app through AppTest

APP = str(paths.ROOT / "app.py")
PAGES = {name: f"app_pages/{name}.py" for name in ("map", "timeline", "venues", "sources", "briefing")}
TITLES = {"map": "Map", "timeline": "Timeline", "venues": "Venues", "sources": "Sources", "briefing": "Briefing"}
HOST = "host.invalid"
IMAGE = f"![x](https://{HOST}/p.png)"
TAG = f"<img src=https://{HOST}/p.png onerror=alert(1)>"
HUGE = IMAGE + "A" * 100_000
ARTICLE = "wire.txt"
TEXT = "title: Ministers meet\n\nThe ministers met in Geneva and later in Sochi. Talks went on. End.\n"


# ---------------------------------------------------------------------------------------------
# A small data folder


def venue(name: str, lat: float, lon: float, country: str) -> dict:
    return {
        "venue": name,
        "country": country,
        "lat": lat,
        "lon": lon,
        "geonames_id": 1,
        "precision": "city",
        "resolved_by": "gazetteer",
        "mentions": 1,
        "documents": ARTICLE,
    }


def meeting(n: int, day: str, where: str, mediators: str = "Swiss") -> dict:
    start = TEXT.index("The ministers")
    return {
        "id": f"m-{n}",
        "date": day,
        "date_precision": "day",
        "venue": where,
        "venue_detail": "",
        "mediators": mediators,
        "host": "",
        "level": "foreign ministers",
        "format": "trilateral",
        "participants": "Mirzoyan;Bayramov",
        "event": "",
        "status": "held",
        "documents": ARTICLE,
        "evidence": f"{ARTICLE}:{start}-{start + 20}",
        "confidence": "0.9",
        "notes": "",
    }


def tables(folder: Path) -> dict[str, list[dict]]:
    return {
        VENUES.name: [venue("Geneva", 46.2, 6.14, "CH"), venue("Sochi", 43.6, 39.7, "RU")],
        MEDIATORS.name: [
            {"name": "Swiss", "label": "Switzerland", "colour": "#0072b2", "aliases": "Swiss"},
            {"name": "Russia", "label": "Russia", "colour": "#d55e00", "aliases": "Russian"},
        ],
        MEETINGS.name: [
            meeting(1, "2020-02-03", "Geneva"),
            meeting(2, "2021-05-04", "Sochi", "Russia"),
            meeting(3, "2023-05-04", "Geneva"),
        ],
        ARTICLES.name: [
            {
                "file": ARTICLE,
                "title": "Ministers meet",
                "date": "2023-05-04",
                "date_source": "header",
                "source": "https://example.org/a",
                "path": str(folder / "corpus" / ARTICLE),
                "chars": len(TEXT),
            }
        ],
    }


SCHEMAS = {t.name: t for t in (VENUES, MEDIATORS, MEETINGS, ARTICLES)}


def write_data(folder: Path, change=None) -> Path:
    """The data folder, after ``change(rows_by_file)`` (edits rows in place)."""
    (folder / "corpus").mkdir(parents=True)
    (folder / "corpus" / ARTICLE).write_text(TEXT, encoding="utf-8")
    rows = tables(folder)
    if change:
        change(rows)
    for name, table in rows.items():
        atomic.write_csv(folder / name, SCHEMAS[name].names, table)
    return folder


@pytest.fixture()
def data(tmp_path, monkeypatch):
    """A fresh data folder the app reads, and a log folder for the guard (returned)."""
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(tmp_path / "data"))  # per test: no cached entry is shared
    monkeypatch.setattr(paths, "DEFAULT_CORPUS", tmp_path / "data" / "corpus")
    monkeypatch.setenv("TALKS_ATLAS_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path / "data"


# ---------------------------------------------------------------------------------------------
# Visiting and checking


def visit(page: str, params: dict | None = None, before_page=None) -> AppTest:
    """Open the app with ``params`` (on the map), then go to ``page``; ``before_page()`` runs
    just before the page is drawn (before the first run for the map)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    if page != "map":
        at.run()
        at.switch_page(PAGES[page])
    if before_page:
        before_page()
    return at.run()


FENCED = re.compile(r"^```text\n.*?^```$", re.MULTILINE | re.DOTALL)  # ui.messages.verbatim: literal text
MARKDOWN_KINDS = ("markdown", "caption", "warning", "error", "info", "success", "toast", "exception")
UNESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_texts(at: AppTest) -> list[str]:
    """Every string a Markdown-rendering element shows (main and sidebar), as written."""
    out = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    for table in at.get("table"):
        out += [str(v) for v in table.value.astype(str).to_numpy().ravel()]
    return out


def shown(at: AppTest) -> str:
    """The text of the Markdown elements as a reader sees it (backslash escapes undone)."""
    return UNESCAPED.sub(r"\1", "\n".join(markdown_texts(at))).replace(WORD_JOINER, "")


def html_documents(at: AppTest) -> list[str]:
    docs = [e.proto.body for e in at.get("html")] + [e.proto.srcdoc for e in at.get("iframe")]
    return docs + [e.proto.json_args for e in at.get("component_instance")]


def assert_no_markup_from_input(at: AppTest) -> None:
    for text in map(lambda t: FENCED.sub("", t), markdown_texts(at)):
        assert not re.search(r"(?<!\\)!\\?\[|(?<!\\)\[[^\]]*(?<!\\)\]\(", text), text[:300]  # image or link
        assert f"://{HOST}" not in text.replace("\\", ""), text[:300]  # a bare URL would become a link
        assert not re.search(r"(?<!\\)<[a-zA-Z/]", text), text[:300]
    for doc in html_documents(at):
        assert not [r for r in remote_references(doc) if HOST in r]
        assert not re.search(r"<(img|script)\b[^>]*" + re.escape(HOST), doc)
    everything = json.dumps(
        [MessageToDict(node.proto) for node in nodes(at._tree) if getattr(node, "proto", None) is not None]
    )
    assert "1337" not in everything  # {{ 7*191 }} was never evaluated


def nodes(node):
    """Every block and element of the page (main, sidebar), depth first."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def guard_reports(at: AppTest) -> list[str]:
    return [e.value for e in at.error if "unexpected error" in e.value]


def check(at: AppTest, *expected: str) -> str:
    text = shown(at)
    for part in expected:
        assert part in text, f"{part!r} not in:\n{text[:2000]}"
    assert_no_markup_from_input(at)
    assert not guard_reports(at), guard_reports(at)
    assert not at.exception
    return text


# ---------------------------------------------------------------------------------------------
# Hostile links, on every page


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "params, notice",
    [
        ({"mediator": IMAGE}, f"Ignored unknown mediator '{IMAGE}' in the link."),
        ({"mediator": ["Swiss", TAG]}, "Ignored unknown mediator '<img src="),
        ({"until": "0001-01-01"}, "until=0001-01-01 in the link is before the first meeting (3 February 2020)"),
    ],
)
def test_hostile_link_on_every_page(data, page, params, notice):
    write_data(data)
    check(visit(page, params), notice)


@pytest.mark.parametrize(
    "page, params, notice",
    [
        ("map", {"mediator": HUGE}, "more characters) in the link."),
        ("timeline", {"level": "<script>alert(1)</script>"}, "Ignored unknown level '<script>alert(1)</script>'"),
        ("venues", {"status": ":red[held] $x^2$"}, "Ignored unknown status ':red[held] $x^2$'"),
        ("map", {"until": "99999-01-01"}, "Ignored until='99999-01-01' in the link: not a date"),
        ("timeline", {"until": "not-a-date"}, "Ignored until='not-a-date' in the link: not a date"),
        ("map", {"until": "9999-12-31"}, "until=9999-12-31 in the link is after the last meeting (4 May 2023)"),
        ("sources", {"from": ["2021", IMAGE]}, f"Ignored from='{IMAGE}' in the link: not a year."),
        ("briefing", {"to": "99999999999999999999"}, "Ignored to=99999999999999999999 in the link: not a year."),
        ("venues", {"from": "1900"}, "from=1900 in the link is outside the data (2020–2023); using 2020."),
        (
            "map",
            {"level": "leaders\n\n# Heading [a](javascript:alert(1))"},
            "Ignored unknown level 'leaders\\n\\n# Heading",
        ),
    ],
)
def test_hostile_link_value(data, page, params, notice):
    write_data(data)
    at = visit(page, params)
    text = check(at, notice)
    if params.get("mediator") == HUGE:
        assert "(99,9" in text and len(text) < 5_000  # cut, saying how much
        assert not any(HUGE in str(v) for v in at.query_params.values())  # and dropped from the link


def test_page_links_carry_the_cleaned_link(data):
    write_data(data)
    at = visit("map", {"mediator": [IMAGE, "Russia"]})
    check(at, "Ignored unknown mediator")
    links = [MessageToDict(e.proto) for e in at.sidebar.get("page_link")]
    assert links and not [link for link in links if HOST in json.dumps(link)]
    assert all("mediator=Russia" in link.get("queryString", "") for link in links)


def test_until_before_the_data_is_the_first_meeting_everywhere(data):
    write_data(data)
    at = visit("map", {"until": "0001-01-01"})
    check(
        at,
        "showing meetings up to 3 February 2020",
        "1 meeting at 1 venue, 2020",
        "Download the 1 filtered meetings, up to 3 February 2020",
        "Time window: up to 3 February 2020 — 1 of 3 meetings in the filters",
    )


# ---------------------------------------------------------------------------------------------
# Broken data folders


def _set(file: str, row: int, field: str, value):
    def change(rows):
        rows[file][row][field] = value

    return change


def _drop(file: str):
    def change(rows):
        rows.pop(file)

    return change


@pytest.mark.parametrize("page", ["map", "sources"])
@pytest.mark.parametrize(
    "change, after, message",
    [
        (_drop("meetings.csv"), None, ["meetings.csv: file not found", "geo build"]),
        (None, lambda d: (d / "meetings.csv").write_bytes(b""), ["meetings.csv, row 1: is empty"]),
        (_set("meetings.csv", 1, "date", "2022-13-45"), None, ["meetings.csv, row 3, field 'date'"]),
        (None, lambda d: (d / "venues.csv").write_bytes(b"\x00\xff\xfe" * 100), ["venues.csv: not UTF-8 text"]),
        (_set("meetings.csv", 0, "venue", IMAGE), None, ["meetings.csv, row", f"unknown venue '{IMAGE}'"]),
        (_set("venues.csv", 0, "lat", "north"), None, ["venues.csv, row 2, field 'lat'"]),
    ],
)
def test_broken_data_names_the_file_row_and_field(data, page, change, after, message):
    write_data(data, change)
    if after:
        after(data)
    at = visit("map")  # the data cannot be loaded: every page shows the same message
    if page != "map":
        at.switch_page(PAGES[page]).run()
    check(at, "The data tables cannot be loaded", *message)
    assert not at.get("component_instance")


@pytest.mark.parametrize("page", PAGES)
def test_template_text_in_every_field_is_shown_literally(data, page):
    payload = "{{ 7*191 }}"

    def change(rows):
        rows["meetings.csv"][0]["event"] = f"Talks {payload}"
        rows["mediators.csv"][0]["label"] = f"Switzerland {payload}"
        rows["articles.csv"][0]["title"] = f"Ministers {payload}"

    write_data(data, change)
    check(visit(page, {"mediator": "Swiss"}))


@pytest.mark.parametrize("page", ["sources", "timeline", "briefing"])
def test_hostile_article_and_label_text_is_never_markup(data, page):
    def change(rows):
        rows["articles.csv"][0]["title"] = f"Ministers {IMAGE} <b>meet</b>"
        rows["articles.csv"][0]["source"] = f"{TAG} [home](https://{HOST}/)"
        rows["mediators.csv"][0]["label"] = f"Swiss {IMAGE}"

    write_data(data, change)
    text = check(visit(page, {"mediator": "Swiss"}))
    if page == "sources":
        assert f"Ministers {IMAGE} <b>meet</b>" in text and TAG in text
    if page == "timeline":
        assert f"Swiss {IMAGE}" in text


@pytest.mark.parametrize("page", ["map", "sources"])
def test_a_date_outside_the_plausible_window_is_named(data, page):
    write_data(data, _set("meetings.csv", 1, "date", "3024-10-23"))  # a one-digit typo
    at = visit("map")
    if page != "map":
        at.switch_page(PAGES[page]).run()
    check(
        at,
        "The data tables cannot be loaded",
        "meetings.csv, row 3, field 'date': 3024-10-23 is outside the plausible dates 1991-01-01..",
        "TALKS_ATLAS_DATE_WINDOW",
    )


@pytest.mark.parametrize("page", ["map", "timeline", "briefing"])
def test_a_far_date_is_a_step_of_the_time_control_not_a_crash(data, page, monkeypatch):
    """A date slider held microseconds as a JavaScript number (about 1684–2255); the time control
    now steps through the meetings' own dates, so a far date is one more step."""
    monkeypatch.setenv("TALKS_ATLAS_DATE_WINDOW", "1991:9999")  # an analyst widened the window
    write_data(data, _set("meetings.csv", 1, "date", "3024-10-23"))
    at = visit(page)
    check(at, "3 meetings at 2 venues, 2020–3024" if page == "map" else "")
    if page == "map":
        control = at.select_slider(key="map_until")
        assert control.options[-1] == "23 Oct 3024" and control.value == "3024-10-23"
        control.set_value("2023-05-04").run()
        check(at, "2 meetings at 1 venue, 2020–2023", "Time window: up to 4 May 2023 — 2 of 3 meetings")


def test_zero_coordinates_are_named(data):
    def change(rows):
        rows["venues.csv"][1]["lat"] = rows["venues.csv"][1]["lon"] = 0

    write_data(data, change)
    text = check(visit("map"))
    # The map says so; a plausibility check at load (geo.core.schema) may refuse the row instead.
    assert "has the coordinates 0, 0 (probably missing): Sochi" in text or "venues.csv, row 3" in text


def test_an_article_that_cannot_be_read_is_named(data):
    write_data(data)
    (data / "corpus" / ARTICLE).unlink()
    check(visit("sources"), "The article text is not shown:", f"{ARTICLE} cannot be read (no such file)")


def _recorded_hash(rows):
    from geo.ingest.corpus import content_hash

    rows["articles.csv"][0]["sha256"] = content_hash(TEXT)


def test_evidence_from_a_changed_article_is_flagged(data):
    write_data(data, _recorded_hash)
    at = visit("sources")
    check(at)
    assert "<mark" in at.get("html")[0].proto.body  # unchanged: the evidence is highlighted
    assert "<q>The ministers met in</q>" in decoded_map(visit("map"))  # and quoted in the popup
    changed = TEXT.replace("ministers met", "ministers <b>did not</b> meet")
    (data / "corpus" / ARTICLE).write_text(changed, encoding="utf-8")
    at = visit("sources")
    check(
        at,
        "The article text is not shown: the article changed since the build; rebuild.",
        "Evidence is shown as references only.",
    )
    assert not at.get("html")
    at = visit("map")
    popups = decoded_map(at)
    assert "(the article changed since the build; rebuild)" in popups and "<q>" not in popups


@pytest.mark.parametrize("target", ["/etc/passwd", "../secret.txt"])
def test_an_article_path_outside_the_corpus_is_refused(data, target):
    def change(rows):
        rows["articles.csv"][0]["path"] = target if target.startswith("/") else str(data / "corpus" / target)

    write_data(data, change)
    (data / "secret.txt").write_text("root:x:0:0:secret", encoding="utf-8")
    at = visit("sources")
    text = check(at, "The article text is not shown: not read:", "is outside the corpus folder", "TALKS_ATLAS_CORPUS")
    assert "root:x" not in text and not at.get("html")
    assert "root:x" not in decoded_map(visit("map"))


def decoded_map(at: AppTest) -> str:
    """The map's script as the browser gets it (JSON escapes undone)."""
    (comp,) = [c for c in at.get("component_instance") if c.proto.component_name.endswith("st_folium")]
    args = json.loads(comp.proto.json_args)  # the map and the venue layer swapped into it
    script = args["script"] + (args.get("feature_group") or "")
    return script.encode().decode("unicode_escape", errors="replace")


def test_a_page_that_stops_early_is_not_a_crash(data):
    write_data(data)
    at = visit("sources", {"from": "2022", "mediator": "Russia"})  # no meeting matches
    at.toggle(key="sources_only").set_value(True).run()
    check(at, "No article is cited by the meetings in the current filters.")  # st.stop passes the guard


# ---------------------------------------------------------------------------------------------
# What slips through: the guard


def _boom(*args, **kwargs):
    raise RuntimeError("simulated fault")


@pytest.mark.parametrize(
    "page, target",
    [
        ("map", "geo.present.mapview.venue_group"),
        ("timeline", "geo.present.timeline.timeline_chart"),
        ("venues", "ui.data.evidence"),
        ("sources", "ui.highlight.highlight_html"),
        ("briefing", "geo.present.brief.compose"),
        ("map", "ui.data.load_dataset"),  # loading the data, before any page
    ],
)
def test_an_unexpected_error_is_a_message_and_a_log(data, monkeypatch, page, target):
    write_data(data)
    at = visit(page, {"mediator": IMAGE}, lambda: monkeypatch.setattr(target, _boom))
    reports = guard_reports(at)
    assert len(reports) == 1, shown(at)
    report = UNESCAPED.sub(r"\1", reports[0]).replace(WORD_JOINER, "")
    assert f"An unexpected error stopped the {TITLES[page]} page" in report and "RuntimeError" in report
    assert "Link parameters:" in report
    assert_no_markup_from_input(at)
    logs = list((data.parent / "logs").glob("talks-atlas-*.log"))
    assert len(logs) == 1 and str(logs[0]) in report
    log = logs[0].read_text(encoding="utf-8")
    assert f"the {TITLES[page]} page" in log and "simulated fault" in log and "Traceback" in log
    assert not at.exception  # the guard shows its own message, not Streamlit's exception element


def test_a_failing_filter_change_is_a_message_and_a_log(data, monkeypatch):
    write_data(data)
    at = visit("timeline")
    monkeypatch.setattr("ui.sidebar.to_query", _boom)  # the sidebar's callback writes the URL with it
    at.sidebar.multiselect(key="f_mediators").set_value(["Russia"]).run()
    report = guard_reports(at)
    assert len(report) == 1 and "An unexpected error stopped a filter change" in report[0]
    assert "Meetings over time" in [h.value for h in at.subheader]  # the page itself still ran
    log = next((data.parent / "logs").glob("talks-atlas-*.log")).read_text(encoding="utf-8")
    assert "a filter change" in log and "simulated fault" in log
    assert not at.exception


def test_the_guard_names_a_long_link_cut(data, monkeypatch):
    write_data(data)
    monkeypatch.setattr("ui.data.load_dataset", _boom)  # before the sidebar cleans the link
    at = visit("map", {"level": HUGE})
    report = guard_reports(at)[0]
    assert "more characters" in report and len(report) < 2_000
    assert_no_markup_from_input(at)
    assert not at.exception


def test_error_details_are_off_by_default():
    config = (paths.ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r'^showErrorDetails = "none"$', config, re.MULTILINE)
    assert os.environ.get("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS") in (None, "none", "false")


# ---------------------------------------------------------------------------------------------
# A build killed while publishing (geo.core.snapshot): the app finishes it before reading


def interrupted_publish(folder: Path, journal: str) -> None:
    """What a build killed after its commit point leaves: the new meetings table staged, the
    journal written, the old table still in place."""
    staging = folder / ".staging-0123456789ab"
    staging.mkdir()
    old = (folder / "meetings.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (staging / "meetings.csv").write_text("".join(old[:3]), encoding="utf-8")  # header + 2 meetings
    (folder / ".publish").write_text(journal, encoding="utf-8")


def test_an_interrupted_publish_is_finished_before_the_app_reads(data):
    write_data(data)
    interrupted_publish(data, json.dumps({"token": "0123456789ab", "files": ["meetings.csv"]}))
    check(visit("map"), "2 meetings at 2 venues, 2020–2021")
    assert not (data / ".publish").exists() and not list(data.glob(".staging-*"))


def test_an_unreadable_publish_journal_is_named(data):
    write_data(data)
    interrupted_publish(data, "{not json")
    check(visit("timeline"), ".publish: unreadable publish journal", "remove it to keep the old tables")
