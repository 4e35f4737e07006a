"""Generic actors: the unnamed actors ACLED codes by category and country (gunmen, police,
soldiers, protesters, civilians), named as ACLED does.

A demonym or a possessive country before the noun sets the country; otherwise the caller's does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from trucewatch.extract.actors.alias_index import alias_index
from trucewatch.extract.actors.kb import alias_key, load_actors
from trucewatch.extract.actors.ner_names import trim_entity
from trucewatch.extract.actors.reasoning import force_of
from trucewatch.extract.actors.scan import is_capitalised, sentence_start
from trucewatch.extract.actors.spans import Candidate, Tokens
from trucewatch.extract.actors.vocabulary import (
    AMBIGUOUS_HEADS,
    FOLLOW_OK,
    GENERIC_MODIFIERS,
    GENERIC_NAMES,
    MILITARY_DETERMINERS,
    NER_ACTOR_LABELS,
    NUMBER_RE,
    PROTEST_VERBS,
)
from trucewatch.extract.actors.world import military_id
from trucewatch.text.script import ARTICLES, name_key


def _country_label(code: str | None) -> str | None:
    return alias_index().country_names.get(code) if code else None


def _generic_name(category: str, code: str | None) -> tuple[str, int]:
    with_country, bare, inter = GENERIC_NAMES[category]
    name = _country_label(code)
    return (with_country.format(country=name) if name else bare), inter


def _head_ok(toks: Tokens, first: int, last: int, run_before: bool) -> bool:
    """"the army said" is an actor; "army officer" and "military sources" are not."""
    raw = toks.raws[last]
    if first != last or raw not in AMBIGUOUS_HEADS:
        return True
    if raw in ("military", "militaires"):
        prev = toks.raws[first - 1] if first > 0 and toks.joins[first - 1] else None
        if not (run_before or prev in MILITARY_DETERMINERS):
            return False
    if last + 1 < len(toks) and toks.gap(last).strip(" \t") == "":
        nxt = toks.words[last + 1]
        if nxt.isalpha() and nxt.islower() and nxt not in FOLLOW_OK and not nxt.endswith("ed"):
            return False
    return True


def generic_at(toks: Tokens, hit: tuple[int, int, int, str], kb: list[Candidate], ner_spans: Sequence[tuple[int, int, str]],
             ner_on: bool, langs: frozenset[str] | None, country: str | None, day: dt.date | None) -> Candidate | None:
    """The mention a generic noun phrase makes, with what stands before (or, in French, after) it."""
    index = alias_index()
    text = toks.text
    first, last, start, key = hit
    end = toks.ends[last]
    if any(c.start <= start and end <= c.end for c in kb):
        return None  # already part of a KB phrase ("LNA fighters", "forces loyal to Haftar")
    found = index.generic[key]
    category = next(found[lang] for lang in ("en", "fr", "ar") if lang in found and (langs is None or lang in langs))
    following = toks.raws[last + 1] if last + 1 < len(toks) and toks.joins[last] else ""
    if category == "civilians" and toks.raws[last] in ("students", "student", "etudiants") and following in PROTEST_VERBS:
        category = "protesters"  # "students marching"
    if toks.raws[last] == "people" and following in ("familiar", "close"):
        return None  # "people familiar with the talks" are sources
    armed = category in ("armed_group", "rebels", "military", "police")
    # lower-case words that belong to the phrase ("unidentified gunmen", "heavily armed men")
    lead = first
    while (lead > 0 and toks.joins[lead - 1] and toks.raws[lead - 1] in GENERIC_MODIFIERS
           and toks.gap(lead - 1).strip() in ("", "-")):
        lead -= 1
    span_start = toks.starts[lead] if lead < first else start
    code: str | None = None
    # a KB name right before that the phrase pass did not turn into a force ("Egypt police"):
    # the name stays its own mention; a state lends its country to the generic one
    before_kb = next((c for c in kb if lead > 0 and c.end == toks.ends[lead - 1] and toks.gap(lead - 1).strip() == ""),
                     None)
    run: list[int] = []
    if before_kb is not None:
        owners = {load_actors()[i].country for i in before_kb.ids if load_actors()[i].kind == "state"}
        if len(owners) == 1:
            code = owners.pop()
    else:
        run = _name_run(toks, lead)
    possessive = None if run or before_kb else _possessive_country(toks, lead)
    if not _head_ok(toks, first, last, bool(run) or possessive is not None or code is not None):
        return None
    if run:
        for s in range(len(run)):
            surface = text[toks.starts[run[s]] : toks.ends[run[-1]]]
            demonym = index.demonyms.get(name_key(surface))
            # KB names built on the run: "Houthi fighters" -> "Houthi forces", "Israeli soldiers" -> "Israeli army"
            if demonym:
                suffixes: tuple[str, ...] = _MILITARY_SUFFIXES if category == "military" else ()
            else:
                suffixes = _ARMED_SUFFIXES + _MILITARY_SUFFIXES if armed else ()
            for suffix in suffixes:
                ids = index.kb.get(alias_key(surface + suffix))
                if ids:
                    forces = tuple(dict.fromkeys(f for i in ids if (f := force_of(i, day)) is not None)) or ids
                    return Candidate(toks.starts[run[s]], end, 0, "kb", ids=forces, resolved=True)
            if demonym:
                code, span_start = demonym, toks.starts[run[s]]
                break
        else:
            named = _named_run(toks, run, ner_spans, ner_on) if armed else None
            if named is not None:  # "Taliban militants": a group we cannot name from the KB
                label, name_start, name = named
                return Candidate(name_start, end, 1, "ner", name=name, label=label)
    elif possessive is not None:
        code, span_start = possessive
    # French: the demonym follows ("soldats maliens", "l'armée malienne")
    if code is None and following and toks.gap(last).strip() == "" and (langs is None or "fr" in langs):
        fr = index.fr_demonyms.get(toks.keys[last + 1])
        if fr:
            code, end = fr, toks.ends[last + 1]
    if code is None and following in ("of", "du", "de"):
        found_after = _country_after(toks, last + 1)  # "the army of Mali", "l'armée du Mali"
        if found_after is not None:
            code, end = found_after
    if any(c.start < start and span_start < c.end for c in kb):
        span_start = min(start, toks.starts[lead])  # "Egypt's army": the KB name keeps its own span
    if category == "military" and code is not None:
        force = military_id(code)  # "forces armées soudanaises": a force the curated KB names
        if force is not None and force in load_actors() and not load_actors()[force].generated:
            return Candidate(span_start, end, 0, "kb", ids=(force,), resolved=True)
    code = code or country
    name, inter = _generic_name(category, code)
    return Candidate(span_start, end, 1, "generic", name=name, inter=inter, label=category, country=code)


def _name_run(toks: Tokens, lead: int) -> list[int]:
    """Capitalised tokens right before a generic phrase ("Somali", "al-Shabab", "South Sudanese")."""
    index = alias_index()
    run: list[int] = []
    j = lead - 1
    while j >= 0 and len(run) < 4 and toks.joins[j] and toks.gap(j).strip() in ("", "-"):
        raw = toks.raws[j]
        if is_capitalised(toks.words[j]) and raw not in index.run_stop and not NUMBER_RE.match(raw):
            run.insert(0, j)
        elif raw in ARTICLES and run and toks.gap(j).strip() == "-":
            run.insert(0, j)  # the "al" of "al-Shabab"
        else:
            break
        j -= 1
    return run


def _possessive_country(toks: Tokens, lead: int) -> tuple[str, int] | None:
    """"Kenya's police", "Somalia's army": the country and where its name starts."""
    if lead < 2 or toks.raws[lead - 1] != "s" or toks.gap(lead - 2).strip() not in ("'", "’"):
        return None
    k = lead - 2
    for width in (3, 2, 1):
        at = k - width + 1
        if at < 0 or not all(is_capitalised(toks.words[x]) for x in range(at, k + 1)):
            continue
        code = alias_index().demonyms.get(name_key(toks.text[toks.starts[at] : toks.ends[k]]))
        if code:
            return code, toks.starts[at]
    return None


def _country_after(toks: Tokens, of: int) -> tuple[str, int] | None:
    """A country named after "of"/"du"/"de" (token ``of``): its code and where the name ends."""
    k = of + 1
    if k < len(toks) and toks.joins[of] and toks.raws[k] in ("the", "la", "l") and toks.joins[k]:
        k += 1
    if k >= len(toks) or not toks.joins[k - 1] or not is_capitalised(toks.words[k]):
        return None
    for width in (3, 2, 1):
        last = k + width - 1
        if last >= len(toks) or any(not toks.joins[x] for x in range(k, last)):
            continue
        code = alias_index().demonyms.get(name_key(toks.text[toks.starts[k] : toks.ends[last]]))
        if code and name_key(toks.text[toks.starts[k] : toks.ends[last]]) not in alias_index().people_demonyms:
            return code, toks.ends[last]
    return None


_MILITARY_SUFFIXES = (" forces", " army", " military", " troops", " armed forces")
_ARMED_SUFFIXES = (" fighters", " forces", " rebels", " militants", " militias", " militia", "s")


def _named_run(toks: Tokens, run: list[int], ner_spans: Sequence[tuple[int, int, str]],
               ner_on: bool) -> tuple[str | None, int, str] | None:
    """An unknown name before an armed-actor noun ("Taliban militants"): (NER label, start, name), or None.

    With the model, its reading decides (a place such as "Tripoli gunmen" or no entity at
    all leaves the noun generic); without it, a capitalised word inside a sentence is
    taken for a name, one at a sentence start is not ("Masked gunmen", "Angry rioters").
    """
    text = toks.text
    start, end = toks.starts[run[0]], toks.ends[run[-1]]
    if ner_on:
        for s, e, label in ner_spans:
            if s < end and start < e:
                if label not in NER_ACTOR_LABELS:
                    return None
                name_start, name = trim_entity(text, max(s, start), min(e, end))
                return (label, name_start, name) if name else None
        return None
    if len(run) == 1 and sentence_start(text, start):
        return None
    return None, start, text[start:end]
