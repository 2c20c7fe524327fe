"""The map's front-end files, offline: Leaflet and jQuery from the pip packages XStatic-Leaflet
and XStatic-jQuery, and the bundled Natural Earth basemap.

Two ways to hand them to a browser:

- ``served``: copied once into ``static/vendor/`` (``ensure_static()``) and loaded from the app's
  own URL ``/app/static/vendor/...`` (Streamlit static serving, ``.streamlit/config.toml``);
- ``inline``: their text, to be written into a self-contained HTML file (briefing export).

Never a CDN. ``static/vendor/`` is generated (gitignored): delete it and it is copied again.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import xstatic.pkg.jquery as xs_jquery
import xstatic.pkg.leaflet as xs_leaflet

from geo.core import atomic
from geo.core.errors import DataError, Problem
from geo.core.paths import STATIC, display
from geo.present.basemap import BASEMAP, basemap_text

VENDOR = STATIC / "vendor"
URL_PREFIX = "/app/static/vendor/"  # where Streamlit serves ./static/vendor


@dataclass(frozen=True)
class Asset:
    name: str  # file name under static/vendor/
    source: Path  # where it comes from

    @property
    def url(self) -> str:
        return URL_PREFIX + self.name


LEAFLET_JS = Asset("leaflet.js", Path(xs_leaflet.BASE_DIR) / "leaflet.js")
LEAFLET_CSS = Asset("leaflet.css", Path(xs_leaflet.BASE_DIR) / "leaflet.css")
JQUERY_JS = Asset("jquery.min.js", Path(xs_jquery.BASE_DIR) / "jquery.min.js")
BASEMAP_JSON = Asset("countries.json", BASEMAP)  # .json: served as application/json

SCRIPTS = (LEAFLET_JS, JQUERY_JS)  # order matters: folium's popups use jQuery ($)
STYLES = (LEAFLET_CSS,)
ALL = SCRIPTS + STYLES + (BASEMAP_JSON,)

LEAFLET_VERSION = xs_leaflet.VERSION
JQUERY_VERSION = xs_jquery.VERSION


def default_js(mode: str) -> list[tuple[str, str]]:
    """folium ``default_js`` for a map instance: our URLs when served, nothing when inlined."""
    return [(a.name, a.url) for a in SCRIPTS] if mode == "served" else []


def default_css(mode: str) -> list[tuple[str, str]]:
    return [(a.name, a.url) for a in STYLES] if mode == "served" else []


@lru_cache(maxsize=8)
def text(asset: Asset) -> str:
    """An asset's text (for inlining), read once."""
    if asset is BASEMAP_JSON:
        return basemap_text(str(asset.source))
    try:
        return asset.source.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(
            Problem(display(asset.source), f"cannot be read ({exc.strerror})"),
            "Reinstall the requirements: bash scripts/setup.sh",
        ) from None


def ensure_static(vendor: Path = VENDOR) -> Path:
    """Copy the assets into ``static/vendor/`` unless an identical copy is already there.

    Atomic per file, so a browser never gets half a script. Returns the folder.
    """
    for asset in ALL:
        if asset is BASEMAP_JSON:
            basemap_text(str(asset.source))  # validate before serving
        target = vendor / asset.name
        if target.exists() and target.stat().st_size == asset.source.stat().st_size:
            continue
        atomic.write_bytes(target, asset.source.read_bytes())
        target.chmod(0o644)
    return vendor


def remove_static(vendor: Path = VENDOR) -> None:
    """Delete the generated copies (tests and clean-ups)."""
    shutil.rmtree(vendor, ignore_errors=True)
