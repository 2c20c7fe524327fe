"""Where things live: repository root, data tables, default corpus."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("TALKS_ATLAS_DATA", ROOT / "data"))
STATIC = ROOT / "static"

# The seed articles sit beside the checkout in development and CI; a fresh clone may lack them.
CORPUS_ENV = "TALKS_ATLAS_CORPUS"  # the app reads article texts only from inside this folder
DEFAULT_CORPUS = Path(os.environ.get(CORPUS_ENV, ROOT.parent / "shared" / "seeds"))


def display(path: Path | str) -> str:
    """A path as a user should read it: relative to the repo when inside it. Links are not
    followed (a link that loops or leads nowhere is still named)."""
    p = Path(os.path.abspath(path))
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(path)
