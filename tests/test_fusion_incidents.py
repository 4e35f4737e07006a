"""Incidents across documents, on SQLite and PostgreSQL: matching, status rules, consensus,
stable ids, idempotent and resumable fuse. The reports are our own invented ones."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from trucewatch.fusion import run as fuse_run
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.schema import FuseState, FuseWaiting, Incident, IncidentEvent

SRC = str(Path(__file__).resolve().parents[1] / "src")

TRIPOLI = {"country": "Libya", "admin1": "Tripoli", "location": "Tripoli", "latitude": 32.89, "longitude": 13.19,
           "geo_precision": 1}
TAJURA = {"country": "Libya", "admin1": "Tripoli", "location": "Tajura", "latitude": 32.88, "longitude": 13.35,
          "geo_precision": 1}
TRIPOLI_DISTRICT = {"country": "Libya", "admin1": "Tripoli", "location": "Tripoli", "latitude": 32.8,
                    "longitude": 13.1, "geo_precision": 3}
BENGHAZI = {"country": "Libya", "admin1": "Benghazi", "location": "Benghazi", "latitude": 32.12, "longitude": 20.07,
            "geo_precision": 1}
SHELLING = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack"}
CLASH = {"event_type": "Battles", "sub_event_type": "Armed clash"}


def ev(**fields: Any) -> dict[str, Any]:
    base = {"event_date": "2020-02-18", "time_precision": 1, **SHELLING, **TRIPOLI,
            "actor1": "Libyan National Army", "actor2": None, "status": "main"}
    return {**base, **fields}


#: Words for each document's own text: fuse also looks for near-duplicate documents, and
#: reports that shared one wording would count as reposts of one another.
WORDS = ("port harbour shelling morning officials witnesses residents damage cranes warehouse ships "
         "quay smoke sirens crews clinic road convoy market bridge").split()


def doc(doc_id: str, outlet: str | None, *events: dict[str, Any], published: str = "2020-02-19") -> dict[str, Any]:
    words = random.Random(doc_id)
    text = "Invented report. " + " ".join(words.choice(WORDS) for _ in range(60)) + "."
    return {"id": doc_id, "outlet": outlet, "published": published, "text": text, "events": list(events)}


def incidents_of(store: Any) -> dict[str, Any]:
    """Every incident and link, for comparing stores (timestamps left out)."""
    with store.sessions() as session:
        rows = session.scalars(select(Incident).order_by(Incident.id)).all()
        links = session.execute(select(IncidentEvent.incident_id, IncidentEvent.event_id, IncidentEvent.role)
                                .order_by(IncidentEvent.incident_id, IncidentEvent.event_id)).all()
        waiting = session.scalars(select(FuseWaiting.event_id).order_by(FuseWaiting.event_id)).all()
    return {"incidents": [{c.name: getattr(r, c.name) for c in Incident.__table__.columns if c.name != "updated_at"}
                          for r in rows],
            "links": [tuple(x) for x in links], "waiting": list(waiting)}


def links_by_doc(store: Any) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    with store.sessions() as session:
        for inc, doc_id, role in session.execute(select(IncidentEvent.incident_id, IncidentEvent.document_id,
                                                        IncidentEvent.role)):
            out.setdefault(doc_id, set()).add((inc, role))
    return out


def test_two_outlets_one_incident_with_consensus_and_disputes(store: Any) -> None:
    write_documents(store, [
        doc("a" * 32, "Desert Wire", ev(fatalities=13, fatalities_low=13, fatalities_high=13)),
        doc("b" * 32, "Harbour Post", ev(fatalities=23, event_date="2020-02-19", time_precision=2, **TAJURA)),
        doc("c" * 32, "Coast Herald", ev(fatalities=23, **CLASH, actor1="Khalifa Haftar")),
    ])
    fuse(store)
    with store.sessions() as session:
        (incident,) = session.scalars(select(Incident)).all()
        assert session.scalar(select(func.count()).select_from(IncidentEvent)) == 3
    assert incident.corroboration == 3
    # two independent sources give 23, one gives 13: better sourced wins; low and high keep both
    assert (incident.fatalities, incident.fatalities_low, incident.fatalities_high) == (23, 13, 23)
    assert "fatalities" in incident.disputed
    assert "ACLED" in incident.consensus["rules"]["fatalities"]
    assert incident.event_date == "2020-02-18" and incident.time_precision == 1  # the most precise date
    assert incident.location == "Tripoli"
    # Haftar is inside the LNA: not a dispute, and the more specific name is kept on a tie
    assert "actor1" not in incident.disputed
    values = {v["value"]: v["sources"] for v in incident.consensus["values"]["fatalities"]}
    assert values == {23: ["outlet:harbour post", "outlet:coast herald"], 13: ["outlet:desert wire"]} or \
        sorted(values[23]) == ["outlet:coast herald", "outlet:harbour post"]


def test_lowest_figure_when_equally_sourced(store: Any) -> None:
    write_documents(store, [doc("a" * 32, "Desert Wire", ev(fatalities=23)),
                            doc("b" * 32, "Harbour Post", ev(fatalities=13))])
    fuse(store)
    with store.sessions() as session:
        (incident,) = session.scalars(select(Incident)).all()
    assert (incident.fatalities, incident.fatalities_low, incident.fatalities_high) == (13, 13, 23)


@pytest.mark.parametrize("other, why", [
    (ev(event_date="2020-03-02"), "another day"),
    (ev(**BENGHAZI), "another city 600 km away"),
    (ev(actor1="Government of National Accord", actor2=None), "another party"),
    (ev(event_type="Protests", sub_event_type="Peaceful protest"), "another kind of event"),
    (ev(event_date=None, time_precision=None), "undated"),
])
def test_different_happenings_stay_apart(store: Any, other: dict[str, Any], why: str) -> None:
    write_documents(store, [doc("a" * 32, "Desert Wire", ev()), doc("b" * 32, "Harbour Post", other)])
    fuse(store)
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 2, why


def test_town_inside_named_district_and_week_precision_merge(store: Any) -> None:
    write_documents(store, [doc("a" * 32, "Desert Wire", ev()),
                            doc("b" * 32, "Harbour Post", ev(event_date="2020-02-17", time_precision=2,
                                                             **TRIPOLI_DISTRICT, actor1=None))])
    fuse(store)
    with store.sessions() as session:
        (incident,) = session.scalars(select(Incident)).all()
    assert incident.geo_precision == 1 and incident.event_date == "2020-02-18"


def test_status_rules(store: Any) -> None:
    """Negated, hypothetical and planned reports never make or join an incident; a denial is linked
    as disputing; background corroborates but never founds, even when it arrives first."""
    write_documents(store, [
        doc("1" * 32, "Early Bulletin", ev(status="background"), published="2020-02-25"),
        doc("2" * 32, "Desert Wire", ev(), published="2020-02-26"),
        doc("3" * 32, "Harbour Post", ev(status="negated", claimant="the army's spokesman")),
        doc("4" * 32, "Coast Herald", ev(status="hypothetical"), ev(status="planned", **CLASH)),
        doc("5" * 32, "Nile Note", ev(status="background", **BENGHAZI)),
    ])
    fuse(store)
    by_doc = links_by_doc(store)
    (incident,) = {i for i, _ in by_doc["2" * 32]}
    assert by_doc["2" * 32] == {(incident, "member")}
    assert by_doc["1" * 32] == {(incident, "corroborates")}  # arrived before the main report, joined after
    assert by_doc["3" * 32] == {(incident, "disputes")}
    assert "4" * 32 not in by_doc and "5" * 32 not in by_doc
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 1  # background never founds
        row = session.get(Incident, incident)
        assert "occurrence" in row.disputed and row.corroboration == 2  # the denial is no corroboration
        assert session.scalar(select(func.count()).select_from(FuseWaiting)) == 1  # Benghazi waits


def test_a_denial_quoted_in_the_article_that_reports_the_attack_disputes_it(store: Any) -> None:
    """One article tells the shelling and, further down, the accused side's denial: the denial
    disputes the incident the article's own report belongs to, in either order of arrival."""
    denial = ev(status="negated", claimant="the army's spokesman", actor1="Libyan National Army")
    write_documents(store, [doc("6" * 32, "Desert Wire", ev(), denial),
                            doc("7" * 32, "Coast Herald", ev())])
    fuse(store)
    by_doc = links_by_doc(store)
    (incident,) = {i for i, role in by_doc["7" * 32]}
    assert by_doc["6" * 32] == {(incident, "member"), (incident, "disputes")}
    with store.sessions() as session:
        row = session.get(Incident, incident)
        assert "occurrence" in row.disputed and row.corroboration == 2  # the denial adds no source


