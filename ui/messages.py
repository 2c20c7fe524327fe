"""Messages a user sees instead of a traceback, and the one home for showing untrusted text
(an article's title, a URL value, a data cell) through Streamlit calls that render Markdown."""

from __future__ import annotations

import re

import streamlit as st

from geo.core.errors import DataError, TalksAtlasError, clip

NO_MATCH = (
    "No meetings match these filters. Widen the year range, or clear the mediator, "
    "level or status choices in the sidebar."
)
FENCE = "`" * 3
LINE_LIMIT = 500  # characters of one problem line shown (a data cell can be 100 kB)

# Every ASCII punctuation character: CommonMark lets each be backslash-escaped, so the text shows
# literally — no link, image, HTML tag, emphasis, code, maths ($) or Streamlit directive (:red[...]).
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Streamlit's Markdown (remark-gfm) turns bare URLs and e-mail addresses into links *after* the
# escapes are undone, so an invisible WORD JOINER (U+2060) after "://", "www" and "@" keeps them text.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(://|@|\bwww(?=\.))", re.IGNORECASE)


def plain(text: object, limit: int | None = None) -> str:
    """Untrusted text for st.markdown, st.caption, st.warning, st.table cells, ...: shown as
    typed, on one line, never as markup (optionally cut to ``limit`` characters)."""
    text = _CONTROL.sub(" ", str(text))
    if limit is not None:
        text = clip(text, limit)
    text = _AUTOLINK.sub(lambda m: m.group(0) + WORD_JOINER, text)
    return _MD_SPECIAL.sub(r"\\\1", text)


def data_problem(exc: TalksAtlasError) -> None:
    """The data could not be loaded: name the file, row, field and the command that rebuilds it."""
    if isinstance(exc, DataError):
        lines = [clip(p, LINE_LIMIT) for p in exc.problems[:20]]
        if len(exc.problems) > 20:
            lines.append(f"... and {len(exc.problems) - 20} more problems")
        if exc.hint:
            lines += ["", exc.hint]
        st.error(f"**The data tables cannot be loaded.**\n\n{verbatim(lines)}")
    else:
        st.error(f"**Talks Atlas cannot start:**\n\n{verbatim(str(exc).splitlines())}")


def verbatim(lines: list[str]) -> str:
    """A fenced block: cell values quoted in a message show as typed, never as markdown/links."""
    text = "\n".join(clip(line, LINE_LIMIT) for line in lines).replace(FENCE, "'''")
    return f"{FENCE}text\n{text}\n{FENCE}"


def no_match() -> None:
    st.info(NO_MATCH)
