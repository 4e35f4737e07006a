"""Word normalisation shared by the duplicate and story signals.

Unicode-aware and language-blind: NFKD, combining marks dropped (French accents, Arabic
short vowels and the hamza seat of alef), tatweel dropped, casefolded, then runs of
word characters. A repost that re-encodes quotes or accents still shares its words.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

_WORD = re.compile(r"\w+")
_TATWEEL = "\u0640"


class _Marks(dict[int, int | None]):
    """``str.translate``'s table: a combining mark maps to None (dropped), any other
    character to itself; learned as characters are met, so the per-character test runs in C."""

    def __missing__(self, code: int) -> int | None:
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_MARKS = _Marks()


def words(text: str) -> list[str]:
    """The normalised words of ``text`` in order (punctuation and marks gone)."""
    if text.isascii():  # nothing to decompose or drop
        return _WORD.findall(text.casefold())
    decomposed = unicodedata.normalize("NFKD", text.replace(_TATWEEL, ""))
    return _WORD.findall(decomposed.translate(_MARKS).casefold())


#: Languages whose function words are dropped from the lexical signal.
STOP_LANGUAGES = ("ar", "de", "en", "es", "fr", "ru", "uk")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Function words of the languages we meet most, normalised like :func:`words`.

    Taken from spaCy's lists (already a dependency), so no list of ours to keep; the
    lexical signal uses IDF too, this only keeps the first documents of a new store from
    matching on "the" and "في" before the document frequencies mean anything. Each list
    module is loaded on its own: importing ``spacy.lang.xx`` compiles its tokenizer's
    expressions, seconds per language, for words we only need as a set.
    """
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    base = Path(list(spec.submodule_search_locations)[0]) / "lang"
    found: set[str] = set()
    for lang in STOP_LANGUAGES:
        module_spec = importlib.util.spec_from_file_location(f"_trucewatch_stop_{lang}", base / lang / "stop_words.py")
        if module_spec is None or module_spec.loader is None:
            continue
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
        for word in getattr(module, "STOP_WORDS", ()):
            found.update(words(word))
    return frozenset(found)
