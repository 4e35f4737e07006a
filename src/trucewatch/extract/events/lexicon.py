"""The event lexicon: ACLED sub-event types, their rivals and the process types, as cues.

The cues live in ``resources/events/subtypes.yaml`` so that a monitor can read and
correct them without touching code; this module loads and compiles them once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from trucewatch.text.literal_gate import GateIndex, fold

#: The 25 ACLED sub-event codes (the CASE 2021 labels), in the codebook's order.
ACLED_CODES: tuple[str, ...] = (
    "ARMED_CLASH", "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER",
    "CHEM_WEAP", "AIR_STRIKE", "SUIC_BOMB", "ART_MISS_ATTACK", "REM_EXPLOS", "GRENADE",
    "SEX_VIOL", "ATTACK", "ABDUCT_DISSAP",
    "PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST",
    "VIOL_DEMONSTR", "MOB_VIOL",
    "AGREEMENT", "ARREST", "CHANGE_TO_GROUP_ACT", "DISR_WEAP", "HQ_ESTABLISHED",
    "PROPERTY_DISTRUCT", "NON_VIOL_TERRIT_TRANSFER", "OTHER",
)


@dataclass(frozen=True)
class Cue:
    weight: float
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class EventClass:
    """One class of the lexicon: an ACLED sub-event type, a non-ACLED rival or a process type."""

    code: str
    acled: bool
    event_type: str | None
    sub_event_type: str | None
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Lexicon:
    classes: dict[str, EventClass]
    process_types: dict[str, EventClass]
    later_weight: float
    threshold: float
    #: Words that tell a happening in any of our languages ("killed", "tués", "убиты"):
    #: where a cue-less event found by the model is anchored, and a sign that a sentence
    #: is worth embedding. None when the file lists none.
    anchors: Anchors | None = None


class Anchors:
    """The anchor words, searched like one pattern (the leftmost match, the first listed at a
    tie) but pattern by pattern behind a literal gate: one alternation of them all made
    ``re`` try every alternative at every position of every sentence (a Russian one on
    English text too), a sixth of what choosing sentences to embed cost."""

    def __init__(self, patterns: list[str]) -> None:
        self.parts = tuple(re.compile(p, re.IGNORECASE) for p in patterns)
        self._gates = GateIndex(self.parts)

    def search(self, text: str) -> re.Match[str] | None:
        best: re.Match[str] | None = None
        for i in sorted(self._gates.candidates(fold(text))):
            m = self.parts[i].search(text)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best


def compile_cue(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)


def _classes(raw: dict[str, Any], acled_default: bool) -> dict[str, EventClass]:
    out: dict[str, EventClass] = {}
    for code, spec in (raw or {}).items():
        spec = spec or {}
        cues = tuple(Cue(float(w), compile_cue(p)) for w, p in spec.get("cues") or ())
        out[code] = EventClass(code, bool(spec.get("acled", acled_default)), spec.get("event_type"),
                               spec.get("sub_event_type"), cues)
    return out


def load_raw() -> dict[str, Any]:
    text = resources.files("trucewatch.resources").joinpath("events/subtypes.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = load_raw()
    return Lexicon(
        classes=_classes(raw.get("classes"), True),
        process_types=_classes(raw.get("process_types"), False),
        later_weight=float(raw.get("later_weight", 0.5)),
        threshold=float(raw.get("threshold", 1.0)),
        anchors=_anchors(raw.get("anchors")),
    )


def _anchors(patterns: list[str] | None) -> Anchors | None:
    """The anchor words; matched inside words for Arabic (proclitics)."""
    return Anchors(patterns) if patterns else None
