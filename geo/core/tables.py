"""The table catalogue: every table in ``data/`` (and the gold table ``geo evaluate`` reads),
with its file name, owner, purpose and columns, and the one reader that turns a table into
typed rows.

Owners: ``generated`` tables are rewritten by ``python -m geo build``; ``project`` tables are
vocabularies kept with the code; ``analyst`` tables are edited by hand and only ever read.

:func:`read_table` checks every cell and returns one frozen record per row (``VenueRow``,
``MeetingRow``, ...) whose ``row`` is the spreadsheet row number (header = row 1), so any later
check can still name file, row and field. Cells become ``str``, ``int``, ``float``,
:class:`~geo.core.dates.When` (dates) or ``tuple[str, ...]`` (``;`` lists); an empty optional
number or date is ``None``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from geo.core.dates import PRECISIONS, When, outside_window
from geo.core.errors import DataError, Problem
from geo.core.paths import display
from geo.core.provenance import NOT_RECORDED, Provenance, decode

REBUILD_HINT = "Rebuild the tables with: .venv/bin/python -m geo build ../shared/seeds"

ISO2 = re.compile(r"^[A-Z]{2}$")

LEVELS = ("leaders", "foreign ministers", "other")
FORMATS = ("bilateral", "trilateral", "multilateral")
STATUSES = ("held", "planned", "cancelled")
VENUE_PRECISIONS = ("venue", "city", "region", "country")
RESOLVERS = ("gazetteer", "alias", "geocoder", "manual")
ROLES = ("venue", "other")
ALIAS_KINDS = ("display", "place", "demonym", "ignore", "wrong")
CURATION_ACTIONS = ("accept", "reject", "edit", "add")
SIDES = ("armenia", "azerbaijan", "third")
OFFICES = ("leader", "foreign minister", "other", "country")
REPORT_KINDS = ("unresolved", "ambiguous")
OWNERS = ("generated", "project", "analyst")
EVENT_SERIES = (
    "CIS",
    "EAEU",
    "CSTO",
    "EPC",
    "EaP",
    "NATO",
    "UNGA",
    "BRICS",
    "OSCE-MC",
    "MSC",
    "WEF",
    "COP",
    "G20",
    "SCO",
    "OTS",
    "CICA",
    "other",
    "war",
)


# ---------------------------------------------------------------------------------------------
# Declarations


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text | int | float | date | enum | list | iso2 | provenance
    required: bool = True  # must be non-empty
    choices: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    plausible: bool = False  # a date: within geo.core.dates.plausible_window()


R = TypeVar("R")


@dataclass(frozen=True)
class Table(Generic[R]):
    name: str  # file name in data/
    columns: tuple[Column, ...]
    record: type[R]  # the frozen dataclass one row becomes
    owner: str = "generated"  # generated | project | analyst
    description: str = ""
    key: str | None = None  # unique column
    optional_columns: tuple[str, ...] = field(default=())  # may be absent from the header
    # Published with a typed Parquet copy beside the CSV (NAME.parquet, geo.core.columnar) that
    # the app reads instead of parsing and validating the CSV again
    columnar: bool = False

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


# ---------------------------------------------------------------------------------------------
# Typed rows: one record per table, fields in column order after ``row``


@dataclass(frozen=True)
class VenueRow:
    row: int
    venue: str
    country: str
    lat: float
    lon: float
    geonames_id: int | None
    precision: str
    resolved_by: str
    mentions: int | None
    documents: tuple[str, ...]
    first_date: When | None
    last_date: When | None


@dataclass(frozen=True)
class MeetingRow:
    row: int
    id: str
    date: When
    date_precision: str
    venue: str
    venue_detail: str
    mediators: tuple[str, ...]
    host: str
    level: str
    format: str
    participants: tuple[str, ...]
    event: str
    status: str
    documents: tuple[str, ...]
    evidence: tuple[str, ...]
    confidence: float | None
    notes: str
    provenance: Provenance = NOT_RECORDED  # where each field came from (geo.core.provenance)


@dataclass(frozen=True)
class CandidateRow:
    """One candidate meeting as extraction proposed it, before any decision (see
    :mod:`geo.meetings.candidates`)."""

    row: int
    id: str
    file: str
    date: When | None  # None: the article gives no year
    date_precision: str
    venue: str
    venue_detail: str
    mediators: tuple[str, ...]
    host: str
    level: str
    format: str
    participants: tuple[str, ...]
    event: str
    status: str
    confidence: float
    evidence: tuple[str, ...]
    reasons: str
    notes: str
    legacy_id: str


@dataclass(frozen=True)
class MediatorRow:
    row: int
    name: str
    label: str
    colour: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ParticipantRow:
    row: int
    name: str
    aliases: tuple[str, ...]
    country: str
    side: str
    office: str
    mediator: str  # '' unless a third party standing for a mediator


@dataclass(frozen=True)
class ArticleRow:
    row: int
    file: str
    title: str
    date: When | None
    date_source: str  # where the date came from: header | metadata | text | url | filename | none
    source: str
    path: str
    chars: int | None
    sha256: str  # of the text evidence offsets index into ('' in tables built before it)


@dataclass(frozen=True)
class BuildRow:
    row: int
    built: When  # the day the build wrote the tables ("Data as of" on the slide)
    articles: int
    meetings: int


@dataclass(frozen=True)
class PlaceRow:
    row: int
    file: str
    start: int
    end: int
    text: str
    venue: str
    country: str
    role: str
    reason: str


@dataclass(frozen=True)
class ReportRow:
    row: int
    kind: str
    file: str
    start: int
    end: int
    text: str
    role: str
    reason: str
    chosen: str
    country: str
    runner_up: str
    runner_up_country: str
    note: str


@dataclass(frozen=True)
class CurationRow:
    """One analyst decision (see :mod:`geo.meetings.curation`)."""

    row: int
    id: str
    action: str
    field: str
    value: str
    note: str = ""
    analyst: str = ""  # who decided (the app's analyst name; empty in hand-written rows)
    time: str = ""  # when, ISO 8601 UTC (e.g. 2026-11-23T19:45:00Z); empty in hand-written rows
    source_url: str = ""  # where the analyst read it, when not the article itself


@dataclass(frozen=True)
class OverrideRow:
    row: int
    venue: str
    country: str
    lat: float
    lon: float
    geonames_id: int | None
    precision: str
    match: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class AliasRow:
    row: int
    alias: str
    kind: str
    geonames_id: int | None
    country: str
    note: str


@dataclass(frozen=True)
class SiteRow:
    row: int
    name: str
    aliases: tuple[str, ...]
    town: str
    country: str
    lat: float
    lon: float
    source_url: str
    note: str


@dataclass(frozen=True)
class PriorRow:
    row: int
    region: str
    country: str
    admin1: str
    continent: str
    weight: float
    note: str


@dataclass(frozen=True)
class EventRow:
    row: int
    name: str
    aliases: tuple[str, ...]
    start: When
    end: When
    city: str  # '' for a virtual summit or an anchor without a place (a war)
    country: str
    series: str
    source_url: str
    note: str


@dataclass(frozen=True)
class GoldRow:
    """One meeting of a gold CSV for ``geo evaluate``."""

    row: int
    id: str
    date: When | None  # None: the article gives no year (date_precision 'none')
    venue: str
    file: str = ""
    note: str = ""
    date_precision: str = ""
    country: str = ""
    mediators: tuple[str, ...] = ()
    host: str = ""
    level: str = ""
    status: str = ""
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class SplitRow:
    """One article of a development set and the part it belongs to."""

    row: int
    file: str
    part: str


# ---------------------------------------------------------------------------------------------
# The catalogue


MEETINGS = Table(
    "meetings.csv",
    (
        Column("id"),
        Column("date", "date", plausible=True),
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
        Column("provenance", "provenance", required=False),
    ),
    MeetingRow,
    "generated",
    "one row per meeting: date + precision, venue, mediators, host, level, format, participants, "
    "event, status, documents and evidence spans (`file:start-end`), confidence, and where each field "
    "came from (`provenance`: the article or an analyst, as JSON)",
    key="id",
    optional_columns=("venue_detail", "event", "confidence", "notes", "provenance"),
    columnar=True,
)
MEETING_FIELDS = tuple(MEETINGS.names)  # the fields a provenance cell may name

CANDIDATES = Table(
    "candidates.csv",
    (
        Column("id"),
        Column("file"),
        Column("date", "date", required=False),  # as extracted: may lie outside the plausible window
        Column("date_precision", "enum", required=False, choices=PRECISIONS),
        Column("venue"),
        Column("venue_detail", required=False),
        Column("mediators", "list"),
        Column("host", "iso2", required=False),
        Column("level", "enum", choices=LEVELS),
        Column("format", "enum", choices=FORMATS),
        Column("participants", "list", required=False),
        Column("event", required=False),
        Column("status", "enum", choices=STATUSES),
        Column("confidence", "float", lo=0, hi=1),
        Column("evidence", "list"),
        Column("reasons", required=False),
        Column("notes", required=False),
        Column("legacy_id", required=False),
    ),
    CandidateRow,
    "generated",
    "every candidate meeting of the last build as extracted, before decisions (the Review page's queue; "
    "`recurate` re-applies the decisions to it without reading the articles again)",
    key="id",
)

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
        Column("first_date", "date", required=False, plausible=True),
        Column("last_date", "date", required=False, plausible=True),
    ),
    VenueRow,
    "generated",
    "venues geocoded offline, with mention counts and documents",
    key="venue",
    columnar=True,
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
    PlaceRow,
    "generated",
    "every place mention with its role (`venue` or `other`)",
)

ARTICLES = Table(
    "articles.csv",
    (
        Column("file"),
        Column("title", required=False),
        Column("date", "date", required=False, plausible=True),
        Column("date_source", required=False),
        Column("source", required=False),
        Column("path", required=False),
        Column("chars", "int", required=False, lo=0),
        Column("sha256", required=False),
    ),
    ArticleRow,
    "generated",
    "each article's metadata (`date_source`: header, metadata, text, url, filename or none), "
    "where its text is and its content hash "
    "(`sha256`: evidence is quoted only from the text it was found in)",
    key="file",
    optional_columns=("sha256",),
)

BUILD = Table(
    "build.csv",
    (
        Column("built", "date"),
        Column("articles", "int", lo=0),
        Column("meetings", "int", lo=0),
    ),
    BuildRow,
    "generated",
    "one row: the day the build wrote the tables and how many articles and meetings it read and wrote "
    '(the slide\'s "Data as of")',
)

VENUES_REPORT = Table(
    "venues_report.csv",
    (
        Column("kind", "enum", choices=REPORT_KINDS),
        Column("file"),
        Column("start", "int", lo=0),
        Column("end", "int", lo=0),
        Column("text"),
        Column("role", "enum", choices=ROLES),
        Column("reason", required=False),
        Column("chosen", required=False),
        Column("country", required=False),
        Column("runner_up", required=False),
        Column("runner_up_country", required=False),
        Column("note", required=False),
    ),
    ReportRow,
    "generated",
    "unresolved and ambiguous place mentions, for an analyst to check",
)

MEDIATORS = Table(
    "mediators.csv",
    (
        Column("name"),
        Column("label"),
        Column("colour"),
        Column("aliases", "list", required=False),
    ),
    MediatorRow,
    "project",
    "controlled vocabulary of mediators, their colours and names in text",
    key="name",
)

PARTICIPANTS = Table(
    "participants.csv",
    (
        Column("name"),
        Column("aliases", "list"),
        Column("country", "iso2"),
        Column("side", "enum", choices=SIDES),
        Column("office", "enum", choices=OFFICES),
        Column("mediator", required=False),
    ),
    ParticipantRow,
    "project",
    "participant names and their spelling variants",
    key="name",
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
    AliasRow,
    "project",
    "gazetteer aliases and preferred display names",
    optional_columns=("note",),
)

SITES = Table(
    "sites.csv",
    (
        Column("name"),
        Column("aliases", "list"),
        Column("town"),
        Column("country", "iso2"),
        Column("lat", "float", lo=-90, hi=90),
        Column("lon", "float", lo=-180, hi=180),
        Column("source_url"),
        Column("note", required=False),
    ),
    SiteRow,
    "project",
    "researched summit sites GeoNames lacks (resorts, palaces, estates): names as written, the town shown, "
    "point and source",
    key="name",
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
    PriorRow,
    "project",
    "weights for the regions where talks happen, to choose between namesake places",
    optional_columns=("note",),
)

EVENTS = Table(
    "events.csv",
    (
        Column("name"),
        Column("aliases", "list"),
        Column("start", "date"),
        Column("end", "date"),
        Column("city", required=False),
        Column("country", "iso2", required=False),
        Column("series", "enum", choices=EVENT_SERIES),
        Column("source_url"),
        Column("note", required=False),
    ),
    EventRow,
    "project",
    "calendar of summits and forums 2016–2025 (aliases en/ru/fr, first and last day, city, source) "
    "and a few dated wars, "
    "to date summit meetings and undated articles",
    key="name",
)

CURATION = Table(
    "curation.csv",
    (
        Column("id"),  # a candidate id (FILE#KEY, see geo.meetings.extract) or, for 'add', the new meeting's id
        Column("action", "enum", choices=CURATION_ACTIONS),
        Column("field", required=False),
        Column("value", required=False),
        Column("note", required=False),
        Column("analyst", required=False),
        Column("time", required=False),
        Column("source_url", required=False),
    ),
    CurationRow,
    "analyst",
    "accept / reject / edit / add decisions on extracted meetings; never rewritten by a build",
    optional_columns=("note", "analyst", "time", "source_url"),
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
    OverrideRow,
    "analyst",
    "manual venue corrections; applied on every build, never rewritten",
    optional_columns=("geonames_id", "precision", "match", "note"),
)


@dataclass(frozen=True)
class WordRow:
    row: int
    word: str  # a word or phrase, as it is written in text
    used_by: tuple[str, ...]  # the rules that read it: "places", "meetings.future", ...
    unless_after: str  # a word right before it that cancels it ("press" conference)
    note: str


# One declaration for a family of files: data/lexicon/<language>/<list>.csv (geo.language.words).
WORD_LISTS = Table(
    "lexicon/<language>/<list>.csv",
    (
        Column("word"),
        Column("used_by", "list"),
        Column("unless_after", required=False),
        Column("note", required=False),
    ),
    WordRow,
    "project",
    "the text layer's word lists (meeting cues, tense and status words, reporting verbs, titles, ...), "
    "one file per list and language",
    key="word",
    optional_columns=("unless_after", "note"),
)


def word_list_table(name: str) -> Table[WordRow]:
    """The declaration of one word list ("cues" -> cues.csv)."""
    return replace(WORD_LISTS, name=f"{name}.csv")


# Every table of data/, in the order the README lists them.
DATA_TABLES: tuple[Table, ...] = (
    MEETINGS,
    CANDIDATES,
    VENUES,
    PLACES,
    ARTICLES,
    BUILD,
    VENUES_REPORT,
    MEDIATORS,
    PARTICIPANTS,
    ALIASES,
    SITES,
    REGION_PRIOR,
    EVENTS,
    WORD_LISTS,
    CURATION,
    VENUE_OVERRIDES,
)

# Not in data/: the file an analyst passes to ``geo evaluate``.
GOLD = Table(
    "gold.csv",
    (
        Column("id", required=False),
        Column("date", "date", required=False),  # empty: the article gives no year
        Column("venue"),
        Column("file", required=False),
        Column("note", required=False),
        Column("date_precision", "enum", required=False, choices=(*PRECISIONS, "none")),
        Column("country", "iso2", required=False),
        Column("mediators", "list", required=False),
        Column("host", "iso2", required=False),
        Column("level", "enum", required=False, choices=LEVELS),
        Column("status", "enum", required=False, choices=STATUSES),
        Column("participants", "list", required=False),
    ),
    GoldRow,
    "analyst",
    "the meetings extraction should find (any file name, passed to `geo evaluate`); "
    "short form date,venue[,id,file,note], or per article with precision, mediators, host, level, status",
    optional_columns=(
        "id",
        "file",
        "note",
        "date_precision",
        "country",
        "mediators",
        "host",
        "level",
        "status",
        "participants",
    ),
)

SPLIT_PARTS = ("dev", "heldout")

# Not in data/: which articles of a development set are tuned on (dev) and which are kept aside.
SPLIT = Table(
    "split.csv",
    (Column("file"), Column("part", "enum", choices=SPLIT_PARTS)),
    SplitRow,
    "analyst",
    "development-set articles and their part (dev, heldout), passed to `geo evaluate --split`",
    key="file",
)

EVIDENCE = re.compile(r"^(?P<file>[^:]+):(?P<start>\d+)-(?P<end>\d+)$")


# ---------------------------------------------------------------------------------------------
# Cells


def split_list(value: str) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def parse_evidence(ref: str) -> tuple[str, int, int]:
    m = EVIDENCE.match(ref.strip())
    if not m or int(m["start"]) >= int(m["end"]):
        raise ValueError(f"bad evidence reference {ref!r} (expected FILE:START-END)")
    return m["file"], int(m["start"]), int(m["end"])


def check_cell(col: Column, raw: str) -> str | None:
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
            when = When.parse(value)
            return outside_window(when) if col.plausible else None
        elif col.kind == "enum":
            if value not in col.choices:
                return f"{value!r} is not one of: {', '.join(col.choices)}"
            return None
        elif col.kind == "iso2":
            if not ISO2.match(value):
                return f"{value!r} is not a two-letter country code (ISO 3166-1 alpha-2, e.g. RU)"
            return None
        elif col.kind == "provenance":
            decode(value, MEETING_FIELDS)
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


def check_row(table: Table, cells: dict[str, str]) -> list[tuple[str, str]]:
    """Checks across the cells of one row, as (field, message): a place at exactly 0,0 (in the
    Gulf of Guinea, where a coordinate left at zero lands) is never a venue."""
    if "lat" not in table.names or "lon" not in table.names:
        return []
    try:
        at_zero = float(cells.get("lat") or "nan") == 0 and float(cells.get("lon") or "nan") == 0
    except ValueError:
        return []  # a bad number: reported by check_cell
    if not at_zero:
        return []
    return [
        (
            "lat",
            "0,0 is not a place of talks (a coordinate left at zero?): give the venue's real latitude and longitude",
        )
    ]


def _optional(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda v: convert(v) if v else None


_CONVERT: dict[str, Callable[[str], Any]] = {
    "int": _optional(int),
    "float": _optional(float),
    "date": _optional(When.parse),
    "list": lambda v: tuple(split_list(v)),
    "provenance": lambda v: decode(v, MEETING_FIELDS),
}


def typed(table: Table[R], row: int, cells: dict[str, str]) -> R:
    """One checked row of cells as the table's record."""
    values = {c.name: _CONVERT.get(c.kind, str)(cells.get(c.name, "")) for c in table.columns}
    return table.record(row=row, **values)


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class Cells:
    """A table's checked cells as written (stripped strings): ``cells[k]`` is on spreadsheet
    row ``rows[k]``; iterating gives ``(row, cells)`` pairs.

    Two lists rather than one object per row: the app reads a 100,000-meeting table on start,
    and 100,000 more objects cost the garbage collector a tenth of a second.
    """

    rows: list[int]
    cells: list[dict[str, str]]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return zip(self.rows, self.cells)

    def __len__(self) -> int:
        return len(self.rows)


