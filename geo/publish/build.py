"""``build`` = venues + extraction + curation -> data/venues.csv (+ places.csv, articles.csv,
venues_report.csv) and data/meetings.csv.

Everything is computed and validated in memory first; the tables are then published together
as one snapshot (geo.core.snapshot) only when every check passed, so a failed or killed build
leaves the previous tables untouched, and a reader never sees old and new tables side by side.
Analyst-owned files (``curation.csv``, ``venue_overrides.csv``) are only read.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from geo.core import atomic, snapshot
from geo.core.dates import When, years_after
from geo.core.progress import Progress
from geo.ingest.corpus import Corpus, read_corpus
from geo.meetings.curation import Curated, apply
from geo.meetings.dates_in_text import load_events
from geo.core.errors import DataError, Problem
from geo.meetings.extract import Candidate, VenueMention, late_note
from geo.meetings.lexicon import load_lexicon
from geo.core.paths import DATA, display
from geo.core.schema import check_meeting_cells, load_curation, validate_meetings
from geo.core.tables import CURATION, EVENTS, MEETINGS, Cells, parse_evidence, split_list
from geo.places.gazetteer import get_gazetteer
from geo.places.venues import OVERRIDES, VenueResult, ensure_venues, geocoded, output_files, read_overrides, venues_from
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
            lines.insert(1, f"{self.reused} of {len(self.corpus.articles)} articles unchanged since an earlier build: "
                            "their places and candidates came from the cache")
        return "\n".join(lines)


def venue_mentions(result: VenueResult) -> dict[str, list[VenueMention]]:
    """City mentions per file that extraction may consider (see ``geo.meetings.extract.usable``),
    named as in venues.csv / places.csv."""
    names = {(r["file"], int(r["start"]), int(r["end"])): r["venue"] for r in result.place_rows}
    out: dict[str, list[VenueMention]] = defaultdict(list)
    for file, mentions in groupby(result.mentions, key=lambda m: m.file):
        out[file].extend(work.venue_mentions(mentions, lambda m: names.get((m.file, m.start, m.end), "")))
    return out


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
) -> BuildResult:
    """Build every table from ``corpus_dir`` into ``data_dir``. A build that would replace a
    table holding rows with an empty one stops (DataError) unless ``allow_empty``. With
    ``progress``, long stages report how far they are on stderr. The per-article work runs in
    ``jobs`` processes (geo.publish.work); the tables are the same whatever ``jobs``. With
    ``cache_dir``, per-article results are kept there and reused for unchanged articles
    (geo.publish.article_cache); the tables are the same as without. ``engine='dask'`` runs
    the per-article work on a Dask cluster instead (``scheduler``: its address; else a local
    cluster of ``jobs`` processes), with the same tables."""
    data_dir = Path(data_dir or DATA)
    snapshot.recover(data_dir)  # a build killed before: finish its publish or clean up
    corpus = read_corpus(corpus_dir)
    lexicon = load_lexicon(data_dir)
    load_events(data_dir / EVENTS.name)  # checked here, before any worker reads it
    curation_path = data_dir / CURATION.name
    decisions = load_curation(curation_path, set(lexicon.mediators))
    if gazetteer is None:
        gazetteer = get_gazetteer()
    overrides = data_dir / OVERRIDES.name
    pinned = read_overrides(overrides)  # checked here, before any worker reads it
    setting = work.Setting(data_dir, None if _is_shared(gazetteer) else gazetteer)
    size = sum(len(a.text) for a in corpus.articles)
    bar = Progress("articles", len(corpus.articles), size) if progress else None
    cache = article_cache.ArticleCache.open(cache_dir, setting) if cache_dir is not None else None
    step = (lambda a: bar.step(len(a.text))) if bar else None
    results, reused = article_cache.run_cached(setting, corpus.articles, jobs, cache, step, engine, scheduler)
    if bar:
        bar.done()
    mentions = geocoded([m for r in results for m in r.mentions], geocoder)
    vres = venues_from(corpus, mentions, gazetteer, pinned, geocoder)
    candidates = tuple(final_candidates(corpus, results, venue_mentions(vres), setting))
    curated = apply(candidates, decisions, display(curation_path))

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
        where = _decision_row(decisions, m)
        if m["venue"] in missing:
            problems.append(
                Problem(cur_shown if where else shown, f"unknown venue {m['venue']!r}: not in the gazetteer or {display(overrides)}", where, "value" if where else "venue")
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
    if not allow_empty:
        refuse_emptying(data_dir, files)
    snapshot.publish(data_dir, files)  # every table or none, even if the build is killed
    warnings = tuple(vres.problems) + curated.warnings + late_candidates(candidates, corpus, decisions)
    return BuildResult(corpus, vres, candidates, curated, meetings_path, venues_path, warnings, reused)


def final_candidates(corpus: Corpus, results: list[work.ArticleResult], by_file: dict[str, list[VenueMention]],
                     setting: work.Setting) -> list[Candidate]:
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
        out.append(Problem(display(path), f"candidate {c.id!r} {late_note(c.date, day)} "
                           f"(kept as {c.status}, confidence {c.confidence:.2f})", field="date", severity="warning"))
    return tuple(out)


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
    problems = []
    lengths = {a.file: len(a.text) for a in corpus.articles}
    for i, r in rows:
        for ref in split_list(r.get("evidence", "")):
            try:
                f, s, e = parse_evidence(ref)
            except ValueError:
                continue  # reported by validate_meetings
            if f not in lengths:
                problems.append(Problem(shown, f"evidence {ref!r} names {f!r}, which is not an article of this corpus", i, "evidence"))
            elif e > lengths[f]:
                problems.append(Problem(shown, f"evidence {ref!r} ends after the article ({lengths[f]} characters)", i, "evidence"))
    return problems