def test_same_outlet_and_reposts_count_once(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fuse_run, "original_of", lambda session, ids: {"c" * 32: "a" * 32})
    write_documents(store, [doc("a" * 32, "Desert Wire", ev()), doc("b" * 32, "Desert Wire", ev(**TAJURA)),
                            doc("c" * 32, "Copy Site", ev()), doc("d" * 32, None, ev())])
    fuse(store)
    with store.sessions() as session:
        (incident,) = session.scalars(select(Incident)).all()
    assert incident.corroboration == 2  # Desert Wire (two reports and a repost) + the unnamed outlet
    wire = next(s for s in incident.sources if s["source"] == "outlet:desert wire")
    assert wire["reposts"] == ["c" * 32] and sorted(wire["documents"]) == ["a" * 32, "b" * 32]


def test_a_repost_found_by_the_duplicate_step_is_not_a_second_source(store: Any) -> None:
    original = doc("a" * 32, "Desert Wire", ev())
    copy = {**doc("c" * 32, "Copy Site", ev(), published="2020-02-20"),
            "text": "Breaking news, shared from our partners. " + original["text"] + " Subscribe for more."}
    write_documents(store, [original, copy, doc("b" * 32, "Harbour Post", ev())])
    fuse(store)
    with store.sessions() as session:
        (incident,) = session.scalars(select(Incident)).all()
    assert incident.corroboration == 2  # Desert Wire (with its repost) + Harbour Post
    wire = next(s for s in incident.sources if s["source"] == "outlet:desert wire")
    assert wire["reposts"] == ["c" * 32]


