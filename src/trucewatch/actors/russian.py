"""Russian case and gender endings, folded so that one listed name meets its inflections.

News writes "Израиль", "Израилем", "Израиля"; "Кремль", "Кремле"; "российская армия",
"российской армии". Listing every form of every name would multiply the knowledge base by
twelve, so a Cyrillic word is cut back to a stem before matching: the longest ending from
a short list of noun and adjective endings, keeping at least three letters, and a final
soft or hard sign. Both the alias index and the text go through the same cut, so a
nominative entry meets every case. Short words and acronyms ("ВСУ", "МИД", "ООН") stay whole.
"""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: Adjective endings (a stem of at least four letters must stay: "Китая" is not "Кит-ая") and
#: noun endings, longest first. Keys reach here folded by ``name_key``, which turns й into и and
#: ё into е, so the endings are written folded too.
_ADJECTIVE = ("ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ое", "ее", "ые", "ие", "ои", "еи", "ии", "ыи",
              "ую", "юю", "ых", "их", "ым", "им")
_NOUN = ("иями", "ями", "ами", "ием", "ией", "иям", "иях", "ия", "ие", "ии", "ию", "ью", "ом", "ем", "ах", "ях", "ам", "ям",
         "ов", "ев", "еи", "ои", "а", "я", "у", "ю", "е", "ы", "и", "о", "ь", "ъ")
_ENDINGS = tuple(sorted({(e, 4) for e in _ADJECTIVE} | {(e, 3) for e in _NOUN}, key=lambda x: (-len(x[0]), -x[1])))
_MIN_STEM = 3


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def stem(word: str) -> str:
    """The stem of one lower-case Cyrillic word; other words come back unchanged."""
    if len(word) <= _MIN_STEM or not is_cyrillic(word):
        return word
    for ending, keep in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= keep:
            word = word[: -len(ending)]
            break
    return word[:-1] if word.endswith(("ь", "ъ", "й")) and len(word) > _MIN_STEM else word


def stem_key(key: str) -> str:
    """A folded key (words separated by spaces) with each Cyrillic word stemmed."""
    if not _CYRILLIC.search(key):
        return key
    return " ".join(stem(w) for w in key.split(" "))
