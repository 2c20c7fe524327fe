"""The table catalogue (geo.core.tables): one declaration per table, typed rows, the README list."""

from __future__ import annotations

import re
from datetime import date

import pytest

from geo.core.dates import When
from geo.core.errors import DataError
from geo.core.paths import DATA, ROOT
from geo.core.tables import DATA_TABLES, GOLD, MEETINGS, OWNERS, SPLIT, VENUES, read_table, record_fields

ALL = DATA_TABLES + (GOLD, SPLIT)


def _readme_tables() -> dict[str, tuple[str, str]]:
    """file -> (owner, what) from the README's "Tables in data/" list."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Tables in `data/`", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+\.csv)` \| ([^|]+) \| (.+) \|$", section, re.MULTILINE)
    return {name: (owner.strip("* ").split()[0], what) for name, owner, what in rows}


def test_readme_lists_every_table_of_the_catalogue_and_nothing_else():
    readme = _readme_tables()
    assert set(readme) == {t.name for t in DATA_TABLES}
    for t in DATA_TABLES:
        assert readme[t.name] == (t.owner, t.description), t.name


@pytest.mark.parametrize("table", ALL, ids=lambda t: t.name)
def test_each_table_is_declared_completely(table):
    assert table.owner in OWNERS and table.description
    assert record_fields(table) == ["row", *table.names]  # the typed row follows the columns
    assert set(table.optional_columns) <= set(table.names)
    assert table.key is None or table.key in table.names


def test_names_are_unique():
    names = [t.name for t in ALL]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("table", [t for t in DATA_TABLES if (DATA / t.name).exists()], ids=lambda t: t.name)
def test_committed_tables_read_as_typed_rows(table):
    rows = read_table(DATA / table.name, table)
    assert all(isinstance(r, table.record) for r in rows)
    assert [r.row for r in rows] == sorted({r.row for r in rows}) and all(r.row >= 2 for r in rows)


def test_cells_become_values():
    (first, *_) = read_table(DATA / MEETINGS.name, MEETINGS)
    assert isinstance(first.date, When) and first.date.precision == first.date_precision
    assert isinstance(first.mediators, tuple) and isinstance(first.confidence, float)
    venue = read_table(DATA / VENUES.name, VENUES)[0]
    assert (
        isinstance(venue.lat, float) and isinstance(venue.first_date, When) and venue.first_date.value <= date.today()
    )


def test_empty_optional_cells_are_none_or_empty(tmp_path):
    p = tmp_path / "venues.csv"
    p.write_text(",".join(VENUES.names) + "\nKazan,RU,55.8,49.1,,city,gazetteer,,,,\n")
    (row,) = read_table(p, VENUES)
    assert (row.row, row.geonames_id, row.mentions, row.documents, row.first_date) == (2, None, None, (), None)


def test_bad_cell_names_file_row_and_field(tmp_path):
    p = tmp_path / "venues.csv"
    p.write_text(",".join(VENUES.names) + "\nKazan,RU,55.8,49.1,,city,gazetteer,,,2024-13,\n")
    with pytest.raises(DataError, match=r"venues.csv, row 2, field 'first_date': bad date '2024-13'"):
        read_table(p, VENUES)


@pytest.mark.parametrize("path", sorted((DATA / "lexicon").glob("*/*.csv")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_word_list_reads_as_typed_rows(path):
    from geo.core.tables import WordRow, word_list_table

    rows = read_table(path, word_list_table(path.stem))
    assert rows and all(isinstance(r, WordRow) and r.word and r.used_by for r in rows)
