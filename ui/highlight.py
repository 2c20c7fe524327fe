"""Article text as HTML with spans highlighted (pure Python: no streamlit).

Every piece of the article is escaped; only our own ``<mark>``/``<span>`` tags are added.
Overlapping spans are fine: the text is cut at every span boundary and each piece carries the
styles of all spans covering it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

STYLES = {
    "evidence": "background:#fff59d;padding:0 1px;",
    "place": "border-bottom:2px solid #1565c0;",
    "venue": "border-bottom:2px solid #c62828;",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a key of STYLES
    note: str = ""  # tooltip (escaped)


def highlight_html(text: str, spans: Iterable[Span]) -> str:
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text) and s.kind in STYLES]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(text[a:b])
        active = [s for s in spans if s.start <= a and b <= s.end]
        if not active:
            out.append(piece)
            continue
        style = "".join(dict.fromkeys(STYLES[s.kind] for s in active))
        note = "; ".join(dict.fromkeys(s.note for s in active if s.note))
        tag = "mark" if any(s.kind == "evidence" for s in active) else "span"
        out.append(
            f'<{tag} class="{" ".join(sorted({s.kind for s in active}))}" style="{style}"'
            f' title="{html.escape(note, quote=True)}">{piece}</{tag}>'
        )
    return (
        '<div class="article-text" style="white-space:pre-wrap;font-family:Georgia,serif;'
        'line-height:1.55;max-height:70vh;overflow-y:auto;border:1px solid #ddd;padding:12px;">'
        + "".join(out)
        + "</div>"
    )
