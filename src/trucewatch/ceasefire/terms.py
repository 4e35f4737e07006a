"""The vocabulary of agreement records, read from ``resources/ceasefire/terms.yaml``.

Kept as data so an analyst can add a cue ("hudna") or a provision type without code;
the kind a name's cue gives is what turns "Sabha Truce Statement" into a truce whatever
the dataset calls it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml


@dataclass(frozen=True)
class Provision:
    """A provision type, the dataset columns that code it and the words that state it."""

    id: str
    description: str
    columns: dict[str, tuple[str, ...]]
    cues: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_terms() -> dict[str, Any]:
    """The raw terms file (cached)."""
    text = files("trucewatch.resources").joinpath("ceasefire", "terms.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def _ids(section: str) -> tuple[str, ...]:
    return tuple(item["id"] for item in load_terms().get(section) or ())


def kinds() -> tuple[str, ...]:
    return _ids("kinds")


def statuses() -> tuple[str, ...]:
    return _ids("statuses")


def roles() -> tuple[str, ...]:
    return _ids("roles")


@lru_cache(maxsize=1)
def provisions() -> tuple[Provision, ...]:
    return tuple(
        Provision(p["id"], p.get("description", ""),
                  {ds: tuple(p.get(ds) or ()) for ds in ("pax", "ucdp") if p.get(ds)}, tuple(p.get("cues") or ()))
        for p in load_terms().get("provisions") or ()
    )


def cue_pattern(cues: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """One pattern matching any of ``cues`` as whole words, any case, spaces or hyphens between words."""
    ordered = sorted(cues, key=len, reverse=True)
    if not ordered:
        return None
    alternation = "|".join(re.escape(c).replace(r"\ ", r"[\s-]+") for c in ordered)
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def _labelled(items: list[dict[str, Any]], label: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = []
    for item in items:
        pattern = cue_pattern(item.get("cues") or ())
        if pattern is not None:
            found.append((item[label], pattern))
    return tuple(found)


@lru_cache(maxsize=1)
def _kind_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return _labelled(load_terms().get("kinds") or [], "id")


def kind_from_name(name: str) -> str | None:
    """The kind an agreement's name (or a report's sentence) states, or None."""
    for kind, pattern in _kind_patterns():
        if pattern.search(name):
            return kind
    return None


@lru_cache(maxsize=1)
def _status_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return _labelled((load_terms().get("news") or {}).get("statuses") or [], "status")


def status_spans(text: str) -> list[tuple[str, int, int]]:
    """``(status, start, end)`` of the first cue of each step a sentence reports, in life order."""
    found = []
    for status, pattern in _status_patterns():
        match = pattern.search(text)
        if match:
            found.append((status, match.start(), match.end()))
    return found


def statuses_in(text: str) -> list[str]:
    """The steps of an agreement's life a sentence reports, in life order ("came into force ...
    but each side accused the other of breaking it": in_force, violated)."""
    return [status for status, pattern in _status_patterns() if pattern.search(text)]


@lru_cache(maxsize=1)
def _outcome_pattern() -> re.Pattern[str] | None:
    return cue_pattern((load_terms().get("news") or {}).get("outcome_cues") or [])


def states_an_outcome(text: str) -> bool:
    """Whether a sentence about talks says they produced a text (conclusions, a communiqué)."""
    pattern = _outcome_pattern()
    return bool(pattern and pattern.search(text))


@lru_cache(maxsize=1)
def _provision_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((p.id, pattern) for p in provisions() if (pattern := cue_pattern(p.cues)) is not None)


def provisions_in(text: str) -> list[tuple[str, int, int]]:
    """``(provision type, start, end)`` of each provision a sentence states, first match of each type."""
    found = []
    for provision, pattern in _provision_patterns():
        match = pattern.search(text)
        if match:
            found.append((provision, match.start(), match.end()))
    return found
