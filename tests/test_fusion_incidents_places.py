"""The rules that read a place or a missing date for what it is worth: a party's home country
is not a place, a deal is placed where it was made and where it applies, and two undated
reports of one story may share an incident when nothing else in the story fits. Unit tests on
the rules, then on SQLite and PostgreSQL through ``fuse``. The reports are our own invented ones."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select

from trucewatch.fusion.compatible import compatible, facts_of, home_countries, places_compatible
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.schema import Document, Incident, IncidentEvent, StoryMember

GENEVA = {"country": "Switzerland", "admin1": "Geneva", "location": "Geneva", "latitude": 46.2, "longitude": 6.15,
          "geo_precision": 1}
SIRTE = {"country": "Libya", "admin1": "Surt", "location": "Sirte", "latitude": 31.21, "longitude": 16.59,
         "geo_precision": 1}
BENGHAZI = {"country": "Libya", "admin1": "Benghazi", "location": "Benghazi", "latitude": 32.12, "longitude": 20.07,
            "geo_precision": 1}
TRIPOLI = {"country": "Libya", "admin1": "Tripoli", "location": "Tripoli", "latitude": 32.89, "longitude": 13.19,
           "geo_precision": 1}
INDIA = {"country": "India", "admin1": None, "location": "India", "latitude": 22.0, "longitude": 79.0,
         "geo_precision": 3}
KOTLI = {"country": "Pakistan", "admin1": "Azad Kashmir", "location": "Kotli", "latitude": 33.52, "longitude": 73.9,
         "geo_precision": 1}
TUNISIA = {"country": "Tunisia", "admin1": None, "location": "Tunisia", "latitude": 34.0, "longitude": 9.0,
           "geo_precision": 3}
TRUCE = {"process_type": "ceasefire", "event_type": "Strategic developments", "sub_event_type": "Agreement"}
DEAL = {"process_type": "agreement", "event_type": "Strategic developments", "sub_event_type": "Agreement"}
SHELLING = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack"}
ACCUSATION = {"process_type": "violation_alleged", "event_type": None, "sub_event_type": None}


def event(**fields: Any) -> dict[str, Any]:
    base = {"event_date": "2020-10-23", "time_precision": 1, "date_end": None, "event_type": None,
            "sub_event_type": None, "process_type": None, "actor1": None, "actor2": None, "assoc_actor_1": None,
            "assoc_actor_2": None, "claimant": None, "country": None, "admin1": None, "location": None,
            "latitude": None, "longitude": None, "geo_precision": None, "status": "main"}
    return {**base, **fields}


def facts(**fields: Any) -> Any:
    return facts_of(SimpleNamespace(id="e", document_id="d", **event(**fields)))


# -- the rules ---------------------------------------------------------------------------
def test_home_countries_come_from_the_knowledge_base() -> None:
    assert "India" in home_countries("Military Forces of India")
    assert "Libya" in home_countries("Khalifa Haftar")  # through the LNA
    assert home_countries("Nobody We Know Of") == frozenset()


def test_a_partys_home_country_is_not_a_place() -> None:
    accusation = facts(**ACCUSATION, **INDIA, actor1="Government of Pakistan", actor2="Government of India")
    shelling = facts(**SHELLING, **KOTLI, actor1="Military Forces of India")
    assert accusation.home_place
    assert places_compatible(accusation, shelling) == (True, "a party's home country, not a place")
    ok, why = compatible(accusation, shelling)
    assert ok and why["place"] == "a party's home country, not a place"
    # with no party from there, the country is a place and it is another country
    unattributed = facts(**ACCUSATION, **INDIA)
    assert not unattributed.home_place and places_compatible(unattributed, shelling) == (False, "different countries")
    # a precise place in a party's home country is still a place
    precise = facts(**SHELLING, **KOTLI, actor1="Military Forces of Pakistan")
    in_india = facts(**SHELLING, country="India", location="Poonch", latitude=33.77, longitude=74.09,
                     geo_precision=1, actor1="Military Forces of Pakistan")
    assert not places_compatible(precise, in_india)[0]


def test_a_deal_is_placed_where_it_was_made_and_where_it_applies() -> None:
    signed = facts(**DEAL, **GENEVA, actor1="Government of National Accord", actor2="Libyan National Army")
    in_force = facts(**TRUCE, **SIRTE, actor1="Libyan National Army")
    ok, why = compatible(signed, in_force)
    assert ok and "where it was made and where it applies" in why["place"]
    # no party in common: two deals
    other = facts(**TRUCE, **SIRTE, actor1="Government of Tunisia")
    assert not compatible(signed, other)[0]
    # two local truces in two towns of one country stay two
    assert not compatible(facts(**TRUCE, **BENGHAZI, actor1="Libyan National Army"), in_force)[0]
    # fighting is where it is: the rule is for talks, agreements and ceasefires only
    assert not compatible(facts(**SHELLING, **GENEVA, actor1="Libyan National Army"),
                          facts(**SHELLING, **SIRTE, actor1="Libyan National Army"))[0]


def test_an_open_date_is_left_open_not_filled_in() -> None:
    dated = facts(**SHELLING, **TRIPOLI)
    undated = facts(**SHELLING, **TRIPOLI, event_date=None, time_precision=None)
    assert not compatible(dated, undated)[0]
    ok, why = compatible(dated, undated, open_date=True)
    assert ok and why["date"] == "left open: no date on one side"
    # two known dates must still overlap
    assert not compatible(dated, facts(**SHELLING, **TRIPOLI, event_date="2020-11-30"), open_date=True)[0]


# -- through fuse, on every backend ----------------------------------------------------------
TEXT = ("Invented report for the tests. The delegations met for three days and the statement said the guns "
        "would fall silent along the whole front, with observers to follow within a month.")


def doc(doc_id: str, outlet: str, *events: dict[str, Any], published: str | None = "2020-10-24",
        text: str = TEXT) -> dict[str, Any]:
    return {"id": doc_id * 32, "outlet": outlet, "published": published, "text": text, "events": list(events)}


def incident_count(store: Any) -> int:
    with store.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Incident)) or 0)


def shared(store: Any, a: str, b: str) -> bool:
    """Whether documents ``a`` and ``b`` have a main report in one incident."""
    with store.sessions() as session:
        rows = session.execute(select(IncidentEvent.document_id, IncidentEvent.incident_id)
                               .where(IncidentEvent.role == "member")).all()
    of = {d: {i for doc_id, i in rows if doc_id == d} for d in (a * 32, b * 32)}
    return bool(of[a * 32] & of[b * 32])


def test_venue_and_area_merge_in_either_order(store: Any) -> None:
    signed = event(**DEAL, **GENEVA, actor1="Government of National Accord", actor2="Libyan National Army")
    in_force = event(**TRUCE, **SIRTE, actor1="Libyan National Army")
    write_documents(store, [doc("a", "Lake Courier", signed, published="2020-10-23"),
                            doc("b", "Desert Wire", in_force, published="2020-10-24", text=TEXT + " Sirte.")])
    fuse(store)  # in one batch: the incident has no consensus yet when the second report comes
    assert shared(store, "a", "b")
    later = {"event_date": "2020-12-01"}
    write_documents(store, [doc("c", "Coast Herald", {**in_force, **later}, published="2020-12-01",
                                text=TEXT + " Coast.")])
    fuse(store)
    write_documents(store, [doc("d", "Harbour Post", {**signed, **later}, published="2020-12-02",
                                text=TEXT + " Harbour.")])
    fuse(store)  # in a later run: the incident's consensus actors let it through the blocking
    assert shared(store, "c", "d") and not shared(store, "a", "c")


def test_home_country_place_merges_in_either_order(store: Any) -> None:
    accusation = event(**ACCUSATION, **INDIA, actor1="Government of Pakistan", actor2="Government of India")
    shelling = event(**SHELLING, **KOTLI, actor1="Military Forces of India")
    write_documents(store, [doc("a", "Valley Times", accusation, published="2020-10-23"),
                            doc("b", "Border Daily", shelling, published="2020-10-24", text=TEXT + " Border.")])
    fuse(store)
    assert shared(store, "a", "b")
    # the other way round, in two runs: the incident is in Pakistan, the accusation names only
    # the accused (placed in its home, India), so only the party in common brings them together
    write_documents(store, [doc("c", "Plains Gazette", event(**SHELLING, **KOTLI, actor1="Military Forces of India",
                                                              event_date="2020-12-01"), published="2020-12-01",
                                text=TEXT + " Plains.")])
    fuse(store)
    write_documents(store, [doc("d", "River News", event(**ACCUSATION, **INDIA, actor1="Government of India",
                                                         event_date="2020-12-01"), published="2020-12-02",
                                text=TEXT + " River.")])
    fuse(store)
    assert shared(store, "c", "d") and not shared(store, "a", "c")


SHELLING_TEXT = ("Invented report. Shells fell on the port of Tripoli, where the Libyan National Army had massed "
                 "artillery south of the city; dock workers said two cranes and a grain warehouse burned, and the "
                 "port authority halted all ships until the shelling of Tripoli port stops.")
SHELLING_RETOLD = ("Another invented report. The Libyan National Army shelled Tripoli port again, its artillery "
                   "firing from south of the city: a grain warehouse and two cranes burned, dock workers fled, and "
                   "the port authority told ships to stay away while the shelling of Tripoli lasts.")
UNDATED_SHELLING = event(**SHELLING, **TRIPOLI, actor1="Libyan National Army", event_date=None, time_precision=None)


def test_two_undated_reports_of_one_story_share_an_incident_with_its_date_open(store: Any) -> None:
    write_documents(store, [doc("a", "Desert Wire", UNDATED_SHELLING, published=None, text=SHELLING_TEXT),
                            doc("b", "Harbour Post", UNDATED_SHELLING, published=None, text=SHELLING_RETOLD)])
    fuse(store)
    assert shared(store, "a", "b")
    with store.sessions() as session:
        assert len(set(session.scalars(select(StoryMember.story_id)))) == 1
        assert not session.scalar(select(func.count()).select_from(Document).where(Document.duplicate_of.is_not(None)))
        (incident,) = session.scalars(select(Incident)).all()
        reasons = [r for (r,) in session.execute(select(IncidentEvent.reason))]
    assert incident.event_date is None and incident.date_lo is None and incident.corroboration == 2
    assert any("only compatible incident of its story" in (r or {}).get("story", "") for r in reasons)


def test_an_undated_report_never_joins_a_dated_incident(store: Any) -> None:
    """An undated report of clashes where clashes were reported on a known day may be of another round."""
    dated = event(**SHELLING, **TRIPOLI, actor1="Libyan National Army")
    write_documents(store, [doc("a", "Desert Wire", dated), doc("b", "Harbour Post", UNDATED_SHELLING, published=None)])
    fuse(store)
    assert incident_count(store) == 2 and not shared(store, "a", "b")


def test_an_undated_report_with_two_fits_joins_neither(store: Any) -> None:
    dated = event(**SHELLING, **TRIPOLI, actor1="Libyan National Army")
    write_documents(store, [doc("a", "Desert Wire", dated), doc("b", "Harbour Post", UNDATED_SHELLING, published=None),
                            doc("c", "Coast Herald", UNDATED_SHELLING, published=None)])
    fuse(store)
    # b founds its own (the dated incident is not for it); c fits both b's and a's: ambiguous
    assert incident_count(store) == 3 and not shared(store, "b", "c")


def test_undated_rule_needs_an_undated_document(store: Any) -> None:
    write_documents(store, [doc("a", "Desert Wire", UNDATED_SHELLING, published=None),
                            doc("b", "Harbour Post", UNDATED_SHELLING, published="2020-10-24")])
    fuse(store)
    assert not shared(store, "a", "b")  # b's publication date bounds nothing about its undated event


def test_undated_rule_needs_one_story(store: Any) -> None:
    other = ("Invented notice about a football cup final, the weather at the coast, a new bakery and ticket prices "
             "for the summer concerts in the old town; nothing about fighting at all.")
    write_documents(store, [doc("a", "Desert Wire", UNDATED_SHELLING, published=None),
                            doc("c", "Sports Page", UNDATED_SHELLING, published=None, text=other)])
    fuse(store)
    with store.sessions() as session:
        stories = set(session.scalars(select(StoryMember.story_id)))
    assert len(stories) == 2 and not shared(store, "a", "c")


def test_a_waiting_mention_placed_in_its_partys_home_is_adopted(store: Any) -> None:
    """A background mention placed only in its accuser's home country waits, and the later main report
    of the shelling across the border picks it up (it is not blocked by its country)."""
    accusation = event(**ACCUSATION, **INDIA, actor1="Government of Pakistan", actor2="Government of India",
                       status="background")
    write_documents(store, [doc("a", "Valley Times", accusation, published="2020-10-23")])
    fuse(store)
    write_documents(store, [doc("b", "Border Daily", event(**SHELLING, **KOTLI, actor1="Military Forces of India"),
                                published="2020-10-24", text=TEXT + " Border.")])
    fuse(store)
    with store.sessions() as session:
        roles = {(d[:1], r) for d, r in session.execute(select(IncidentEvent.document_id, IncidentEvent.role))}
    assert roles == {("a", "corroborates"), ("b", "member")}


def test_talks_agreement_and_ceasefire_reports_of_one_deal_make_one_incident(store: Any) -> None:
    """The process types of one deal meet pairwise: the third report has to agree with both earlier ones."""
    parties = {"actor1": "Government of National Accord", "actor2": "Libyan National Army"}
    talks = event(process_type="talks", **GENEVA, **parties)
    write_documents(store, [doc("a", "Lake Courier", talks, published="2020-10-23"),
                            doc("b", "Desert Wire", event(**DEAL, **GENEVA, **parties), published="2020-10-23",
                                text=TEXT + " Wire."),
                            doc("c", "Coast Herald", event(**TRUCE, **GENEVA, **parties), published="2020-10-24",
                                text=TEXT + " Coast.")])
    fuse(store)
    assert incident_count(store) == 1 and shared(store, "a", "c")
