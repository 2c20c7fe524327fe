"""The Parquet copies of meetings and venues: published in the same snapshot as their CSVs, read
instead of validating the CSVs when they were made from the very bytes on disk, and ignored
(the CSVs validated, every problem named) when missing, stale or unreadable."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from killpoints import killer

from geo.core import columnar, schema, snapshot
from geo.core.errors import DataError
from geo.core.paths import ROOT
from geo.core.schema import MEETINGS, VENUES, load_dataset, load_meetings, load_venues

TABLES = (VENUES, MEETINGS)


def publish_tables(folder: Path) -> None:
    """What a build does with its tables: publish them (the Parquet copies come along)."""
    snapshot.publish(folder, {t.name: (folder / t.name).read_bytes() for t in TABLES})


@pytest.fixture()
def data(tmp_path: Path, fixture_data: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(fixture_data, d)
    publish_tables(d)
    return d


def validated(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    venues = load_venues(folder / VENUES.name)
    return venues, load_meetings(folder / MEETINGS.name, set(venues["venue"]))


@pytest.fixture()
def no_csv_reading(monkeypatch):
    """Reading meetings.csv or venues.csv cell by cell fails the test: the copies must serve."""
    real = schema.read_raw

    def guarded(path, table, *a, **k):
        assert table not in TABLES, f"{Path(path).name} was validated although its Parquet copy is current"
        return real(path, table, *a, **k)

    monkeypatch.setattr(schema, "read_raw", guarded)


def test_publish_writes_a_parquet_copy_beside_each_columnar_csv(data):
    assert [t.name for t in columnar.columnar_tables()] == [MEETINGS.name, VENUES.name]
    for table in TABLES:
        assert (data / columnar.parquet_name(table)).is_file()


def test_the_copies_give_the_csv_validated_frames_dtypes_included(data, no_csv_reading):
    ds = load_dataset(data, copies=True)
    assert not ds.fresh_copies  # read from the copies: nothing to refresh
    venues, meetings = validated_without_guard(data)
    pd.testing.assert_frame_equal(ds.venues, venues)
    pd.testing.assert_frame_equal(ds.meetings, meetings)
    assert ds.meetings["venue"].dtype == "category" and ds.meetings["mediator_list"].dtype == "category"
    assert all(isinstance(ms, tuple) for ms in ds.meetings["mediator_list"])


def test_the_meetings_copy_carries_the_provenance_cells_and_the_app_parses_them(data, no_csv_reading):
    import pyarrow.parquet as pq

    stored = pq.read_schema(data / columnar.parquet_name(MEETINGS)).names
    assert "provenance" in stored and "prov" not in stored  # the cell is stored, its parse derived
    ds = load_dataset(data)
    assert ds.meetings["provenance"].dtype == "category"  # most meetings share one cell
    given = {i: dict(p.fields) for i, p in zip(ds.meetings["id"], ds.meetings["prov"]) if p.fields}
    assert given and all(p.recorded for p in ds.meetings["prov"])


def validated_without_guard(folder: Path):
    """The CSV-validated frames, read past the ``no_csv_reading`` guard."""
    from geo.core import tables

    venues = schema.stored_venues(schema._frame(tables.read_raw(folder / VENUES.name, VENUES), VENUES))
    rows = tables.read_raw(folder / MEETINGS.name, MEETINGS)
    return venues, schema.meetings_frame(rows.cells)


def test_frames_read_from_csv_and_from_parquet_are_equal(data):
    from_copies = load_dataset(data)
    for table in TABLES:
        (data / columnar.parquet_name(table)).unlink()
    from_csv = load_dataset(data)
    pd.testing.assert_frame_equal(from_copies.meetings, from_csv.meetings)
    pd.testing.assert_frame_equal(from_copies.venues, from_csv.venues)


def test_a_fresh_clone_without_copies_validates_the_csvs_and_offers_copies(data, monkeypatch):
    for table in TABLES:
        (data / columnar.parquet_name(table)).unlink()
    ds = load_dataset(data, copies=True)
    assert sorted(ds.fresh_copies) == ["meetings.parquet", "venues.parquet"]
    pd.testing.assert_frame_equal(ds.meetings, validated(data)[1])
    snapshot.publish(data, ds.fresh_copies)  # what the app does once per data version
    real = schema.read_raw
    monkeypatch.setattr(
        schema, "read_raw", lambda p, t, *a, **k: pytest.fail("validated again") if t in TABLES else real(p, t, *a, **k)
    )
    again = load_dataset(data, copies=True)
    assert not again.fresh_copies
    pd.testing.assert_frame_equal(again.meetings, ds.meetings)


def edit_cell(path: Path, column: str, value: str, row: int = 2) -> None:
    """An analyst's hand edit: one cell of spreadsheet row ``row``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_csv_edited_by_hand_is_validated_and_its_error_named(data):
    edit_cell(data / MEETINGS.name, "level", "emperors")
    with pytest.raises(DataError) as err:
        load_dataset(data)
    text = str(err.value)
    assert "meetings.csv" in text and "row 2" in text and "level" in text and "emperors" in text


