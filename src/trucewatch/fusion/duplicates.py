"""Near-duplicate documents: MinHash over word shingles, with the LSH index in the store.

A wire copy, a repost under another headline, a lightly edited or a truncated version is
not an independent source. Each document gets a MinHash signature (datasketch) of its
normalised word shingles; the signature is cut into LSH bands (datasketch's choice of
bands and rows for :data:`LSH_THRESHOLD`) and each band's hash is a row of
``lsh_bands``, indexed on (band, hash). A new document is compared with the documents
that share at least one band with it, never with the whole store.

The decision uses two estimates from the signatures: Jaccard similarity, and the
containment of the smaller shingle set in the larger (a repost cut to its first half has
Jaccard about 0.5 but containment near 1). Both documents are kept; the later one points
at the earliest-stored original (``documents.duplicate_of``), reposts of reposts too.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from trucewatch.fusion.text import words
from trucewatch.store.schema import Document, DocumentMinHash, LshBand

#: Words per shingle; 4 keeps a 5 % word change from breaking most shingles (each
#: changed word breaks SHINGLE of them) while two unrelated reports share almost none.
SHINGLE = 4
NUM_PERM = 128
SEED = 1
#: The Jaccard similarity the LSH banding is tuned to find (a first-half cut is about 0.5).
LSH_THRESHOLD = 0.3
#: Decided on the generated benchmark (benchmarks/near_duplicates.py).
JACCARD_MIN = 0.45
CONTAINMENT_MIN = 0.8
#: A containment match needs this many shingles in the smaller document, so that a
#: one-line note contained in a long article is not called a repost of it.
CONTAINMENT_MIN_SHINGLES = 40
#: Identifies what made a signature: a change of any of these re-signs the document.
PARAMS = f"w{SHINGLE}-p{NUM_PERM}-s{SEED}-crc32-t{LSH_THRESHOLD}"

_LSH = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
BANDS: list[tuple[int, int]] = list(_LSH.hashranges)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)


@dataclass(frozen=True)
class Signature:
    """A document's MinHash values and the size of its shingle set."""

    values: np.ndarray
    size: int

    def to_bytes(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> "Signature":
        return cls(np.frombuffer(data, dtype="<u4").astype(np.uint32), size)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The set of ``size``-word shingles of the normalised text (the whole text when shorter)."""
    seq = words(text)
    if len(seq) < size:
        return {" ".join(seq).encode()} if seq else set()
    return {" ".join(seq[i:i + size]).encode() for i in range(len(seq) - size + 1)}


def sign(text: str, size: int = SHINGLE) -> Signature:
    """The MinHash signature of ``text``; crc32 hashes each shingle (deterministic, fast;
    datasketch's affine32 scheme mixes it before permuting)."""
    found = shingles(text, size)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32, permutations=_TEMPLATE.permutations,
                      scheme=_TEMPLATE.scheme)
    if found:
        minhash.update_batch(list(found))
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint32), len(found))


def band_hashes(sig: Signature) -> list[int]:
    """One signed 64-bit hash per LSH band (the store's BIGINT), stable across processes."""
    out = []
    for start, end in BANDS:
        digest = hashlib.blake2b(sig.values[start:end].astype("<u4").tobytes(), digest_size=8).digest()
        out.append(int.from_bytes(digest, "big", signed=True))
    return out


