"""The time stage: every time expression of a document, and its publication date.

A document whose day of publication is known (from metadata, its file name or a
dateline) has its relative expressions ("on Monday", "last week") resolved against
that day. Otherwise the day is inferred from the text. The guess, with its confidence,
range and evidence, is always kept in the ``publication_date`` annotation; it is written
on the document (basis ``inferred``, so later stages and exports can tell it from a date
the source gave) only when its confidence reaches ``CONFIDENT_DAY`` (a dateline's own
date always is). A date the source gave is never overwritten, and a stored inference
that a re-run no longer makes with that confidence is removed.

Annotations:

* ``time``: one per expression, its span and ``{type, value, granularity, mod,
  anchor, freq, quant, alternatives}`` (every key always present, None when it does not apply);
* ``publication_date``: one per document, the anchor's dict (value, basis,
  confidence, low, high, evidence), spanning the first expression that pointed to
  it (0/0 and empty text when there is none, e.g. a date from metadata).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from trucewatch.pipeline.stage import Annotation, DocumentInput, StageOutput
from trucewatch.extract.time.infer import claimed_day
from trucewatch.extract.time.model import Anchor, Timex, TimeTagging
from trucewatch.extract.time.tagger import anchor_date, tag_time

#: Bases whose date came from the document itself; with a day, it is the anchor as is.
FIXED_BASES = ("metadata", "filename", "dateline", "given")
#: Bases the stage may (re)write: a date it inferred itself, or none at all.
WRITABLE_BASES = ("unknown", "inferred")
TIME_KEYS = ("type", "value", "granularity", "mod", "anchor", "freq", "quant", "alternatives")


def time_value(t: Timex) -> dict[str, Any]:
    """The stored value of a ``time`` annotation: every TIMEX3 field, None when unused."""
    return {key: getattr(t, key) for key in TIME_KEYS}


def tag_document(text: str, published: str | None, basis: str, lang: str | None) -> TimeTagging:
    """Tag ``text`` anchored the way the stage anchors a stored document.

    A day from a fixed basis is the anchor (reported with that basis rather than
    "given"); a year or month only bounds the inference; an earlier inference is
    ignored so that a re-run infers afresh.
    """
    if basis == "inferred":
        published = None
    fixed = basis in FIXED_BASES and anchor_date(published) is not None
    tagging = tag_time(text, published=published or None, lang=lang or "en")
    if fixed and tagging.anchor.basis == "given" and basis != "given":
        tagging = TimeTagging(tagging.timexes, dataclasses.replace(tagging.anchor, basis=basis))
    return tagging


def evidence_span(text: str, anchor: Anchor, timexes: list[Timex]) -> tuple[int, int]:
    """Where the first piece of evidence for ``anchor`` is in ``text``; (0, 0) if nowhere."""
    if anchor.basis == "dateline":
        from trucewatch.documents.pubdate import find_dateline

        try:
            found = find_dateline(text)
        except Exception:  # a dateline is a bonus; odd text must not fail the stage
            found = None
        if found and text[found["start"] : found["end"]] == found["text"]:
            return found["start"], found["end"]
    for snippet in anchor.evidence:
        if not snippet:
            continue
        for t in timexes:
            if t.text == snippet:
                return t.start, t.end
        at = text.find(snippet)
        if at >= 0:
            return at, at + len(snippet)
    return 0, 0


def document_update(basis: str, anchor: Anchor) -> dict[str, Any]:
    """What the stage writes back on the document: only ever a day it found itself (a
    dateline's, or an inference at ``CONFIDENT_DAY`` or above), never over the source's date."""
    if basis not in WRITABLE_BASES:
        return {}
    day, day_basis = claimed_day(anchor)
    if day and anchor_date(day) is not None and day_basis in ("inferred", "dateline"):
        return {"published": day, "published_basis": day_basis, "published_precision": "day"}
    if basis == "inferred":  # an earlier run inferred a date this version no longer claims
        return {"published": None, "published_basis": "unknown", "published_precision": None}
    return {}


class TimeStage:
    """Pipeline stage that stores ``time`` and ``publication_date`` annotations."""

    name = "time"
    version = "4"  # 4: French "jusqu'à" is no future word, Russian bare "утром"; 3: a weak guess stays off the document
    requires: tuple[str, ...] = ()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        basis = doc.published_basis or "unknown"
        tagging = tag_document(doc.text, doc.published, basis, doc.language)
        annotations = [Annotation("time", t.start, t.end, t.text, time_value(t)) for t in tagging.timexes]
        start, end = evidence_span(doc.text, tagging.anchor, tagging.timexes)
        annotations.append(Annotation("publication_date", start, end, doc.text[start:end], tagging.anchor.to_dict()))
        return StageOutput(annotations=annotations, document=document_update(basis, tagging.anchor))
