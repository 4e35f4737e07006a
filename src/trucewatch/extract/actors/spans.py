"""Tokens of a text and candidate actor spans over them.

A token is the same unit ``name_key`` splits a name into, so keys built token by token equal
the key of the whole name; every reader of the tagger proposes :class:`Candidate` spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from trucewatch.text.russian import stem_key
from trucewatch.text.script import ARTICLES, SUN_ARTICLES, name_key, strip_marks


@dataclass
class Candidate:
    """A span one reader proposes (knowledge base, generic, NER), before overlaps are settled."""

    start: int
    end: int
    prio: int  # 0 knowledge base, 1 generic, 2 NER
    kind: str
    ids: tuple[str, ...] = ()
    name: str = ""
    inter: int | None = None
    label: str | None = None
    country: str | None = None
    resolved: bool = False  # ids already chosen (a force or a delegation), not raw alias owners
    extra: dict[str, Any] = field(default_factory=dict)


#: A token: letters and digits (with any combining marks inside), "5+5" kept whole; the
#: same units ``name_key`` splits a name into, so keys built token by token equal its own.
TOKEN_RE = re.compile(
    r"(?:[^\W_ʿʾ]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u0640])+(?:\+(?:[^\W_ʿʾ])+)*"
)
_GAP_PUNCT = frozenset("-‐‑–—/'’‘`ʿʾ")


@lru_cache(maxsize=100_000)
def token_info(token: str) -> tuple[str, str]:
    """``(key, raw)``: the token's ``name_key`` (Russian endings cut, as :func:`alias_key`
    cuts them) and its case- and mark-folded form."""
    return stem_key(name_key(token)), strip_marks(token).casefold()


def _joinable(gap: str) -> bool:
    """Whether two tokens separated by ``gap`` may belong to one name."""
    if len(gap) > 3:
        return False
    if gap == ".":
        return True
    if gap.count("\n") > 1:
        return False
    inner = gap.strip(" \t\u00a0\n")
    return inner == "" or (len(inner) == 1 and inner in _GAP_PUNCT)


def droppable(raw: str, following_raw: str) -> bool:
    """``name_key``'s rule: an Arabic article is dropped before another token."""
    if not raw.isascii():
        return False
    if raw in ARTICLES:
        return True
    sun = SUN_ARTICLES.get(raw)
    return bool(sun and following_raw.startswith(sun))


def articleish(raw: str) -> bool:
    return raw.isascii() and (raw in ARTICLES or raw in SUN_ARTICLES)


class Tokens:
    """The tokens of one text, with their keys and whether each joins the next."""

    __slots__ = ("text", "starts", "ends", "words", "keys", "raws", "joins")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        for m in TOKEN_RE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.words.append(m.group())
        infos = [token_info(w) for w in self.words]
        self.keys = [k for k, _ in infos]
        self.raws = [r for _, r in infos]
        self.joins = [_joinable(gap) or (gap == ". " and len(self.words[i]) == 1 and self.words[i].isupper())
                      for i in range(len(self.words) - 1)
                      for gap in (text[self.ends[i] : self.starts[i + 1]],)]  # "U.N. mission", "Stephanie T. Williams"
        self.joins.append(False)

    def __len__(self) -> int:
        return len(self.words)

    def gap(self, i: int) -> str:
        """The characters between token ``i`` and token ``i + 1``."""
        return self.text[self.ends[i] : self.starts[i + 1]] if i + 1 < len(self.words) else ""
