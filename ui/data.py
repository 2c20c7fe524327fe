"""Cached loading of data/ (keyed by the files' sizes and times, so a rebuild is picked up on the
next rerun; taken under the snapshot's read lock). Filtering happens outside the cache.

The dataset is kept once per data version in the server (st.cache_resource: every session shares
the same frames, never copied per rerun; nothing may change them). Meetings and venues come from
their Parquet copies (geo.core.columnar); when those are missing or stale (a fresh clone, a CSV
edited by hand) the CSVs are validated instead and fresh copies are published for the next start."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import streamlit as st

from geo.core import paths, snapshot
from geo.core.atomic import WriteError
from geo.core.schema import Dataset, load_dataset
from geo.present.mapview import EvidenceLookup


def data_dir() -> Path:
    """data/ (or TALKS_ATLAS_DATA, read at call time so tests can point elsewhere)."""
    return Path(os.environ.get("TALKS_ATLAS_DATA") or paths.DATA)


def _stamp(folder: Path) -> tuple:
    out = []
    if folder.is_dir():
        for p in sorted(folder.glob("*.csv")):
            s = p.stat()
            out.append((p.name, s.st_size, s.st_mtime_ns))
    return tuple(out)


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(folder: str, stamp: tuple) -> Dataset:
    ds = load_dataset(folder, copies=True)
    _return_freed_heap()
    return ds


def _return_freed_heap() -> None:
    """Hand the heap freed while reading back to the system: reading a million meetings frees tens
    of MB on the way (Arrow tables turned into frames, parsed cells), which glibc keeps for the
    process otherwise (about 25 MB of the server's resident memory at a million meetings)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to do this way
        return
    trim(0)


def dataset() -> Dataset:
    """The validated tables. Raises geo.core.errors.DataError (file, row, field + rebuild command).

    Read as one snapshot (geo.core.snapshot.reading): a publish interrupted by a kill is finished
    first, and no build replaces a table while we stamp and read them."""
    folder = data_dir()
    with snapshot.reading(folder):
        stamp = _stamp(folder)
        ds = _load(str(folder), stamp)
    if ds.fresh_copies:
        _publish_copies(str(folder), stamp, ds)
    return ds


@st.cache_resource(show_spinner=False, max_entries=2)
def _publish_copies(folder: str, stamp: tuple, _ds: Dataset) -> bool:
    """Once per data version: the Parquet copies of tables read from their CSVs, so the next
    start reads them. Each copy names the CSV bytes it was made from: should a build have replaced
    a CSV meanwhile, the copy is merely stale. A folder we may not write to keeps its CSVs only."""
    try:
        snapshot.publish(folder, _ds.fresh_copies)
    except WriteError:
        return False
    return True


@st.cache_resource(show_spinner=False, max_entries=4)
def _evidence(folder: str, stamp: tuple, _articles) -> EvidenceLookup:
    return EvidenceLookup(_articles, paths.DEFAULT_CORPUS)


def evidence(ds: Dataset) -> EvidenceLookup:
    """Reads each cited article once per data version (evidence quotes in popups, Sources page)."""
    folder = data_dir()
    return _evidence(str(folder), _stamp(folder), ds.articles)


@st.cache_resource(show_spinner=False, max_entries=2)
def _meetings_per_article(folder: str, stamp: tuple, _meetings) -> dict[str, int]:
    from collections import Counter

    from geo.core.schema import split_list

    counts: Counter[str] = Counter()
    for docs, n in _meetings["documents"].value_counts(sort=False).items():
        for d in set(split_list(docs)) if n else ():
            counts[d] += int(n)
    return dict(counts)


def meetings_per_article(ds: Dataset) -> dict[str, int]:
    """How many meetings cite each article (data/meetings.csv ``documents``), counted once per
    data version over the distinct document lists."""
    return _meetings_per_article(str(ds.data_dir), _stamp(Path(ds.data_dir)), ds.meetings)


@st.cache_resource(show_spinner=False, max_entries=4)
def _selection(folder: str, stamp: tuple, key: str, _ds: Dataset, _filters):
    from geo.present.filters import Filters, apply, with_until

    unwindowed = apply(_ds.meetings, with_until(_filters, None))
    windowed = apply(unwindowed, Filters(until=_filters.until)) if _filters.until is not None else unwindowed
    return unwindowed, windowed


def selection(ds: Dataset, filters) -> tuple:
    """(the meetings through the sidebar filters at every date, ... and within the time window),
    kept for the last few filter choices of this data version and shared by every session: at a
    million meetings a filtered frame is tens of MB, and each session held its own copy (memory
    grew some 30 MB per session). Nothing may change them (as the dataset)."""
    folder = Path(ds.data_dir)
    return _selection(str(folder), _stamp(folder), repr(filters), ds, filters)


@st.cache_resource(show_spinner=False, max_entries=2)
def _filter_options(folder: str, stamp: tuple, _ds: Dataset):
    from geo.present.filters import FilterOptions

    return FilterOptions.from_data(_ds.meetings, _ds.mediators)


def filter_options(ds: Dataset):
    """The filters' choices with their meeting counts and the time steps, computed once per data
    version (they depend on the data, not on the filters: about 1 s a rerun at a million meetings)."""
    return _filter_options(str(ds.data_dir), _stamp(Path(ds.data_dir)), ds)


@st.cache_resource(show_spinner=False, max_entries=6)
def _venue_layer(folder: str, stamp: tuple, selection: str, _meetings, _ds: Dataset):
    from geo.present.mapview import venue_layer

    return venue_layer(_meetings, _ds.venues, _ds.mediators, evidence(_ds))


def venue_layer(ds: Dataset, shown):
    """The map's venue layer for ``shown`` (geo.present.mapview.VenueLayer: markers, popups, labels,
    legend), kept for the last few selections of this data version: going back to a view, another
    session on the same view, or a rerun that changes no filter costs nothing (a million meetings
    take a second or two to lay out). The key is which
    rows ``shown`` holds (whatever selected them) and the stamps of the articles they cite."""
    import hashlib

    from geo.core.schema import split_list

    folder = Path(ds.data_dir)
    ev = evidence(ds)
    rows = hashlib.blake2b(shown.index.to_numpy().tobytes(), digest_size=16).hexdigest()
    # the popups quote the articles: an article edited since is quoted no more (its stamp is in the key)
    cited = sorted({f for docs in shown["documents"].unique() for f in split_list(docs)})
    articles = hash(tuple(ev.version(f) for f in cited))
    return _venue_layer(str(folder), _stamp(folder), f"{len(shown)} {rows} {articles}", shown, ds)
