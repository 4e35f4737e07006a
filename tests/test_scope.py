"""Incidents in an agreement's scope: time with its precision, place with containment, actors
with their knowledge-base parents; stored with the ladder step on SQLite and PostgreSQL.
The agreement and the reports are invented."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.test_fusion_incidents import BENGHAZI, TRIPOLI, doc, ev
from trucewatch.ceasefire.record import AgreementRecord, Party, StatusStep
from trucewatch.ceasefire.save import SaveCounts, save_record
from trucewatch.ceasefire.scope import judge, refresh, scope_rows
from trucewatch.ceasefire.scope_place import inside_polygon, judge_place
from trucewatch.ceasefire.scope_time import incident_days, judge_time, window
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.schema import Incident, IncidentScope


def agreement(**over: Any) -> dict[str, Any]:
    base = {"id": "truce-1", "country": "Libya", "effective_from": "2020-01-12T00:00+02:00",
            "effective_precision": "minute", "expires": None, "signed": "2020-01-11",
            "scope": {"places": [{"name": "Libya", "type": "country"}], "lines": []},
            "parties": [{"name": "Libyan National Army", "actor_id": "ly_lna", "side": "ly_lna_side"},
                        {"name": "Government of National Accord", "actor_id": "ly_gna", "side": "ly_gna_side"}],
            "monitors": [], "status_history": [{"status": "agreed", "date": "2020-01-11"},
                                               {"status": "collapsed", "date": "2020-04-04"}]}
    return {**base, **over}


def incident(**over: Any) -> dict[str, Any]:
    base = {"id": "inc", "event_date": "2020-02-18", "date_end": None, "time_precision": 1,
            "actor1": "Libyan National Army", "actor2": None, **TRIPOLI}
    return {**base, **over}


# -- time ------------------------------------------------------------------------------

def test_time_in_force_from_midnight_until_the_collapse() -> None:
    assert judge_time(incident(), agreement()).answer == "in"
    assert judge_time(incident(event_date="2020-01-12"), agreement()).answer == "in"  # from midnight: all day
    assert judge_time(incident(event_date="2020-01-11"), agreement()).answer == "out"
    assert judge_time(incident(event_date="2020-04-04"), agreement()).answer == "undetermined"  # the day it fell
    after = judge_time(incident(event_date="2020-04-05"), agreement())
    assert after.answer == "out" and "after it ended" in after.rule


def test_a_start_at_another_hour_leaves_its_first_day_undetermined() -> None:
    noon = agreement(effective_from="2020-01-12T14:00+02:00")
    assert judge_time(incident(event_date="2020-01-12"), noon).answer == "undetermined"
    assert judge_time(incident(event_date="2020-01-13"), noon).answer == "in"


def test_an_incident_known_only_to_the_month_of_the_start_is_undetermined() -> None:
    month = incident(event_date="2020-01-01", time_precision=3)
    assert incident_days("2020-01-01", None, 3)[1].isoformat() == "2020-01-31"
    assert judge_time(month, agreement()).answer == "undetermined"
    assert judge_time(incident(event_date="2020-02-01", time_precision=3), agreement()).answer == "in"
    # a week-precise date three days from the start may be before it
    assert judge_time(incident(event_date="2020-01-13", time_precision=2), agreement()).answer == "undetermined"
    # an agreement known to the month only: its whole month is undetermined
    loose = agreement(effective_from="2020-01", effective_precision="month")
    assert judge_time(incident(event_date="2020-01-20"), loose).answer == "undetermined"
    assert judge_time(incident(event_date="2020-02-20"), loose).answer == "in"


def test_the_earliest_end_wins_and_a_proposal_never_was_in_force() -> None:
    short = agreement(expires="2020-01-19T00:00+02:00", status_history=[{"status": "agreed", "date": "2020-01-11"}])
    w = window(short)
    assert w is not None and w.last_full is not None and w.last_full.isoformat() == "2020-01-18"
    assert judge_time(incident(event_date="2020-01-19"), short).answer == "out"
    assert judge_time(incident(event_date="2020-01-18"), short).answer == "in"
    superseded = agreement(status_history=[{"status": "agreed", "date": "2020-01-11"},
                                           {"status": "superseded", "date": "2020-02-01"}])
    assert judge_time(incident(), superseded).answer == "out"
    proposed = agreement(status_history=[{"status": "proposed", "date": "2020-01-10"}])
    assert judge_time(incident(), proposed).answer == "out"
    assert judge_time(incident(event_date=None), agreement()).answer == "undetermined"
    assert judge_time(incident(), agreement(effective_from=None, signed=None)).answer == "undetermined"


# -- place -----------------------------------------------------------------------------

class FakePlaces:
    """A gazetteer of three entries: a division, a town inside it, a town outside."""

    rows = {"tripoli district": ("LY", "09", "ADM1", 32.8, 13.1), "tajura": ("LY", "09", "PPL", 32.88, 13.35),
            "sirte": ("LY", "20", "PPLA", 31.2, 16.6)}

    def locate(self, name: str, country: str | None = None) -> Any:
        return self.rows.get(name.casefold())

    def admin1_name(self, country: str, code: str) -> str | None:
        return {"09": "Tripoli District", "20": "Sirte District"}.get(code)


def test_place_country_named_areas_lines_and_polygons() -> None:
    assert judge_place(incident(), agreement()).answer == "in"
    assert judge_place(incident(country="Tunisia"), agreement()).answer == "out"
    assert judge_place(incident(country=None), agreement()).answer == "undetermined"
    area = agreement(scope={"places": [{"name": "Tripoli District", "type": "region"}], "lines": []})
    tajura = incident(location="Tajura", admin1="Somewhere", latitude=None, longitude=None)
    found = judge_place(tajura, area, FakePlaces(), "LY")
    assert found.answer == "in" and "LY.09" in found.rule  # containment by admin codes
    assert judge_place(tajura, area).answer == "out"  # no gazetteer: only names, and the name differs
    assert judge_place(incident(**BENGHAZI), area, FakePlaces(), "LY").answer == "out"
    coarse = incident(location=None, admin1=None, geo_precision=3)
    assert judge_place(coarse, area, FakePlaces(), "LY").answer == "undetermined"
    line = agreement(scope={"places": [], "lines": ["Sirte–Jufra"]})
    assert judge_place(incident(location="Sirte"), line).answer == "in"
    assert judge_place(incident(), line).answer == "undetermined"  # the line's course is unknown
    box = [[13.0, 32.7], [13.4, 32.7], [13.4, 33.0], [13.0, 33.0]]
    assert inside_polygon(13.19, 32.89, box) and not inside_polygon(20.07, 32.12, box)
    poly = agreement(scope={"places": [], "lines": [], "polygon": box})
    assert judge_place(incident(), poly).answer == "in"
    assert judge_place(incident(**BENGHAZI), poly).answer == "out"


# -- actors and the whole decision ---------------------------------------------------------

def test_actors_by_party_parent_and_side() -> None:
    assert judge(incident(), agreement()).in_scope is True
    child = judge(incident(actor1="Operation Volcano of Rage"), agreement())  # under GNA forces, under the GNA
    assert child.in_scope is True and "belongs to the party ly_gna" in child.rule
    only_lna = agreement(parties=[{"name": "LNA", "actor_id": "ly_lna", "side": None}])
    outsider = judge(incident(actor1="Government of National Accord"), only_lna)
    assert outsider.in_scope is False and outsider.rule.startswith("actors:")
    unknown = judge(incident(actor1="the Desert Falcons Brigade"), agreement())
    assert unknown.in_scope is None and "knowledge base" in unknown.rule
    nobody = judge(incident(actor1=None), agreement())
    assert nobody.in_scope is None and "attribution undetermined" in nobody.rule
    assert set(nobody.evidence()) == {"kind", "time", "place", "actors"}
    accused = judge(incident(actor1=None, claimants=["LNA spokesman Ahmed al-Mismari"]), agreement())
    assert accused.in_scope is True and "alleged by LNA spokesman" in accused.rule
    outsider_says = judge(incident(actor1=None, claimants=["witnesses near the port"]), agreement())
    assert outsider_says.in_scope is None


def test_the_process_itself_is_no_breach() -> None:
    signing = judge(incident(event_type="Strategic developments", sub_event_type="Agreement",
                             process_type="agreement"), agreement())
    assert signing.in_scope is False and signing.rule.startswith("kind:")
    assert judge(incident(process_type="talks"), agreement()).in_scope is False
    assert judge(incident(process_type="violation_alleged"), agreement()).in_scope is True


def _record(**over: Any) -> AgreementRecord:
    base: dict[str, Any] = dict(
        id="truce-1", name="Invented January truce", kind="truce", origin="import", country="Libya",
        effective_from="2020-01-12T00:00+02:00", effective_precision="minute",
        scope={"places": [{"name": "Libya", "type": "country"}], "lines": []},
        parties=[Party("party", "Libyan National Army", "ly_lna", "ly_lna_side"),
                 Party("party", "Government of National Accord", "ly_gna", "ly_gna_side")],
        history=[StatusStep("agreed", "2020-01-11", None, "test"), StatusStep("collapsed", "2020-04-04", None, "test")])
    return AgreementRecord(**{**base, **over})


def test_refresh_stores_the_answer_the_rule_and_the_ladder(store: Any) -> None:
    with store.session() as session:
        save_record(session, _record(), SaveCounts())
    write_documents(store, [
        doc("a" * 32, "Desert Wire", ev(claimant="the Government of National Accord")),
        doc("b" * 32, "Coast Herald", ev(status="negated", claimant="Libyan National Army")),
        doc("c" * 32, "Harbour Post", ev(event_date="2020-04-20", **BENGHAZI)),
        doc("d" * 32, "Harbour Post", ev(event_date="2020-01-05", time_precision=3, **BENGHAZI, actor1=None)),
    ])
    fuse(store)
    summary = refresh(store, "truce-1", gazetteer=False)
    assert (summary.in_scope, summary.out, summary.undetermined) == (1, 1, 1)
    with store.sessions() as session:
        rows = {r.incident_id: r for r in session.scalars(select(IncidentScope))}
        dates = {i.id: i.event_date for i in session.scalars(select(Incident))}
    by_date = {dates[k]: v for k, v in rows.items()}
    port = by_date["2020-02-18"]
    assert port.in_scope is True and port.step == "alleged" and port.rank == 1
    assert port.ladder["denials"] and port.ladder["allegations"][0]["by_actor"] == "ly_gna"
    assert port.evidence["time"]["answer"] == "in" and port.evidence["actors"]["answer"] == "in"
    assert by_date["2020-04-20"].in_scope is False and by_date["2020-04-20"].step is None
    assert by_date["2020-01-05"].in_scope is None  # a month that straddles the start, and no actor
    assert set(scope_rows(store, "truce-1")) == {port.incident_id}
    assert len(scope_rows(store, "truce-1", include_undetermined=True)) == 2
    again = refresh(store, "truce-1", gazetteer=False)  # a re-run replaces, never duplicates
    assert again.checked == summary.checked
    with store.sessions() as session:
        assert len(list(session.scalars(select(IncidentScope)))) == summary.checked


def test_incident_exports_carry_the_agreement_and_the_ladder_step(store: Any) -> None:
    import io
    import json

    from trucewatch.export.schema import SCHEMA_VERSION
    from trucewatch.export.writers import export

    with store.session() as session:
        save_record(session, _record(), SaveCounts())
    write_documents(store, [doc("a" * 32, "Desert Wire", ev(claimant="the Government of National Accord")),
                            doc("c" * 32, "Harbour Post", ev(event_date="2020-04-20", **BENGHAZI))])
    fuse(store)
    out = io.StringIO()
    assert export(store, out, "jsonl", "incidents") == 2
    before = {r["event_date"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert before["2020-02-18"]["agreements"] == [] and before["2020-02-18"]["ladder_step"] is None
    refresh(store, "truce-1", gazetteer=False)
    out = io.StringIO()
    export(store, out, "jsonl", "incidents")
    rows = {r["event_date"]: r for r in map(json.loads, out.getvalue().splitlines())}
    port = rows["2020-02-18"]
    # the fields came in 1.3; later versions add other things
    assert tuple(map(int, SCHEMA_VERSION.split("."))) >= (1, 3) and port["schema_version"] == SCHEMA_VERSION
    assert [(a["agreement_id"], a["in_scope"], a["step"]) for a in port["agreements"]] == [("truce-1", True, "alleged")]
    assert port["ladder_step"] == "alleged"
    assert rows["2020-04-20"]["agreements"] == [] and rows["2020-04-20"]["ladder_step"] is None  # out: not listed
    out = io.StringIO()
    export(store, out, "csv", "incidents")
    header = out.getvalue().splitlines()[0]
    assert '"agreements"' in header and '"ladder_step"' in header


def test_containment_through_the_built_gazetteer() -> None:
    """The test gazetteer's admin codes: Tajura lies in the Tripoli division, Zliten does not."""
    from trucewatch.ceasefire.scope_place import default_places

    places = default_places()
    assert places is not None
    area = agreement(scope={"places": [{"name": "Tripoli", "type": "region"}], "lines": []})
    tajura = incident(location="Tajura", admin1=None, latitude=None, longitude=None)
    inside = judge_place(tajura, area, places, "LY")
    assert inside.answer == "in" and "division LY." in inside.rule
    zliten = incident(location="Zliten", admin1=None, latitude=32.47, longitude=14.57)
    assert judge_place(zliten, area, places, "LY").answer == "out"


