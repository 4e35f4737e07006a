"""Rounds of talks from the news, on SQLite and PostgreSQL.

The reports are ours (invented, about a made-up March 2021 round of the 5+5 Joint
Military Commission in Tunis); their events and annotations are written into the store
as the extraction stages would, so these tests exercise the talks record alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import delete

from tests.clitools import run
from trucewatch.ceasefire.talks_store import build_talks, iter_rounds
from trucewatch.store import open_store
from trucewatch.store.schema import Annotation, Document, Event, EventEvidence, Incident, IncidentEvent, RawBlob

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)

A = ("The third round of the 5+5 Joint Military Commission opened in Tunis on Wednesday under the chairmanship of "
     "the United Nations. Five officers sat for the Government of National Accord and five for the Libyan National "
     "Army of Khalifa Haftar. Officers from Sirte said the talks would be hard. The commission agreed on a truce at "
     "a meeting in Geneva last year.")
B = ("La troisième session de la commission militaire conjointe s'est achevée vendredi à Tunis par un projet "
     "d'accord sur le retrait des forces autour de Syrte. La question des combattants étrangers a été reportée à la "
     "prochaine réunion.")
C = ("Delegations of the Government of National Accord and the Libyan National Army spent three days in Tunis at the "
     "Joint Military Commission, and the Government of National Accord walked out for an hour.")
D = "In Tunis on Friday the two delegations signed a text on the exchange of prisoners."
E = "The fourth round of the Joint Military Commission opened in Sirte on Monday."
F = "Talks will resume soon, officials said."

ACTORS = {"Government of National Accord": "ly_gna", "Libyan National Army": "ly_lna",
          "United Nations": "united_nations", "Khalifa Haftar": "khalifa_haftar",
          "5+5 Joint Military Commission": "ly_jmc"}
PLACES = {"Tunis": {"name": "Tunis", "country": "TN", "geo_precision": 1, "feature_code": "PPLC"},
          "Sirte": {"name": "Sirte", "country": "LY", "geo_precision": 1, "feature_code": "PPL"},
          "Syrte": {"name": "Sirte", "country": "LY", "geo_precision": 1, "feature_code": "PPL"},
          "Geneva": {"name": "Geneva", "country": "CH", "geo_precision": 1, "feature_code": "PPL"},
          "Hurghada": {"name": "Hurghada", "country": "EG", "geo_precision": 1, "feature_code": "PPL"},
          "Cairo": {"name": "Cairo", "country": "EG", "geo_precision": 1, "feature_code": "PPLC"}}


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for part in text.split(". "):
        end = start + len(part) + (0 if part.endswith(".") else 1)
        spans.append((start, end))
        start = end + 1
    return spans


def _add_document(session: Any, text: str, published: str | None) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    session.add(RawBlob(sha256=digest, size=len(text), content=text.encode()))
    session.flush()
    doc_id = digest[:32]
    session.add(Document(id=doc_id, text=text, source_format="txt", raw_sha256=digest, ingested_at=NOW,
                         published_basis="metadata" if published else "unknown", published=published))
    session.flush()
    for start, end in _sentences(text):
        session.add(Annotation(document_id=doc_id, stage="sentences", stage_version="t", kind="sentence",
                               start=start, end=end, text=text[start:end]))
    taken: list[tuple[int, int]] = []
    for name, actor_id in sorted(ACTORS.items(), key=lambda kv: -len(kv[0])):
        position = text.find(name)
        while position >= 0:
            if not any(s <= position < e for s, e in taken):
                taken.append((position, position + len(name)))
                session.add(Annotation(document_id=doc_id, stage="actors", stage_version="t", kind="actor",
                                       start=position, end=position + len(name), text=name,
                                       value={"actor_id": actor_id}))
            position = text.find(name, position + len(name))
    for name, value in PLACES.items():
        position = text.find(name)
        while position >= 0:
            session.add(Annotation(document_id=doc_id, stage="places", stage_version="t", kind="place",
                                   start=position, end=position + len(name), text=name, value=value))
            position = text.find(name, position + len(name))
    return doc_id


def _add_event(session: Any, doc_id: str, text: str, number: int, process: str, status: str, date: str | None,
               sentences: list[int], *, date_word: str | None = None, mediators: tuple[str, ...] = (),
               incident: str | None = None) -> str:
    event_id = f"{doc_id[:24]}-t-{number}"
    session.add(Event(id=event_id, document_id=doc_id, stage="events", stage_version="t", event_date=date,
                      time_precision=1 if date else None, event_type="Strategic developments",
                      sub_event_type="Agreement", process_type=process, status=status, country="Libya"))
    session.flush()
    spans = _sentences(text)
    rows = [("sentence", *spans[i]) for i in sentences]
    if date_word:
        rows.append(("event_date", text.index(date_word), text.index(date_word) + len(date_word)))
    rows += [("mediators", text.index(m), text.index(m) + len(m)) for m in mediators]
    for field, start, end in rows:
        session.add(EventEvidence(event_id=event_id, field=field, document_id=doc_id, start=start, end=end,
                                  text=text[start:end]))
    if incident:
        if session.get(Incident, incident) is None:
            session.add(Incident(id=incident, founding_document_id=doc_id, signature="talks", family="talks",
                                 corroboration=1, updated_at=NOW))
            session.flush()
        session.add(IncidentEvent(incident_id=incident, event_id=event_id, document_id=doc_id, role="member"))
    return event_id


def _fill(store: Any) -> dict[str, str]:
    docs: dict[str, str] = {}
    with store.session() as session:
        a = docs["a"] = _add_document(session, A, "2021-03-10")
        _add_event(session, a, A, 1, "talks", "main", "2021-03-10", [0], date_word="Wednesday",
                   mediators=("United Nations",), incident="inc-tunis")
        _add_event(session, a, A, 2, "agreement", "background", "2020-10-23", [3])
        b = docs["b"] = _add_document(session, B, "2021-03-12")
        _add_event(session, b, B, 1, "talks", "main", "2021-03-12", [0], date_word="vendredi", incident="inc-tunis")
        c = docs["c"] = _add_document(session, C, None)
        _add_event(session, c, C, 1, "talks", "main", None, [0])
        d = docs["d"] = _add_document(session, D, "2021-03-12")
        _add_event(session, d, D, 1, "agreement", "main", "2021-03-12", [0], date_word="Friday")
        e = docs["e"] = _add_document(session, E, "2021-04-19")
        _add_event(session, e, E, 1, "talks", "main", "2021-04-19", [0], date_word="Monday")
        f = docs["f"] = _add_document(session, F, "2021-04-20")
        _add_event(session, f, F, 1, "talks", "main", "2021-04-20", [0])
    return docs


def _check_spans(store: Any, record: dict[str, Any]) -> None:
    """Every value keeps its evidence: each span is the text it says it is."""
    texts = {}
    with store.sessions() as session:
        for source in record["sources"]:
            texts[source["document_id"]] = session.get(Document, source["document_id"]).text
    for source in record["sources"]:
        for ev in source["evidence"]:
            assert texts[source["document_id"]][ev["start"]:ev["end"]] == ev["text"]


def test_reports_in_two_languages_become_one_round_with_its_evidence(store) -> None:  # type: ignore[no-untyped-def]
    docs = _fill(store)
    with store.session() as session:
        counts = build_talks(session)
    assert (counts.new, counts.removed) == (2, 0)  # the report naming no forum and no venue is no round
    tunis, sirte = list(iter_rounds(store))

    assert tunis["forum"] == {"id": "jmc_5plus5", "name": "5+5 Joint Military Commission"}
    assert (tunis["track"], tunis["country"], tunis["round"], tunis["sequence"]) == ("military", "Libya", 3, 1)
    assert tunis["dates"]["start"] == "2021-03-10" and tunis["dates"]["end"] == "2021-03-12"
    assert {e["text"] for e in tunis["dates"]["evidence"]} == {"Wednesday", "vendredi"}
    assert (tunis["venue"]["name"], tunis["venue"]["country"]) == ("Tunis", "TN")  # not Sirte, where officers came from
    assert [(d["actor_id"], [p["name"] for p in d["people"]]) for d in tunis["delegations"]] == [
        ("ly_gna", []), ("ly_lna", ["Khalifa Haftar"])]
    assert [f["actor_id"] for f in tunis["facilitators"]] == ["united_nations"]  # the forum is no facilitator
    outcomes = {(o["document_id"], tuple(o["types"])) for o in tunis["outcomes"]}
    assert outcomes == {(docs["b"], ("draft",)), (docs["b"], ("deferred",)), (docs["c"], ("suspended",)),
                        (docs["d"], ("agreed",))}  # not the truce agreed "last year", told as background
    assert any("projet d'accord" in text for text in tunis["agreed"])
    assert any("reportée" in text for text in tunis["deferred"])
    assert {s["document_id"] for s in tunis["sources"]} == {docs["a"], docs["b"], docs["c"], docs["d"]}
    _check_spans(store, tunis)

    assert (sirte["round"], sirte["sequence"], sirte["venue"]["name"]) == (4, 2, "Sirte")
    assert sirte["dates"]["start"] == sirte["dates"]["end"] == "2021-04-19"
    _check_spans(store, sirte)

    with store.session() as session:
        again = build_talks(session)
    assert (again.new, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)

    with store.session() as session:  # a report withdrawn: the round it alone supported goes
        session.execute(delete(Document).where(Document.id == docs["e"]))
    with store.session() as session:
        after = build_talks(session)
    assert (after.unchanged, after.removed) == (1, 1)
    assert [r["id"] for r in iter_rounds(store)] == [tunis["id"]]


def test_a_meeting_held_to_prepare_for_a_forum_is_not_that_forum(store) -> None:  # type: ignore[no-untyped-def]
    text = ("Security delegations of the Government of National Accord and the Libyan National Army met in Hurghada "
            "to prepare for a full meeting of the 5+5 Joint Military Commission.")
    with store.session() as session:
        doc = _add_document(session, text, None)
        _add_event(session, doc, text, 1, "talks", "main", None, [0], mediators=("5+5 Joint Military Commission",))
    with store.session() as session:
        build_talks(session)
    (meeting,) = iter_rounds(store)
    assert meeting["forum"] is None and meeting["track"] == "military"
    assert (meeting["venue"]["name"], meeting["dates"]["start"]) == ("Hurghada", None)
    assert meeting["facilitators"] == []  # the commission it prepares for facilitates nothing
    assert [d["actor_id"] for d in meeting["delegations"]] == ["ly_gna", "ly_lna"]
    _check_spans(store, meeting)


def test_a_place_dated_another_day_is_not_the_venue(store) -> None:  # type: ignore[no-untyped-def]
    text = ("The talks of the Joint Military Commission opened in Cairo on Saturday, following the meeting in Geneva "
            "on 8 October.")
    with store.session() as session:
        doc = _add_document(session, text, "2021-10-30")
        for phrase, value in (("Saturday", "2021-10-30"), ("8 October", "2021-10-08")):
            start = text.index(phrase)
            session.add(Annotation(document_id=doc, stage="time", stage_version="t", kind="time", start=start,
                                   end=start + len(phrase), text=phrase, value={"type": "DATE", "value": value}))
        _add_event(session, doc, text, 1, "talks", "main", "2021-10-30", [0])  # no date span of its own
    with store.session() as session:
        build_talks(session)
    (meeting,) = iter_rounds(store)
    assert meeting["venue"]["name"] == "Cairo"  # Geneva is nearer the word "meeting", but of 8 October
    assert [e["text"] for e in meeting["dates"]["evidence"]] == ["Saturday"]  # the time expression that dates it
    assert meeting["dates"]["start"] == "2021-10-30" and meeting["forum"]["id"] == "jmc_5plus5"
    _check_spans(store, meeting)


def test_talks_on_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    store = open_store(db)
    try:
        _fill(store)
    finally:
        store.close()
    built = run("talks", "build", "--db", db)
    assert built.returncode == 0 and "2 rounds of talks (2 new" in built.stdout
    listed = run("talks", "--db", db, "--json")
    assert listed.returncode == 0
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["round"], r["venue"]["name"]) for r in records] == [(3, "Tunis"), (4, "Sirte")]
    for record in records:
        assert {"forum", "track", "round", "dates", "venue", "delegations", "facilitators", "outcomes",
                "sources"} <= set(record)
        assert all({"document_id", "evidence"} <= set(s) for s in record["sources"])
    table = run("talks", "--db", db)
    assert table.returncode == 0 and "2 rounds of talks" in table.stdout and "Tunis" in table.stdout
    assert run("talks", "--db", db, "--forum", "no_such_forum").returncode == 2


def _mention(event_id: str, date: str, sentence: str) -> Any:
    from trucewatch.ceasefire.talks_read import Span, TalkMention

    return TalkMention(event_id, "d" + event_id, "talks", "main", date, None, 1, None, "Libya",
                       sentences=[Span("d" + event_id, 0, len(sentence), sentence)])


def test_rounds_stated_apart_stay_apart_however_close() -> None:
    from trucewatch.ceasefire.talks import group_talks

    second = _mention("1", "2021-05-01", "The second round of the Joint Military Commission ended on Saturday.")
    third = _mention("2", "2021-05-04", "The third round of the Joint Military Commission opened on Tuesday.")
    again = _mention("3", "2021-05-02", "Officers of the Joint Military Commission went home on Sunday.")
    clusters = group_talks([second, third, again])
    assert sorted(sorted(m.event_id for m in c.mentions) for c in clusters) == [["1", "3"], ["2"]]


def test_a_meeting_of_no_known_forum_keeps_its_track_and_venue() -> None:
    from trucewatch.ceasefire.talks import build_rounds
    from trucewatch.ceasefire.talks_read import Span

    sentence = "Negotiators of the economic track met in Tunis on Monday to discuss the central bank."
    mention = _mention("9", "2021-06-07", sentence)
    start = sentence.index("Tunis")
    mention.places = [Span("d9", start, start + 5, "Tunis", PLACES["Tunis"])]
    (meeting,) = build_rounds([mention])
    assert (meeting.forum, meeting.track, meeting.venue, meeting.start) == (None, "economic", "Tunis", "2021-06-07")
    track = next(f for f in meeting.facts if f.field == "track")
    assert sentence[track.start:track.end] == track.text == "economic track"


def test_a_meeting_that_ended_after_some_days_opened_that_many_days_before() -> None:
    from trucewatch.ceasefire.talks import build_rounds
    from trucewatch.ceasefire.talks_read import Span

    sentence = "The Joint Military Commission ended a three-day meeting in Tunis on Wednesday."
    mention = _mention("7", "2021-06-09", sentence)
    start = sentence.index("three-day")
    mention.times = [Span("d7", start, start + 9, "three-day", {"type": "DURATION", "value": "P3D"})]
    (meeting,) = build_rounds([mention])
    assert (meeting.start, meeting.end) == ("2021-06-07", "2021-06-09")
    opened = next(f for f in meeting.facts if f.field == "opened")
    assert (opened.value, opened.text) == ("2021-06-07", "three-day")
    mention.times[0] = Span("d7", start, start + 9, "three-day", {"type": "DURATION", "value": "P90D"})
    assert build_rounds([mention])[0].start == "2021-06-09"  # no meeting lasts ninety days: a length of something else


def test_a_time_that_names_no_day_beside_a_place_is_no_other_day() -> None:
    """'in Geneva now': a TimeML value such as PRESENT_REF (or a week, a season) right after a
    place says nothing of another day; it used to stop the whole talks build."""
    from trucewatch.ceasefire.talks_read import Span, TalkMention

    text = "Delegates met in Geneva now, the mediator said."
    place = Span("d" * 32, text.index("Geneva"), text.index("Geneva") + 6, "Geneva")
    for value in ("PRESENT_REF", "2021-W43", "2021-SU", "XXXX-10-08"):
        now = Span("d" * 32, text.index("now"), text.index("now") + 3, "now", {"type": "DATE", "value": value})
        mention = TalkMention("e1", "d" * 32, "talks", "main", "2021-10-30", None, 1, None, "Switzerland",
                              times=[now])
        assert mention.elsewhen(place) is False
    dated = Span("d" * 32, text.index("now"), text.index("now") + 3, "now", {"type": "DATE", "value": "2021-10-08"})
    assert TalkMention("e1", "d" * 32, "talks", "main", "2021-10-30", None, 1, None, "Switzerland",
                       times=[dated]).elsewhen(place) is True
