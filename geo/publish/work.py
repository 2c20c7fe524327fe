"""The per-article work of a build, and the engines that run it.

:func:`process_article` is the one function that turns an article into its place mentions and
candidate meetings. Every engine calls it: the local loop (``--jobs 1``), worker processes
(``--jobs N``, :func:`run_pool`) and a Dask cluster (``--engine dask``, :func:`run_dask`). It
needs nothing from other articles; what it needs besides the article (gazetteer, overrides,
lexicons, events) is a :class:`Setting`, turned once per process (per thread) into a
:class:`Worker` (the gazetteer is the shared one, loaded from its disk cache).

Extraction names each venue after its place (``Place.name``). The build names venues over the
whole corpus (a namesake of another venue gets a suffix: "Arlington (US-TX)") and a geocoder may
place what the gazetteer could not; for the few articles where the final venue mentions differ
from the ones extraction saw, the build extracts again with the final ones (:meth:`Worker.extract`),
so the tables are exactly those of a one-process build, whatever the number of processes.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from geo.core.errors import UsageError
from geo.core.tables import EVENTS
from geo.ingest.corpus import Article
from geo.meetings.dates_in_text import load_events
from geo.meetings.extract import Candidate, Extractor, VenueMention, usable
from geo.meetings.lexicon import load_lexicon
from geo.places.gazetteer import Gazetteer
from geo.places.mentions import Mention
from geo.places.venues import OVERRIDES, Pins, locate, read_overrides


@dataclass(frozen=True)
class Setting:
    """What the per-article work reads besides the article: the tables of ``data_dir`` and the
    gazetteer (None: the shared one, :func:`geo.places.gazetteer.get_gazetteer`)."""

    data_dir: Path
    gazetteer: Gazetteer | None = None


@dataclass(frozen=True)
class ArticleResult:
    file: str
    mentions: tuple[Mention, ...]  # every place mention, overrides applied (the geocoder comes later)
    venue_mentions: tuple[VenueMention, ...]  # what extraction was given (venues named after their place)
    candidates: tuple[Candidate, ...]


def venue_mentions(mentions: Iterable[Mention], name: Callable[[Mention], str]) -> list[VenueMention]:
    """The mentions extraction may consider (``geo.meetings.extract.usable``), named by ``name``
    ('' leaves a mention out)."""
    out = []
    for m in mentions:
        if m.place is None or not usable(m.role, m.reason, m.place.precision):
            continue
        venue = name(m)
        if venue:
            out.append(VenueMention(m.start, m.end, m.text, venue, m.place.country))
    return out


class Worker:
    """A :class:`Setting` made ready: built once per process, then used for many articles."""

    def __init__(self, setting: Setting):
        self.setting = setting
        if setting.gazetteer is None:
            from geo.places.gazetteer import get_gazetteer

            self.gazetteer = get_gazetteer()
        else:
            self.gazetteer = setting.gazetteer
        data_dir = Path(setting.data_dir)
        self.inputs = inputs_of(data_dir)
        self.pins = Pins(read_overrides(data_dir / OVERRIDES.name))
        self.extractor = Extractor(load_lexicon(data_dir), load_events(data_dir / EVENTS.name))

    def process(self, article: Article) -> ArticleResult:
        mentions = tuple(locate(article, self.gazetteer, self.pins))
        found = tuple(venue_mentions(mentions, lambda m: m.place.name))
        return ArticleResult(article.file, mentions, found, self.extract(article, found))

    def extract(self, article: Article, found: Sequence[VenueMention]) -> tuple[Candidate, ...]:
        return tuple(self.extractor.extract(article, found))


_here = threading.local()  # this thread's worker (a Dask worker may run tasks in several threads)


def inputs_of(data_dir: Path) -> tuple:
    """What a worker reads from the data folder, as (name, size, mtime): a changed override,
    word list or table makes a new worker (an analyst edits them between builds)."""
    files = [
        data_dir / OVERRIDES.name,
        data_dir / EVENTS.name,
        data_dir / "mediators.csv",
        data_dir / "participants.csv",
    ]
    out = []
    for p in files:
        try:
            st = p.stat()
        except OSError:
            out.append((p.name, None))
        else:
            out.append((p.name, st.st_size, st.st_mtime_ns))
    return tuple(out)


def start(setting: Setting) -> Worker:
    """Make this process's (thread's) worker, the initializer of worker processes; kept while
    the setting and the files it reads are the same."""
    worker = getattr(_here, "worker", None)
    if worker is None or worker.setting != setting or worker.inputs != inputs_of(Path(setting.data_dir)):
        worker = _here.worker = Worker(setting)
    return worker


def process_article(article: Article) -> ArticleResult:
    """Place mentions and candidate meetings of one article, with this process's worker."""
    worker = getattr(_here, "worker", None)
    if worker is None:
        raise RuntimeError("geo.publish.work.start(setting) was not called in this process")
    return worker.process(article)


