"""Names of the parties to a conflict, for stages that must not misread them.

The places recogniser must not take the end of a party's name for a village ("Volcano of
Anger", an operation). Only the actors knowledge base knows those names, and the actors
tagger builds on the places' NER reading and script folding, so places cannot import
actors without a circle. Instead the knowledge base hands its alias index to this module
(:func:`provide`; the package's ``__init__`` wires it, lazily), and places asks
:func:`is_party_name`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from trucewatch.text.script import alias_key

_aliases: Callable[[], Collection[str]] | None = None


def provide(aliases: Callable[[], Collection[str]]) -> None:
    """Install the source of the folded party aliases (called once, with a cached loader)."""
    global _aliases
    _aliases = aliases


def is_party_name(text: str) -> bool:
    """Whether ``text``, folded with :func:`alias_key`, is a name the knowledge base lists."""
    return _aliases is not None and alias_key(text) in _aliases()
