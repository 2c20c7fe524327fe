"""Corpus reader: formats, metadata, offsets, and bad input."""

from __future__ import annotations

from datetime import date

import pytest

from geo.core.errors import UsageError
from geo.ingest.corpus import html_to_text, read_corpus


def _write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def test_header_lines_give_date_title_source_and_offsets_index_the_file(tmp_path):
    raw = "date: 2023-05-14\ntitle: Ministers meet in Geneva\nsource: Example Wire\n\nThe ministers met in Geneva.\n"
    _write(tmp_path / "a.txt", raw)
    art = read_corpus(tmp_path).articles[0]
    assert (art.date, art.date_source, art.date_note) == (date(2023, 5, 14), "header", "")
    assert art.title == "Ministers meet in Geneva"
    assert art.source == "Example Wire"
    assert art.text == raw  # exactly as on disk, header included
    assert art.body.startswith("The ministers")
    start = art.text.index("Geneva.")
    assert (tmp_path / "a.txt").read_text()[start : start + 6] == "Geneva"


def test_crlf_and_bom_are_kept_so_offsets_match_the_file(tmp_path):
    raw = "\ufefftitle: Windows file\r\n\r\nTalks in Vienna.\r\n"
    _write(tmp_path / "w.md", raw)
    art = read_corpus(tmp_path).articles[0]
    assert art.text == raw
    assert art.title == "Windows file"
    assert art.body == "Talks in Vienna.\r\n"
    i = art.text.index("Vienna")
    assert raw[i : i + 6] == "Vienna"


def test_metadata_csv_dates_and_titles(tmp_path):
    _write(tmp_path / "one.txt", "Leaders gathered in Prague.\n")
    _write(tmp_path / "two.txt", "Nothing dated here.\n")
    _write(tmp_path / "metadata.csv", "file,title,published,note\none.txt,Prague gathering,2022-10-06,x\ntwo.txt,,,\n")
    c = read_corpus(tmp_path)
    one, two = c.article("one.txt"), c.article("two.txt")
    assert (one.date, one.date_source, one.title) == (date(2022, 10, 6), "metadata", "Prague gathering")
    assert (two.date, two.date_source) == (None, "none")
    assert "no date" in two.date_note
    assert two.title == "Nothing dated here."
    assert c.problems == ()


@pytest.mark.parametrize("bad", ["2022-13-01", "06/10/2022", "soon", "2022-02-30"])
def test_bad_metadata_date_warns_with_row_and_field_and_keeps_article(tmp_path, bad):
    _write(tmp_path / "a.txt", "Text.\n")
    _write(tmp_path / "b.txt", "More text.\n")
    _write(tmp_path / "metadata.csv", f"file,title,published\na.txt,A,2021-01-02\nb.txt,B,{bad}\n")
    c = read_corpus(tmp_path)
    assert c.article("b.txt").date is None
    assert c.article("a.txt").date == date(2021, 1, 2)
    (p,) = c.problems
    assert (p.row, p.field, p.severity) == (3, "published", "warning")
    assert "metadata.csv" in p.path and bad in p.message and "b.txt" in p.message


def test_non_utf8_file_warns_and_the_rest_is_read(tmp_path):
    _write(tmp_path / "good.txt", "Talks in Baku.\n")
    _write(tmp_path / "latin.txt", "Réunion à Genève\n", encoding="latin-1")
    c = read_corpus(tmp_path)
    assert [a.file for a in c.articles] == ["good.txt"]
    (p,) = c.problems
    assert "latin.txt" in p.path and "UTF-8" in p.message and p.severity == "warning"


