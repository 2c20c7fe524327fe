"""Validation across cells and loading for the app: the checks one cell cannot tell
(meetings against venues and mediators, curation decisions) and the DataFrames the pages draw.

The tables themselves (file names, owners, columns, typed rows) are declared in
:mod:`geo.core.tables`; every reader of ``data/*.csv`` goes through its :func:`read_table`
(typed rows) or :func:`read_raw` (checked cells), which report *every* problem with file, row
and field and never silently drop a row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from geo.core.dates import PRECISIONS, When
from geo.core.errors import DataError, Problem
from geo.core.paths import display
from geo.core.provenance import check_time, decode
from geo.core.tables import (  # noqa: F401  (the app and the filters read them here)
    ARTICLES,
    BUILD,
    CURATION,
    LEVELS,
    MEDIATORS,
    MEETING_FIELDS,
    MEETINGS,
    PLACES,
    REBUILD_HINT,
    STATUSES,
    VENUES,
    Cells,
    CurationRow,
    Table,
    check_cell,
    parse_evidence,
    read_raw,
    read_table,
    split_list,
)

# Fields an analyst may set with ``edit``/``add`` (documents follow from the evidence; provenance
# is what the decisions themselves say).
CURATION_FIELDS = tuple(name for name in MEETINGS.names if name not in ("documents", "provenance"))


# ---------------------------------------------------------------------------------------------
# Loading for the app (DataFrames of the checked cells)


def _frame(rows: Cells, table: Table) -> pd.DataFrame:
    return pd.DataFrame(rows.cells, columns=table.names)


# The app's frames: the same columns for a table read from its checked CSV cells and for its
# Parquet copy (geo.core.columnar), so both give equal frames, dtypes included. Columns with few
# distinct values are categories (a million meetings take a few megabytes each instead of tens).
MEETING_CATEGORIES = (
    "date",
    "date_precision",
    "venue",
    "venue_detail",
    "mediators",
    "host",
    "level",
    "format",
    "participants",
    "event",
    "status",
    "documents",
    "notes",
    "provenance",
)
DERIVED = ("mediator_list", "participant_list", "prov")  # rebuilt on load from the categories, never stored


def frame_layout(table: Table) -> list[str]:
    """What a stored frame's shape depends on: its columns and which of them are categories."""
    return [*table.names, *(MEETING_CATEGORIES if table is MEETINGS else ())]


def stored_frame(table: Table, cells: pd.DataFrame) -> pd.DataFrame:
    """A columnar table's checked cells (strings, the table's columns) typed as it is stored."""
    if table is MEETINGS:
        return stored_meetings(cells)
    if table is VENUES:
        return stored_venues(cells)
    raise ValueError(f"{table.name} has no columnar form")


def app_frame(table: Table, stored: pd.DataFrame) -> pd.DataFrame:
    """The stored frame with what the app derives from it (meetings: the lists)."""
    return with_lists(stored) if table is MEETINGS else stored