def jaccard(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def containment(a: Signature, b: Signature, jac: float) -> float:
    """Estimated share of the smaller set found in the larger one, from Jaccard and the sizes."""
    small = min(a.size, b.size)
    if small == 0:
        return 0.0
    inter = jac * (a.size + b.size) / (1.0 + jac)
    return min(1.0, inter / small)


def is_duplicate(a: Signature, b: Signature) -> tuple[bool, float, float]:
    """Whether one document repeats the other, with the Jaccard and containment estimates."""
    jac = jaccard(a, b)
    cont = containment(a, b, jac)
    same = jac >= JACCARD_MIN or (cont >= CONTAINMENT_MIN and min(a.size, b.size) >= CONTAINMENT_MIN_SHINGLES)
    return same, jac, cont


@dataclass
class DuplicateStats:
    signed: int = 0
    duplicates: int = 0
    candidate_lookups: int = 0
    candidates_compared: int = 0


def order_key(doc: Document) -> tuple[datetime, str, int, str]:
    """Earliest stored first: ingest time, then the input's path and line, then id."""
    return (doc.ingested_at, doc.source_path or "", doc.source_line or 0, doc.id)


#: One lookup per document: every band's (band, hash) pair, each served by the index on
#: (band, hash) (SQLite's OR optimisation, PostgreSQL's bitmap OR). Built once.
_CANDIDATES = text(
    "SELECT DISTINCT document_id FROM lsh_bands WHERE "
    + " OR ".join(f"(band = {i} AND hash = :h{i})" for i in range(len(BANDS))))


def candidates(session: Session, hashes: list[int], exclude: str) -> list[str]:
    """Documents sharing at least one LSH band with ``hashes``."""
    rows = session.scalars(_CANDIDATES, {f"h{i}": h for i, h in enumerate(hashes)})
    return sorted(r for r in rows if r != exclude)


def _signatures(session: Session, ids: Iterable[str]) -> dict[str, Signature]:
    ids = list(ids)
    if not ids:
        return {}
    rows = session.execute(select(DocumentMinHash.document_id, DocumentMinHash.signature, DocumentMinHash.shingles)
                           .where(DocumentMinHash.document_id.in_(ids), DocumentMinHash.params == PARAMS))
    return {doc_id: Signature.from_bytes(data, size) for doc_id, data, size in rows}


_UNREAD = object()


def signed(session: Session, ids: list[str]) -> dict[str, DocumentMinHash]:
    """The signature rows already stored for ``ids`` (one query per 500, not one per document)."""
    out: dict[str, DocumentMinHash] = {}
    for start in range(0, len(ids), 500):
        out.update((r.document_id, r) for r in session.scalars(
            select(DocumentMinHash).where(DocumentMinHash.document_id.in_(ids[start:start + 500]))))
    return out


def detect(session: Session, doc: Document, stats: DuplicateStats, done: Any = _UNREAD) -> None:
    """Sign ``doc``, store its bands, and link it to the earliest original it repeats.

    A document already signed with the current parameters is left as it is, so running
    this again changes nothing. When ``doc`` turns out to be older than the originals it
    matches (fused out of order), it becomes their original, and their reposts follow.
    ``done`` is its stored signature row (or None), when the caller read them for a batch.
    The new rows are written with plain inserts, so nothing waits in the session to be
    flushed before the next document's lookups.
    """
    if done is _UNREAD:
        done = session.get(DocumentMinHash, doc.id)
    if done is not None and done.params == PARAMS:
        return
    if done is not None:
        session.delete(done)
        session.execute(delete(LshBand).where(LshBand.document_id == doc.id))
        session.flush()
    sig = sign(doc.text)
    hashes = band_hashes(sig)
    stats.signed += 1
    stats.candidate_lookups += 1
    found = candidates(session, hashes, doc.id) if sig.size else []
    stats.candidates_compared += len(found)
    matches: list[tuple[str, float, float]] = []
    for other_id, other in _signatures(session, found).items():
        same, jac, cont = is_duplicate(sig, other)
        if same:
            matches.append((other_id, jac, cont))
    row: dict[str, Any] = {"document_id": doc.id, "params": PARAMS, "shingles": sig.size,
                           "signature": sig.to_bytes(), "matched": None, "similarity": None, "containment": None}
    if matches:
        _link(session, doc, row, matches)
        stats.duplicates += doc.duplicate_of is not None
    # table inserts: the ORM's bulk path cost more than the rows (two statements per document)
    session.execute(insert(DocumentMinHash.__table__), [row])
    session.execute(insert(LshBand.__table__), [{"document_id": doc.id, "band": i, "hash": h}
                                                 for i, h in enumerate(hashes)])


def _link(session: Session, doc: Document, row: dict[str, Any], matches: list[tuple[str, float, float]]) -> None:
    """Point ``doc`` (or, if it is older, the originals it matched) at the earliest original;
    ``row`` is ``doc``'s signature row, not yet stored."""
    matched = {m[0]: m for m in matches}
    roots: dict[str, Document] = {}
    for other in session.scalars(select(Document).where(Document.id.in_(list(matched)))):
        root = session.get(Document, other.duplicate_of) if other.duplicate_of else other
        roots[root.id] = root
    earliest = min([doc, *roots.values()], key=order_key)
    best = max(matches, key=lambda m: (m[1], m[2], m[0]))
    if earliest is doc:
        # ``doc`` is older than every original it repeats: they and their reposts become its reposts
        for root in roots.values():
            session.execute(update(Document).where(Document.duplicate_of == root.id).values(duplicate_of=doc.id))
            root.duplicate_of = doc.id
            original = session.get(DocumentMinHash, root.id)
            if original is not None and original.matched is None:
                own = matched.get(root.id, best)
                original.matched, original.similarity, original.containment = doc.id, own[1], own[2]
        doc.duplicate_of = None
        session.flush()
        return
    doc.duplicate_of = earliest.id
    row["matched"], row["similarity"], row["containment"] = best
    session.flush()


def duplicate_links(session: Session, ids: Iterable[str]) -> dict[str, tuple[str, float]]:
    """``{doc_id: (duplicate_of, similarity)}`` for those of ``ids`` that repeat an original."""
    wanted = list(ids)
    out: dict[str, tuple[str, float]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = session.execute(
            select(Document.id, Document.duplicate_of, DocumentMinHash.similarity)
            .join(DocumentMinHash, DocumentMinHash.document_id == Document.id, isouter=True)
            .where(Document.id.in_(chunk), Document.duplicate_of.is_not(None)))
        for doc_id, original, similarity in rows:
            out[doc_id] = (original, float(similarity) if similarity is not None else 1.0)
    return out
