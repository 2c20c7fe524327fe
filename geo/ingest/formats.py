"""Text out of PDF and Word (.docx) files, for geo.ingest.corpus.

Evidence offsets (``FILE:START-END``) of such an article index into the text extracted here,
not into the file's bytes:

- ``.pdf`` (pypdf): each page's text layer (``page.extract_text()``), pages joined by one blank
  line. The same file read by the same pypdf version gives the same text; articles.csv records
  its hash, so a change of extraction is noticed (the quote is withheld, never misplaced).
- ``.docx`` (python-docx): the paragraphs of the body in order, one per line; table cells follow
  the paragraphs, one cell per line.

A PDF without a text layer (a scan) is refused with :data:`NO_TEXT_LAYER`, never read as empty.
"""

from __future__ import annotations

import io
import logging
import zipfile

DOCUMENT_EXTENSIONS = (".pdf", ".docx")
NO_TEXT_LAYER = "no text layer: scanned? run OCR first"


class UnreadableDocument(ValueError):
    """The file cannot give text; the message says why in a user's words."""


def document_text(suffix: str, raw: bytes) -> tuple[str, str]:
    """(text, title) of a .pdf or .docx file's bytes; the title from the file's properties ('' if none).

    Raises UnreadableDocument (not a PDF/Word file, encrypted, no text layer, no text)."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        return pdf_text(raw)
    if suffix == ".docx":
        return docx_text(raw)
    raise UnreadableDocument(f"{suffix or 'a file without extension'} is not a PDF or Word (.docx) file")


def pdf_text(raw: bytes) -> tuple[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not raw.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadableDocument("not a PDF file (it does not start with %PDF)")
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # pypdf logs repairs of slightly broken files as warnings
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise UnreadableDocument("the PDF is encrypted; save an unprotected copy first")
        pages = [(page.extract_text() or "").strip("\n") for page in reader.pages]
        title = _pdf_title(reader)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, UnreadableDocument):
            raise
        raise UnreadableDocument(f"not a readable PDF ({exc})") from None
    finally:
        quiet.setLevel(level)
    if not any(p.strip() for p in pages):
        raise UnreadableDocument(NO_TEXT_LAYER)
    return "\n\n".join(pages) + "\n", title


def _pdf_title(reader) -> str:
    meta = reader.metadata
    title = meta.title if meta is not None else None
    return " ".join(str(title).split()) if title else ""


def docx_text(raw: bytes) -> tuple[str, str]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocument(f"not a readable Word (.docx) file ({exc})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        raise UnreadableDocument("the Word file has no text")
    title = " ".join((document.core_properties.title or "").split())
    return text + "\n", title
