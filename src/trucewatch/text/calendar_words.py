"""Month and weekday names, which look like names ("March", "May", "Monday").

Both the places recogniser and the actors tagger must not read them as a place or a
person; they come from the time lexicon so the three stages agree on one list.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=16)
def calendar_words(lang: str | None = None) -> frozenset[str]:
    """English month and weekday names (from the time lexicon): "March", "May", "Monday";
    with ``lang``, that language's too ("Mart", "Marzo", "Mardi")."""
    from trucewatch.extract.time.lexicon import load

    lexicon = load("en")
    words = {str(w).casefold() for group in ("months", "weekdays") for ws in lexicon[group].values() for w in ws}
    if lang and lang != "en":
        try:
            lexicon = load(lang)
            words |= {str(w).casefold() for group in ("months", "weekdays") for ws in lexicon[group].values()
                      for w in ws}
        except (FileNotFoundError, ValueError, KeyError):  # a supplement to dateparser's locale data
            from trucewatch.extract.time.grammar_locale import grammar as grammar_for

            try:
                grammar = grammar_for(lang)
            except (FileNotFoundError, ValueError, KeyError):
                grammar = None
            if grammar is not None:  # (folded: lower case, no accents; "mart", "marzo", "марта")
                words |= set(grammar.months) | set(grammar.weekdays)
    return frozenset(w for w in words if len(w) > 3 or w == "may")
