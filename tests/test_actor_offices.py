"""Office holders (resources/actors/officeholders.yaml) and resolution by date."""

from __future__ import annotations

import copy
import datetime as dt

from trucewatch.actors.kb import load_actors, load_data, validate
from trucewatch.actors.mentions import tag_actors
from trucewatch.actors.offices import acled_name, administration, holder, holders

P5 = ("US", "GB", "FR", "RU", "CN")


def day(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_every_office_refers_to_a_known_state_or_body_and_dates_are_ordered() -> None:
    assert validate(load_data()) == []
    people = [a for a in load_actors().values() if a.offices]
    assert len(people) > 150
    for a in people:
        assert a.kind == "person"
        for o in a.offices:
            assert o.start is not None and (o.end is None or o.start < o.end), a.id


def test_p5_have_dated_heads_and_ministers() -> None:
    for code in P5:
        for office in ("foreign_minister", "defence_minister"):
            assert holders(office, code), (code, office)
        assert holders("president", code) or holders("prime_minister", code)


def test_the_same_title_is_different_people_in_different_years() -> None:
    assert holder("prime_minister", "GB", day("2018-05-01")) == "theresa_may"
    assert holder("prime_minister", "GB", day("2025-05-01")) == "keir_starmer"
    assert holder("president", "TR", day("2019-05-01")) == holder("president", "TR", day("2025-05-01"))
    assert holder("president", "US", day("2021-01-19")) == "donald_trump"
    assert holder("president", "US", day("2021-01-20")) == "joe_biden"  # the day of the handover
    assert holder("president", "US", None) is None


def test_overlapping_holders_of_one_office_are_reported() -> None:
    bad = copy.deepcopy(load_data())
    for a in bad["actors"]:
        if a["id"] == "keir_starmer":
            a["offices"][0]["from"] = dt.date(2024, 1, 1)
    assert any("keir_starmer" in p and "rishi_sunak" in p for p in validate(bad))


def test_bad_office_entries_are_reported() -> None:
    bad = copy.deepcopy(load_data())
    person = next(a for a in bad["actors"] if a["id"] == "olaf_scholz")
    person["offices"].append({"office": "emperor", "of": "QQ", "from": dt.date(2030, 1, 1), "to": dt.date(2029, 1, 1)})
    problems = "\n".join(validate(bad))
    assert "office 'emperor' not in" in problems
    assert "office of 'QQ' is neither" in problems
    assert "from 2030-01-01 is after to 2029-01-01" in problems


def test_a_person_resolves_to_the_person_and_the_government_they_lead() -> None:
    [m] = tag_actors("Olaf Scholz spoke.", use_ner=False, day=day("2023-03-01"))
    assert (m.actor_id, m.body) == ("olaf_scholz", "germany")
    [m] = tag_actors("Cyril Ramaphosa spoke.", use_ner=False, day=day("2023-03-01"))
    assert (m.actor_id, m.body) == ("cyril_ramaphosa", "gov_za")
    [m] = tag_actors("Olaf Scholz spoke.", use_ner=False, day=day("2026-01-01"))
    assert m.body is None  # no longer in office


def test_acled_years_follow_the_executive() -> None:
    actors = load_actors()
    assert acled_name(actors["mil_us"], day("2022-06-01")) == "Military Forces of the United States (2021-2025)"
    assert acled_name(actors["mil_us"], day("2025-06-01")) == "Military Forces of the United States (2025-)"
    assert acled_name(actors["il_idf"], day("2024-01-01")) == "Military Forces of Israel (2022-)"
    assert acled_name(actors["mil_ke"], None) == "Military Forces of Kenya"
    assert administration("SO", day("2024-01-01")) is None  # no executive on record: no years
