"""The story members that the documents of one batch may meet: their date windows.

A dated document meets the members dated within :data:`stories.WINDOW_DAYS` of it and
the latest undated ones; an undated document meets the latest members. The documents
of the batch join these as they are placed, so each meets the earlier ones.

A dense window (a busy month of a large store holds thousands of members) is narrowed
to the :data:`stories.MAX_MEMBERS` closest before any profile is read (the measures of
:func:`stories.shortlist`). With embeddings, the stored members of the batch's date span
are read once per batch, in day order and in chunks, and each document keeps only the
closest of its window: memory stays bounded however large the store, and a chunk is
multiplied only with the documents whose windows it touches. Without embeddings the
closeness needs each member's indexed terms, so the members (ids and days, no vectors)
are kept in day order and a document's window is a slice of them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from trucewatch.fusion import stories
from trucewatch.fusion.stories import Profile
from trucewatch.store.schema import StoryMember

#: Members an undated document is compared with: the latest ones.
UNDATED_RECENT = 2000
#: Stored members read (and multiplied with the batch's embeddings) at a time.
CHUNK = 2000

Member = tuple[str, str, int, str | None]  # document, story, seq, day


def _vector(blob: bytes | None) -> np.ndarray | None:
    return np.frombuffer(blob, dtype="<f2").astype(np.float32) if blob else None


def _span(day: date) -> tuple[str, str]:
    return ((day - timedelta(days=stories.WINDOW_DAYS)).isoformat(),
            (day + timedelta(days=stories.WINDOW_DAYS)).isoformat())


def _closest(members: list[Member], closeness: np.ndarray) -> list[Member]:
    """The :data:`stories.MAX_MEMBERS` closest, in order of arrival; ties to the earlier
    (as :func:`stories.closest` over the members in that order)."""
    seqs = np.array([m[2] for m in members], dtype=np.int64)
    keep = np.lexsort((seqs, -closeness))[:stories.MAX_MEMBERS]
    return sorted((members[i] for i in keep.tolist()), key=lambda m: m[2])


class _Nearest:
    """One document's closest stored members of its window so far, and how many it has."""

    __slots__ = ("members", "closeness", "count")

    def __init__(self) -> None:
        self.members: list[Member] = []
        self.closeness = np.zeros(0)
        self.count = 0

    def add(self, members: list[Member], closeness: np.ndarray) -> None:
        self.count += len(members)
        self.members.extend(members)
        self.closeness = np.concatenate([self.closeness, closeness])
        if len(self.members) > 2 * stories.MAX_MEMBERS:  # trimmed now and then, not for every chunk
            self.trim()

    def trim(self) -> None:
        """Keep the :data:`stories.MAX_MEMBERS` closest (ties to the earlier): no member
        beyond them can be among the closest once the batch's own members join."""
        if len(self.members) > stories.MAX_MEMBERS:
            seqs = np.array([m[2] for m in self.members], dtype=np.int64)
            keep = np.lexsort((seqs, -self.closeness))[:stories.MAX_MEMBERS]
            self.members = [self.members[i] for i in keep.tolist()]
            self.closeness = self.closeness[keep]