def read_raw(path: Path | str, table: Table, hint: str | None = REBUILD_HINT) -> Cells:
    """Read and check a CSV: every cell of every row, before anything is typed.

    Raises DataError listing every problem (missing file, missing columns, bad cells,
    duplicate keys); nothing is dropped silently (a blank line is not a row).
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
    reader = csv_records(text)
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise DataError(Problem(shown, f"is not readable as CSV ({exc})", row=1), hint) from None
    problems: list[Problem] = []
    if not header:
        raise DataError(Problem(shown, "is empty (no header row)", row=1), hint)
    missing = [c for c in table.names if c not in header and c not in table.optional_columns]
    for name in missing:
        problems.append(Problem(shown, "column is missing from the header", row=1, field=name))
    if problems:
        raise DataError(problems, hint)
    out = Cells([], [])
    seen: dict[str, int] = {}
    for i, raw in enumerate(_records(reader, shown, hint), start=2):
        if None in raw:
            problems.append(Problem(shown, "has more cells than the header", row=i))
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue  # a blank line is not a record
        for col in table.columns:
            if col.name not in cells:
                cells[col.name] = ""
                continue
            msg = check_cell(col, cells[col.name])
            if msg:
                problems.append(Problem(shown, msg, row=i, field=col.name))
        problems += [Problem(shown, msg, row=i, field=name) for name, msg in check_row(table, cells)]
        if table.key and cells.get(table.key):
            k = cells[table.key]
            if k in seen:
                problems.append(
                    Problem(shown, f"duplicate {table.key} {k!r} (first on row {seen[k]})", row=i, field=table.key)
                )
            else:
                seen[k] = i
        out.rows.append(i)
        out.cells.append(cells)
    if problems:
        raise DataError(problems, hint)
    return out


def csv_records(text: str) -> csv.DictReader:
    """The records of CSV text, split the way CSV means: only \\r\\n, \\n or \\r outside quotes end
    a record (``str.splitlines`` would also split at U+0085, U+2028, form feeds... inside a cell,
    and every row number after it would be wrong)."""
    return csv.DictReader(io.StringIO(text, newline=""))


def _records(reader: csv.DictReader, shown: str, hint: str | None) -> Iterator[dict]:
    """The reader's records; a record the csv module refuses (a cell over its size limit) is a
    DataError on that record's row."""
    row = 1
    try:
        for row, record in enumerate(reader, start=2):  # noqa: B007 (row is read after the loop)
            yield record
    except csv.Error as exc:
        raise DataError(Problem(shown, f"is not readable as CSV ({exc})", row=row + 1), hint) from None


def read_table(path: Path | str, table: Table[R], hint: str | None = REBUILD_HINT) -> list[R]:
    """Read and check a CSV; one typed record per row (``table.record``), ``row`` = its row number."""
    return [typed(table, i, cells) for i, cells in read_raw(path, table, hint)]


def record_fields(table: Table) -> list[str]:
    """The record's field names: ``row`` then the columns (a test keeps them in step)."""
    return [f.name for f in fields(table.record)]
