"""Document-level fusion in the store: duplicates first, then stories, one document at a time.

:func:`fuse_documents` is what ``trucewatch fuse`` runs for the documents it is given.
A dense date window (a busy month of a large store holds thousands of members) is
narrowed before any profile is read (``trucewatch.fusion.window``): by the embedding
cosine, or, without embeddings, by how many of the new document's heaviest terms each
member has among its indexed ones (``story_terms``, read once per member per fuse); only
the :data:`stories.MAX_MEMBERS` closest members are scored in full, as arrays
(``trucewatch.fusion.termspace``). It is idempotent (a
document already signed and placed is skipped), looks only at LSH candidates and at the
story members of the date window, and, given a Store, commits
each batch in one transaction, so a kill loses at most the batch in hand and a re-run
finishes it. One fuse at a time per store: two at once would both take the next
``story_members.seq`` and the second would fail on its unique index (nothing is stored
twice; the failed batch is rolled back).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from trucewatch.fusion import duplicates, stories
from trucewatch.fusion.duplicates import DuplicateStats, order_key
from trucewatch.fusion.stories import Decision, Idf, Profile
from trucewatch.fusion.termspace import BatchIdf, Compact, TermSpace
from trucewatch.fusion.window import Member, Window
from trucewatch.store.db import Store
from trucewatch.store.schema import Annotation, Document, Story, StoryMember, StoryTerm, TermFrequency

#: Documents per transaction when fusing through a Store.
BATCH = 100
_CHUNK = 500
_NOT_LOADED = object()


@dataclass
class FuseSummary:
    """What one call did (counts), and how stories were decided."""

    documents: int = 0
    signed: int = 0
    duplicates: int = 0
    placed: int = 0
    new_stories: int = 0
    joined: int = 0
    lsh_lookups: int = 0
    lsh_candidates: int = 0
    story_lookups: int = 0
    members_compared: int = 0
    embeddings: str = ""
    #: CPU seconds spent embedding the documents (reported apart: it is the model's cost)
    embedding_seconds: float = 0.0


def story_id_for(founder: str) -> str:
    """A story's id: its founding document's, so the same input gives the same stories."""
    return f"st-{founder}"


def _write_df(session: Session, recorded: Counter[str]) -> None:
    """Add the placed documents' term counts to ``term_df`` (the batch's transaction): one
    read and one write per batch."""
    terms = sorted(recorded)
    stored = {}
    for start in range(0, len(terms), _CHUNK):
        chunk = terms[start:start + _CHUNK]
        stored.update({row.term: row for row in session.scalars(
            select(TermFrequency).where(TermFrequency.term.in_(chunk)))})
    for term in terms:
        row = stored.get(term)
        if row is None:
            session.add(TermFrequency(term=term, df=recorded[term]))
        else:
            row.df += recorded[term]


def _entities(session: Session, ids: list[str]) -> dict[str, frozenset[str]]:
    """Places (gazetteer ids) and actors (knowledge-base ids) the stages stored per document."""
    found: dict[str, set[str]] = {i: set() for i in ids}
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(select(Annotation.document_id, Annotation.kind, Annotation.value)
                               .where(Annotation.document_id.in_(ids[start:start + _CHUNK]),
                                      Annotation.kind.in_(("place", "actor"))))
        for doc_id, kind, value in rows:
            value = value or {}
            key = value.get("geonameid") if kind == "place" else value.get("actor_id")
            if key is not None:
                found[doc_id].add(f"{kind}:{key}")
    return {k: frozenset(v) for k, v in found.items()}


def _profile(doc_id: str, day: str | None, embedding: bytes | None, profile: dict[str, Any]) -> Profile:
    """A stored member's profile without its term counts (the caller keeps those as arrays).
    The embedding stays in its stored half precision (half the memory of a kept member; a
    dot product with it casts it exactly, so every cosine is as with float32)."""
    emb = np.frombuffer(embedding, dtype="<f2") if embedding else None
    return Profile(doc_id, stories.parse_day(day), {}, frozenset(profile.get("entities", [])), emb,
                   profile.get("language"))


@dataclass
class _Batch:
    """What the documents of one batch share: the frozen IDF, the window, the next seq, and
    the fuse's term space (member term arrays kept from batch to batch)."""

    space: TermSpace
    idf: BatchIdf
    window: Window
    seq: int
    weights: stories.Weights
    label: str
    #: This batch's placed members and their indexed terms: kept by the term space only
    #: once the batch is stored.
    placed: dict[str, tuple[Profile, Compact]] = field(default_factory=dict)
    indexed: dict[str, np.ndarray] = field(default_factory=dict)
    #: What the batch placed, written at its end: story of each document, stories touched,
    #: and the term index's rows.
    story_of: dict[str, str] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    terms_rows: list[dict[str, Any]] = field(default_factory=list)

    def load(self, session: Session, ids: list[str]) -> list[tuple[Profile, Compact]]:
        """The members' profiles (without their term counts) and term arrays; each member's
        JSON profile is read and parsed once per fuse (up to :data:`termspace.CACHED_MEMBERS`)."""
        cache = self.space.members
        self.space.bound()
        missing = [i for i in ids if i not in cache and i not in self.placed]
        for start in range(0, len(missing), _CHUNK):
            rows = session.execute(select(StoryMember.document_id, StoryMember.day, StoryMember.embedding,
                                          StoryMember.profile)
                                   .where(StoryMember.document_id.in_(missing[start:start + _CHUNK])))
            for doc_id, day, emb, prof in rows:
                cache[doc_id] = (_profile(doc_id, day, emb, prof),
                                 self.space.compact_lists(*stories.packed_terms(prof)))
        return [self.placed[i] if i in self.placed else cache[i] for i in ids]


