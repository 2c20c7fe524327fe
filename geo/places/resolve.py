"""Disambiguation: choose one place among namesakes.

Not the most populous namesake: each candidate gets a score

    log10(population) + region prior (data/region_prior.csv)
    + qualifier      (+8 same country, +4 same state/admin1, -8 another country: "Arlington, Virginia")
    + context        (+0.5 same country as another place in the text, +1.5 within 250 km of one)
    + 1 for a national capital ("Vienna" is Austria's, not Virginia's, even next to Washington)
    - 3 for a US state (a city or a country is meant far more often: "Georgia", "Washington")
    + 0.5 for a project alias

and the best wins. A win by less than 1 point without a qualifier is flagged ambiguous (still
resolved, and listed in the report so an analyst can check it).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geo.places.gazetteer import Gazetteer, Place

AMBIGUOUS_MARGIN = 1.0
CAPITAL_BONUS = 1.0  # a national capital (GeoNames) over its namesakes: Washington D.C., Vienna
NEAR_KM = 250.0
NEAR_DEG = NEAR_KM / 111.0  # a degree of latitude is ~111 km: a cheap first test


@dataclass(frozen=True)
class Qualifier:
    """A country or state named next to the place: ("US", "VA") for "Arlington, Virginia".

    ``also`` holds other readings of the same word ("Georgia": the country GE, or US-GA);
    a candidate matching any reading gets the bonus.
    """

    country: str
    admin1: str = ""
    also: tuple[tuple[str, str], ...] = ()

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        return ((self.country, self.admin1), *self.also)

    @classmethod
    def of(cls, options) -> Qualifier | None:
        options = tuple(dict.fromkeys(options))
        if not options:
            return None
        (country, admin1), *rest = options
        return cls(country, admin1, tuple(rest))


@dataclass(frozen=True)
class Resolution:
    query: str
    place: Place | None
    candidates: tuple[Place, ...]  # best first
    scores: tuple[float, ...]
    ambiguous: bool
    reason: str  # 'only' | 'qualifier' | 'context' | 'prior' | 'alias' | 'unknown'

    @property
    def runner_up(self) -> Place | None:
        return self.candidates[1] if len(self.candidates) > 1 else None


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance (haversine), km."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def dedupe(candidates: Iterable[Place]) -> tuple[Place, ...]:
    """One entry per GeoNames feature; the first (an alias, when there is one) wins."""
    seen: dict[tuple[int | None, str, str], Place] = {}
    for p in candidates:
        key = (p.geonames_id, p.precision, p.name if p.geonames_id is None else "")
        seen.setdefault(key, p)
    return tuple(seen.values())


def base_score(place: Place, gaz: Gazetteer) -> float:
    """Population, region prior, US-state penalty, alias bonus: what needs no surrounding text."""
    s = math.log10(place.population + 10) + gaz.prior(place)
    if place.precision == "region":
        s -= 3.0
    if place.resolved_by == "alias":
        s += 0.5
    if place.precision == "city" and place.geonames_id in gaz.capitals:
        s += CAPITAL_BONUS
    return s


def _context_bonus(place: Place, context: Sequence[Place], countries: dict[str, int]) -> float:
    bonus = 0.0
    # another place of the same country (not this very place)
    same = countries.get(place.country, 0) - sum(1 for c in context if c.geonames_id == place.geonames_id)
    if same > 0:
        bonus += 0.5
    for c in context:
        if (
            abs(c.lat - place.lat) <= NEAR_DEG
            and abs(c.lon - place.lon) <= 4 * NEAR_DEG  # (up to 75° latitude)
            and c.geonames_id != place.geonames_id
            and distance_km(c, place) <= NEAR_KM
        ):
            bonus += 1.5
            break
    return bonus


def _countries(context: Sequence[Place]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in context:
        out[c.country] = out.get(c.country, 0) + 1
    return out


def _qualifier_bonus(country: str, admin1: str, place: Place) -> float:
    if country != place.country:
        return -8.0
    if admin1:
        return 12.0 if admin1 == place.admin1 else 4.0
    return 8.0


def choose(
    query: str,
    candidates: Sequence[Place],
    gaz: Gazetteer,
    qualifier: Qualifier | None = None,
    context: Sequence[Place] = (),
) -> Resolution:
    cands = dedupe(candidates)
    if not cands:
        return Resolution(query, None, (), (), False, "unknown")
    countries = _countries(context) if context else {}
    rows = []
    for i, p in enumerate(cands):
        base = base_score(p, gaz)
        total = base
        if qualifier is not None:
            total += max(_qualifier_bonus(country, admin1, p) for country, admin1 in qualifier.options)
        if context:
            total += _context_bonus(p, context, countries)
        rows.append((total, i, p, base))
    rows.sort(key=lambda t: (-t[0], t[1]))
    places = tuple(r[2] for r in rows)
    scores = tuple(round(r[0], 3) for r in rows)
    best = places[0]
    if len(places) == 1:
        return Resolution(query, best, places, scores, False, "alias" if best.resolved_by == "alias" else "only")
    margin = scores[0] - scores[1]
    ambiguous = qualifier is None and margin < AMBIGUOUS_MARGIN
    if qualifier is not None:
        reason = "qualifier"
    elif context and rows[0][3] < max(r[3] for r in rows[1:]):
        reason = "context"
    else:
        reason = "alias" if best.resolved_by == "alias" else "prior"
    return Resolution(query, best, places, scores, ambiguous, reason)


def resolve_name(
    name: str,
    gaz: Gazetteer,
    qualifier: Qualifier | None = None,
    context: Sequence[Place] = (),
) -> Resolution:
    """Resolve a place name as a person types it ("Arlington, Virginia", "Praha", "the Kremlin").

    A trailing ", COUNTRY" or ", STATE" that is not part of a known name is used as a qualifier.
    """
    query = name.strip()
    candidates = gaz.lookup(query)
    if not candidates and "," in query:
        head, _, tail = query.rpartition(",")
        q = Qualifier.of(gaz.qualifiers(tail))
        if q is not None and head.strip():
            candidates = gaz.lookup(head)
            qualifier = qualifier or q
    return choose(query, candidates, gaz, qualifier, context)
