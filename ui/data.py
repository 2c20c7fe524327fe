"""Cached loading of data/ (st.cache_data keyed by the files' sizes and times, so a rebuild is
picked up on the next rerun; taken under the snapshot's read lock). Filtering happens outside
the cache."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from geo.core import paths, snapshot
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


@st.cache_data(show_spinner=False, max_entries=4)
def _load(folder: str, stamp: tuple) -> Dataset:
    return load_dataset(folder)


def dataset() -> Dataset:
    """The validated tables. Raises geo.core.errors.DataError (file, row, field + rebuild command).

    Read as one snapshot (geo.core.snapshot.reading): a publish interrupted by a kill is finished
    first, and no build replaces a table while we stamp and read them."""
    folder = data_dir()
    with snapshot.reading(folder):
        return _load(str(folder), _stamp(folder))


@st.cache_resource(show_spinner=False, max_entries=4)
def _evidence(folder: str, stamp: tuple, _articles) -> EvidenceLookup:
    return EvidenceLookup(_articles, paths.DEFAULT_CORPUS)


def evidence(ds: Dataset) -> EvidenceLookup:
    """Reads each cited article once per data version (evidence quotes in popups, Sources page)."""
    folder = data_dir()
    return _evidence(str(folder), _stamp(folder), ds.articles)
