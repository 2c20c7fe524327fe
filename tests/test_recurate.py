"""Re-curation: the decisions applied again to the published candidates (data/candidates.csv)
give the meetings a full build gives, without reading an article; bad decisions are named and
nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo.core.errors import DataError
from geo.core.paths import DATA
from geo.core.tables import CANDIDATES, read_table
from geo.meetings.candidates import candidate_cells, read_candidates
from geo.publish.build import build, recurate

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
HEADER = "id,action,field,value,note\n"
VOCABULARIES = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")


@pytest.fixture(scope="module")
def built(tmp_path_factory, gazetteer) -> tuple[Path, Path, object]:
    """The hard corpus built once, with no decisions: (corpus, data folder, build result)."""
    root = tmp_path_factory.mktemp("recurate")
    corpus, data = root / "corpus", root / "data"
    shutil.copytree(HARD, corpus)
    data.mkdir()
    for name in VOCABULARIES:
        shutil.copy(DATA / name, data / name)
    return corpus, data, build(corpus, data, gazetteer)


@pytest.fixture()
def data(built, tmp_path) -> Path:
    """A copy of the built data folder to change."""
    d = tmp_path / "data"
    shutil.copytree(built[1], d)
    return d


def _id(built, venue: str) -> str:
    return next(c.id for c in built[2].candidates if c.venue == venue and c.date)


def test_candidates_come_back_as_the_build_extracted_them(built):
    _, data, result = built
    back = read_candidates(data / CANDIDATES.name)
    assert [candidate_cells(c) for c in back] == [candidate_cells(c) for c in result.candidates]
    assert [c.evidence for c in back] == [c.evidence for c in result.candidates]
    assert [c.confidence for c in back] == [c.confidence for c in result.candidates]  # the same floats


def test_undecided_and_undated_candidates_are_in_the_table(built):
    rows = read_table(built[1] / CANDIDATES.name, CANDIDATES)
    assert len(rows) == len(built[2].candidates)
    assert any(r.date is None and r.date_precision == "" for r in rows)  # the undated article's


@pytest.mark.parametrize(
    "decisions",
    [
        [],
        [("Kazan", "reject", "", "")],
        [("Kazan", "accept", "", ""), ("Moscow", "edit", "event", "CIS summit")],
        [("Geneva", "edit", "date", "2022-10"), ("Geneva", "edit", "status", "cancelled")],
        [("Kazan", "edit", "venue", "Moscow"), ("Kazan", "edit", "date", "2024-10-08")],
    ],
    ids=["none", "reject", "accept-and-edit", "edit-date-and-status", "edit-onto-another-meeting"],
)
def test_recurate_gives_what_a_full_build_gives(built, data, gazetteer, decisions):
    corpus = built[0]
    body = HEADER + "".join(f"{_id(built, v)},{a},{f},{val},\n" for v, a, f, val in decisions)
    (data / "curation.csv").write_text(body)
    recurate(data)
    recurated = (data / "meetings.csv").read_bytes()
    build(corpus, data, gazetteer)
    assert recurated == (data / "meetings.csv").read_bytes()


def test_recurate_reproduces_the_committed_meetings(tmp_path):
    """data/meetings.csv is what data/candidates.csv and data/curation.csv make."""
    d = tmp_path / "data"
    shutil.copytree(DATA, d, ignore=shutil.ignore_patterns("corpus", "basemap", ".*", "atlas.sqlite*"))
    recurate(d)
    assert (d / "meetings.csv").read_text() == (DATA / "meetings.csv").read_text()


@pytest.mark.parametrize(
    "decision, message",
    [
        ("{kazan},edit,date,2024-13,", "curation.csv, row 2, field 'value'"),
        ("{kazan},edit,venue,Atlantis,", "unknown venue 'Atlantis'"),
        ("{kazan},edit,evidence,elsewhere.txt:1-9,", "not an article of this corpus"),
        ("{kazan},edit,mediators,Narnia,", "unknown mediator 'Narnia'"),
    ],
    ids=["bad-date", "unknown-venue", "foreign-evidence", "unknown-mediator"],
)
def test_a_bad_decision_is_named_and_nothing_is_written(built, data, decision, message):
    before = {n: (data / n).read_bytes() for n in ("meetings.csv", "build.csv")}
    (data / "curation.csv").write_text(HEADER + decision.format(kazan=_id(built, "Kazan")) + "\n")
    with pytest.raises(DataError) as err:
        recurate(data)
    assert message in str(err.value)
    assert {n: (data / n).read_bytes() for n in before} == before


def test_a_broken_candidates_table_is_named(data):
    text = (data / CANDIDATES.name).read_text()
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace(".txt:", ".txt:x", 1)
    (data / CANDIDATES.name).write_text("".join(lines))
    with pytest.raises(DataError) as err:
        recurate(data)
    assert "candidates.csv, row 2" in str(err.value)


def test_seeds_build_reproduces_committed_candidates(seeds_dir, data_dir, gazetteer):
    """data/candidates.csv is what `python -m geo build ../shared/seeds` publishes."""
    for name in ("curation.csv", "venue_overrides.csv"):
        if (DATA / name).exists():
            shutil.copy(DATA / name, data_dir / name)
    build(seeds_dir, data_dir, gazetteer)
    assert (data_dir / CANDIDATES.name).read_text() == (DATA / CANDIDATES.name).read_text()
