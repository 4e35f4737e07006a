"""Stories: which documents report the same happening, in any language, decided one document at a time.

A new document is compared with the members of the stories active around its date (a
window of :data:`WINDOW_DAYS`); its score for a story is its best score with one member
(single link). Above the threshold it joins the best story, else it founds a new one.
Nothing is recomputed when documents arrive.

The pair score adds weighted signals, each kept in the decision so it can be explained:

- ``lexical``: TF-IDF cosine of the words (sublinear tf, IDF from the store's document
  frequencies); names, numbers and places carry it within a language;
- ``embedding``: cosine of multilingual sentence embeddings of the title and lede
  (``trucewatch.embed``), which carries it across languages; absent when the model is;
- ``entities``: overlap of the places (gazetteer ids) and actors (knowledge-base ids)
  the per-document stages found, when both documents have some;
- ``gap``: a penalty growing with the days between the two reports.

Between documents in different languages the words cannot agree, so there the
embedding and the entities decide (see :func:`cross_language_score`). The entities signal is computed and kept in
every decision, but its weight is 0: with the places and actors stages run on the
development sets (``fusion_accuracy.py --entities``), every weight above 0 scored lower
(GVC reports of look-alike shootings share their city, ECB+ siblings their kind of actor).

Without the embedding model the lexical weights apply (:data:`LEXICAL_ONLY`), and the
decision says so. The weights were chosen on the development sets
(``benchmarks/fusion_accuracy.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Mapping

import numpy as np

from trucewatch.fusion.text import stop_words, words

#: Reports of one happening seldom come more than this many days apart; beyond it, a
#: look-alike incident in the same city is more likely than a late report.
WINDOW_DAYS = 30
#: Across languages the words cannot agree, so a pair is judged by its embedding cosine
#: plus :data:`CROSS_LANGUAGE_ENTITIES` times its entity overlap (places and actors are
#: language-free ids), and counts as one story at :data:`CROSS_LANGUAGE_SCORE`, if the
#: two reports are at most :data:`CROSS_LANGUAGE_MAX_GAP` days apart (or either is
#: undated). Chosen on the cross-language pairs of the ceasefire-articles dev set (nine
#: pairs of one happening in two languages, hard negatives among the rest): cosines of
#: true pairs run from 0.50 to 0.73 and of same-topic pairs up to 0.75, so the cosine
#: alone cannot separate them; with the entities (or a cosine of
#: :data:`CROSS_LANGUAGE_EMBEDDING` alone), 5 of the 9 pairs pass and one undated
#: same-topic pair does (the cosine alone at 0.70: 2 and the same one). A small set:
#: the rule is a first cut, and within one language it changes nothing.
CROSS_LANGUAGE_SCORE = 0.80
CROSS_LANGUAGE_ENTITIES = 0.5
#: A cosine that counts as one story on its own, entities or not: on the English
#: development sets, clustering by the embedding alone at 0.70 made no false merge within
#: the window on GVC (B3 precision 1.000) and few on ECB+ (0.933).
CROSS_LANGUAGE_EMBEDDING = 0.70
CROSS_LANGUAGE_MAX_GAP = 7
#: Terms kept per document profile (by frequency): bounds what each member costs.
MAX_TERMS = 400
#: Members compared in full with a new document (the rest are ranked out by embedding).
MAX_MEMBERS = 300
#: Characters of the text after the title that the embedding sees.
LEDE_CHARS = 600


@dataclass(frozen=True)
class Weights:
    lexical: float
    embedding: float
    entities: float
    gap: float
    threshold: float

    def as_dict(self) -> dict[str, float]:
        return {"lexical": self.lexical, "embedding": self.embedding, "entities": self.entities,
                "gap": self.gap, "threshold": self.threshold}


#: With embeddings (tuned on the development sets; see benchmarks/fusion_accuracy.py).
WITH_EMBEDDING = Weights(lexical=1.0, embedding=0.1, entities=0.0, gap=0.1, threshold=0.22)
#: Without embeddings (the best grid point with the embedding weight at 0).
LEXICAL_ONLY = Weights(lexical=1.0, embedding=0.0, entities=0.0, gap=0.0, threshold=0.18)


@dataclass
class Profile:
    """What a later document is compared with: day, term counts, entities, embedding."""

    doc_id: str
    day: date | None
    terms: dict[str, int]
    entities: frozenset[str] = frozenset()
    embedding: np.ndarray | None = None
    language: str | None = None

    def to_json(self) -> dict[str, object]:
        return {**pack_terms(self.terms), "entities": sorted(self.entities), "language": self.language}


def pack_terms(terms: Mapping[str, int]) -> dict[str, str]:
    """Term counts as two space-separated strings, the stored form: a later document reads
    hundreds of members' profiles, and two strings parse many times faster than a JSON
    object of 400 keys (terms are runs of word characters, so never hold a space)."""
    return {"words": " ".join(terms), "counts": " ".join(map(str, terms.values()))}


def packed_terms(profile: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """The (words, counts) of a stored profile, packed or (stored before packing) a JSON object."""
    words_text = profile.get("words")
    if isinstance(words_text, str):
        counts = profile.get("counts")
        return (words_text.split(" "), str(counts).split(" ")) if words_text else ([], [])
    terms = profile.get("terms") or {}
    assert isinstance(terms, dict)
    return list(terms), [str(c) for c in terms.values()]


def unpack_terms(profile: Mapping[str, object]) -> dict[str, int]:
    """A stored profile's term counts (either form)."""
    found, counts = packed_terms(profile)
    return {t: int(c) for t, c in zip(found, counts)}