def process_chunk(articles: Sequence[Article]) -> list[ArticleResult]:
    return [process_article(a) for a in articles]


def process_chunk_with(setting: Setting, articles: Sequence[Article]) -> list[ArticleResult]:
    """A chunk on a worker that may not have started yet (a Dask worker: started on its first task)."""
    start(setting)
    return process_chunk(articles)


Done = Callable[[Article], None]  # told about each article once its result is in


def run_local(setting: Setting, articles: Sequence[Article], done: Done | None = None) -> list[ArticleResult]:
    start(setting)
    out = []
    for a in articles:
        out.append(process_article(a))
        if done:
            done(a)
    return out


def run_pool(setting: Setting, articles: Sequence[Article], jobs: int, done: Done | None = None) -> list[ArticleResult]:
    """The same work in ``jobs`` worker processes, in chunks; results in article order."""
    chunks = chunked(articles, jobs)
    results: list[list[ArticleResult] | None] = [None] * len(chunks)
    with ProcessPoolExecutor(max_workers=jobs, initializer=start, initargs=(setting,)) as pool:
        futures = {pool.submit(process_chunk, c): i for i, c in enumerate(chunks)}
        for f in as_completed(futures):
            i = futures[f]
            results[i] = f.result()
            if done:
                for a in chunks[i]:
                    done(a)
    return [r for chunk in results for r in chunk]


MAX_CHUNK = 32  # articles sent to a worker at once: few round trips, yet balanced loads


def chunked(articles: Sequence[Article], jobs: int) -> list[list[Article]]:
    """Articles in consecutive chunks, about four per worker (at most MAX_CHUNK articles each)."""
    size = max(1, min(MAX_CHUNK, math.ceil(len(articles) / (4 * jobs))))
    return [list(articles[i : i + size]) for i in range(0, len(articles), size)]


ENGINES = ("local", "dask")


def run(
    setting: Setting,
    articles: Sequence[Article],
    jobs: int = 1,
    done: Done | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> list[ArticleResult]:
    """Every article's result, in article order: in this process, in ``jobs`` processes, or
    on a Dask cluster (``engine='dask'``: the scheduler at ``scheduler``, else a local one)."""
    if engine == "dask" and articles:
        return run_dask(setting, articles, jobs, scheduler, done)
    if jobs > 1 and len(articles) > 1:
        return run_pool(setting, articles, min(jobs, len(articles)), done)
    return run_local(setting, articles, done)


def run_dask(
    setting: Setting, articles: Sequence[Article], jobs: int, scheduler: str | None = None, done: Done | None = None
) -> list[ArticleResult]:
    """The same work as tasks on a Dask cluster: at ``scheduler`` (an address such as
    tcp://10.0.0.5:8786), else a LocalCluster of ``jobs`` worker processes. Each worker starts
    its own worker (gazetteer from its disk cache, tables from ``setting.data_dir``, which must
    be readable at the same path there) on its first chunk; results come back in article order."""
    try:
        from dask.distributed import Client, LocalCluster
        from dask.distributed import as_completed as dask_completed
    except ImportError:
        raise UsageError("--engine dask needs the Dask packages: pip install 'dask[distributed]'") from None
    cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None) if scheduler is None else None
    try:
        with Client(scheduler or cluster) as client:
            chunks = chunked(articles, max(jobs, len(client.scheduler_info()["workers"])))
            shared = client.scatter(setting, broadcast=True)
            futures = client.map(process_chunk_with, [shared] * len(chunks), chunks, pure=False)
            index = {f.key: i for i, f in enumerate(futures)}
            results: list[list[ArticleResult] | None] = [None] * len(chunks)
            for f in dask_completed(futures):
                i = index[f.key]
                results[i] = f.result()
                if done:
                    for a in chunks[i]:
                        done(a)
    finally:
        if cluster is not None:
            cluster.close()
    return [r for chunk in results for r in chunk]


def default_jobs() -> int:
    return os.cpu_count() or 1
