"""The fallback re-ranker: a word-frequency model over the lexicon's candidates.

Used only when the sentence-embedding model (``trucewatch.extract.events.model``) cannot run
(the encoder is not installed or turned off), so that results degrade to what the
classifier did before embeddings, not to the lexicon alone.

The cue lexicon is exact but brittle: a paraphrase it has no cue for ("dislodged the
insurgents", "downed tools") loses to a weaker cue elsewhere in the text. A linear
model over word frequencies (TF-IDF), trained on the snippets we wrote
(``resources/events/training/*.tsv``; ACLED's own data may not be shipped), knows
more ways of saying each thing. It only re-ranks: a text the lexicon finds no ACLED
cue in stays without an event, so the model cannot invent events from ordinary news.

Training takes about a second and happens once per process, at first use; it is
deterministic, so the same snippets always give the same model. Without
scikit-learn the classifier falls back to the lexicon alone.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from trucewatch.extract.events.training import training_rows

#: How much the lexicon counts against the model (0..1), and how sharply its scores
#: are turned into a distribution; chosen on snippet set 4 while it was held out.
LEXICON_WEIGHT = 0.7
TEMPERATURE = 2.0
NONE = "NONE"


def model_enabled() -> bool:
    """Whether the text model will be used, without training it (for stage versions)."""
    from importlib.util import find_spec

    return not os.environ.get("TRUCEWATCH_NO_MODEL") and find_spec("sklearn") is not None


@lru_cache(maxsize=1)
def text_model() -> Any | None:
    """The trained pipeline, or None when scikit-learn is missing or TRUCEWATCH_NO_MODEL is set."""
    if not model_enabled():
        return None
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
    except ImportError:
        return None
    from trucewatch.extract.events.lexicon import ACLED_CODES

    rows = training_rows()
    if not rows:
        return None
    labels = [row.label if row.label in ACLED_CODES else NONE for row in rows]
    # single words did as well as word pairs or character n-grams on the held-out set,
    # and train in a second and answer in half a millisecond
    model = make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(C=10, max_iter=2000))
    model.fit([row.text for row in rows], labels)
    return model


_PREFETCHED: dict[str, Any] = {}
_PREFETCH_LIMIT = 4096


def prefetch(texts: list[str]) -> None:
    """Compute the model's probabilities for many texts in one call (a document's
    sentences): one batched call costs about what a single one does."""
    model = text_model()
    if model is None or not texts:
        return
    if len(_PREFETCHED) > _PREFETCH_LIMIT:
        _PREFETCHED.clear()
    wanted = [t for t in dict.fromkeys(texts) if t not in _PREFETCHED]
    if wanted:
        _PREFETCHED.update(zip(wanted, model.predict_proba(wanted)))


def rerank(text: str, scores: dict[str, float], lexicon_code: str | None) -> tuple[str | None, dict[str, float]]:
    """The code (an ACLED code or NONE) the lexicon's ``scores`` and the model agree on.

    ``lexicon_code`` is the lexicon's own verdict (None when nothing reached its
    threshold, which counts for NONE). Returns (None, {}) when there is no model or no
    ACLED candidate to re-rank.
    """
    import math

    from trucewatch.extract.events.lexicon import ACLED_CODES

    model = text_model()
    if model is None or not any(code in ACLED_CODES and value > 0 for code, value in scores.items()):
        return None, {}
    classes = list(model.classes_)
    probabilities = _PREFETCHED.get(text)
    if probabilities is None:
        probabilities = model.predict_proba([text])[0]
    lexical = dict.fromkeys(classes, 0.0)
    for code, value in scores.items():
        key = code if code in ACLED_CODES else NONE
        if key in lexical:
            lexical[key] = max(lexical[key], value)
    if lexicon_code is None and NONE in lexical:
        lexical[NONE] = max(lexical[NONE], 2.0)  # below the threshold: the lexicon leans to no event
    top = max(lexical.values())
    weights = {c: math.exp((v - top) / TEMPERATURE) for c, v in lexical.items()}
    total = sum(weights.values())
    blend = {c: LEXICON_WEIGHT * weights[c] / total + (1 - LEXICON_WEIGHT) * float(p)
             for c, p in zip(classes, probabilities)}
    best = max(blend, key=lambda c: blend[c])
    return best, blend
