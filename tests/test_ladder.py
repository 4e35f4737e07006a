"""The violation ladder: never higher than the evidence, denials beside allegations,
"undetermined" attribution; on hand-made records and on incidents fused in a real store."""

from __future__ import annotations

from typing import Any

from trucewatch.ceasefire.ladder import (
    MONITOR,
    PARTY,
    RANK,
    THIRD_PARTY,
    UNKNOWN,
    Claimant,
    Review,
    classify_claimant,
    ladder,
)


def report(doc: str, *, claimant: str | None = None, role: str = "member", actor1: str | None = "Libyan National Army",
           outlet: str | None = None) -> dict[str, Any]:
    return {"event_id": f"{doc}-e1", "document_id": doc, "role": role, "outlet": outlet, "claimant": claimant,
            "status": "negated" if role == "disputes" else "main", "actor1": actor1,
            "evidence": [{"field": "sentence", "start": 0, "end": 12, "text": f"words of {doc}"}]}


def record(*reports: dict[str, Any], sources: list[dict[str, Any]] | None = None, actor1: str | None = "Libyan National Army",
           disputed: list[str] | None = None) -> dict[str, Any]:
    if sources is None:
        sources = [{"source": f"document:{r['document_id']}", "outlet": None, "documents": [r["document_id"]],
                    "reposts": []} for r in reports if r["role"] != "disputes"]
    return {"id": "inc-1", "event_date": "2020-02-18", "actor1": actor1, "corroboration": len(sources),
            "sources": sources, "disputed": disputed or [], "consensus": {"values": {}}, "reports": list(reports)}


def test_the_knowledge_base_tells_parties_monitors_and_third_parties_apart() -> None:
    assert classify_claimant("the Government of National Accord").kind == PARTY
    assert classify_claimant("LNA spokesman Ahmed al-Mismari").kind == PARTY  # a party's spokesman: a side
    assert classify_claimant("UNSMIL").kind == MONITOR
    assert classify_claimant("Stephanie Williams").kind == THIRD_PARTY  # a mediator, no side
    assert classify_claimant("witnesses near the port").kind == UNKNOWN
    # the agreement's own monitors only, when the caller knows them
    assert classify_claimant("UNSMIL", monitors={"osce_smm"}).kind == THIRD_PARTY


def test_a_party_claim_alone_is_alleged_with_who_accuses_whom() -> None:
    result = ladder(record(report("d1", claimant="the Government of National Accord"),
                           report("d2", claimant="Government of National Accord")))
    assert (result.step, result.rank) == ("alleged", RANK["alleged"])
    assert result.independent_sources == 0 and result.sources == 2  # two outlets carry one allegation
    assert {a["by_actor"] for a in result.allegations} == {"ly_gna"}
    assert {a["against"] for a in result.allegations} == {"Libyan National Army"}
    assert result.rungs[0].evidence[0]["evidence"][0]["text"] == "words of d1"


def test_an_unknown_speaker_is_never_taken_for_more_than_an_allegation() -> None:
    result = ladder(record(report("d1", claimant="a local official"), report("d2", claimant="residents")))
    assert result.step == "alleged"


def test_one_outlet_as_fact_is_reported_two_independent_ones_corroborated() -> None:
    assert ladder(record(report("d1"))).step == "reported"
    assert ladder(record(report("d1", claimant="Stephanie Williams"))).step == "reported"
    two = ladder(record(report("d1"), report("d2", role="corroborates")))
    assert two.step == "corroborated" and two.independent_sources == 2
    assert "2 do" in two.rule


def test_a_repost_or_a_second_report_of_one_outlet_does_not_corroborate() -> None:
    one_outlet = [{"source": "outlet:desert wire", "outlet": "Desert Wire", "documents": ["d1", "d2"],
                   "reposts": []}]
    assert ladder(record(report("d1"), report("d2"), sources=one_outlet)).step == "reported"
    repost = [{"source": "document:d1", "outlet": None, "documents": ["d1"], "reposts": ["d2"]}]
    assert ladder(record(report("d1"), report("d2"), sources=repost)).step == "reported"