class Window:
    """The members the documents of one batch meet, read once per batch."""

    def __init__(self, session: Session, profiles: list[Profile], embeddings: bool) -> None:
        """``embeddings``: every profile of the batch has one, and members are shortlisted by it."""
        self.embeddings = embeddings
        #: embeddings of the latest and undated stored members, and of the members placed since
        self.vectors: dict[str, np.ndarray | None] = {}
        cols = select(StoryMember.document_id, StoryMember.story_id, StoryMember.seq, StoryMember.day)
        if embeddings:
            cols = cols.add_columns(StoryMember.embedding)
        recent = cols.order_by(StoryMember.seq.desc()).limit(UNDATED_RECENT)
        # only an undated document meets the latest members: a batch without one does not read them
        self.latest: list[Member] = (sorted(self._rows(session, recent), key=lambda m: m[2])
                                     if any(p.day is None for p in profiles) else [])
        self.undated: list[Member] = sorted(self._rows(session, recent.where(StoryMember.day.is_(None))),
                                            key=lambda m: m[2])
        self.placed: list[Member] = []  # dated members placed in this batch, in order
        self._dated: list[Member] = []  # without embeddings: the span's stored members by day
        self._days: list[str] = []
        self._nearest: dict[str, _Nearest] = {}
        dated = [p for p in profiles if p.day is not None]
        if dated:
            low = _span(min(p.day for p in dated if p.day))[0]
            high = _span(max(p.day for p in dated if p.day))[1]
            span = cols.where(StoryMember.day >= low, StoryMember.day <= high)
            if embeddings:
                self._stream(session, span.order_by(StoryMember.day, StoryMember.seq), dated)
            else:
                self._dated = sorted(self._rows(session, span), key=lambda m: (m[3] or "", m[2]))
                self._days = [m[3] or "" for m in self._dated]

    def _rows(self, session: Session, query: Any) -> list[Member]:
        found: list[Member] = []
        for row in session.execute(query):
            if len(row) > 4:
                self.vectors[row[0]] = _vector(row[4])
            found.append((row[0], row[1], row[2], row[3]))
        return found

    def _stream(self, session: Session, query: Any, profiles: list[Profile]) -> None:
        """Each dated document's closest stored members of its window, a chunk of the span
        at a time (one matrix product per chunk with the documents it concerns)."""
        docs = sorted(profiles, key=lambda p: (p.day, p.doc_id))
        ordinals = np.array([p.day.toordinal() for p in docs if p.day], dtype=np.int64)
        queries = np.stack([np.asarray(p.embedding, dtype=np.float32) for p in docs])
        nearest = [self._nearest.setdefault(p.doc_id, _Nearest()) for p in docs]
        result = session.execute(query.execution_options(yield_per=CHUNK))
        for chunk in result.partitions(CHUNK):
            days = np.array([date.fromisoformat(r[3]).toordinal() for r in chunk], dtype=np.int64)
            first = int(np.searchsorted(ordinals, days[0] - stories.WINDOW_DAYS, side="left"))
            last = int(np.searchsorted(ordinals, days[-1] + stories.WINDOW_DAYS, side="right"))
            if first >= last:
                continue
            closeness = np.full((len(chunk), last - first), np.inf)  # no embedding: always kept
            with_vector = [k for k, r in enumerate(chunk) if r[4]]
            if with_vector:
                matrix = np.frombuffer(b"".join(chunk[k][4] for k in with_vector), dtype="<f2")
                matrix = matrix.reshape(len(with_vector), -1).astype(np.float32)
                closeness[with_vector] = matrix @ queries[first:last].T
            members: list[Member] = [(r[0], r[1], r[2], r[3]) for r in chunk]
            for j in range(first, last):
                inside = np.flatnonzero(np.abs(days - ordinals[j]) <= stories.WINDOW_DAYS)
                if inside.size:
                    nearest[j].add([members[k] for k in inside.tolist()], closeness[inside, j - first])
        for found in nearest:
            found.trim()

    def shortlisted(self) -> list[str]:
        """With embeddings: the stored members some document of the batch may be scored
        against in full (the union of their shortlists, each member once)."""
        return list(dict.fromkeys(m[0] for found in self._nearest.values() for m in found.members))

    def _closeness(self, members: list[Member], embedding: np.ndarray) -> np.ndarray:
        out = np.full(len(members), np.inf)
        for k, m in enumerate(members):
            vec = self.vectors.get(m[0])
            if vec is not None:
                out[k] = float(np.dot(vec, embedding))
        return out

    def members(self, profile: Profile) -> list[Member]:
        """Without embeddings: whom ``profile`` is compared with, in order of arrival."""
        if profile.day is None:
            return list(self.latest)
        low, high = _span(profile.day)
        found = (self._dated[bisect_left(self._days, low):bisect_right(self._days, high)] + self.undated
                 + [m for m in self.placed if low <= m[3] <= high])  # type: ignore[operator]
        return sorted(found, key=lambda m: m[2])

    def nearest(self, profile: Profile) -> list[Member]:
        """With embeddings: the members ``profile`` is scored against in full, in order of
        arrival (all of its window, or its :data:`stories.MAX_MEMBERS` closest)."""
        assert profile.embedding is not None
        if profile.day is None:
            members = list(self.latest)
            if len(members) <= stories.MAX_MEMBERS:
                return members
            return _closest(members, self._closeness(members, profile.embedding))
        low, high = _span(profile.day)
        stored = self._nearest.get(profile.doc_id) or _Nearest()
        extra = self.undated + [m for m in self.placed if low <= m[3] <= high]  # type: ignore[operator]
        members = stored.members + extra
        if stored.count + len(extra) <= stories.MAX_MEMBERS:
            return sorted(members, key=lambda m: m[2])
        return _closest(members, np.concatenate([stored.closeness, self._closeness(extra, profile.embedding)]))

    def add(self, member: Member, embedding: np.ndarray | None = None) -> None:
        """A member placed in this batch: later documents of the batch meet it."""
        self.vectors[member[0]] = embedding
        self.latest = (self.latest + [member])[-UNDATED_RECENT:]
        if member[3] is None:
            self.undated = (self.undated + [member])[-UNDATED_RECENT:]
        else:
            self.placed.append(member)
