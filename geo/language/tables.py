"""The columns of a word list (``data/lexicon/<language>/<list>.csv``).

Kept here, beside its only reader, until the table catalogue in :mod:`geo.core.schema`
takes it in.
"""
from __future__ import annotations

from geo.core.schema import Column, Table

WORD_LIST_COLUMNS = (
    Column("word"),  # a word or phrase, as it is written in text
    Column("used_by", "list"),  # the rules that read it: "places", "meetings.future", ...
    Column("unless_after", required=False),  # a word right before it that cancels it ("press" conference)
    Column("note", required=False),
)


def word_list_table(name: str) -> Table:
    """The table of one list ("cues" -> cues.csv): one row a word, each word once."""
    return Table(f"{name}.csv", WORD_LIST_COLUMNS, key="word", optional_columns=("unless_after", "note"))
