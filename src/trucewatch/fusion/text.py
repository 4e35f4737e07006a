"""Word normalisation shared by the duplicate and story signals.

Unicode-aware and language-blind: NFKD, combining marks dropped (French accents, Arabic
short vowels and the hamza seat of alef), tatweel dropped, casefolded, then runs of
word characters. A repost that re-encodes quotes or accents still shares its words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+")
_TATWEEL = "\u0640"


def words(text: str) -> list[str]:
    """The normalised words of ``text`` in order (punctuation and marks gone)."""
    decomposed = unicodedata.normalize("NFKD", text.replace(_TATWEEL, ""))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WORD.findall(bare.casefold())


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Function words of the languages we meet most, normalised like :func:`words`.

    Taken from spaCy's lists (already a dependency), so no list of ours to keep; the
    lexical signal uses IDF too, this only keeps the first documents of a new store from
    matching on "the" and "في" before the document frequencies mean anything.
    """
    from spacy.lang.ar.stop_words import STOP_WORDS as AR
    from spacy.lang.de.stop_words import STOP_WORDS as DE
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES
    from spacy.lang.fr.stop_words import STOP_WORDS as FR
    from spacy.lang.ru.stop_words import STOP_WORDS as RU
    from spacy.lang.uk.stop_words import STOP_WORDS as UK

    found: set[str] = set()
    for word in AR | DE | EN | ES | FR | RU | UK:
        found.update(words(word))
    return frozenset(found)
