"""The Review page through AppTest: accept, reject, edit, merge, add by hand, undo, an empty
queue and bad input; each decision reaches the journal, meetings.csv and the other pages at once.
The data folder is a copy of the committed data/ with the decisions cleared (every candidate
undecided). Each test ends with no exception."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.paths import DATA, ROOT
from geo.core.schema import load_meetings
from geo.core.tables import CANDIDATES, CURATION
from geo.meetings.candidates import read_candidates
from geo.meetings.journal import Journal
from geo.meetings.review import meetings_by_candidate
from geo.publish.build import recurate

pytestmark = pytest.mark.slow  # every test here runs the whole app (AppTest)

APP = str(ROOT / "app.py")
REVIEW = "app_pages/review.py"


@pytest.fixture()
def data(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    shutil.copytree(DATA, d, ignore=shutil.ignore_patterns("corpus", ".*", "atlas.sqlite*"))
    (d / CURATION.name).write_text("id,action,field,value,note\n", encoding="utf-8")
    recurate(d)
    monkeypatch.setenv("TALKS_ATLAS_DATA", str(d))
    monkeypatch.delenv("TALKS_ATLAS_STORE", raising=False)
    return d


def page(name: str = "Ana", path: str = REVIEW) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if name:
        at.sidebar.text_input(key="analyst_name").input(name)
    at.switch_page(path)
    return at.run()


def shown(at: AppTest) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "info", "error", "warning", "success") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("\u2060", "").replace("**", "")


def on_screen(at: AppTest) -> str:
    """The id of the candidate on screen."""
    return at.selectbox(key="rv_pick").value


def field(at: AppTest, kind: str, name: str):
    """The candidate form's widget for ``name`` (its key carries the journal version and the id)."""
    widgets = [
        w for w in getattr(at, kind) if w.key.endswith("_" + name) and w.key.startswith("rv") and "_add_" not in w.key
    ]
    assert len(widgets) == 1, [w.key for w in getattr(at, kind)]
    return widgets[0]


def decisions(data: Path) -> list[tuple[str, str, str, str, str]]:
    return [(d.id, d.action, d.field, d.value, d.analyst) for d in Journal(data_dir=data).decisions()]


def meeting_of(data: Path, cid: str):
    """The meetings.csv row a candidate is part of (None when it is in none)."""
    df = load_meetings(data / "meetings.csv")
    mid = meetings_by_candidate(df.to_dict("records")).get(cid)
    return df.set_index("id").loc[mid] if mid else None


def test_the_queue_starts_with_the_least_confident_undecided_candidate(data):
    at = page()
    candidates = read_candidates(data / CANDIDATES.name)
    lowest = min(candidates, key=lambda c: (c.confidence, c.file, c.id))
    assert on_screen(at) == lowest.id
    assert f"{len(candidates)} undecided" in shown(at) and "<mark" in (at.html[0].value if at.html else "<mark")
    assert not at.exception


def test_accept_records_publishes_and_shows_the_next_candidate(data):
    at = page()
    first = on_screen(at)
    assert "(unreviewed)" in meeting_of(data, first)["notes"]
    at.button(key="rv_accept").click().run()
    assert decisions(data) == [(first, "accept", "", "", "Ana")]
    assert "(unreviewed)" not in meeting_of(data, first)["notes"]  # published at once
    assert on_screen(at) != first and "Accepted" in shown(at)
    assert not at.exception


def test_reject_takes_the_meeting_off_the_map_on_its_next_view(data):
    at = page(path="app_pages/map.py")
    n = len(load_meetings(data / "meetings.csv"))
    assert f"{n} meetings at" in shown(at)
    at.switch_page("app_pages/meetings.py").run()
    assert len(at.dataframe[0].value) == n
    at.switch_page(REVIEW).run()
    first = on_screen(at)
    field(at, "text_input", "note").input("a commentator's guess, not a meeting")
    at.button(key="rv_reject").click().run()
    assert decisions(data)[0][:2] == (first, "reject")
    assert meeting_of(data, first) is None
    at.switch_page("app_pages/map.py").run()  # the same session: no restart
    assert f"{n - 1} meetings at" in shown(at)
    at.switch_page("app_pages/meetings.py").run()
    assert len(at.dataframe[0].value) == n - 1
    assert not at.exception


