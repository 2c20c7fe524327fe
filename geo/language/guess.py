"""A cheap guess at an article's language, for the upload report: the writing system of its
letters, and for Latin script whether common English words make up a fair share of the words.
A hint for the analyst ("Russian or another Cyrillic-script language"), never a decision.

:func:`language_code` is the same guess as a code (``en``, ``ru``, ``de``, ...): the build
reports an article in a language the word lists do not cover ("language not supported: de")
instead of reading it with the English rules in silence."""

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


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


CODES = {  # the first word of a letter's Unicode name -> language code (Cyrillic: see _cyrillic)
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "ARABIC": "ar",
    "GREEK": "el",
    "HEBREW": "he",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
}
# a few very common words of Latin-script languages, by code: the language with the largest share wins
FUNCTION_WORDS = {
    "en": _ENGLISH,
    "fr": _set("le la les des du une et est dans pour sur avec par qui que au aux ont été sont pas"),
    "de": _set("der die das und ist nicht mit von den dem des ein eine auf für sich zu im wurde sind"),
    "es": _set("el la los las del y en que por con para una es se al fue han sus como"),
    "it": _set("il lo la gli le di che e è per con una del della sono nel alla ha"),
    "pt": _set("o a os as do da dos das e em que para com uma não foi são ao pelo"),
    "nl": _set("de het een en van in is dat op te met voor zijn niet werd door"),
    "tr": _set("ve bir bu da de ile için olarak olan daha gibi çok ama"),
    "az": _set("və bir bu ilə üçün olan da də isə ki görə onun"),
    "pl": _set("i w na z się nie do że jest to o od po przez oraz"),
}
_UKRAINIAN = frozenset("іїєґ")
SAMPLE = 20_000  # characters looked at: enough for a guess, cheap on a long article


def guess_language(text: str) -> str:
    """'English', 'Armenian', 'a Latin-script language other than English', ... or 'unknown'."""
    sample = text[:SAMPLE]
    counts = _script_counts(sample)
    if not counts:
        return "unknown"
    script = max(counts, key=counts.get)
    if script != "LATIN":
        return SCRIPTS.get(script, "unknown")
    words = [w.lower() for w in _WORD.findall(sample)]
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "English" if share >= 0.12 else "a Latin-script language other than English"


def language_code(text: str) -> str:
    """The language of ``text`` as a code (``en``, ``fr``, ``ru``, ``uk``, ``hy``, ...), or
    'und' when there are no letters or too few known words to tell."""
    counts = _script_counts(text[:SAMPLE])
    if not counts:
        return "und"
    script = max(counts, key=counts.get)
    if script == "CYRILLIC":
        return _cyrillic(text[:SAMPLE])
    if script != "LATIN":
        return CODES.get(script, "und")
    words = [w.lower() for w in _WORD.findall(text[:SAMPLE])]
    shares = {code: sum(w in known for w in words) for code, known in FUNCTION_WORDS.items()}
    best = max(shares, key=shares.get)
    return best if shares[best] >= max(1, 0.05 * len(words)) else "und"


def _script_counts(sample: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ch in sample:
        if ch.isalpha():
            script = unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
            counts[script] = counts.get(script, 0) + 1
    return counts


def _cyrillic(sample: str) -> str:
    """'uk' when Ukrainian-only letters are frequent, else 'ru' (the Cyrillic language read here)."""
    lower = sample.lower()
    letters = sum(ch.isalpha() for ch in lower)
    return "uk" if sum(ch in _UKRAINIAN for ch in lower) > 0.005 * letters else "ru"
