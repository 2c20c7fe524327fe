"""The venue table: places where meetings are held, from the mentions of a corpus.

``build_venues`` turns a corpus into rows for ``data/venues.csv`` (venue-role mentions with
coordinates), ``data/places.csv`` (every mention, for the Sources page) and
``data/articles.csv``; ``write_outputs`` writes them atomically plus a report of unresolved
and ambiguous mentions.

Manual corrections live in ``data/venue_overrides.csv`` (analyst-owned, only ever read):
a row sets a venue's coordinates (``resolved_by='manual'``). It applies to mentions resolved to
its ``geonames_id`` (or, without an id, to places of the same display name) and to the surface
forms its ``match`` cell lists (";"-separated), e.g. an unresolved "Camp Hill". An override whose
venue is not mentioned still gets a row, so curated meetings can point at it.

Columns ``mentions``/``documents``/``first_date``/``last_date`` count venue-role mentions only
(a city named in passing is not a venue of that article).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from geo.core import atomic, snapshot
from geo.core.dates import When
from geo.core.errors import DataError, Problem
from geo.core.paths import DATA, ROOT, display
from geo.core.progress import Progress
from geo.core.tables import ARTICLES, PLACES, VENUE_OVERRIDES, VENUES, VENUES_REPORT, read_table
from geo.core.text import fold
from geo.ingest.corpus import Article, Corpus
from geo.places.gazetteer import Gazetteer, Place
from geo.places.mentions import Mention, find_mentions
from geo.places.resolve import resolve_name

OVERRIDES = DATA / "venue_overrides.csv"

Geocoder = Callable[[str], "Place | None"]


@dataclass(frozen=True)
class Override:
    row: int
    place: Place
    match: tuple[str, ...]  # folded surface forms


@dataclass(frozen=True)
class OverrideUse:
    """One row of venue_overrides.csv at work: the mentions it captured, what the gazetteer called
    them, and where they now are."""

    row: int
    venue: str
    lat: float
    lon: float
    was: tuple[str, ...]  # the names the mentions resolved to without it ('' when unresolved)
    mentions: int

    @property
    def renames(self) -> tuple[str, ...]:
        return tuple(n for n in self.was if n and n != self.venue)


@dataclass(frozen=True)
class VenueResult:
    venue_rows: tuple[dict, ...]
    place_rows: tuple[dict, ...]
    article_rows: tuple[dict, ...]
    unresolved: tuple[Mention, ...]
    ambiguous: tuple[Mention, ...]
    mentions: tuple[Mention, ...] = ()
    problems: tuple[Problem, ...] = ()  # warnings (corpus, overrides, geocoder)
    added: tuple[str, ...] = field(default=())  # venues added by ensure_venues (not mentioned as venues)
    overridden: tuple[OverrideUse, ...] = ()  # what each override did, for the build summary

    @property
    def venue_names(self) -> set[str]:
        return {r["venue"] for r in self.venue_rows}

    def places_named(self) -> dict[str, Place]:
        """Every place the corpus names (in any role), by its name in places.csv, as resolved in context."""
        names = {(r["file"], r["start"], r["end"]): r["venue"] for r in self.place_rows if r["venue"]}
        out: dict[str, Place] = {}
        for m in self.mentions:
            name = names.get((m.file, m.start, m.end))
            if name and m.place is not None:
                out.setdefault(name, m.place)
        return out


# ---------------------------------------------------------------------------------------------
# Overrides


OVERRIDES_HINT = "venue_overrides.csv is edited by hand: fix the rows named above (nothing was written)"


def read_overrides(path: Path | str | None) -> list[Override]:
    """Read the analyst's overrides; a missing file means none. DataError names row and field,
    also when two rows claim the same name, surface form or GeoNames place (one of them would
    win silently and move meetings)."""
    if path is None:
        return []
    path = Path(path)
    if not path.exists():
        return []
    out = []
    for r in read_table(path, VENUE_OVERRIDES, hint=OVERRIDES_HINT):
        place = Place(r.venue, r.country, r.lat, r.lon, r.geonames_id, 0, "", r.precision or "city", "manual")
        match = tuple(dict.fromkeys(fold(m) for m in [r.venue, *r.match] if fold(m)))
        out.append(Override(r.row, place, match))
    problems = override_conflicts(out, display(path))
    if problems:
        raise DataError(problems, OVERRIDES_HINT)
    return out


def override_conflicts(overrides: list[Override], shown: str) -> list[Problem]:
    """Two rows that claim one display name, one surface form or one GeoNames id."""
    problems = []
    names: dict[str, Override] = {}
    forms: dict[str, tuple[Override, str]] = {}
    ids: dict[int, Override] = {}
    for o in overrides:
        key = fold(o.place.name)
        if key in names:
            first = names[key]
            problems.append(
                Problem(
                    shown,
                    f"venue {o.place.name!r} is also the venue of row {first.row} "
                    "(field 'venue'); keep one row per venue",
                    o.row,
                    "venue",
                )
            )
            continue
        names[key] = o
        for form in o.match:
            if form in forms and forms[form][0] is not o:
                first, fld = forms[form]
                problems.append(
                    Problem(
                        shown,
                        f"{form!r} is also claimed by row {first.row} (field {fld!r}): "
                        "one name can lead to one venue only",
                        o.row,
                        "venue" if form == key else "match",
                    )
                )
            forms.setdefault(form, (o, "venue" if form == key else "match"))
        gid = o.place.geonames_id
        if gid is not None:
            if gid in ids:
                problems.append(
                    Problem(
                        shown,
                        f"geonames_id {gid} is also pinned by row {ids[gid].row} "
                        "(field 'geonames_id'): keep one row per place",
                        o.row,
                        "geonames_id",
                    )
                )
            ids.setdefault(gid, o)
    return problems


# ---------------------------------------------------------------------------------------------
# Building


def build_venues(
    corpus: Corpus,
    gazetteer: Gazetteer,
    overrides_path: Path | str | None = OVERRIDES,
    geocoder: Geocoder | None = None,
    progress: Progress | None = None,
) -> VenueResult:
    overrides = read_overrides(overrides_path)
    pins = Pins(overrides)
    mentions: list[Mention] = []
    for article in corpus.articles:
        mentions.extend(geocoded(locate(article, gazetteer, pins), geocoder))
        if progress:
            progress.step(len(article.text))
    if progress:
        progress.done()
    return venues_from(corpus, mentions, gazetteer, overrides, geocoder)


class Pins:
    """The analyst's overrides as lookups: by surface form, by GeoNames id, by display name."""

    def __init__(self, overrides: Sequence[Override]):
        self.by_form = {form: o for o in overrides for form in o.match}
        self.by_id = {o.place.geonames_id: o for o in overrides if o.place.geonames_id is not None}
        self.by_name = {o.place.name: o for o in overrides if o.place.geonames_id is None}

    def pin(self, m: Mention) -> Mention:
        """The mention with the override's place when one applies to it, else as it is."""
        o = self.by_form.get(fold(m.text))
        if o is None and m.place is not None:  # "Genève" resolved to the Geneva an override pins
            o = self.by_id.get(m.place.geonames_id) if m.place.geonames_id is not None else None
            o = o or self.by_name.get(m.place.name)
        if o is None:
            return m
        return replace(
            m,
            place=o.place,
            ambiguous=False,
            runner_up=None,
            how="manual",
            pinned_row=o.row,
            pinned_from=m.place.name if m.place is not None else "",
        )


