"""Articles an analyst brings: checked, deduplicated and saved into the upload folder, never
overwriting anything.

:func:`save_upload` takes a file name and its bytes and returns a :class:`SavedArticle` or a
:class:`~geo.core.errors.Problem` naming the file and saying why it was refused. Nothing stored
is touched by a refused upload:

- a name with a folder part (``../``, ``/``, ``\\``), a hidden name or control characters;
- an unsupported type (not .txt, .md, .html, .htm, .pdf, .docx);
- an empty file, or one over the size limit (:func:`size_limit`, 20 MB unless
  ``TALKS_ATLAS_UPLOAD_MB`` says otherwise);
- binary content in a text type (NUL bytes, not UTF-8), a PDF without a text layer, a PDF or
  Word file that gives no text;
- the same bytes as an article already stored (a duplicate, by sha256 of the file).

A different article with the same name is kept and the new one is saved as ``NAME-2.EXT`` (then
``-3``, ...), with a notice. Files are written to a hidden temporary name and linked into place,
which fails rather than replaces when the name was taken in the meantime.

:func:`pasted_article` turns a pasted text with its title, date and source URL into the bytes of
a ``.txt`` article with header lines (geo.ingest.corpus reads them).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from geo.core.errors import Problem
from geo.ingest.corpus import EXTENSIONS, KINDS, publication_day
from geo.ingest.formats import DOCUMENT_EXTENSIONS, UnreadableDocument, document_text

UPLOADS_ENV = "TALKS_ATLAS_UPLOADS"  # the folder uploads are saved into (default: DATA/corpus)
LIMIT_ENV = "TALKS_ATLAS_UPLOAD_MB"
DEFAULT_LIMIT_MB = 20
MAX_NAME = 150  # characters of a stored file name
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_SLUG = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class SavedArticle:
    upload_name: str  # the name it was uploaded under
    name: str  # the name it is stored under (a suffix added when the upload's name was taken)
    path: Path
    sha256: str
    notice: str = ""  # e.g. "saved as a-2.txt: another article is stored as a.txt"


def upload_folder(data_dir: Path) -> Path:
    """Where uploads are saved: ``TALKS_ATLAS_UPLOADS`` if set, else ``DATA/corpus``."""
    return Path(os.environ.get(UPLOADS_ENV) or Path(data_dir) / "corpus")


def size_limit() -> int:
    """Bytes an upload may have (``TALKS_ATLAS_UPLOAD_MB``, default 20 MB)."""
    value = os.environ.get(LIMIT_ENV, "")
    try:
        mb = float(value) if value else DEFAULT_LIMIT_MB
    except ValueError:
        mb = DEFAULT_LIMIT_MB
    return int(mb * 1024 * 1024) if mb > 0 else DEFAULT_LIMIT_MB * 1024 * 1024


def save_upload(name: str, raw: bytes, folder: Path, limit: int | None = None) -> SavedArticle | Problem:
    """Check ``raw`` (uploaded as ``name``) and save it into ``folder``; see the module docstring."""
    limit = size_limit() if limit is None else limit
    refused = name_problem(name) or content_problem(name, raw, limit)
    if refused:
        return Problem(shown_name(name), refused)
    folder = Path(folder)
    digest = hashlib.sha256(raw).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    same = stored_with_hash(folder, digest)
    if same is not None:
        return Problem(shown_name(name), f"the same file is stored already as {same}; not saved again")
    return _store(name, raw, folder, digest)


def shown_name(name: str) -> str:
    """The uploaded name as a message may quote it (control characters made visible, cut short)."""
    shown = _CONTROL.sub("?", name)
    return shown if len(shown) <= 200 else shown[:199] + "…"


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a stored file name ('' when it can)."""
    if not name.strip():
        return "the file has no name"
    if "/" in name or "\\" in name or name in (".", ".."):
        return "the name has a folder part ('../', '/' or '\\'); upload the file under a plain name"
    if _CONTROL.search(name):
        return "the name has control characters; rename the file and upload it again"
    if name.startswith("."):
        return "hidden files (names starting with '.') are not read as articles; rename the file"
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters; rename the file"
    if Path(name).suffix.lower() not in EXTENSIONS:
        return f"unsupported type {Path(name).suffix or '(no extension)'!s}; upload {KINDS} files"
    return ""


def content_problem(name: str, raw: bytes, limit: int) -> str:
    """Why ``raw`` is not an article we can read ('' when it is)."""
    if not raw.strip():
        return "the file is empty"
    if len(raw) > limit:
        return f"the file is {size_text(len(raw))}, over the limit of {size_text(limit)} ({LIMIT_ENV})"
    suffix = Path(name).suffix.lower()
    if suffix in DOCUMENT_EXTENSIONS:
        try:
            document_text(suffix, raw)
        except UnreadableDocument as exc:
            return str(exc)
        return ""
    if b"\x00" in raw:
        return "binary content, not text (NUL bytes)"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"binary or not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 text"
    return ""


def size_text(n: int) -> str:
    """'20 MB', '1.5 MB', '5 kB', '300 bytes'."""
    if n >= 1048576:
        return f"{n / 1048576:.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{round(n / 1024)} kB"
    return f"{n} bytes"


def stored_with_hash(folder: Path, digest: str) -> str | None:
    """The name of a file in ``folder`` (below it, too) whose bytes have ``digest``, or None."""
    for p in sorted(folder.rglob("*")):
        stored = p.is_file() and not p.is_symlink() and not p.name.startswith(".")
        if stored and hashlib.sha256(p.read_bytes()).hexdigest() == digest:
            return p.relative_to(folder).as_posix()
    return None


def _store(name: str, raw: bytes, folder: Path, digest: str) -> SavedArticle:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        for candidate in candidate_names(name):
            try:
                os.link(tmp, folder / candidate)  # fails, never replaces, when the name is taken
            except FileExistsError:
                continue
            notice = "" if candidate == name else f"saved as {candidate}: another article is stored as {name}"
            return SavedArticle(name, candidate, folder / candidate, digest, notice)
    finally:
        os.unlink(tmp)
    raise FileExistsError(f"{folder}: no free name for {name}")


def candidate_names(name: str, tries: int = 1000):
    """``name``, then ``stem-2.ext``, ``stem-3.ext``, ..."""
    stem, suffix = Path(name).stem, Path(name).suffix
    yield name
    for n in range(2, tries + 2):
        yield f"{stem}-{n}{suffix}"


def pasted_article(title: str, published: str, source: str, text: str) -> tuple[str, bytes] | Problem:
    """(file name, bytes) of a pasted article as a .txt file with ``title:``, ``date:`` and
    ``source:`` header lines, or a Problem saying what is missing."""
    title = " ".join(_CONTROL.sub(" ", title).split())
    source = " ".join(_CONTROL.sub(" ", source).split())
    name = (_SLUG.sub("-", title.lower()).strip("-")[:60] or "pasted-article") + ".txt"
    if not title:
        return Problem("pasted text", "give the article a title")
    if not text.strip():
        return Problem(name, "the pasted text is empty")
    lines = [f"title: {title}"]
    if published.strip():
        try:
            lines.append(f"date: {publication_day(published.strip())}")
        except ValueError as exc:
            return Problem(name, f"publication date: {exc}")
    if source:
        lines.append(f"source: {source}")
    body = text.replace("\r\n", "\n").strip("\n")
    return name, ("\n".join(lines) + "\n\n" + body + "\n").encode("utf-8")
