"""``build`` = venues + extraction + curation -> data/venues.csv (+ places.csv, articles.csv,
venues_report.csv), data/candidates.csv and data/meetings.csv.

``recurate`` = the published candidates + the decisions -> data/meetings.csv (and build.csv)
again, without reading an article: what the Review page runs after each decision.

Everything is computed and validated in memory first; the tables are then published together
as one snapshot (geo.core.snapshot) only when every check passed, so a failed or killed build
leaves the previous tables untouched, and a reader never sees old and new tables side by side.
Analyst-owned inputs are only read: ``venue_overrides.csv``, and the decisions, which come from
the decision store (geo.meetings.journal; it imports ``curation.csv`` on first use and keeps it
as its export) through :func:`decisions_for`.
"""

from __future__ import annotations

import fcntl
import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.core import atomic, snapshot
from geo.core.dates import When, years_after
from geo.core.errors import DataError, Problem
from geo.core.paths import DATA, display
from geo.core.progress import Progress
from geo.core.schema import build_csv, check_meeting_cells, validate_meetings
from geo.core.tables import (
    ARTICLES,
    BUILD,
    CANDIDATES,
    CURATION,
    EVENTS,
    MEETINGS,
    VENUES,
    Cells,
    parse_evidence,
    read_table,
    split_list,
)
from geo.core.text import fold
from geo.ingest.corpus import Corpus, read_corpus
from geo.language.guess import language_code
from geo.language.words import supported_languages
from geo.meetings.candidates import candidates_csv, read_candidates
from geo.meetings.curation import Curated, apply
from geo.meetings.dates_in_text import load_events
from geo.meetings.extract import Candidate, VenueMention, late_note, usable
from geo.meetings.journal import read_decisions
from geo.meetings.lexicon import load_lexicon
from geo.places.gazetteer import get_gazetteer
from geo.places.venues import (
    OVERRIDES,
    VenueResult,
    ensure_venues,
    geocoded,
    output_files,
    overridden_names,
    read_overrides,
    venues_from,
)
from geo.publish import article_cache, work


@dataclass(frozen=True)
class BuildResult:
    corpus: Corpus
    venues: VenueResult
    candidates: tuple[Candidate, ...]
    curated: Curated
    meetings_path: Path
    venues_path: Path
    warnings: tuple[Problem, ...]
    reused: int = 0  # articles whose per-article results came from the cache

    def summary(self) -> str:
        c = self.curated.counts
        lines = [
            f"{len(self.corpus.articles)} articles -> {len(self.venues.venue_rows)} venues, "
            f"{len(self.candidates)} candidate meetings -> {len(self.curated.meetings)} meetings",
            f"decisions: {c['accepted']} accepted, {c['rejected']} rejected, {c['edited']} edited, {c['added']} added; "
            f"{c['unreviewed']} candidates unreviewed, {c['undated']} left out for want of a year",
            f"wrote {display(self.venues_path)} and {display(self.meetings_path)}",
        ]
        if self.reused:
            lines.insert(
                1,
                f"{self.reused} of {len(self.corpus.articles)} articles unchanged since an earlier build: "
                "their places and candidates came from the cache",
            )
        lines += override_lines(self.venues.overridden, self.curated.meetings)
        lines += unresolved_lines(self.venues.unresolved) + undated_lines(self.corpus.articles)
        return "\n".join(lines)


NAMED = 5  # names quoted in a summary line before "and N more"


def _named(items: list[str]) -> str:
    more = f" and {len(items) - NAMED} more" if len(items) > NAMED else ""
    return ", ".join(items[:NAMED]) + more


def unresolved_lines(unresolved) -> list[str]:
    """Places named as meeting venues that the gazetteer does not know: never dropped unsaid (the
    details are in venues_report.csv)."""
    named = sorted({f"{m.text!r} ({m.file})" for m in unresolved if m.role == "venue"})
    if not named:
        return []
    return [
        f"{len(named)} place(s) named as a meeting venue are not in the gazetteer, so no meeting is placed there: "
        f"{_named(named)}; see venues_report.csv, then add an alias to aliases.csv or a row to {OVERRIDES.name}"
    ]


def undated_lines(articles) -> list[str]:
    """Articles with no publication date: their relative dates ("on Tuesday") cannot be resolved."""
    undated = sorted(a.file for a in articles if a.date is None)
    if not undated:
        return []
    return [
        f"{len(undated)} article(s) have no publication date (header, metadata, URL or file name): "
        f"{_named(undated)}; their meetings keep an open date and are flagged for review"
    ]


