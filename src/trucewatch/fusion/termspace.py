"""Term vectors as numpy arrays, kept for a whole ``fuse``: the lexical cosine of a new
document with hundreds of story members in a few array operations.

The story step compares each new document with up to :data:`stories.MAX_MEMBERS`
members. Done one Python dict at a time (re-weighting every member for every batch,
parsing its JSON profile again each batch) that was most of ``fuse``'s time on texts of
news length. Here terms get integer ids; a member's terms are kept as two arrays (ids,
counts), parsed once per fuse; the stored document frequencies are read once per
term and kept current as batches commit; and a batch's IDF is one array. The cosines are
:func:`stories.lexical` of :func:`stories.weighted` vectors, up to float rounding (the
sums run in another order; the stored signal is rounded to 4 places).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trucewatch.store.schema import StoryMember, TermFrequency

_CHUNK = 500
#: Members whose term arrays are kept between batches (about 2 kB each for 300 terms,
#: plus the profile's embedding when there is one): memory stays bounded however large
#: the store. Documents fused out of date order revisit every month of the store; a cache
#: smaller than the store then re-reads most members each time.
CACHED_MEMBERS = 40_000
#: Members whose indexed heaviest terms (``story_terms``) are kept (about 250 bytes each).
CACHED_INDEXED = 200_000
#: A count above this is taken as this (its weight, 1 + log(count), hardly moves).
MAX_COUNT = np.iinfo(np.uint16).max

Compact = tuple[np.ndarray, np.ndarray]  # term ids (int32), counts (uint16)

#: 1 + log(count) for every count a Compact can hold (index 0 unused).
_SUBLINEAR = np.concatenate([[1.0], 1.0 + np.log(np.arange(1, MAX_COUNT + 1, dtype=np.float64))])


def sublinear(counts: np.ndarray) -> np.ndarray:
    """1 + log(count), as :func:`stories.weighted` weighs a term's count."""
    return _SUBLINEAR[counts]


