"""Opt-in online fallback (``--online``): Nominatim through geopy.

- a project ``user_agent``; a RateLimiter of 1 request/s with ``max_retries=0`` (offline it
  fails at once instead of retrying for ~10 s);
- a persistent on-disk cache of successes only (``cache/geocoder.json``, gitignored): a
  timeout or an unreachable server is never remembered as "not found";
- the geocode function is injectable, so tests never touch the network.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from geo.core import atomic
from geo.core.text import fold
from geo.places.gazetteer import CACHE_DIR, Place

USER_AGENT = "talks-atlas/1.0 (Armenia-Azerbaijan talks map; offline-first research tool)"

_PRECISION = {
    "city": "city",
    "town": "city",
    "village": "city",
    "municipality": "city",
    "hamlet": "city",
    "suburb": "city",
    "state": "region",
    "province": "region",
    "region": "region",
    "county": "region",
    "country": "country",
}


class OnlineGeocoder:
    """``geocoder(name) -> Place | None``. ``failures`` lists the names whose lookup failed
    for a transient reason (network, timeout, rate limit) in this run."""

    def __init__(
        self,
        geocode: Callable[..., object] | None = None,
        cache_path: Path | str | None = CACHE_DIR / "geocoder.json",
        user_agent: str = USER_AGENT,
        min_delay_seconds: float = 1.0,
        timeout: float = 5.0,
    ):
        self._user_agent = user_agent
        self._geocode = geocode
        self._min_delay = min_delay_seconds
        self._timeout = timeout
        self.cache_path = Path(cache_path) if cache_path else None
        self.cache: dict[str, dict] = self._load()
        self.failures: list[tuple[str, str]] = []
        self.calls = 0

    def _load(self) -> dict[str, dict]:
        if not self.cache_path or not self.cache_path.exists():
            return {}
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            return {}  # a damaged cache is only a cache: start again, it is rewritten on success
        return data if isinstance(data, dict) else {}

    def _client(self) -> Callable[..., object]:
        if self._geocode is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            nominatim = Nominatim(user_agent=self._user_agent, timeout=self._timeout)
            self._geocode = RateLimiter(
                nominatim.geocode, min_delay_seconds=self._min_delay, max_retries=0, swallow_exceptions=False
            )
        return self._geocode

    def __call__(self, name: str) -> Place | None:
        key = fold(name)
        if not key:
            return None
        if key in self.cache:
            return _place(self.cache[key])
        from geopy.exc import GeopyError

        self.calls += 1
        try:
            location = self._client()(name, exactly_one=True, addressdetails=True, language="en")
        except (GeopyError, OSError) as exc:
            detail = str(exc).splitlines()[0] if str(exc) else ""
            if "Failed to resolve" in detail or "Name or service not known" in detail:
                detail = "no network (the server's name could not be resolved)"
            self.failures.append((name, f"{type(exc).__name__}: {detail[:160]}"))
            return None  # transient: not cached, tried again next run
        if location is None:
            return None  # not found: not cached either (successes only)
        raw = getattr(location, "raw", {}) or {}
        address = raw.get("address") or {}
        entry = {
            "name": (raw.get("name") or name).strip() or name,
            "country": str(address.get("country_code", "")).upper(),
            "lat": round(float(location.latitude), 5),
            "lon": round(float(location.longitude), 5),
            "precision": _PRECISION.get(str(raw.get("addresstype") or raw.get("type") or ""), "venue"),
        }
        if len(entry["country"]) != 2:
            return None  # no country: cannot be a venue row (country is required)
        self.cache[key] = entry
        if self.cache_path is not None:
            atomic.write_text(self.cache_path, json.dumps(self.cache, ensure_ascii=False, indent=1, sort_keys=True))
        return _place(entry)


def _place(entry: dict) -> Place:
    return Place(
        name=entry["name"],
        country=entry["country"],
        lat=float(entry["lat"]),
        lon=float(entry["lon"]),
        geonames_id=None,
        population=0,
        admin1="",
        precision=entry.get("precision", "venue"),
        resolved_by="geocoder",
    )