def locate(article: Article, gazetteer: Gazetteer, pins: Pins) -> list[Mention]:
    """The place mentions of one article, overrides applied (the per-article part of the venue
    step: it needs nothing from other articles, so builds run it in parallel)."""
    return [pins.pin(m) for m in find_mentions(article, gazetteer)]


def geocoded(mentions: Iterable[Mention], geocoder: Geocoder | None) -> list[Mention]:
    """Venue mentions neither the gazetteer nor an override knows, looked up with ``geocoder``."""
    out = []
    for m in mentions:
        if m.place is None and geocoder is not None and m.role == "venue":
            found = geocoder(m.text)
            if found is not None and (found.lat, found.lon) == (0, 0):  # no real place: stays unresolved
                failures = getattr(geocoder, "failures", None)
                if isinstance(failures, list):
                    failures.append((m.text, "answered 0,0 (no real place)"))
            elif found is not None:
                m = replace(m, place=found, how="geocoder")
        out.append(m)
    return out


def venues_from(
    corpus: Corpus,
    mentions: Sequence[Mention],
    gazetteer: Gazetteer,
    overrides: Sequence[Override],
    geocoder: Geocoder | None = None,
) -> VenueResult:
    """The venue, place and article rows from every mention of the corpus (in article order):
    the part of the venue step that looks at the whole corpus (names of namesakes, counts)."""
    problems = list(corpus.problems)
    dates = {a.file: a.date for a in corpus.articles}
    for name, why in getattr(geocoder, "failures", ()):
        problems.append(
            Problem("geocoder", f"{name!r}: lookup failed ({why}); listed as unresolved", severity="warning")
        )

    # One venue row per place; a different place with the same display name gets a suffix.
    names: dict[tuple, str] = {}
    used: dict[str, tuple] = {}

    def venue_name(p: Place) -> str:
        k = _key(p)
        if k not in names:
            name = p.name
            if name in used and used[name] != k:
                name = f"{p.name} ({p.country}-{p.admin1})" if p.admin1 else f"{p.name} ({p.country})"
            names[k] = name
            used[name] = k
        return names[k]

    for o in overrides:  # manual names first: they keep their exact spelling
        venue_name(o.place)
    # Among namesakes, the plain name goes to the one the name alone resolves to (Arlington ->
    # Virginia), whatever the order of the articles; the others get a suffix.
    # (One pass over the mentions: checking each name against every mention grew with names x mentions.)
    mentioned = {(m.place.name, _key(m.place)) for m in mentions if m.place is not None}
    for name in sorted({name for name, _ in mentioned}):
        default = resolve_name(name, gazetteer).place
        if default is not None and default.name == name and (name, _key(default)) in mentioned:
            venue_name(default)

    grouped: dict[str, list[Mention]] = defaultdict(list)
    places_by_name: dict[str, Place] = {}
    place_rows = []
    for m in mentions:
        vname = venue_name(m.place) if m.place is not None else ""
        if m.role == "venue" and m.place is not None:
            grouped[vname].append(m)
            places_by_name.setdefault(vname, m.place)
        place_rows.append(
            {
                "file": m.file,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "venue": vname,
                "country": m.place.country if m.place else "",
                "role": m.role,
                "reason": m.reason,
            }
        )

    rows: dict[str, dict] = {}
    for vname, ms in grouped.items():
        p = places_by_name[vname]
        docs = sorted({m.file for m in ms})
        dated = sorted(When(d) for d in (dates.get(f) for f in docs) if d is not None)
        how = {m.place.resolved_by for m in ms}
        resolved_by = next(r for r in ("manual", "gazetteer", "alias", "geocoder") if r in how)
        rows[vname] = _row(
            vname, p, resolved_by, len(ms), docs, dated[0] if dated else None, dated[-1] if dated else None
        )
    for o in overrides:
        vname = venue_name(o.place)
        if vname in rows:
            rows[vname].update(_coords(o.place), resolved_by="manual")
        else:
            rows[vname] = _row(vname, o.place, "manual", 0, [], None, None)

    article_rows = [
        {
            "file": a.file,
            "title": a.title,
            "date": When(a.date) if a.date else None,
            "date_source": a.date_source,
            "source": a.source,
            "path": repo_relative(a.path),
            "chars": len(a.text),
            "sha256": a.sha256,
        }
        for a in corpus.articles
    ]
    captured: dict[int, list[str]] = defaultdict(list)  # override row -> the names it replaced
    for m in mentions:
        if m.pinned_row and m.role == "venue":
            captured[m.pinned_row].append(m.pinned_from)
    return VenueResult(
        venue_rows=tuple(sorted(rows.values(), key=_by_first_date)),
        place_rows=tuple(place_rows),
        article_rows=tuple(article_rows),
        unresolved=tuple(m for m in mentions if m.place is None),
        ambiguous=tuple(m for m in mentions if m.ambiguous),
        mentions=tuple(mentions),
        problems=tuple(problems),
        overridden=tuple(
            OverrideUse(
                o.row,
                venue_name(o.place),
                o.place.lat,
                o.place.lon,
                tuple(dict.fromkeys(captured[o.row])),
                len(captured[o.row]),
            )
            for o in overrides
        ),
    )


