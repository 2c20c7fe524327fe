"""The Add articles and Meetings pages through AppTest (each test ends with no exception)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.paths import ROOT

pytestmark = pytest.mark.slow  # every test here runs the whole app (AppTest)

APP = str(ROOT / "app.py")
ARTICLE = (
    "President Vladimir Putin hosted Prime Minister Nikol Pashinyan and President Ilham Aliyev "
    "in Sochi on Friday for trilateral talks."
)


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.delenv("TALKS_ATLAS_DATA", raising=False)
    monkeypatch.setenv("TALKS_ATLAS_UPLOADS", str(tmp_path / "uploads"))


def page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(path)
    at.run()
    return at


def shown(at: AppTest) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "info", "error", "warning", "success") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("\u2060", "").replace("**", "")


def paste(at: AppTest, title: str, day: str, text: str) -> AppTest:
    at.text_input(key="add_title").input(title)
    at.text_input(key="add_date").input(day)
    at.text_input(key="add_source").input("https://example.org/sochi")
    at.text_area(key="add_text").input(text)
    return at.button[1].click().run()  # the second form's submit button


def test_add_page_explains_where_articles_go(tmp_path):
    at = page("app_pages/add.py")
    assert str(tmp_path / "uploads") in shown(at)
    assert "preview" in shown(at)  # the seeds are the map's corpus: the map does not change
    assert not at.exception


def test_a_pasted_article_is_saved_built_and_reported(tmp_path):
    at = paste(page("app_pages/add.py"), "Leaders in Sochi", "2021-11-26", ARTICLE)
    assert (tmp_path / "uploads" / "leaders-in-sochi.txt").is_file()
    (df,) = [d.value for d in at.dataframe]
    row = df.iloc[0]
    assert (row["file"], row["read"], row["date"], row["language"]) == (
        "leaders-in-sochi.txt",
        "yes",
        "2021-11-26",
        "English",
    )
    assert row["meetings proposed"] == 1
    at = paste(at, "Leaders in Sochi", "2021-11-26", ARTICLE)  # the same again: refused, named
    assert "leaders-in-sochi.txt was not saved: the same file is stored already" in shown(at)
    assert not at.exception


def test_uploaded_files_are_saved_and_bad_ones_named(tmp_path, monkeypatch):
    from documents import make_docx, make_pdf

    monkeypatch.setenv("TALKS_ATLAS_UPLOAD_MB", "0.1")  # 102 kB: a Word file fits, big.txt does not
    at = page("app_pages/add.py")
    article = make_docx(["date: 2021-11-26", ARTICLE])
    at.file_uploader(key="add_uploads").set_value(
        [
            ("sochi.docx", article, "application/octet-stream"),
            ("copy.docx", article, "application/octet-stream"),
            ("scan.pdf", make_pdf(), "application/pdf"),
            ("../evil.txt", b"x", "text/plain"),
            ("empty.txt", b"", "text/plain"),
            ("binary.txt", b"\x00\x01", "text/plain"),
            ("photo.jpg", b"\xff\xd8", "image/jpeg"),
            ("big.txt", b"x" * 200 * 1024, "text/plain"),
        ]
    )
    at = at.button[0].click().run()
    text = shown(at)
    for name, why in [
        ("scan.pdf", "no text layer: scanned? run OCR first"),
        ("../evil.txt", "folder part"),
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("photo.jpg", "unsupported type"),
        ("big.txt", "200 kB, over the limit of 102 kB"),
        ("copy.docx", "the same file is stored already as sochi.docx"),
    ]:
        assert f"{name} was not saved: {why}" in text or (f"{name} was not saved: " in text and why in text)
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["sochi.docx"]
    (df,) = [d.value for d in at.dataframe]
    assert df.iloc[0]["file"] == "sochi.docx" and df.iloc[0]["meetings proposed"] == 1
    assert not (tmp_path / "evil.txt").exists()
    assert not at.exception


def test_a_bad_paste_says_why_and_saves_nothing(tmp_path):
    at = paste(page("app_pages/add.py"), "<b>Sochi</b>", "26/11/2021", ARTICLE)
    assert "publication date" in shown(at)
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())
    assert not at.exception


# ---------------------------------------------------------------------------------------------
# Meetings page (the committed data/)


def meetings_table(at: AppTest):
    (df,) = [d.value for d in at.dataframe]
    return df


def test_meetings_page_lists_the_filtered_meetings_with_provenance():
    from geo.core.paths import DATA
    from geo.core.schema import load_dataset

    ds = load_dataset(DATA)
    at = page("app_pages/meetings.py")
    df = meetings_table(at)
    assert len(df) == len(ds.meetings)
    assert list(df.columns[:3]) == ["date", "venue", "host"]
    assert df["article"].str.startswith("sources?article=").all()
    assert df["by analyst"].str.contains("date").any()  # data/curation.csv edits, as meetings.csv publishes them
    assert (
        df["provenance"].str.contains("date: analyst").any()
        and df["provenance"].str.startswith("from the article").all()
    )
    assert df["confidence"].between(0, 1).all()
    assert f"{len(ds.meetings)} of {len(ds.meetings)} meetings" in shown(at)
    assert not at.exception


def test_meetings_page_search_narrows_the_table():
    at = page("app_pages/meetings.py")
    every = meetings_table(at)
    venue = every["venue"].iloc[0].split(" (")[0]
    at.text_input(key="meetings_search").input(venue.upper()).run()
    df = meetings_table(at)
    assert 0 < len(df) <= len(every) and df["venue"].str.contains(venue).all()
    at.text_input(key="meetings_search").input("no such place anywhere").run()
    assert not at.dataframe and "No meeting matches the search." in shown(at)
    assert not at.exception


def test_the_sources_page_opens_the_article_a_meetings_link_names():
    from geo.core.paths import DATA
    from geo.core.schema import load_dataset, split_list

    file = split_list(load_dataset(DATA).meetings["documents"].iloc[-1])[0]
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["article"] = file
    at.run()
    at.switch_page("app_pages/sources.py")
    at.query_params["article"] = file
    at.run()
    assert at.selectbox(key="sources_article").value == file
    assert not at.exception
