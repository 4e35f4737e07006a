"""Place-name keys: the shared script folding, plus the one fallback only places need.

:func:`name_key` and :func:`is_arabic` live in :mod:`trucewatch.text.script` (the actors
knowledge base folds names the same way); they stay importable from here for the gazetteer
and its builder, which index every place name under that key.
"""

from __future__ import annotations

from trucewatch.text.script import is_arabic, name_key

__all__ = ["is_arabic", "name_key", "spelled_out"]

#: Abbreviated first words ("St. Marc", "Mt. Hermon", "Ft. Hood"), for names indexed written out.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "munt", "ft": "fort"}


def spelled_out(key: str) -> str | None:
    """``key`` with an abbreviated first word written out ("st marc" -> "saint marc"), or None.

    Only a fallback: "St. Thomas" (Ontario) is indexed as written and must not become
    every Saint Thomas; "St. Marc" (Haiti) is indexed only as "Saint-Marc".
    """
    head, _, rest = key.partition(" ")
    return f"{_ABBREVIATIONS[head]} {rest}" if rest and head in _ABBREVIATIONS else None
