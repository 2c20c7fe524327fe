"""The build: venues + extraction + curation -> tables; atomic, decisions kept, bad input named."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from geo.publish.build import build
from geo.cli import main
from geo.core.errors import DataError
from geo.core.paths import DATA
from geo.core.schema import load_meetings

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
LEXICONS = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")
HEADER = "id,action,field,value,note\n"


@pytest.fixture(scope="module")
def gazetteer():
    from geo.places.gazetteer import get_gazetteer

    return get_gazetteer()


@pytest.fixture()
def data_dir(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    for name in LEXICONS:
        shutil.copy(DATA / name, d / name)
    return d


@pytest.fixture()
def corpus(tmp_path):
    c = tmp_path / "corpus"
    shutil.copytree(HARD, c)
    return c


def _meetings(data_dir):
    df = load_meetings(data_dir / "meetings.csv")
    return {(r.venue, r.date): r for r in df.itertuples()}


def test_build_writes_consistent_tables(corpus, data_dir, gazetteer):
    result = build(corpus, data_dir, gazetteer)
    from geo.core.schema import load_dataset

    ds = load_dataset(data_dir)  # cross-validated: every meeting venue has a venues.csv row
    assert {("Kazan", "2024-10-23"), ("Moscow", "2024-10-08"), ("Geneva", "2022-10-31"), ("Brussels", "2023-05-14")} <= set(
        zip(ds.meetings["venue"], ds.meetings["date"])
    )
    assert result.curated.counts["undated"] == 1  # the undated Geneva article: reported, left out
    assert any("no year" in str(w) for w in result.warnings)
    for name in ("venues.csv", "places.csv", "articles.csv", "meetings.csv"):
        assert (data_dir / name).exists()
    assert ds.built == date.today()  # recorded in the data: the slide's "Data as of"


def test_decisions_survive_a_new_article(corpus, data_dir, gazetteer):
    (data_dir / "curation.csv").write_text(
        HEADER
        + "planned_held.txt#chisinau,reject,,,not held\n"
        + "two_in_one.txt#kazan,edit,event,BRICS summit sidelines,\n"
        + "undated.txt#geneva,edit,date,2021-03-03,\n"
    )
    build(corpus, data_dir, gazetteer)
    before = _meetings(data_dir)
    curation_bytes = (data_dir / "curation.csv").read_bytes()
    (corpus / "later.txt").write_text(
        "date: 2024-12-01\n\nArmenian and Azerbaijani foreign ministers held talks in Vienna on November 28.\n"
    )
    result = build(corpus, data_dir, gazetteer)
    after = _meetings(data_dir)
    assert (data_dir / "curation.csv").read_bytes() == curation_bytes  # analyst file never rewritten
    assert ("Vienna", "2024-11-28") in after and ("Vienna", "2024-11-28") not in before
    assert not any(v == "Chisinau" for v, _ in after)
    assert after[("Kazan", "2024-10-23")].event == "BRICS summit sidelines"
    assert ("Geneva", "2021-03-03") in after
    assert result.curated.counts == {**result.curated.counts, "rejected": 1, "edited": 2}


def test_vanished_candidate_is_reported(corpus, data_dir, gazetteer):
    (data_dir / "curation.csv").write_text(HEADER + "two_in_one.txt#kazan,accept,,,\n")
    (corpus / "two_in_one.txt").unlink()
    result = build(corpus, data_dir, gazetteer)
    assert any("two_in_one.txt#kazan" in str(w) and "row 2" in str(w) for w in result.warnings)


@pytest.mark.parametrize(
    "decision, where, message",
    [
        ("two_in_one.txt#kazan,edit,date,2022-13-01,", "curation.csv, row 2, field 'value'", "bad date"),
        ("two_in_one.txt#kazan,edit,mediators,Narnia,", "curation.csv, row 2, field 'value'", "unknown mediator 'Narnia'"),
        ("two_in_one.txt#kazan,edit,venue,Xqzwyville,", "curation.csv, row 2, field 'value'", "unknown venue 'Xqzwyville'"),
        ("two_in_one.txt#kazan,edit,id,m-dup", None, None),  # paired with a second id edit below
        ("two_in_one.txt#kazan,edit,evidence,nowhere.txt:1-5,", "meetings.csv (as built), row", "not an article of this corpus"),
    ],
)
def test_failed_build_writes_nothing(corpus, data_dir, gazetteer, decision, where, message):
    build(corpus, data_dir, gazetteer)
    old = {n: (data_dir / n).read_bytes() for n in ("meetings.csv", "venues.csv", "places.csv")}
    body = HEADER + decision + "\n"
    if message is None:  # duplicate meeting ids
        body += "two_in_one.txt#moscow,edit,id,m-dup\n"
        where, message = "meetings.csv (as built), row", "duplicate id 'm-dup'"
    (data_dir / "curation.csv").write_text(body)
    with pytest.raises(DataError) as err:
        build(corpus, data_dir, gazetteer)
    assert where in str(err.value) and message in str(err.value), str(err.value)
    assert "nothing was written" in str(err.value) or "curation.csv" in str(err.value)
    for n, content in old.items():
        assert (data_dir / n).read_bytes() == content, f"{n} changed by a failed build"


def test_cli_build_bad_curation_exit_2(corpus, data_dir, capsys):
    (data_dir / "curation.csv").write_text("id,field,value\nx,date,2022\n")
    assert main(["build", str(corpus), "--data", str(data_dir)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "field 'action'" in err and "Traceback" not in err


def test_meetings_file_missing_column(tmp_path):
    p = tmp_path / "meetings.csv"
    lines = (DATA / "meetings.csv").read_text().splitlines()
    header = lines[0].split(",")
    keep = [i for i, h in enumerate(header) if h != "mediators"]
    import csv

    rows = list(csv.reader(lines))
    with p.open("w", newline="") as fh:
        csv.writer(fh).writerows([[r[i] for i in keep] for r in rows])
    with pytest.raises(DataError) as err:
        load_meetings(p)
    assert "meetings.csv, row 1, field 'mediators': column is missing" in str(err.value)


def test_seeds_build_reproduces_committed_meetings(seeds_dir, data_dir, gazetteer):
    """data/meetings.csv is what `python -m geo build ../shared/seeds` makes from data/curation.csv."""
    shutil.copy(DATA / "curation.csv", data_dir / "curation.csv")
    if (DATA / "venue_overrides.csv").exists():
        shutil.copy(DATA / "venue_overrides.csv", data_dir / "venue_overrides.csv")
    build(seeds_dir, data_dir, gazetteer)
    assert (data_dir / "meetings.csv").read_text() == (DATA / "meetings.csv").read_text()


def test_curated_venue_not_in_the_text_gets_a_venue_row(corpus, data_dir, gazetteer):
    (data_dir / "curation.csv").write_text(HEADER + "two_in_one.txt#kazan,edit,venue,Istanbul,analyst moved it\n")
    build(corpus, data_dir, gazetteer)
    from geo.core.schema import load_dataset

    ds = load_dataset(data_dir)
    row = ds.venues.loc[ds.venues["venue"] == "Istanbul"].iloc[0]
    assert row["country"] == "TR" and row["mentions"] == 0
    assert "Istanbul" in set(ds.meetings["venue"])


def test_meetings_command_writes_candidates(corpus, tmp_path, capsys):
    out = tmp_path / "cand.csv"
    assert main(["meetings", str(corpus), "--out", str(out)]) == 0
    import csv

    rows = list(csv.DictReader(out.open()))
    assert {r["id"] for r in rows} >= {"two_in_one.txt#kazan", "two_in_one.txt#moscow", "relative.txt#geneva"}
    assert all(r["evidence"].startswith(r["documents"] + ":") for r in rows)
    assert "candidate meetings from" in capsys.readouterr().out


def test_meetings_command_missing_corpus_exit_2(tmp_path, capsys):
    assert main(["meetings", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