def test_edit_saves_only_the_changed_fields(data):
    at = page()
    first = on_screen(at)
    field(at, "text_input", "date").input("2024-07").run()
    field(at, "selectbox", "status").set_value("planned").run()
    at.button(key="rv_edit").click().run()
    assert sorted(d[2:4] for d in decisions(data)) == [("date", "2024-07"), ("status", "planned")]
    m = meeting_of(data, first)
    assert (m["date"], m["date_precision"], m["status"]) == ("2024-07", "month", "planned")
    assert not at.exception


def test_accept_with_a_changed_field_records_both(data):
    at = page()
    first = on_screen(at)
    field(at, "multiselect", "participants").set_value(["Blinken"]).run()
    at.button(key="rv_accept").click().run()
    assert sorted(d[1:4] for d in decisions(data)) == [("accept", "", ""), ("edit", "participants", "Blinken")]
    assert meeting_of(data, first)["participants"] == "Blinken"
    assert not at.exception


def test_merge_rejects_the_duplicate_and_its_evidence_joins_the_kept_meeting(data):
    at = page()
    first = on_screen(at)
    refs = meeting_of(data, first)["evidence"]
    target = next(o for o in field(at, "selectbox", "target").options if "Sochi" in o)
    kept_id = target.rsplit(" — ", 1)[1]
    field(at, "selectbox", "target").set_value(kept_id).run()
    at.button(key="rv_merge").click().run()
    assert (first, "reject") in [d[:2] for d in decisions(data)]
    assert meeting_of(data, first) is None
    kept = load_meetings(data / "meetings.csv").set_index("id").loc[kept_id]
    assert refs.split(";")[0] in kept["evidence"]
    assert "Merged" in shown(at)
    assert not at.exception


def test_add_by_hand_cites_a_passage_of_the_article(data, seeds_dir):
    at = page()
    cand = read_candidates(data / CANDIDATES.name)[0]
    start, end = cand.evidence[0]
    passage = (seeds_dir / cand.file).read_text(encoding="utf-8")[start:end]  # read here, never copied
    at.text_input(key="rv_add_date").input("2024-06-12")
    at.selectbox(key="rv_add_venue").set_value("Moscow")
    at.multiselect(key="rv_add_mediators").set_value(["Russia"])
    at.selectbox(key="rv_add_article").set_value(cand.file)
    at.text_area(key="rv_add_passage").input(passage)
    at.text_input(key="rv_add_url").input("https://example.org/report")
    at.text_input(key="rv_add_note").input("a ministers' meeting the extraction missed")
    at.button(key="rv_add").click().run()
    added = load_meetings(data / "meetings.csv")
    row = added[added["id"] == "added-2024-06-12-moscow"].iloc[0]
    assert row["evidence"] == f"{cand.file}:{start}-{end}" and "added by analyst" in row["notes"]
    assert {d[4] for d in decisions(data)} == {"Ana"}
    assert not at.exception


def test_undo_brings_back_the_candidate_and_the_meetings(data):
    at = page()
    first = on_screen(at)
    before = (data / "meetings.csv").read_bytes()
    at.button(key="rv_reject").click().run()
    assert (data / "meetings.csv").read_bytes() != before
    at.button(key="rv_undo").click().run()
    assert decisions(data) == []
    assert (data / "meetings.csv").read_bytes() == before
    assert on_screen(at) == first and "Undid" in shown(at)
    at.button(key="rv_undo").click().run()
    assert "no decision left to undo" in shown(at)
    assert not at.exception


