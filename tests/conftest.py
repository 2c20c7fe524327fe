"""Shared test fixtures."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.core.paths import DEFAULT_CORPUS, ROOT

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles beside the checkout; absent in a fresh clone (CI has them)."""
    if not (DEFAULT_CORPUS / "metadata.csv").exists():
        pytest.skip(f"seed articles not found at {DEFAULT_CORPUS} (they live in ../shared/seeds beside the checkout)")
    return DEFAULT_CORPUS


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
