"""Read a folder of articles (.txt, .md, .html, .pdf, .docx) into immutable :class:`Article` records.

Character offsets ("evidence" ``FILE:START-END``) index into ``Article.text``:

- ``.txt`` / ``.md``: the file's decoded text exactly as on disk (header lines included), so a
  span can be checked by opening the file;
- ``.html`` / ``.htm``: the text with tags removed (script/style dropped, block elements turned
  into line breaks) and entities unescaped;
- ``.pdf`` / ``.docx``: the text extracted by geo.ingest.formats (pypdf's text layer, pages
  joined by a blank line; python-docx's paragraphs, one per line). A PDF without a text layer is
  a warning ("no text layer: scanned? run OCR first") and the file is skipped, never read as empty.

Metadata, in order of preference:

1. header lines at the top of the file: ``date: YYYY-MM-DD``, ``title: ...``, ``source: ...``
   (also inside Markdown front matter between ``---`` lines), or for HTML a ``<meta>`` date
   (``date``, ``article:published_time``, ...) and the ``<title>``;
2. ``metadata.csv`` beside the files (columns ``file,title,published,...``; ``source`` optional);
3. for the date only: an ISO date (``YYYY-MM-DD``) on the first line of the text
   (``date_source='text'``);
4. for the date only: a date in the ``source`` URL (``/2023/05/14/``, ``2023-05-14``,
   ``20230514``; ``date_source='url'``), then in the file name (``041_2023-05-14_brussels.txt``;
   ``date_source='filename'``). A year found elsewhere in the body is never taken.

An article without a date is kept (``date=None``) and says why in ``date_note``. Problems that
do not stop the rest (a non-UTF-8 or unreadable file, a bad metadata date, a metadata row for a
file that does not exist) are collected in ``Corpus.problems`` as warnings.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from geo.core.dates import When, outside_window, parse_day
from geo.core.errors import Problem, UsageError
from geo.core.paths import display
from geo.core.tables import csv_records
from geo.ingest.formats import DOCUMENT_EXTENSIONS, UnreadableDocument, document_text

EXTENSIONS = (".txt", ".md", ".html", ".htm", *DOCUMENT_EXTENSIONS)
KINDS = ".txt, .md, .html, .pdf or .docx"
METADATA = "metadata.csv"

_HEADER = re.compile(r"^\ufeff?[ \t]*(date|title|source)[ \t]*:[ \t]*(.*?)[ \t]*$", re.IGNORECASE)
_FRONT_MATTER_LINE = re.compile(r"^(?:[\w-]+[ \t]*:.*|[ \t]+.*|[ \t]*-[ \t].*|[ \t]*)$")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# a day written in a file name or URL: 2023-05-14, 2023_05_14, 2023/05/14, 20230514
_NAME_DAY = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_/.]?)(\d{2})\2(\d{2})(?!\d)")


@dataclass(frozen=True)
class Article:
    file: str  # name relative to the corpus dir; the id used in evidence refs "file:start-end"
    path: Path
    title: str
    date: date | None
    date_source: str  # 'header' | 'metadata' | 'text' | 'url' | 'filename' | 'none'
    date_note: str  # e.g. "no date in header or metadata.csv" ('' when dated)
    source: str
    text: str  # what character offsets index into (see module docstring)
    body_start: int  # offset where the body begins (after optional header lines)

    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def sha256(self) -> str:
        """The hash of ``text`` (what evidence offsets index into), recorded in articles.csv."""
        return content_hash(self.text)


def content_hash(text: str) -> str:
    """sha256 of the text as UTF-8, in hex: whether an article is still the one a build read."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Corpus:
    root: Path
    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]  # warnings

    def article(self, file: str) -> Article | None:
        for a in self.articles:
            if a.file == file:
                return a
        return None


# ---------------------------------------------------------------------------------------------
# Reading


def publication_day(value: str) -> date:
    """An article's date: a day (YYYY-MM-DD) within the plausible window
    (geo.core.dates.plausible_window), else ValueError saying why."""
    day = parse_day(value)
    problem = outside_window(When(day))
    if problem:
        raise ValueError(problem)
    return day