def _indexed_terms(session: Session, ids: list[str], batch: _Batch) -> list[np.ndarray]:
    """The term ids of each member's indexed heaviest terms (``story_terms``), read once per fuse."""
    space = batch.space
    missing = [i for i in ids if i not in space.indexed and i not in batch.indexed]
    for start in range(0, len(missing), _CHUNK):
        chunk = missing[start:start + _CHUNK]
        found: dict[str, list[int]] = {i: [] for i in chunk}
        for doc_id, term in session.execute(select(StoryTerm.document_id, StoryTerm.term)
                                            .where(StoryTerm.document_id.in_(chunk))):
            found[doc_id].append(space.id_of(term))
        space.indexed.update((i, np.array(t, dtype=np.int32)) for i, t in found.items())
    return [batch.indexed[i] if i in batch.indexed else space.indexed[i] for i in ids]


def _shortlist(session: Session, new_vec: Mapping[str, float], members: list[Member], batch: _Batch) -> list[Member]:
    """Without embeddings, the members of a dense window worth a full comparison, chosen
    without reading their profiles: by how many of the new document's heaviest terms are
    among each member's indexed ones (the measure of :func:`stories.shortlist`)."""
    heavy = np.array([batch.space.id_of(t) for t in stories.heaviest(new_vec, stories.SHORTLIST_TERMS)],
                     dtype=np.int32)
    closeness = batch.space.hits(heavy, _indexed_terms(session, [m[0] for m in members], batch)).astype(float)
    return [members[i] for i in stories.closest(closeness)]


def index_members(session: Session) -> int:
    """Index the heaviest terms of the members that have no ``story_terms`` rows (members
    stored before the index existed), weighted with the stored document frequencies.
    Returns how many members it indexed."""
    indexed = select(StoryTerm.document_id).where(StoryTerm.document_id == StoryMember.document_id).exists()
    ids = list(session.scalars(select(StoryMember.document_id).where(~indexed).order_by(StoryMember.seq)))
    if not ids:
        return 0
    idf = Idf({}, session.scalar(select(func.count()).select_from(StoryMember)) or 0)
    for start in range(0, len(ids), _CHUNK):
        rows = list(session.execute(select(StoryMember.document_id, StoryMember.day, StoryMember.profile)
                                    .where(StoryMember.document_id.in_(ids[start:start + _CHUNK]))))
        counts = {doc_id: stories.unpack_terms(prof or {}) for doc_id, _d, prof in rows}
        missing = sorted({t for terms in counts.values() for t in terms if t not in idf.df})
        for low in range(0, len(missing), _CHUNK):
            chunk = missing[low:low + _CHUNK]
            found = dict(session.execute(select(TermFrequency.term, TermFrequency.df)
                                         .where(TermFrequency.term.in_(chunk))).all())
            idf.df.update({t: found.get(t, 0) for t in chunk})
        out = [{"document_id": doc_id, "term": t, "day": day} for doc_id, day, _prof in rows
               for t in stories.heaviest(stories.weighted(counts[doc_id], idf), stories.INDEX_TERMS)]
        if out:
            session.execute(insert(StoryTerm), out)
    return len(ids)


