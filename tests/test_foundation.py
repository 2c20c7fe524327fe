"""Schema validation, atomic writes and filter semantics."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from geo.core import atomic
from geo.core.errors import DataError, UsageError
from geo.core.schema import load_dataset, load_meetings
from geo.present.filters import FilterOptions, Filters, apply, count_line, describe, from_cli, from_query, to_query


@pytest.fixture()
def data_copy(tmp_path, fixture_data):
    for name in ("venues.csv", "meetings.csv", "mediators.csv"):
        shutil.copy(fixture_data / name, tmp_path / name)
    return tmp_path


def test_test_data_loads(fixture_data):
    ds = load_dataset(fixture_data)
    assert len(ds.meetings) == 9
    assert set(ds.meetings["venue"]) <= set(ds.venues["venue"])


def _edit(path, row, column, value):
    import csv

    rows = list(csv.DictReader(path.open()))
    rows[row - 2][column] = value
    atomic.write_csv(path, list(rows[0].keys()), rows)


@pytest.mark.parametrize(
    "row, column, value, message",
    [
        (2, "date", "2022-13-01", "bad date"),
        (2, "mediators", "Narnia", "unknown mediator 'Narnia'"),
        (2, "venue", "Atlantis", "unknown venue 'Atlantis'"),
        (2, "level", "kings", "not one of"),
        (3, "id", "f-2016-05-16-vienna", "duplicate id 'f-2016-05-16-vienna' (first on row 2)"),
        (2, "date_precision", "month", "written at day precision"),
        (2, "evidence", "nofile", "bad evidence reference"),
    ],
)
def test_bad_meeting_cells_name_file_row_and_field(data_copy, row, column, value, message):
    _edit(data_copy / "meetings.csv", row, column, value)
    with pytest.raises(DataError) as err:
        load_dataset(data_copy)
    text = str(err.value)
    assert f"meetings.csv, row {row}" in text
    assert message in text


def test_missing_column_is_named(data_copy):
    import pandas as pd

    df = pd.read_csv(data_copy / "meetings.csv", dtype=str).drop(columns=["mediators"])
    df.to_csv(data_copy / "meetings.csv", index=False)
    with pytest.raises(DataError, match=r"row 1, field 'mediators': column is missing"):
        load_meetings(data_copy / "meetings.csv")


def test_missing_file_names_it_and_the_rebuild_command(tmp_path):
    with pytest.raises(DataError) as err:
        load_dataset(tmp_path)
    assert "venues.csv: file not found" in str(err.value)
    assert "python -m geo build" in str(err.value)


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "t.csv"
    atomic.write_csv(target, ["a"], [{"a": 1}])

    def rows():
        yield {"a": 2}
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        atomic.write_csv(target, ["a"], rows())
    assert target.read_text() == "a\n1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


@pytest.fixture()
def ds(fixture_data):
    return load_dataset(fixture_data)


@pytest.fixture()
def opts(ds):
    return FilterOptions.from_data(ds.meetings, ds.mediators)


@pytest.mark.parametrize(
    "filters, venues",
    [
        (Filters(), 7),
        (Filters(mediators=("Russia",)), 2),
        (Filters(mediators=("none",)), 2),
        (Filters(mediators=("EU",), year_from=2022, year_to=2022), 2),
        (Filters(levels=("foreign ministers",)), 3),
        (Filters(year_from=2024), 3),
        (Filters(until=date(2022, 12, 31)), 4),
    ],
)
def test_apply(ds, filters, venues):
    assert apply(ds.meetings, filters)["venue"].nunique() == venues


def test_query_roundtrip_and_bad_values(opts):
    f = Filters(mediators=("Russia", "EU"), year_from=2016, year_to=2024, levels=("leaders",))
    assert from_query(to_query(f), opts) == (f, [])
    f2, notices = from_query({"mediator": ["russia", "Narnia"], "from": "abc", "level": "kings", "until": "x"}, opts)
    assert f2 == Filters(mediators=("Russia",))
    assert len(notices) == 4


def test_out_of_range_link_year_is_clamped_with_a_notice(opts):
    f, notices = from_query({"from": "1990", "to": "2030"}, opts)
    assert (f.year_from, f.year_to) == (opts.year_min, opts.year_max)
    assert len(notices) == 2 and "outside the data" in notices[0]


def test_cli_filters_reject_bad_values_listing_valid_ones(opts):
    with pytest.raises(UsageError, match="valid mediators: Russia, EU"):
        from_cli(opts, mediators=["Narnia"])
    with pytest.raises(UsageError, match="impossible year range"):
        from_cli(opts, year_from=2024, year_to=2016)


@pytest.mark.parametrize(
    "mediators, title",
    [
        ((), "Armenia–Azerbaijan talks, 2016–2024"),
        (("Russia",), "Armenia–Azerbaijan talks, 2016–2021, mediated by Russia"),
        (("Russia", "EU"), "Armenia–Azerbaijan talks, 2016–2022, mediated by Russia or European Union"),
        (("none",), "Armenia–Azerbaijan talks, 2024, direct talks"),
        (("Russia", "none"), "Armenia–Azerbaijan talks, 2016–2024, mediated by Russia, and direct talks"),
        (("Russia", "Germany"), "Armenia–Azerbaijan talks, 2016–2021, mediated by Russia"),  # Germany: none shown
    ],
)
def test_default_title(ds, opts, mediators, title):
    from geo.present.filters import default_title

    f = Filters(mediators=mediators)
    assert default_title(f, opts, apply(ds.meetings, f)) == title


def test_words(ds, opts):
    f = Filters(mediators=("Russia",), year_from=2016, year_to=2024, levels=("leaders",))
    assert describe(f, opts, apply(ds.meetings, f)) == "Leaders level"
    assert count_line(apply(ds.meetings, f)) == "2 meetings at 2 venues, 2016–2021"
    assert count_line(ds.meetings.iloc[0:0]) == "No meetings match the filters"
