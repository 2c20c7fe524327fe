"""Bad input never ends in a traceback, and never changes a data file without saying so.

Each case runs a real command in-process (``geo.cli.main``) on a small corpus and data folder of
its own, and checks: the exit code, a message that names the input, no traceback, and every
file of the data folder byte for byte as before (hashes).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from geo import cli
from geo.core import atomic
from geo.core.errors import record_crash
from geo.ingest.corpus import article_id, list_articles, read_corpus

ARTICLE = (
    "title: Ministers meet by the lake\ndate: 2023-05-04\n\n"
    "The foreign ministers of Armenia and Azerbaijan, Mirzoyan and Bayramov, met in Geneva on "
    "Thursday for a new round of talks hosted by Switzerland.\n"
)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    c = tmp_path / "corpus"
    c.mkdir()
    (c / "geneva.txt").write_text(ARTICLE, encoding="utf-8")
    return c


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "is a folder"),
        (bytes(range(256)) * 4, "not a UTF-8 CSV file"),
        (b"\xff\xfe\x00\x01binary", "not a UTF-8 CSV file"),
    ],
    ids=["folder", "binary", "bom-binary"],
)
def test_bad_meetings_file_for_venues_is_a_message(content, expected, corpus, tmp_path, capsys):
    target = tmp_path / "meetings.csv"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    code, _, err = run_cli(
        ["venues", str(corpus), "--out", str(tmp_path / "out" / "venues.csv"), "--meetings", str(target)], capsys
    )
    assert code == 2 and expected in err and "meetings.csv" in err and "Traceback" not in err


# --- corpus folders that used to crash ------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["a:b.txt", "semi;colon.txt", "hash#tag.txt", "new\nline.txt", "100%.txt", "tab\there.txt", "all:of;it#%.txt"],
)
def test_any_file_name_builds(name, corpus, data_dir, capsys):
    os.rename(corpus / "geneva.txt", corpus / name)
    code, out, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 0, err
    assert "Traceback" not in err
    ident = article_id(name)
    assert not set(":;#\n\t") & set(ident)
    meetings = (data_dir / "meetings.csv").read_text(encoding="utf-8")
    assert f"{ident}:" in meetings  # the evidence reference names the article by its id


@pytest.mark.parametrize(
    "name, ident",
    [
        ("plain.txt", "plain.txt"),
        ("a:b.txt", "a%3Ab.txt"),
        ("x;y#z.txt", "x%3By%23z.txt"),
        ("p%q.txt", "p%25q.txt"),
        ("sub/dir:x.md", "sub/dir%3Ax.md"),
        ("é:ü.txt", "é%3Aü.txt"),
    ],
)
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


# --- dates outside the plausible window (geo.core.dates.plausible_window) ------------------------

WINDOW = "outside the plausible dates 1991-01-01.."
CURATION_HEADER = "id,action,field,value,note\n"
MEETING_ROW = "m-1,{date},day,Geneva,,Russia,CH,foreign ministers,trilateral,,,held,geneva.txt,geneva.txt:0-10,0.9,\n"


def write_table(folder: Path, name: str, columns: list[str], rows: list[dict]) -> None:
    atomic.write_csv(folder / name, columns, rows)


def _curation(rows: str) -> Callable[[Path, Path], None]:
    def make(corpus: Path, data: Path) -> None:
        (data / "curation.csv").write_text(CURATION_HEADER + rows, encoding="utf-8")

    return make


@pytest.mark.parametrize(
    "make, where",
    [
        (_curation("geneva.txt#geneva,edit,date,3024-10-23,typo\n"), "curation.csv, row 2, field 'value'"),
        (_curation("geneva.txt#geneva,edit,date,1988-05,\n"), "curation.csv, row 2, field 'value'"),
        (_curation("m-x,add,date,2999,\nm-x,add,venue,Geneva,\n"), "curation.csv, row 2, field 'value'"),
        (
            _curation("geneva.txt#geneva,accept,,,\ngeneva.txt#geneva,edit,date,0023-05-04,\n"),
            "curation.csv, row 3, field 'value'",
        ),
    ],
    ids=["edit-3024", "edit-1988-month", "add-2999-year", "edit-year-23"],
)
def test_curated_date_outside_the_window_is_an_error(make, where, corpus, data_dir, capsys):
    make(corpus, data_dir)
    before = hashes(data_dir)
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and "Traceback" not in err
    assert where in err and WINDOW in err and "TALKS_ATLAS_DATE_WINDOW" in err
    assert hashes(data_dir) == before


def _brief_data(folder: Path, meeting_date="2023-05-04", first_date="2023-05-04", article_date="2023-05-04") -> None:
    from geo.core.tables import ARTICLES, MEETINGS, VENUES

    (folder / "meetings.csv").write_text(
        ",".join(MEETINGS.names) + "\n" + MEETING_ROW.format(date=meeting_date), encoding="utf-8"
    )
    write_table(
        folder,
        "venues.csv",
        VENUES.names,
        [
            {
                "venue": "Geneva",
                "country": "CH",
                "lat": 46.2,
                "lon": 6.14,
                "precision": "city",
                "resolved_by": "gazetteer",
                "mentions": 1,
                "documents": "geneva.txt",
                "first_date": first_date,
                "last_date": "2023-05-04",
            }
        ],
    )
    write_table(
        folder,
        "articles.csv",
        ARTICLES.names,
        [{"file": "geneva.txt", "title": "t", "date": article_date, "date_source": "header", "chars": 10}],
    )


@pytest.mark.parametrize(
    "kwargs, where",
    [
        ({"meeting_date": "3024-10-23"}, "meetings.csv, row 2, field 'date'"),
        ({"meeting_date": "1900"}, "meetings.csv, row 2, field 'date'"),
        ({"first_date": "2203-05-04"}, "venues.csv, row 2, field 'first_date'"),
        ({"article_date": "1066-10-14"}, "articles.csv, row 2, field 'date'"),
    ],
    ids=["meeting-3024", "meeting-1900", "venue-first-2203", "article-1066"],
)
def test_table_date_outside_the_window_is_an_error(kwargs, where, data_dir, tmp_path, capsys):
    _brief_data(data_dir, **kwargs)
    before = hashes(data_dir)
    code, _, err = run_cli(["brief", "--data", str(data_dir), "--out", str(tmp_path / "b.html")], capsys)
    assert code == 2 and "Traceback" not in err
    assert where in err and WINDOW in err
    assert hashes(data_dir) == before and not (tmp_path / "b.html").exists()


def test_the_window_is_configurable(data_dir, tmp_path, monkeypatch, capsys):
    _brief_data(data_dir)
    monkeypatch.setenv("TALKS_ATLAS_DATE_WINDOW", "2024:2030")
    code, _, err = run_cli(["brief", "--data", str(data_dir), "--out", str(tmp_path / "b.html")], capsys)
    assert code == 2 and "outside the plausible dates 2024-01-01..2030-12-31" in err
    monkeypatch.setenv("TALKS_ATLAS_DATE_WINDOW", "2030")
    code, _, err = run_cli(["brief", "--data", str(data_dir), "--out", str(tmp_path / "b.html")], capsys)
    assert code == 2 and "TALKS_ATLAS_DATE_WINDOW='2030': expected FIRST:LAST" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "header, metadata",
    [
        ("date: 3024-05-04\n", None),
        ("", "file,title,published\ngeneva.txt,Lake talks,2999-01-01\n"),
    ],
    ids=["header", "metadata"],
)
def test_article_date_outside_the_window_is_ignored_with_a_warning(header, metadata, corpus, data_dir, capsys):
    (corpus / "geneva.txt").write_text(header + ARTICLE.replace("date: 2023-05-04\n", ""), encoding="utf-8")
    if metadata:
        (corpus / "metadata.csv").write_text(metadata, encoding="utf-8")
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 0, err
    assert WINDOW in err
    assert "geneva.txt, row 1, field 'date'" in err or "metadata.csv, row 2, field 'published'" in err
    articles = (data_dir / "articles.csv").read_text()
    assert "3024" not in articles and "2999" not in articles


def test_meeting_dated_years_after_its_article_is_planned_and_flagged(corpus, data_dir, capsys):
    (corpus / "geneva.txt").write_text(
        ARTICLE.replace("2023-05-04", "2020-01-10").replace("on Thursday", "on 4 May 2023"), encoding="utf-8"
    )
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 0, err
    assert "more than a year after the article (2020-01-10)" in err and "field 'date'" in err
    (row,) = list(csv.DictReader(io.StringIO((data_dir / "meetings.csv").read_text(encoding="utf-8"), newline="")))
    assert row["date"] == "2023-05-04" and row["status"] == "planned" and float(row["confidence"]) <= 0.65
    assert "more than a year after the article" in row["notes"]


# --- line breaks that are not CSV line breaks ------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    ['"a note\x85with a NEL"', "a note\x85with a NEL", '"line\u2028separator"', "para\u2029graph", '"form\x0cfeed"'],
    ids=["nel-quoted", "nel-unquoted", "u2028-quoted", "u2029-unquoted", "ff-quoted"],
)
def test_unicode_line_breaks_do_not_split_a_record(cell, corpus, data_dir, capsys):
    (data_dir / "curation.csv").write_text(
        CURATION_HEADER + f"geneva.txt#geneva,accept,,,{cell}\ngeneva.txt#geneva,frobnicate,,,\n", encoding="utf-8"
    )
    before = hashes(data_dir)
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and "Traceback" not in err
    assert "curation.csv, row 3, field 'action': 'frobnicate' is not one of" in err  # not row 4
    assert "row 2" not in err and "row 4" not in err
    assert hashes(data_dir) == before


def test_unicode_line_break_in_metadata_keeps_row_numbers(corpus, data_dir, capsys):
    (corpus / "metadata.csv").write_text(
        "file,title,published\ngeneva.txt,A title\x85split?,2023-05-04\ngone.txt,Another,2023-05-05\n", encoding="utf-8"
    )
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 0, err
    assert "metadata.csv, row 3, field 'file': names 'gone.txt'" in err


def test_a_cell_over_the_csv_size_limit_is_named(corpus, data_dir, capsys):
    (data_dir / "curation.csv").write_text(
        CURATION_HEADER + "geneva.txt#geneva,accept,,,ok\n" + 'x,accept,,,"' + "n" * 200_000 + '"\n', encoding="utf-8"
    )
    before = hashes(data_dir)
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and "curation.csv, row 3: is not readable as CSV (field larger than field limit" in err
    assert "Traceback" not in err and hashes(data_dir) == before


# --- evidence only from the article the build read, inside the corpus folder ----------------------


def built(corpus: Path, data_dir: Path, capsys) -> tuple[pd.DataFrame, str]:
    """Build, then (articles.csv as a frame, the first evidence reference)."""
    from geo.core.schema import load_articles

    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 0, err
    meetings = (data_dir / "meetings.csv").read_text(encoding="utf-8")
    ref = next(csv.DictReader(io.StringIO(meetings, newline="")))["evidence"].split(";")[0]
    return load_articles(data_dir / "articles.csv"), ref


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("Ministers meet", "Ministers met"),  # same length, other text
        lambda t: "Update: " + t,  # offsets shift
        lambda t: t + "\nCorrection appended.\n",  # quote still in place, the article is not the same
    ],
    ids=["same-length", "shifted", "appended"],
)
def test_evidence_from_a_changed_article_is_flagged_not_quoted(edit, corpus, data_dir, capsys):
    from geo.present.mapview import CHANGED, EvidenceLookup, popup_html

    articles, ref = built(corpus, data_dir, capsys)
    assert len(articles["sha256"][0]) == 64
    ev = EvidenceLookup(articles, corpus)
    assert ev(ref) and ev.problem("geneva.txt") is None
    path = corpus / "geneva.txt"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # a change within the clock's tick is still seen
    assert ev(ref) is None and ev.problem("geneva.txt") == CHANGED
    row = {
        "date": "2023-05-04",
        "level": "foreign ministers",
        "status": "held",
        "mediator_list": ("Swiss",),
        "participant_list": (),
        "evidence": ref,
        "documents": "geneva.txt",
    }
    popup = popup_html("Geneva", 1, [row], {}, ev)
    assert f"Evidence: <code>{ref}</code> <i>(the article changed since the build; rebuild)</i>" in popup
    assert "<q>" not in popup


@pytest.mark.parametrize("target", ["/etc/passwd", "../secret.txt", "link-out.txt"])
def test_an_article_path_outside_the_corpus_is_refused(target, corpus, data_dir, tmp_path, capsys):
    from geo.present.mapview import EvidenceLookup

    secret = tmp_path / "secret.txt"
    secret.write_text("title: private\n\nnot for the app", encoding="utf-8")
    articles, ref = built(corpus, data_dir, capsys)
    if target == "link-out.txt":
        (corpus / target).symlink_to(secret)
        target = str(corpus / target)
    elif not target.startswith("/"):
        target = str(corpus / target)
    articles.loc[0, "path"] = target
    ev = EvidenceLookup(articles, corpus)
    assert ev.text("geneva.txt") is None and ev(ref) is None
    why = ev.problem("geneva.txt")
    assert "is outside the corpus folder" in why and "TALKS_ATLAS_CORPUS" in why
    assert EvidenceLookup(articles, None).text("geneva.txt") is None  # no corpus folder: nothing is read


# --- the gazetteer cache: plain data, and only from a file no one else could write ----------------


@pytest.fixture()
def cache_env(tmp_path, monkeypatch):
    """A cache folder with a valid cache file, and a counter of rebuilds."""
    import geo.places.gazetteer as gz

    real = gz.get_gazetteer()
    builds: list[int] = []

    def counting_build(aliases_path, prior_path, sites_path=None):
        builds.append(1)
        return real.with_priors(real.priors)

    monkeypatch.setattr(gz, "build_gazetteer", counting_build)
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    gz.load_or_build(gz.ALIASES, gz.REGION_PRIOR, cache)
    (cached,) = cache.glob("gazetteer-*.marshal")
    return gz, cache, cached, builds


def _group_writable(cache: Path, cached: Path) -> str:
    cached.chmod(0o664)
    return "writable by other users"


def _world_writable_folder(cache: Path, cached: Path) -> str:
    cache.chmod(0o777)
    return "cache folder is writable by other users"


def _other_owner(cache: Path, cached: Path) -> str:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    os.chown(cached, 4242, -1)
    return "belongs to another user (uid 4242)"


@pytest.mark.slow  # each builds a gazetteer from GeoNames (seconds)
@pytest.mark.parametrize(
    "make_unsafe", [_group_writable, _world_writable_folder, _other_owner], ids=lambda f: f.__name__.strip("_")
)
def test_a_cache_others_could_write_is_not_read(make_unsafe, cache_env):
    gz, cache, cached, builds = cache_env
    assert len(builds) == 1
    gz.load_or_build(gz.ALIASES, gz.REGION_PRIOR, cache)
    assert len(builds) == 1  # a safe cache is read
    expected = make_unsafe(cache, cached)
    before = cached.read_bytes()
    with pytest.warns(gz.CacheWarning, match=re.escape(expected)):
        gaz = gz.load_or_build(gz.ALIASES, gz.REGION_PRIOR, cache)
    assert isinstance(gaz, gz.Gazetteer) and len(builds) == 2  # rebuilt instead
    assert cached.read_bytes() == before  # and not written into an unsafe place


@pytest.mark.slow  # builds a gazetteer from GeoNames
def test_a_pickle_in_the_cache_never_runs(cache_env, tmp_path):
    import pickle

    gz, cache, cached, builds = cache_env
    canary = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (canary.write_text, ("pwned",))

    cached.write_bytes(pickle.dumps(Payload()))
    assert isinstance(gz.load_or_build(gz.ALIASES, gz.REGION_PRIOR, cache), gz.Gazetteer)
    assert not canary.exists() and len(builds) == 2  # not a cache: rebuilt and rewritten
    assert cached.read_bytes().startswith(gz.CACHE_HEADER)


def test_extracted_meeting_outside_the_window_is_left_out_with_a_warning(corpus, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("TALKS_ATLAS_DATE_WINDOW", "1991:2022")  # the article's meeting (2023) is outside
    (corpus / "geneva.txt").write_text(
        ARTICLE.replace("date: 2023-05-04\n", "").replace("on Thursday", "on 4 May 2023"), encoding="utf-8"
    )
    code, _, err = run_cli(["build", str(corpus), "--data", str(data_dir), "--allow-empty"], capsys)
    assert code == 0, err
    assert re.search(
        r"candidate 'geneva\.txt#[0-9a-f]{10}': 2023-05-04 is outside the plausible dates "
        r"1991-01-01\.\.2022-12-31",
        err,
    )
    assert "left out; add 'edit,date,...' to keep it" in err
    assert (data_dir / "meetings.csv").read_text(encoding="utf-8").count("\n") == 1  # the header only


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
        "Geneva,CH,46.2,6.14,,,,\nGeneva,CH,10,10,,,,\n",
        "",
        "is also the venue of row 2",
        "venue_overrides.csv, row 3, field 'venue'",
    ),
    "override-same-venue-other-spelling": (
        "Geneva,CH,46.2,6.14,,,,\nGENEVA,CH,10,10,,,,\n",
        "",
        "is also the venue of row 2",
        "venue_overrides.csv, row 3, field 'venue'",
    ),
    "override-match-claimed-twice": (
        "Geneva (UN),CH,46.22,6.14,,,Genf,\nGeneva (city),CH,46.2,6.14,,,Genf,\n",
        "",
        "'genf' is also claimed by row 2 (field 'match')",
        "venue_overrides.csv, row 3, field 'match'",
    ),
    "override-match-is-another-venue": (
        "Geneva,CH,46.2,6.14,,,,\nGeneva (Palais),CH,10,10,,,Geneva,\n",
        "",
        "'geneva' is also claimed by row 2 (field 'venue')",
        "venue_overrides.csv, row 3, field 'match'",
    ),
    "override-same-geonames-id": (
        f"Geneva,CH,46.2,6.14,{GENEVA_ID},,,\nGenf,CH,10,10,{GENEVA_ID},,,\n",
        "",
        "also pinned by row 2 (field 'geonames_id')",
        "venue_overrides.csv, row 3, field 'geonames_id'",
    ),
    "override-at-zero-zero": (
        "Geneva,CH,0,0,,,,\n",
        "",
        "0,0 is not a place of talks",
        "venue_overrides.csv, row 2, field 'lat'",
    ),
    "override-at-zero-zero-written-as-floats": (
        "Geneva,CH,0.0,-0.000,,,,\n",
        "",
        "0,0 is not a place of talks",
        "venue_overrides.csv, row 2, field 'lat'",
    ),
    "override-lat-out-of-range": (
        "Geneva,CH,91,6.14,,,,\n",
        "",
        "out of range",
        "venue_overrides.csv, row 2, field 'lat'",
    ),
    "override-lon-out-of-range": (
        "Geneva,CH,46.2,-180.5,,,,\n",
        "",
        "out of range",
        "venue_overrides.csv, row 2, field 'lon'",
    ),
    "override-lat-infinite": (
        "Geneva,CH,inf,6.14,,,,\n",
        "",
        "out of range",
        "venue_overrides.csv, row 2, field 'lat'",
    ),
    "override-lon-not-a-number": (
        "Geneva,CH,46.2,nan,,,,\n",
        "",
        "is not a number",
        "venue_overrides.csv, row 2, field 'lon'",
    ),
    "curated-venue-namesake": (
        None,
        "{cid},edit,venue,Atlantis,moved by hand\n",
        "unknown venue 'Atlantis'",
        "curation.csv, row 2, field 'value'",
    ),
    "curated-venue-namesake-old-id": (
        None,
        "geneva.txt#geneva,edit,venue,Atlantis,written with the old id\n",
        "unknown venue 'Atlantis'",
        "curation.csv, row 2, field 'value'",
    ),
    "old-and-new-id-for-one-decision": (
        None,
        "geneva.txt#geneva,edit,date,2023-05-04,\n{cid},edit,date,2023-05-05,\n",
        "duplicate decision",
        "curation.csv, row 3, field 'id'",
    ),
    "added-meeting-namesake-venue": (
        None,
        "m-new,add,date,2023-05-06,\nm-new,add,mediators,none,\nm-new,add,level,other,\nm-new,add,format,bilateral,\n"
        "m-new,add,status,held,\nm-new,add,evidence,geneva.txt:0-20,\nm-new,add,venue,Springfield,\n",
        "unknown venue 'Springfield'",
        "curation.csv, row 8, field 'value'",
    ),
    "curated-venue-pinned-at-zero": (
        "Atlantis,XX,0,0,,,,\n",
        "{cid},edit,venue,Atlantis,\n",
        "0,0 is not a place of talks",
        "venue_overrides.csv, row 2, field 'lat'",
    ),
    "curated-venue-with-two-pins": (
        "Atlantis,GR,36.4,25.4,,,,\nAtlantis (sea),GR,36.0,25.0,,,Atlantis,\n",
        "{cid},edit,venue,Atlantis,\n",
        "'atlantis' is also claimed by row 2",
        "venue_overrides.csv, row 3, field 'match'",
    ),
}


@pytest.mark.parametrize("case", FACT_CASES, ids=list(FACT_CASES))
def test_build_never_changes_a_fact_silently(case, corpus, data_dir, capsys):
    overrides, decisions, expected, where = FACT_CASES[case]
    if decisions:
        cid = _geneva_candidate(corpus, data_dir) if "{cid}" in decisions else ""
        (data_dir / "curation.csv").write_text(
            "id,action,field,value,note\n" + decisions.format(cid=cid), encoding="utf-8"
        )
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
    (data_dir / "curation.csv").write_text(
        f"id,action,field,value,note\ngeneva.txt#geneva,edit,date,2023-05-04,\n{cid},edit,date,2023-05-05,\n",
        encoding="utf-8",
    )
    before = hashes(data_dir)
    code, out, err = run_cli(["curation", "migrate", str(corpus), "--data", str(data_dir)], capsys)
    assert code == 2 and "curation.csv, row 3, field 'id': duplicate decision" in err and "not migrated" in err
    assert "Traceback" not in err and hashes(data_dir) == before
