"""A round of talks as the talks record builds it, before it is stored: every value is a
:class:`Fact` that keeps the span of the report it came from; ``digest`` hashes the whole,
so storing the same round again changes nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from trucewatch.ceasefire.talks_read import Span, TalkMention


@dataclass(frozen=True)
class Fact:
    """One value of a round and the report span that supports it."""

    field: str
    value: str | None
    document_id: str
    start: int
    end: int
    text: str
    event_id: str | None = None
    actor_id: str | None = None
    side: str | None = None


@dataclass
class TalksRecord:
    id: str
    name: str
    forum: str | None = None
    track: str | None = None
    country: str | None = None
    round_number: int | None = None
    sequence: int | None = None
    start: str | None = None
    end: str | None = None
    date_precision: str | None = None
    venue: str | None = None
    venue_country: str | None = None
    extra: dict[str, object] | None = None
    facts: list[Fact] = field(default_factory=list)

    def digest(self) -> str:
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cite(field_name: str, value: str | None, span: Span, mention: TalkMention, **extra: str | None) -> Fact:
    return Fact(field_name, value, span.document_id, span.start, span.end, span.text, mention.event_id, **extra)