def test_the_alert_predicate_answers_from_the_records(store: Any) -> None:
    from trucewatch.ceasefire.scope import scope_test

    with store.session() as session:
        save_record(session, _record(), SaveCounts())
    test = scope_test(store, places=FakePlaces())
    assert test("truce-1", incident()) is True
    assert test("truce-1", incident(event_date="2020-01-01", time_precision=3)) is False  # undetermined is not in
    assert test("no-such-agreement", incident()) is False


def test_a_later_mutual_agreement_of_the_same_parties_supersedes() -> None:
    from trucewatch.ceasefire.scope import with_successor

    january = agreement(status_history=[{"status": "agreed", "date": "2020-01-11"}])
    october = agreement(id="truce-2", kind="ceasefire", effective_from="2020-10-23", effective_precision="day")
    alone = agreement(id="decl", kind="unilateral_declaration", effective_from="2020-08-21",
                      effective_precision="day", parties=[{"name": "LNA", "actor_id": "ly_lna", "side": None}])
    nobody = agreement(id="berlin", effective_from="2020-01-19", effective_precision="day", parties=[])
    closed = with_successor(january, [january, alone, nobody, october])
    (step,) = [s for s in closed["status_history"] if s.get("inferred")]
    assert step["date"] == "2020-10-23" and "truce-2" in step["source"]
    assert judge_time(incident(event_date="2020-06-01"), closed).answer == "in"
    assert judge_time(incident(event_date="2020-11-01"), closed).answer == "out"
    # the successor itself, the declaration and an agreement binding no known party are left as they are
    assert with_successor(october, [january, october]) == october
    assert with_successor(nobody, [january, october]) == nobody
    # a declaration of one party is replaced by a mutual agreement that binds that party
    assert any(s.get("inferred") for s in with_successor(alone, [october])["status_history"])


def test_an_incident_dissolved_while_checking_is_dropped_not_fatal(store: Any) -> None:
    from sqlalchemy import delete

    with store.session() as session:
        save_record(session, _record(), SaveCounts())
    write_documents(store, [doc("a" * 32, "Desert Wire", ev()),
                            doc("c" * 32, "Harbour Post", ev(event_date="2020-03-01", **BENGHAZI))])
    fuse(store)
    with store.sessions() as session:
        ids = sorted(session.scalars(select(Incident.id)))

    def ladder_of(incident_id: str, monitors: Any) -> None:
        if incident_id == ids[0]:  # a concurrent fuse dissolves it while the check runs
            with store.session() as session:
                session.execute(delete(Incident).where(Incident.id == incident_id))
        return None

    refresh(store, "truce-1", gazetteer=False, ladder_of=ladder_of)
    with store.sessions() as session:
        assert sorted(session.scalars(select(IncidentScope.incident_id))) == ids[1:]
