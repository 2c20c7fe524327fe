"""PDF and Word articles (geo.ingest.formats through geo.ingest.corpus): text, title, date
header, evidence offsets into the extracted text, and a clear warning for what gives no text."""

from __future__ import annotations

import pytest
from documents import make_docx, make_pdf

from geo.ingest.corpus import read_corpus
from geo.ingest.formats import NO_TEXT_LAYER, UnreadableDocument, document_text

LINES = ["date: 2021-03-04", "Leaders met in Sochi on Friday."]


@pytest.mark.parametrize(
    "name, raw",
    [
        ("talks.pdf", make_pdf(LINES, title="Sochi talks")),
        ("talks.docx", make_docx(LINES, title="Sochi talks")),
    ],
)
def test_a_document_is_read_with_its_header_and_title(tmp_path, name, raw):
    (tmp_path / name).write_bytes(raw)
    corpus = read_corpus(tmp_path)
    (art,) = corpus.articles
    assert art.file == name
    assert art.title == "Sochi talks"
    assert str(art.date) == "2021-03-04" and art.date_source == "header"
    start = art.text.index("Sochi on")
    assert art.text[start : start + 5] == "Sochi"  # evidence offsets index into the extracted text
    assert corpus.problems == ()


def test_a_single_document_file_is_read(tmp_path):
    path = tmp_path / "one.docx"
    path.write_bytes(make_docx(["Talks in Vienna."]))
    (art,) = read_corpus(path).articles
    assert art.text == "Talks in Vienna.\n" and art.title == "Talks in Vienna."


def test_a_pdf_without_a_text_layer_is_a_clear_warning_not_an_empty_article(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(make_pdf())
    (tmp_path / "ok.txt").write_text("Talks in Vienna.\n", encoding="utf-8")
    corpus = read_corpus(tmp_path)
    assert [a.file for a in corpus.articles] == ["ok.txt"]
    (problem,) = corpus.problems
    assert "scan.pdf" in str(problem) and NO_TEXT_LAYER in str(problem)


@pytest.mark.parametrize(
    "suffix, raw, why",
    [
        (".pdf", b"just text, not a PDF", "not a PDF file"),
        (".pdf", b"%PDF-1.4 broken", "not a readable PDF"),
        (".docx", b"PK not really a zip", "not a readable Word"),
        (".docx", make_docx([""]), "has no text"),
        (".odt", b"", "not a PDF or Word"),
    ],
)
def test_what_gives_no_text_says_why(suffix, raw, why):
    with pytest.raises(UnreadableDocument, match=why):
        document_text(suffix, raw)
