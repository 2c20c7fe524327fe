"""The tables in ``data/``: their columns, and validation on load.

One module owns the schema. Every reader of ``data/*.csv`` goes through :func:`read_table`
(or the ``load_*`` helpers), which reports *every* problem with file, row and field, and
never silently drops a row.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from geo.core.errors import DataError, Problem
from geo.core.paths import display

REBUILD_HINT = "Rebuild the tables with: .venv/bin/python -m geo build ../shared/seeds"

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ISO2 = re.compile(r"^[A-Z]{2}$")

PRECISIONS = ("day", "month", "year")
LEVELS = ("leaders", "foreign ministers", "other")
FORMATS = ("bilateral", "trilateral", "multilateral")
STATUSES = ("held", "planned", "cancelled")
VENUE_PRECISIONS = ("venue", "city", "region", "country")
RESOLVERS = ("gazetteer", "alias", "geocoder", "manual")
ROLES = ("venue", "other")
ALIAS_KINDS = ("display", "place", "demonym", "ignore", "wrong")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | int | float | date | enum | list | iso2 | bool
    required: bool = True  # must be non-empty
    choices: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None


@dataclass(frozen=True)
class Table:
    name: str  # file name in data/
    columns: tuple[Column, ...]
    key: str | None = None  # unique column
    optional_columns: tuple[str, ...] = field(default=())  # may be absent from the header

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


VENUES = Table(
    "venues.csv",
    (
        Column("venue"),
        Column("country", "iso2"),
        Column("lat", "float", lo=-90, hi=90),
        Column("lon", "float", lo=-180, hi=180),
        Column("geonames_id", "int", required=False),
        Column("precision", "enum", choices=VENUE_PRECISIONS),
        Column("resolved_by", "enum", choices=RESOLVERS),
        Column("mentions", "int", required=False, lo=0),
        Column("documents", "list", required=False),
        Column("first_date", "date", required=False),
        Column("last_date", "date", required=False),
    ),
    key="venue",
)

MEETINGS = Table(
    "meetings.csv",
    (
        Column("id"),
        Column("date", "date"),
        Column("date_precision", "enum", choices=PRECISIONS),
        Column("venue"),
        Column("venue_detail", required=False),
        Column("mediators", "list"),
        Column("host", "iso2", required=False),
        Column("level", "enum", choices=LEVELS),
        Column("format", "enum", choices=FORMATS),
        Column("participants", "list", required=False),
        Column("event", required=False),
        Column("status", "enum", choices=STATUSES),
        Column("documents", "list"),
        Column("evidence", "list"),
        Column("confidence", "float", required=False, lo=0, hi=1),
        Column("notes", required=False),
    ),
    key="id",
    optional_columns=("venue_detail", "event", "confidence", "notes"),
)

MEDIATORS = Table(
    "mediators.csv",
    (
        Column("name"),
        Column("label"),
        Column("colour"),
        Column("aliases", "list", required=False),
    ),
    key="name",
)

ARTICLES = Table(
    "articles.csv",
    (
        Column("file"),
        Column("title", required=False),
        Column("date", "date", required=False),
        Column("date_source", required=False),
        Column("source", required=False),
        Column("path", required=False),
        Column("chars", "int", required=False, lo=0),
    ),
    key="file",
)

PLACES = Table(
    "places.csv",
    (
        Column("file"),
        Column("start", "int", lo=0),
        Column("end", "int", lo=0),
        Column("text"),
        Column("venue", required=False),
        Column("country", "iso2", required=False),
        Column("role", "enum", choices=ROLES),
        Column("reason", required=False),
    ),
)

CURATION_ACTIONS = ("accept", "reject", "edit", "add")
# Fields an analyst may set with ``edit``/``add`` (documents follow from the evidence).
CURATION_FIELDS = tuple(
    n for n in ("id", "date", "date_precision", "venue", "venue_detail", "mediators", "host", "level", "format",
                "participants", "event", "status", "evidence", "confidence", "notes")
)

CURATION = Table(
    "curation.csv",
    (
        Column("id"),  # a candidate id (FILE#venue) or, for 'add', the new meeting's id
        Column("action", "enum", choices=CURATION_ACTIONS),
        Column("field", required=False),
        Column("value", required=False),
        Column("note", required=False),
    ),
    optional_columns=("note",),
)

VENUE_OVERRIDES = Table(
    "venue_overrides.csv",
    (
        Column("venue"),
        Column("country", "iso2"),
        Column("lat", "float", lo=-90, hi=90),
        Column("lon", "float", lo=-180, hi=180),
        Column("geonames_id", "int", required=False),
        Column("precision", "enum", required=False, choices=VENUE_PRECISIONS),
        Column("match", "list", required=False),
        Column("note", required=False),
    ),
    optional_columns=("geonames_id", "precision", "match", "note"),
)

ALIASES = Table(
    "aliases.csv",
    (
        Column("alias"),
        Column("kind", "enum", choices=ALIAS_KINDS),
        Column("geonames_id", "int", required=False),
        Column("country", required=False),
        Column("note", required=False),
    ),
    optional_columns=("note",),
)

REGION_PRIOR = Table(
    "region_prior.csv",
    (
        Column("region"),
        Column("country", required=False),
        Column("admin1", required=False),
        Column("continent", required=False),
        Column("weight", "float"),
        Column("note", required=False),
    ),
    optional_columns=("note",),
)

EVIDENCE = re.compile(r"^(?P<file>[^:]+):(?P<start>\d+)-(?P<end>\d+)$")


# ---------------------------------------------------------------------------------------------
# Cell parsing


def parse_date(value: str) -> tuple[date, str]:
    """'2024-10-23' -> (date, 'day'); '2024-07' -> (2024-07-01, 'month'); '2024' -> year.

    Raises ValueError with a readable reason.
    """
    m = ISO_DATE.match(value.strip())
    if not m:
        raise ValueError(f"bad date {value!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        parsed = date(int(y), int(mo or 1), int(d or 1))
    except ValueError as exc:
        raise ValueError(f"bad date {value!r} ({exc})") from None
    return parsed, "day" if d else "month" if mo else "year"


def format_date(value: date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def split_list(value: str) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def parse_evidence(ref: str) -> tuple[str, int, int]:
    m = EVIDENCE.match(ref.strip())
    if not m or int(m["start"]) >= int(m["end"]):
        raise ValueError(f"bad evidence reference {ref!r} (expected FILE:START-END)")
    return m["file"], int(m["start"]), int(m["end"])


def _check_cell(col: Column, raw: str) -> str | None:
    """Return an error message for a bad cell, or None."""
    value = (raw or "").strip()
    if not value:
        return "is empty (required)" if col.required else None
    try:
        if col.kind == "int":
            number = float(int(value))
        elif col.kind == "float":
            number = float(value)
            if number != number:
                return f"{value!r} is not a number"
        elif col.kind == "date":
            parse_date(value)
            return None
        elif col.kind == "enum":
            if value not in col.choices:
                return f"{value!r} is not one of: {', '.join(col.choices)}"
            return None
        elif col.kind == "iso2":
            if not ISO2.match(value):
                return f"{value!r} is not a two-letter country code (ISO 3166-1 alpha-2, e.g. RU)"
            return None
        elif col.kind == "bool":
            if value.lower() not in ("true", "false", "1", "0", "yes", "no"):
                return f"{value!r} is not true/false"
            return None
        else:
            return None
    except ValueError as exc:
        msg = str(exc)
        if col.kind == "int":
            return f"{value!r} is not a whole number"
        if col.kind == "float":
            return f"{value!r} is not a number"
        return msg
    if col.lo is not None and number < col.lo or col.hi is not None and number > col.hi:
        return f"{value} is out of range [{col.lo}, {col.hi}]"
    return None


# ---------------------------------------------------------------------------------------------
# Reading


def read_table(path: Path | str, table: Table, hint: str | None = REBUILD_HINT) -> list[dict[str, str]]:
    """Read and validate a CSV. Returns rows as dicts of stripped strings.

    Raises DataError listing every problem (missing file, missing columns, bad cells,
    duplicate keys); nothing is dropped silently.
    """
    path = Path(path)
    shown = display(path)
    if not path.exists():
        raise DataError(Problem(shown, "file not found"), hint)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(Problem(shown, f"not UTF-8 text ({exc.reason} at byte {exc.start})"), hint) from None
    except OSError as exc:
        raise DataError(Problem(shown, f"cannot be read ({exc.strerror})"), hint) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    problems: list[Problem] = []
    if not header:
        raise DataError(Problem(shown, "is empty (no header row)", row=1), hint)
    missing = [c for c in table.names if c not in header and c not in table.optional_columns]
    for name in missing:
        problems.append(Problem(shown, "column is missing from the header", row=1, field=name))
    if problems:
        raise DataError(problems, hint)
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(reader, start=2):
        if None in raw:
            problems.append(Problem(shown, "has more cells than the header", row=i))
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue  # a blank line is not a record
        for col in table.columns:
            if col.name not in row:
                row[col.name] = ""
                continue
            msg = _check_cell(col, row[col.name])
            if msg:
                problems.append(Problem(shown, msg, row=i, field=col.name))
        if table.key and row.get(table.key):
            k = row[table.key]
            if k in seen:
                problems.append(
                    Problem(shown, f"duplicate {table.key} {k!r} (first on row {seen[k]})", row=i, field=table.key)
                )
            else:
                seen[k] = i
        row["_row"] = str(i)
        rows.append(row)
    if problems:
        raise DataError(problems, hint)
    return rows


def load_venues(path: Path | str) -> pd.DataFrame:
    rows = read_table(path, VENUES)
    df = pd.DataFrame(rows, columns=VENUES.names + ["_row"])
    df["lat"] = df["lat"].astype(float)
    df["lon"] = df["lon"].astype(float)
    df["mentions"] = pd.to_numeric(df["mentions"], errors="coerce").fillna(0).astype(int)
    return df.drop(columns="_row")


def load_mediators(path: Path | str) -> pd.DataFrame:
    rows = read_table(path, MEDIATORS, hint=None)
    problems = []
    for r in rows:
        if not re.match(r"^#[0-9a-fA-F]{6}$", r["colour"]):
            problems.append(Problem(display(path), f"{r['colour']!r} is not a #RRGGBB colour", int(r["_row"]), "colour"))
    if problems:
        raise DataError(problems)
    return pd.DataFrame(rows, columns=MEDIATORS.names)


def validate_meetings(
    rows: list[dict[str, str]],
    shown: str,
    venues: set[str] | None = None,
    mediators: set[str] | None = None,
) -> list[Problem]:
    """Cross-field checks that a single cell cannot tell: precision agrees with the date,
    mediators from the vocabulary, venue known, evidence well-formed."""
    problems: list[Problem] = []
    for r in rows:
        i = int(r["_row"])
        if r.get("date") and r.get("date_precision") in PRECISIONS:
            try:
                _, form = parse_date(r["date"])
                if form != r["date_precision"]:
                    problems.append(Problem(shown, f"date {r['date']!r} is written at {form} precision but date_precision is {r['date_precision']!r}", i, "date_precision"))
            except ValueError:
                pass  # reported by the cell check
        meds = split_list(r.get("mediators", ""))
        if mediators is not None:
            for m in meds:
                if m not in mediators:
                    problems.append(Problem(shown, f"unknown mediator {m!r} (known: {', '.join(sorted(mediators))})", i, "mediators"))
        if "none" in meds and len(meds) > 1:
            problems.append(Problem(shown, "'none' (direct talks) cannot be combined with other mediators", i, "mediators"))
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
    ``mediator_list`` and ``participant_list`` (tuples)."""
    path = Path(path)
    rows = read_table(path, MEETINGS)
    problems = validate_meetings(rows, display(path), venues, mediators)
    if problems:
        raise DataError(problems, REBUILD_HINT)
    return meetings_frame(rows)


