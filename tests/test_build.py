"""The build: venues + extraction + curation -> tables; atomic, decisions kept, bad input named."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from geo.cli import main
from geo.core.errors import DataError
from geo.core.paths import DATA
from geo.core.schema import load_meetings
from geo.publish.build import build

HARD = Path(__file__).parent / "fixtures" / "meetings" / "hard"
HEADER = "id,action,field,value,note\n"


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
    assert {
        ("Kazan", "2024-10-23"),
        ("Moscow", "2024-10-08"),
        ("Geneva", "2022-10-31"),
        ("Brussels", "2023-05-14"),
    } <= set(zip(ds.meetings["venue"], ds.meetings["date"]))
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
        (
            "two_in_one.txt#kazan,edit,mediators,Narnia,",
            "curation.csv, row 2, field 'value'",
            "unknown mediator 'Narnia'",
        ),
        (
            "two_in_one.txt#kazan,edit,venue,Xqzwyville,",
            "curation.csv, row 2, field 'value'",
            "unknown venue 'Xqzwyville'",
        ),
        ("two_in_one.txt#kazan,edit,id,m-dup", None, None),  # paired with a second id edit below
        (
            "two_in_one.txt#kazan,edit,evidence,nowhere.txt:1-5,",
            "meetings.csv (as built), row",
            "not an article of this corpus",
        ),
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


def test_curated_venue_not_in_the_text_needs_coordinates(corpus, data_dir, gazetteer):
    """A venue the corpus does not give is never looked up by name alone (a namesake could be
    anywhere): the build stops until venue_overrides.csv gives it coordinates."""
    (data_dir / "curation.csv").write_text(HEADER + "two_in_one.txt#kazan,edit,venue,Istanbul,analyst moved it\n")
    with pytest.raises(DataError, match=r"curation.csv, row 2, field 'value': unknown venue 'Istanbul'.*overrides"):
        build(corpus, data_dir, gazetteer)
    (data_dir / "venue_overrides.csv").write_text("venue,country,lat,lon\nIstanbul,TR,41.01384,28.94966\n")
    build(corpus, data_dir, gazetteer)
    from geo.core.schema import load_dataset

    ds = load_dataset(data_dir)
    row = ds.venues.loc[ds.venues["venue"] == "Istanbul"].iloc[0]
    assert row["country"] == "TR" and row["mentions"] == 0 and row["resolved_by"] == "manual"
    assert "Istanbul" in set(ds.meetings["venue"])


def test_meetings_command_writes_candidates(corpus, tmp_path, capsys):
    out = tmp_path / "cand.csv"
    assert main(["meetings", str(corpus), "--out", str(out)]) == 0
    import csv

    rows = list(csv.DictReader(out.open()))
    assert {r["id"].split("#")[0] for r in rows} >= {"two_in_one.txt", "relative.txt"}
    assert all(re.fullmatch(re.escape(r["documents"]) + r"#[0-9a-f]{10}(-\d+)?", r["id"]) for r in rows)
    assert all(r["evidence"].startswith(r["documents"] + ":") for r in rows)
    assert "candidate meetings from" in capsys.readouterr().out


def test_meetings_command_missing_corpus_exit_2(tmp_path, capsys):
    assert main(["meetings", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


# --- decisions survive venue renames; old ids are migrated ------------------------------------------

OVERRIDES_HEADER = "venue,country,lat,lon,geonames_id,precision,match,note\n"


def _ids(result) -> dict[str, str]:
    """venue -> candidate id (one candidate per venue in these corpora)."""
    return {c.venue: c.id for c in result.candidates}


def test_renaming_a_venue_keeps_every_decision(corpus, data_dir, gazetteer):
    ids = _ids(build(corpus, data_dir, gazetteer))
    (data_dir / "curation.csv").write_text(
        HEADER
        + f"{ids['Kazan']},edit,event,BRICS summit sidelines,\n"
        + f"{ids['Kazan']},edit,participants,Aliyev;Pashinyan,\n"
        + f"{ids['Moscow']},reject,,,a brief exchange\n"
        + f"{ids['Chisinau']},reject,,,\n"
    )
    before = build(corpus, data_dir, gazetteer)
    old = _meetings(data_dir)
    # the analyst renames Kazan and adds a second row for the same place (its kremlin)
    (data_dir / "venue_overrides.csv").write_text(
        OVERRIDES_HEADER
        + "Kazan (Tatarstan),RU,55.79,49.12,551487,city,Kazan,renamed\n"
        + "Kazan Kremlin,RU,55.79,49.12,,venue,,the same place at venue precision\n"
    )
    after = build(corpus, data_dir, gazetteer)
    new = _meetings(data_dir)
    assert after.curated.counts == before.curated.counts  # every decision still applied
    assert not [w for w in after.warnings if "no such candidate" in str(w)]
    assert _ids(after).get("Kazan (Tatarstan)") == ids["Kazan"]
    moved = new.pop(("Kazan (Tatarstan)", "2024-10-23"))
    kept = old.pop(("Kazan", "2024-10-23"))
    assert moved.event == "BRICS summit sidelines" and moved.status == kept.status and moved.evidence == kept.evidence
    assert {k: (r.status, r.event, r.evidence) for k, r in new.items()} == {
        k: (r.status, r.event, r.evidence) for k, r in old.items()
    }
    assert ("Moscow", "2024-10-08") not in new and ("Moscow", "2024-10-08") not in old  # still rejected
    venues = {r.venue: r for r in load_venues_rows(data_dir)}
    assert (venues["Kazan (Tatarstan)"].lat, venues["Kazan (Tatarstan)"].lon) == (55.79, 49.12)
    assert venues["Kazan (Tatarstan)"].resolved_by == "manual" and "Kazan" not in venues
    summary = after.summary()
    assert (
        "venue_overrides.csv row 2 renames 'Kazan' as 'Kazan (Tatarstan)': "
        "1 mention(s) and 1 meeting(s) at 55.79000, 49.12000"
    ) in summary


def load_venues_rows(data_dir):
    from geo.core.tables import VENUES, read_table

    return read_table(data_dir / "venues.csv", VENUES)


def test_renaming_sochi_keeps_the_seed_decisions(seeds_dir, data_dir, gazetteer):
    """The case that used to go wrong: Sochi 2022-10-31, held, became 'Sochi (RU)', planned."""
    shutil.copy(DATA / "curation.csv", data_dir / "curation.csv")
    before = build(seeds_dir, data_dir, gazetteer)
    old = _meetings(data_dir)
    (data_dir / "venue_overrides.csv").write_text(
        OVERRIDES_HEADER
        + "Sochi (Bocharov Ruchey),RU,43.5657,39.7869,491422,venue,Sochi,the residence\n"
        + "Bocharov Ruchey,RU,43.5657,39.7869,,venue,,the same place under its own name\n"
    )
    after = build(seeds_dir, data_dir, gazetteer)
    new = _meetings(data_dir)
    assert after.curated.counts == before.curated.counts
    sochi_old, sochi_new = old.pop(("Sochi", "2022-10-31")), new.pop(("Sochi (Bocharov Ruchey)", "2022-10-31"))
    assert sochi_new.status == "held"
    assert (sochi_new.participants, sochi_new.evidence) == (sochi_old.participants, sochi_old.evidence)
    assert {k: r[2:] for k, r in new.items()} == {k: r[2:] for k, r in old.items()}  # all else as it was
    assert "renames 'Sochi' as 'Sochi (Bocharov Ruchey)'" in after.summary()


def test_old_ids_apply_with_a_warning_and_migrate_once(corpus, data_dir, gazetteer, capsys):
    from geo.meetings.curation import migrate
    from geo.publish.build import extract

    legacy = (
        "\ufeffid,action,field,value,note\r\n"
        'two_in_one.txt#kazan,edit,event,BRICS summit sidelines,"a note, with a comma"\r\n'
        "two_in_one.txt#moscow,reject,,,\r\n"
        "gone.txt#paris,accept,,,an article no longer in the corpus\r\n"
        + "".join(
            f"m-extra,add,{f},{v},\r\n"
            for f, v in [
                ("date", "2024-10-01"),
                ("venue", "Kazan"),
                ("mediators", "none"),
                ("level", "other"),
                ("format", "bilateral"),
                ("status", "held"),
                ("evidence", "two_in_one.txt:0-20"),
            ]
        )
    )
    path = data_dir / "curation.csv"
    path.write_bytes(legacy.encode("utf-8"))
    first = build(corpus, data_dir, gazetteer)
    old_style = [str(w) for w in first.warnings if "old-style candidate id" in str(w)]
    assert len(old_style) == 2 and "curation.csv, row 2, field 'id'" in old_style[0]
    assert "geo curation migrate" in old_style[0]
    meetings_before = (data_dir / "meetings.csv").read_bytes()

    assert main(["curation", "migrate", str(corpus), "--data", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    ids = _ids(first)
    assert f"curation.csv, row 2: two_in_one.txt#kazan -> {ids['Kazan']}" in out
    assert f"curation.csv, row 3: two_in_one.txt#moscow -> {ids['Moscow']}" in out
    assert "2 decision(s) migrated" in out
    assert "row 4, field 'id'" in err and "'gone.txt#paris'" in err  # reported, left as it is
    assert path.read_bytes().decode("utf-8") == (
        legacy.replace("two_in_one.txt#kazan", ids["Kazan"]).replace("two_in_one.txt#moscow", ids["Moscow"])
    )
    second = build(corpus, data_dir, gazetteer)
    assert not [w for w in second.warnings if "old-style candidate id" in str(w)]
    assert (data_dir / "meetings.csv").read_bytes() == meetings_before  # the same meetings, the same notes
    migrated = path.read_bytes()
    changes, unknown = migrate(path, extract(corpus, data_dir, gazetteer).candidates)
    assert changes == [] and len(unknown) == 1 and path.read_bytes() == migrated  # a second run changes nothing


def test_curated_venue_the_corpus_names_elsewhere_keeps_its_place(corpus, data_dir, gazetteer):
    """Almaty is named in the corpus (not as a venue): moving a meeting there takes that place as
    resolved in its article, with no lookup of the bare name."""
    ids = _ids(build(corpus, data_dir, gazetteer))
    (data_dir / "curation.csv").write_text(HEADER + f"{ids['Kazan']},edit,venue,Almaty,analyst moved it\n")
    build(corpus, data_dir, gazetteer)
    venues = {r.venue: r for r in load_venues_rows(data_dir)}
    assert venues["Almaty"].country == "KZ" and venues["Almaty"].mentions == 0
    assert ("Almaty", "2024-10-23") in _meetings(data_dir)


def test_old_and_new_id_for_one_decision_stop_the_build(corpus, data_dir, gazetteer):
    ids = _ids(build(corpus, data_dir, gazetteer))
    (data_dir / "curation.csv").write_text(
        HEADER + "two_in_one.txt#kazan,edit,event,BRICS,\n" + f"{ids['Kazan']},edit,event,CIS summit,\n"
    )
    with pytest.raises(DataError, match=r"curation.csv, row 3, field 'id': duplicate decision .*first on row 2"):
        build(corpus, data_dir, gazetteer)


def test_a_rename_after_old_ids_says_how_to_recover(corpus, data_dir, gazetteer):
    """An old-style id written under the old name is orphaned by a rename: the warning says so."""
    (data_dir / "curation.csv").write_text(HEADER + "two_in_one.txt#kazan,edit,event,BRICS summit sidelines,\n")
    (data_dir / "venue_overrides.csv").write_text(
        OVERRIDES_HEADER + "Kazan (Tatarstan),RU,55.79,49.12,551487,city,Kazan,\nNowhere,FR,45,3,,,,unused\n"
    )
    result = build(corpus, data_dir, gazetteer)
    (w,) = [str(w) for w in result.warnings if "two_in_one.txt#kazan" in str(w)]
    assert "row 2, field 'id'" in w and "old-style id" in w and "python -m geo meetings" in w
    assert "row 3 ('Nowhere') matched no mention and no meeting" in result.summary()


def test_an_article_in_an_unsupported_language_is_a_warning_naming_it(corpus, data_dir, gazetteer):
    text = "Die Außenminister haben sich am Montag in Berlin getroffen, und die Gespräche sind nicht beendet.\n"
    (corpus / "deutsch.txt").write_text("date: 2023-05-15\n\n" + text, encoding="utf-8")
    result = build(corpus, data_dir, gazetteer)
    (warning,) = [str(w) for w in result.warnings if "language not supported" in str(w)]
    assert "deutsch.txt" in warning and warning.endswith("language not supported: de")
