"""The review queue (geo.meetings.review): order, states, the article around the evidence, and
the decision rows a form becomes. Candidates and text are made up here."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.core.dates import When
from geo.core.tables import CurationRow
from geo.meetings import review
from geo.meetings.extract import Candidate

TEXT = (
    "Harbour Gazette, 3 March 2023\n"
    "Diplomats arrived early. The weather was cold.\n"
    "The two foreign ministers met in Vienna on Tuesday under European mediation. "
    "They spoke for four hours.\n"
    "A second round is planned for Geneva in April.\n"
)


def cand(cid: str, confidence: float = 0.5, venue: str = "Vienna", **kw) -> Candidate:
    start = TEXT.index("The two")
    base = Candidate(
        id=f"gazette.txt#{cid}",
        file="gazette.txt",
        venue=venue,
        host="AT",
        date=When.parse("2023-02-28"),
        mediators=("EU",),
        participants=("Mirzoyan",),
        level="foreign ministers",
        format="trilateral",
        status="held",
        event="",
        confidence=confidence,
        evidence=((start, start + 75),),
    )
    return replace(base, **kw)


def decision(cid: str, action: str, fld: str = "", value: str = "", note: str = "", row: int = 2) -> CurationRow:
    return CurationRow(row, f"gazette.txt#{cid}", action, fld, value, note)


CHOICES = review.Choices(
    venues=("Vienna", "Geneva"),
    mediators=("EU", "Russia", "none"),
    participants=("Mirzoyan", "Bayramov"),
    hosts=("AT", "CH"),
)


# ---------------------------------------------------------------------------------------------
# Order and states


def test_undecided_first_then_lowest_confidence():
    cands = [cand("a", 0.9), cand("b", 0.3), cand("c", 0.2), cand("d", 0.6)]
    items = review.queue(cands, [decision("c", "accept"), decision("d", "edit", "status", "planned")])
    assert [i.id.split("#")[1] for i in items] == ["b", "a", "c", "d"]
    assert [i.state for i in items] == ["undecided", "undecided", "accepted", "edited"]


@pytest.mark.parametrize(
    "decisions, state, merged",
    [
        ([], "undecided", ""),
        ([("accept", "", "", "")], "accepted", ""),
        ([("edit", "level", "leaders", "")], "edited", ""),
        ([("accept", "", "", ""), ("edit", "level", "leaders", "")], "accepted", ""),
        ([("reject", "", "", "not a meeting")], "rejected", ""),
        ([("reject", "", "", "merged into m-2023-02-28-vienna: same talks")], "merged", "m-2023-02-28-vienna"),
    ],
)
def test_state_of_a_candidate(decisions, state, merged):
    rows = [decision("a", *d) for d in decisions]
    assert review.state_of(rows) == (state, merged)


def test_the_form_starts_from_the_latest_edit():
    item = review.queue(
        [cand("a")],
        [decision("a", "edit", "date", "2023-02"), decision("a", "edit", "date", "2023-03-01", row=3)],
    )[0]
    assert item.fields["date"] == "2023-03-01" and item.fields["date_precision"] == "day"
    assert item.fields["venue"] == "Vienna" and item.fields["mediators"] == "EU"


def test_next_item_passes_over_skipped_ones_until_only_they_are_left():
    items = review.queue([cand("a", 0.1), cand("b", 0.2)], [])
    assert review.next_item(items).id.endswith("#a")
    assert review.next_item(items, {"gazette.txt#a"}).id.endswith("#b")
    assert review.next_item(items, {"gazette.txt#a", "gazette.txt#b"}).id.endswith("#a")
    decided = review.queue([cand("a")], [decision("a", "reject")])
    assert review.next_item(decided) is None


def test_meetings_by_candidate_reads_the_provenance_note():
    meetings = [
        {"id": "m-1", "notes": "candidates gazette.txt#a, gazette.txt#b (unreviewed)"},
        {"id": "m-2", "notes": "held in the old town | candidates gazette.txt#c"},
        {"id": "added-1", "notes": "added by analyst"},
    ]
    assert review.meetings_by_candidate(meetings) == {
        "gazette.txt#a": "m-1",
        "gazette.txt#b": "m-1",
        "gazette.txt#c": "m-2",
    }


# ---------------------------------------------------------------------------------------------
# The article around the evidence


def test_excerpt_holds_the_evidence_and_stops_at_paragraphs():
    start = TEXT.index("The two")
    ex = review.excerpt(TEXT, [(start, start + 20)], margin=10)
    shown = TEXT[ex.start : ex.end]
    assert shown.startswith("Diplomats") or shown.startswith("The two")
    assert shown[ex.spans[0][0] : ex.spans[0][1]] == "The two foreign mini"
    assert ex.cut_before and ex.cut_after


@pytest.mark.parametrize(
    "spans, expected",
    [
        ([(0, 5)], (0, True)),  # at the very start: nothing cut before
        ([(len(TEXT) - 6, len(TEXT) - 1)], (None, False)),  # at the end: nothing cut after
        ([(5, 2)], None),  # an empty span is left out
        ([(0, len(TEXT) + 10)], None),  # past the text: left out
    ],
)
def test_excerpt_at_the_edges(spans, expected):
    ex = review.excerpt(TEXT, spans, margin=10)
    if expected is None:
        assert ex.spans == () and ex.start == 0
        return
    start, cut_after = expected
    if start is not None:
        assert ex.start == start and not ex.cut_before
    assert ex.cut_after == cut_after
    assert all(0 <= s < e <= ex.end - ex.start for s, e in ex.spans)


def test_excerpt_spans_far_apart_are_one_window():
    a, b = TEXT.index("Diplomats"), TEXT.index("A second")
    ex = review.excerpt(TEXT, [(a, a + 9), (b, b + 8)], margin=5)
    assert ex.start <= a and ex.end >= b + 8 and len(ex.spans) == 2


# ---------------------------------------------------------------------------------------------
# Forms -> rows


def form(**kw) -> review.Form:
    return replace(review.form_from(review.form_values(cand("a"))), **kw)


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"date": "2023-02-30"}, "date", "day is out of range"),
        ({"date": "last Tuesday"}, "date", "bad date"),
        ({"date": ""}, "date", "is empty"),
        ({"date": "3023-01"}, "date", "outside the plausible dates"),
        ({"venue": "Atlantis"}, "venue", "not a venue"),
        ({"mediators": ()}, "mediators", "at least one"),
        ({"mediators": ("none", "EU")}, "mediators", "cannot be combined"),
        ({"mediators": ("Narnia",)}, "mediators", "not a mediator"),
        ({"host": "Austria"}, "host", "two-letter"),
        ({"level": "kings"}, "level", "not one of"),
        ({"participants": ("Nobody",)}, "participants", "not a participant"),
    ],
)
def test_a_bad_form_names_its_field(changes, field, words):
    problems = review.check_form(form(**changes), CHOICES)
    assert [p.field for p in problems] == [field] and words in problems[0].message


def test_a_good_form_has_no_problems():
    assert review.check_form(form(date="2023-02", mediators=("none",), host=""), CHOICES) == []


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/talks", True),
        ("http://example.org", True),
        ("HTTPS://Example.org/x", True),
        ("", True),  # optional unless required
        ("javascript:alert(1)", False),
        ("ftp://example.org/file", False),
        ("example.org/talks", False),
        ("https://", False),
        ("https://exa mple.org", False),
    ],
)
def test_source_urls_must_be_http(url, ok):
    assert (review.check_url(url) == []) is ok


def test_a_required_url_may_not_be_empty():
    assert review.check_url("  ", required=True)[0].field == "source_url"


def test_edit_rows_only_for_changed_fields():
    item = review.queue([cand("a")], [])[0]
    rows = review.edit_rows(item, form(date="2023-02", participants=("Mirzoyan", "Bayramov")), "checked", "")
    assert [(r["field"], r["value"]) for r in rows] == [("date", "2023-02"), ("participants", "Mirzoyan;Bayramov")]
    assert all(r["action"] == "edit" and r["id"] == item.id and r["note"] == "checked" for r in rows)
    assert review.edit_rows(item, form()) == []


@pytest.mark.parametrize("make", [review.accept_rows, review.reject_rows])
def test_accept_and_reject_are_one_row(make):
    item = review.queue([cand("a")], [])[0]
    (only,) = make(item, "seen")
    assert only["id"] == item.id and only["field"] == "" and only["value"] == "" and only["note"] == "seen"


def test_merge_rejects_the_candidate_and_extends_the_kept_meetings_evidence():
    kept = {
        "id": "m-2023-02-28-vienna",
        "date": "2023-02-28",
        "venue": "Vienna",
        "level": "foreign ministers",
        "evidence": "other.txt:5-40",
        "notes": "candidates other.txt#k (unreviewed)",
    }
    (target,) = review.targets([kept])
    assert target.keeper == "other.txt#k" and "28 February 2023, Vienna" in target.label
    item = review.queue([cand("a")], [])[0]
    reject, edit = review.merge_rows(item, target, "same talks")
    assert reject == review.row(item.id, "reject", note="merged into m-2023-02-28-vienna: same talks")
    assert edit["id"] == "other.txt#k" and edit["field"] == "evidence"
    assert edit["value"] == "other.txt:5-40;" + item.candidate.refs[0]
    again = review.queue([cand("a")], [CurationRow(2, item.id, "reject", "", "", reject["note"])])[0]
    assert again.state == "merged" and again.merged_into == "m-2023-02-28-vienna"


def test_merge_into_its_own_meeting_gives_no_rows():
    kept = {"id": "m-1", "date": "2023", "venue": "Vienna", "level": "other", "evidence": "", "notes": ""}
    (target,) = review.targets([kept], added_ids=["m-1"])  # an added meeting keeps its own id
    item = review.queue([cand("a")], [], {"gazette.txt#a": "m-1"})[0]
    assert review.merge_rows(item, target) == []


def test_adding_by_hand_cites_a_passage_and_the_url():
    f = form(date="2023-04", venue="Geneva", host="CH", status="planned")
    new_id = review.new_meeting_id(f, ["added-2023-04-geneva"])
    assert new_id == "added-2023-04-geneva-2"
    passage = review.find_passage("gazette.txt", TEXT, "second  round is\nplanned for geneva")
    assert TEXT[passage.start : passage.end] == "second round is planned for Geneva"
    rows = review.add_rows(new_id, f, passage, "from the ministry", "https://example.org/a")
    got = {r["field"]: r["value"] for r in rows}
    assert got["date"] == "2023-04" and got["venue"] == "Geneva" and got["evidence"] == passage.ref
    assert all(r["action"] == "add" and r["source_url"] == "https://example.org/a" for r in rows)


@pytest.mark.parametrize("quote", ["", "   ", "a meeting on the moon"])
def test_a_passage_that_is_not_in_the_article_is_none(quote):
    assert review.find_passage("gazette.txt", TEXT, quote) is None
