"""The vocabulary of the talks record, read from ``resources/ceasefire/talks.yaml``.

Kept as data so an analyst can add a forum (its names in each language), a track or an
outcome cue without code. Matching reuses the agreement vocabulary's whole-word cue
patterns, so "5+5 commission" and "5+5-commission" meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from trucewatch.ceasefire.terms import cue_pattern


@dataclass(frozen=True)
class Forum:
    """A standing format in which the parties meet, and every name it goes by."""

    id: str
    name: str
    track: str | None
    country: str | None
    kb_actor: str | None
    kb_process: str | None
    cues: dict[str, tuple[str, ...]]
    venues: tuple[str, ...] = ()  # where its meetings are held, so "the conference" filed from there is it

    def all_cues(self) -> tuple[str, ...]:
        return tuple(c for language in sorted(self.cues) for c in self.cues[language])


@dataclass(frozen=True)
class Match:
    """Where a cue matched in a text, and what it stands for (a forum, a track, an outcome type)."""

    label: str
    start: int
    end: int


@lru_cache(maxsize=1)
def load_talks_terms() -> dict[str, Any]:
    """The raw talks vocabulary (cached)."""
    text = files("trucewatch.resources").joinpath("ceasefire", "talks.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text) or {}


def tracks() -> tuple[str, ...]:
    return tuple(t["id"] for t in load_talks_terms().get("tracks") or ())


def outcome_types() -> tuple[str, ...]:
    return tuple(o["type"] for o in load_talks_terms().get("outcomes") or ())


@lru_cache(maxsize=1)
def forums() -> tuple[Forum, ...]:
    return tuple(Forum(f["id"], f["name"], f.get("track"), f.get("country"), f.get("kb_actor"), f.get("kb_process"),
                       {lang: tuple(cues or ()) for lang, cues in (f.get("cues") or {}).items()},
                       tuple(f.get("venues") or ()))
                 for f in load_talks_terms().get("forums") or ())


def forum(forum_id: str) -> Forum | None:
    return next((f for f in forums() if f.id == forum_id), None)


def _find(patterns: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> list[Match]:
    return sorted((Match(label, m.start(), m.end()) for label, pattern in patterns for m in pattern.finditer(text)),
                  key=lambda m: (m.start, -m.end))


@lru_cache(maxsize=1)
def _forum_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((f.id, p) for f in forums() if (p := cue_pattern(f.all_cues())) is not None)


def forums_in(text: str) -> list[Match]:
    """Every forum name in ``text``, in text order."""
    return _find(_forum_patterns(), text)


@lru_cache(maxsize=1)
def _track_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((t["id"], p) for t in load_talks_terms().get("tracks") or () if (p := cue_pattern(t.get("cues") or ())))


def tracks_in(text: str) -> list[Match]:
    """Every track a text names ("the military track", "المسار السياسي")."""
    return _find(_track_patterns(), text)


@lru_cache(maxsize=8)
def _cue_list(section: str) -> re.Pattern[str] | None:
    return cue_pattern(load_talks_terms().get(section) or ())


def is_about_meeting(text: str) -> bool:
    pattern = _cue_list("meeting_cues")
    return bool(pattern and pattern.search(text)) or bool(forums_in(text))


def names_facilitation(text: str) -> bool:
    pattern = _cue_list("facilitation_cues")
    return bool(pattern and pattern.search(text))


def tells_the_end(text: str) -> bool:
    """Whether a sentence tells how a meeting ended ("ended a three-day meeting")."""
    pattern = _cue_list("ending_cues")
    return bool(pattern and pattern.search(text))


def looks_ahead(text: str) -> bool:
    """Whether a sentence is about a meeting to come ("to prepare for a meeting of ...")."""
    pattern = _cue_list("planning_cues")
    return bool(pattern and pattern.search(text))


def names_delegations(text: str) -> bool:
    pattern = _cue_list("delegation_cues")
    return bool(pattern and pattern.search(text))


@lru_cache(maxsize=1)
def _outcome_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((o["type"], p) for o in load_talks_terms().get("outcomes") or () if (p := cue_pattern(o.get("cues") or ())))


def outcomes_in(text: str) -> list[Match]:
    """What a sentence says a round ended with: the first match of each outcome type, in the
    file's order ("a draft ..., which would be referred to the leaders": draft and deferred)."""
    found = []
    for label, pattern in _outcome_patterns():
        hit = pattern.search(text)
        if hit:
            found.append(Match(label, hit.start(), hit.end()))
    return found


@lru_cache(maxsize=1)
def _ordinal_patterns() -> tuple[tuple[int, re.Pattern[str]], ...]:
    found = []
    for spec in (load_talks_terms().get("ordinals") or {}).values():
        for number, forms in enumerate(spec.get("words") or (), start=1):
            words = "|".join(re.escape(w.strip()) for w in str(forms).split("|"))
            for template in spec.get("templates") or ():
                body = re.escape(template).replace(r"\{o\}", f"(?:{words})").replace(r"\{d\}", str(number))
                body = body.replace(r"\ ", r"\s+")
                found.append((number, re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)))
    return tuple(found)


def round_numbers_in(text: str) -> list[Match]:
    """The round numbers a text states ("the second round of", "الجولة الثانية", "round 3"), as
    matches labelled with the number."""
    return _find(tuple((str(n), p) for n, p in _ordinal_patterns()), text)
