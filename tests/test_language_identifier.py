"""Language identification: the identifier is built once, then read back from the cache.

Building it decompresses py3langid's model in every process (0.6 s of a one-document
``extract``); the derived-data cache keeps the built identifier between processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trucewatch.documents import language


@pytest.fixture()
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("TRUCEWATCH_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    yield tmp_path
    language._identifier.cache_clear()


TEXTS = {
    "en": "Militia fighters shelled the harbour of Misrata overnight, officials said on Tuesday.",
    "fr": "Des miliciens ont bombardé le port de Misrata dans la nuit, selon des responsables.",
    "ar": "قصفت ميليشيات ميناء مصراتة ليلة الثلاثاء بحسب مسؤولين محليين.",
    "ru": "Ополченцы обстреляли порт Мисраты ночью, сообщили местные чиновники.",
}


def test_the_identifier_is_built_once_then_read_from_the_cache(fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = {code: language.identify(text) for code, text in TEXTS.items()}
    assert {code: found[0] for code, found in first.items()} == {code: code for code in TEXTS}
    assert len(list(fresh.glob("language-identifier-*.pickle"))) == 1

    def no_build(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the identifier was built again instead of read from the cache")

    monkeypatch.setattr(language.LanguageIdentifier, "from_model_file", no_build)
    language._identifier.cache_clear()
    assert {code: language.identify(text) for code, text in TEXTS.items()} == first


def test_too_little_text_has_no_language() -> None:
    assert language.identify("12 - 7 / 2020") == (None, None)
