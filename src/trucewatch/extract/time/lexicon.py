"""Load the per-language time lexicons (``resources/time/<lang>.yaml``)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from collections.abc import Callable, Iterable
from typing import Any

import yaml

REQUIRED_KEYS = ("months", "weekdays", "numbers", "units", "references", "tense")


@lru_cache(maxsize=None)
def load(lang: str) -> dict[str, Any]:
    path = resources.files("trucewatch.resources").joinpath("time", f"{lang}.yaml")
    with path.open("r", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ValueError(f"time lexicon {lang}.yaml lacks {missing}")
    return data


def _escape(word: str) -> str:
    return re.escape(word).replace(r"\ ", r"\s+")


def alternation(words: Iterable[Any], to_re: Callable[[str], str] = _escape) -> str:
    """A regex alternation of ``words``, longest first, each written by ``to_re`` (by default
    escaped, with spaces matching any whitespace; a grammar may allow its own variants)."""
    return "|".join(to_re(w) for w in sorted({str(w) for w in words}, key=len, reverse=True))


def inverse(mapping: dict[Any, list[str]], fold: Callable[[str], str] = str.lower) -> dict[str, Any]:
    """``{1: [january, jan]}`` -> ``{fold("january"): 1, fold("jan"): 1}``: entries by folded spelling."""
    return {fold(str(w)): key for key, words in mapping.items() for w in words}