def override_lines(uses, meetings) -> list[str]:
    """What each override of venue_overrides.csv did: a rename or new coordinates never pass unsaid."""
    per_venue: dict[str, int] = defaultdict(int)
    for m in meetings:
        per_venue[m["venue"]] += 1
    out = []
    for u in uses:
        if not u.mentions and not per_venue.get(u.venue):
            out.append(f"{OVERRIDES.name} row {u.row} ({u.venue!r}) matched no mention and no meeting")
            continue
        what = f"renames {', '.join(repr(n) for n in u.renames)} as {u.venue!r}" if u.renames else f"pins {u.venue!r}"
        out.append(
            f"{OVERRIDES.name} row {u.row} {what}: {u.mentions} mention(s) and "
            f"{per_venue.get(u.venue, 0)} meeting(s) at {u.lat:.5f}, {u.lon:.5f}"
        )
    return out


def venue_mentions(result: VenueResult) -> dict[str, list[VenueMention]]:
    """City mentions per file that extraction may consider (see ``geo.meetings.extract.usable``),
    named as in venues.csv / places.csv."""
    names = {(r["file"], int(r["start"]), int(r["end"])): r["venue"] for r in result.place_rows}
    out: dict[str, list[VenueMention]] = defaultdict(list)
    for m in result.mentions:
        name = names.get((m.file, m.start, m.end))
        if m.place is None or not name or not usable(m.role, m.reason, m.place.precision):
            continue
        out[m.file].append(VenueMention(m.start, m.end, m.text, name, m.place.country))
    return out


@dataclass(frozen=True)
class Extraction:
    """A corpus read, its venues built and its candidate meetings extracted (nothing written)."""

    corpus: Corpus
    venues: VenueResult
    candidates: tuple[Candidate, ...]
    reused: int = 0  # articles whose per-article results came from the cache


