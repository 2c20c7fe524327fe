"""Candidate meetings from article text.

A candidate is a sentence with a meeting cue ("met", "talks", "summit", "will meet", ...) and a
venue named *as a place where something happens* (after "in"/"at"/"of", or as "the Prague
meeting"), with both sides (Armenia and Azerbaijan: people or country words from the
participants lexicon) named in the sentence or just before it. What the sentence lacks (a
date) may come from a cue sentence just before it ("Russia on June 20 ... hosting ..." then
"In St. Petersburg, ..."). Everything a candidate says is traced to ``evidence`` spans.

Not meetings: a metonym ("Moscow insists"), a dateline ("MOSCOW, Oct 8 -"), a document named
after a city ("Alma-Ata Declaration"), a place named in passing ("posted from Moscow"), a place
far from the cue in a long sentence. Announced meetings are ``planned``.

Venue mentions come from the venues work (``geo.places.mentions.find_mentions``); tests inject their
own finder, so extraction is testable without the gazetteer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from geo.core.dates import PRECISIONS, When, rank, years_after
from geo.core.text import fold
from geo.ingest.corpus import Article
from geo.language import datelines
from geo.language.sentences import TRIMMED, split
from geo.language.words import alternation, group, whole_words, word_scan
from geo.meetings.dates_in_text import (
    DateExpr,
    Event,
    EventHit,
    Reference,
    ResolvedDate,
    choose_event,
    default_events,
    find_dates,
    find_events,
    infer_reference,
    later_amount,
    resolve,
    resolve_in_year,
    shift_later,
    year_named_after,
)
from geo.meetings.lexicon import Lexicon, default_lexicon
from geo.meetings.status import Wording, confidence, denies_meeting, meeting_status, wording_at

# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class VenueMention:
    """A place named in an article that could be a meeting venue (city level or finer)."""

    start: int
    end: int
    text: str
    venue: str  # canonical name, joins venues.csv
    country: str  # ISO-2


@dataclass(frozen=True)
class Candidate:
    id: str  # stable: FILE#<hash of the first evidence sentence>[-n], see candidate_id
    file: str
    venue: str
    host: str
    date: When | None  # None when the year is unknown
    mediators: tuple[str, ...]
    participants: tuple[str, ...]
    level: str
    format: str
    status: str
    event: str
    confidence: float
    evidence: tuple[tuple[int, int], ...]  # character spans in the article text
    reasons: tuple[str, ...] = field(default=())
    venue_detail: str = ""
    notes: str = ""
    curated: bool = False  # an analyst decision touched it (accept or edit)
    meeting_id: str = ""  # set by an analyst's 'edit,id,...'
    evidence_override: tuple[str, ...] = ()  # FILE:START-END refs set by an analyst
    legacy_id: str = ""  # the id before November 2026 (FILE#venue-slug[-n]), to migrate decisions

    @property
    def refs(self) -> tuple[str, ...]:
        return self.evidence_override or self.evidence_refs

    @property
    def evidence_refs(self) -> tuple[str, ...]:
        return tuple(f"{self.file}:{s}-{e}" for s, e in self.evidence)

    @property
    def date_precision(self) -> str:
        """day | month | year ('year' when the year is unknown)."""
        return self.date.precision if self.date else "year"


MentionFinder = Callable[[Article], Iterable[VenueMention]]

# ---------------------------------------------------------------------------------------------
# Cues

CUE = word_scan("cues", "meetings")  # whole words, tried only where a cue can start
HYPOTHETICAL = re.compile(
    r"\b"
    + group("status_words", "meetings.hypothetical_modal")
    + r"\s+(?:\w+\s+){0,2}"
    + group("status_words", "meetings.hypothetical_outcome")
    + r"\b"
    r"|\b" + group("status_words", "meetings.possible_after") + r"\s+possible\b",
    re.IGNORECASE,
)
MEDIATION = word_scan("mediation_words", "meetings")
# Right before a venue: the preposition that makes it a place where something happens.
# ("in", "at" and their French and Russian counterparts: "à", "в"; a capitalised word or two between)
_VENUE_PREPOSITION = "(?i:" + group("function_words", "places.venue_preposition") + ")"
LOCATIVE = re.compile(
    r"\b(?:to|of|" + _VENUE_PREPOSITION + r")\s+(?:the\s+|la\s+|l['’])?(?:[A-ZА-ЯЁ][\w-]*\s+){0,2}$"
)  # "in the Belgian capital", "à la Maison-Blanche", "à l'Élysée"
# "in Vienna, Moscow and Davos", "в Вене, Москве и Давосе", "à Vienne, Moscou et Davos": a place in a
# list after a venue preposition
LIST_LOCATIVE = re.compile(
    r"\b"
    + _VENUE_PREPOSITION
    + r"\s+(?:the\s+)?(?:[A-ZА-ЯЁÀ-Ý][\w.’'-]*(?:\s+[A-ZА-ЯЁÀ-Ý][\w.’'-]*){0,2}(?:,\s+|\s+(?:and|и|et)\s+)){1,4}$"
)
# "в резиденции «Бочаров ручей»", "at the residence 'Bocharov Ruchey'": a quoted name after a site
# noun is a place where something happens too (unquoted, "au palais de Blenheim" may be a namesake)
QUOTED_SITE = re.compile(
    r"\b(?:to|of|"
    + _VENUE_PREPOSITION
    + r")\s+(?:(?:the|la|le|l')\s*)?(?i:"
    + alternation("site_nouns", "meetings.quoted_site")
    + r")\s*(?:de\s+)?[«“\"'‘„]\s*$"
)
# Right after a venue: a cue noun ("the Sochi talks"), a speech verb (metonym), a document.
AFTER_CUE = re.compile(r"^\s*" + group("event_nouns", "meetings") + r"\b", re.IGNORECASE)
# "Moscow will host talks": the city as host is a venue, not a metonym
AFTER_HOST = re.compile(
    r"^(?:\s+" + group("auxiliaries", "meetings.before_host") + r")*\s+" + group("cues", "meetings.host") + r"\b"
)
AFTER_METONYM = re.compile(
    r"^[\s,]*(?:"
    + group("auxiliaries", "meetings.before_verb")
    + r"\s+)?(?:"
    + "|".join(alternation(name, "meetings.metonymy") for name in ("reporting_verbs", "auxiliaries", "function_words"))
    + r")\b",
)
AFTER_DOCUMENT = re.compile(r"^\s*" + group("document_nouns", "meetings") + r"\b")
# Right before a venue: a speech verb and "in" ("Pashinyan stated in Kazan that ..."): where
# someone spoke, not where a meeting was held (unless a cue sits in between: "said at talks in").
_AT = r"(?:in|at|" + _VENUE_PREPOSITION + r")"  # a venue preposition of any language
# "in Baku and ...": a second place after the first one of a pair
_AND_PLACE = r"(?:[A-ZА-ЯЁ][\w-]*\s+(?:and|и|et)\s+)?"
SPOKE_IN = re.compile(
    r"\b" + group("reporting_verbs", "meetings.spoke_in") + r"(?:\s+[\w’'-]+){0,3}?\s+" + _AT + r"\s+(?:the\s+)?$"
)
# Right before a venue: an occasion for speaking ("in an interview in Baku", "на пресс-конференции в
# Ереване", "lors d'une conférence de presse à Erevan"): where someone spoke, not a venue.
SPEECH_SETTING = re.compile(
    r"\b(?i:"
    + alternation("speech_nouns", "meetings.speech_setting")
    + r")(?:\s+[\w’'-]+){0,3}?\s+"
    + _AT
    + r"\s+(?:the\s+)?$"
)
# Right after a venue: a speech verb ("diplomats in Moscow said", "officials in Baku and Yerevan
# have said"): where people speak from.
SAID_AFTER = re.compile(
    r"^\s+(?:(?:and|и|et)\s+[A-ZА-ЯЁ][\w-]*\s+)?(?:(?:also|later|then|still|have|has|had)\s+)?"
    + group("reporting_verbs", "meetings.spoke_in")
    + r"\b"
)
# Right before a venue: people located there ("analysts in Baku", "opposition politicians in
# Yerevan", "эксперты в Ереване и Баку"): where they are, not where a meeting was held.
PEOPLE_IN = re.compile(
    r"\b(?i:"
    + alternation("people_nouns", "meetings.located")
    + r")\s+(?:based\s+)?"
    + _AT
    + r"\s+(?:the\s+)?"
    + _AND_PLACE
    + r"$"
)
# A sentence that opens on a place ("В Баку ...", "À Bakou, ...", "In Baku and Yerevan, ...")
# and reports a reaction there: where people reacted, not a venue (see reaction_scene).
_OPENING_PLACE = re.compile(r"\s*" + _VENUE_PREPOSITION + r"\s+(?:the\s+)?" + _AND_PLACE)
REACTION = word_scan("reporting_verbs", "meetings.reaction")

_WITH_YEAR = ("iso", "mdy", "dmy", "my", "y")
MAX_CUE_DISTANCE = 12  # words between the cue and the venue in one sentence
BORROW_DISTANCE = 15  # words between a borrowed date and the cue of its sentence
WINDOW = 2  # earlier sentences that may supply the sides or a date
LATER_LOOKBACK = 3  # earlier sentences where "two months later" looks for the date it counts from

_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_NAME_OF_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-ZА-ЯЁ][\w.’'-]*\s+of\s+(?:the\s+)?$")
_SCENE = re.compile(r"\s*(?=[A-ZА-ЯЁÀ])" + _VENUE_PREPOSITION + r"\s+(?:the\s+)?")
PAIR = word_scan("pair_words", "meetings")  # "the two leaders": the sides, named earlier
JOINED = whole_words("pair_words", "meetings.joined")  # "Aliyev then joined them": the side in the next sentence
_LEADERS = whole_words("level_words", "meetings.leaders", flags=0)  # in lower-cased text
_FOREIGN_MINISTERS = whole_words("level_words", "meetings.foreign_ministers", flags=0)
_TRILATERAL = whole_words("level_words", "meetings.trilateral", flags=0)


# ---------------------------------------------------------------------------------------------
# Extraction


@dataclass(frozen=True)
class _Hit:
    """One (sentence, venue mention) pair that passed the filters."""

    venue: VenueMention
    sent: tuple[int, int]
    sent_index: int
    date: ResolvedDate | None
    date_from: tuple[int, int] | None  # the earlier sentence that gave the date
    both_sides_in_sentence: bool
    participants: tuple[str, ...]
    mediators: tuple[str, ...]
    future: bool
    past: bool
    cancelled: bool
    hypothetical: bool
    trilateral_word: bool
    level_hint: str
    joined_next: bool = False  # the missing side came from the next sentence ("Aliyev then joined them")


class Extractor:
    """Extraction with its lexicons compiled once (reuse it across articles)."""

    def __init__(self, lexicon: Lexicon | None = None, events: tuple[Event, ...] | None = None):
        self.lexicon = lexicon or default_lexicon()
        self.events = default_events() if events is None else events
        self._event_venues = {e.venue for e in self.events if e.venue}
        self._parts_cache: dict[tuple[int, int], list] = {}
        self._dates_cache: dict[tuple[int, int], list] = {}
        self._body_start = 0
        self._sentence_cache: dict[tuple[str, int, int], object] = {}
        self._sents: list[tuple[int, int]] = []

    # -- public -------------------------------------------------------------------------------

    def extract(self, article: Article, mentions: Iterable[VenueMention]) -> list[Candidate]:
        text = article.text
        venue_mentions = list(mentions)
        named_events = find_events(text, self.events, venues=self._event_venues)
        venue_mentions = sorted(
            venue_mentions + event_venue_mentions(text, named_events, venue_mentions), key=lambda m: m.start
        )
        if not venue_mentions:
            return []
        venues_named = {m.venue for m in venue_mentions}
        ref = infer_reference(text, article.date, self.events, venues_named)
        sents = split(text, article.body_start, TRIMMED)  # sentences
        self._sents = sents
        by_sent = self._assign(venue_mentions, sents)
        self._parts_cache = {}  # per article
        self._dates_cache = {}
        self._lead_sides: set[str] | None = None
        self._body_start = article.body_start
        self._sentence_cache: dict[tuple[str, int, int], object] = {}
        hits: list[_Hit] = []
        for i, (s, e) in enumerate(sents):
            if not by_sent.get(i):
                continue
            cues = list(CUE.finditer(text, s, e))
            if not cues:
                continue
            for vm in by_sent[i]:
                hit = self._hit(text, sents, i, vm, cues, ref, by_sent)
                if hit is not None:
                    hits.append(hit)
        hit_venues = {h.venue.venue for h in hits}
        event_hits = (
            [eh for eh in named_events if eh.event.venue in hit_venues or eh.event.series == "war"]
            if hit_venues & self._event_venues
            else []
        )
        return self._candidates(article, hits, ref, event_hits)

    # -- steps --------------------------------------------------------------------------------

    def _participants(self, text: str, s: int, e: int) -> list:
        """Participant hits in one sentence, once per article (a sentence serves many hits)."""
        key = (s, e)
        if key not in self._parts_cache:
            self._parts_cache[key] = self.lexicon.find_participants(text, s, e)
        return self._parts_cache[key]

    def _pair_from_lead(self, text: str, sents: list[tuple[int, int]], lo: int, i: int) -> bool:
        """The sentence (or one just before it) points back at two sides ("the two leaders",
        "the pair") and the headline and lead name Armenia's and Azerbaijan's: they are the pair."""
        if not any(PAIR.search(text, ws, we) for ws, we in sents[lo : i + 1]):
            return False
        if self._lead_sides is None:
            self._lead_sides = self._sides_in(text, 0, lead_end(text, sents))
        return {"armenia", "azerbaijan"} <= self._lead_sides

    def _other_event_has_a_side(self, text: str, s: int, e: int, vm: VenueMention, parts) -> bool:
        """The sentence names both sides, but the venue's event names people of one side only and
        the other side belongs to another event of the sentence ("Aliyev met Putin in Moscow on
        Monday, days after Pashinyan held talks with Macron in Paris")."""
        es, ee = event_span(text, s, e, vm.start)
        if (es, ee) == (s, e):
            return False
        lex = self.lexicon
        inside = [
            lex.participant(h.name) for h in parts if es <= h.start < ee and not (h.start < vm.end and vm.start < h.end)
        ]
        people = {p.side for p in inside if p.office != "country"}
        return one_sided(people, {p.side for p in inside}, bool(PAIR.search(text, es, ee)))

    def _joined_next(self, text, sents, i: int, sides: set[str], by_sent) -> bool:
        """The next sentence brings the missing side into this meeting ("Putin met Pashinyan in
        Sochi. Aliyev then joined them"): it says someone joined, names the side, and names no
        other place."""
        if i + 1 >= len(sents) or by_sent.get(i + 1):
            return False
        ns, ne = sents[i + 1]
        if not JOINED.search(text, ns, ne):
            return False
        lex = self.lexicon
        nxt = {lex.participant(h.name).side for h in self._participants(text, ns, ne)}
        return {"armenia", "azerbaijan"} <= sides | nxt

    def _sides_in(self, text: str, s: int, e: int) -> set[str]:
        lex = self.lexicon
        return {lex.participant(h.name).side for h in lex.find_participants(text, s, e)}

    def _sentence(self, what: str, s: int, e: int, compute):
        """What one sentence says, read once per article (a sentence serves every venue it names)."""
        key = (what, s, e)
        if key not in self._sentence_cache:
            self._sentence_cache[key] = compute()
        return self._sentence_cache[key]

    def _sentence_wording(self, text: str, s: int, e: int) -> Wording:
        return self._sentence("wording", s, e, lambda: Wording.of(text[s:e]))

    def _dates(self, text: str, s: int, e: int) -> list:
        """Date expressions of one sentence outside a dateline, once per article (a sentence
        serves every venue it names and the sentences after it)."""
        key = (s, e)
        if key not in self._dates_cache:
            self._dates_cache[key] = [x for x in find_dates(text, s, e) if not in_dateline(text, x.start)]
        return list(self._dates_cache[key])

    @staticmethod
    def _assign(mentions: list[VenueMention], sents: list[tuple[int, int]]) -> dict[int, list[VenueMention]]:
        out: dict[int, list[VenueMention]] = {}
        j = 0
        for m in mentions:
            while j < len(sents) and sents[j][1] <= m.start:
                j += 1
            if j < len(sents) and sents[j][0] <= m.start < sents[j][1]:
                out.setdefault(j, []).append(m)
        return out

    def _hit(self, text, sents, i, vm: VenueMention, cues, ref: Reference, by_sent) -> _Hit | None:
        s, e = sents[i]
        before = text[max(s, vm.start - 40) : vm.start]
        after = text[vm.end : min(e, vm.end + 40)]
        if AFTER_DOCUMENT.match(after):
            return None  # "Alma-Ata Declaration"
        if _OF_NAME.match(after):
            return None  # part of a longer name: "Commonwealth of Independent States"
        line_start = text.rfind("\n", 0, vm.start) + 1
        if vm.start - line_start <= 1 and datelines.LINE.match(text[line_start : line_start + 60]):
            return None  # "MOSCOW, Oct 8 (Reuters) -"
        locative = bool(
            LOCATIVE.search(before)
            or QUOTED_SITE.search(before)
            or (LIST_LOCATIVE.search(before) and not AFTER_METONYM.match(after[_list_rest(after) :]))
        )
        hosting = bool(AFTER_HOST.match(after))
        attributive = bool(AFTER_CUE.match(after))
        if not (locative or attributive or hosting):
            return None  # metonym ("Moscow insists") or a place named in passing ("from Moscow")
        if not (locative or hosting) and AFTER_METONYM.match(after):
            return None
        if spoken_from(before) or SAID_AFTER.match(after) or SPEECH_SETTING.search(before):
            return None  # "stated in Kazan that ...", "diplomats in Moscow said": where someone spoke
        if in_aside(text, s, e, vm.start, vm.end):
            return None  # "Pashinyan, who was in Paris on a visit, said ...": where someone was
        if PEOPLE_IN.search(before):
            return None  # "analysts in Baku": where people are
        if reaction_scene(text, s, e, vm.start, self._sentence_wording(text, s, e)):
            return None  # "В Баку итоги встречи назвали ...": where people reacted
        if _NAME_OF_BEFORE.search(before) and not (hosting or attributive):
            return None  # "the Knights of St. John", "the Bank of England": part of a longer name
        # "In St. Petersburg, Sargsyan and Aliyev ..." sets the scene for the whole sentence
        scene = bool(_SCENE.fullmatch(text, s, vm.start)) and text[vm.end : vm.end + 1] == ","
        distance = min(_words_between(text, c, vm) for c in cues)
        if distance > MAX_CUE_DISTANCE and not scene:
            return None
        lex = self.lexicon
        parts = self._participants(text, s, e)
        # the venue's own name is no side ("Pashinyan arrived in Baku": Baku is where, not who)
        named = [lex.participant(h.name) for h in parts if not (h.start < vm.end and vm.start < h.end)]
        sides = {p.side for p in named}
        both_here = {"armenia", "azerbaijan"} <= sides
        joined_next = False
        if both_here and self._other_event_has_a_side(text, s, e, vm, parts):
            return None  # "Aliyev met Putin in Moscow, days after Pashinyan held talks in Paris"
        if not both_here:
            lo = max(0, i - WINDOW)
            ctx = set(sides)
            people = {p.side for p in named if p.office != "country"}
            told = self._sentence_wording(text, s, e)
            if not one_sided(people, sides, bool(PAIR.search(text, s, e)) or told.cancelled):
                for ws, we in sents[lo:i]:
                    ctx |= {lex.participant(h.name).side for h in self._participants(text, ws, we)}
            if not {"armenia", "azerbaijan"} <= ctx and not self._pair_from_lead(text, sents, lo, i):
                if not self._joined_next(text, sents, i, ctx, by_sent):
                    return None  # not an Armenia–Azerbaijan meeting
                joined_next = True
        people = tuple(
            dict.fromkeys(
                h.name
                for h in parts
                if lex.participant(h.name).office != "country"
                and (lex.participant(h.name).side != "third" or lex.participant(h.name).mediator)
            )
        )
        sentence = text[s:e]
        places = [m.start - s for m in by_sent.get(i, ()) if m.venue != vm.venue]
        wording = wording_at(sentence, vm.start - s, self._sentence_wording(text, s, e), places)
        if denies_meeting(sentence, vm.start - s, places) and not wording.cancelled:
            return None  # "both attended the summit in Astana but did not meet"
        future, past = wording.future, wording.past
        # date: in the sentence (nearest the venue), else from a cue sentence just before
        # other places of the sentence that could be venues ("a indiqué Erevan" is no rival for a date)
        others = [
            m
            for m in by_sent.get(i, ())
            if m.venue != vm.venue
            and LOCATIVE.search(text, max(s, m.start - 40), m.start)
            and not same_list(text, m, vm)
        ]
        date_hit, date_from = self._date_in(text, s, e, vm, ref, wording.resolves_forward, others=others), None
        if date_hit is None:
            for k in range(i - 1, max(-1, i - 1 - WINDOW), -1):
                if any(m.venue != vm.venue for m in by_sent.get(k, ())):
                    break  # an earlier sentence about another place: its date is not this meeting's
                ws, we = sents[k]
                if CUE.search(text, ws, we):
                    fut_k = self._sentence_wording(text, ws, we).resolves_forward
                    # the date nearest this venue when that sentence names it too
                    same = next((m for m in by_sent.get(k, ()) if m.venue == vm.venue), None)
                    date_hit = self._date_in(text, ws, we, same, ref, fut_k, near_cue=True)
                    if date_hit is not None:
                        date_from = (ws, we)
                        break
        mediators = self._sentence("mediators", s, e, lambda: self._mediators(text, s, e, parts))
        low = (sentence + " " + (text[date_from[0] : date_from[1]] if date_from else "")).lower()
        level = level_hint(low)
        return _Hit(
            venue=vm,
            sent=(s, e),
            sent_index=i,
            date=date_hit,
            date_from=date_from,
            both_sides_in_sentence=both_here,
            participants=people,
            mediators=mediators,
            future=future,
            past=past,
            cancelled=wording.cancelled,
            hypothetical=self._sentence("hypothetical", s, e, lambda: bool(HYPOTHETICAL.search(sentence))),
            trilateral_word=bool(_TRILATERAL.search(low)),
            joined_next=joined_next,
            level_hint=level,
        )

    def _date_in(
        self,
        text,
        s,
        e,
        vm: VenueMention | None,
        ref: Reference,
        future: bool,
        near_cue: bool = False,
        others: list[VenueMention] = (),
    ) -> ResolvedDate | None:
        exprs = self._dates(text, s, e)
        if vm is not None and others:
            exprs = [x for x in exprs if not nearer_another_place(x, vm, others)]
        if near_cue:  # a date borrowed from an earlier sentence must belong to its meeting cue
            cues = list(CUE.finditer(text, s, e))
            exprs = [
                x
                for x in exprs
                if any(len(_gap(text, c.start(), c.end(), x.start, x.end).split()) <= BORROW_DISTANCE for c in cues)
            ]
        if not exprs:
            return None
        if vm is not None:
            exprs.sort(key=lambda x: min(abs(x.start - vm.end), abs(vm.start - x.end)))
        if ref.value is None:
            # an undated article: a year the sentence itself states ("In 2023, ... on March 3")
            years = [r.value.year for x in exprs if x.kind in _WITH_YEAR for r in [resolve(x, ref)] if r.value]
            if years:
                ref = Reference(date(years[0], 1, 1), "year", "sentence", f"the sentence says {years[0]}")
        unresolved = None
        for x in exprs:
            if x.kind == "later":  # "two months later": from the date stated before it
                before = self._date_before(text, x.start, ref)
                r = shift_later(x, before) if before is not None else resolve(x, ref)
                if r.value is not None:
                    return r
                continue
            named = year_named_after(text, x, ref, self._body_start)
            r = resolve_in_year(x, *named) if named else resolve(x, ref, future=future)
            if r.value is not None:
                return r
            unresolved = unresolved or r
        return unresolved if ref.value is None else None

    def _date_before(self, text: str, pos: int, ref: Reference) -> ResolvedDate | None:
        """The last date the article states before ``pos`` (this sentence or up to
        :data:`LATER_LOOKBACK` sentences before it) that resolves: what "two months later" counts from."""
        i = next((k for k, (s, e) in enumerate(self._sents) if s <= pos < e), None)
        if i is None:
            return None
        for k in range(i, max(-1, i - 1 - LATER_LOOKBACK), -1):
            s, e = self._sents[k]
            for x in reversed([x for x in self._dates(text, s, e) if x.end <= pos and x.kind != "later"]):
                named = year_named_after(text, x, ref, self._body_start)
                r = resolve_in_year(x, *named) if named else resolve(x, ref)
                if r.value is not None:
                    return r
        return None

    def _mediators(self, text, s, e, parts) -> tuple[str, ...]:
        lex = self.lexicon
        found: list[str] = []
        for h in parts:
            p = lex.participant(h.name)
            if p.side == "third" and p.mediator:
                found.append(p.mediator)
        cues = [m.span() for m in MEDIATION.finditer(text, s, e)]
        if cues:
            for h in lex.find_mediators(text, s, e):
                if any(_close(text, h.start, h.end, cs, ce, 6) for cs, ce in cues):
                    found.append(h.name)
        return tuple(dict.fromkeys(m for m in found if m != "none"))

    def _candidates(self, article: Article, hits: list[_Hit], ref: Reference, event_hits) -> list[Candidate]:
        # group by venue, then split a venue's hits by incompatible dates: a hit joins the
        # first slot whose dates all agree with its own. A slot's dates agree with each other,
        # so they share a year and hold at most one date per precision; only the slots of the
        # hit's year (and a first slot still without any date) can take it — linear in hits.
        groups: dict[str, list[list[_Hit]]] = {}
        dates_of: dict[int, set[When]] = {}  # id(slot) -> its distinct dates
        by_year: dict[tuple[str, int], list[list[_Hit]]] = {}
        for h in hits:
            venue = h.venue.venue
            slots = groups.setdefault(venue, [])
            d = h.date.when if h.date is not None else None
            if d is None:
                target = slots[0] if slots else None  # an undated hit agrees with any slot
            elif slots and not dates_of[id(slots[0])]:
                target = slots[0]
            else:
                target = next(
                    (slot for slot in by_year.get((venue, d.year), ()) if all(d.agrees(w) for w in dates_of[id(slot)])),
                    None,
                )
            if target is None:
                target = []
                slots.append(target)
                dates_of[id(target)] = set()
            target.append(h)
            if d is not None:
                if not dates_of[id(target)]:
                    by_year.setdefault((venue, d.year), []).append(target)
                dates_of[id(target)].add(d)
        out = []
        for venue, slots in groups.items():
            slots.sort(key=lambda slot: min(h.sent[0] for h in slot))
            for n, slot in enumerate(slots, start=1):
                first_mention = min(h.venue.start for h in slot)
                out.append((first_mention, self._candidate(article, venue, n, slot, ref, event_hits)))
        out.sort(key=lambda fc: (fc[1].evidence[0], fc[0]))
        return number_ids([c for _, c in out], article.text)

    def _candidate(
        self, article: Article, venue: str, n: int, slot: list[_Hit], ref: Reference, event_hits
    ) -> Candidate:
        reasons: list[str] = []
        dated = [h.date for h in slot if h.date is not None and h.date.value is not None]
        best = min(dated, key=lambda d: rank(d.precision)) if dated else None
        event = ""
        future_words = any(h.future and not h.past for h in slot)
        summit = choose_event((eh.event for eh in event_hits), venue, best.when if best else None, ref, future_words)
        if summit is not None:
            event = summit.name
            ev_prec = summit.precision
            if best is None or rank(ev_prec) < rank(best.precision):
                named = next(eh for eh in event_hits if eh.event == summit)
                best = ResolvedDate(summit.start, ev_prec, summit.name, named.start, named.end, "summit calendar")
                reasons.append(f"date from the {summit.name} (events.csv)")
        if best is not None:
            when = best.when
            if best.note:
                reasons.append(f"date: {best.text!r} {best.note}".strip())
            else:
                reasons.append(f"date: {best.text!r}")
        elif ref.value is not None:
            when = When(ref.value, "year")
            reasons.append(
                f"no date in the text: year of the article ({ref.source}{', ' + ref.note if ref.note else ''})"
            )
        else:
            when = None
            reasons.append("no date and the article is undated: year unknown")
        status = meeting_status(
            (Wording(h.future, h.past, h.cancelled) for h in slot),
            when if best is not None else None,
            ref.value if ref.precision == "day" else None,
        )
        participants = tuple(dict.fromkeys(p for h in slot for p in h.participants))
        mediators = tuple(dict.fromkeys(m for h in slot for m in h.mediators))
        lex = self.lexicon
        offices = {(lex.participant(p).side, lex.participant(p).office) for p in participants}
        hints = {h.level_hint for h in slot if h.level_hint}
        if ("armenia", "leader") in offices and ("azerbaijan", "leader") in offices:
            level = "leaders"
        elif (
            ("armenia", "foreign minister") in offices and ("azerbaijan", "foreign minister") in offices
        ) or "foreign ministers" in hints:
            level = "foreign ministers"
        elif "leaders" in hints:
            level = "leaders"
        else:
            level = "other"
        parties = 2 + len(mediators)
        fmt = "bilateral" if parties == 2 else "trilateral" if parties == 3 else "multilateral"
        if parties == 2 and any(h.trilateral_word for h in slot):
            fmt = "trilateral"
        features = []
        if any(h.both_sides_in_sentence for h in slot):
            features.append("both sides in the sentence")
        else:
            reasons.append("sides named only in an earlier sentence")
        if best is not None and best.precision in ("day", "month"):
            features.append("date to the day or month")
        elif best is None:
            features.append("no date, dated article" if ref.value is not None else "no date, undated article")
        if participants:
            features.append("participants named")
        if len(slot) > 1:
            features.append("several sentences")
        if all(h.joined_next for h in slot):
            features.append("sides joined in the next sentence")
        if best is not None and best.text and later_amount_of(best):
            features.append("date counted from an earlier date")
        if all(h.hypothetical for h in slot):
            features.append("hypothetical wording")
            reasons.append("hypothetical wording (could/might/would)")
        notes = ""
        if article.date is not None and when is not None and years_after(article.date, when):
            # Later than the article can know: a plan at best, more likely a misread year.
            features.append("dated over a year after the article")
            status = "planned" if status == "held" else status
            notes = late_note(when, article.date)
            reasons.append(notes)
        conf = confidence(features)
        spans: list[tuple[int, int]] = []
        for h in slot:
            if h.date_from and h.date is best:
                spans.append(h.date_from)
            spans.append(h.sent)
        spans = sorted(dict.fromkeys(spans))
        return Candidate(
            id="",  # set by number_ids once the article's candidates are known
            legacy_id=legacy_candidate_id(article.file, venue, n),
            file=article.file,
            venue=venue,
            host=slot[0].venue.country,
            date=when,
            mediators=mediators or ("none",),
            participants=participants,
            level=level,
            format=fmt,
            status=status,
            event=event,
            confidence=conf,
            evidence=tuple(spans),
            reasons=tuple(reasons),
            notes=notes,
        )


def event_venue_mentions(text: str, named: Iterable[EventHit], mentions: Iterable[VenueMention]) -> list[VenueMention]:
    """A summit named by a name that only ever means one city ("the Munich Security Conference")
    names that city as a venue ("met on the sidelines of the Munich Security Conference"), unless
    a place mention already covers the words. A series held in many cities ("the CIS summit")
    names none."""
    rows: dict[tuple[int, int], set[tuple[str, str]]] = {}
    for eh in named:
        rows.setdefault((eh.start, eh.end), set()).add((eh.event.venue, eh.event.country))
    taken = [(m.start, m.end) for m in mentions]
    out = []
    for (s, e), cities in rows.items():
        if len(cities) != 1:
            continue
        ((venue, country),) = cities
        if not venue or any(ts < e and s < te for ts, te in taken):
            continue
        out.append(VenueMention(s, e, text[s:e], venue, country))
    return out


def level_hint(low: str) -> str:
    """The level the words of a meeting's sentences name (lower-cased text): foreign ministers
    ("foreign ministers", "главы МИД", "chefs de la diplomatie") before leaders ("president",
    "лидеры", "dirigeants"), else ''."""
    if _FOREIGN_MINISTERS.search(low):
        return "foreign ministers"
    return "leaders" if _LEADERS.search(low) else ""


def lead_end(text: str, sents: list[tuple[int, int]]) -> int:
    """Where the headline and lead end: the end of the body's first paragraph (the header with
    the title comes before it), at most its first two sentences."""
    if not sents:
        return 0
    first = sents[0][0]
    paragraph = text.find("\n\n", first)
    two = sents[min(1, len(sents) - 1)][1]
    return two if paragraph < 0 else min(paragraph, two)


_LIST_GAP = re.compile(r"(?:,\s+|\s+(?:and|и|et)\s+)(?:[A-ZА-ЯЁÀ-Ý][\w.’'-]*(?:,\s+|\s+(?:and|и|et)\s+))*")


_LIST_REST = re.compile(r"(?:(?:,\s+|\s+(?:and|и|et)\s+)[A-ZА-ЯЁÀ-Ý][\w.’'-]*)*")


def _list_rest(after: str) -> int:
    """Where the rest of a list of names ends in the text after a place (", Moscow and Davos")."""
    return _LIST_REST.match(after).end()


def same_list(text: str, a: VenueMention, b: VenueMention) -> bool:
    """Two places of one list ("in Vienna, Moscow and Davos"): only names and separators
    between them. They share the list's date ("В 2019 году ... в Вене, Москве и Давосе")."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return _LIST_GAP.fullmatch(text, first.end, second.start) is not None


def _distance(x: DateExpr, m: VenueMention) -> int:
    return max(0, m.start - x.end, x.start - m.end)


def nearer_another_place(x: DateExpr, vm: VenueMention, others: Iterable[VenueMention]) -> bool:
    """The date expression ``x`` lies nearer another place of its sentence than the venue ``vm``:
    in "the Berlin talks continued the meeting held on 17 February in Munich" the date is
    Munich's, not Berlin's."""
    own = _distance(x, vm)
    return any(_distance(x, m) < own for m in others)


# an aside about where a person is ("who" is a person's; "which"/"который" may be the meeting's)
_ASIDE_OPENS = re.compile(
    r",\s+(?:who|qui (?:se trouvait|se trouve|était|est)|находивш\w+|находящ\w+)\b[^,]*$", re.IGNORECASE
)


def in_aside(text: str, s: int, e: int, start: int, end: int) -> bool:
    """The place at ``start:end`` lies in an aside about a person, with no meeting cue in it
    ("Pashinyan, who was in Paris on a visit, said he would meet Aliyev in Brussels";
    "Пашинян, находившийся с визитом в Париже, заявил ..."): where someone was, not a venue."""
    m = _ASIDE_OPENS.search(text, s, start)
    if m is None:
        return False
    close = text.find(",", end, e)
    aside_end = e if close < 0 else close
    return CUE.search(text, m.start(), aside_end) is None


# Where one event of a sentence ends and another begins ("..., days after Pashinyan held talks in
# Paris", "после того как", "alors que"): a clause break or a time connective
EVENT_BREAK = re.compile(
    r",\s+(?:but|while|whereas|although|though|yet|но|однако|а|mais|alors que|tandis que)\b|;|\s[—–]\s"
    r"|,?\s+(?:\w+\s+)?(?:days?|weeks?|months?|hours?)\s+(?:after|before)\b"
    r"|\s(?:after|before|while|when|после того как|перед тем как|après que|avant que|alors que)\s",
    re.IGNORECASE,
)


def event_span(text: str, s: int, e: int, at: int) -> tuple[int, int]:
    """The part of the sentence ``text[s:e]`` around ``at`` that tells one event."""
    start, end = s, e
    for m in EVENT_BREAK.finditer(text, s, e):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


def later_amount_of(d: ResolvedDate) -> bool:
    """The date was counted from an earlier one ("two months later")."""
    return later_amount(DateExpr(d.start, d.end, d.text, "later")) is not None


def one_sided(people: set[str], sides: set[str], open_: bool) -> bool:
    """The sentence names who met, and they are people of one side only ("Aliyev was in Baku,
    where he met a Hungarian delegation"; "Pashinyan met Blinken in Brussels"): the other side
    named in a sentence before does not make it their meeting. ``people``: the sides of the
    people the sentence names; ``sides``: with country words ("МИД Армении", "northern
    Azerbaijan"), which name no participant. ``open_``: words pointing at the pair ("the two
    leaders") or a cancellation ("Aliyev stayed away") leave it open."""
    two = {"armenia", "azerbaijan"}
    return len(people & two) == 1 and sides & two == people & two and not open_


def reaction_scene(text: str, s: int, e: int, at: int, wording: Wording) -> bool:
    """The sentence ``text[s:e]`` opens on the place at ``at`` ("В Баку ...", "À Bakou, la
    présidence a jugé ...", "In Baku and Yerevan, officials welcomed ...") and reports a
    reaction (a reporting verb) with no wording of a meeting held, planned or cancelled: the
    place is where people reacted to a meeting, not where one was held."""
    return (
        _OPENING_PLACE.fullmatch(text, s, at) is not None
        and not wording.says_anything
        and REACTION.search(text, s, e) is not None
    )


def spoken_from(before: str) -> bool:
    """The text before a venue says someone spoke there ("said in", "told reporters in"), with
    no meeting cue in between ("said at talks in" is a meeting)."""
    m = SPOKE_IN.search(before)
    return m is not None and CUE.search(m.group(0)) is None


def late_note(when: When, published: date) -> str:
    return (
        f"dated {when.iso()}, more than a year after the article ({published.isoformat()}): "
        "planned at best; check the date"
    )


# ---------------------------------------------------------------------------------------------
# Candidate ids: what data/curation.csv decisions are keyed by
#
# An id is ``FILE#<key>`` where the key is a short hash of the normalised text of the candidate's
# first evidence sentence (``-2``, ``-3`` for further candidates of one article whose first
# sentence is the same, in order of their venue mention). The text, not its offsets: an edit
# elsewhere in the article moves offsets but keeps the id. The sentence, not the venue's name:
# a rename or a second row in venue_overrides.csv changes the display name but keeps the id,
# so no decision is orphaned. Editing the sentence itself does change the id, and the build then
# reports the decision as having no candidate (the analyst should look at it again anyway).

KEY_LENGTH = 10  # hex digits: 40 bits, so a clash between two sentences of one article is negligible


def evidence_key(sentence: str) -> str:
    """The hash of a sentence's text with case, accents, punctuation and spacing folded away."""
    normalised = fold.__wrapped__(sentence)  # uncached: sentences are many and used once
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def candidate_id(file: str, sentence: str, n: int = 1) -> str:
    return f"{file}#{evidence_key(sentence)}" + (f"-{n}" if n > 1 else "")


def number_ids(candidates: list[Candidate], text: str) -> list[Candidate]:
    """Give one article's candidates (in evidence order) their ids."""
    seen: dict[str, int] = {}
    out = []
    for c in candidates:
        s, e = c.evidence[0]
        base = candidate_id(c.file, text[s:e])
        seen[base] = seen.get(base, 0) + 1
        out.append(replace(c, id=base + (f"-{seen[base]}" if seen[base] > 1 else "")))
    return out


CURRENT_ID = re.compile(r"#[0-9a-f]{" + str(KEY_LENGTH) + r"}(?:-\d+)?$")


def is_current_id(cid: str) -> bool:
    """An id of the current form (FILE#KEY[-n]), as opposed to an old FILE#venue-slug."""
    return bool(CURRENT_ID.search(cid))


def legacy_candidate_id(file: str, venue: str, n: int = 1) -> str:
    """The id decisions used before (FILE#venue-slug[-n]): it changed with the venue's display
    name. Kept so old decisions can be recognised and migrated (``python -m geo curation migrate``)."""
    slug = re.sub(r"[^a-z0-9]+", "-", venue.lower()).strip("-")
    return f"{file}#{slug}" + (f"-{n}" if n > 1 else "")


_DATELINE_DASH = re.compile(r"\s(?:—|–|--|-)\s")


def in_dateline(text: str, pos: int) -> bool:
    """``pos`` lies in the dateline that opens a line ("ASTANA, May 11 (Steppe News) —"): the
    filing date of the report, not the date of a meeting."""
    line_start = text.rfind("\n", 0, pos) + 1
    head = text[line_start : line_start + 80]
    if not datelines.LINE.match(head):
        return False
    dash = _DATELINE_DASH.search(head)
    return dash is not None and pos < line_start + dash.start()


def _words_between(text: str, cue: re.Match, vm: VenueMention) -> int:
    if cue.end() <= vm.start:
        gap = text[cue.end() : vm.start]
    else:
        gap = text[vm.end : cue.start()]
    return name_words(gap)


_NAME_RUN = re.compile(r"(?:[A-ZА-ЯЁ][\w.’'-]*)(?:\s+(?:[A-ZА-ЯЁ][\w.’'-]*|of|for|and|de|du|des))*(?<![\s])")


def name_words(gap: str) -> int:
    """Words in ``gap``, a run of capitalised words counted as one: "at the George P. Shultz
    National Foreign Affairs Training Center in" is four words, as "at the centre in" would be,
    so a venue after a long institution name is as near its cue as after a short one."""
    return len(_NAME_RUN.sub("N", gap).split())


def _gap(text: str, s1: int, e1: int, s2: int, e2: int) -> str:
    return text[e1:s2] if e1 <= s2 else text[e2:s1]


def _close(text: str, s1: int, e1: int, s2: int, e2: int, words: int) -> bool:
    return len(_gap(text, s1, e1, s2, e2).split()) <= words


def _compatible(a: ResolvedDate | None, b: ResolvedDate | None) -> bool:
    """Two dates agree at the coarser of their precisions (a missing date agrees with any)."""
    if a is None or b is None or a.value is None or b.value is None:
        return True
    return a.when.agrees(b.when)


# ---------------------------------------------------------------------------------------------
# Proposals: candidates from several articles that describe the same meeting


@dataclass(frozen=True)
class Proposal:
    """One meeting as extraction sees it: candidates merged across articles."""

    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate:
        return max(
            self.candidates,
            key=lambda c: (c.curated, -rank(c.date_precision) if c.date else -3, c.confidence),
        )

    @property
    def venue(self) -> str:
        return self.best.venue


def merge(candidates: Iterable[Candidate]) -> list[Proposal]:
    """Group candidates with the same venue and agreeing dates (at the coarser precision).
    Year-less candidates stay on their own: we cannot tell which meeting they are.

    Linear: candidates are sorted by venue, then precision (day, month, year), then date, so a
    candidate only ever meets groups whose members are at least as precise as itself; a group
    whose members all agree at the candidate's precision is found by its key at that precision
    (the first such group, as a scan in creation order would find it)."""
    groups: list[list[Candidate]] = []
    first: dict[tuple[str, When], int] = {}  # (venue, date cut to a precision) -> first group
    for c in sorted(
        candidates, key=lambda c: (c.venue, rank(c.date_precision), c.date.value if c.date else date.min, c.id)
    ):
        if not c.date:
            groups.append([c])
            continue
        found = first.get((c.venue, c.date))
        if found is not None:
            groups[found].append(c)
            continue
        groups.append([c])
        for level in PRECISIONS[rank(c.date_precision) :]:  # this precision and every coarser one
            first.setdefault((c.venue, c.date.coarsen(level)), len(groups) - 1)
    return [Proposal(tuple(g)) for g in groups]


def extract_corpus(
    articles: Iterable[Article], find: MentionFinder, extractor: Extractor | None = None
) -> list[Candidate]:
    ex = extractor or Extractor()
    out: list[Candidate] = []
    for a in articles:
        out.extend(ex.extract(a, find(a)))
    return out


class NameFinder:
    """A mention finder over a fixed list of names ({"Alma-Ata": ("Almaty", "KZ"), ...}).

    For tests, benchmarks and small corpora; the pipeline uses the gazetteer-backed
    ``geo.places.mentions.find_mentions``."""

    def __init__(self, names: dict[str, tuple[str, str]]):
        self.names = {k: v for k, v in names.items()}
        alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self.regex = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")

    def __call__(self, article: Article) -> list[VenueMention]:
        out = []
        for m in self.regex.finditer(article.text, article.body_start):
            venue, country = self.names[m.group(0)]
            out.append(VenueMention(m.start(), m.end(), m.group(0), venue, country))
        return out


# Mentions the venues work marks 'other' for a reason extraction re-examines itself: a meeting
# reported years later ("In 2019, ... hosted ... in Paris") is 'history' there but a meeting
# here; the cue/locative/sides filters above decide. Datelines, organisation names
# ("Minsk Group"), qualifiers (", Russia") and countries are never venues.
RECHECKED_REASONS = ("history", "passing", "metonymy")


def usable(role: str, reason: str, precision: str | None) -> bool:
    return precision in ("venue", "city") and (role == "venue" or reason in RECHECKED_REASONS)


def gazetteer_finder(gaz) -> MentionFinder:
    """City mentions from the venues work (``geo.places.mentions.find_mentions``): those with role
    'venue', and those marked 'other' for a reason extraction checks again itself."""
    from geo.places.mentions import find_mentions

    def find(article: Article) -> list[VenueMention]:
        out = []
        for m in find_mentions(article, gaz):
            if m.place is None or not usable(m.role, m.reason, m.place.precision):
                continue
            out.append(VenueMention(m.start, m.end, m.text, m.place.name, m.place.country))
        return out

    return find
