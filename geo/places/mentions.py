"""Place mentions in an article, resolved and given a role.

``role='venue'``: a meeting is held there ("summit in Kazan", "met in Prague", "the Sochi
talks", "Moscow will host"). ``role='other'`` with a short ``reason``:

- ``metonymy``  the place stands for its government ("Moscow said", "Baku and Yerevan agreed",
  "Moscow's intention");
- ``dateline``  "BAKU, Oct 5 (Wire) -" at the start of a line;
- ``history``   a document or process named after the place ("the Alma-Ata Declaration"), or a
  sentence about years long before the article;
- ``name``      part of an organisation's name ("the Minsk Group");
- ``country`` / ``region``  a country or US state (venues are cities);
- ``qualifier`` the ", Russia" in "Moscow, Russia";
- ``passing``   anything else (capitals, war zones, visits).

Venue mentions whose name the gazetteer does not know ("talks in Camp Hill") are kept with
``place=None`` so they are reported as unresolved, never dropped. Such a name is first looked
up among the small towns (:meth:`Gazetteer.small_lookup`: "talks in Tsaghkadzor", "met at
Cholpon-Ata"), and resolved there (``how='small'``) with the country named after it and the
article's other places as context; only a venue with a meeting cue in its sentence gets there.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.core.text import fold
from geo.ingest.corpus import Article
from geo.language import datelines
from geo.language.russian import base_form, is_cyrillic, latin_spellings
from geo.language.sentences import GAPLESS, Sentences, split
from geo.language.words import alternation, folded, group, whole_words, words
from geo.places.gazetteer import Gazetteer, Place
from geo.places.resolve import Qualifier, Resolution, choose

# Words after which a "." does not end a name ("St. Petersburg", "D.C.", "U.S.").
_ABBREV = folded(words("abbreviations", "places.name"))


CUES = whole_words("cues", "places")
_HOST_AFTER = re.compile(
    r"^(?:\s+(?:and|or)\s+[A-Z][\w-]+)?(?:\s+"
    + group("auxiliaries", "places.before_host")
    + r")*\s+"
    + group("cues", "places.host")
    + r"\b",
    re.IGNORECASE,
)
_EVENT_AFTER = re.compile(r"^[-\s]+" + group("event_nouns", "places") + r"\b", re.IGNORECASE)
_HISTORY_AFTER = re.compile(r"^[-\s]+" + group("document_nouns", "places") + r"\b")
_NAME_AFTER = re.compile(r"^\s+" + group("organisation_nouns", "places") + r"\b")
_AUX = alternation("auxiliaries", "places.before_verb")
_VERB_AFTER = re.compile(
    r"^(?:\s+(?:and|or|,)\s+\S+)*?\s*,?(?:\s+(?:" + _AUX + r"))*\s+"
    r"(?:" + _AUX + "|" + alternation("reporting_verbs", "places.metonymy") + r")\b",
    re.IGNORECASE,
)
_REPORTED = whole_words("reporting_verbs", "places.reported")
_SPEAKING_BEFORE = re.compile(
    r"\b" + group("reporting_verbs", "places.speaking") + r"\b[^.;]{0,60}?\b(?:in|at)\s+$", re.IGNORECASE
)
_SAID_AFTER = re.compile(
    r"^,?\s+(?:(?:also|later|then|on \w+)\s+)?" + group("reporting_verbs", "places.said_after") + r"\b",
    re.IGNORECASE,
)
_SETTLEMENT = group("settlement_nouns", "places")  # "the resort town of", "Russia's capital of"
_VENUE_BEFORE = re.compile(
    r"(?:\b"
    + group("status_words", "places.planned_for")
    + r"\s+for\s+|\b"
    + group("function_words", "places.venue_preposition")
    + r"\s+)(?:the\s+)?(?:(?:[\w’'-]+\s+){0,3}?"
    + _SETTLEMENT
    + r"\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_DEMONYM_BEFORE = re.compile(
    r"(?:\b([A-Z][\w-]+?)(?:['’]s)?\s+(?:[\w-]+\s+){0,2}?" + _SETTLEMENT + r"\s+of\s+(?:the\s+)?"
    r"|\b([A-Z][\w-]+)['’]s\s+)$"
)
# the last word before a place named where a meeting is held: "in", "в", "à", or "of"/"the"/"for"
# closing a longer phrase ("in the resort town of", "planned for")
_BEFORE_VENUE_WORDS = folded(words("function_words", "places.venue_preposition")) | {"of", "the", "for"}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_NAME_PARTICLES = frozenset(words("function_words", "places.name_particle"))  # "in Rostov on Don"
_NAME_WORDS = (
    r"((?:[A-Z][\w’'-]+)(?:[ \t]+(?:[A-Z][\w’'-]+|" + alternation("function_words", "places.name_particle") + r"))*)"
)
# The preposition comes first and the word boundary before it after it ("in(?<=\bin)" is
# "\bin"): a pattern that starts with a literal lets the regex engine jump between its occurrences.
_UNKNOWN_AFTER_IN = re.compile(r"in(?<=\bin)\s+" + _NAME_WORDS)
# "at Cholpon-Ata", "in the Alpine town of Davos": only for a small town (an unknown name there
# is not reported: "at Camp Hill")
_SMALL_AFTER_AT = re.compile(r"at(?<=\bat)\s+" + _NAME_WORDS)
# "à Gabala", "в Чолпон-Ате", "в Давосе": after "à" or "в", only for a small town (a Cyrillic name
# by its Latin spelling)
_SMALL_AFTER_A = re.compile(r"(?<!\w)[àÀ]\s+" + _NAME_WORDS)
_SMALL_AFTER_V = re.compile(r"(?<!\w)[вВ]о?\s+([А-ЯЁ][\w-]+)")
_SMALL_AFTER_SETTLEMENT = re.compile(
    r"(?:in|at)(?<=\b..)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?" + _SETTLEMENT + r"\s+of\s+" + _NAME_WORDS
)
_NOT_PLACE_WORDS = frozenset(words("not_places", "places"))  # folded
_NEVER_PLACES = frozenset(words("not_places", "places.never"))  # folded: "Les", "Владимир" in running text
_GENERIC_AFTER = re.compile(r"^\s+" + group("generic_nouns", "places") + r"\b", re.IGNORECASE)
_QUALIFIER_AFTER = re.compile(r"[ \t]*(?:,|\(|[ \t]in\b)[ \t]*((?:[A-Z][\w.]*)(?:[ \t]+[A-Z][\w.]*){0,2})")
_NEXT_CAPITAL = re.compile(r"[ \t]([A-Z][a-z]+)")
_INITIAL_AFTER = re.compile(r"[ \t][A-Z]\.[ \t]+[A-Z]")  # "George P. Shultz": a first name, then an initial
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s+(?:and|or))\s+$")
_FUNCTION_WORDS = frozenset(words("function_words", "places.before_name"))
_TITLES = frozenset(words("titles", "places"))
_CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+\Z")  # "Maia", not "Russia." (a sentence end)


def _previous_word(text: str, start: int) -> str:
    """The word just before ``start`` when a single space separates them ('' otherwise)."""
    if start < 2 or text[start - 1] != " " or text[start - 2].isspace():
        return ""
    return text[max(0, start - 32) : start - 1].rsplit(None, 1)[-1]  # (at most 31 characters)


@dataclass(frozen=True)
class Mention:
    file: str
    start: int
    end: int
    text: str  # surface form, exactly text[start:end]
    place: Place | None  # None = unresolved
    role: str  # 'venue' | 'other'
    reason: str
    ambiguous: bool = False  # resolved, but a namesake scored almost as well
    runner_up: Place | None = None  # the namesake it was chosen over (for the report)
    how: str = ""  # how the place was chosen: only | qualifier | context | prior | alias | unknown
    pinned_row: int = 0  # the venue_overrides.csv row that set the place (0: none)
    pinned_from: str = ""  # the gazetteer's name for it before the override (for the build summary)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    key: str
    candidates: tuple[Place, ...]


def _is_capitalised(word: str) -> bool:
    first = word[0]
    return first.isupper() or (not first.islower() and not first.isupper())  # scripts without case


# A word that may start a name: capitalised (any script), or "the" ("the Kremlin"); words are
# letters with hyphen-joined parts ("Alma-Ata", "Nur-Sultan").
_START = re.compile(r"(?<![\w-])(?:[^\W\d_a-z][^\W\d_]*(?:-[^\W\d_]+)*|the\b)")
# The next word of a name and what sits before it: spaces (one line break at most), "." after an
# abbreviation, or ", " ("Washington, D.C." is an alias).
_NEXT = re.compile(r"(\.?[ \t]*\n?[ \t]*|,[ \t]+)([^\W\d_]+(?:-[^\W\d_]+)*)")


def _scan_key(word: str, gaz: Gazetteer) -> str:
    """The folded word to look up; a Russian case form of a known name is read as the name
    ("Москве" -> "москва", "Брюсселе" -> "брюссель")."""
    key = fold(word)
    if gaz.is_prefix(key) or not is_cyrillic(key):
        return key
    return base_form(key, lambda k: gaz.in_scan(fold(k))) or key


def _first_key(word: str, gaz: Gazetteer) -> str:
    """The scan key of a word that may start a name ('' when none starts with it)."""
    if word != "the" and not _is_capitalised(word):
        return ""
    key = _scan_key(word, gaz)
    return key if key and gaz.is_prefix(key) else ""


_KeyInfo = tuple[bool, "tuple[Place, ...] | None", bool, bool]


def _key_info(key: str, gaz: Gazetteer) -> _KeyInfo:
    """What the scan asks of a key: whether some name starts with it, the places it names
    (None when it names none), whether all of them / any of them are aliases."""
    if not gaz.in_scan(key):
        return gaz.is_prefix(key), None, False, False
    cands = gaz.scan_lookup(key)
    return True, cands, all(c.resolved_by == "alias" for c in cands), any(c.resolved_by == "alias" for c in cands)


_SCAN_MEMO: dict[int, tuple[Gazetteer, dict[str, str], dict[str, _KeyInfo]]] = {}
_SCAN_MEMO_MAX = 500_000  # words and keys remembered per gazetteer (a corpus's capitalised vocabulary)


def _scan_memo(gaz: Gazetteer) -> tuple[dict[str, str], dict[str, _KeyInfo]]:
    """:func:`_first_key` of each word and :func:`_key_info` of each key met so far, per
    gazetteer (found by identity): most capitalised words start no name, and a dict lookup
    rejects them at once; a corpus names its few places again and again."""
    known = _SCAN_MEMO.get(id(gaz))
    if known is None or known[0] is not gaz or len(known[1]) + len(known[2]) >= _SCAN_MEMO_MAX:
        if len(_SCAN_MEMO) >= 4:
            _SCAN_MEMO.clear()
        known = _SCAN_MEMO[id(gaz)] = (gaz, {}, {})
    return known[1], known[2]


def scan_names(text: str, gaz: Gazetteer, start: int = 0) -> list[_Hit]:
    """Longest gazetteer names in running text (capitalised, or an alias like 'the Kremlin').

    Only words that may start a name (capitalised, or "the") are looked at; from each, words
    are added while the folded words are the beginning of some known name.
    """
    hits: list[_Hit] = []
    pos = start
    first_keys, key_infos = _scan_memo(gaz)
    for m in _START.finditer(text, start):
        s0 = m.start()
        if s0 < pos:
            continue
        w0 = m.group()
        key = first_keys.get(w0)
        if key is None:
            key = first_keys[w0] = _first_key(w0, gaz)
        if not key:
            continue
        lower_start = w0 == "the"
        found = None
        prev_word, prev_end = w0, m.end()
        count = 1
        while True:
            info = key_infos.get(key)
            if info is None:
                info = key_infos[key] = _key_info(key, gaz)
            prefix, cands, all_alias, any_alias = info
            if not prefix:
                break
            if cands is not None:
                if lower_start:
                    ok = all_alias
                else:
                    ok = _is_capitalised(prev_word) or count > 1 and any_alias
                if ok:
                    found = (prev_end, prev_word, key, cands)
            if count >= gaz.max_words:
                break
            nm = _NEXT.match(text, prev_end)
            if not nm or not nm.group(1) or ("." in nm.group(1) and prev_word.lower() not in _ABBREV):
                break
            prev_word, prev_end = nm.group(2), nm.end()
            nxt = fold(prev_word)
            key = f"{key} {nxt}" if nxt else key
            count += 1
        if found is None:
            continue
        end, last_word, key, cands = found
        if len(last_word) == 1 and text[end : end + 1] == ".":  # "D.C." keeps its final dot
            end += 1
        hits.append(_Hit(s0, end, key, cands))
        pos = end
    return hits


def _qualifier_after(text: str, end: int, gaz: Gazetteer) -> tuple[Qualifier, int, int] | None:
    m = _QUALIFIER_AFTER.match(text, end, end + 60)
    if not m:
        return None
    words = m.group(1).split()
    for k in range(len(words), 0, -1):
        name = " ".join(words[:k]).rstrip(".") if not words[k - 1].endswith("C.") else " ".join(words[:k])
        q = Qualifier.of(gaz.qualifiers(name, cities="in" not in text[end : m.start(1)]))
        if q is not None:
            qs = m.start(1)
            return q, qs, qs + len(name)
    return None


def _qualifier_before(text: str, start: int, gaz: Gazetteer) -> Qualifier | None:
    window = text[max(0, start - 80) : start]
    if not window.rstrip().endswith(("of", "of the", "’s", "'s")):
        return None  # cheap test before the regex
    m = _DEMONYM_BEFORE.search(window)
    if not m:
        return None
    word = m.group(1) or m.group(2)
    code = gaz.demonym(word)
    if code:
        return Qualifier(code)
    return Qualifier.of(gaz.qualifiers(word))


@lru_cache(maxsize=100_000)
def _plain_choice(gaz: Gazetteer, key: str) -> Resolution:
    """Resolution of a name without qualifier or context: the same for every article."""
    return choose(key, gaz.scan_lookup(key), gaz)


@lru_cache(maxsize=100_000)
def _context_choice(gaz: Gazetteer, key: str, context: tuple[Place, ...]) -> Resolution:
    """Resolution of a name (scanned as ``key``, without qualifier) among an article's other
    places: articles of one story name the same places, so it is often known already. The
    choice does not depend on the order of the context (counts and "any place near"), so the
    caller passes it in :func:`_place_order` to meet the same tuple again."""
    return choose(key, gaz.scan_lookup(key), gaz, None, context)


def _place_order(p: Place) -> tuple[int, str]:
    return (p.geonames_id or 0, p.name)


def find_mentions(article: Article, gaz: Gazetteer) -> list[Mention]:
    """Every place mention in ``article.text`` (from ``body_start``), resolved, with a role."""
    text = article.text
    hits = scan_names(text, gaz, article.body_start)
    sentences = Sentences(split(text, article.body_start, GAPLESS))

    # Skip words that are the first half of a longer proper name ("Vladimir Putin").
    kept: list[_Hit] = []
    for h in hits:
        if h.key in gaz.demonyms:  # "Kazakh" is an adjective here, not the town of Gazakh
            continue
        if h.key in _NEVER_PLACES and not any(c.resolved_by == "alias" for c in h.candidates):
            continue  # a function word or a first name that GeoNames also gives a town ("Les", "Владимир")
        if h.key.count(" ") == 0 and not any(c.resolved_by == "alias" for c in h.candidates):
            prev = _previous_word(text, h.start)
            if _CAPITALISED_WORD.match(prev) and prev.lower() not in _FUNCTION_WORDS:
                p_start = h.start - 1 - len(prev)
                s0, _ = sentences.around(p_start)
                if s0 < p_start and not text[s0:p_start].isspace():  # not the first word of the sentence: "Maia Sandu"
                    continue
            if _INITIAL_AFTER.match(text, h.end, h.end + 6):
                continue  # "the George P. Shultz Center": a person's name, not the town of George
            nxt = _NEXT_CAPITAL.match(text, h.end, h.end + 30)
            if (
                nxt
                and not _HISTORY_AFTER.match(text[h.end : h.end + 60])
                and not _NAME_AFTER.match(text[h.end : h.end + 60])
            ):
                following = fold(nxt.group(1))
                if not gaz.in_scan(following) and not CUES.fullmatch(nxt.group(1)):
                    continue
            if prev.rstrip(".") in _TITLES and all(c.precision == "city" for c in h.candidates):
                continue  # "President Sandu" at the start of a sentence
        kept.append(h)

    # Pass 1: resolve with qualifiers only; confident resolutions become context for pass 2.
    qualifiers: dict[int, Qualifier | None] = {}
    qualifier_spans: dict[tuple[int, int], int] = {}  # span of "Idaho" -> index of the "Moscow" it qualifies
    first: dict[int, Resolution] = {}
    for k, h in enumerate(kept):
        plain = _plain_choice(gaz, h.key)
        citylike = plain.place is not None and plain.place.precision == "city"
        after = _qualifier_after(text, h.end, gaz) if citylike else None
        q = None
        if after is not None:
            q = after[0]
            qualifier_spans[(after[1], after[2])] = k
        elif citylike:
            q = _qualifier_before(text, h.start, gaz)
        qualifiers[k] = q
        first[k] = plain if q is None else choose(text[h.start : h.end], h.candidates, gaz, q)
    context = list(
        {
            r.place.geonames_id: r.place
            for r in first.values()
            if r.place is not None and not r.ambiguous and r.place.precision in ("city", "venue")
        }.values()
    )
    memo: dict[tuple[str, int | None], Resolution] = {}  # the same name in the same article: resolve once
    facts = _SentenceFacts(text)
    site_towns = _site_towns(first.values())

    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for k, h in enumerate(kept):
        res = first[k]
        owner = qualifier_spans.get((h.start, h.end))
        if owner is not None and first[owner].place is not None and len(res.candidates) > 1:
            q_place = first[owner].place  # "Georgia" after "Atlanta" is the US state
            res = choose(res.query, h.candidates, gaz, Qualifier(q_place.country))
        elif len(res.candidates) > 1 and qualifiers[k] is None:
            own = res.place.geonames_id if res.place else None
            if (h.key, own) not in memo:
                others = sorted((c for c in context if c.geonames_id != own), key=_place_order)
                memo[(h.key, own)] = _context_choice(gaz, h.key, tuple(others))
            res = memo[(h.key, own)]
        town = site_towns.get(h.key)
        if town is not None and res.place is not None and res.place.precision == "city" and qualifiers[k] is None:
            res = replace(res, place=town, ambiguous=False, reason="context")  # "Blenheim Palace ... in Woodstock"
        country = _country_namesake(gaz, res.place, h.key)
        if country is not None:
            res = replace(res, place=country, reason="country name")
        role, reason = _role(article, h.start, h.end, res.place, sentences, facts)
        if (h.start, h.end) in qualifier_spans:
            role, reason = "other", "qualifier"
        elif (
            role == "other"
            and reason == "passing"
            and mentions
            and _LIST_GAP.match(text[mentions[-1].end : h.start])
            and mentions[-1].role == "venue"
            and mentions[-1].reason == "meeting cue"
        ):
            role, reason = "venue", "meeting cue"  # "met in Berlin, Vienna and Geneva"
        place = res.place
        if role == "venue" and place is not None and place.precision == "country":
            city = next((c for c in res.candidates if c.country == place.country and c.precision == "city"), None)
            if city is not None:
                place = city
            else:
                role, reason = "other", "country"
        mentions.append(
            Mention(
                file=article.file,
                start=h.start,
                end=h.end,
                text=text[h.start : h.end],
                place=place,
                role=role,
                reason=reason,
                ambiguous=res.ambiguous,
                runner_up=res.runner_up if res.ambiguous else None,
                how=res.reason,
            )
        )
        taken.append((h.start, h.end))

    mentions.extend(_unknown_venues(article, gaz, sentences, taken, context, facts))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _site_towns(resolutions: Iterable[Resolution]) -> dict[str, Place]:
    """The towns of the researched sites (``data/sites.csv``) an article names, by folded name:
    the article's "Woodstock" is then the town of its "Blenheim Palace", not a larger namesake
    abroad that the site's town (too small for GeoNames' running-text index) would lose to."""
    out: dict[str, Place] = {}
    for r in resolutions:
        p = r.place
        if p is not None and p.precision == "venue" and p.resolved_by == "alias" and p.geonames_id is None:
            out.setdefault(fold(p.name), p)
    return out


def _country_namesake(gaz: Gazetteer, place: Place | None, written: str) -> Place | None:
    """The country a town abroad is named after, when a name in another language reached the
    town: "Армения", "Arménie" are alternate names of Armenia in Colombia in the gazetteer, but
    they name the country. None when the place is no foreign namesake of a country, or is
    named as the gazetteer names it ("Lebanon, Pennsylvania" stays the town)."""
    if place is None or place.precision != "city":
        return None
    key = fold(place.name)
    if key == written or not gaz.in_scan(key):
        return None
    return next((c for c in gaz.scan_lookup(key) if c.precision == "country" and c.country != place.country), None)


class _SentenceFacts:
    """What the roles read of a whole sentence, once per sentence (one names several places)."""

    def __init__(self, text: str):
        self.text = text
        self._cue: dict[tuple[int, int], bool] = {}
        self._year: dict[tuple[int, int], int | None] = {}

    def has_cue(self, s0: int, s1: int) -> bool:
        key = (s0, s1)
        if key not in self._cue:
            self._cue[key] = CUES.search(self.text[s0:s1]) is not None
        return self._cue[key]

    def latest_year(self, s0: int, s1: int) -> int | None:
        key = (s0, s1)
        if key not in self._year:
            self._year[key] = max((int(y) for y in _YEAR.findall(self.text[s0:s1])), default=None)
        return self._year[key]


def _role(
    article: Article, start: int, end: int, place: Place | None, sentences: Sentences, facts: _SentenceFacts
) -> tuple[str, str]:
    text = article.text
    after = text[end : end + 160]
    before = text[max(0, start - 80) : start]
    newline = text.rfind("\n", max(0, start - 80), start)
    at_line_start = not text[newline + 1 : start].strip() if newline >= 0 or start <= 80 else False
    if place is not None and place.precision == "country":
        return "other", "country"
    if place is not None and place.precision == "region":
        return "other", "region"
    if at_line_start and datelines.AFTER_NAME.match(after):
        return "other", "dateline"
    if _HISTORY_AFTER.match(after):
        return "other", "history"
    if _NAME_AFTER.match(after):
        return "other", "name"
    last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    after_preposition = last in _BEFORE_VENUE_WORDS and _VENUE_BEFORE.search(before) is not None
    if after.startswith(("'s", "’s")) and not after_preposition:
        return "other", "metonymy"  # "Moscow's position" (but "in Moscow's Kremlin" is a place)
    s0, s1 = sentences.around(start)
    if _HOST_AFTER.match(after):
        return "venue", "host"
    if _EVENT_AFTER.match(after):
        return "venue", "meeting cue"
    if not after_preposition and _VERB_AFTER.match(after):
        return "other", "metonymy"
    if after_preposition and last[-2:] in ("in", "at") and _SPEAKING_BEFORE.search(before):
        return "other", "passing"  # "speaking in Gyumri, he said the talks ...": where someone spoke
    if after_preposition and _SAID_AFTER.match(after):
        return "other", "passing"  # "officials in Moscow said ...": where people speak from
    if article.date is not None:
        latest = facts.latest_year(s0, s1)
        if latest is not None and latest < article.date.year - 3:
            return "other", "history"
    if after_preposition and facts.has_cue(s0, s1):
        if not CUES.search(text, s0, start) and _reported_before_cue(text, end, s1):
            return "other", "passing"  # "In Baku, Aliyev said the treaty could be signed": where he spoke
        return "venue", "meeting cue"
    return "other", "passing"


def _reported_before_cue(text: str, end: int, sentence_end: int) -> bool:
    """Whether a reporting verb ("said") comes between the place and the first meeting cue after it."""
    cue = CUES.search(text, end, sentence_end)
    return cue is not None and _REPORTED.search(text, end, cue.start()) is not None


def _unknown_venues(
    article: Article,
    gaz: Gazetteer,
    sentences: Sentences,
    taken: Sequence[tuple[int, int]],
    context: Sequence[Place] = (),
    facts: _SentenceFacts | None = None,
) -> list[Mention]:
    """'talks in Somewhere' where the scanned names hold no Somewhere: a small town when the
    small index knows it, else an unresolved venue."""
    text = article.text
    facts = facts or _SentenceFacts(text)
    out = []
    spans = sorted(taken)
    taken_starts = [a for a, _ in spans]
    taken_ends_upto = list(itertools.accumulate((b for _, b in spans), max))
    after_in = _UNKNOWN_AFTER_IN.finditer(text, article.body_start)
    after_at = _SMALL_AFTER_AT.finditer(text, article.body_start)
    after_settlement = _SMALL_AFTER_SETTLEMENT.finditer(text, article.body_start)
    after_a = _SMALL_AFTER_A.finditer(text, article.body_start)
    after_v = _SMALL_AFTER_V.finditer(text, article.body_start)
    small_only = itertools.chain(after_at, after_settlement, after_a, after_v)
    for m in sorted(itertools.chain(after_in, small_only), key=lambda m: m.start(1)):
        s, e = m.start(1), m.end(1)
        words = m.group(1).split()
        while words and fold(words[-1]) in _NAME_PARTICLES:
            words.pop()
        e = s + len(" ".join(words)) if words else s
        if not words or fold(words[0]) in _NOT_PLACE_WORDS or gaz.demonym(words[0]):
            continue
        if len(words) == 1 and words[0].isupper():  # an acronym: "in NATO", "at OSCE"
            continue
        k = bisect.bisect_left(taken_starts, e)
        if k and taken_ends_upto[k - 1] > s:  # overlaps a name already found
            continue
        if _GENERIC_AFTER.match(text[e : e + 40]):
            continue
        s0, s1 = sentences.around(s)
        if not facts.has_cue(s0, s1):
            continue
        if "\n" in text[s:e]:
            continue
        small = _small_town(text, s, words, gaz, context)
        if small is not None:
            e, small = small
            out.append(
                Mention(
                    article.file,
                    s,
                    e,
                    text[s:e],
                    small.place,
                    "venue",
                    "meeting cue",
                    ambiguous=small.ambiguous,
                    runner_up=small.runner_up if small.ambiguous else None,
                    how="small",
                )
            )
        elif m.re is _UNKNOWN_AFTER_IN:
            out.append(Mention(article.file, s, e, text[s:e], None, "venue", "meeting cue", how="unknown"))
    return out


def _small_town(
    text: str, start: int, words: Sequence[str], gaz: Gazetteer, context: Sequence[Place]
) -> tuple[int, Resolution] | None:
    """The end of the longest leading words that name a small town ("Tsaghkadzor" of
    "Tsaghkadzor on Tuesday") and the town chosen ("Gabala, Azerbaijan"), or None."""
    ends, end = [], start
    for w in words:
        end = text.index(w, end) + len(w)
        ends.append(end)
    for end in reversed(ends):
        name = text[start:end]
        keys = (fold(name), *(fold(k) for k in latin_spellings(name)))  # "Чолпон-Ате": cholpon ata
        candidates = next((c for c in map(gaz.small_lookup, keys) if c), ())
        if candidates:
            break
    else:
        return None
    after = _qualifier_after(text, end, gaz)
    qualifier = after[0] if after is not None else None
    res = choose(text[start:end], candidates, gaz, qualifier, context)
    if qualifier is not None and res.place is not None and res.place.country not in {c for c, _ in qualifier.options}:
        return None  # "Woodstock, England" when no English Woodstock is known: unresolved, not a wrong one
    return end, res


def context_places(text: str, gaz: Gazetteer) -> list[Place]:
    """Places named in a free text, confidently resolved: context for disambiguation."""
    out = []
    for h in scan_names(text, gaz):
        res = choose(text[h.start : h.end], h.candidates, gaz)
        if res.place is not None and not res.ambiguous:
            out.append(res.place)
    return out