@pytest.mark.parametrize(
    "change, words",
    [
        (("text_input", "date", "2024-02-30"), "field 'date': bad date '2024-02-30'"),
        (("text_input", "date", "next spring"), "field 'date': bad date"),
        (("text_input", "date", "3024-10-23"), "outside the plausible dates"),
        (("text_input", "url", "javascript:alert(1)"), "field 'source_url': 'javascript:alert(1)' is not an http(s)"),
        (("text_input", "url", "example.org/page"), "is not an http(s) address"),
    ],
    ids=["impossible-day", "words", "far-future", "javascript-url", "no-scheme"],
)
def test_bad_input_is_named_and_nothing_is_recorded(data, change, words):
    at = page()
    first = on_screen(at)
    kind, name, value = change
    field(at, kind, name).input(value).run()
    at.button(key="rv_edit").click().run()
    assert words in shown(at)
    assert decisions(data) == [] and on_screen(at) == first
    assert not at.exception


def test_a_decision_without_a_name_says_to_give_one(data):
    at = page(name="")
    assert "Type your name in the sidebar" in shown(at)
    at.button(key="rv_accept").click().run()
    assert "Type your name in the sidebar (Analyst) first" in shown(at)
    assert decisions(data) == []
    assert not at.exception


def test_the_name_stays_for_the_session_across_pages(data):
    at = page()
    at.switch_page("app_pages/map.py").run()
    at.switch_page(REVIEW).run()
    assert at.sidebar.text_input(key="analyst_name").value == "Ana"
    assert "Type your name" not in shown(at)
    assert not at.exception


def test_every_decision_has_its_key(data):
    at = page()
    keys = {b.key: b.proto.shortcut.upper() for b in at.button if b.key and b.key.startswith("rv_")}
    assert keys == {
        "rv_accept": "A",
        "rv_reject": "X",
        "rv_edit": "E",
        "rv_skip": "S",
        "rv_merge": "M",
        "rv_undo": "U",
        "rv_add": "N",
    }
    assert not at.exception


def test_skip_shows_the_next_and_decides_nothing(data):
    at = page()
    first = on_screen(at)
    at.button(key="rv_skip").click().run()
    assert on_screen(at) != first and decisions(data) == []
    assert not at.exception


@pytest.mark.parametrize("how", ["all-decided", "no-candidates-table", "no-candidates"])
def test_an_empty_queue_says_so(data, how):
    if how == "all-decided":
        rows = "".join(f"{c.id},reject,,,\n" for c in read_candidates(data / CANDIDATES.name)[:-1])
        last = read_candidates(data / CANDIDATES.name)[-1]
        (data / CURATION.name).write_text(f"id,action,field,value,note\n{rows}{last.id},accept,,,\n")
        recurate(data)
        expected = "Every candidate is decided"
    elif how == "no-candidates-table":
        (data / CANDIDATES.name).unlink()
        expected = "No candidates yet"
    else:
        header = (data / CANDIDATES.name).read_text().splitlines()[0]
        (data / CANDIDATES.name).write_text(header + "\n")
        expected = "The last build proposed no meeting"
    at = page()
    assert expected in shown(at)
    assert not at.exception


def test_hostile_text_from_the_candidates_and_articles_is_shown_literally(data):
    import csv
    import re

    hostile = "<img src=x onerror=alert(1)> [home](https://evil.example/) :red[held] {{ 7*191 }}"
    for name, column in ((CANDIDATES.name, "reasons"), ("articles.csv", "title"), ("articles.csv", "source")):
        with (data / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for r in rows:
            r[column] = hostile
        with (data / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    at = page()
    raw = [str(e.value) for kind in ("markdown", "caption", "warning", "info") for e in getattr(at, kind)]
    assert any("evil" in r for r in raw) and any("onerror" in r for r in raw)  # shown ...
    for r in raw:  # ... but never as markup: every bracket, tag and directive escaped
        assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(|(?<!\\):red(?!\\)\[", r), r
    assert "1337" not in "".join(raw) and all("1337" not in h.value for h in at.html)
    assert not at.exception