def _by_first_date(row: dict) -> tuple:
    """Venues in the order they were first mentioned; never-mentioned ones last, by name."""
    first = row["first_date"]
    return (0, first.value, row["venue"]) if first else (1, date.min, row["venue"])


def _key(p: Place) -> tuple:
    """What makes two places the same venue: the GeoNames feature, else name and point."""
    if p.geonames_id is None:
        return (None, p.name, p.country, round(p.lat, 3), round(p.lon, 3))
    return (p.geonames_id, p.precision)


def _coords(p: Place) -> dict:
    return {
        "country": p.country,
        "lat": round(p.lat, 5),
        "lon": round(p.lon, 5),
        "geonames_id": p.geonames_id if p.geonames_id is not None else "",
        "precision": p.precision,
    }


def _row(
    name: str, p: Place, resolved_by: str, mentions: int, docs: Sequence[str], first: When | None, last: When | None
) -> dict:
    return {
        "venue": name,
        **_coords(p),
        "resolved_by": resolved_by,
        "mentions": mentions,
        "documents": ";".join(docs),
        "first_date": first,
        "last_date": last,
    }


def overridden_names(overrides_path: Path | str | None = OVERRIDES) -> set[str]:
    """Folded names and surface forms that venue_overrides.csv gives coordinates for."""
    return {form for o in read_overrides(overrides_path) for form in o.match}