def _place(session: Session, doc: Document, profile: Profile, terms: Compact, batch: _Batch,
           summary: FuseSummary) -> None:
    """Place one document (the batch's rows are flushed once, at its end: nothing here reads
    them back from the store, the batch keeps what it placed)."""
    decision: Decision
    original_story = None
    if doc.duplicate_of:
        original_story = batch.story_of.get(doc.duplicate_of)
        if original_story is None:
            original = session.get(StoryMember, doc.duplicate_of)
            original_story = original.story_id if original is not None else None
    weights = batch.idf.weights(terms)
    new_vec = dict(zip([batch.space.terms[i] for i in terms[0].tolist()], weights.tolist()))
    if original_story is not None:
        decision = Decision(original_story, 1.0, doc.duplicate_of, {}, 0, "duplicate")
    else:
        summary.story_lookups += 1
        if batch.window.embeddings:
            members = batch.window.nearest(profile)
        else:
            members = batch.window.members(profile)
            if len(members) > stories.MAX_MEMBERS:
                members = _shortlist(session, new_vec, members, batch)
        loaded = batch.load(session, [m[0] for m in members])
        cosines = batch.idf.cosines(terms, [(m[0], c) for (_p, c), m in zip(loaded, members)]).tolist()
        candidates = [stories.Candidate(p, m[1], lexical=x) for (p, _c), m, x in zip(loaded, members, cosines)]
        decision = stories.decide(profile, new_vec, candidates, batch.weights, batch.label)
        summary.members_compared += decision.compared
    day = profile.day.isoformat() if profile.day else None
    if decision.story is None:
        story = Story(id=story_id_for(doc.id), founder=doc.id, first_date=day, last_date=day, size=0)
        session.add(story)
        batch.stories[story.id] = story
        summary.new_stories += 1
    else:
        story = batch.stories.get(decision.story) or session.get(Story, decision.story)  # type: ignore[assignment]
        batch.stories[story.id] = story
        summary.joined += 1
        if day is not None:
            story.first_date = min(filter(None, [story.first_date, day]))
            story.last_date = max(filter(None, [story.last_date, day]))
    story.size = (story.size or 0) + 1
    emb = profile.embedding.astype("<f2").tobytes() if profile.embedding is not None else None
    batch.seq += 1
    session.add(StoryMember(document_id=doc.id, story_id=story.id, seq=batch.seq, day=day, embedding=emb,
                            profile=profile.to_json(), score=decision.score, decision=decision.to_json()))
    stored = _profile(doc.id, day, emb, profile.to_json())  # as later batches will read it
    batch.placed[doc.id] = (stored, terms)
    batch.window.add((doc.id, story.id, batch.seq, day), stored.embedding)
    heaviest = stories.heaviest(new_vec, stories.INDEX_TERMS)
    batch.terms_rows.extend({"document_id": doc.id, "term": t, "day": day} for t in heaviest)
    batch.indexed[doc.id] = np.array([batch.space.id_of(t) for t in heaviest], dtype=np.int32)
    batch.story_of[doc.id] = story.id
    summary.placed += 1