def stored_part(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The app frame without its derived columns: what the Parquet copy holds."""
    return frame.drop(columns=[c for c in DERIVED if c in frame.columns]) if table is MEETINGS else frame


def stored_venues(cells: pd.DataFrame) -> pd.DataFrame:
    df = cells.astype(str).reset_index(drop=True)
    df["lat"] = df["lat"].astype(float)
    df["lon"] = df["lon"].astype(float)
    df["mentions"] = pd.to_numeric(df["mentions"], errors="coerce").fillna(0).astype(int)
    return df


def load_venues(path: Path | str) -> pd.DataFrame:
    return stored_venues(_frame(read_raw(path, VENUES), VENUES))


def load_mediators(path: Path | str) -> pd.DataFrame:
    rows = read_raw(path, MEDIATORS, hint=None)
    problems = []
    for i, r in rows:
        if not re.match(r"^#[0-9a-fA-F]{6}$", r["colour"]):
            problems.append(Problem(display(path), f"{r['colour']!r} is not a #RRGGBB colour", i, "colour"))
    if problems:
        raise DataError(problems)
    return _frame(rows, MEDIATORS)


def validate_meetings(
    rows: Cells,
    shown: str,
    venues: set[str] | None = None,
    mediators: set[str] | None = None,
) -> list[Problem]:
    """Cross-field checks that a single cell cannot tell: precision agrees with the date,
    mediators from the vocabulary, venue known, evidence well-formed."""
    problems: list[Problem] = []
    for i, r in rows:
        if r.get("date") and r.get("date_precision") in PRECISIONS:
            try:
                form = When.parse(r["date"]).precision
                if form != r["date_precision"]:
                    problems.append(
                        Problem(
                            shown,
                            f"date {r['date']!r} is written at {form} precision "
                            f"but date_precision is {r['date_precision']!r}",
                            i,
                            "date_precision",
                        )
                    )
            except ValueError:
                pass  # reported by the cell check
        meds = split_list(r.get("mediators", ""))
        if mediators is not None:
            for m in meds:
                if m not in mediators:
                    problems.append(
                        Problem(
                            shown, f"unknown mediator {m!r} (known: {', '.join(sorted(mediators))})", i, "mediators"
                        )
                    )
        if "none" in meds and len(meds) > 1:
            problems.append(
                Problem(shown, "'none' (direct talks) cannot be combined with other mediators", i, "mediators")
            )
        if venues is not None and r.get("venue") and r["venue"] not in venues:
            problems.append(Problem(shown, f"unknown venue {r['venue']!r} (not in venues.csv)", i, "venue"))
        for ref in split_list(r.get("evidence", "")):
            try:
                parse_evidence(ref)
            except ValueError as exc:
                problems.append(Problem(shown, str(exc), i, "evidence"))
    return problems


def load_meetings(
    path: Path | str,
    venues: set[str] | None = None,
    mediators: set[str] | None = None,
) -> pd.DataFrame:
    """Load meetings.csv, validated, with derived columns for filtering:
    ``year`` (int), ``when`` (Timestamp at the start of the dated period),
    ``mediator_list`` and ``participant_list`` (tuples, as categories), ``prov`` (the ``provenance``
    cell as a :class:`geo.core.provenance.Provenance`, what every output shows)."""
    path = Path(path)
    rows = read_raw(path, MEETINGS)
    problems = validate_meetings(rows, display(path), venues, mediators)
    if problems:
        raise DataError(problems, REBUILD_HINT)
    return meetings_frame(rows.cells)


def meetings_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Meetings (checked cells) as the app's frame, sorted by date then id."""
    return with_lists(stored_meetings(pd.DataFrame(rows, columns=MEETINGS.names)))


def stored_meetings(cells: pd.DataFrame) -> pd.DataFrame:
    """Checked meeting cells typed: ``when`` (start of the dated period), ``year``, ``confidence``
    (a number), categories; sorted by date then id. Each distinct date is parsed once."""
    df = cells.astype(str)
    starts = {d: When.parse(d).value for d in df["date"].unique()}
    df["when"] = pd.to_datetime(pd.Series([starts[d] for d in df["date"]], index=df.index, dtype="object"))
    df["when"] = df["when"].astype("datetime64[ms]")  # the unit Parquet keeps
    df["year"] = df["when"].dt.year.astype("int64")
    df["confidence"] = pd.to_numeric(df["confidence"], errors="coerce").astype("float64")
    for c in MEETING_CATEGORIES:
        df[c] = df[c].astype("category")
    return df.sort_values(["when", "id"]).reset_index(drop=True)


def with_lists(stored: pd.DataFrame) -> pd.DataFrame:
    """``mediator_list`` and ``participant_list``: the ``;`` lists as tuples, one per distinct
    value (categories of tuples: a million rows share a few hundred tuples); ``prov``: the
    ``provenance`` cells parsed, once per distinct cell."""
    df = stored.copy(deep=False)
    for source, target in (("mediators", "mediator_list"), ("participants", "participant_list")):
        col = df[source].astype("category")
        lists = [tuple(split_list(v)) for v in col.cat.categories]
        distinct = list(dict.fromkeys(lists))  # "a;b" and "a; b" are one list
        at = {t: i for i, t in enumerate(distinct)}
        codes = np.array([at[t] for t in lists] + [-1], dtype="int64")[col.cat.codes.to_numpy()]
        tuples = pd.Index(distinct, dtype=object, tupleize_cols=False)
        df[target] = pd.Categorical.from_codes(codes, categories=tuples)
    df["prov"] = provenance_column(df["provenance"])
    return df


def provenance_column(cells: pd.Series) -> pd.Series:
    """The provenance cells, parsed once per distinct cell (most meetings share one)."""
    col = cells.astype("category")  # already one for the app's frames: codes, not a million strings
    parsed = np.empty(len(col.cat.categories) + 1, dtype=object)
    for i, cell in enumerate(col.cat.categories):
        parsed[i] = decode(str(cell), MEETING_FIELDS)
    parsed[-1] = decode("", MEETING_FIELDS)  # a missing cell (code -1)
    # Not Series.map: pandas compares the (dataclass) values while mapping, ten times slower
    return pd.Series(parsed[col.cat.codes.to_numpy()], index=cells.index, dtype=object)


def load_articles(path: Path | str) -> pd.DataFrame:
    return _frame(read_raw(path, ARTICLES), ARTICLES)


def load_places(path: Path | str) -> pd.DataFrame:
    df = _frame(read_raw(path, PLACES), PLACES)
    df["start"] = df["start"].astype(int)
    df["end"] = df["end"].astype(int)
    return df


def load_built(path: Path | str) -> date | None:
    """The day the build wrote the tables (build.csv), or None for tables built before it was
    recorded. The file's modification time is no substitute: a clone or copy resets it."""
    if not Path(path).exists():
        return None
    rows = read_table(path, BUILD)
    if len(rows) != 1:
        raise DataError(
            [Problem(display(path), f"expected one row, found {len(rows)}", 2 if rows else 1)], REBUILD_HINT
        )
    return rows[0].built.value


def build_csv(built: date, articles: int, meetings: int) -> bytes:
    """build.csv's content: written by every build with the tables it describes."""
    from geo.core.atomic import csv_text

    row = {"built": built.isoformat(), "articles": str(articles), "meetings": str(meetings)}
    return csv_text(BUILD.names, [row]).encode("utf-8")


@dataclass(frozen=True)
class Dataset:
    """Everything the app and the briefing export draw from, validated together."""

    meetings: pd.DataFrame
    venues: pd.DataFrame
    mediators: pd.DataFrame
    articles: pd.DataFrame
    places: pd.DataFrame
    data_dir: Path
    built: date | None = None  # build.csv: the day the build wrote these tables
    # Read from the CSVs because their Parquet copies were missing or stale: the copies to
    # write (file name -> bytes) so the next load is fast (geo.core.columnar)
    fresh_copies: Mapping[str, bytes] = field(default_factory=dict, compare=False, repr=False)

    def mediator_colour(self, name: str) -> str:
        hit = self.mediators.loc[self.mediators["name"] == name, "colour"]
        return hit.iloc[0] if len(hit) else "#444444"


def load_dataset(data_dir: Path | str, copies: bool = False) -> Dataset:
    """Load and cross-validate every table. Raises DataError naming file, row and field.

    Meetings and venues come from their Parquet copies (geo.core.columnar) when those were made
    from the very CSV bytes on disk and agree with the vocabulary; otherwise from the CSVs,
    validated row by row. With ``copies``, a dataset read from the CSVs carries fresh Parquet
    copies for the caller to publish (``fresh_copies``)."""
    from geo.core import columnar

    data_dir = Path(data_dir)
    sources = {t.name: columnar.Source.of_file(data_dir / t.name) for t in (VENUES, MEETINGS)}
    stored = {t.name: columnar.read(data_dir, t, sources[t.name]) for t in (VENUES, MEETINGS)}
    fresh: dict[str, bytes] = {}
    mediators = load_mediators(data_dir / MEDIATORS.name) if _complete(stored) else None
    if mediators is not None and _agrees(stored[MEETINGS.name], stored[VENUES.name], mediators):
        venues, meetings = stored[VENUES.name], with_lists(stored[MEETINGS.name])
    else:
        venues = load_venues(data_dir / VENUES.name)
        mediators = load_mediators(data_dir / MEDIATORS.name)
        meetings = load_meetings(data_dir / MEETINGS.name, set(venues["venue"]), set(mediators["name"]))
        if copies:
            for table, frame in ((VENUES, venues), (MEETINGS, meetings)):
                if sources[table.name] is not None:
                    fresh[columnar.parquet_name(table)] = columnar.encode(
                        table, stored_part(table, frame), sources[table.name]
                    )
    articles_path = data_dir / ARTICLES.name
    articles = load_articles(articles_path) if articles_path.exists() else pd.DataFrame(columns=ARTICLES.names)
    places_path = data_dir / PLACES.name
    places = load_places(places_path) if places_path.exists() else pd.DataFrame(columns=PLACES.names)
    built = load_built(data_dir / BUILD.name)
    return Dataset(meetings, venues, mediators, articles, places, data_dir, built, fresh)


def _complete(stored: Mapping[str, pd.DataFrame | None]) -> bool:
    return all(frame is not None for frame in stored.values())


def _agrees(meetings: pd.DataFrame, venues: pd.DataFrame, mediators: pd.DataFrame) -> bool:
    """The checks across tables, on the distinct values only: every meeting's venue is in the
    venue table and every mediator in the vocabulary (mediators.csv is the project's, edited
    apart from the build). When not, the CSVs are validated to name the rows."""
    known_venues = set(venues["venue"])
    if any(v not in known_venues for v in meetings["venue"].cat.categories):
        return False
    known = set(mediators["name"])
    return all(m in known for value in meetings["mediators"].cat.categories for m in split_list(value))


# ---------------------------------------------------------------------------------------------
# Meetings and curation: checks beyond one cell


def check_meeting_cells(rows: Cells, shown: str) -> list[Problem]:
    """Cell checks of MEETINGS for rows built in memory."""
    problems = []
    seen: dict[str, int] = {}
    for i, r in rows:
        for col in MEETINGS.columns:
            msg = check_cell(col, str(r.get(col.name, "") or ""))
            if msg:
                problems.append(Problem(shown, msg, i, col.name))
        k = r.get("id", "")
        if k in seen:
            problems.append(Problem(shown, f"duplicate id {k!r} (first on row {seen[k]})", i, "id"))
        elif k:
            seen[k] = i
    return problems


def validate_curation(rows: list[CurationRow], shown: str, mediators: set[str] | None = None) -> list[Problem]:
    """Every decision well-formed: a known field for edit/add, a value valid for that field,
    no decision given twice, no candidate both accepted and rejected."""
    problems: list[Problem] = []
    by_name = {c.name: c for c in MEETINGS.columns}
    seen: dict[tuple[str, str, str], int] = {}
    verdict: dict[str, tuple[str, int]] = {}
    for r in rows:
        i = r.row
        action, fld, value = r.action, r.field, r.value
        if action in ("accept", "reject"):
            if fld or value:
                problems.append(
                    Problem(shown, f"'{action}' takes no field or value (use 'edit' to change a field)", i, "field")
                )
            prior = verdict.get(r.id)
            if prior and prior[0] != action:
                problems.append(
                    Problem(shown, f"{r.id!r} is both {prior[0]}ed (row {prior[1]}) and {action}ed", i, "action")
                )
            verdict.setdefault(r.id, (action, i))
        elif action in ("edit", "add"):
            if not fld:
                problems.append(
                    Problem(shown, f"'{action}' needs a field (one of: {', '.join(CURATION_FIELDS)})", i, "field")
                )
            elif fld not in CURATION_FIELDS:
                problems.append(
                    Problem(shown, f"unknown field {fld!r} (one of: {', '.join(CURATION_FIELDS)})", i, "field")
                )
            else:
                col = by_name[fld]
                msg = check_cell(col, value)
                if msg and not (action == "edit" and not value and not col.required):
                    problems.append(Problem(shown, f"value for {fld}: {msg}", i, "value"))
                if fld == "mediators" and mediators is not None:
                    for m in split_list(value):
                        if m not in mediators:
                            problems.append(
                                Problem(
                                    shown, f"unknown mediator {m!r} (known: {', '.join(sorted(mediators))})", i, "value"
                                )
                            )
                if fld == "evidence":
                    for ref in split_list(value):
                        try:
                            parse_evidence(ref)
                        except ValueError as exc:
                            problems.append(Problem(shown, str(exc), i, "value"))
        else:
            continue  # bad action already reported by the cell check
        late = check_time(r.time)
        if late:
            problems.append(Problem(shown, late, i, "time"))
        key = (r.id, action if action in ("edit", "add") else "verdict", fld)
        if key in seen:
            problems.append(
                Problem(shown, f"duplicate decision for {r.id!r} {fld or action} (first on row {seen[key]})", i, "id")
            )
        else:
            seen[key] = i
    return problems


def load_curation(path: Path | str, mediators: set[str] | None = None) -> list[CurationRow]:
    """data/curation.csv, validated. A missing file means no decisions yet."""
    path = Path(path)
    if not path.exists():
        return []
    rows = read_table(path, CURATION, hint="curation.csv is edited by hand: fix the row named above")
    problems = validate_curation(rows, display(path), mediators)
    if problems:
        raise DataError(problems, "curation.csv is edited by hand: fix the row named above")
    return rows
