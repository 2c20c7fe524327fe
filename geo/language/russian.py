"""Russian case forms, cheaply: a name in running text takes a case ending ("в Москве",
"с Пашиняном", "в Брюсселе"). Without a morphology package, a word is read as a known name
when it is that name, or the name's stem (without a soft final) plus one of the endings below.
The caller says what is known (an alias table, the gazetteer)."""

from __future__ import annotations

import re
from collections.abc import Callable

ENDINGS = (
    "ыми",
    "ими",
    "ами",
    "ями",
    "ом",
    "ем",
    "ём",
    "ым",
    "им",
    "ой",
    "ей",
    "ых",
    "их",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "ы",
    "и",
)
# A name ending in one of these loses it before a case ending (Мишель -> Мишелем, Россия ->
# России, Москва -> Москве, Казань -> Казани).
SOFT_FINALS = ("ь", "й", "я", "а")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


def base_form(word: str, known: Callable[[str], bool]) -> str | None:
    """The known name ``word`` is a case form of (``word`` itself when known), else None."""
    if known(word):
        return word
    if not is_cyrillic(word):
        return None
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)]
            for final in ("", *SOFT_FINALS):
                if known(stem + final):
                    return stem + final
    return None


def inflected_pattern(name: str) -> str:
    """A regex for a Cyrillic name in any case form: the name, or its stem with a case ending."""
    endings = "(?:" + "|".join(ENDINGS) + ")"
    if name[-1].casefold() in SOFT_FINALS:
        return re.escape(name) + "|" + re.escape(name[:-1]) + endings
    return re.escape(name) + endings + "?"


# Russian letters in Latin (BGN/PCGN-like); "х" is also written "gh" or "h" in names borrowed
# from Armenian or Azerbaijani ("Цахкадзор" -> Tsaghkadzor, GeoNames' spelling)
_LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
        "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
        "ь": "", "э": "e", "ю": "yu", "я": "ya",
    }
)  # fmt: skip
_KH_VARIANTS = ("kh", "gh", "h")
_VOWELS = "аеёиоуыэюя"


def latin_spellings(word: str) -> tuple[str, ...]:
    """Latin spellings of a Cyrillic place name in any case form ("Чолпон-Ате" -> "cholpon-ata",
    "Давосе" -> "davos", "Цахкадзоре" -> "tsaghkadzor" among others): the name and its possible
    base forms (the case ending taken off, a soft final put back), transliterated. For towns
    GeoNames knows only in Latin letters (the small towns of ``cities500``)."""
    if not is_cyrillic(word):
        return ()
    low = word.casefold()
    bases = [low]
    for ending in ENDINGS:
        stem = low[: -len(ending)]
        if low.endswith(ending) and len(stem) >= 4:  # "Белом" (доме) is no town "Bely"
            bases += [stem + final for final in ("", *SOFT_FINALS) if final != "й" or stem[-1] in _VOWELS]
    out: list[str] = []
    for base in bases:
        latin = base.translate(_LATIN)
        out += [latin] if "kh" not in latin else [latin.replace("kh", v) for v in _KH_VARIANTS]
    return tuple(dict.fromkeys(out))