class TermSpace:
    """Term ids, the stored document frequencies and the members' term arrays, for one fuse.

    Only a stored batch changes what it knows (:meth:`stage`, then :meth:`confirm` once its
    transaction is committed), so a batch rolled back and retried sees the store as it is.
    If another writer placed documents in between (the member count is not the one expected), the frequencies are read again.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.terms: list[str] = []
        self._df = np.zeros(1024, dtype=np.int64)
        self._known = np.zeros(1024, dtype=bool)
        self.members: dict[str, Any] = {}
        #: member -> ids of its indexed heaviest terms (immutable once stored)
        self.indexed: dict[str, np.ndarray] = {}
        self._stored: int | None = None
        self._staged: dict[str, Any] = {}
        self._staged_indexed: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def _grow(self) -> None:
        if len(self.terms) > len(self._df):
            size = max(len(self.terms), 2 * len(self._df))
            self._df = np.concatenate([self._df, np.zeros(size - len(self._df), dtype=np.int64)])
            self._known = np.concatenate([self._known, np.zeros(size - len(self._known), dtype=bool)])

    def id_of(self, term: str) -> int:
        found = self._ids.get(term)
        if found is None:
            found = self._ids[term] = len(self.terms)
            self.terms.append(term)
        return found

    def compact(self, terms: Mapping[str, int]) -> Compact:
        """A profile's term counts as (ids, counts) arrays."""
        return self.compact_lists(list(terms), list(terms.values()))

    def compact_lists(self, terms: Sequence[str], counts: Sequence[int | str]) -> Compact:
        """Terms and their counts (as numbers or digit strings) as (ids, counts) arrays."""
        if len(terms) > 1:
            try:  # every term known: the lookup loop runs in C
                known = operator.itemgetter(*terms)(self._ids)
            except KeyError:
                known = [self.id_of(t) for t in terms]
        else:
            known = [self.id_of(t) for t in terms]
        self._grow()
        return (np.array(known, dtype=np.int32).reshape(len(terms)),
                np.clip(np.array(counts, dtype=np.int64).reshape(len(terms)), 1, MAX_COUNT).astype(np.uint16))

    def stored_members(self, session: Session) -> int:
        """The stored member count; forgets the frequencies if someone else changed the store."""
        count = session.scalar(select(func.count()).select_from(StoryMember)) or 0
        if self._stored is not None and count != self._stored:
            self._known[:] = False
        self._stored = count
        return count

    def stored_df(self, session: Session, ids: np.ndarray) -> np.ndarray:
        """The stored document frequencies of ``ids``, read from ``term_df`` once per term."""
        self._grow()
        missing = np.unique(ids[~self._known[ids]])
        for start in range(0, len(missing), _CHUNK):
            chunk = missing[start:start + _CHUNK]
            found = dict(session.execute(select(TermFrequency.term, TermFrequency.df)
                                         .where(TermFrequency.term.in_([self.terms[i] for i in chunk]))).all())
            self._df[chunk] = [found.get(self.terms[i], 0) for i in chunk]
            self._known[chunk] = True
        return self._df[ids]

    def stage(self, placed: Mapping[str, tuple[Any, Compact]], indexed: Mapping[str, np.ndarray]) -> None:
        """The members a batch placed, not yet counted (its transaction may still roll back)."""
        self._staged = dict(placed)
        self._staged_indexed = dict(indexed)

    def confirm(self) -> None:
        """The staged batch is stored: count its terms and keep its members' arrays."""
        for _profile, (ids, _tf) in self._staged.values():
            self._df[ids] += 1  # ids are distinct within a document; unknown entries are re-read anyway
        if self._stored is not None:
            self._stored += len(self._staged)
        self.members.update(self._staged)
        self.indexed.update(self._staged_indexed)
        self._staged, self._staged_indexed = {}, {}

    def bound(self) -> None:
        """Drop the older half of a cache once it is full."""
        for cache, limit in ((self.members, CACHED_MEMBERS), (self.indexed, CACHED_INDEXED)):
            if len(cache) > limit:
                for key in list(cache)[:len(cache) // 2]:
                    del cache[key]

    def hits(self, heavy: np.ndarray, members: list[np.ndarray]) -> np.ndarray:
        """How many of the ``heavy`` term ids each member's indexed terms hold."""
        if not members:
            return np.zeros(0)
        lengths = np.fromiter((len(m) for m in members), dtype=np.int64, count=len(members))
        found = np.isin(np.concatenate(members), heavy)
        return np.bincount(np.repeat(np.arange(len(members)), lengths), found, minlength=len(members))


class BatchIdf:
    """The IDF of one batch as an array: the stored frequencies plus the whole batch's
    (so the first batch of a new store already tells common words from rare ones), frozen
    while the batch is placed, smoothed as :class:`stories.Idf`."""

    def __init__(self, space: TermSpace, session: Session, batch: list[Compact]) -> None:
        self.space = space
        self.session = session
        self.n_docs = space.stored_members(session) + len(batch)
        self._pending: dict[int, int] = {}
        for ids, _tf in batch:
            for i in ids.tolist():
                self._pending[i] = self._pending.get(i, 0) + 1
        self._idf = np.full(len(space), np.nan)
        self._scratch = np.zeros(len(space))
        self._members: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}

    def _fit(self) -> None:
        size = len(self.space)
        if size > len(self._idf):
            size = max(size, 2 * len(self._idf))
            self._idf = np.concatenate([self._idf, np.full(size - len(self._idf), np.nan)])
            self._scratch = np.concatenate([self._scratch, np.zeros(size - len(self._scratch))])

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        self._fit()
        found = self._idf[ids]
        todo = np.isnan(found)
        if todo.any():
            new = np.unique(ids[todo])
            df = self.space.stored_df(self.session, new) + np.array([self._pending.get(i, 0) for i in new.tolist()])
            self._idf[new] = np.log((1 + self.n_docs) / (1 + df)) + 1.0
            found = self._idf[ids]
        return found

    def weights(self, doc: Compact) -> np.ndarray:
        """The L2-normalised tf-idf weights of one document's terms."""
        w = sublinear(doc[1]) * self(doc[0])
        norm = float(np.sqrt(np.dot(w, w))) or 1.0
        return w / norm

    def _weighted(self, key: str, doc: Compact) -> tuple[np.ndarray, np.ndarray, float]:
        """A member's term ids, tf-idf weights and norm under this batch's IDF, computed once
        per batch (the norm summed in order, as a batch of them would be)."""
        found = self._members.get(key)
        if found is None:
            w = sublinear(doc[1]) * self(doc[0])
            norm = float(np.sqrt(np.bincount(np.zeros(len(w), dtype=np.int64), w * w, minlength=1)[0]))
            found = self._members[key] = (doc[0], w, norm or 1.0)
        return found

    def prepare(self, members: list[tuple[str, Compact]]) -> None:
        """Weigh many members at once (the batch's shortlists, known when it starts): the
        same arrays and norms as :meth:`_weighted` gives one at a time, in a few array
        operations instead of several per member."""
        todo = [(key, doc) for key, doc in dict(members).items() if key not in self._members]
        if not todo:
            return
        lengths = np.fromiter((len(doc[0]) for _k, doc in todo), dtype=np.int64, count=len(todo))
        ids = np.concatenate([doc[0] for _k, doc in todo])
        w = sublinear(np.concatenate([doc[1] for _k, doc in todo])) * self(ids)
        # bincount sums each member's squares in order, as _weighted's one-segment bincount does
        norms = np.sqrt(np.bincount(np.repeat(np.arange(len(todo)), lengths), w * w, minlength=len(todo)))
        for (key, doc), part, norm in zip(todo, np.split(w, np.cumsum(lengths)[:-1]), norms.tolist()):
            self._members[key] = (doc[0], part, norm or 1.0)

    def cosines(self, new: Compact, members: list[tuple[str, Compact]]) -> np.ndarray:
        """The lexical cosine of ``new`` with each of ``members`` ((key, arrays) pairs; 0 for an empty one)."""
        if not members:
            return np.zeros(0)
        weighted = [self._weighted(key, doc) for key, doc in members]
        lengths = np.fromiter((len(m[0]) for m in weighted), dtype=np.int64, count=len(weighted))
        ids = np.concatenate([m[0] for m in weighted])
        w = np.concatenate([m[1] for m in weighted])
        segment = np.repeat(np.arange(len(weighted)), lengths)
        norms = np.fromiter((m[2] for m in weighted), dtype=np.float64, count=len(weighted))
        self._fit()
        self._scratch[new[0]] = self.weights(new)
        try:
            dots = np.bincount(segment, w * self._scratch[ids], minlength=len(weighted))
        finally:
            self._scratch[new[0]] = 0.0
        return dots / norms