def _fuse_batch(session: Session, docs: list[Document], summary: FuseSummary, encoder: Any,
                space: TermSpace) -> tuple[dict[str, tuple[Profile, Compact]], dict[str, np.ndarray]]:
    """Sign and place one batch; returns the members it placed and their indexed terms (for
    the term space, once stored)."""
    stats = DuplicateStats()
    signed = duplicates.signed(session, [d.id for d in docs])
    for doc in docs:
        duplicates.detect(session, doc, stats, signed.get(doc.id))
    summary.signed += stats.signed
    summary.duplicates += stats.duplicates
    summary.lsh_lookups += stats.candidate_lookups
    summary.lsh_candidates += stats.candidates_compared
    placed = set(session.scalars(select(StoryMember.document_id)
                                 .where(StoryMember.document_id.in_([d.id for d in docs]))))
    todo = [d for d in docs if d.id not in placed]
    if not todo:
        return {}, {}
    texts = [stories.embedding_text(d.title, d.text) for d in todo]
    started = time.process_time()
    vectors = encoder.encode(texts) if encoder is not None else None
    summary.embedding_seconds += time.process_time() - started
    entities = _entities(session, [d.id for d in todo])
    weights, label = ((stories.WITH_EMBEDDING, "with-embedding") if encoder is not None
                      else (stories.LEXICAL_ONLY, "lexical-only"))
    profiles = [Profile(doc.id, stories.parse_day(doc.published), stories.term_counts(doc.title, doc.text),
                        entities[doc.id], None if vectors is None else vectors[i], doc.language)
                for i, doc in enumerate(todo)]
    terms = [space.compact(p.terms) for p in profiles]
    idf = BatchIdf(space, session, terms)
    window = Window(session, profiles, vectors is not None)
    batch = _Batch(space, idf, window, session.scalar(select(func.max(StoryMember.seq))) or 0, weights, label)
    if window.embeddings:  # the shortlists are known: read and weigh their members at once
        shortlisted = window.shortlisted()
        idf.prepare([(key, compact) for key, (_p, compact) in zip(shortlisted, batch.load(session, shortlisted))])
    recorded: Counter[str] = Counter()
    with session.no_autoflush:
        for doc, profile, compact in zip(todo, profiles, terms):
            _place(session, doc, profile, compact, batch, summary)
            recorded.update(list(profile.terms))  # once per term (a Counter would add a mapping's counts)
    session.flush()
    if batch.terms_rows:
        session.execute(insert(StoryTerm.__table__), batch.terms_rows)
    _write_df(session, recorded)
    session.flush()
    return batch.placed, batch.indexed


def load_documents(session: Session, ids: list[str]) -> list[Document]:
    """The documents ``ids`` in the order the story step places (and embeds) them."""
    return _load(session, ids)


def _load(session: Session, ids: list[str]) -> list[Document]:
    found: list[Document] = []
    for start in range(0, len(ids), _CHUNK):
        found.extend(session.scalars(select(Document).where(Document.id.in_(ids[start:start + _CHUNK]))))
    return sorted(found, key=order_key)


@contextmanager
def _sessions(target: Store | Session) -> Iterator[Any]:
    """One transaction per batch for a Store; the caller's own transaction for a Session."""
    if isinstance(target, Session):
        @contextmanager
        def same() -> Iterator[Session]:
            yield target
        yield same
    else:
        yield target.session


def fuse_documents(target: Store | Session, document_ids: Iterable[str], *, encoder: Any = _NOT_LOADED,
                   batch: int = BATCH, space: TermSpace | None = None) -> FuseSummary:
    """Mark near-duplicates and place ``document_ids`` in stories (documents already done are skipped).

    ``encoder`` defaults to :func:`trucewatch.embed.get_encoder`; None means lexical signals
    only (the summary's ``embeddings`` says which, and why). A caller that places one
    batch per call in its own transaction passes the same ``space`` to each call and calls
    its :meth:`~TermSpace.confirm` once each transaction is committed.
    """
    if encoder is _NOT_LOADED:
        from trucewatch.embed import embedding_status, get_encoder

        encoder = get_encoder()
        reason = embedding_status().reason
    else:
        reason = "given" if encoder is not None else "none given"
    summary = FuseSummary(embeddings=f"{'on' if encoder is not None else 'off'} ({reason})")
    wanted = sorted(set(document_ids))
    own = space is None
    space = TermSpace() if space is None else space
    in_caller = isinstance(target, Session)
    with _sessions(target) as session_for:
        with session_for() as session:
            ordered = [d.id for d in _load(session, wanted)]
        summary.documents = len(ordered)
        for start in range(0, len(ordered), batch):
            with session_for() as session:
                space.stage(*_fuse_batch(session, _load(session, ordered[start:start + batch]), summary, encoder,
                                         space))
            if not in_caller or own or start + batch < len(ordered):
                space.confirm()  # committed, or visible to the rest of the caller's transaction
    return summary


def story_of(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """``{doc_id: story_id}`` for those of ``ids`` placed in a story."""
    wanted = list(ids)
    out: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        rows = session.execute(select(StoryMember.document_id, StoryMember.story_id)
                               .where(StoryMember.document_id.in_(wanted[start:start + _CHUNK])))
        out.update({doc_id: story for doc_id, story in rows})
    return out


def duplicate_links(session: Session, ids: Iterable[str]) -> dict[str, tuple[str, float]]:
    """``{doc_id: (duplicate_of, similarity)}`` for those of ``ids`` that repeat an original."""
    return duplicates.duplicate_links(session, ids)