def test_a_good_hand_edit_is_read_from_the_csv_not_the_stale_copy(data):
    venue = load_dataset(data).venues["venue"].iloc[0]
    edit_cell(data / VENUES.name, "lat", "12.5")
    ds = load_dataset(data, copies=True)
    assert ds.venues.set_index("venue").at[venue, "lat"] == 12.5
    assert sorted(ds.fresh_copies) == ["meetings.parquet", "venues.parquet"]


def test_a_vocabulary_change_is_checked_on_the_copies_too(data):
    """mediators.csv is the project's, edited apart from the build: a mediator the meetings use
    and the vocabulary no longer has sends the load to the CSVs, which name the row."""
    used = load_dataset(data).meetings["mediator_list"].map(lambda ms: ms[0] if ms else "").astype(str)
    gone = next(m for m in used if m and m != "none")
    lines = (data / "mediators.csv").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith(gone + ",")]
    (data / "mediators.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(data)
    assert "unknown mediator" in str(err.value) and "meetings.csv" in str(err.value)


@pytest.mark.parametrize("damage", [b"not parquet at all", b""])
def test_an_unreadable_copy_is_ignored(data, damage):
    (data / "meetings.parquet").write_bytes(damage)
    pd.testing.assert_frame_equal(load_dataset(data).meetings, validated(data)[1])


def test_a_copy_of_an_older_format_is_stale(data, monkeypatch):
    monkeypatch.setattr(columnar, "FORMAT", columnar.FORMAT + 1)
    assert load_dataset(data, copies=True).fresh_copies


def test_a_copy_written_before_a_column_was_declared_is_stale(data, monkeypatch):
    from dataclasses import replace

    from geo.core.tables import Column

    wider = replace(MEETINGS, columns=(*MEETINGS.columns, Column("provenance", required=False)))
    assert columnar.read(data, wider, columnar.Source.of_file(data / MEETINGS.name)) is None
    assert columnar.read(data, MEETINGS, columnar.Source.of_file(data / MEETINGS.name)) is not None


def test_a_csv_that_is_not_its_table_gets_no_copy(tmp_path):
    snapshot.publish(tmp_path, {"meetings.csv": b"just,a,header\n1,2,3\n"})
    assert not (tmp_path / "meetings.parquet").exists()


KILLER = killer(
    """
    from geo.core import snapshot
    new = Path(sys.argv[3])
    snapshot.publish(sys.argv[1], {n: (new / n).read_bytes() for n in ("venues.csv", "meetings.csv")})
    print("finished")
    """,
    budget_arg=2,
)


@pytest.mark.slow
def test_a_kill_during_publish_leaves_csv_and_parquet_of_one_snapshot(tmp_path, fixture_data):
    """SIGKILL at the k-th rename or fsync of a publish, for every k until one finishes: after
    recovery, each Parquet copy stands for the CSV beside it (old with old, new with new)."""
    new = tmp_path / "new"
    shutil.copytree(fixture_data, new)
    edit_cell(new / MEETINGS.name, "level", "other")  # the new snapshot differs from the old
    for k in range(200):
        folder = tmp_path / f"run{k}"
        shutil.copytree(fixture_data, folder)
        publish_tables(folder)
        run = subprocess.run(
            [sys.executable, "-c", KILLER, str(folder), str(k), str(new)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        finished = "finished" in run.stdout
        assert finished or run.returncode == -signal.SIGKILL, run.stderr
        with snapshot.reading(folder):
            for table in TABLES:
                csv = folder / table.name
                assert columnar.read(folder, table, columnar.Source.of_file(csv)) is not None, (k, table.name)
        if finished:
            break
    else:
        pytest.fail("the publish never finished")