def venue_row_for(name: str, gazetteer: Gazetteer, overrides_path: Path | str | None = OVERRIDES) -> dict | None:
    """A venues.csv row for a venue name with no venue mention (a curated meeting's venue):
    an override of that name first, else the gazetteer. None when neither knows it."""
    for o in read_overrides(overrides_path):
        if fold(name) in o.match:
            return _row(name, o.place, "manual", 0, [], None, None)
    res = resolve_name(name, gazetteer)
    if res.place is None:
        return None
    return _row(name, res.place, res.place.resolved_by, 0, [], None, None)


def ensure_venues(
    result: VenueResult, names: Iterable[str], gazetteer: Gazetteer, overrides_path: Path | str | None = OVERRIDES
) -> tuple[VenueResult, list[str]]:
    """Add a row for every venue in ``names`` (e.g. meetings.csv's) that the corpus did not give
    as a venue. Returns the new result and the names that could not be resolved at all."""
    have = result.venue_names
    rows = list(result.venue_rows)
    added, missing = [], []
    in_context = result.places_named()
    for name in dict.fromkeys(n.strip() for n in names if n and n.strip()):
        if name in have:
            continue
        if name in in_context:  # a place the corpus names (not as a venue): as resolved there, no namesake
            p = in_context[name]
            row = _row(name, p, p.resolved_by, 0, [], None, None)
        else:
            row = venue_row_for(name, gazetteer, overrides_path)
        if row is None:
            missing.append(name)
            continue
        rows.append(row)
        added.append(name)
        have.add(name)
    return replace(result, venue_rows=tuple(rows), added=result.added + tuple(added)), missing


def repo_relative(path: Path) -> str:
    """Path relative to the repository root ('../shared/seeds/x.txt' for the seeds beside it)."""
    try:
        return Path(os.path.relpath(Path(path).resolve(), ROOT)).as_posix()
    except ValueError:  # another drive (Windows): keep it absolute
        return Path(path).resolve().as_posix()


# ---------------------------------------------------------------------------------------------
# Writing


def report_rows(result: VenueResult) -> list[dict]:
    rows = []
    for m in result.unresolved:
        rows.append(
            {
                "kind": "unresolved",
                "file": m.file,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "role": m.role,
                "reason": m.reason,
                "note": "not in the gazetteer: add an alias or a row in data/venue_overrides.csv",
            }
        )
    for m in result.ambiguous:
        p, r = m.place, m.runner_up
        rows.append(
            {
                "kind": "ambiguous",
                "file": m.file,
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "role": m.role,
                "reason": m.reason,
                "chosen": _label(p),
                "country": p.country if p else "",
                "runner_up": _label(r),
                "runner_up_country": r.country if r else "",
                "note": "close call between namesakes: check, and pin it in data/venue_overrides.csv if wrong",
            }
        )
    return rows


def _label(p: Place | None) -> str:
    if p is None:
        return ""
    return f"{p.name} ({p.country}-{p.admin1})" if p.admin1 else f"{p.name} ({p.country})"


@dataclass(frozen=True)
class Written:
    venues: Path
    places: Path
    articles: Path
    report: Path


def output_paths(out: Path | str) -> Written:
    out = Path(out)
    return Written(
        out, out.with_name("places.csv"), out.with_name("articles.csv"), out.with_name(out.stem + "_report.csv")
    )


def output_files(result: VenueResult, out: Path | str = DATA / VENUES.name) -> dict[str, bytes]:
    """The four tables of a venue build as file name -> content (for one snapshot publish)."""
    paths = output_paths(out)
    return {
        paths.venues.name: atomic.csv_text(VENUES.names, result.venue_rows).encode("utf-8"),
        paths.places.name: atomic.csv_text(PLACES.names, result.place_rows).encode("utf-8"),
        paths.articles.name: atomic.csv_text(ARTICLES.names, result.article_rows).encode("utf-8"),
        paths.report.name: atomic.csv_text(VENUES_REPORT.names, report_rows(result)).encode("utf-8"),
    }


def write_outputs(result: VenueResult, out: Path | str = DATA / VENUES.name) -> Written:
    """venues.csv at ``out``; places.csv, articles.csv and <out>_report.csv beside it, published
    together as one snapshot (geo.core.snapshot: all four or none, even across a kill)."""
    paths = output_paths(out)
    snapshot.publish(paths.venues.parent, output_files(result, out))
    return paths
