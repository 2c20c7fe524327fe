"""What a briefing picture says about itself, for readers who cannot see it: the slide's
description (the alt text the Briefing page offers: count, span, mediators, venues) and the
title and description written into the files (PNG text chunks; GIF and MP4 carry theirs in
geo.present.timelapse).

All of it is plain text, never markup: names from the data stay as they are (a reader of a PNG's
"Description" gets the characters, not HTML entities), and the page shows it in a text area.
"""

from __future__ import annotations

import io
import zlib

import pandas as pd

from geo.core.dates import When
from geo.present.brief import MAP_CREDIT, Brief

MAX_VENUES = 20  # more venues than this become "and N more": a description is a paragraph, not a table


def meetings_in_order(meetings: pd.DataFrame) -> pd.DataFrame:
    """The meetings as the slide and the time-lapse count them: by date, then id."""
    return meetings.sort_values(["when", "id"], kind="stable")


def span(meetings: pd.DataFrame) -> str:
    """'20 June 2016 to 6 October 2022' (each date at its precision), 'on 6 October 2022' for one day."""
    ordered = meetings_in_order(meetings)
    first, last = When.parse(ordered["date"].iloc[0]).human(), When.parse(ordered["date"].iloc[-1]).human()
    return f"on {first}" if first == last else f"from {first} to {last}"


def venue_list(meetings: pd.DataFrame) -> str:
    """'Sochi (2 meetings), Brussels, Prague' in order of each venue's first meeting."""
    counts = meetings_in_order(meetings)["venue"].astype(str).value_counts(sort=False)  # no unused categories
    named = [f"{v} ({n} meetings)" if n > 1 else str(v) for v, n in counts.items()]
    rest = len(named) - MAX_VENUES
    return ", ".join(named[:MAX_VENUES]) + (f" and {rest} more" if rest > 0 else "")


def mediator_list(brief: Brief) -> str:
    """The legend in words: 'Russia, European Union, direct talks (hollow circles)'."""
    return ", ".join(f"{s.label} (hollow circles)" if s.hollow else s.label for s in brief.legend)


def sentence(text: str) -> str:
    """The text with a full stop, unless it already ends in one (or in ? or !)."""
    return text if text.rstrip().endswith((".", "?", "!")) else f"{text}."


def describe(brief: Brief, meetings: pd.DataFrame, kind: str = "Map slide") -> str:
    """The description of a slide showing ``meetings`` (already filtered): what someone who cannot
    see the picture needs to know it shows. ``kind``: 'Map slide', or for a time-lapse its own words."""
    lines = [sentence(f"{kind}: {brief.title}")]
    if brief.subtitle:
        lines.append(sentence(brief.subtitle))
    if not len(meetings):
        lines.append("No meetings match the filters: the map shows no venue.")
    else:
        lines.append(f"{brief.count}; {span(meetings)}.")
        if brief.legend:
            lines.append(f"Mediators (circle colours): {mediator_list(brief)}.")
        lines.append(f"Venues on the map: {venue_list(meetings)}.")
    lines.append(f"Data as of {brief.data_date}. {MAP_CREDIT}." if brief.data_date else f"{MAP_CREDIT}.")
    return "\n".join(lines)


def png_with_text(png: bytes, title: str, description: str) -> bytes:
    """The PNG with "Title" and "Description" text chunks (tEXt when the text is Latin-1, else
    iTXt, which holds UTF-8), inserted after the header chunk: the image data is not decoded or
    re-encoded, so the pixels are the very bytes Chromium wrote (and no time goes to Pillow)."""
    if png[:8] != PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise ValueError("not a PNG file")
    header_end = 8 + 4 + 4 + int.from_bytes(png[8:12], "big") + 4  # signature, IHDR (length, type, data, CRC)
    chunks = _text_chunk("Title", title) + _text_chunk("Description", description)
    return png[:header_end] + chunks + png[header_end:]


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _text_chunk(keyword: str, text: str) -> bytes:
    """One PNG text chunk (PNG specification, section 11.3.3): tEXt for Latin-1, else iTXt
    (uncompressed, no language tag)."""
    try:
        kind, data = b"tEXt", keyword.encode("latin-1") + b"\0" + text.encode("latin-1")
    except UnicodeEncodeError:
        kind, data = b"iTXt", keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def png_text(png: bytes) -> dict[str, str]:
    """The text chunks of a PNG (tEXt, zTXt, iTXt) by keyword."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as img:
        img.load()
        return {str(k): str(v) for k, v in getattr(img, "text", {}).items()}
