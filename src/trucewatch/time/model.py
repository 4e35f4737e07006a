"""What the time tagger returns: TIMEX3-style expressions and the anchor they hang on.

Values follow TimeML's TIMEX3 conventions (2020-06-03, 2020-W05, 2019-Q3, P10M, PT48H,
PRESENT_REF...) so that results can be scored against TimeML corpora and exported
without translation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

@dataclass(frozen=True)
class Anchor:
    """The date relative expressions were resolved against, and how sure we are of it.

    ``basis`` is the publication-date basis (metadata, filename, dateline, given,
    inferred, unknown); an inferred anchor carries a confidence and the range of dates
    the evidence allows (``low``..``high``), and the expressions that pointed to it.
    """

    value: str | None
    basis: str
    confidence: float = 1.0
    low: str | None = None
    high: str | None = None
    evidence: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence"] = list(self.evidence)
        return d


@dataclass
class Timex:
    """One time expression: its span in the text, TIMEX3 type and value, and granularity.

    ``alternatives`` lists the other values of an ambiguous expression (a numeric date
    whose day/month order only a hint or a default chose).
    ``value`` is None when the expression was recognised but could not be resolved
    (a relative date with no anchor). ``mod`` carries TimeML's modifiers (START, END,
    MID, APPROX, MORE_THAN...), ``freq``/``quant`` those of SETs. ``anchor`` is the
    date the value was computed from, for relative expressions only.
    """

    start: int
    end: int
    text: str
    type: str
    value: str | None
    granularity: str | None = None
    mod: str | None = None
    anchor: str | None = None
    relative: bool = False
    freq: str | None = None
    quant: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Other values the same words can mean ("05/06/2020" read month first is 6 May; day first, 5 June).
    alternatives: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
            "granularity": self.granularity,
        }
        for key in ("mod", "anchor", "freq", "quant", "alternatives"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        return d


@dataclass
class TimeTagging:
    """The tagger's answer for one text: its expressions and the anchor used."""

    timexes: list[Timex]
    anchor: Anchor

    def to_dict(self) -> dict[str, Any]:
        return {"anchor": self.anchor.to_dict(), "times": [t.to_dict() for t in self.timexes]}
