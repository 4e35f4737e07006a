"""States acting through their capitals and their office holders' titles.

Three rules the alias index cannot express, since each depends on the words around a name:

* a capital that acts is its government: "Moscow said", "Ankara denied", "talks between
  Moscow and Kyiv", "Москва заявила", "قالت موسكو"; "in Moscow" and "в Москве" stay places;
* a title with a state names the holder on the document's day: "the Turkish president",
  "Russia's foreign minister", "President of France", "le président turc", "الرئيس التركي",
  "президента России", "el presidente de Turquía"; without a holder on record it names the
  government the holder would act for;
* a country's bare name after a locative ("in Niger", "في تركيا", "в Иран") is a place.

The words (titles, verbs, locatives) are data: ``resources/actors/agents.yaml``. Each rule
is one compiled regular expression or a set look-up per token, built once per process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from trucewatch.actors.kb import alias_key, load_actors
from trucewatch.actors.offices import holder, office_body
from trucewatch.actors.russian import stem
from trucewatch.actors.world import (
    _cldr,
    _demonyms,
    _geonames_countries,
    agent_names,
    arabic_adjectives,
    government_id,
    state_names,
    states,
)
from trucewatch.places.names import name_key

#: Offices held in organisations rather than states.
BODY_OFFICES = frozenset({"secretary_general", "high_representative"})
_NOT_CURRENT = re.compile(r"(?:\b(?:former|ex|late|ancien|ancienne|exministro|expresidente)|экс|бывш\w*|السابق)[\s-]*$",
                          re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A span the rules resolved: ``ids`` are actor ids, the first the best."""

    start: int
    end: int
    ids: tuple[str, ...]
    rule: str  # "title" or "capital"


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    text = files("trucewatch.resources").joinpath("actors", "agents.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _trie(phrases: Iterable[str]) -> str:
    """A regex matching any of ``phrases`` (longest first at each branch), built as a trie:
    Python's engine tries a flat alternation of a thousand country names one by one at
    every position, a trie only along the letters that match."""
    root: dict[str, Any] = {}
    for p in phrases:
        node = root
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            step = r"\s+" if ch == " " else re.escape(ch)
            branches.append(step + walk(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(root)


def _alt(phrases: Iterable[str], inflect: bool = False) -> str:
    """A regex alternation; ``inflect`` lets each Russian word take an ending."""
    if not inflect:
        return _trie(set(phrases))
    out = []
    for p in sorted(set(phrases), key=len, reverse=True):
        out.append(r"\s+".join(re.escape(stem(w.casefold())) + r"\w*" for w in p.split()))
    return "|".join(out)


@dataclass
class _Tables:
    titles: dict[str, re.Pattern[str]]
    cue: re.Pattern[str]  # any title word at all: most sentences have none, and skip the big patterns
    office_of: dict[str, dict[str, str]]  # lang -> folded title -> office
    country: dict[str, dict[str, str]]  # lang -> folded country word -> ISO2 or body id
    agents: dict[str, str]  # folded capital -> ISO2
    agent_first: frozenset[str]
    verbs_exact: dict[str, frozenset[str]]  # language -> whole words
    verbs_prefix: dict[str, tuple[str, ...]]  # language -> word beginnings
    objects: frozenset[str]
    directions: frozenset[str]
    ar_verbs: frozenset[str]
    locatives: frozenset[str]
    state_keys: frozenset[str]


def _fold(lang: str, text: str) -> str:
    key = name_key(text)
    return " ".join(stem(w) for w in key.split(" ")) if lang == "ru" else key


@lru_cache(maxsize=1)
def tables() -> _Tables:
    from trucewatch.actors.mentions import FRENCH_DEMONYMS, _french_forms

    w = _words()
    codes = list(states())
    country: dict[str, dict[str, str]] = {lang: {} for lang in ("en", "fr", "es", "ar", "ru")}
    before: dict[str, list[str]] = {lang: [] for lang in country}  # words that come before a title
    after: dict[str, list[str]] = {lang: [] for lang in country}  # ... and after it

    def add(lang: str, name: str, code: str, where: dict[str, list[str]]) -> None:
        key = _fold(lang, name)
        if key and key not in country[lang]:
            country[lang][key] = code
        where[lang].append(name)

    geo = _geonames_countries()
    for code in codes:
        for n in [states()[code].name, geo[code]["name"], *state_names().get(code, {}).get(("en", "state"), [])]:
            add("en", n, code, before)
            add("en", n, code, after)
        for d in _demonyms().get(code, []):
            add("en", d, code, before)
        for lang in ("fr", "es", "ar", "ru"):
            local = [n for n in [_cldr(lang).get(code)] if n] + state_names().get(code, {}).get((lang, "state"), [])
            for n in local:
                add(lang, n, code, after)
            if lang == "ar":
                for n in local:
                    adj = arabic_adjectives(n)
                    if adj:
                        add("ar", "ال" + adj[0], code, before)
                for m in state_names().get(code, {}).get(("ar", "adjective"), []):
                    add("ar", m, code, before)
            if lang == "ru":
                for a in state_names().get(code, {}).get(("ru", "adjective"), []):
                    add("ru", a, code, before)
    for base, code in FRENCH_DEMONYMS.items():
        for form in _french_forms(base):
            add("fr", form, code, before)
    for body, names in (w.get("bodies") or {}).items():
        for n in names:
            for lang in country:
                add(lang, n, body, before)
                add(lang, n, body, after)

    office_of: dict[str, dict[str, str]] = {lang: {} for lang in country}
    phrases: dict[str, list[str]] = {lang: [] for lang in country}
    for office, by_lang in (w.get("titles") or {}).items():
        for lang, ps in by_lang.items():
            for p in ps:
                office_of[lang][_fold(lang, p)] = office
                phrases[lang].append(p)

    # Arabic adjectives take the feminine ending after a woman's title ("رئيسة الوزراء الإسرائيلية")
    ar_before = _alt(before["ar"]) + "|" + _alt(a + "ة" for a in before["ar"])
    titles = {
        "en": re.compile(
            rf"(?<![\w-])(?:the\s+)?(?P<c>{_alt(before['en'])})(?:['’]s)?\s+(?:(?:acting|interim|new|incoming|outgoing)\s+)?"
            rf"(?P<o>{_alt(phrases['en'])})(?![\w-])"
            rf"|(?<![\w-])(?P<o2>{_alt(phrases['en'])})\s+of\s+(?:the\s+)?(?P<c2>{_alt(after['en'])})(?![\w-])",
            re.IGNORECASE),
        "fr": re.compile(
            rf"(?<![\w-])(?P<o>{_alt(phrases['fr'])})\s+(?P<c>{_alt(before['fr'])})(?![\w-])"
            rf"|(?<![\w-])(?P<o2>{_alt(phrases['fr'])})\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*)"
            rf"(?P<c2>{_alt(after['fr'])})(?![\w-])"
            rf"|(?<![\w-])(?P<o3>ministre)\s+(?P<c3>{_alt(before['fr'])})\s+(?P<o4>des\s+Affaires\s+étrangères|de\s+la\s+Défense|des\s+Armées)",
            re.IGNORECASE),
        "es": re.compile(
            rf"(?<![\w-])(?P<o2>{_alt(phrases['es'])})\s+(?:de\s+|del\s+)(?P<c2>{_alt(after['es'])})(?![\w-])",
            re.IGNORECASE),
        "ar": re.compile(
            rf"(?<![^\s\"'«(])[وفبل]?(?P<o>{_alt(phrases['ar'])})\s+(?P<c>{ar_before})(?![\w])"
            rf"|(?<![^\s\"'«(])[وفبل]?(?P<o2>رئيس\s+وزراء|رئيسة\s+وزراء|رئيس\s+حكومة|وزير\s+خارجية|وزيرة\s+خارجية|وزير\s+دفاع|رئيس|ملك|أمير)"
            rf"\s+(?P<c2>{_alt(after['ar'])})(?![\w])"),
        "ru": re.compile(
            rf"(?<![\w-])(?P<c>{_alt(before['ru'], inflect=True)})\s+(?P<o>{_alt(phrases['ru'], inflect=True)})(?![\w-])"
            rf"|(?<![\w-])(?P<o2>{_alt(phrases['ru'], inflect=True)})\s+(?P<c2>{_alt(after['ru'], inflect=True)})(?![\w-])",
            re.IGNORECASE),
    }
    for lang, extra in (("ar", {"رئيس وزراء": "prime_minister", "رئيسة وزراء": "prime_minister",
                                "رئيس حكومة": "prime_minister", "وزير خارجية": "foreign_minister",
                                "وزيرة خارجية": "foreign_minister", "وزير دفاع": "defence_minister",
                                "رئيس": "president", "ملك": "monarch", "أمير": "monarch"}),):
        for p, office in extra.items():
            office_of[lang].setdefault(_fold(lang, p), office)
    office_of["fr"][_fold("fr", "ministre des Affaires étrangères")] = "foreign_minister"

    agents: dict[str, str] = {}
    for lang, names in agent_names().items():
        for n, code in names.items():
            agents.setdefault(alias_key(n), code)
    verbs = w.get("verbs") or {}
    # English verbs are whole words; elsewhere an entry of four letters or more is a word beginning
    exact = {lang: frozenset(v.casefold() for v in vs if lang == "en" or len(v) < 4) for lang, vs in verbs.items()}
    prefixes = {lang: tuple(v.casefold() for v in vs if lang != "en" and len(v) >= 4) for lang, vs in verbs.items()}
    objects = frozenset(v.casefold() for vs in (w.get("objects") or {}).values() for v in vs)
    locatives = frozenset(v.casefold() for vs in (w.get("locatives") or {}).values() for v in vs)
    state_keys = {k for lang in country for k, code in country[lang].items() if code in states()}
    cue_words = {w.casefold() for ps in phrases.values() for p in ps for w in p.split()[:1]}
    cue_words |= {"رئيس", "رئيسة", "وزير", "وزيرة", "ملك", "أمير"}
    cue = re.compile(r"(?<!\w)[وفبل]?(?:" + "|".join(re.escape(stem(w)) for w in sorted(cue_words, key=len, reverse=True))
                     + ")", re.IGNORECASE)
    return _Tables(
        titles=titles, cue=cue, office_of=office_of, country=country, agents=agents,
        agent_first=frozenset(k.split(" ")[0] for k in agents), verbs_exact=exact, verbs_prefix=prefixes,
        objects=objects, directions=frozenset(x.casefold() for x in w.get("directions") or ()),
        ar_verbs=frozenset(verbs.get("ar", ())), locatives=locatives, state_keys=frozenset(state_keys),
    )


def _script_langs(text: str) -> tuple[str, ...]:
    langs = ["en", "fr", "es"]
    if re.search(r"[\u0600-\u06ff]", text):
        langs.append("ar")
    if re.search(r"[\u0400-\u04ff]", text):
        langs.append("ru")
    return tuple(langs)


def _resolve_title(office: str, code: str, day: dt.date | None) -> tuple[str, ...]:
    """The holder (then the body) of ``office`` of ``code``; empty when neither is known."""
    if (office in BODY_OFFICES) != (code not in states()):
        return ()  # a UN chief is not a state's, a president not the UN's
    person = holder(office, code, day)
    body = office_body(office, code)
    return tuple(i for i in (person, body) if i)


def titles(text: str, day: dt.date | None, lang: str | None = None) -> list[Found]:
    """Title phrases naming an office of a state or body: the holder on ``day``, or the body."""
    t = tables()
    out: list[Found] = []
    # the big patterns run only in windows around a title word: most of a text has none
    windows: list[list[int]] = []
    for cue in t.cue.finditer(text):
        lo, hi = max(0, cue.start() - 70), min(len(text), cue.end() + 110)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    if not windows:
        return out
    seen: set[tuple[int, int]] = set()
    langs = _script_langs(text)
    if lang in ("en", "fr", "es"):
        langs = (lang, *(x for x in langs if x in ("ar", "ru")))  # the document's Latin language only
    for lang in langs:
        matches = [m for lo, hi in windows for m in t.titles[lang].finditer(text, lo, hi)]
        for m in matches:
            if (m.start(), m.end()) in seen:
                continue
            seen.add((m.start(), m.end()))
            groups = m.groupdict()
            o = next((groups[g] for g in ("o", "o2", "o3") if groups.get(g)), None)
            c = next((groups[g] for g in ("c", "c2", "c3") if groups.get(g)), None)
            if not o or not c:
                continue
            if groups.get("o4"):
                o = f"{o} {groups['o4']}"
            office = t.office_of[lang].get(_fold(lang, o))
            code = t.country[lang].get(_fold(lang, c))
            if office is None and lang == "ru":
                office = next((off for k, off in t.office_of["ru"].items() if _fold("ru", o).startswith(k)), None)
            if office is None or code is None:
                continue
            if _NOT_CURRENT.search(text[max(0, m.start() - 12) : m.start()]) or _NOT_CURRENT.match(text[m.end() : m.end() + 8].strip()):
                continue
            ids = _resolve_title(office, code, day)
            if ids:
                start = m.start() + (len(m.group()) - len(m.group().lstrip()))
                if text[start : start + 4].casefold() == "the ":
                    start += 4
                out.append(Found(start, m.end(), ids, "title"))
    return out


def is_verb(raw: str, langs: frozenset[str] | None) -> bool:
    """Whether ``raw`` is a verb of speech or action in the document's languages (any when unknown;
    Russian word beginnings apply to Cyrillic words only, so they never meet an English word)."""
    t = tables()
    if not raw:
        return False
    cyrillic = "\u0400" <= raw[:1] <= "\u04ff"
    for lang in ("en", "fr", "es", "ru"):
        if langs is not None and lang not in langs and not (lang == "ru" and cyrillic):
            continue
        if lang == "ru" and not cyrillic:
            continue
        if raw in t.verbs_exact.get(lang, ()) or any(raw.startswith(p) for p in t.verbs_prefix.get(lang, ())):
            return True
        if lang == "en" and raw.endswith("ed") and len(raw) > 4 and raw.isalpha():
            return True  # a past tense the list does not have ("pressed", "promised")
    return False


def _located(toks: Any, first: int, seat: bool = False) -> bool:
    """A locative before token ``first``, perhaps across a direction word ("in northeastern");
    for a seat of government, "at" too ("at the Kremlin"; a country "at" is a target)."""
    t = tables()
    j = first - 1
    if j >= 0 and toks.joins[j] and toks.raws[j] in ("the", "le", "la", "l", "el"):
        j -= 1  # "at the Kremlin", "au ... le"
    if j >= 0 and toks.joins[j] and toks.raws[j] in t.directions:
        j -= 1
    return j >= 0 and toks.joins[j] and (toks.raws[j] in t.locatives or (seat and toks.raws[j] in ("at", "au")))


def capitals(toks: Any, langs: frozenset[str] | None = None) -> list[Found]:
    """Capitals and seats of government acting as their government ("Moscow said")."""
    t = tables()
    n = len(toks)
    hits: list[tuple[int, int, str]] = []  # first token, last token, ISO2
    first = t.agent_first
    starts = [i for i, k in enumerate(toks.keys) if k in first]
    starts += [i for i, w in enumerate(toks.words) if "\u0600" <= w[:1] <= "\u06ff" and w[:1] in "وفبل"
               and alias_key(w[1:]).split(" ")[0] in first]
    if not starts:
        return []
    last_end = -1
    for i in sorted(set(starts)):
        if i <= last_end:
            continue
        arabic = "\u0600" <= toks.words[i][:1] <= "\u06ff"
        best = None
        for width in (3, 2, 1):
            j = i + width - 1
            if j >= n or any(not toks.joins[x] for x in range(i, j)):
                continue
            k = " ".join(toks.keys[i : j + 1])
            if k in t.agents:
                best = (i, j, t.agents[k])
                break
        if best is None and arabic and toks.words[i][:1] in "وفبل":
            k = alias_key(toks.words[i][1:])
            if k in t.agents:
                best = (i, i, t.agents[k])
        if best:
            hits.append(best)
            last_end = best[1]
    if not hits:
        return []

    def previous(i: int) -> str:
        return toks.raws[i - 1] if i > 0 and toks.joins[i - 1] else ""

    def next_raw(j: int) -> str:
        return toks.raws[j + 1] if j + 1 < n and toks.joins[j] and toks.gap(j).strip() == "" else ""

    agent = []
    for first, last, code in hits:
        prev = previous(first)
        word = toks.words[first]
        clitic = "\u0600" <= word[:1] <= "\u06ff" and word[:1] in "بل" and alias_key(word) not in t.agents
        located = _located(toks, first, seat=True) or clitic
        prev_ar = prev[1:] if prev[:1] in ("و", "ف") and prev[1:] in t.ar_verbs else prev
        acts = (not located) and (
            is_verb(next_raw(last), langs) or prev_ar in t.ar_verbs or prev in t.objects
            or prev in ("by", "par", "por", "between", "entre"))
        agent.append([first, last, code, acts, located])
    # "Moscow and Kyiv agreed", "between Moscow and Kyiv": partners in one phrase act together
    for a, b in zip(agent, agent[1:]):
        if b[0] == a[1] + 2 and toks.raws[a[1] + 1] in ("and", "et", "y", "и", "و") and not (a[4] or b[4]):
            if a[3] or b[3]:
                a[3] = b[3] = True
    out = []
    for first, last, code, acts, _ in agent:
        gid = government_id(code)
        if acts and gid:
            out.append(Found(toks.starts[first], toks.ends[last], (gid,), "capital"))
    return out


def located_state(toks: Any, first: int, start: int, ids: Iterable[str], span_key: str) -> bool:
    """Whether a state's bare name at token ``first`` is a place ("in Niger", "في تركيا")."""
    t = tables()
    actors = load_actors()
    governments = _government_ids()
    if not ids or not all(actors[i].kind == "state" or i in governments for i in ids):
        return False
    if (span_key not in t.state_keys and span_key not in t.agents
            and not any(span_key == alias_key(actors[i].name) for i in ids)):
        return False
    if _located(toks, first, seat=span_key in t.agents):
        return True
    return "ب" in toks.text[toks.starts[first] : start]  # "بتركيا": the clitic the scanner cut off


@lru_cache(maxsize=1)
def _government_ids() -> frozenset[str]:
    return frozenset(g for code in states() if (g := government_id(code)))


def state_key_map() -> Mapping[str, str]:
    """Folded English country words (names and demonyms) -> ISO2, for other modules' rules."""
    return tables().country["en"]
