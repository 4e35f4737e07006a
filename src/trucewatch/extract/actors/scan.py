"""Knowledge-base names in a text, and the phrases the press builds on them.

The longest run of tokens whose key is an alias, then "Haftar's forces", "the forces of
Haftar", "Haftar-led fighters", "قوات حفتر": these name the armed force or the delegation,
which the KB's parent links give.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from trucewatch.extract.actors import agents
from trucewatch.extract.actors.alias_index import alias_index
from trucewatch.extract.actors.kb import load_actors
from trucewatch.extract.actors.reasoning import force_of, represented_by
from trucewatch.extract.actors.spans import TOKEN_RE, Candidate, Tokens, articleish, droppable, token_info
from trucewatch.extract.actors.vocabulary import AFTER_EN, ALL_ARMED, BEFORE_AR, BEFORE_EN, BEFORE_FR, MAX_TOKENS
from trucewatch.text.script import ARABIC_PROCLITICS, strip_marks
from trucewatch.text.titles import TITLE_HEADS


def compact(text: str) -> str:
    return "".join(c for c in strip_marks(text) if c.isalnum()).upper()


def _case_ok(text: str, key: str, raws: Sequence[str]) -> tuple[str, ...]:
    """The actors whose way of writing ``key`` the span ``text`` respects (none: no match).

    An alias written in capitals in the KB ("LNA", "UN", "RSF", "U.N.") matches only in
    capitals and letter for letter (the folded key would let "A" meet "AA" and "LAF" meet
    "LAAF"); "HoR"-like short forms match as written or in capitals. A span written all in
    lower case matches only when the KB itself writes the alias in lower case ("unity
    government") or when it has a word that is not a common one ("houthi rebels").
    """
    index = alias_index()
    all_lower = not any(c.isupper() for c in text) and any(c.islower() for c in text)
    ok: dict[str, None] = {}
    actors = load_actors()
    for form, actor_id in index.kb_forms.get(key, ()):
        if all_lower and actors[actor_id].kind in ("person", "state") and any(c.isupper() for c in form):
            continue  # "gallant", "turkey", "china": names of people and countries keep their capital
        if form.isupper() or (form.isalnum() and sum(c.isupper() for c in form) >= 2):
            if (text.isupper() or text == form) and compact(text) == compact(form):
                ok[actor_id] = None
        elif (not all_lower or not any(c.isupper() for c in form)
              or any(r not in index.common for r in raws)):
            ok[actor_id] = None
    return tuple(ok)


def _scan_from(toks: Tokens, i: int, first_key: str, first_raw: str,
               langs: frozenset[str] | None) -> tuple[list[tuple[int, str]], tuple[int, str] | None]:
    """KB keys (every length) and the longest generic key of token runs starting at ``i``."""
    index = alias_index()
    kb_hits: list[tuple[int, str]] = []
    generic_hit: tuple[int, str] | None = None
    body: list[str] = []
    key, raw = first_key, first_raw
    j = i
    n = len(toks)
    while True:
        full = " ".join(body + [key]) if body else key
        if full in index.kb:
            kb_hits.append((j, full))
        found = index.generic.get(full)
        if found and (langs is None or langs & found.keys()):
            generic_hit = (j, full)
        if j - i + 1 >= MAX_TOKENS or j + 1 >= n or not toks.joins[j]:
            break
        if full not in index.prefixes and not articleish(raw):
            break
        nxt = j + 1
        if not droppable(raw, toks.raws[nxt]):
            body.append(key)
        key, raw = toks.keys[nxt], toks.raws[nxt]
        j = nxt
    return kb_hits, generic_hit


def scan_names(toks: Tokens, langs: frozenset[str] | None) -> tuple[list[Candidate], list[tuple[int, int, int, str]]]:
    """Left to right, the longest KB name (or else generic phrase) at each token; none overlap.

    Returns KB candidates and generic hits as ``(first token, last token, start char, key)``.
    """
    index = alias_index()
    text = toks.text
    kb_out: list[Candidate] = []
    generic_out: list[tuple[int, int, int, str]] = []
    i, n = 0, len(toks)
    while i < n:
        word = toks.words[i]
        arabic = "\u0600" <= word[:1] <= "\u06ff"
        starts: list[tuple[int, str, str]] = []  # (char offset into token, key, raw)
        if toks.keys[i] in index.prefixes or articleish(toks.raws[i]):
            starts.append((0, toks.keys[i], toks.raws[i]))
        if arabic:
            for clitic in ARABIC_PROCLITICS:
                if word.startswith(clitic) and len(word) - len(clitic) >= 2:
                    k, r = token_info(word[len(clitic):])
                    if k in index.prefixes:
                        starts.append((len(clitic), k, r))
        best_kb: tuple[int, int, tuple[str, ...]] | None = None  # (last token, offset, actor ids)
        best_generic: tuple[int, int, str] | None = None
        for offset, key, raw in starts:
            kb_hits, generic_hit = _scan_from(toks, i, key, raw, langs)
            for j, k in reversed(kb_hits):
                span = text[toks.starts[i] + offset : toks.ends[j]]
                raws = [raw] + toks.raws[i + 1 : j + 1]
                ids = _case_ok(span, k, raws)
                if ids:
                    if best_kb is None or j > best_kb[0]:
                        best_kb = (j, offset, ids)
                    break
            if generic_hit and (best_generic is None or generic_hit[0] > best_generic[0]):
                best_generic = (generic_hit[0], offset, generic_hit[1])
        if best_kb is not None and (best_generic is None or best_kb[0] >= best_generic[0]):
            j, offset, ids = best_kb
            end = toks.ends[j]
            if end < len(text) and text[end] == "." and j > i and len(toks.words[j]) == 1:
                end += 1  # "U.N." keeps its last period
            kb_out.append(Candidate(toks.starts[i] + offset, end, 0, "kb", ids=ids, extra={"first": i, "last": j}))
            i = j + 1
        elif best_generic is not None:
            j, offset, k = best_generic
            generic_out.append((i, j, toks.starts[i] + offset, k))
            i = j + 1
        else:
            i += 1
    return kb_out, generic_out


def state_in_longer_name(toks: Tokens, c: Candidate) -> bool:
    """Whether a state's bare name is one word of a longer capitalised name: a given name
    before it ("Michael Jordan") or a capitalised word after it that is no title ("Niger River")."""
    actors = load_actors()
    if c.resolved or not c.ids or not all(actors[i].kind == "state" for i in c.ids):
        return False
    index = alias_index()
    first, last = c.extra["first"], c.extra["last"]
    if first > 0 and toks.joins[first - 1] and toks.gap(first - 1).strip() == "":
        w, raw = toks.words[first - 1], toks.raws[first - 1]
        if (is_capitalised(w) and w.isalpha() and raw not in index.run_stop and raw not in index.title_keys
                and toks.keys[first - 1] not in index.kb and toks.keys[first - 1] not in index.demonyms):
            return True
    if last + 1 < len(toks) and toks.joins[last] and toks.gap(last).strip() == "":
        w, raw = toks.words[last + 1], toks.raws[last + 1]
        if (is_capitalised(w) and w.isalpha() and not w.isupper() and raw not in index.run_stop
                and raw not in index.title_keys and toks.keys[last + 1] not in index.kb
                and raw not in index.generic_words and not agents.is_verb(raw, None)):  # "Turkey Says ..."
            return True
    return False


def generated_state(c: Candidate) -> bool:
    actors = load_actors()
    return (not c.resolved and bool(c.ids)
            and all(actors[i].generated and actors[i].kind == "state" for i in c.ids))


def is_person(c: Candidate) -> bool:
    actors = load_actors()
    return bool(c.ids) and all(actors[i].kind == "person" for i in c.ids)


def sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 4) : at].rstrip(" \t\"'“‘(«")
    return not before or before[-1] in ".!?\n:;"


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def other_person(toks: Tokens, c: Candidate, ner_spans: Sequence[tuple[int, int, str]]) -> bool:
    """Whether a lone surname is part of someone else's name ("Saddam Haftar", "Petro Poroshenko")."""
    index = alias_index()
    first, last = c.extra["first"], c.extra["last"]
    for s, e, label in ner_spans:
        if label == "PERSON" and s <= c.start and c.end <= e and (s, e) != (c.start, c.end):
            outside = TOKEN_RE.findall(toks.text[s : c.start] + " " + toks.text[c.end : e])
            if any(token_info(w)[1] not in index.title_keys for w in outside if w not in ("s",)):
                return True
    if first != last:
        return False
    run_stop = index.run_stop
    if first > 0 and toks.joins[first - 1] and toks.gap(first - 1).strip() == "":
        w = toks.words[first - 1]
        if is_capitalised(w) and toks.raws[first - 1] not in run_stop and toks.raws[first - 1] not in index.title_keys:
            return True
    if last + 1 < len(toks) and toks.joins[last] and toks.gap(last).strip() == "":
        w = toks.words[last + 1]
        raw = toks.raws[last + 1]
        if (is_capitalised(w) and raw not in run_stop and raw not in ALL_ARMED and raw not in index.common
                and toks.keys[last + 1] not in index.kb):
            return True
    return False


def absorb_title(toks: Tokens, c: Candidate) -> None:
    """Take the title before a person's name into the span ("retired Major General Khalifa Haftar")."""
    index = alias_index()
    i = c.extra["first"]
    j = i - 1
    first_title = None
    while j >= 0 and i - j <= 6:
        gap = toks.gap(j)
        if not (gap.strip(" \t\u00a0") in ("", "-", ".") and "\n\n" not in gap and len(gap) <= 3):
            break
        raw, key = toks.raws[j], toks.keys[j]
        if first_title is None:
            if raw not in TITLE_HEADS and key not in TITLE_HEADS:
                return
        elif raw not in index.title_keys and key not in index.title_keys and key not in index.demonyms:
            break
        first_title = j
        j -= 1
    if first_title is not None:
        c.start = toks.starts[first_title]
        c.extra["first"] = first_title


def _resolve_through(c: Candidate, how: str, day: dt.date | None) -> tuple[str, ...]:
    fn = force_of if how == "armed" else represented_by
    return tuple(dict.fromkeys(r for i in c.ids if (r := fn(i, day)) is not None))


def _noun_class(noun: str) -> str:
    noun = re.sub(r"\s+", " ", noun.casefold())
    return "armed" if noun in ALL_ARMED else "rep"


def extend_phrase(toks: Tokens, c: Candidate, day: dt.date | None) -> None:
    """"Haftar's forces", "the forces of Haftar", "LNA fighters", "قوات حفتر": the force, not the name."""
    text = toks.text
    if c.resolved:
        return
    after = AFTER_EN.match(text, c.end)
    if after:
        how = _noun_class(after.group("noun"))
        if not (after.group("hyph") and how != "armed"):
            ids = _resolve_through(c, how, day)
            if ids:
                c.ids, c.end, c.resolved = ids, after.end(), True
                return
    window = text[max(0, c.start - 80) : c.start]
    for pattern in (BEFORE_EN, BEFORE_FR, BEFORE_AR):
        before = pattern.search(window)
        if before:
            ids = _resolve_through(c, _noun_class(before.group("noun")), day)
            if ids:
                at = before.start("mod") if before.group("mod") else before.start("noun")
                c.ids, c.start, c.resolved = ids, c.start - len(window) + at, True
            return
