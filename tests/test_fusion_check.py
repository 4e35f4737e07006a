"""``trucewatch check`` over the fusion tables, on SQLite and PostgreSQL: a fused store is
sound, and each rule of the fusion tables is reported when a row breaks it. The reports
are our own invented ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.check import check_store
from trucewatch.store.schema import Document, Event, FuseWaiting, Incident, IncidentEvent, Story

TRIPOLI = {"country": "Libya", "admin1": "Tripoli", "location": "Tripoli", "latitude": 32.89, "longitude": 13.19,
           "geo_precision": 1, "event_type": "Explosions/Remote violence",
           "sub_event_type": "Shelling/artillery/missile attack", "actor1": "Libyan National Army"}
REPORT = ("Invented report. Shells fell on the port of Tripoli in the morning; dock workers said two cranes burned "
          "and the port authority sent the ships away until further notice.")


def fused(store: Any) -> None:
    """Two outlets on one shelling, a repost of the first, and a background mention."""
    write_documents(store, [
        {"id": "a" * 32, "outlet": "Desert Wire", "published": "2020-02-19", "text": REPORT,
         "events": [{**TRIPOLI, "event_date": "2020-02-18", "time_precision": 1}]},
        {"id": "b" * 32, "outlet": "Harbour Post", "published": "2020-02-19", "text": REPORT + " Reposted.",
         "events": [{**TRIPOLI, "event_date": "2020-02-18", "time_precision": 1}]},
        {"id": "c" * 32, "outlet": "Coast Herald", "published": "2020-02-20",
         "text": "Another invented report, about the harbour the day after, with new wording throughout.",
         "events": [{**TRIPOLI, "event_date": "2020-02-18", "time_precision": 1, "status": "background"},
                    {**TRIPOLI, "event_date": "2020-03-30", "time_precision": 1, "status": "background"}]},
    ])
    fuse(store)


def test_a_fused_store_is_sound(store: Any) -> None:
    fused(store)
    with store.sessions() as session:
        assert session.scalar(select(Document.duplicate_of).where(Document.id == "b" * 32)) == "a" * 32
        assert session.scalars(select(FuseWaiting.event_id)).all()  # the March mention waits
    report = check_store(store)
    assert report.ok, report.problems
    assert "every incident has a main report" in report.checks
    assert "incident_events.incident_id -> incidents" in report.checks


def _incident(session: Any) -> Incident:
    return session.scalars(select(Incident)).one()


def _lonely_incident(session: Any) -> None:
    row = {c.name: getattr(_incident(session), c.name) for c in Incident.__table__.columns}
    session.execute(insert(Incident), [{**row, "id": "inc-without-reports"}])


def _second_membership(session: Any) -> None:
    _lonely_incident(session)
    link = session.scalars(select(IncidentEvent).where(IncidentEvent.role == "member")).first()
    session.execute(insert(IncidentEvent), [{"incident_id": "inc-without-reports", "event_id": link.event_id,
                                             "document_id": link.document_id, "role": "member"}])


def _bad_role(session: Any) -> None:
    session.execute(update(IncidentEvent).where(IncidentEvent.role == "corroborates").values(role="mentions"))


def _link_to_a_lost_event(session: Any) -> None:
    session.execute(insert(IncidentEvent), [{"incident_id": _incident(session).id, "event_id": "no-such-event",
                                             "document_id": "a" * 32, "role": "corroborates"}])


def _overcounted(session: Any) -> None:
    session.execute(update(Incident).values(corroboration=9))


def _reversed_window(session: Any) -> None:
    session.execute(update(Incident).values(date_lo="2020-03-01", date_hi="2020-02-01"))


def _waiting_and_linked(session: Any) -> None:
    link = session.scalars(select(IncidentEvent)).first()
    session.execute(insert(FuseWaiting), [{"event_id": link.event_id, "document_id": link.document_id,
                                           "role": "corroborates", "family": "violence", "country": "Libya",
                                           "date_lo": "2020-02-17", "date_hi": "2020-02-19"}])


def _story_size(session: Any) -> None:
    session.execute(update(Story).values(size=Story.size + 1))


def _repost_of_a_repost(session: Any) -> None:
    session.execute(update(Document).where(Document.id == "c" * 32).values(duplicate_of="b" * 32))


BREAKS: list[tuple[str, Callable[[Any], None]]] = [
    ("every incident has a main report", _lonely_incident),
    ("an event is the main report of one incident at most", _second_membership),
    ("a link's role is member, corroborates or disputes", _bad_role),
    ("a link of a fused document names an event of that document", _link_to_a_lost_event),
    ("an incident counts between 1 and its documents as independent sources", _overcounted),
    ("an incident's date window is ordered", _reversed_window),
    ("a waiting event is linked to no incident", _waiting_and_linked),
    ("a story's size is its number of members", _story_size),
    ("a repost points to another document that is no repost itself", _repost_of_a_repost),
]


@pytest.mark.parametrize("rule, damage", BREAKS, ids=[b[1].__name__.strip("_") for b in BREAKS])
def test_each_fusion_rule_is_reported(store: Any, rule: str, damage: Callable[[Any], None]) -> None:
    fused(store)
    with store.session() as session:
        damage(session)
    report = check_store(store)
    assert [p for p in report.problems if rule in p], report.problems
    assert all(p.startswith("fusion: ") for p in report.problems), report.problems


def test_a_link_to_a_replaced_event_waits_for_fuse(store: Any) -> None:
    """Re-processing replaces a document's events; until fuse takes in the new run its old links are not damage."""
    fused(store)
    write_documents(store, [{"id": "a" * 32, "text": REPORT, "published": "2020-02-19", "events": []}])
    with store.sessions() as session:
        stale = session.scalars(select(IncidentEvent.event_id).where(IncidentEvent.document_id == "a" * 32)).all()
        assert stale and not session.scalars(select(Event.id).where(Event.id.in_(stale))).all()
    report = check_store(store)
    assert report.ok, report.problems
    fuse(store)
    report = check_store(store)
    assert report.ok, report.problems
    with store.sessions() as session:
        assert not session.scalars(select(IncidentEvent.event_id).where(IncidentEvent.document_id == "a" * 32)).all()