def test_rerun_changes_nothing_and_ids_survive_reprocessing(store: Any) -> None:
    docs = [doc("a" * 32, "Desert Wire", ev(fatalities=5)), doc("b" * 32, "Harbour Post", ev(fatalities=7)),
            doc("c" * 32, "Coast Herald", ev(**BENGHAZI))]
    write_documents(store, docs)
    first = fuse(store)
    before = incidents_of(store)
    again = fuse(store)
    assert first.documents == 3 and again.documents == 0
    assert incidents_of(store) == before
    # re-processing with the same events: same everything
    write_documents(store, docs[:1])
    assert fuse(store).changed == 0
    assert incidents_of(store) == before
    # re-processing that changes a figure: same ids, links follow, values updated
    write_documents(store, [doc("a" * 32, "Desert Wire", ev(fatalities=9))])
    fuse(store)
    after = incidents_of(store)
    assert [i["id"] for i in after["incidents"]] == [i["id"] for i in before["incidents"]]
    assert after["links"] == before["links"]
    merged = next(i for i in after["incidents"] if i["corroboration"] == 2)
    assert (merged["fatalities_low"], merged["fatalities_high"]) == (7, 9)
    # a document whose happening is gone leaves its incident, and the incident goes with its last report
    write_documents(store, [doc("c" * 32, "Coast Herald")])
    fuse(store)
    assert len(incidents_of(store)["incidents"]) == 1


