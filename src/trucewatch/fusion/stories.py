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

Without the embedding model the lexical weights apply (:data:`LEXICAL_ONLY`), and the
decision says so. The weights were chosen on the development sets
(``benchmarks/fusion_accuracy.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

import numpy as np

from trucewatch.fusion.text import stop_words, words

#: Reports of one happening seldom come more than this many days apart; beyond it, a
#: look-alike incident in the same city is more likely than a late report.
WINDOW_DAYS = 10
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
WITH_EMBEDDING = Weights(lexical=1.0, embedding=0.25, entities=0.1, gap=0.1, threshold=0.35)
#: Without embeddings.
LEXICAL_ONLY = Weights(lexical=1.0, embedding=0.0, entities=0.1, gap=0.1, threshold=0.25)


@dataclass
class Profile:
    """What a later document is compared with: day, term counts, entities, embedding."""

    doc_id: str
    day: date | None
    terms: dict[str, int]
    entities: frozenset[str] = frozenset()
    embedding: np.ndarray | None = None

    def to_json(self) -> dict[str, object]:
        return {"terms": self.terms, "entities": sorted(self.entities)}


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

    def __call__(self, term: str) -> float:
        return math.log((1 + self.n_docs) / (1 + self.df.get(term, 0))) + 1.0

    def add(self, terms: Iterable[str]) -> None:
        self.n_docs += 1
        for term in terms:
            self.df[term] = self.df.get(term, 0) + 1


def weighted(terms: Mapping[str, int], idf: Idf) -> tuple[dict[str, float], float]:
    vec = {t: (1.0 + math.log(c)) * idf(t) for t, c in terms.items()}
    return vec, math.sqrt(sum(v * v for v in vec.values())) or 1.0


def lexical(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
    (va, na), (vb, nb) = a, b
    if len(va) > len(vb):
        va, vb = vb, va
    return sum(w * vb[t] for t, w in va.items() if t in vb) / (na * nb)


def entity_overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Jaccard of the two entity sets, or None when either document has none."""
    if not a or not b:
        return None
    return len(a & b) / len(a | b)


def signals(new: Profile, new_vec: tuple[dict[str, float], float], member: Profile,
            member_vec: tuple[dict[str, float], float]) -> dict[str, float | None]:
    gap = abs((new.day - member.day).days) if new.day and member.day else None
    emb = (float(np.dot(new.embedding, member.embedding))
           if new.embedding is not None and member.embedding is not None else None)
    return {"lexical": round(lexical(new_vec, member_vec), 4),
            "embedding": None if emb is None else round(emb, 4),
            "entities": entity_overlap(new.entities, member.entities),
            "gap_days": gap}


def score(sig: Mapping[str, float | None], w: Weights) -> float:
    total = w.lexical * float(sig["lexical"] or 0.0)
    if sig["embedding"] is not None:
        total += w.embedding * float(sig["embedding"])
    if sig["entities"] is not None:
        total += w.entities * float(sig["entities"])
    if sig["gap_days"] is not None:
        total -= w.gap * min(float(sig["gap_days"]), WINDOW_DAYS) / WINDOW_DAYS
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


def decide(new: Profile, members: list[tuple[Profile, str]], idf: Idf, weights: Weights,
           label: str) -> Decision:
    """The best story among the members' (single link), or None below the threshold.

    Ties go to the earlier member, so the same input order gives the same stories.
    """
    if len(members) > MAX_MEMBERS and new.embedding is not None:
        ranked = sorted(range(len(members)), key=lambda i: -float(np.dot(new.embedding, members[i][0].embedding))
                        if members[i][0].embedding is not None else 1.0)
        members = [members[i] for i in sorted(ranked[:MAX_MEMBERS])]
    new_vec = weighted(new.terms, idf)
    best: Decision | None = None
    for member, story in members:
        sig = signals(new, new_vec, member, weighted(member.terms, idf))
        value = score(sig, weights)
        if best is None or value > (best.score or -math.inf):
            best = Decision(story, round(value, 4), member.doc_id, sig)
    if best is None or (best.score or 0.0) < weights.threshold:
        out = Decision(None, None if best is None else best.score, None if best is None else best.via,
                       {} if best is None else best.signals)
    else:
        out = best
    out.compared, out.weights = len(members), label
    return out
