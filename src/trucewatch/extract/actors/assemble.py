"""Put the knowledge base together: curated actors, organisations, office holders, states.

``actors.yaml`` stays the hand-kept core. ``organisations.yaml`` and ``officeholders.yaml``
are hand-kept too, in the same schema (office holders in a shorter one, since every head
of state has the same kind, code and parent rule), and :mod:`trucewatch.extract.actors.world`
generates the states. The result is one mapping of the shape of ``actors.yaml``, so the
validator and the alias index see a single knowledge base.

Hand-written names must never collide without a ``shared_aliases`` rule (the validator
says so). Generated names give way: one already used by a hand-written actor is dropped,
and one two generated actors share is dropped from both and reported by :func:`collisions`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from trucewatch.extract.actors import world

LANGUAGES = ("en", "ar", "fr", "ru", "es")


def _add_names(entry: dict[str, Any], names: Mapping[str, list[str]]) -> None:
    own = entry.setdefault("names", {})
    for lang, extra in names.items():
        have = own.setdefault(lang, []) or []
        own[lang] = have + [n for n in extra if n not in have]


def _person(raw: Mapping[str, Any]) -> dict[str, Any]:
    offices = list(raw.get("offices") or ())
    states = [o.get("of") for o in offices if o.get("of") in world.states()]
    described = "; ".join(
        f"{o.get('office', '?').replace('_', ' ')} of {o.get('of')} from {o.get('from')} to {o.get('to') or 'now'}"
        for o in offices)
    return {
        "id": raw.get("id"), "name": raw.get("name"), "kind": "person", "inter": None,
        "country": states[0] if states else None,
        "names": {lang: list(ns) for lang, ns in (raw.get("names") or {}).items()},
        "side": None, "parent": [], "roles": [], "offices": offices,
        "notes": f"Office holder: {described}.",
    }


def body_of(office: Mapping[str, Any]) -> str | None:
    """The actor an office's holder leads: its ``body``, the state's government, or the organisation."""
    if office.get("body"):
        return office["body"]
    of = office.get("of")
    if isinstance(of, str) and of in world.states():
        return world.government_id(of)
    return of if isinstance(of, str) else None


def _office_parents(offices: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    parents = []
    for o in offices:
        body = body_of(o)
        if body:
            parents.append({"id": body, "from": o.get("from"), "to": o.get("to")})
    return parents


def _keys(entry: Mapping[str, Any]) -> set[str]:
    from trucewatch.extract.actors.kb import alias_key

    names = entry.get("names") or {}
    found = {alias_key(entry["name"])} if isinstance(entry.get("name"), str) else set()
    found |= {alias_key(n) for lang in LANGUAGES for n in names.get(lang) or () if isinstance(n, str)}
    return {k for k in found if k}


_COLLISIONS: list[tuple[str, tuple[str, ...]]] = []


def assemble(curated: Mapping[str, Any], organisations: Mapping[str, Any],
             officeholders: Mapping[str, Any]) -> dict[str, Any]:
    """The whole knowledge base as one ``actors.yaml``-shaped mapping (inputs are not changed)."""
    from trucewatch.extract.actors.kb import alias_key

    data = copy.deepcopy(dict(curated))
    actors: list[dict[str, Any]] = list(data.get("actors") or [])
    by_id = {a.get("id"): a for a in actors}

    def extend_or_add(raw: Mapping[str, Any], build: Any) -> None:
        if raw.get("id") in by_id and not raw.get("name"):
            target = by_id[raw["id"]]
            _add_names(target, raw.get("extend") or raw.get("names") or {})
            if raw.get("offices"):
                target["offices"] = list(target.get("offices") or []) + list(raw["offices"])
                if not target.get("parent"):
                    target["parent"] = _office_parents(list(raw["offices"]))
            return
        entry = build(raw)
        actors.append(entry)
        by_id.setdefault(entry.get("id"), entry)

    for raw in organisations.get("extend") or ():
        extend_or_add(raw, lambda r: copy.deepcopy(dict(r)))
    for raw in organisations.get("actors") or ():
        extend_or_add(raw, lambda r: copy.deepcopy(dict(r)))
    for raw in officeholders.get("people") or ():
        def build(r: Mapping[str, Any]) -> dict[str, Any]:
            entry = _person(r)
            entry["parent"] = _office_parents(entry["offices"])
            return entry
        extend_or_add(raw, build)

    # generated states: hand-written names win, shared generated names go to nobody
    owners: dict[str, set[str]] = {}
    for a in actors:
        for key in _keys(a):
            owners.setdefault(key, set()).add(a.get("id"))
    generated = world.generated_actors(set(by_id))
    gen_owners: dict[str, set[str]] = {}
    for g in generated:
        for names in [g.get("extend") or g.get("names") or {}]:
            for lang in LANGUAGES:
                for n in names.get(lang) or ():
                    gen_owners.setdefault(alias_key(n), set()).add(g["id"])
    _COLLISIONS.clear()
    for key, ids in sorted(gen_owners.items()):
        if len(ids) > 1:
            _COLLISIONS.append((key, tuple(sorted(ids))))
    shared = {k for k, ids in gen_owners.items() if len(ids) > 1}

    def keep(aid: str, name: str) -> bool:
        key = alias_key(name)
        if not key or key in shared:
            return False
        return owners.get(key, {aid}) <= {aid}

    for g in generated:
        aid = g["id"]
        if "extend" in g:
            extra = {lang: [n for n in ns if keep(aid, n)] for lang, ns in g["extend"].items()}
            _add_names(by_id[aid], extra)
            by_id[aid].setdefault("acled_name", g["acled_name"])
            by_id[aid].setdefault("country", g.get("country"))
            continue
        g["names"] = {lang: [n for n in ns if keep(aid, n) or (lang == "en" and n == g["name"])]
                      for lang, ns in g["names"].items()}
        actors.append(g)
        by_id[aid] = g
    data["actors"] = actors
    return data


def collisions() -> list[tuple[str, tuple[str, ...]]]:
    """Generated names that two generated actors share, left to neither (read off a fresh
    assembly: the process may have loaded the knowledge base from its cached copy)."""
    from trucewatch.extract.actors.kb import _read_yaml

    assemble(_read_yaml("actors.yaml"), _read_yaml("organisations.yaml"), _read_yaml("officeholders.yaml"))
    return list(_COLLISIONS)