def day_in_name(name: str) -> date | None:
    """The first plausible day written in a file name or URL (``2023-05-14``, ``/2023/05/14/``,
    ``20230514``), else None. A number that is not a real day in the window is skipped."""
    for m in _NAME_DAY.finditer(name):
        try:
            return publication_day(f"{m.group(1)}-{m.group(3)}-{m.group(4)}")
        except ValueError:
            continue
    return None


def read_corpus(path: Path | str) -> Corpus:
    """Read every article under ``path`` (a folder, searched recursively, or a single file).

    Raises UsageError for a missing path or a folder without readable articles.
    """
    path = Path(path)
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder (expected a folder of {KINDS} articles)")
    problems: list[Problem] = []
    if path.is_file():
        if path.suffix.lower() not in EXTENSIONS:
            raise UsageError(f"{path}: not an article (expected {KINDS})")
        root, files = path.parent, [path]
    else:
        root = path
        files = list_articles(root, problems)
    if not files and not problems:
        raise UsageError(f"{path}: no articles found (expected {KINDS} files)")
    meta = _read_metadata(root, problems)
    articles: list[Article] = []
    for p in files:
        rel = p.relative_to(root).as_posix()
        art = _read_article(p, article_id(rel), meta.get(rel), problems)
        if art is not None:
            articles.append(art)
    known = {p.relative_to(root).as_posix() for p in files}
    meta_shown = display(root / METADATA)
    for name, entry in meta.items():
        if name not in known:
            problems.append(
                Problem(
                    meta_shown, f"names {name!r}, which is not an article in this folder", entry.row, "file", "warning"
                )
            )
    if not articles:
        details = "\n".join(str(p) for p in problems)
        raise UsageError(f"{path}: no readable articles\n{details}".rstrip())
    return Corpus(root=root, articles=tuple(articles), problems=tuple(problems))


MAX_DEPTH = 32  # folders below the corpus root; deeper trees are reported, not read
# Characters that separate parts of our references (FILE:START-END, ';' lists, FILE#venue ids)
# or break a CSV line: an article id spells them %XX, so any file name can be cited.
_UNSAFE_IN_ID = re.compile(r"[%:;#\x00-\x1f\x7f\x85\u2028\u2029]")


def article_id(rel: str) -> str:
    """The article's id in evidence references: its path below the corpus root, with
    ``% : ; #`` and control characters percent-encoded ('a:b.txt' -> 'a%3Ab.txt')."""
    return _UNSAFE_IN_ID.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), rel)


