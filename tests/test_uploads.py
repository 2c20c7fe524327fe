"""Articles an analyst uploads (geo.ingest.uploads) and the build after it (geo.publish.intake):
bad uploads are refused with the file named and nothing stored touched; duplicates by content;
a name clash gets a suffix and a notice; the report per file."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents import make_docx, make_pdf

from geo.core.errors import Problem
from geo.ingest.formats import NO_TEXT_LAYER
from geo.ingest.uploads import SavedArticle, pasted_article, save_upload, size_limit, upload_folder
from geo.language.guess import guess_language
from geo.publish.intake import build_uploads

ARTICLE = (
    b"date: 2021-11-26\n\nPresident Vladimir Putin hosted Prime Minister Nikol Pashinyan and President "
    b"Ilham Aliyev in Sochi on Friday for trilateral talks.\n"
)


def stored(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def folder(tmp_path):
    f = tmp_path / "uploads"
    f.mkdir()
    (f / "kept.txt").write_bytes(b"An article stored before.\n")
    return f


@pytest.mark.parametrize(
    "name, raw, why",
    [
        ("../evil.txt", ARTICLE, "folder part"),
        ("a/b.txt", ARTICLE, "folder part"),
        ("a\\b.txt", ARTICLE, "folder part"),
        ("..", ARTICLE, "folder part"),
        (".hidden.txt", ARTICLE, "hidden files"),
        ("tab\tname.txt", ARTICLE, "control characters"),
        ("photo.jpg", b"\xff\xd8\xff", "unsupported type .jpg"),
        ("noext", ARTICLE, "unsupported type (no extension)"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b" \n\n", "empty"),
        ("binary.txt", b"abc\x00\x01\x02", "binary content"),
        ("latin1.txt", "café".encode("latin-1"), "not UTF-8"),
        ("huge.txt", b"x" * 2048, "the file is 2 kB, over the limit of 1 kB"),
        ("scan.pdf", make_pdf(), NO_TEXT_LAYER),
        ("fake.pdf", b"hello", "not a PDF"),
        ("fake.docx", b"hello", "not a readable Word"),
        ("kept-copy.txt", b"An article stored before.\n", "stored already as kept.txt"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_file_and_nothing_stored_is_touched(folder, name, raw, why):
    before = stored(folder)
    got = save_upload(name, raw, folder, limit=1024)
    assert isinstance(got, Problem)
    assert why in got.message
    assert got.path == name.replace("\t", "?")
    assert stored(folder) == before


@pytest.mark.parametrize(
    "name, raw",
    [
        ("talks.txt", ARTICLE),
        ("talks.md", ARTICLE),
        ("talks.html", b"<html><title>T</title><p>Leaders met in Sochi.</p></html>"),
        ("talks.pdf", make_pdf(["Leaders met in Sochi."])),
        ("talks.docx", make_docx(["Leaders met in Sochi."])),
    ],
)
def test_a_good_upload_is_saved_under_its_name(folder, name, raw):
    got = save_upload(name, raw, folder)
    assert isinstance(got, SavedArticle)
    assert got.name == name and got.notice == ""
    assert (folder / name).read_bytes() == raw
    assert sorted(p.name for p in folder.iterdir()) == sorted(["kept.txt", name])  # no temporary left


def test_a_name_clash_gets_a_suffix_and_a_notice_never_an_overwrite(folder):
    first = save_upload("kept.txt", ARTICLE, folder)
    second = save_upload("kept.txt", ARTICLE + b"More.\n", folder)
    assert (first.name, second.name) == ("kept-2.txt", "kept-3.txt")
    assert "another article is stored as kept.txt" in first.notice
    assert (folder / "kept.txt").read_bytes() == b"An article stored before.\n"


def test_the_same_bytes_twice_are_stored_once(folder):
    assert isinstance(save_upload("a.txt", ARTICLE, folder), SavedArticle)
    again = save_upload("b.txt", ARTICLE, folder)
    assert isinstance(again, Problem) and "stored already as a.txt" in again.message


def test_the_upload_folder_and_size_limit_are_configurable(monkeypatch, tmp_path):
    monkeypatch.delenv("TALKS_ATLAS_UPLOADS", raising=False)
    monkeypatch.delenv("TALKS_ATLAS_UPLOAD_MB", raising=False)
    assert upload_folder(tmp_path) == tmp_path / "corpus"
    assert size_limit() == 20 * 1024 * 1024
    monkeypatch.setenv("TALKS_ATLAS_UPLOADS", str(tmp_path / "mine"))
    monkeypatch.setenv("TALKS_ATLAS_UPLOAD_MB", "1")
    assert upload_folder(tmp_path) == tmp_path / "mine"
    assert size_limit() == 1024 * 1024


def test_a_pasted_article_becomes_a_text_file_with_header_lines():
    name, raw = pasted_article("Leaders meet in Sochi!", "2021-11-26", "https://example.org/a", "Body.\r\n")
    assert name == "leaders-meet-in-sochi.txt"
    assert raw.decode() == ("title: Leaders meet in Sochi!\ndate: 2021-11-26\nsource: https://example.org/a\n\nBody.\n")


@pytest.mark.parametrize(
    "title, day, text, why",
    [
        ("", "", "Body.", "give the article a title"),
        ("T", "", "  ", "empty"),
        ("T", "26/11/2021", "Body.", "publication date"),
        ("T", "1700-01-01", "Body.", "publication date"),
    ],
)
def test_a_pasted_article_says_what_is_missing(title, day, text, why):
    got = pasted_article(title, day, "", text)
    assert isinstance(got, Problem) and why in got.message


@pytest.mark.parametrize(
    "text, language",
    [
        ("The leaders of the two countries met in Sochi, the Kremlin said.", "English"),
        ("Лидеры двух стран встретились в Сочи.", "Russian or another Cyrillic-script language"),
        ("Les dirigeants des deux pays se sont rencontrés à Sotchi.", "a Latin-script language other than English"),
        ("2021-11-26", "unknown"),
    ],
)
def test_a_cheap_language_guess(text, language):
    assert guess_language(text) == language


# ---------------------------------------------------------------------------------------------
# The build after an upload


def test_uploads_outside_the_app_corpus_are_built_on_a_scratch_copy(data_dir, tmp_path, gazetteer):
    uploads = data_dir / "corpus"
    save_upload("sochi.txt", ARTICLE, uploads)
    save_upload("scan.pdf", make_pdf(), uploads)  # refused: never stored
    got = build_uploads(["sochi.txt"], uploads, data_dir, tmp_path / "seeds", gazetteer)
    assert not got.failed and not got.published
    (r,) = got.reports
    assert (r.name, r.read, r.date, r.language) == ("sochi.txt", True, "2021-11-26", "English")
    assert r.proposed >= 1
    assert not (data_dir / "meetings.csv").exists()  # the data folder the map reads is untouched


def test_the_preview_ignores_decisions_about_the_maps_corpus(data_dir, tmp_path, gazetteer):
    added = [
        ("date", "2020-01-05"),
        ("venue", "Nowhere Town"),
        ("mediators", "Russia"),
        ("level", "leaders"),
        ("format", "trilateral"),
        ("status", "held"),
        ("evidence", "seed.txt:0-10"),
    ]
    (data_dir / "curation.csv").write_text(
        "id,action,field,value,note\n" + "".join(f"m-x,add,{f},{v},\n" for f, v in added), encoding="utf-8"
    )
    uploads = data_dir / "corpus"
    save_upload("sochi.txt", ARTICLE, uploads)
    got = build_uploads(["sochi.txt"], uploads, data_dir, tmp_path / "seeds", gazetteer)
    assert not got.failed, got.summary
    assert got.reports[0].proposed == 1


def test_a_failed_build_is_reported_not_raised(data_dir, gazetteer):
    (data_dir / "curation.csv").write_text("id,action,field,value,note\nx#1,frobnicate,,,\n", encoding="utf-8")
    uploads = data_dir / "corpus"
    save_upload("sochi.txt", ARTICLE, uploads)
    got = build_uploads(["sochi.txt"], uploads, data_dir, uploads, gazetteer)
    assert got.failed and not got.published and "curation.csv" in got.summary
    assert not (data_dir / "meetings.csv").exists()


def test_uploads_into_the_app_corpus_are_published(data_dir, gazetteer):
    uploads = data_dir / "corpus"
    save_upload("sochi.txt", ARTICLE, uploads)
    got = build_uploads(["sochi.txt"], uploads, data_dir, uploads, gazetteer)
    assert got.published and not got.failed
    assert "Sochi" in (data_dir / "meetings.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "n, text", [(300, "300 bytes"), (5000, "5 kB"), (20 * 1048576, "20 MB"), (int(1.5 * 1048576), "1.5 MB")]
)
def test_sizes_read_as_people_write_them(n, text):
    from geo.ingest.uploads import size_text

    assert size_text(n) == text


def test_a_50_mb_upload_is_over_the_default_limit(folder, monkeypatch):
    monkeypatch.delenv("TALKS_ATLAS_UPLOAD_MB", raising=False)
    got = save_upload("big.txt", b"x" * (50 * 1048576), folder)
    assert isinstance(got, Problem) and got.message.startswith("the file is 50 MB, over the limit of 20 MB")
    assert [p.name for p in folder.iterdir()] == ["kept.txt"]