def test_broken_link_warns_and_the_rest_is_read(tmp_path):
    _write(tmp_path / "good.txt", "Talks in Baku.\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    c = read_corpus(tmp_path)
    assert [a.file for a in c.articles] == ["good.txt"]
    (p,) = c.problems
    assert "gone.txt" in p.path and p.severity == "warning"


def test_metadata_row_for_missing_file_warns(tmp_path):
    _write(tmp_path / "a.txt", "Text.\n")
    _write(tmp_path / "metadata.csv", "file,title,published\na.txt,A,\nghost.txt,G,2020-01-01\n")
    (p,) = read_corpus(tmp_path).problems
    assert (p.row, p.field) == (3, "file") and "ghost.txt" in p.message


def test_header_date_wins_over_metadata_and_disagreement_is_reported(tmp_path):
    _write(tmp_path / "a.txt", "date: 2020-02-02\n\nBody.\n")
    _write(tmp_path / "metadata.csv", "file,title,published\na.txt,A,2020-03-03\n")
    c = read_corpus(tmp_path)
    assert c.articles[0].date == date(2020, 2, 2)
    assert c.problems and c.problems[0].field == "published"


def test_iso_date_on_first_line_is_used_last(tmp_path):
    _write(tmp_path / "a.txt", " date 2024-10-08 Some headline\nBody.\n")
    art = read_corpus(tmp_path).articles[0]
    assert (art.date, art.date_source) == (date(2024, 10, 8), "text")


@pytest.mark.parametrize(
    ("name", "header", "expected", "source"),
    [
        ("041_2023-05-14_brussels.txt", "", date(2023, 5, 14), "filename"),
        ("report_20230514.txt", "", date(2023, 5, 14), "filename"),
        ("talks.txt", "source: https://news.example/2023/05/14/leaders-meet\n", date(2023, 5, 14), "url"),
        ("talks.txt", "title: Talks\nsource: https://news.example/a/2021-11-26-sochi\n", date(2021, 11, 26), "url"),
        ("2023-06-01_talks.txt", "source: https://news.example/2023/05/14/x\n", date(2023, 5, 14), "url"),
        ("2023-05-14.txt", "date: 2022-10-06\n", date(2022, 10, 6), "header"),
        ("99_20231399_x.txt", "", None, "none"),  # not a real day
        ("1850-01-01_old.txt", "", None, "none"),  # outside the plausible window
    ],
)
def test_undated_article_takes_the_day_from_its_source_url_or_file_name(tmp_path, name, header, expected, source):
    _write(tmp_path / name, header + "The ministers met in Vienna in 2019 and again last week.\n")
    art = read_corpus(tmp_path).articles[0]
    assert (art.date, art.date_source) == (expected, source)
    assert ("no date" in art.date_note) == (expected is None)


def test_a_year_in_the_body_never_dates_the_article(tmp_path):
    _write(tmp_path / "talks.txt", "Leaders met.\nThe ministers had met on 2019-03-29 in Vienna.\n")
    art = read_corpus(tmp_path).articles[0]
    assert (art.date, art.date_source) == (None, "none")


def test_html_is_stripped_and_unescaped(tmp_path):
    markup = (
        "<html><head><title>Talks &amp; more</title><style>p{color:red}</style></head>"
        "<body><p>Ministers met in <b>Vienna</b> &mdash; briefly.</p><script>var x='Moscow';</script>"
        "<p>Next: Gen&egrave;ve</p></body></html>"
    )
    _write(tmp_path / "page.html", markup)
    art = read_corpus(tmp_path).articles[0]
    assert art.title == "Talks & more"
    assert "Ministers met in Vienna — briefly." in art.text
    assert "Genève" in art.text
    assert "Moscow" not in art.text and "color" not in art.text and "<" not in art.text


def test_markdown_front_matter_and_heading(tmp_path):
    _write(
        tmp_path / "fm.md",
        '---\ntitle: "Envoys in Astana"\ndate: 2023-09-01\ntags: [talks]\n---\n# Ignored heading\n\nEnvoys met.\n',
    )
    _write(tmp_path / "plain.md", "# Talks resume\n\nEnvoys met again.\n")
    _write(tmp_path / "open.md", "---\ntitle: never closed\nBody text.\n")
    c = read_corpus(tmp_path)
    fm, plain, unclosed = c.article("fm.md"), c.article("plain.md"), c.article("open.md")
    assert (fm.title, fm.date, fm.date_source) == ("Envoys in Astana", date(2023, 9, 1), "header")
    assert fm.body.startswith("# Ignored heading")
    assert plain.title == "Talks resume" and plain.body_start == 0
    assert unclosed.body_start == 0 and unclosed.date is None  # not front matter: nothing hidden


@pytest.mark.parametrize(
    "meta, expected, warned",
    [
        ('<meta property="article:published_time" content="2022-10-31T09:00:00Z">', date(2022, 10, 31), False),
        ('<meta name="date" content="2021-02-03">', date(2021, 2, 3), False),
        ('<meta name="date" content="yesterday">', None, True),
        ('<meta name="keywords" content="2021-02-03">', None, False),
    ],
)
def test_html_meta_date(tmp_path, meta, expected, warned):
    _write(tmp_path / "p.html", f"<html><head>{meta}<title>T</title></head><body><p>Text.</p></body></html>")
    c = read_corpus(tmp_path)
    assert c.articles[0].date == expected
    assert bool(c.problems) == warned
    if warned:
        assert c.problems[0].field == "date" and "p.html" in c.problems[0].path


def test_html_to_text_escapes_nothing_and_keeps_lines():
    text, title = html_to_text("<div>a</div><div>b<br>c</div>")
    assert text == "a\nb\nc\n" and title == ""


def test_subfolders_and_hidden_files(tmp_path):
    _write(tmp_path / "2024" / "x.md", "In Almaty.\n")
    _write(tmp_path / ".hidden" / "y.txt", "Hidden.\n")
    _write(tmp_path / "notes.pdf", "not an article")
    assert [a.file for a in read_corpus(tmp_path).articles] == ["2024/x.md"]


@pytest.mark.parametrize("setup", ["missing", "empty", "only_other", "only_bad"])
def test_bad_corpus_paths_are_usage_errors(tmp_path, setup):
    target = tmp_path / "corpus"
    if setup != "missing":
        target.mkdir()
    if setup == "only_other":
        _write(target / "readme.pdf", "x")
    if setup == "only_bad":
        _write(target / "a.txt", "caf\xe9", encoding="latin-1")
    with pytest.raises(UsageError) as exc:
        read_corpus(target)
    assert str(target) in str(exc.value)


def test_seed_corpus_reads_with_known_dates(seeds_dir):
    c = read_corpus(seeds_dir)
    assert len(c.articles) == 5 and c.problems == ()
    dated = {a.file[:3]: a.date for a in c.articles}
    assert dated["000"] == date(2024, 10, 8) and dated["002"] == date(2024, 5, 9)
    assert dated["001"] is None and dated["003"] is None
    for a in c.articles:
        assert a.text == a.path.read_bytes().decode("utf-8")
