"""Folding names for lookup: case, accents, punctuation, and "St."/"St" <-> "Saint".

``fold("St. Petersburg") == fold("Saint-Petersburg") == "saint petersburg"``;
``fold("Genève") == "geneve"``; ``fold("Москва") == "москва"`` (other scripts keep their
letters, only case and combining marks are folded).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Abbreviations spelled out after folding (whole words only).
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}
_APOSTROPHES = "'’‘`´ʼ"
_DROP = str.maketrans("", "", _APOSTROPHES)
_ABBREVIATION_WORDS = frozenset(_ABBREVIATIONS)


@lru_cache(maxsize=1)
def _drop_marks() -> dict[int, None]:
    """Combining marks (accents once NFKD has split them off) and apostrophes: deleted.
    Built on first use. Every combining mark lies below U+20000 (the last is U+1E94A)."""
    table: dict[int, None] = {c: None for c in range(0x20000) if unicodedata.combining(chr(c))}
    table.update({ord(c): None for c in _APOSTROPHES})
    return table


_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=400_000)
def fold(name: str) -> str:
    """Lookup key for a place name: lower case, no accents or punctuation, abbreviations expanded."""
    if name.isascii():
        stripped = name.translate(_DROP).lower()
    else:
        stripped = unicodedata.normalize("NFKD", name).translate(_drop_marks()).casefold()
    words = _NON_WORD.sub(" ", stripped).split()
    if _ABBREVIATION_WORDS.isdisjoint(words):
        return " ".join(words)
    return " ".join([_ABBREVIATIONS.get(w, w) for w in words])
