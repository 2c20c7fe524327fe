"""Messages a user sees instead of a traceback."""
from __future__ import annotations

import streamlit as st

from geo.core.errors import DataError, TalksAtlasError

NO_MATCH = ("No meetings match these filters. Widen the year range, or clear the mediator, "
            "level or status choices in the sidebar.")
FENCE = "`" * 3


def data_problem(exc: TalksAtlasError) -> None:
    """The data could not be loaded: name the file, row, field and the command that rebuilds it."""
    if isinstance(exc, DataError):
        lines = [str(p) for p in exc.problems[:20]]
        if len(exc.problems) > 20:
            lines.append(f"... and {len(exc.problems) - 20} more problems")
        if exc.hint:
            lines += ["", exc.hint]
        st.error(f"**The data tables cannot be loaded.**\n\n{verbatim(lines)}")
    else:
        st.error(f"**Talks Atlas cannot start:**\n\n{verbatim(str(exc).splitlines())}")


def verbatim(lines: list[str]) -> str:
    """A fenced block: cell values quoted in a message show as typed, never as markdown/links."""
    text = "\n".join(lines).replace(FENCE, "'''")
    return f"{FENCE}text\n{text}\n{FENCE}"


def no_match() -> None:
    st.info(NO_MATCH)
