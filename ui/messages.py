"""Messages a user sees instead of a traceback."""
from __future__ import annotations

import streamlit as st

from geo.errors import DataError, TalksAtlasError

NO_MATCH = ("No meetings match these filters. Widen the year range, or clear the mediator, "
            "level or status choices in the sidebar.")


def data_problem(exc: TalksAtlasError) -> None:
    """The data could not be loaded: name the file, row, field and the command that rebuilds it."""
    if isinstance(exc, DataError):
        lines = [str(p) for p in exc.problems[:20]]
        if len(exc.problems) > 20:
            lines.append(f"... and {len(exc.problems) - 20} more problems")
        body = "\n".join(f"- `{line}`" for line in lines)
        hint = f"\n\n{exc.hint}" if exc.hint else ""
        st.error(f"**The data tables cannot be loaded.**\n\n{body}{hint}")
    else:
        st.error(f"**Talks Atlas cannot start:** {exc}")


def no_match() -> None:
    st.info(NO_MATCH)
