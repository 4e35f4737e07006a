"""Month and weekday names, which look like names ("March", "May", "Monday").

Both the places recogniser and the actors tagger must not read them as a place or a
person; they come from the time lexicon so the three stages agree on one list.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """English month and weekday names (from the time lexicon): "March", "May", "Monday"."""
    from trucewatch.extract.time.lexicon import load

    lexicon = load("en")
    words = {str(w).casefold() for group in ("months", "weekdays") for ws in lexicon[group].values() for w in ws}
    return frozenset(w for w in words if len(w) > 3 or w == "may")
