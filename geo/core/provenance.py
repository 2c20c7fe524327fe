"""Where each field of a meeting came from: the article text, or an analyst (who, when, a note,
a source URL). One value, :class:`Provenance`, from the curation step to every output.

``meetings.csv`` publishes it in the ``provenance`` column as compact JSON (keys sorted, no
spaces, empty values left out), for example::

    {"origin":"article"}                                   extracted, nobody reviewed it
    {"origin":"article","reviewed":[{"analyst":"Ani","time":"2026-11-23T19:45:00Z"}]}
    {"fields":{"date":{"analyst":"Ani","note":"held a week later","source_url":"https://…"}},"origin":"article"}
    {"added":{"analyst":"Ani"},"fields":{"date":{"analyst":"Ani"},…},"origin":"analyst"}

- ``origin``: ``article`` (extraction found it) or ``analyst`` (an analyst's ``add``);
- ``added``: the analyst's decision that added the meeting (only with origin ``analyst``);
- ``reviewed``: the ``accept`` decisions behind the meeting;
- ``fields``: the fields an analyst gave (``edit``, or every field of an ``add``); any other
  field is the article's.

A decision (:class:`Given`) carries ``analyst``, ``time`` (ISO 8601 UTC), ``note`` and
``source_url``, each optional: a hand-written curation row names no analyst. An empty cell (a
table built before the column existed) is :data:`NOT_RECORDED`.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

ORIGINS = ("article", "analyst")
GIVEN_KEYS = ("analyst", "time", "note", "source_url")
KEYS = ("origin", "added", "reviewed", "fields")


@dataclass(frozen=True)
class Given:
    """An analyst's decision behind a value: who, when, why, from where (each may be empty)."""

    analyst: str = ""
    time: str = ""  # ISO 8601 UTC, e.g. 2026-11-23T19:45:00Z
    note: str = ""
    source_url: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in GIVEN_KEYS if getattr(self, k)}


@dataclass(frozen=True)
class Provenance:
    """Where a meeting's fields came from (see the module docstring)."""

    origin: str = "article"
    added: Given | None = None
    reviewed: tuple[Given, ...] = ()
    fields: tuple[tuple[str, Given], ...] = ()  # analyst-given fields, in the order given
    recorded: bool = True  # False: the table was built before provenance was published

    def given(self, field: str) -> Given | None:
        """The analyst's decision behind ``field``, or None when the field is the article's (the
        date's precision goes with the date unless given on its own)."""
        found = next((g for name, g in self.fields if name == field), None)
        if found is None and field == "date_precision":
            return self.given("date")
        return found

    @property
    def by_analyst(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.fields)

    @property
    def unreviewed(self) -> bool:
        """Extracted and untouched: no analyst accepted it or gave a field."""
        return self.recorded and self.origin == "article" and not self.reviewed and not self.fields

    def as_dict(self) -> dict:
        out: dict = {"origin": self.origin}
        if self.added is not None:
            out["added"] = self.added.as_dict()
        if self.reviewed:
            out["reviewed"] = [g.as_dict() for g in self.reviewed]
        if self.fields:
            out["fields"] = {name: g.as_dict() for name, g in self.fields}
        return out


ARTICLE = Provenance()
NOT_RECORDED = Provenance(recorded=False)


def encode(p: Provenance) -> str:
    """The cell: deterministic compact JSON (keys sorted, no spaces, non-ASCII kept)."""
    return json.dumps(p.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@lru_cache(maxsize=65536)  # most cells repeat: read once, shared by every reader of the table
def decode(cell: str, known: tuple[str, ...] = ()) -> Provenance:
    """A cell back into a :class:`Provenance`; ValueError saying what is wrong (the caller names
    file, row and field). ``known``: the field names ``fields`` may use (empty: any)."""
    text = (cell or "").strip()
    if not text:
        return NOT_RECORDED
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not JSON ({exc.msg} at character {exc.pos + 1})") from None
    if not isinstance(raw, dict):
        raise ValueError('must be a JSON object such as {"origin":"article"}')
    _only(raw, KEYS, "")
    origin = raw.get("origin")
    if origin not in ORIGINS:
        raise ValueError(f"origin {origin!r} is not one of: {', '.join(ORIGINS)}")
    added = _given(raw["added"], "added") if "added" in raw else None
    if (added is not None) != (origin == "analyst"):
        raise ValueError("'added' goes with origin 'analyst', and only with it")
    reviewed = raw.get("reviewed", [])
    if not isinstance(reviewed, list):
        raise ValueError("reviewed must be a list of decisions")
    fields = raw.get("fields", {})
    if not isinstance(fields, dict):
        raise ValueError("fields must be an object: field name -> decision")
    unknown = [f for f in fields if known and f not in known]
    if unknown:
        raise ValueError(f"fields: unknown field {unknown[0]!r} (one of: {', '.join(known)})")
    order = {name: i for i, name in enumerate(known)}
    named = sorted(fields.items(), key=lambda kv: order.get(kv[0], len(order)))  # the table's column order
    return Provenance(
        origin,
        added,
        tuple(_given(g, f"reviewed[{i}]") for i, g in enumerate(reviewed)),
        tuple((name, _given(g, f"fields.{name}")) for name, g in named),
    )


def _only(raw: dict, keys: Collection[str], where: str) -> None:
    extra = [k for k in raw if k not in keys]
    if extra:
        raise ValueError(f"{where + ': ' if where else ''}unknown key {extra[0]!r} (known: {', '.join(keys)})")


def _given(raw: object, where: str) -> Given:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be an object with {', '.join(GIVEN_KEYS)}")
    _only(raw, GIVEN_KEYS, where)
    for k, v in raw.items():
        if not isinstance(v, str):
            raise ValueError(f"{where}.{k} must be text")
    time_problem = check_time(raw.get("time", ""))
    if time_problem:
        raise ValueError(f"{where}.time: {time_problem}")
    return Given(**raw)


def check_time(value: str) -> str | None:
    """None for an empty or ISO 8601 time (2026-11-23T19:45:00Z), else why it is not one."""
    if not value:
        return None
    try:
        parse_time(value)
    except ValueError:
        return f"{value!r} is not an ISO 8601 time (e.g. 2026-11-23T19:45:00Z)"
    return None


def parse_time(value: str) -> datetime:
    """An ISO 8601 time; a trailing Z means UTC."""
    return datetime.fromisoformat(value.strip().removesuffix("Z") + ("+00:00" if value.strip().endswith("Z") else ""))


__all__ = ["ARTICLE", "NOT_RECORDED", "Given", "Provenance", "check_time", "decode", "encode", "parse_time"]
