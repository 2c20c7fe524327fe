"""Precision/recall against a gold CSV: matching rules, bad gold files, the command."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.dates import When
from geo.core.errors import DataError
from geo.meetings.evaluate import (
    Gold,
    date_right,
    evaluate,
    evaluate_by_article,
    load_gold,
    load_split,
    month_agrees,
    month_right,
)
from geo.meetings.extract import Candidate, merge

BASE = Candidate(
    id="a.txt#kazan",
    file="a.txt",
    venue="Kazan",
    host="RU",
    date=When.parse("2024-10"),
    mediators=("none",),
    participants=(),
    level="leaders",
    format="bilateral",
    status="held",
    event="",
    confidence=0.8,
    evidence=((0, 10),),
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
        (_c(date=When.parse("2024-10-22")), "2024-10-23", True, False),  # headline is city + month; the day is wrong
        (_c(date=When.parse("2024-11-01")), "2024-10-31", False, False),
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
    gold.write_text(
        "date,venue\n2024-10-23,Kazan\n2024-10-08,Moscow\n2022-10-31,Geneva\n2023-05-14,Brussels\n2019-01-01,Paris\n"
    )
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


def _w(text):
    return When.parse(text) if text else None


@pytest.mark.parametrize(
    "gold, proposed, month, exact",
    [
        ("2024-10-23", "2024-10-23", True, True),
        ("2024-10-23", "2024-10-22", True, False),
        ("2024-10-23", "2024-10", True, False),
        ("2024-10", "2024-10-23", True, True),  # more precise than gold is right at gold's precision
        ("2024", "2024-03", True, True),
        ("2024-10", "2024", True, False),
        ("2024-10", "2024-11", False, False),
        ("", "", True, True),  # undated gold, year-less proposal
        ("", "2024-10", False, False),
        ("2024-10", "", False, False),
    ],
)
def test_date_predicates(gold, proposed, month, exact):
    assert (month_agrees(_w(gold), _w(proposed)), date_right(_w(gold), _w(proposed))) == (month, exact)


@pytest.mark.parametrize(
    "gold, proposed, right",
    [
        ("2024-10-23", "2024-10-05", True),
        ("2024-10", "2024", False),
        ("2024", "2024", True),
        ("2024-10-23", "2024", False),
    ],
)
def test_month_right(gold, proposed, right):
    assert month_right(_w(gold), _w(proposed)) == right


def _g(row=2, date="2024-10-23", venue="Kazan", file="a.txt", **kw):
    return Gold(row, "", _w(date), venue, file, "", **kw)


@pytest.mark.parametrize(
    "cand, gold, reason",
    [
        (_c(venue="Moscow", date=When.parse("2023-01")), _g(), "no-candidate"),
        (_c(date=When.parse("2023-10")), _g(), "wrong-date"),
        (_c(date=None), _g(), "year-unknown"),
        (_c(venue="Moscow", date=When.parse("2024-10-23")), _g(venue="Kazan"), "wrong-venue"),
    ],
)
def test_miss_reasons(cand, gold, reason):
    r = evaluate_by_article([cand], [gold])
    assert [m.reason for m in r.misses] == [reason]


@pytest.mark.parametrize(
    "proposed, gold_venue",
    [
        ("Kraków", "Krakow"),
        ("Bürgenstock", "Burgenstock"),
        ("St. Petersburg", "Saint Petersburg"),
        ("Geneva", "geneva"),
    ],
)
def test_gold_venue_spelling_does_not_count(proposed, gold_venue):
    r = evaluate_by_article([_c(venue=proposed)], [_g(venue=gold_venue)])
    assert (len(r.matches), len(r.false), len(r.misses), r.venue_matches) == (1, 0, 0, 1)


def test_wrong_venue_when_the_date_went_to_another_city():
    r = evaluate_by_article([_c(venue="Moscow")], [_g(), _g(row=3, venue="Moscow", date="2023-01")])
    assert {(m.gold.venue, m.reason) for m in r.misses} == {("Kazan", "wrong-venue"), ("Moscow", "wrong-date")}


@pytest.mark.parametrize(
    "cands, reason",
    [
        ([_c(venue="Moscow")], "not-a-venue"),
        ([_c(date=When.parse("2023-10"))], "wrong-date"),
        ([_c(date=None)], "year-unknown"),
        (
            [_c(date=When.parse("2024-10-23")), _c(id="a.txt#kazan-2", date=When.parse("2024-10-05"), confidence=0.3)],
            "duplicate",
        ),
    ],
)
def test_false_reasons(cands, reason):
    gold = [_g()]
    r = evaluate_by_article(cands, gold)
    assert [f.reason for f in r.false] == [reason]


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("status", "planned", "wrong-status"),
        ("mediators", ("Russia",), "wrong-mediator"),
        ("level", "foreign ministers", "wrong-level"),
    ],
)
def test_category_scores(field, value, code):
    r = evaluate_by_article([_c()], [_g(**{field: value})])
    (m,) = r.matches
    assert code in m.wrong
    cat = {"status": "status", "mediators": "mediator", "level": "level"}[field]
    assert (r.score(cat).correct, r.score("city+month").correct) == (0, 1)


def test_planned_or_cancelled_counted_as_held_is_reported():
    r = evaluate_by_article([_c()], [_g(status="cancelled")])
    assert len(r.held_by_mistake) == 1 and "proposed as held: 1" in r.report()


def test_per_article_unit_keeps_one_meeting_reported_twice_as_two_rows():
    a, b = _c(), _c(id="b.txt#kazan", file="b.txt")
    r = evaluate_by_article([a, b], [_g(file="a.txt"), _g(row=3, file="b.txt")])
    assert (len(r.matches), len(r.false), len(r.misses)) == (2, 0, 0)


def test_devset_gold_and_split_read(tmp_path):
    devset = Path(__file__).parent / "fixtures" / "devset"
    gold = load_gold(devset / "gold.csv")
    assert len(gold) == 140 and sum(g.date is None for g in gold) == 5
    assert {g.status for g in gold} == {"held", "planned", "cancelled"}
    dev, held = load_split(devset / "split.csv", "dev"), load_split(devset / "split.csv", "heldout")
    assert (len(dev), len(held)) == (48, 17) and not dev & held
    seeds = load_gold(Path(__file__).parent / "fixtures" / "seeds_gold.csv")
    assert len(seeds) == 9 and all(g.date and not g.status for g in seeds)


@pytest.mark.parametrize(
    "body, message",
    [
        ("date,venue,date_precision\n,Kazan,day\n", "no date but date_precision 'day'"),
        ("date,venue,date_precision\n2024-10,Kazan,day\n", "at month precision, not 'day'"),
        ("date,venue,status\n2024-10,Kazan,maybe\n", "'maybe' is not one of"),
    ],
)
def test_bad_devset_gold(tmp_path, body, message):
    p = tmp_path / "gold.csv"
    p.write_text(body)
    with pytest.raises(DataError, match=message):
        load_gold(p)


def test_command_split_part(tmp_path, capsys):
    hard = Path(__file__).parent / "fixtures" / "meetings" / "hard"
    files = sorted(p.name for p in hard.iterdir() if p.suffix in (".txt", ".md", ".html"))
    split = tmp_path / "split.csv"
    split.write_text("file,part\n" + "".join(f"{f},{'dev' if i == 0 else 'heldout'}\n" for i, f in enumerate(files)))
    gold = tmp_path / "gold.csv"
    gold.write_text(f"file,date,date_precision,venue,status\n{files[0]},2019-01-01,day,Paris,held\n")
    assert main(["evaluate", str(hard), str(gold), "--split", str(split), "--part", "dev"]) == 0
    out = capsys.readouterr().out
    assert "part dev: 1 articles, 1 gold rows" in out and "compared per article" in out
    assert "MISSED  Paris 2019-01-01  no-candidate" in out


def test_command_split_needs_part(tmp_path, capsys):
    gold = tmp_path / "gold.csv"
    gold.write_text("date,venue\n2024-10-23,Kazan\n")
    assert main(["evaluate", str(tmp_path), str(gold), "--split", str(gold)]) == 2


@pytest.mark.slow
def test_devset_dev_part_does_not_fall_back():
    """The dev part of the hand-written development set (never the held-out part): a floor under
    today's figures, so a change that loses meetings or counts announced ones as held shows up."""
    from geo.ingest.corpus import read_corpus
    from geo.meetings.extract import Extractor, extract_corpus, gazetteer_finder
    from geo.places.gazetteer import get_gazetteer

    devset = Path(__file__).parent / "fixtures" / "devset"
    files = load_split(devset / "split.csv", "dev")
    gold = [g for g in load_gold(devset / "gold.csv") if g.file in files]
    articles = [a for a in read_corpus(devset / "articles").articles if a.file in files]
    r = evaluate_by_article(extract_corpus(articles, gazetteer_finder(get_gazetteer()), Extractor()), gold)
    assert r.precision >= 0.70 and r.recall >= 0.29, r.report()
    assert r.score("status").correct >= 19 and not r.held_by_mistake, r.report()
