"""Agreement records from the news, on SQLite and PostgreSQL.

The reports are ours (invented, about a made-up June 2020 truce between real Libyan
actors); their events and annotations are written into the store as the extraction
stages would, so these tests exercise the ceasefire layer alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from trucewatch.ceasefire.importer import import_table
from trucewatch.ceasefire.mentions import Mention
from trucewatch.ceasefire.news import build_from_news, build_record, group_mentions
from trucewatch.ceasefire.query import iter_agreements
from trucewatch.ceasefire.record import Evidence
from trucewatch.store.schema import Annotation, Document, Event, EventEvidence, RawBlob

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

REPORT_A = ("A truce between the Government of National Accord and the Libyan National Army began at 0100 GMT "
            "on Friday after mediation by Algeria. Both sides agreed to a seven-day truce and to free prisoners.")
REPORT_B = "Fighting resumed on Saturday and each side accused the other of violating the truce near the Libyan coast."
REPORT_C = ("In separate statements on 1 July, the Government of National Accord and the Libyan National Army "
            "each declared a halt to operations around Sirte.")
REPORT_E = "Mediators said on Thursday that the truce in Libya had been extended by 72 hours."
REPORT_D = "Diplomats hope the Government of National Accord and the Libyan National Army will agree a ceasefire soon."

ACTORS = {"Government of National Accord": "ly_gna", "Libyan National Army": "ly_lna", "Algeria": "gov_dz"}


def _span(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    start = text.index(phrase, after)
    return start, start + len(phrase)


def _add_document(session: Any, text: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    session.add(RawBlob(sha256=digest, size=len(text), content=text.encode()))
    session.flush()
    doc_id = digest[:32]
    session.add(Document(id=doc_id, text=text, source_format="txt", raw_sha256=digest, ingested_at=NOW,
                         published_basis="metadata", published="2020-06-06"))
    session.flush()
    for name, actor_id in ACTORS.items():
        position = 0
        while name in text[position:]:
            start, end = _span(text, name, position)
            session.add(Annotation(document_id=doc_id, stage="actors", stage_version="t", kind="actor", start=start,
                                   end=end, text=name, value={"actor_id": actor_id}))
            position = end
    for word in ("Libyan", "Sirte"):
        if word in text:
            start, end = _span(text, word)
            session.add(Annotation(document_id=doc_id, stage="places", stage_version="t", kind="place", start=start,
                                   end=end, text=word, value={"country": "LY"}))
    return doc_id


def _add_event(session: Any, doc_id: str, text: str, number: int, status: str, date: str | None,
               trigger: str, sentences: list[str], mediators: tuple[str, ...] = ()) -> None:
    event_id = f"{doc_id[:24]}-t-{number}"
    session.add(Event(id=event_id, document_id=doc_id, stage="events", stage_version="t", event_date=date,
                      time_precision=1 if date else None, event_type="Strategic developments",
                      sub_event_type="Agreement", process_type="ceasefire", status=status, country="Libya",
                      location="Libya"))
    session.flush()
    rows = [("event", *_span(text, trigger), trigger)]
    rows += [("sentence", *_span(text, s), s) for s in sentences]
    rows += [("mediators", *_span(text, m), m) for m in mediators]
    for field, start, end, snippet in rows:
        session.add(EventEvidence(event_id=event_id, field=field, document_id=doc_id, start=start, end=end,
                                  text=snippet))


def _time(session: Any, doc_id: str, text: str, phrase: str, value: dict[str, Any]) -> None:
    start, end = _span(text, phrase)
    session.add(Annotation(document_id=doc_id, stage="time", stage_version="t", kind="time", start=start, end=end,
                           text=phrase, value=value))


def _fill(store: Any) -> dict[str, str]:
    docs = {}
    with store.session() as session:
        a = docs["a"] = _add_document(session, REPORT_A)
        first, second = REPORT_A.split(". ", 1)
        _add_event(session, a, REPORT_A, 1, "main", "2020-06-05", "truce", [first + ".", second], ("Algeria",))
        _time(session, a, REPORT_A, "0100 GMT on Friday", {"type": "TIME", "value": "2020-06-05T01:00"})
        _time(session, a, REPORT_A, "seven-day", {"type": "DURATION", "value": "P7D"})
        b = docs["b"] = _add_document(session, REPORT_B)
        _add_event(session, b, REPORT_B, 1, "main", "2020-06-06", "truce", [REPORT_B])
        c = docs["c"] = _add_document(session, REPORT_C)
        _add_event(session, c, REPORT_C, 1, "main", "2020-07-01", "halt to operations", [REPORT_C])
        e = docs["e"] = _add_document(session, REPORT_E)
        _add_event(session, e, REPORT_E, 1, "main", "2020-06-11", "truce", [REPORT_E])
        _time(session, e, REPORT_E, "72 hours", {"type": "DURATION", "value": "PT72H"})
        d = docs["d"] = _add_document(session, REPORT_D)
        _add_event(session, d, REPORT_D, 1, "planned", None, "ceasefire", [REPORT_D])
    return docs


def test_reports_become_one_record_per_agreement(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    docs = _fill(store)
    with store.session() as session:
        counts, removed = build_from_news(session)
    assert (counts.new, removed) == (3, 0)
    records = [r for r in iter_agreements(store) if r["origin"] == "news"]
    truce, *declarations = records
    assert truce["kind"] == "truce"
    assert truce["effective_from"] == "2020-06-05T03:00+02:00"  # 0100 GMT, in Libya's offset
    assert (truce["duration"], truce["expires"]) == ("P7D", "2020-06-15T03:00+02:00")  # 7 days, then 72 hours more
    assert truce["extra"]["extensions"] == [{"date": "2020-06-11", "by": "PT72H", "evidence": "72 hours"}]
    assert [p["actor_id"] for p in truce["parties"]] == ["ly_gna", "ly_lna"]
    assert [(m["name"], m["actor_id"]) for m in truce["mediators"]] == [("Algeria", "gov_dz")]
    assert [(s["status"], s["date"]) for s in truce["status_history"]] == [
        ("agreed", "2020-06-05"), ("violated", "2020-06-06"), ("extended", "2020-06-11")]
    assert truce["status"] == "extended"
    assert [p["type"] for p in truce["provisions"]] == ["prisoner_exchange"]
    assert {s["document_id"] for s in truce["sources"]} == {docs["a"], docs["b"], docs["e"]}
    evidence = next(s for s in truce["sources"] if s["document_id"] == docs["a"])["evidence"]
    span = next(e for e in evidence if e["field"] == "effective_from")
    assert REPORT_A[span["start"]:span["end"]] == "0100 GMT on Friday" == span["text"]

    # two sides declaring separately: two unilateral declarations, never one agreement
    assert [d["kind"] for d in declarations] == ["unilateral_declaration"] * 2
    assert sorted(d["parties"][0]["actor_id"] for d in declarations) == ["ly_gna", "ly_lna"]
    assert all(d["status"] == "declared" and d["effective_from"] == "2020-07-01" for d in declarations)

    with store.session() as session:
        again, removed = build_from_news(session)
    assert (again.new, again.updated, again.unchanged, removed) == (0, 0, 3, 0)

    table = tmp_path / "cf.csv"  # a dataset row of the same day links the news record to it
    table.write_text("location,start,id,name,ucdp_dyad,purpose,type,year,start_date\n"
                     "Libya,18418.0,7.0,Government of National Accord,0.0,x,x,2020.0,2020-06-05\n"
                     "Libya,18418.0,7.0,Libyan National Army,0.0,x,x,2020.0,2020-06-05\n", encoding="utf-8")
    import_table(store, table)
    with store.session() as session:
        linked, _ = build_from_news(session)
    assert linked.updated == 1
    truce = next(r for r in iter_agreements(store) if r["id"] == truce["id"])
    assert truce["external_ids"] == {"ethprio": ["Libya:7"]}

    with store.session() as session:  # the declarations' report is gone: so are they
        session.execute(delete(Event).where(Event.document_id == docs["c"]))
    with store.session() as session:
        _, removed = build_from_news(session)
    assert removed == 2


def _mention(event_id: str, date: str | None, *, incident: str | None = None, status: str = "main",
             steps: tuple[str, ...] = ("agreed",), kind: str = "ceasefire", parties: dict[str, Any] | None = None,
             unilateral: bool = False) -> Mention:
    evidence = Evidence("sentence", f"text of {event_id}", document_id=f"doc-{event_id}", start=0, end=10)
    mention = Mention(event_id, f"doc-{event_id}", "ceasefire", status, date, 1 if date else None, incident, "LY",
                      kind, unilateral, "Libya", "LY")
    mention.parties = parties if parties is not None else {"ly_gna": ("GNA", "ly_gna_side")}
    mention.steps = [(s, evidence) for s in steps]
    mention.evidence = [evidence]
    return mention


def test_incidents_join_undated_reports_and_dates_join_incidents() -> None:
    groups = group_mentions([
        _mention("a", "2020-01-12", incident="inc-1"),
        _mention("b", None, incident="inc-1", status="background"),  # undated, but fusion tied it to inc-1
        _mention("c", "2020-01-13", incident="inc-2"),  # a day later, another incident: the same truce
        _mention("d", None, status="background"),  # undated, alone and background: nothing to found
        _mention("e", "2020-01-20"),  # a week later: another agreement
        _mention("f", None),  # undated but reported as news: a record of its own, merged with nothing
    ])
    assert [sorted(m.event_id for m in g.mentions) for g in groups] == [["f"], ["a", "b", "c"], ["e"]]
    assert build_record(groups[0]).effective_from is None  # no date is made up


def test_breach_reports_attach_to_the_truce_and_never_found_one() -> None:
    truce = _mention("t", "2020-01-12", kind="truce")
    talks = _mention("k", "2020-01-19", kind="peace_agreement")
    breach = _mention("v", "2020-02-04", steps=("violated",))
    background = _mention("w", "2020-03-01", status="background")
    nameless = _mention("n", "2020-04-01", parties={})
    groups = group_mentions([truce, talks, breach, background, nameless])
    assert [g.mentions[0].event_id for g in groups] == ["t", "k"]
    assert [m.event_id for m in groups[0].later] == ["v"]
    record = build_record(groups[0])
    assert [(s.status, s.date) for s in record.history] == [("agreed", "2020-01-12"), ("violated", "2020-02-04")]
    assert record.id == build_record(group_mentions([truce, talks, breach])[0]).id  # stable ids


def test_unilateral_reports_split_by_side() -> None:
    both = _mention("u", "2020-08-21", kind="unilateral_declaration", unilateral=True, steps=("declared",),
                    parties={"ly_presidential_council": ("PC", "ly_gna_side"), "ly_hor": ("HoR", "ly_lna_side")})
    groups = group_mentions([both, _mention("m", "2020-08-21")])
    records = [build_record(g) for g in groups]
    assert sorted((r.kind, tuple(p.actor_id for p in r.parties)) for r in records) == [
        ("ceasefire", ("ly_gna",)), ("unilateral_declaration", ("ly_hor",)),
        ("unilateral_declaration", ("ly_presidential_council",))]


def test_an_extension_moves_the_expiry_once_however_many_report_it() -> None:
    truce = _mention("t", "2020-06-05", kind="truce")
    truce.duration = ("P7D", Evidence("duration", "seven-day", document_id="doc-t", start=0, end=9))
    truce.effective = ("2020-06-05T03:00+02:00", Evidence("effective_from", "0100 GMT", document_id="doc-t"), True)
    extensions = []
    for name in ("x", "y"):  # two outlets, one extension
        report = _mention(name, "2020-06-11", steps=("extended",))
        report.extension = ("PT72H", Evidence("extension", "72 hours", document_id=f"doc-{name}", start=5, end=13))
        extensions.append(report)
    (group,) = group_mentions([truce, *extensions])
    record = build_record(group)
    assert (record.duration, record.expires) == ("P7D", "2020-06-15T03:00+02:00")  # 12 June + 72 hours
    assert record.extra and record.extra["extensions"] == [{"date": "2020-06-11", "by": "PT72H", "evidence": "72 hours"}]
    assert ("extended", "2020-06-11") in [(s.status, s.date) for s in record.history]
