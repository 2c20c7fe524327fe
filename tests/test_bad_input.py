"""Bad input never ends in a traceback, and never changes a data file without saying so.

Each case runs a real command in-process (``geo.cli.main``) on a small corpus and data folder of
its own, and checks: the exit code, a message that names the input, no traceback, and every
file of the data folder byte for byte as before (hashes).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import cli
from geo.core import atomic
from geo.core.errors import record_crash
from geo.core.paths import DATA
from geo.ingest.corpus import article_id, list_articles, read_corpus

LEXICONS = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")
ARTICLE = ("title: Ministers meet by the lake\ndate: 2023-05-04\n\n"
           "The foreign ministers of Armenia and Azerbaijan, Mirzoyan and Bayramov, met in Geneva on "
           "Thursday for a new round of talks hosted by Switzerland.\n")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    c = tmp_path / "corpus"
    c.mkdir()
    (c / "geneva.txt").write_text(ARTICLE, encoding="utf-8")
    return c


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name in LEXICONS:
        shutil.copy(DATA / name, d / name)
    return d


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


# --- where output cannot go -----------------------------------------------------------------------


def _folder(tmp: Path) -> tuple[str, str]:
    (tmp / "a-folder").mkdir()
    return str(tmp / "a-folder"), "is a folder"


def _below_a_file(tmp: Path) -> tuple[str, str]:
    (tmp / "plain").write_text("x")
    return str(tmp / "plain" / "venues.csv"), "is a file, not a folder"


def _deep_below_a_file(tmp: Path) -> tuple[str, str]:
    (tmp / "plain").write_text("x")
    return str(tmp / "plain" / "a" / "b" / "venues.csv"), "is a file, not a folder"


def _proc(tmp: Path) -> tuple[str, str]:
    return "/proc/talks-atlas-test/venues.csv", "/proc/talks-atlas-test"


OUTS: list[Callable[[Path], tuple[str, str]]] = [_folder, _below_a_file, _deep_below_a_file, _proc]


@pytest.mark.parametrize("make_out", OUTS, ids=lambda f: f.__name__.strip("_"))
@pytest.mark.parametrize("command", ["venues", "meetings"])
def test_unwritable_out_is_a_message(command, make_out, corpus, data_dir, tmp_path, capsys):
    out, expected = make_out(tmp_path)
    before = hashes(data_dir)
    code, _, err = run_cli([command, str(corpus), "--out", out], capsys)
    assert code == 2
    assert expected in err and "Traceback" not in err
    assert any(str(p) in err for p in (Path(out), *Path(out).parents[:3]))  # the input is named
    assert hashes(data_dir) == before


# --- what --meetings cannot be ----------------------------------------------------------------------


@pytest.mark.parametrize("content, expected", [
    (None, "is a folder"),
    (bytes(range(256)) * 4, "not a UTF-8 CSV file"),
    (b"\xff\xfe\x00\x01binary", "not a UTF-8 CSV file"),
], ids=["folder", "binary", "bom-binary"])
def test_bad_meetings_file_for_venues_is_a_message(content, expected, corpus, tmp_path, capsys):
    target = tmp_path / "meetings.csv"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    code, _, err = run_cli(["venues", str(corpus), "--out", str(tmp_path / "out" / "venues.csv"),
                            "--meetings", str(target)], capsys)
    assert code == 2 and expected in err and "meetings.csv" in err and "Traceback" not in err


# --- corpus folders that used to crash ------------------------------------------------------------


@pytest.mark.parametrize("name", ["a:b.txt", "semi;colon.txt", "hash#tag.txt", "new\nline.txt", "100%.txt",
                                  "tab\there.txt", "all:of;it#%.txt"])
def test_any_file_name_builds(name, corpus, data_dir, capsys):
    os.rename(corpus / "geneva.txt", corpus / name)
    code, out, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    ident = article_id(name)
    assert not set(":;#\n\t") & set(ident)
    meetings = (data_dir / "meetings.csv").read_text(encoding="utf-8")
    assert f"{ident}:" in meetings  # the evidence reference names the article by its id


@pytest.mark.parametrize("name, ident", [("plain.txt", "plain.txt"), ("a:b.txt", "a%3Ab.txt"),
                                         ("x;y#z.txt", "x%3By%23z.txt"), ("p%q.txt", "p%25q.txt"),
                                         ("sub/dir:x.md", "sub/dir%3Ax.md"), ("é:ü.txt", "é%3Aü.txt")])
def test_article_id_encodes_only_separators(name, ident):
    assert article_id(name) == ident


def test_link_loop_and_link_out_of_the_corpus_are_warnings(corpus, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("title: not an article of ours\n\nprivate", encoding="utf-8")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "out.txt").symlink_to(outside)
    (corpus / "dir-link").symlink_to(corpus)
    (corpus / "inside.txt").symlink_to(corpus / "geneva.txt")
    problems: list = []
    files = [p.name for p in list_articles(corpus, problems)]
    assert files == ["geneva.txt", "inside.txt"]
    said = "\n".join(str(p) for p in problems)
    assert "loop.txt: is a link that leads nowhere" in said
    assert "out.txt: is a link to a file outside the corpus folder" in said
    assert "dir-link: is a link to a folder; not followed" in said
    assert all(p.severity == "warning" for p in problems)


def test_deep_tree_is_reported_not_crashed_on(corpus):
    levels = []
    try:
        deep = str(corpus)
        try:
            for _ in range(1200):  # far past Python's recursion limit, within PATH_MAX
                deep = os.path.join(deep, "d")
                os.mkdir(deep)
                levels.append(deep)
        except OSError as exc:
            pytest.skip(f"this file system cannot hold a tree that deep ({exc.strerror})")
        (Path(deep) / "lost.txt").write_text(ARTICLE, encoding="utf-8")
        corp = read_corpus(corpus)
        assert [a.file for a in corp.articles] == ["geneva.txt"]
        assert any("folders deep; not read" in p.message for p in corp.problems)
    finally:  # bottom-up: pytest's own clean-up of old temp folders is recursive
        if levels:
            Path(levels[-1], "lost.txt").unlink(missing_ok=True)
        for d in reversed(levels):
            os.rmdir(d)


def test_only_links_out_is_a_message_not_a_crash(tmp_path, capsys):
    c = tmp_path / "c"
    c.mkdir()
    (tmp_path / "x.txt").write_text(ARTICLE, encoding="utf-8")
    (c / "x.txt").symlink_to(tmp_path / "x.txt")
    code, _, err = run_cli(["meetings", str(c), "--out", str(tmp_path / "m.csv")], capsys)
    assert code == 2 and "no readable articles" in err and "outside the corpus folder" in err


# --- what slips through -------------------------------------------------------------------------


def test_unexpected_error_names_the_input_and_logs_the_traceback(monkeypatch, tmp_path, capsys):
    import geo.commands.geocode as geocode

    def boom(args):
        raise ValueError("something nobody foresaw")

    monkeypatch.setattr(geocode, "run", boom)
    monkeypatch.setenv("TALKS_ATLAS_LOG_DIR", str(tmp_path / "logs"))
    code, _, err = run_cli(["geocode", "Geneva"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "geocode failed unexpectedly" in err and "python -m geo geocode Geneva" in err
    logs = list((tmp_path / "logs").glob("talks-atlas-*.log"))
    assert len(logs) == 1 and str(logs[0]) in err
    text = logs[0].read_text()
    assert "Traceback" in text and "something nobody foresaw" in text and "geocode Geneva" in text


def test_crash_log_falls_back_when_the_log_folder_is_unwritable(monkeypatch, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("TALKS_ATLAS_LOG_DIR", str(blocked / "logs"))
    where = record_crash(RuntimeError("x"), "context")
    assert Path(where).is_file() and not where.startswith(str(blocked))


def test_os_error_from_a_command_names_the_path(monkeypatch, capsys):
    import geo.commands.geocode as geocode

    def denied(args):
        raise PermissionError(13, "Permission denied", "/data/venues.csv")

    monkeypatch.setattr(geocode, "run", denied)
    code, _, err = run_cli(["geocode", "Geneva"], capsys)
    assert code == 2 and err.strip() == "error: /data/venues.csv: Permission denied"


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "t.csv"
    target.write_text("old\n")

    def full(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(atomic.WriteError, match="cannot write .*t.csv: No space left on device"):
        atomic.write_text(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]  # no temp file left behind


# --- facts never change silently: overrides, curated venues, coordinates ----------------------------

OVERRIDES_HEADER = "venue,country,lat,lon,geonames_id,precision,match,note\n"
GENEVA_ID = 2660646  # GeoNames id of Geneva


def _geneva_candidate(corpus: Path, data_dir: Path) -> str:
    """The id of the one candidate of the Geneva article (a hash of its sentence)."""
    from geo.publish.build import extract

    (cand,) = extract(corpus, data_dir).candidates
    return cand.id


# (overrides rows, curation rows with {cid} for the Geneva candidate, expected message, where)
FACT_CASES = {
    "override-same-venue-twice": (
        "Geneva,CH,46.2,6.14,,,,\nGeneva,CH,10,10,,,,\n", "",
        "is also the venue of row 2", "venue_overrides.csv, row 3, field 'venue'"),
    "override-same-venue-other-spelling": (
        "Geneva,CH,46.2,6.14,,,,\nGENEVA,CH,10,10,,,,\n", "",
        "is also the venue of row 2", "venue_overrides.csv, row 3, field 'venue'"),
    "override-match-claimed-twice": (
        "Geneva (UN),CH,46.22,6.14,,,Genf,\nGeneva (city),CH,46.2,6.14,,,Genf,\n", "",
        "'genf' is also claimed by row 2 (field 'match')", "venue_overrides.csv, row 3, field 'match'"),
    "override-match-is-another-venue": (
        "Geneva,CH,46.2,6.14,,,,\nGeneva (Palais),CH,10,10,,,Geneva,\n", "",
        "'geneva' is also claimed by row 2 (field 'venue')", "venue_overrides.csv, row 3, field 'match'"),
    "override-same-geonames-id": (
        f"Geneva,CH,46.2,6.14,{GENEVA_ID},,,\nGenf,CH,10,10,{GENEVA_ID},,,\n", "",
        "also pinned by row 2 (field 'geonames_id')", "venue_overrides.csv, row 3, field 'geonames_id'"),
    "override-at-zero-zero": (
        "Geneva,CH,0,0,,,,\n", "", "0,0 is not a place of talks", "venue_overrides.csv, row 2, field 'lat'"),
    "override-at-zero-zero-written-as-floats": (
        "Geneva,CH,0.0,-0.000,,,,\n", "", "0,0 is not a place of talks", "venue_overrides.csv, row 2, field 'lat'"),
    "override-lat-out-of-range": (
        "Geneva,CH,91,6.14,,,,\n", "", "out of range", "venue_overrides.csv, row 2, field 'lat'"),
    "override-lon-out-of-range": (
        "Geneva,CH,46.2,-180.5,,,,\n", "", "out of range", "venue_overrides.csv, row 2, field 'lon'"),
    "override-lat-infinite": (
        "Geneva,CH,inf,6.14,,,,\n", "", "out of range", "venue_overrides.csv, row 2, field 'lat'"),
    "override-lon-not-a-number": (
        "Geneva,CH,46.2,nan,,,,\n", "", "is not a number", "venue_overrides.csv, row 2, field 'lon'"),
    "curated-venue-namesake": (
        None, "{cid},edit,venue,Atlantis,moved by hand\n",
        "unknown venue 'Atlantis'", "curation.csv, row 2, field 'value'"),
    "curated-venue-namesake-old-id": (
        None, "geneva.txt#geneva,edit,venue,Atlantis,written with the old id\n",
        "unknown venue 'Atlantis'", "curation.csv, row 2, field 'value'"),
    "old-and-new-id-for-one-decision": (
        None, "geneva.txt#geneva,edit,date,2023-05-04,\n{cid},edit,date,2023-05-05,\n",
        "duplicate decision", "curation.csv, row 3, field 'id'"),
    "added-meeting-namesake-venue": (
        None,
        "m-new,add,date,2023-05-06,\nm-new,add,mediators,none,\nm-new,add,level,other,\nm-new,add,format,bilateral,\n"
        "m-new,add,status,held,\nm-new,add,evidence,geneva.txt:0-20,\nm-new,add,venue,Springfield,\n",
        "unknown venue 'Springfield'", "curation.csv, row 8, field 'value'"),
    "curated-venue-pinned-at-zero": (
        "Atlantis,XX,0,0,,,,\n", "{cid},edit,venue,Atlantis,\n",
        "0,0 is not a place of talks", "venue_overrides.csv, row 2, field 'lat'"),
    "curated-venue-with-two-pins": (
        "Atlantis,GR,36.4,25.4,,,,\nAtlantis (sea),GR,36.0,25.0,,,Atlantis,\n", "{cid},edit,venue,Atlantis,\n",
        "'atlantis' is also claimed by row 2", "venue_overrides.csv, row 3, field 'match'"),
}


@pytest.mark.parametrize("case", FACT_CASES, ids=list(FACT_CASES))
def test_build_never_changes_a_fact_silently(case, corpus, data_dir, capsys):
    overrides, decisions, expected, where = FACT_CASES[case]
    if decisions:
        cid = _geneva_candidate(corpus, data_dir) if "{cid}" in decisions else ""
        (data_dir / "curation.csv").write_text("id,action,field,value,note\n" + decisions.format(cid=cid),
                                               encoding="utf-8")
    if overrides is not None:
        (data_dir / "venue_overrides.csv").write_text(OVERRIDES_HEADER + overrides, encoding="utf-8")
    before = hashes(data_dir)
    code, out, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2, out + err
    assert expected in err and where in err and "Traceback" not in err, err
    assert "nothing was written" in err or "edited by hand" in err
    assert hashes(data_dir) == before


def test_brief_refuses_a_venue_table_at_zero_zero(fixture_data, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(fixture_data, data)
    lines = (data / "venues.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[2].split(",")
    cells[2:4] = ["0", "0"]
    lines[2] = ",".join(cells)
    (data / "venues.csv").write_text("".join(lines), encoding="utf-8")
    before = hashes(data)
    code, _, err = run_cli(["brief", "--data", str(data), "--out", str(tmp_path / "b.html")], capsys)
    assert code == 2 and "venues.csv, row 3, field 'lat'" in err and "0,0 is not a place of talks" in err
    assert "Traceback" not in err and not (tmp_path / "b.html").exists()
    assert hashes(data) == before


MIGRATE_CASES = {
    "no-id-column": ("action,field,value\naccept,,\n", "curation.csv, row 1, field 'id': column is missing"),
    "bad-action": ("id,action,field,value,note\ngeneva.txt#geneva,approve,,,\n", "curation.csv, row 2, field 'action'"),
    "not-utf8": (b"id,action\n\xff\xfe,accept\n", "curation.csv: not UTF-8"),
}


@pytest.mark.parametrize("case", MIGRATE_CASES, ids=list(MIGRATE_CASES))
def test_migrate_refuses_a_malformed_curation_file(case, corpus, data_dir, capsys):
    content, expected = MIGRATE_CASES[case]
    path = data_dir / "curation.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = hashes(data_dir)
    code, _, err = run_cli(["curation", "migrate", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and expected in err and "Traceback" not in err, err
    assert hashes(data_dir) == before


def test_migrate_names_a_missing_curation_file(corpus, data_dir, capsys):
    code, _, err = run_cli(["curation", "migrate", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and str(data_dir / "curation.csv") in err and "no such file" in err and "Traceback" not in err


def test_migrate_names_a_missing_data_folder(corpus, tmp_path, capsys):
    code, _, err = run_cli(["curation", "migrate", str(corpus), "--data", str(tmp_path / "nowhere")], capsys)
    assert code == 2 and "nowhere: no such folder" in err and "Traceback" not in err


def test_migrate_refuses_to_make_a_decision_twice(corpus, data_dir, capsys):
    cid = _geneva_candidate(corpus, data_dir)
    (data_dir / "curation.csv").write_text(f"id,action,field,value,note\ngeneva.txt#geneva,edit,date,2023-05-04,\n"
                                           f"{cid},edit,date,2023-05-05,\n", encoding="utf-8")
    before = hashes(data_dir)
    code, out, err = run_cli(["curation", "migrate", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and "curation.csv, row 3, field 'id': duplicate decision" in err and "not migrated" in err
    assert "Traceback" not in err and hashes(data_dir) == before