def list_articles(root: Path, problems: list[Problem]) -> list[Path]:
    """Every article file below ``root``, in name order, without following links out of the
    corpus: a link to a file inside the corpus is read, a link that leaves it is skipped with
    a warning, links to folders are not followed (no loops); hidden files and folders are
    skipped; a tree deeper than MAX_DEPTH is reported where it is cut."""
    base = root.resolve()
    found: list[Path] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    while stack:  # iterative: a corpus nested thousands of folders deep cannot exhaust the stack
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(display(folder), f"cannot be listed ({exc.strerror}); skipped", severity="warning"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            p = Path(entry.path)
            if entry.is_symlink():
                _linked(p, base, entry, problems, found)
            elif entry.is_dir(follow_symlinks=False):
                if depth + 1 > MAX_DEPTH:
                    problems.append(
                        Problem(display(p), f"is more than {MAX_DEPTH} folders deep; not read", severity="warning")
                    )
                else:
                    stack.append((p, depth + 1))
            elif p.suffix.lower() in EXTENSIONS:
                if entry.is_file(follow_symlinks=False):
                    found.append(p)
                else:  # a socket, a device...: say so rather than skip it silently
                    problems.append(Problem(display(p), "is not a regular file; skipped", severity="warning"))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _linked(p: Path, base: Path, entry: os.DirEntry, problems: list[Problem], found: list[Path]) -> None:
    try:
        target = p.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # broken, or a loop (ELOOP / RuntimeError)
        if p.suffix.lower() in EXTENSIONS:
            why = getattr(exc, "strerror", None) or "loops back on itself"
            problems.append(Problem(display(p), f"is a link that leads nowhere ({why}); skipped", severity="warning"))
        return
    if target.is_dir():
        problems.append(Problem(display(p), "is a link to a folder; not followed", severity="warning"))
        return
    if p.suffix.lower() not in EXTENSIONS:
        return
    if not target.is_relative_to(base):
        problems.append(
            Problem(display(p), "is a link to a file outside the corpus folder; not read", severity="warning")
        )
        return
    found.append(p)


@dataclass(frozen=True)
class _Meta:
    row: int
    title: str
    published: date | None
    source: str


def _read_metadata(root: Path, problems: list[Problem]) -> dict[str, _Meta]:
    path = root / METADATA
    if not path.exists():
        return {}
    shown = display(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(shown, f"not UTF-8 text ({exc.reason} at byte {exc.start}); ignored", severity="warning")
        )
        return {}
    except OSError as exc:
        problems.append(Problem(shown, f"cannot be read ({exc.strerror}); ignored", severity="warning"))
        return {}
    try:
        return _metadata_rows(csv_records(text), shown, problems)
    except csv.Error as exc:  # a cell over the csv module's size limit
        problems.append(Problem(shown, f"is not readable as CSV ({exc}); ignored", severity="warning"))
        return {}


def _metadata_rows(reader, shown: str, problems: list[Problem]) -> dict[str, _Meta]:
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "file" not in header:
        problems.append(Problem(shown, "has no 'file' column; ignored", row=1, field="file", severity="warning"))
        return {}
    out: dict[str, _Meta] = {}
    for i, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        name = row.get("file", "")
        if not any(row.values()):
            continue
        if not name:
            problems.append(Problem(shown, "row has no file name; ignored", i, "file", "warning"))
            continue
        published: date | None = None
        value = row.get("published", "")
        if value:
            try:
                published = publication_day(value)
            except ValueError as exc:
                problems.append(Problem(shown, f"{exc}; article {name!r} kept undated", i, "published", "warning"))
        if name in out:
            problems.append(
                Problem(
                    shown, f"repeats {name!r} (first on row {out[name].row}); later row ignored", i, "file", "warning"
                )
            )
            continue
        out[name] = _Meta(i, row.get("title", ""), published, row.get("source", ""))
    return out


def _read_article(path: Path, rel: str, meta: _Meta | None, problems: list[Problem]) -> Article | None:
    shown = display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(shown, f"cannot be read ({exc.strerror}); skipped", severity="warning"))
        return None
    html_title = meta_date = ""
    if path.suffix.lower() in DOCUMENT_EXTENSIONS:
        try:
            text, html_title = document_text(path.suffix, raw)
        except UnreadableDocument as exc:
            problems.append(Problem(shown, f"{exc}; skipped", severity="warning"))
            return None
    else:
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                Problem(shown, f"not UTF-8 text ({exc.reason} at byte {exc.start}); skipped", severity="warning")
            )
            return None
        if path.suffix.lower() in (".html", ".htm"):
            text, html_title, meta_date = html_parts(decoded)
        else:
            text = decoded

    headers, body_start = _parse_header(text)
    title = headers.get("title", "") or (meta.title if meta else "") or html_title or _first_line(text[body_start:])
    source = headers.get("source", "") or (meta.source if meta else "")

    art_date: date | None = None
    date_source, date_note = "none", ""
    if "date" in headers:
        value, line = headers["date"]
        try:
            art_date, date_source = publication_day(value), "header"
        except ValueError as exc:
            problems.append(Problem(shown, f"header {exc}; ignored", line, "date", "warning"))
    if art_date is None and meta_date:
        try:
            art_date, date_source = publication_day(meta_date), "header"
        except ValueError as exc:
            problems.append(Problem(shown, f"<meta> {exc}; ignored", field="date", severity="warning"))
    if meta and meta.published:
        if art_date is None:
            art_date, date_source = meta.published, "metadata"
        elif art_date != meta.published:
            problems.append(
                Problem(
                    display(path.parent / METADATA),
                    f"published {meta.published} disagrees with the header date {art_date} of {rel!r}; "
                    "using the header",
                    meta.row,
                    "published",
                    "warning",
                )
            )
    if art_date is None:
        first = text.split("\n", 1)[0]
        m = _ISO_DAY.search(first)
        if m:
            try:
                art_date, date_source = publication_day(m.group(0)), "text"
            except ValueError:
                art_date = None
    if art_date is None:
        art_date, date_source = day_in_name(source), "url"
    if art_date is None:
        art_date, date_source = day_in_name(Path(rel).name), "filename"
    if art_date is None:
        date_source, date_note = "none", "no date in header, metadata.csv, source URL or file name"
    return Article(
        file=rel,
        path=path,
        title=_strip_title(title),
        date=art_date,
        date_source=date_source,
        date_note=date_note,
        source=source.strip(),
        text=text,
        body_start=body_start,
    )


