"""Load the per-language time lexicons (``resources/time/<lang>.yaml``)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("en", "fr", "ar")
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


def alternation(words: list[str] | Any) -> str:
    """A regex alternation of ``words``, longest first, with spaces matching any whitespace."""
    out = []
    for w in sorted({str(w) for w in words}, key=len, reverse=True):
        out.append(re.escape(w).replace(r"\ ", r"\s+"))
    return "|".join(out)


def inverse(mapping: dict[Any, list[str]]) -> dict[str, Any]:
    """``{1: [january, jan]}`` -> ``{january: 1, jan: 1}``."""
    out: dict[str, Any] = {}
    for key, words in mapping.items():
        for w in words:
            out[str(w).lower()] = key
    return out