def extract(
    corpus_dir: Path | str,
    data_dir: Path,
    gazetteer=None,
    geocoder=None,
    progress: bool = False,
    jobs: int = 1,
    cache_dir: Path | str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Extraction:
    """The build up to the candidates: what curation decisions are applied to. The per-article
    work (geo.publish.work) runs in ``jobs`` processes, or on a Dask cluster with
    ``engine='dask'``; with ``cache_dir`` unchanged articles reuse their results
    (geo.publish.article_cache). The result is the same whichever way it ran. With
    ``progress``, long runs report how far they are on stderr."""
    corpus = read_corpus(corpus_dir)
    load_lexicon(data_dir)  # checked here, before any worker reads it
    load_events(data_dir / EVENTS.name)  # likewise
    if gazetteer is None:
        gazetteer = get_gazetteer()
    pinned = read_overrides(data_dir / OVERRIDES.name)  # likewise
    setting = work.Setting(data_dir, None if _is_shared(gazetteer) else gazetteer)
    size = sum(len(a.text) for a in corpus.articles)
    bar = Progress("articles", len(corpus.articles), size) if progress else None
    if bar:
        bar.announce_large([(a.file, len(a.text.encode("utf-8"))) for a in corpus.articles])
    cache = article_cache.ArticleCache.open(cache_dir, setting) if cache_dir is not None else None
    step = (lambda a: bar.step(len(a.text))) if bar else None
    results, reused = article_cache.run_cached(setting, corpus.articles, jobs, cache, step, engine, scheduler)
    if bar:
        bar.done()
    mentions = geocoded([m for r in results for m in r.mentions], geocoder)
    vres = venues_from(corpus, mentions, gazetteer, pinned, geocoder)
    candidates = tuple(final_candidates(corpus, results, venue_mentions(vres), setting))
    return Extraction(corpus, vres, candidates, reused)


def build(
    corpus_dir: Path | str,
    data_dir: Path | str | None = None,
    gazetteer=None,
    geocoder=None,
    allow_empty: bool = False,
    progress: bool = False,
    jobs: int = 1,
    cache_dir: Path | str | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    store: str | None = None,
) -> BuildResult:
    """Build every table from ``corpus_dir`` into ``data_dir``. A build that would replace a
    table holding rows with an empty one stops (DataError) unless ``allow_empty``. How the
    per-article work runs (``jobs``, ``cache_dir``, ``engine``, ``scheduler``) is
    :func:`extract`'s; the tables are the same whichever way. The decisions come from the
    decision store ``store`` (a SQLAlchemy URL; default ``TALKS_ATLAS_STORE`` or
    ``data_dir/atlas.sqlite``)."""
    data_dir = Path(data_dir or DATA)
    snapshot.recover(data_dir)  # a build killed before: finish its publish or clean up
    lexicon = load_lexicon(data_dir)
    curation_path = data_dir / CURATION.name
    decisions, synced = decisions_for(data_dir, store, set(lexicon.mediators))
    if gazetteer is None:
        gazetteer = get_gazetteer()
    overrides = data_dir / OVERRIDES.name
    got = extract(corpus_dir, data_dir, gazetteer, geocoder, progress, jobs, cache_dir, engine, scheduler)
    corpus, vres, candidates = got.corpus, got.venues, got.candidates
    curated = apply(candidates, decisions, display(curation_path))

    unknown = unknown_curated_venues(curated.meetings, curated.decisions, vres, overrides, display(curation_path))
    if unknown:
        raise DataError(
            unknown,
            f"nothing was written; give each new venue its coordinates in {display(overrides)} "
            "(columns venue,country,lat,lon) and run the build again",
        )
    vres, missing = ensure_venues(vres, [m["venue"] for m in curated.meetings], gazetteer, overrides)
    meetings_path = data_dir / MEETINGS.name
    shown = display(meetings_path) + " (as built)"
    for m in curated.meetings:  # analysts may type "Pashinian": store the normalised spelling
        m["participants"] = ";".join(lexicon.normalise_participant(p) or p for p in split_list(m["participants"]))
    rows = Cells(  # as they will be written, on the spreadsheet rows they will have
        list(range(2, len(curated.meetings) + 2)),
        [{k: _cell(v) for k, v in m.items() if not k.startswith("_")} for m in curated.meetings],
    )
    problems: list[Problem] = []
    cur_shown = display(curation_path)
    for m in curated.meetings:
        where = _decision_row(curated.decisions, m)
        if m["venue"] in missing:
            problems.append(
                Problem(
                    cur_shown if where else shown,
                    f"unknown venue {m['venue']!r}: not in the gazetteer or {display(overrides)}",
                    where,
                    "value" if where else "venue",
                )
            )
    problems += _check_evidence(rows, corpus, shown)
    problems += check_meeting_cells(rows, shown)
    known_venues = {r["venue"] for r in vres.venue_rows} | set(missing)  # missing ones are reported above
    problems += validate_meetings(rows, shown, known_venues, set(lexicon.mediators))
    if problems:
        raise DataError(problems, f"nothing was written; fix {cur_shown} (or the articles) and run the build again")

    venues_path = data_dir / "venues.csv"
    files = output_files(vres, venues_path)
    files[meetings_path.name] = atomic.csv_text(MEETINGS.names, rows.cells).encode("utf-8")
    files[CANDIDATES.name] = candidates_csv(candidates)  # what recurate and the Review page read
    files[BUILD.name] = build_csv(date.today(), len(corpus.articles), len(rows.cells))  # "Data as of"
    if not allow_empty:
        refuse_emptying(data_dir, files)
    snapshot.publish(data_dir, files)  # every table or none, even if the build is killed
    warnings = (
        tuple(synced)
        + tuple(vres.problems)
        + unsupported_languages(corpus)
        + curated.warnings
        + late_candidates(candidates, corpus, decisions)
    )
    return BuildResult(corpus, vres, candidates, curated, meetings_path, venues_path, warnings, got.reused)


def decisions_for(data_dir: Path, store: str | None, mediators: set[str]):
    """The one way a build reads analyst decisions: the effective decisions of the store (undone
    and superseded ones skipped, numbered as the rows of the exported curation.csv) and the
    warnings of its sync with curation.csv (a hand edit recorded)."""
    return read_decisions(data_dir, store, mediators)


def final_candidates(
    corpus: Corpus, results: list[work.ArticleResult], by_file: dict[str, list[VenueMention]], setting: work.Setting
) -> list[Candidate]:
    """Each article's candidates, extracted again where the corpus-wide venue names (or the
    geocoder) changed the venue mentions extraction was given (see geo.publish.work)."""
    out: list[Candidate] = []
    for a, r in zip(corpus.articles, results, strict=True):
        found = tuple(by_file.get(a.file, ()))
        out.extend(r.candidates if found == r.venue_mentions else work.start(setting).extract(a, found))
    return out


def _is_shared(gazetteer) -> bool:
    """Whether ``gazetteer`` is the process-wide one, which a worker loads from its disk cache."""
    return get_gazetteer.cache_info().currsize > 0 and gazetteer is get_gazetteer()


def unsupported_languages(corpus: Corpus) -> tuple[Problem, ...]:
    """A warning for each article written in a language the word lists do not cover
    ("language not supported: de"): its places and meetings are read with rules made for other
    languages and may be missed or wrong, so the analyst is told instead of left to guess."""
    supported = supported_languages()
    out = []
    for a in corpus.articles:
        code = language_code(a.body)
        if code != "und" and code not in supported:
            out.append(Problem(display(a.path), f"language not supported: {code}", severity="warning"))
    return tuple(out)


def late_candidates(candidates, corpus: Corpus, decisions) -> tuple[Problem, ...]:
    """A warning for each meeting extracted with a date more than a year after its article's
    (extraction already made it planned, with lower confidence): the year may be misread.
    Rejected candidates and those whose date an analyst set are not repeated."""
    settled = {d.id for d in decisions if d.action == "reject" or (d.action == "edit" and d.field == "date")}
    published = {a.file: (a.date, a.path) for a in corpus.articles}
    out = []
    for c in candidates:
        day, path = published.get(c.file, (None, None))
        if c.id in settled or day is None or c.date is None or not years_after(day, c.date):
            continue
        out.append(
            Problem(
                display(path),
                f"candidate {c.id!r} {late_note(c.date, day)} (kept as {c.status}, confidence {c.confidence:.2f})",
                field="date",
                severity="warning",
            )
        )
    return tuple(out)


def unknown_curated_venues(meetings, decisions, vres: VenueResult, overrides: Path, shown: str) -> list[Problem]:
    """A venue an analyst typed (``edit,venue`` or ``add``) must be a place the corpus names (as
    resolved there) or a row of venue_overrides.csv: looked up by name alone it could land on a
    namesake anywhere ("Atlantis" -> South Africa), so the build asks for coordinates instead."""
    known = vres.venue_names | set(vres.places_named())
    pinned = overridden_names(overrides)
    problems = []
    for m in meetings:
        venue = m["venue"]
        if venue in known or fold(venue) in pinned:
            continue
        where = _decision_row(decisions, m)
        problems.append(
            Problem(
                shown if where else "meetings.csv (as built)",
                f"unknown venue {venue!r}: no article of this corpus names it and {display(overrides)} has no row for "
                f"it; the build does not look a new name up by itself (a namesake could be anywhere): add a row "
                f"'{venue},CC,LAT,LON' (country code, latitude, longitude) to {display(overrides)}",
                where,
                "value" if where else "venue",
            )
        )
    return problems


PROTECTED = ("meetings.csv", "venues.csv")  # emptying these needs --allow-empty


def refuse_emptying(data_dir: Path, files: dict[str, bytes]) -> None:
    """A corpus gone missing or emptied must not silently wipe the map."""
    problems = []
    for name in PROTECTED:
        new, old = files.get(name), data_dir / name
        if new is None or new.count(b"\n") > 1 or not old.exists():
            continue
        with old.open("rb") as fh:
            rows = sum(1 for _ in fh) - 1
        if rows > 0:
            problems.append(Problem(display(old), f"the build would replace its {rows} rows with none"))
    if problems:
        raise DataError(problems, "nothing was written; check the corpus, or run the build with --allow-empty")


def _cell(value: object) -> str:
    return value.iso() if isinstance(value, When) else str(value)


def _decision_row(decisions, meeting: dict) -> int | None:
    if meeting.get("_curation_row"):
        return meeting["_curation_row"]
    ids = set(meeting["notes"].split("candidates ", 1)[-1].replace(" (unreviewed)", "").split(", "))
    for d in decisions:
        if d.id in ids and d.field == "venue":
            return d.row
    return None


def _check_evidence(rows: Cells, corpus: Corpus, shown: str) -> list[Problem]:
    """Every evidence span must point inside an article of this corpus."""
    return _check_evidence_in(rows, {a.file: len(a.text) for a in corpus.articles}, shown)


def _check_evidence_in(rows: Cells, lengths: dict[str, int], shown: str) -> list[Problem]:
    """Every evidence span must point inside one of the articles (file -> length in characters)."""
    problems = []
    for i, r in rows:
        for ref in split_list(r.get("evidence", "")):
            try:
                f, s, e = parse_evidence(ref)
            except ValueError:
                continue  # reported by validate_meetings
            if f not in lengths:
                problems.append(
                    Problem(
                        shown, f"evidence {ref!r} names {f!r}, which is not an article of this corpus", i, "evidence"
                    )
                )
            elif e > lengths[f]:
                problems.append(
                    Problem(shown, f"evidence {ref!r} ends after the article ({lengths[f]} characters)", i, "evidence")
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Re-curation: the decisions applied again to the published candidates


@dataclass(frozen=True)
class Recurated:
    curated: Curated
    meetings_path: Path

    def summary(self) -> str:
        c = self.curated.counts
        return (
            f"{c['candidates']} candidates -> {len(self.curated.meetings)} meetings "
            f"({c['accepted']} accepted, {c['rejected']} rejected, {c['edited']} edited, {c['added']} added, "
            f"{c['unreviewed']} unreviewed)"
        )


RECURATE_LOCK = ".recurate.lock"


def recurate(data_dir: Path | str | None = None, store: str | None = None) -> Recurated:
    """Apply the decisions again to the candidates of the last build (``candidates.csv``) and
    publish ``meetings.csv`` and ``build.csv`` as one snapshot, without reading an article or the
    gazetteer. The decisions are the build's (:func:`decisions_for`: the decision store ``store``),
    and so are the checks: a DataError names the decision (file, row, field) and nothing is
    written.

    A venue must already be in ``venues.csv`` (the Review page offers only those): a new venue
    needs coordinates, which only a full build (with ``venue_overrides.csv``) gives.

    Runs one at a time per data folder (a lock file), reading the decisions inside the lock: two
    analysts deciding at once never publish a table that misses the other's decision."""
    data_dir = Path(data_dir or DATA)
    snapshot.recover(data_dir)
    with _one_at_a_time(data_dir):
        lexicon = load_lexicon(data_dir)
        curation_path = data_dir / CURATION.name
        decisions, _ = decisions_for(data_dir, store, set(lexicon.mediators))
        with snapshot.reading(data_dir):
            candidates = read_candidates(data_dir / CANDIDATES.name)
            venues = {r.venue for r in read_table(data_dir / VENUES.name, VENUES)}
            articles = read_table(data_dir / ARTICLES.name, ARTICLES)
        curated = apply(candidates, decisions, display(curation_path))
        rows = _meeting_cells(curated, lexicon)
        shown = display(data_dir / MEETINGS.name) + " (as re-curated)"
        problems = _unknown_venues(curated, venues, display(curation_path), shown)
        problems += _check_evidence_in(rows, {a.file: a.chars or 0 for a in articles}, shown)
        problems += check_meeting_cells(rows, shown)
        problems += validate_meetings(rows, shown, venues, set(lexicon.mediators))
        if problems:
            raise DataError(problems, f"nothing was written; fix {display(curation_path)} and try again")
        meetings_path = data_dir / MEETINGS.name
        files = {
            meetings_path.name: atomic.csv_text(MEETINGS.names, rows.cells).encode("utf-8"),
            BUILD.name: build_csv(date.today(), len(articles), len(rows.cells)),
        }
        snapshot.publish(data_dir, files)
    return Recurated(curated, meetings_path)


def _meeting_cells(curated: Curated, lexicon) -> Cells:
    """The curated meetings as meetings.csv cells (participants spelled as the lexicon does), on
    the spreadsheet rows they will have."""
    for m in curated.meetings:
        m["participants"] = ";".join(lexicon.normalise_participant(p) or p for p in split_list(m["participants"]))
    return Cells(
        list(range(2, len(curated.meetings) + 2)),
        [{k: _cell(v) for k, v in m.items() if not k.startswith("_")} for m in curated.meetings],
    )


def _unknown_venues(curated: Curated, venues: set[str], cur_shown: str, shown: str) -> list[Problem]:
    problems = []
    for m in curated.meetings:
        if m["venue"] in venues:
            continue
        where = _decision_row(curated.decisions, m)
        problems.append(
            Problem(
                cur_shown if where else shown,
                f"unknown venue {m['venue']!r}: not in venues.csv; give it coordinates in venue_overrides.csv "
                "and run the full build (python -m geo build CORPUS_DIR)",
                where,
                "value" if where else "venue",
            )
        )
    return problems


@contextmanager
def _one_at_a_time(data_dir: Path) -> Iterator[None]:
    """An exclusive flock on ``data_dir/.recurate.lock`` (released when the block ends)."""
    try:
        fd = os.open(data_dir / RECURATE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DataError(Problem(display(data_dir), f"cannot be written to ({exc.strerror})")) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