def _parse_header(text: str) -> tuple[dict, int]:
    """Header lines at the very top: returns ({'title': str, 'source': str, 'date': (value, line)}, body_start).

    Header lines may be followed by one blank line, which is part of the header. Markdown front
    matter (``---`` lines around the header lines) is accepted too; other keys in it are skipped.
    """
    headers: dict = {}
    pos = 0
    line_no = 0
    front_matter = False
    while pos < len(text):
        end = text.find("\n", pos)
        nxt = len(text) if end < 0 else end + 1
        line = text[pos:nxt].rstrip("\r\n")
        line_no += 1
        if line_no == 1 and line.lstrip("\ufeff").strip() == "---":
            front_matter = True
            pos = nxt
            continue
        if front_matter and line.strip() == "---":
            return headers, nxt  # the closing fence ends the header
        m = _HEADER.match(line)
        if not m:
            if front_matter and _FRONT_MATTER_LINE.match(line):
                pos = nxt  # another key ("tags: ...") of the front matter
                continue
            if front_matter:
                return {}, 0  # not front matter after all
            break
        key = m[1].lower()
        if key == "date":
            headers["date"] = (m[2].strip("\"'"), line_no)
        else:
            headers[key] = m[2].strip("\"'") if front_matter else m[2]
        pos = nxt
    if front_matter:
        return {}, 0  # no closing fence: not front matter
    if headers:
        end = text.find("\n", pos)
        line = text[pos : (len(text) if end < 0 else end)].strip()
        if not line and end >= 0:
            pos = end + 1
    return headers, pos


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return _strip_title(line.strip().lstrip("#").strip())  # "# Heading" in Markdown
    return ""


def _strip_title(value: str) -> str:
    value = " ".join(value.split())
    return value[:200]


# ---------------------------------------------------------------------------------------------
# HTML

_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "title",
    "dt",
    "dd",
    "figcaption",
    "main",
}
_META_DATES = {"date", "article:published_time", "datepublished", "pubdate", "dc.date", "dcterms.date", "publish-date"}
_SKIP = {"script", "style", "noscript", "template", "head"}


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False
        self.meta_date = ""

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            a = {k.lower(): (v or "") for k, v in attrs}
            name = (a.get("name") or a.get("property") or a.get("itemprop") or "").lower()
            if name in _META_DATES and a.get("content") and not self.meta_date:
                self.meta_date = a["content"].strip()[:10]
        if tag == "title":
            self._in_title = True
        elif tag in _SKIP:
            self._skip += 1
        if tag in _BLOCK and tag != "title":
            self._newline()

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self._newline()

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP and self._skip:
            self._skip -= 1
        if tag in _BLOCK and tag != "title":
            self._newline()

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)

    def _newline(self):
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")


def html_to_text(markup: str) -> tuple[str, str]:
    """(text, title) of an HTML page: tags removed, entities unescaped, whitespace tidied per line."""
    text, title, _ = html_parts(markup)
    return text, title


def html_parts(markup: str) -> tuple[str, str, str]:
    """(text, title, meta date) of an HTML page; the date as written in a <meta> tag ('' if none)."""
    parser = _Stripper()
    parser.feed(markup)
    parser.close()
    raw = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    text = "\n".join(out).strip("\n")
    return (text + "\n" if text else ""), _strip_title("".join(parser.title)), parser.meta_date
