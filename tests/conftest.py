"""Shared test fixtures: the small test data folder, the seed articles, one Chromium per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.core import atomic
from geo.core.paths import DATA, DEFAULT_CORPUS, ROOT
from geo.present.browser import chromium_path, launch

FIXTURES = Path(__file__).parent / "fixtures"
# The project's own vocabularies: what a build needs besides the corpus and the analyst's files.
VOCABULARIES = ("mediators.csv", "participants.csv", "events.csv", "aliases.csv", "region_prior.csv")


@pytest.fixture(scope="session", autouse=True)
def _no_disk_flush() -> Iterator[None]:
    """Tests check that writes replace files atomically, not that they survive a power cut: the
    fsync in geo.core.atomic is skipped (on a busy disk it costs more than the test around it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(atomic.os, "fsync", lambda fd: None)
        yield


@pytest.fixture(scope="session")
def fixture_data() -> Path:
    """tests/fixtures/data: made-up tables for unit tests (the committed data/ is for the golden
    rebuild and the app tests only). Read it; copy it to tmp_path before changing anything."""
    return FIXTURES / "data"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles beside the checkout; absent in a fresh clone (CI has them)."""
    if not (DEFAULT_CORPUS / "metadata.csv").exists():
        pytest.skip(f"seed articles not found at {DEFAULT_CORPUS} (they live in ../shared/seeds beside the checkout)")
    return DEFAULT_CORPUS


@pytest.fixture(scope="session")
def gazetteer():
    """The offline gazetteer, loaded once (from its disk cache) for the session."""
    from geo.places.gazetteer import get_gazetteer

    return get_gazetteer()


@pytest.fixture()
def data_dir(tmp_path: Path) -> Path:
    """A data folder for a build: the project's vocabularies, no generated tables, no decisions.
    (Modules that need another data folder define their own ``data_dir``.)"""
    d = tmp_path / "data"
    d.mkdir()
    for name in VOCABULARIES:
        shutil.copy(DATA / name, d / name)
    return d


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session (each start costs about a second); tests open
    their own contexts in it. Skips when Chromium is not installed."""
    if chromium_path() is None:
        pytest.skip("Chromium is not installed at /usr/bin/chromium (scripts/setup.sh installs it)")
    with launch() as shared:
        yield shared
