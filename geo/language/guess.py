"""A cheap guess at an article's language, for the upload report: the writing system of its
letters, and for Latin script whether common English words make up a fair share of the words.
A hint for the analyst ("Russian or another Cyrillic-script language"), never a decision."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+")
_ENGLISH = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "that",
        "for",
        "on",
        "with",
        "as",
        "was",
        "by",
        "at",
        "from",
        "it",
        "be",
        "are",
        "were",
        "said",
        "has",
        "have",
        "this",
        "an",
        "which",
        "will",
        "not",
        "their",
        "his",
        "its",
        "after",
        "also",
        "who",
        "been",
        "but",
        "they",
    }
)
SCRIPTS = {  # the first word of a letter's Unicode name -> what to call the text
    "CYRILLIC": "Russian or another Cyrillic-script language",
    "ARMENIAN": "Armenian",
    "GEORGIAN": "Georgian",
    "ARABIC": "Arabic script (Arabic, Persian, ...)",
    "GREEK": "Greek",
    "HEBREW": "Hebrew",
    "CJK": "Chinese or Japanese",
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
    "HANGUL": "Korean",
}
SAMPLE = 20_000  # characters looked at: enough for a guess, cheap on a long article


def guess_language(text: str) -> str:
    """'English', 'Armenian', 'a Latin-script language other than English', ... or 'unknown'."""
    sample = text[:SAMPLE]
    counts: dict[str, int] = {}
    for ch in sample:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "unknown"
    script = max(counts, key=counts.get)
    if script != "LATIN":
        return SCRIPTS.get(script, "unknown")
    words = [w.lower() for w in _WORD.findall(sample)]
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "English" if share >= 0.12 else "a Latin-script language other than English"