def meetings_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MEETINGS.names)
    whens = [parse_date(d)[0] for d in df["date"]]
    df["when"] = pd.to_datetime(pd.Series(whens, index=df.index, dtype="object"))
    df["year"] = df["when"].dt.year.astype(int)
    df["mediator_list"] = df["mediators"].map(lambda s: tuple(split_list(s)))
    df["participant_list"] = df["participants"].map(lambda s: tuple(split_list(s)))
    df["confidence"] = pd.to_numeric(df["confidence"], errors="coerce")
    return df.sort_values(["when", "id"]).reset_index(drop=True)


def load_articles(path: Path | str) -> pd.DataFrame:
    rows = read_table(path, ARTICLES)
    return pd.DataFrame(rows, columns=ARTICLES.names)


def load_places(path: Path | str) -> pd.DataFrame:
    rows = read_table(path, PLACES)
    df = pd.DataFrame(rows, columns=PLACES.names)
    df["start"] = df["start"].astype(int)
    df["end"] = df["end"].astype(int)
    return df


@dataclass(frozen=True)
class Dataset:
    """Everything the app and the briefing export draw from, validated together."""

    meetings: pd.DataFrame
    venues: pd.DataFrame
    mediators: pd.DataFrame
    articles: pd.DataFrame
    places: pd.DataFrame
    data_dir: Path

    def mediator_colour(self, name: str) -> str:
        hit = self.mediators.loc[self.mediators["name"] == name, "colour"]
        return hit.iloc[0] if len(hit) else "#444444"


