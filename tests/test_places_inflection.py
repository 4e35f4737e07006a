"""Inflected Russian place names and Arabic common words that are also place names.

Sentences are our own. The Russian rule is checked against a small stand-in gazetteer
(the shipped one may lack Cyrillic names), so what is tested is the stripping rule itself.
"""

from __future__ import annotations

from trucewatch.extract.places.model import Entry
from trucewatch.extract.places.names import name_key
from trucewatch.extract.places.recognise import _russian_nominative, arabic_stopwords


def _entry(name: str, fclass: str, code: str, population: int) -> Entry:
    fields = dict.fromkeys(Entry._fields)
    fields.update(geonameid=1, name=name, lat=0.0, lon=0.0, feature_class=fclass, feature_code=code, country="XX",
                  admin1="", population=population)
    for key, value in fields.items():
        if value is None:
            fields[key] = "" if key != "population" else 0
    return Entry(**fields)  # type: ignore[arg-type]


class _Gazetteer:
    """Knows a country, a big city and a hamlet, by their nominative names."""

    def __init__(self) -> None:
        self.names = {name_key("Израиль"): (_entry("Israel", "A", "PCLI", 9_000_000),),
                      name_key("Харьков"): (_entry("Kharkiv", "P", "PPLA", 1_400_000),),
                      name_key("Мир"): (_entry("Mir", "P", "PPL", 300),)}

    def lookup(self, key: str) -> tuple[Entry, ...]:
        return self.names.get(key, ())


def test_case_endings_are_stripped_back_to_a_known_name() -> None:
    gaz = _Gazetteer()
    assert _russian_nominative("Израиля", gaz)[1][0].name == "Israel"  # type: ignore[arg-type,index]
    assert _russian_nominative("Израилем", gaz)[1][0].name == "Israel"  # type: ignore[arg-type,index]
    assert _russian_nominative("Харькову", gaz)[1][0].name == "Kharkiv"  # type: ignore[arg-type,index]
    assert _russian_nominative("Харькове", gaz)[1][0].name == "Kharkiv"  # type: ignore[arg-type,index]


def test_a_stem_that_only_matches_a_hamlet_is_not_taken() -> None:
    assert _russian_nominative("Мира", _Gazetteer()) is None  # "peace", not the village of Mir
    assert _russian_nominative("Европы", _Gazetteer()) is None  # unknown to this gazetteer


def test_the_arabic_word_for_night_is_not_lille() -> None:
    assert {"ليل", "ليلة"} <= arabic_stopwords()