def term_counts(title: str | None, text: str) -> dict[str, int]:
    """Content-word counts of title and text (function words and one-letter tokens out)."""
    stops = stop_words()
    counts = Counter(w for w in words(f"{title or ''}\n{text}") if len(w) > 1 and w not in stops and len(w) <= 64)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TERMS]
    return dict(top)


def embedding_text(title: str | None, text: str) -> str:
    """Title and lede: where a report says what happened, where and when."""
    return f"{title}\n{text[:LEDE_CHARS]}" if title else text[:LEDE_CHARS + 200]


def parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


class Idf:
    """Inverse document frequencies from running counts (smoothed like scikit-learn's)."""

    def __init__(self, df: Mapping[str, int], n_docs: int) -> None:
        self.df = dict(df)
        self.n_docs = n_docs
        self._known: dict[str, float] = {}

    def __call__(self, term: str) -> float:
        """The IDF of ``term``; remembered, since the counts do not change while it is in use."""
        found = self._known.get(term)
        if found is None:
            found = self._known[term] = math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0
        return found


#: 1 + log(count) for the counts a term usually has in one document.
_SUBLINEAR = [0.0] + [1.0 + math.log(c) for c in range(1, 64)]


def weighted(terms: Mapping[str, int], idf: Idf) -> dict[str, float]:
    """Sublinear tf times IDF, L2-normalised (a dot product of two is their cosine)."""
    vec = {t: (_SUBLINEAR[c] if c < 64 else 1.0 + math.log(c)) * idf(t) for t, c in terms.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {t: v / norm for t, v in vec.items()}


def lexical(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


def entity_overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Jaccard of the two entity sets, or None when either document has none."""
    if not a or not b:
        return None
    return len(a & b) / len(a | b)


def cross_language(a: Profile, b: Profile) -> bool:
    return bool(a.language and b.language and a.language != b.language)


def _pair(new: Profile, member: Profile, lexical_value: float) -> tuple[float, float | None, float | None,
                                                                       int | None, bool]:
    """The pair's signal values as stored (cosines rounded to 4 places): lexical, embedding,
    entities, gap in days, cross-language."""
    gap = abs((new.day - member.day).days) if new.day and member.day else None
    emb = (round(float(np.dot(new.embedding, member.embedding)), 4)
           if new.embedding is not None and member.embedding is not None else None)
    return (round(lexical_value, 4), emb, entity_overlap(new.entities, member.entities), gap,
            cross_language(new, member))


def signals(new: Profile, new_vec: Mapping[str, float], member: Profile,
            member_vec: Mapping[str, float], lexical_value: float | None = None) -> dict[str, float | None]:
    """The pair's signals; ``lexical_value`` is the words' cosine when already computed
    (the store computes a whole shortlist's at once, ``trucewatch.fusion.termspace``)."""
    lex, emb, entities, gap, cross = _pair(new, member, lexical(new_vec, member_vec)
                                           if lexical_value is None else lexical_value)
    return {"lexical": lex, "embedding": emb, "entities": entities, "gap_days": gap,
            "cross_language": 1.0 if cross else None}


def cross_language_score(sig: Mapping[str, float | None], w: Weights) -> float:
    """The pair score of two reports in different languages, on the threshold's scale:
    embedding cosine plus weighted entity overlap, :data:`CROSS_LANGUAGE_SCORE` scoring
    the threshold; 0 when the reports are too far apart in time."""
    return _cross_language_value(sig["embedding"], sig["entities"], sig["gap_days"], w)


def _cross_language_value(embedding: float | None, entities: float | None, gap: float | None, w: Weights) -> float:
    if embedding is None:
        return 0.0
    if gap is not None and gap > CROSS_LANGUAGE_MAX_GAP:
        return 0.0
    cosine = float(embedding)
    with_entities = (cosine + CROSS_LANGUAGE_ENTITIES * float(entities or 0.0)) / CROSS_LANGUAGE_SCORE
    return w.threshold * max(cosine / CROSS_LANGUAGE_EMBEDDING, with_entities)


def score(sig: Mapping[str, float | None], w: Weights) -> float:
    """The pair score. Across languages the words cannot agree: there the embedding and the
    entities carry the pair (:func:`cross_language_score`)."""
    return _value(sig["lexical"], sig["embedding"], sig["entities"], sig["gap_days"],
                  bool(sig.get("cross_language")), w)


def _value(lexical_value: float | None, embedding: float | None, entities: float | None, gap: float | None,
           cross: bool, w: Weights) -> float:
    """:func:`score` from the signals' values (rounded as :func:`signals` stores them)."""
    total = w.lexical * float(lexical_value or 0.0)
    if cross:
        return max(total, _cross_language_value(embedding, entities, gap, w))
    if embedding is not None:
        total += w.embedding * float(embedding)
    if entities is not None:
        total += w.entities * float(entities)
    if gap is not None:
        total -= w.gap * min(float(gap), WINDOW_DAYS) / WINDOW_DAYS
    return total


@dataclass
class Decision:
    """Where a document goes and why (stored as JSON on its membership row)."""

    story: str | None
    score: float | None
    via: str | None = None
    signals: dict[str, float | None] = field(default_factory=dict)
    compared: int = 0
    weights: str = "with-embedding"

    def to_json(self) -> dict[str, object]:
        return {"joined": self.story is not None, "score": self.score, "via": self.via,
                "signals": self.signals, "compared": self.compared, "weights": self.weights}


@dataclass
class Candidate:
    """A story member as a new document meets it: profile, story, and its weighted terms
    (set once it is shortlisted: weighting every member of a dense window would cost more
    than the rest) or the cosine already computed from them."""

    profile: Profile
    story: str
    vector: Mapping[str, float] = field(default_factory=dict)
    #: The words' cosine with the new document, when computed beforehand (else from ``vector``).
    lexical: float | None = None


#: Heaviest terms of a new document used to shortlist members when no embedding ranks them.
SHORTLIST_TERMS = 20
#: Heaviest terms of each member kept in the store's term index (``story_terms``): about
#: as many rows per member as its LSH bands. The lexical shortlist of a dense window counts
#: how many of the new document's :data:`SHORTLIST_TERMS` are among a member's these.
INDEX_TERMS = 32


def heaviest(vec: Mapping[str, float], k: int) -> list[str]:
    """The ``k`` terms of largest weight (ties by term, so the choice is reproducible)."""
    return sorted(vec, key=lambda t: (-vec[t], t))[:k]


def closest(closeness: np.ndarray) -> list[int]:
    """Positions of the :data:`MAX_MEMBERS` largest values, in their original order (ties to the earlier)."""
    return sorted(np.argsort(-closeness, kind="stable")[:MAX_MEMBERS].tolist())


def shortlist(new: Profile, new_vec: Mapping[str, float], members: list[Candidate]) -> list[Candidate]:
    """The :data:`MAX_MEMBERS` members closest by a cheap measure, in their original order.

    With embeddings, the cosine; without, how many of the new document's heaviest terms
    are among a member's :data:`INDEX_TERMS` heaviest (a dense date window can hold
    thousands of members; the full pair score is computed only for the shortlist). The
    store computes the same measures from its indexes without reading the members'
    profiles (``trucewatch.fusion.documents``); this is the in-memory form.
    """
    if new.embedding is not None:
        zero = np.zeros_like(new.embedding)
        closeness = np.stack([zero if m.profile.embedding is None else m.profile.embedding for m in members]
                             ) @ new.embedding
        closeness[[m.profile.embedding is None for m in members]] = np.inf  # no embedding: always kept
    else:
        heavy = set(heaviest(new_vec, SHORTLIST_TERMS))
        closeness = np.array([len(heavy.intersection(heaviest(m.vector, INDEX_TERMS) if m.vector else m.profile.terms))
                              for m in members], dtype=float)
    return [members[i] for i in closest(closeness)]


def _rounded(values: np.ndarray) -> np.ndarray:
    """Each value as Python's ``round(x, 4)`` gives it (the precision signals are stored at),
    so that a score computed here is the one recomputed from its stored signals. Scaling
    and rounding to the nearest integer agrees with it except within float error of a
    half, and those few are rounded by Python."""
    scaled = values * 1e4
    out = np.rint(scaled) / 1e4
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in near.tolist():
        out[i] = round(float(values[i]), 4)
    return out


def pair_scores(new: Profile, new_vec: Mapping[str, float], members: list[Candidate], w: Weights) -> np.ndarray:
    """:func:`score` of ``new`` with each member, as arrays: a dense window holds hundreds of
    members and the pair-by-pair loop was a large share of ``fuse``. Each value is computed
    with the same float operations in the same order as :func:`_value` (the embedding
    cosines come from one matrix product, equal to the pairwise ones up to float32 rounding)."""
    n = len(members)
    profiles = [m.profile for m in members]
    lex = _rounded(np.fromiter((m.lexical if m.lexical is not None else lexical(new_vec, m.vector)
                                for m in members), dtype=np.float64, count=n))
    emb = np.full(n, np.nan)
    if new.embedding is not None:
        have = [i for i, p in enumerate(profiles) if p.embedding is not None]
        if have:
            matrix = np.stack([profiles[i].embedding for i in have])  # type: ignore[misc]
            emb[have] = _rounded((matrix @ new.embedding).astype(np.float64))
    gap = np.full(n, np.nan)
    if new.day is not None:
        day = new.day.toordinal()
        dated = [i for i, p in enumerate(profiles) if p.day is not None]
        gap[dated] = np.abs(np.fromiter((profiles[i].day.toordinal() for i in dated),  # type: ignore[union-attr]
                                        dtype=np.float64, count=len(dated)) - day)
    out = w.lexical * lex + w.embedding * np.nan_to_num(emb, nan=0.0)  # an absent signal adds nothing
    if w.entities:
        out += w.entities * np.array([entity_overlap(new.entities, p.entities) or 0.0 for p in profiles])
    out -= np.where(np.isnan(gap), 0.0, w.gap * np.minimum(np.nan_to_num(gap), WINDOW_DAYS) / WINDOW_DAYS)
    if new.language:
        for i in [i for i, p in enumerate(profiles) if p.language and p.language != new.language]:
            out[i] = _value(float(lex[i]), None if np.isnan(emb[i]) else float(emb[i]),  # as score() does
                            entity_overlap(new.entities, profiles[i].entities),
                            None if np.isnan(gap[i]) else int(gap[i]), True, w)
    return out


def _winner(values: np.ndarray) -> int:
    """The member a left-to-right scan keeps: a later one replaces the best so far only when
    its score is above the best's rounded score (ties to the earlier member)."""
    best_at = 0
    while True:
        best = round(float(values[best_at]), 4)
        later = np.flatnonzero(values[best_at + 1:] > (best or -math.inf))
        if not later.size:
            return best_at
        best_at += 1 + int(later[0])


def decide(new: Profile, new_vec: Mapping[str, float], members: list[Candidate], weights: Weights,
           label: str) -> Decision:
    """The best story among the members' (single link), or None below the threshold.

    Ties go to the earlier member, so the same input order gives the same stories.
    """
    if len(members) > MAX_MEMBERS:
        members = shortlist(new, new_vec, members)
    best: Decision | None = None
    if members:
        winner = members[_winner(pair_scores(new, new_vec, members, weights))]
        sig = signals(new, new_vec, winner.profile, winner.vector, winner.lexical)
        best = Decision(winner.story, round(score(sig, weights), 4), winner.profile.doc_id, sig)
    if best is None or (best.score or 0.0) < weights.threshold:
        out = Decision(None, None if best is None else best.score, None if best is None else best.via,
                       {} if best is None else best.signals)
    else:
        out = best
    out.compared, out.weights = len(members), label
    return out
