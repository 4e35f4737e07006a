"""Alert rules over fused incidents, on SQLite and PostgreSQL: filters, one alert per incident,
one update per climb up the ladder, nothing new on a re-run, agreement rules waiting. The
reports are invented (see test_fusion_incidents)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.test_fusion_incidents import BENGHAZI, CLASH, doc, ev
from trucewatch.alerts.check import check
from trucewatch.alerts.rules import RuleError, RuleSpec, add_rule, list_rules, remove_rule
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.schema import AlertSent


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def json_rule(path: Path, name: str = "tripoli", **fields: Any) -> RuleSpec:
    return RuleSpec(name, "json", str(path), **fields)


ALLEGED = doc("a" * 32, "Desert Wire", ev(claimant="the Government of National Accord", confidence=0.9))
DENIED = doc("b" * 32, "Desert Wire", ev(status="negated", claimant="Libyan National Army"))
AS_FACT = [doc("c" * 32, "Harbour Post", ev(confidence=0.7)), doc("d" * 32, "Coast Herald", ev(confidence=0.6))]


def test_rules_are_checked_before_they_are_stored(store: Any, tmp_path: Path) -> None:
    bad = [RuleSpec("x", "pigeon", "-"), RuleSpec("x", "json", "-", min_step="rumoured"),
           RuleSpec("x", "json", "-", bbox=[13.0, 33.0, 14.0, 32.0]), RuleSpec("x", "json", "-", bbox=[1.0, 2.0]),
           RuleSpec("x", "webhook", "ftp://example"), RuleSpec("x", "email", "monitor@example.org"),
           RuleSpec("x", "email", "not-an-address", options={"smtp_host": "h", "sender": "a@b.c"}),
           RuleSpec("x", "json", "-", min_confidence=1.5), RuleSpec(" ", "json", "-")]
    for spec in bad:
        with pytest.raises(RuleError):
            add_rule(store, spec)
    assert list_rules(store) == []
    add_rule(store, json_rule(tmp_path / "a.jsonl", country="Libya", event_types=["Shelling/artillery/missile attack"]))
    with pytest.raises(RuleError, match="exists already"):
        add_rule(store, json_rule(tmp_path / "b.jsonl"))
    hook = add_rule(store, RuleSpec("hook", "webhook", "http://127.0.0.1:9/x"))
    assert hook.secret and len(hook.secret) == 64  # every webhook is signed
    listed = list_rules(store)
    assert [(r["name"], r["country"], r["sent"]) for r in listed] == [("tripoli", "Libya", 0), ("hook", None, 0)]
    assert all("secret" not in r for r in listed)
    assert remove_rule(store, "tripoli") and remove_rule(store, str(hook.id))
    assert not remove_rule(store, "tripoli") and list_rules(store) == []


def test_one_alert_per_incident_one_update_per_climb_and_nothing_on_a_rerun(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "alerts.jsonl"
    add_rule(store, json_rule(out, country="libya"))
    write_documents(store, [ALLEGED, DENIED])
    fuse(store)  # fuse checks the rules after each batch
    (first,) = lines(out)
    assert (first["alert"], first["step"], first["previous_step"]) == ("new", "alleged", None)
    assert first["ladder"]["allegations"][0]["by_actor"] == "ly_gna"
    assert first["ladder"]["denials"][0]["claimant_actor"] == "ly_lna"  # the denial travels with the alert
    assert first["confidence"] == 0.9 and first["incident"]["country"] == "Libya"

    fuse(store)
    summary = check(store, everything=True)  # a re-run, even over every incident, sends nothing new
    assert (summary.new, summary.updates) == (0, 0) and len(lines(out)) == 1

    write_documents(store, AS_FACT)
    fuse(store)
    alerts = lines(out)
    assert len(alerts) == 2  # alleged -> corroborated in one batch: one update, not two
    assert (alerts[1]["alert"], alerts[1]["step"], alerts[1]["previous_step"]) == ("update", "corroborated", "alleged")
    assert alerts[1]["incident_id"] == first["incident_id"]
    assert check(store, everything=True).new == 0 and len(lines(out)) == 2
    with store.sessions() as session:
        rows = session.execute(select(AlertSent.step, AlertSent.kind, AlertSent.status).order_by(AlertSent.rank)).all()
    assert [tuple(r) for r in rows] == [("alleged", "new", "sent"), ("corroborated", "update", "sent")]
    assert list_rules(store)[0]["sent"] == 2


def test_filters_area_type_step_and_confidence(store: Any, tmp_path: Path) -> None:
    def rule(name: str, **fields: Any) -> Path:
        add_rule(store, json_rule(tmp_path / f"{name}.jsonl", name, **fields))
        return tmp_path / f"{name}.jsonl"

    tripoli_box = rule("box", bbox=[13.0, 32.5, 13.5, 33.0])
    benghazi_box = rule("benghazi", bbox=[19.8, 31.9, 20.3, 32.3])
    tunisia = rule("tunisia", country="Tunisia")
    clashes = rule("clashes", event_types=["Armed clash"])
    shelling = rule("shelling", event_types=["armed clash", "Shelling/artillery/missile attack"])
    corroborated = rule("corroborated", min_step="corroborated")
    confident = rule("confident", min_confidence=0.95)
    write_documents(store, [ALLEGED])
    fuse(store)
    assert len(lines(tripoli_box)) == 1 and len(lines(shelling)) == 1
    assert lines(benghazi_box) == lines(tunisia) == lines(clashes) == lines(corroborated) == lines(confident) == []
    write_documents(store, AS_FACT)
    fuse(store)
    (climbed,) = lines(corroborated)  # it reached the rule's step: its first alert is a new one
    assert (climbed["alert"], climbed["step"]) == ("new", "corroborated")
    assert lines(confident) == []  # the best report's confidence is 0.9
    write_documents(store, [doc("e" * 32, "Desert Wire", ev(**CLASH, **BENGHAZI, event_date="2020-03-01"))])
    fuse(store)
    assert len(lines(clashes)) == 1 and len(lines(benghazi_box)) == 1
    assert [a["alert"] for a in lines(tripoli_box)] == ["new", "update"]  # the climb, nothing from Benghazi


def test_agreement_rules_wait_for_agreement_records(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "geneva.jsonl"
    add_rule(store, json_rule(out, "geneva", agreement_id="ly_geneva_2020_10"))
    write_documents(store, [ALLEGED])
    fuse(store)
    assert lines(out) == []
    assert check(store, everything=True).waiting_rules == ["geneva"]
    seen: list[tuple[str, str]] = []

    def scope(agreement: str, incident: Any) -> bool:
        seen.append((agreement, incident["id"]))
        return True

    summary = check(store, everything=True, scope=scope)
    assert summary.new == 1 and summary.waiting_rules == []
    assert seen and seen[0][0] == "ly_geneva_2020_10" and lines(out)[0]["agreement"] == "ly_geneva_2020_10"


def test_agreement_rules_use_the_stored_records_once_the_agreement_is_there(store: Any, tmp_path: Path) -> None:
    from trucewatch.ceasefire.record import AgreementRecord, Party, StatusStep
    from trucewatch.ceasefire.save import SaveCounts, save_record

    inside, other = tmp_path / "inside.jsonl", tmp_path / "other.jsonl"
    add_rule(store, json_rule(inside, "truce", agreement_id="truce-1"))
    add_rule(store, json_rule(other, "unknown", agreement_id="no-such-truce"))
    with store.session() as session:
        save_record(session, AgreementRecord(
            id="truce-1", name="Invented January truce", kind="truce", origin="import", country="Libya",
            effective_from="2020-01-12T00:00+02:00", effective_precision="minute",
            scope={"places": [{"name": "Libya", "type": "country"}], "lines": []},
            parties=[Party("party", "Libyan National Army", "ly_lna", "ly_lna_side"),
                     Party("party", "Government of National Accord", "ly_gna", "ly_gna_side")],
            history=[StatusStep("agreed", "2020-01-11", None, "test")]), SaveCounts())
    write_documents(store, [ALLEGED])
    fuse(store)  # the check after the fuse batch applies the ceasefire layer's scope test
    (alert,) = lines(inside)
    assert alert["agreement"] == "truce-1" and alert["alert"] == "new"
    assert lines(other) == []
    assert check(store, everything=True).waiting_rules == ["unknown"]  # its agreement is not in the store


def test_a_new_rule_looks_only_at_later_incidents_unless_it_backfills(store: Any, tmp_path: Path) -> None:
    write_documents(store, [ALLEGED])
    fuse(store)
    later, backfill = tmp_path / "later.jsonl", tmp_path / "backfill.jsonl"
    add_rule(store, json_rule(later, "later"))
    add_rule(store, json_rule(backfill, "backfill"), backfill=True)
    summary = check(store)
    assert summary.new == 1 and lines(later) == [] and len(lines(backfill)) == 1
    write_documents(store, AS_FACT)
    fuse(store)  # the incident changed: now the first rule sees it
    assert [a["alert"] for a in lines(later)] == ["new"] and [a["alert"] for a in lines(backfill)] == ["new", "update"]


def test_removing_a_rule_stops_its_alerts(store: Any, tmp_path: Path) -> None:
    out = tmp_path / "gone.jsonl"
    add_rule(store, json_rule(out, "gone"))
    assert remove_rule(store, "gone")
    write_documents(store, [ALLEGED])
    fuse(store)
    assert lines(out) == []


def test_a_long_list_of_incidents_is_read_page_by_page_each_once(store: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import trucewatch.alerts.check as checking

    monkeypatch.setattr(checking, "PAGE", 2)
    out = tmp_path / "all.jsonl"
    add_rule(store, json_rule(out, "all"))
    from datetime import date, timedelta

    days = [(date(2020, 2, 1) + timedelta(days=7 * n)).isoformat() for n in range(7)]  # a week apart
    write_documents(store, [doc(str(n) * 32, f"Outlet {n}", ev(event_date=day)) for n, day in enumerate(days)])
    fuse(store)
    assert sorted(a["incident"]["event_date"] for a in lines(out)) == days
    assert check(store, everything=True).incidents == 7 and len(lines(out)) == 7
