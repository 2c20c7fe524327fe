"""Tiny PDF and Word files made inside the tests (no binary fixtures in the repository)."""

from __future__ import annotations

import io


def make_pdf(lines: list[str] | None = None, title: str | None = None) -> bytes:
    """A one-page PDF written by hand: with ``lines`` a Helvetica text layer, without one a page
    holding only a drawn rectangle (what a scan looks like to a text extractor)."""
    if lines:
        ops = ["BT /F1 12 Tf 72 720 Td 14 TL"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({safe}) Tj T*")
        ops.append("ET")
    else:
        ops = ["0 0 1 rg 100 100 200 200 re f"]
    stream = "\n".join(ops).encode("latin-1")
    info = f"<< /Title ({title}) >>".encode("latin-1") if title else b"<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_docx(paragraphs: list[str], title: str = "") -> bytes:
    """A Word file written by python-docx, one paragraph per item."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
