"""Script folding: one spelling-independent key per name, shared by places and actors.

Reports write the same name many ways: "Al-Watiya", "al Watiya", "Watiya";
"Tarhuna", "Tarhouna", "Tarhunah"; "Hasaka", "Hassakeh", "Al-Hasakah"; "ترهونة" and
"ترهونه". The gazetteer and the actors knowledge base index every name under :func:`name_key`
and a lookup folds the text the same way, so all of these meet without a table of variants.
The folding is deliberately coarse: it may bring two different names under one key,
and the resolvers then choose between them with the rest of the evidence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from trucewatch.text.russian import stem_key

#: Arabic article tokens dropped anywhere in a transliterated name ("Al Jufra", "Marsa el Brega").
ARTICLES = frozenset({"al", "el", "il", "ul"})
#: Assimilated articles ("ash-Shati", "Es Sider", "Ar Raqqa"): dropped only before their letter.
SUN_ARTICLES = {
    "ad": "d", "ed": "d", "adh": "dh", "ar": "r", "er": "r", "as": "s", "es": "s",
    "ash": "sh", "esh": "sh", "at": "t", "et": "t", "ath": "th", "az": "z", "ez": "z",
    "an": "n", "en": "n",
}
#: Arabic one- and two-letter prefixes glued to a name ("وبنغازي", "بالزاوية"), longest first where it matters.
ARABIC_PROCLITICS = ("وب", "وال", "بال", "و", "ب", "ل", "ف", "ك")
#: A leading article a name may carry or drop ("the LNA", "le GNA", "l'ONU").
LEADING_ARTICLE = re.compile(r"^\s*(?:the|le|la|les)\s+|^\s*l['’]\s*", re.IGNORECASE)
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"})
_SPLIT = re.compile(r"[\s\-‐‑–—_/.,'’‘`ʿʾ\"()]+")
_LATIN_ENDINGS = ((re.compile(r"(iyah|iyya|iya|iah|iyeh|ieh)$"), "ia"), (re.compile(r"(ah|eh)$"), "a"))
_DOUBLE = re.compile(r"([a-z])\1+")


#: Arabic short vowels, tanween, shadda, sukun, the dagger alef and tatweel: written on some
#: words ("قُتل", "مقراً") and on none of our cues or number words.
VOWEL_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")


def without_vowel_marks(text: str) -> tuple[str, list[int]] | None:
    """``text`` without Arabic vowel marks and the offset in ``text`` of each character kept,
    so that a span found in the bare text maps back; None when ``text`` has no mark."""
    if not VOWEL_MARKS.search(text):
        return None
    where = [i for i, c in enumerate(text) if not VOWEL_MARKS.match(c)]
    return "".join(text[i] for i in where), where


def span_back(where: list[int], length: int, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` (of ``length`` characters) that the bare span ``start:end`` of
    :func:`without_vowel_marks` came from (marks inside it are part of it)."""
    first = where[start] if start < len(where) else length
    last = where[end - 1] + 1 if end > start else first
    return first, last


def strip_marks(text: str) -> str:
    """Drop Latin accents, Arabic short vowels and tatweel, and fold Arabic letter forms."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", bare)).translate(_ARABIC_FOLD)


def _fold_latin(token: str) -> str:
    token = token.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    token = _DOUBLE.sub(r"\1", token)
    for pattern, replacement in _LATIN_ENDINGS:
        token = pattern.sub(replacement, token)
    return token


def _fold_arabic(token: str) -> str:
    if token.startswith("ال") and len(token) > 3:
        return token[2:]
    if token.startswith("لل") and len(token) > 3:  # "للوطية": li- + al- contracted
        return token[2:]
    return token


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The key ``name`` is indexed and looked up under ("" when nothing is left)."""
    tokens = [t for t in _SPLIT.split(strip_marks(name).casefold()) if t]
    kept: list[str] = []
    for i, token in enumerate(tokens):
        if not token.isascii():
            kept.append(_fold_arabic(token))
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following and token in ARTICLES:
            continue
        sun = SUN_ARTICLES.get(token)
        if following and sun and following.startswith(sun):
            continue
        kept.append(_fold_latin(token))
    return " ".join(kept)



def is_arabic(text: str) -> bool:
    """Whether ``text`` is written mainly in Arabic script."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u0600" <= c <= "\u06ff" for c in letters) * 2 > len(letters)


def alias_key(text: str) -> str:
    """Fold a name for matching: drop a leading "the"/"le"/"la"/"l'", then :func:`name_key`;
    Russian words lose their case endings ("Израилем" meets "Израиль")."""
    return stem_key(name_key(LEADING_ARTICLE.sub("", text, count=1)))
