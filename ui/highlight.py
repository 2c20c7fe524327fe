"""Article text as HTML with spans highlighted (pure Python: no streamlit).

The HTML is the template ``geo/present/templates/article_text.html.j2``; every piece of the
article goes in as a template value and is escaped there, so only our own ``<mark>``/``<span>``
tags are added. Overlapping spans are fine: the text is cut at every span boundary and each
piece carries the classes of all spans covering it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.present.markup import render

KINDS = ("evidence", "place", "venue")  # the classes the template styles
TEMPLATE = "article_text.html.j2"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # one of KINDS
    note: str = ""  # tooltip (escaped)


@dataclass(frozen=True)
class Piece:
    text: str
    tag: str = ""  # "mark" (evidence), "span" (a place) or "" (plain text)
    classes: str = ""
    title: str = ""


def pieces(text: str, spans: Iterable[Span]) -> list[Piece]:
    """The text cut at every span boundary, each piece with the spans that cover it."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text) and s.kind in KINDS]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in spans if s.start <= a and b <= s.end]
        if not active:
            out.append(Piece(text[a:b]))
            continue
        out.append(
            Piece(
                text[a:b],
                "mark" if any(s.kind == "evidence" for s in active) else "span",
                " ".join(sorted({s.kind for s in active})),
                "; ".join(dict.fromkeys(s.note for s in active if s.note)),
            )
        )
    return out


def highlight_html(text: str, spans: Iterable[Span], cut_before: bool = False, cut_after: bool = False) -> str:
    """``text`` as escaped HTML with ``spans`` marked; ``cut_before``/``cut_after``: the text is an
    excerpt, and an ellipsis says so."""
    return render(TEMPLATE, pieces=pieces(text, spans), cut_before=cut_before, cut_after=cut_after)