def _many(n: int) -> list[dict[str, Any]]:
    """n documents over 10 happenings in two cities, two outlets each, ids in no date order."""
    out = []
    for i in range(n):
        day = f"2020-02-{1 + (i % 10) * 2:02d}"
        place = TRIPOLI if i % 2 else BENGHAZI
        out.append(doc(f"{(i * 7919) % 100000:05d}".ljust(32, "0"), f"Outlet {i % 3}",
                       ev(event_date=day, fatalities=i % 4, **place),
                       ev(event_date=day, status="background", **CLASH, **place), published=day))
    return out


def _reset(store: Any) -> None:
    with store.session() as session:
        for table in (IncidentEvent, FuseWaiting, FuseState, Incident):
            session.execute(delete(table))


def test_kill_minus_nine_mid_fuse_then_rerun_gives_the_same_incidents(store: Any) -> None:
    write_documents(store, _many(60))
    fuse(store)
    expected = incidents_of(store)
    _reset(store)
    code = (
        "import sys, time\n"
        "from trucewatch.store import open_store\n"
        "from trucewatch.fusion import run\n"
        "run.BATCH = 4\n"
        "def tick(n):\n"
        "    print('batch', flush=True); time.sleep(0.3)\n"
        f"run.fuse(open_store({store.url!r}), on_batch=tick)\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    for _ in range(3):
        assert child.stdout.readline().strip() == "batch"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    with store.sessions() as session:
        done = session.scalar(select(func.count()).select_from(FuseState))
    assert 0 < done < 60  # killed half-way, whole batches kept
    resumed = fuse(store)
    assert resumed.documents == 60 - done
    assert incidents_of(store) == expected


def test_cli_incidents_show_and_export(store: Any, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from trucewatch.cli import app
    from trucewatch.export.schema import SCHEMA_VERSION

    write_documents(store, [doc("a" * 32, "Desert Wire", ev(fatalities=13)),
                            doc("b" * 32, "Harbour Post", ev(fatalities=23)),
                            doc("c" * 32, "Coast Herald", ev(**BENGHAZI, event_date="2020-03-05"))])
    runner = CliRunner()
    result = runner.invoke(app, ["fuse", "--db", store.url])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["incidents", "--db", store.url, "--json", "--min-corroboration", "2"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["corroboration"] == 2 and rows[0]["disputed"] == ["fatalities"]
    assert len(runner.invoke(app, ["incidents", "--db", store.url, "--json", "--undisputed"]).stdout.splitlines()) == 1
    assert runner.invoke(app, ["incidents", "--db", store.url, "--json", "--since", "2020-03-01"]).stdout.count("\n") == 1
    assert runner.invoke(app, ["incidents", "--db", store.url, "--since", "March"]).exit_code == 2
    shown = runner.invoke(app, ["show", rows[0]["id"], "--db", store.url, "--json"])
    record = json.loads(shown.stdout)
    assert {r["document_id"] for r in record["reports"]} == {"a" * 32, "b" * 32}
    assert all(r["evidence"] for r in record["reports"])
    text = runner.invoke(app, ["show", rows[0]["id"], "--db", store.url]).stdout
    assert "Desert Wire" in text and "Harbour Post" in text
    for fmt in ("jsonl", "csv", "geojson"):
        target = tmp_path / f"incidents.{fmt}"
        done = runner.invoke(app, ["export", "--db", store.url, "--what", "incidents", "--format", fmt, "-o", str(target)])
        assert done.exit_code == 0, done.output
        body = target.read_text(encoding="utf-8")
        if fmt == "jsonl":
            first = json.loads(body.splitlines()[0])
            assert first["schema_version"] == SCHEMA_VERSION and "incident_id" in first and "sources" in first
        elif fmt == "csv":
            header = body.splitlines()[0]
            assert "incident_id" in header and "corroboration" in header and f'"{SCHEMA_VERSION}"' in body
        else:
            collection = json.loads(body)
            assert collection["trucewatch_schema"] == SCHEMA_VERSION and len(collection["features"]) == 2