def load_dataset(data_dir: Path | str) -> Dataset:
    """Load and cross-validate every table. Raises DataError naming file, row and field."""
    data_dir = Path(data_dir)
    venues = load_venues(data_dir / VENUES.name)
    mediators = load_mediators(data_dir / MEDIATORS.name)
    meetings = load_meetings(data_dir / MEETINGS.name, set(venues["venue"]), set(mediators["name"]))
    articles_path = data_dir / ARTICLES.name
    articles = load_articles(articles_path) if articles_path.exists() else pd.DataFrame(columns=ARTICLES.names)
    places_path = data_dir / PLACES.name
    places = load_places(places_path) if places_path.exists() else pd.DataFrame(columns=PLACES.names)
    return Dataset(meetings, venues, mediators, articles, places, data_dir)


# ---------------------------------------------------------------------------------------------
# Meetings and curation: checks beyond one cell


def check_meeting_cells(rows: list[dict[str, str]], shown: str) -> list[Problem]:
    """Cell checks of MEETINGS for rows built in memory (rows carry ``_row``)."""
    problems = []
    seen: dict[str, int] = {}
    for r in rows:
        i = int(r["_row"])
        for col in MEETINGS.columns:
            msg = _check_cell(col, str(r.get(col.name, "") or ""))
            if msg:
                problems.append(Problem(shown, msg, i, col.name))
        k = r.get("id", "")
        if k in seen:
            problems.append(Problem(shown, f"duplicate id {k!r} (first on row {seen[k]})", i, "id"))
        elif k:
            seen[k] = i
    return problems


