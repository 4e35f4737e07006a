"""Inflected Russian place names and Arabic common words that are also place names.

Sentences are our own. The Russian rule is checked against a small stand-in gazetteer
(the shipped one may lack Cyrillic names), so what is tested is the stripping rule itself.
"""

from __future__ import annotations

from trucewatch.extract.places.model import Entry
from trucewatch.extract.places.names import name_key
from trucewatch.extract.places.recognise import russian_nominative, arabic_stopwords


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
    assert russian_nominative("Израиля", gaz)[1][0].name == "Israel"  # type: ignore[arg-type,index]
    assert russian_nominative("Израилем", gaz)[1][0].name == "Israel"  # type: ignore[arg-type,index]
    assert russian_nominative("Харькову", gaz)[1][0].name == "Kharkiv"  # type: ignore[arg-type,index]
    assert russian_nominative("Харькове", gaz)[1][0].name == "Kharkiv"  # type: ignore[arg-type,index]


def test_a_stem_that_only_matches_a_hamlet_is_not_taken() -> None:
    assert russian_nominative("Мира", _Gazetteer()) is None  # "peace", not the village of Mir
    assert russian_nominative("Европы", _Gazetteer()) is None  # unknown to this gazetteer


def test_the_arabic_word_for_night_is_not_lille() -> None:
    assert {"ليل", "ليلة"} <= arabic_stopwords()


def test_inflected_country_names_resolve_in_russian_text() -> None:
    from trucewatch.extract.places.tagger import tag_places

    found = {p.name for p in tag_places("Перемирие вдоль границы Украины соблюдалось до утра, "
                                        "но ракета упала на юге Израиля.", lang="ru", use_ner=False)}
    assert {"Ukraine", "Israel"} <= found


def test_midnight_in_arabic_is_not_a_place() -> None:
    from trucewatch.extract.places.tagger import tag_places

    found = tag_places("بدأت الهدنة عند منتصف ليل السبت في مدينة سرت.", lang="ar", use_ner=False)
    assert "Lille" not in {p.name for p in found}
    assert "Sirte" in {p.name for p in found}


def test_inflected_russian_town_names_resolve() -> None:
    from trucewatch.extract.places.tagger import tag_places

    found = tag_places("Ночью беспилотники атаковали Харьков, а утром взрывы прогремели в Донецке.",
                       lang="ru", use_ner=False)
    assert {"Kharkiv", "Donetsk"} <= {p.name for p in found}
    assert {p.country for p in found if p.name == "Donetsk"} == {"UA"}


def test_exonyms_point_at_places_with_their_names() -> None:
    import csv
    import io
    from importlib import resources

    from trucewatch.extract.places.gazetteer import open_gazetteer

    gaz = open_gazetteer(None)
    text = resources.files("trucewatch.resources").joinpath("places", "exonyms.tsv").read_text(encoding="utf-8")
    for row in csv.DictReader(io.StringIO(text), delimiter="\t"):
        hits = gaz.lookup(name_key(row["exonym"]))
        assert int(row["geonameid"]) in {e.geonameid for e in hits}, row