def test_a_monitoring_body_or_a_reviewer_confirms() -> None:
    assert ladder(record(report("d1", claimant="UNSMIL"))).step == "confirmed"
    reviewed = ladder(record(report("d1")), reviews=[Review("analyst-3", True, "checked the imagery")])
    assert reviewed.step == "confirmed"
    assert reviewed.rungs[3].evidence[0]["reviewer"] == "analyst-3"
    assert ladder(record(report("d1")), reviews=[Review("analyst-3", False)]).step == "reported"


def test_a_reviewers_move_sets_the_step_and_the_rungs_still_show_the_evidence() -> None:
    two = record(report("d1"), report("d2"))
    down = ladder(two, reviews=[Review("analyst-3", False, "one party's statement twice", step="alleged")])
    assert (down.step, down.rank) == ("alleged", 1) and "analyst-3" in down.rule
    assert [r.met for r in down.rungs] == [False, True, True, False]  # what the evidence reaches
    up = ladder(two, reviews=[Review("analyst-3", True), Review("analyst-4", False, step="reported")])
    assert up.step == "reported"  # a move wins over a confirmation
    assert ladder(two, reviews=[Review("analyst-3", False, step="nonsense")]).step == "corroborated"


def test_a_denial_is_kept_beside_the_allegation_and_lowers_nothing() -> None:
    result = ladder(record(report("d1", claimant="Government of National Accord"),
                           report("d2", claimant="Libyan National Army", role="disputes")))
    assert result.step == "alleged"
    assert [d["claimant_actor"] for d in result.denials] == ["ly_lna"]
    assert result.allegations[0]["by_actor"] == "ly_gna"
    with_fact = ladder(record(report("d1"), report("d3"), report("d2", claimant="LNA", role="disputes")))
    assert with_fact.step == "corroborated" and len(with_fact.denials) == 1


def test_attribution_may_be_undetermined_or_disputed() -> None:
    assert ladder(record(report("d1", actor1=None), actor1=None)).attribution["status"] == "undetermined"
    disputed = ladder(record(report("d1"), actor1="Libyan National Army", disputed=["actor1"]))
    assert disputed.attribution["status"] == "disputed" and disputed.attribution["actor"] is None
    assert ladder(record(report("d1"))).attribution == {
        "status": "attributed", "actor": "Libyan National Army", "candidates": [],
        "rule": "the name most sources give (fusion's consensus)"}


def test_a_custom_classifier_replaces_the_knowledge_base() -> None:
    def everyone_monitors(text: str, day: Any) -> Claimant:
        return Claimant(text, MONITOR, "m")

    assert ladder(record(report("d1", claimant="anyone")), classify=everyone_monitors).step == "confirmed"
    assert ladder(record(report("d1", claimant="anyone"))).to_dict()["step"] == "alleged"


def test_fused_incidents_climb_the_ladder_in_a_store(store: Any) -> None:
    """The record fusion's query gives, from real fused reports, on SQLite and PostgreSQL."""
    from tests.test_fusion_incidents import doc, ev

    from trucewatch.fusion.query import detail, iter_incidents
    from trucewatch.fusion.run import fuse
    from trucewatch.fusion.synthetic import write_documents

    write_documents(store, [doc("a" * 32, "Desert Wire", ev(claimant="the Government of National Accord")),
                            doc("b" * 32, "Desert Wire", ev(status="negated", claimant="Libyan National Army"))])
    fuse(store)
    (incident,) = list(iter_incidents(store))
    first = ladder(detail(store, incident.id))
    assert first.step == "alleged" and len(first.denials) == 1
    write_documents(store, [doc("c" * 32, "Harbour Post", ev()), doc("d" * 32, "Coast Herald", ev())])
    fuse(store)
    (incident,) = list(iter_incidents(store))
    climbed = ladder(detail(store, incident.id))
    assert climbed.step == "corroborated" and climbed.independent_sources == 2
    assert len(climbed.denials) == 1 and climbed.allegations[0]["by_actor"] == "ly_gna"