def validate_curation(rows: list[dict[str, str]], shown: str, mediators: set[str] | None = None) -> list[Problem]:
    """Every decision well-formed: a known field for edit/add, a value valid for that field,
    no decision given twice, no candidate both accepted and rejected."""
    problems: list[Problem] = []
    by_name = {c.name: c for c in MEETINGS.columns}
    seen: dict[tuple[str, str, str], int] = {}
    verdict: dict[str, tuple[str, int]] = {}
    for r in rows:
        i = int(r["_row"])
        action, fld, value = r.get("action", ""), r.get("field", ""), r.get("value", "")
        if action in ("accept", "reject"):
            if fld or value:
                problems.append(Problem(shown, f"'{action}' takes no field or value (use 'edit' to change a field)", i, "field"))
            prior = verdict.get(r["id"])
            if prior and prior[0] != action:
                problems.append(Problem(shown, f"{r['id']!r} is both {prior[0]}ed (row {prior[1]}) and {action}ed", i, "action"))
            verdict.setdefault(r["id"], (action, i))
        elif action in ("edit", "add"):
            if not fld:
                problems.append(Problem(shown, f"'{action}' needs a field (one of: {', '.join(CURATION_FIELDS)})", i, "field"))
            elif fld not in CURATION_FIELDS:
                problems.append(Problem(shown, f"unknown field {fld!r} (one of: {', '.join(CURATION_FIELDS)})", i, "field"))
            else:
                col = by_name[fld]
                msg = _check_cell(col, value)
                if msg and not (action == "edit" and not value and not col.required):
                    problems.append(Problem(shown, f"value for {fld}: {msg}", i, "value"))
                if fld == "mediators" and mediators is not None:
                    for m in split_list(value):
                        if m not in mediators:
                            problems.append(Problem(shown, f"unknown mediator {m!r} (known: {', '.join(sorted(mediators))})", i, "value"))
                if fld == "evidence":
                    for ref in split_list(value):
                        try:
                            parse_evidence(ref)
                        except ValueError as exc:
                            problems.append(Problem(shown, str(exc), i, "value"))
        else:
            continue  # bad action already reported by the cell check
        key = (r["id"], action if action in ("edit", "add") else "verdict", fld)
        if key in seen:
            problems.append(Problem(shown, f"duplicate decision for {r['id']!r} {fld or action} (first on row {seen[key]})", i, "id"))
        else:
            seen[key] = i
    return problems


def load_curation(path: Path | str, mediators: set[str] | None = None) -> list[dict[str, str]]:
    """data/curation.csv, validated. A missing file means no decisions yet."""
    path = Path(path)
    if not path.exists():
        return []
    rows = read_table(path, CURATION, hint="data/curation.csv is edited by hand: fix the row named above")
    problems = validate_curation(rows, display(path), mediators)
    if problems:
        raise DataError(problems, "data/curation.csv is edited by hand: fix the row named above")
    return rows
