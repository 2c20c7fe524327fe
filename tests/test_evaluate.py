"""Precision/recall against a gold CSV: matching rules, bad gold files, the command."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.dates import When
from geo.core.errors import DataError
from geo.meetings.evaluate import Gold, evaluate, load_gold
from geo.meetings.extract import Candidate, merge

BASE = Candidate(
    id="a.txt#kazan", file="a.txt", venue="Kazan", host="RU", date=When.parse("2024-10"),
    mediators=("none",), participants=(), level="leaders", format="bilateral", status="held", event="",
    confidence=0.8, evidence=((0, 10),),
)


def _c(**kw):
    return replace(BASE, **kw)


@pytest.mark.parametrize(
    "cand, gold_date, matched, exact",
    [
        (_c(), "2024-10-23", True, False),  # month agrees with day at month precision
        (_c(date=When.parse("2024-10-23")), "2024-10-23", True, True),
        (_c(date=When.parse("2024")), "2024-07", True, False),
        (_c(date=When.parse("2024-09")), "2024-10-23", False, False),
        (_c(date=When.parse("2024-10-22")), "2024-10-23", False, False),
        (_c(date=None), "2024-10-23", False, False),  # no year: never a match
        (_c(venue="Moscow"), "2024-10-23", False, False),
    ],
)
def test_matching(cand, gold_date, matched, exact):
    r = evaluate(merge([cand]), [Gold(2, "g", When.parse(gold_date), "Kazan")])
    assert (len(r.matches) == 1, r.exact == 1) == (matched, exact)
    assert len(r.false_positives) == (0 if matched else 1)
    assert len(r.missed) == (0 if matched else 1)


def test_each_gold_meeting_is_matched_once():
    a = _c(date=When.parse("2024-10-23"))
    b = _c(id="b.txt#kazan", file="b.txt", date=When.parse("2024-10-24"))
    r = evaluate(merge([a, b]), [Gold(2, "g", When.parse("2024-10"), "Kazan")])
    assert (len(r.matches), len(r.false_positives)) == (1, 1)
    assert (r.precision, r.recall) == (0.5, 1.0)


def test_min_confidence_filters_proposals():
    low = _c(confidence=0.2)
    assert len(evaluate(merge([low]), [Gold(2, "g", When.parse("2024-10"), "Kazan")], min_confidence=0.5).matches) == 0


@pytest.mark.parametrize(
    "body, where, message",
    [
        ("date\n2024-10-23\n", "row 1, field 'venue'", "column is missing"),
        ("date,venue\n2022-13-01,Kazan\n", "row 2, field 'date'", "bad date"),
        ("date,venue\n2024-10-23,\n", "row 2, field 'venue'", "is empty"),
        ("date,venue\n", "row 2", "no gold meetings"),
    ],
)
def test_bad_gold(tmp_path, body, where, message):
    p = tmp_path / "gold.csv"
    p.write_text(body)
    with pytest.raises(DataError) as err:
        load_gold(p)
    assert where in str(err.value) and message in str(err.value)


def test_command_on_own_fixtures(tmp_path, capsys):
    gold = tmp_path / "gold.csv"
    gold.write_text("date,venue\n2024-10-23,Kazan\n2024-10-08,Moscow\n2022-10-31,Geneva\n2023-05-14,Brussels\n2019-01-01,Paris\n")
    hard = Path(__file__).parent / "fixtures" / "meetings" / "hard"
    assert main(["evaluate", str(hard), str(gold)]) == 0
    out = capsys.readouterr().out
    assert "found 4 of 5 (recall 0.80)" in out
    assert "MISSED  Paris 2019-01-01" in out


def test_command_bad_gold_exit_2(tmp_path, capsys):
    gold = tmp_path / "gold.csv"
    gold.write_text("venue\nKazan\n")
    assert main(["evaluate", str(tmp_path), str(gold)]) == 2
    assert "field 'date'" in capsys.readouterr().err
