"""Language identification with py3langid: small, offline, and fast enough per document."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_LETTERS = 12


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """The identifier, read back from the derived-data cache when an earlier process built it.

    Building it decompresses py3langid's xz model, 0.6 s of every process's start (a
    one-document ``extract`` included); the pickled identifier reads back in about 0.1 s.
    The key is a digest of the model file and of the module that reads it."""
    import py3langid.langid as module

    from trucewatch.derived_cache import cached, digest

    key = digest((Path(MODEL_FILE), Path(module.__file__)))
    return cached("language-identifier", key, lambda: LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True))


def identify(text: str) -> tuple[str | None, float | None]:
    """Return (ISO 639-1 code, probability), or (None, None) when there is too little text.

    Only the first few thousand characters are read: language does not change
    mid-article often enough to pay for reading a whole long report.
    """
    sample = text[:4000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None, None
    lang, prob = _identifier().classify(sample)
    return lang, round(float(prob), 4)
