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
    """A provision type and the dataset columns that code it."""

    id: str
    description: str
    columns: dict[str, tuple[str, ...]]


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
                  {ds: tuple(p.get(ds) or ()) for ds in ("pax", "ucdp") if p.get(ds)})
        for p in load_terms().get("provisions") or ()
    )


@lru_cache(maxsize=1)
def _kind_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    patterns = []
    for kind in load_terms().get("kinds") or ():
        cues = sorted(kind.get("cues") or (), key=len, reverse=True)
        if cues:
            alternation = "|".join(re.escape(c).replace(r"\ ", r"[\s-]+") for c in cues)
            patterns.append((kind["id"], re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)))
    return tuple(patterns)


def kind_from_name(name: str) -> str | None:
    """The kind an agreement's name states ("... Truce", "Cessation of Hostilities ..."), or None."""
    for kind, pattern in _kind_patterns():
        if pattern.search(name):
            return kind
    return None
