"""Analyst decisions: validation of data/curation.csv and their effect on candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.core.errors import DataError
from geo.core.schema import load_curation
from geo.ingest.corpus import read_corpus
from geo.meetings.curation import apply
from geo.meetings.extract import Extractor, NameFinder

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
NAMES = {
    "Geneva": ("Geneva", "CH"),
    "Brussels": ("Brussels", "BE"),
    "Chisinau": ("Chisinau", "MD"),
    "Kazan": ("Kazan", "RU"),
    "Moscow": ("Moscow", "RU"),
}
MEDIATORS = {"Russia", "EU", "France", "USA", "OSCE Minsk Group", "Germany", "Turkey", "Kazakhstan", "none"}
HEADER = "id,action,field,value,note\n"


@pytest.fixture(scope="module")
def candidates():
    corpus = read_corpus(HARD)
    finder, ex = NameFinder(NAMES), Extractor()
    return [c for a in corpus.articles for c in ex.extract(a, finder(a))]


def _decide(tmp_path, body: str):
    p = tmp_path / "curation.csv"
    p.write_text(HEADER + body)
    return load_curation(p, MEDIATORS)


@pytest.mark.parametrize(
    "body, row, field, message",
    [
        ("a.txt#x,edit,date,2022-13-01,\n", 2, "value", "bad date '2022-13-01'"),
        ("a.txt#x,edit,mediators,Russia;Narnia,\n", 2, "value", "unknown mediator 'Narnia'"),
        ("a.txt#x,edit,colour,red,\n", 2, "field", "unknown field 'colour'"),
        ("a.txt#x,edit,level,kings,\n", 2, "value", "not one of"),
        ("a.txt#x,approve,,,\n", 2, "action", "'approve' is not one of"),
        ("a.txt#x,accept,status,held,\n", 2, "field", "takes no field"),
        ("a.txt#x,edit,,,\n", 2, "field", "needs a field"),
        ("a.txt#x,edit,date,2022-01-01,\na.txt#x,edit,date,2022-02-01,\n", 3, "id", "duplicate decision"),
        ("a.txt#x,accept,,,\na.txt#x,reject,,,\n", 3, "action", "both accepted (row 2) and rejected"),
        ("a.txt#x,edit,evidence,a.txt:9-3,\n", 2, "value", "bad evidence reference"),
        (",reject,,,\n", 2, "id", "is empty"),
    ],
)
def test_bad_decisions_name_file_row_field(tmp_path, body, row, field, message):
    with pytest.raises(DataError) as err:
        _decide(tmp_path, body)
    text = str(err.value)
    assert f"curation.csv, row {row}, field '{field}'" in text and message in text, text


def test_missing_column_is_named(tmp_path):
    p = tmp_path / "curation.csv"
    p.write_text("id,field,value\nx,date,2022\n")
    with pytest.raises(DataError) as err:
        load_curation(p, MEDIATORS)
    assert "curation.csv, row 1, field 'action': column is missing" in str(err.value)


def test_no_file_means_no_decisions(tmp_path):
    assert load_curation(tmp_path / "curation.csv", MEDIATORS) == []


def test_reject_edit_accept(tmp_path, candidates):
    ids = {c.venue: c.id for c in candidates if c.file != "undated_anchor.txt"}
    decisions = _decide(
        tmp_path,
        f"{ids['Chisinau']},reject,,,not a meeting\n"
        f"{ids['Brussels']},edit,date,2023-05,\n"
        f"{ids['Brussels']},edit,mediators,EU;France,\n"
        f"{ids['Kazan']},accept,,,\n",
    )
    out = apply(candidates, decisions)
    by_venue = {m["venue"]: m for m in out.meetings if "undated_anchor" not in m["notes"]}
    assert "Chisinau" not in by_venue
    b = by_venue["Brussels"]
    assert (b["id"], b["date"].iso(), b["date_precision"], b["mediators"]) == (
        "m-2023-05-brussels",
        "2023-05",
        "month",
        "EU;France",
    )
    assert "(unreviewed)" not in b["notes"] and "(unreviewed)" not in by_venue["Kazan"]["notes"]
    assert "(unreviewed)" in by_venue["Moscow"]["notes"]
    assert out.counts["rejected"] == 1 and out.counts["edited"] == 1 and out.counts["accepted"] == 1


def test_undated_candidate_is_reported_not_dropped_silently(candidates):
    out = apply(candidates, [])
    undated = [c for c in candidates if not c.date]
    assert undated, "the fixture has an undated article"
    assert out.counts["undated"] == len(undated)
    assert any(undated[0].id in str(w) and "no year" in str(w) for w in out.warnings)


def test_undated_candidate_kept_once_dated(tmp_path, candidates):
    (c,) = [c for c in candidates if not c.date]
    out = apply(candidates, _decide(tmp_path, f"{c.id},edit,date,2021-03-03,\n"))
    assert any(m["venue"] == "Geneva" and m["date"].iso() == "2021-03-03" for m in out.meetings)


def test_decision_for_vanished_candidate_is_reported(tmp_path, candidates):
    out = apply(candidates, _decide(tmp_path, "gone.txt#paris,reject,,,\n"))
    (w,) = [w for w in out.warnings if "gone.txt#paris" in str(w)]
    assert w.row == 2 and "no such candidate" in w.message


def test_add_a_meeting(tmp_path, candidates):
    body = "".join(
        f"m-2020-01-05-vienna,add,{f},{v},\n"
        for f, v in [
            ("date", "2020-01-05"),
            ("venue", "Vienna"),
            ("mediators", "OSCE Minsk Group"),
            ("level", "foreign ministers"),
            ("format", "trilateral"),
            ("status", "held"),
            ("evidence", "two_in_one.txt:0-10"),
        ]
    )
    out = apply(candidates, _decide(tmp_path, body))
    (m,) = [m for m in out.meetings if m["venue"] == "Vienna"]
    assert (m["id"], m["documents"], m["date_precision"]) == ("m-2020-01-05-vienna", "two_in_one.txt", "day")


def test_add_without_required_fields_names_the_row(tmp_path, candidates):
    decisions = _decide(tmp_path, "m-x,add,venue,Vienna,\n")
    with pytest.raises(DataError) as err:
        apply(candidates, decisions)
    assert "row 2" in str(err.value) and "lacks date" in str(err.value)


@pytest.mark.parametrize(
    "extra", ["edit,date,2023-05-14,\n{id},edit,date_precision,month,\n", "edit,date_precision,year,\n"]
)
def test_precision_that_disagrees_with_the_date_names_the_decision(tmp_path, candidates, extra):
    cid = next(c.id for c in candidates if c.venue == "Brussels" and c.file == "planned_held.txt")
    decisions = _decide(tmp_path, f"{cid}," + extra.format(id=cid))
    with pytest.raises(DataError) as err:
        apply(candidates, decisions)
    text = str(err.value)
    assert f"curation.csv, row {decisions[-1].row}, field 'value'" in text and "edit the date instead" in text, text


def test_precision_that_agrees_with_the_date_is_accepted(tmp_path, candidates):
    cid = next(c.id for c in candidates if c.venue == "Brussels" and c.file == "planned_held.txt")
    out = apply(candidates, _decide(tmp_path, f"{cid},edit,date,2023-05,\n{cid},edit,date_precision,month,\n"))
    (b,) = [m for m in out.meetings if m["venue"] == "Brussels" and "undated_anchor" not in m["notes"]]
    assert (b["date"].iso(), b["date_precision"]) == ("2023-05", "month")
