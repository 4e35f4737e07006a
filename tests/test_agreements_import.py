"""Importing research tables of agreements (PA-X, UCDP, ETH/PRIO) into the store.

The fixtures under ``tests/fixtures/agreements/`` are ours: the datasets' column names
with made-up rows (invented agreements between real Libyan actors, and a Ruritania).
Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from trucewatch.ceasefire.importer import import_table
from trucewatch.ceasefire.query import AgreementFilter, detail, iter_agreements
from trucewatch.ceasefire.tables import TableError, detect_format, read_table
from trucewatch.store.schema import (
    Agreement,
    AgreementExternalId,
    AgreementParty,
    AgreementProvision,
    AgreementSource,
    AgreementStatusChange,
)

FIXTURES = Path(__file__).parent / "fixtures" / "agreements"
PAX, UCDP, ETHPRIO = FIXTURES / "pax_sample.csv", FIXTURES / "ucdp_sample.csv", FIXTURES / "ethprio_sample.csv"
DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "agreements"


def _dump(store: Any) -> list[tuple[Any, ...]]:
    """Every agreement row of every table, for comparing a store before and after."""
    rows: list[tuple[Any, ...]] = []
    with store.sessions() as session:
        for model in (Agreement, AgreementParty, AgreementProvision, AgreementStatusChange, AgreementSource,
                      AgreementExternalId):
            for row in session.scalars(select(model)):
                rows.append(tuple(sorted((k, repr(v)) for k, v in vars(row).items() if not k.startswith("_"))))
    return sorted(rows)


def test_formats_are_told_by_the_header() -> None:
    assert read_table(PAX)[0] == "pax"
    assert read_table(UCDP)[0] == "ucdp"
    assert read_table(ETHPRIO)[0] == "ethprio"
    assert detect_format(["title", "text", "published"]) is None


def test_a_table_of_something_else_is_refused_naming_the_file(tmp_path: Path) -> None:
    other = tmp_path / "events.csv"
    other.write_text("event_date,actor1,notes\n2020-01-01,a,b\n", encoding="utf-8")
    with pytest.raises(TableError, match="events.csv: not a PA-X, UCDP or ETH/PRIO table"):
        read_table(other)
    with pytest.raises(TableError, match="events.csv:1: not a pax table: no column"):
        read_table(other, "pax")


def test_pax_rows_become_records_and_bad_rows_are_named(store) -> None:  # type: ignore[no-untyped-def]
    report = import_table(store, PAX)
    assert report.format == "pax"
    assert (report.counts.new, report.counts.updated, report.counts.unchanged) == (3, 0, 0)
    assert len(report.errors) == 2
    assert report.errors[0].startswith(f"{PAX}:5: Dat '2020-13-45' is not a date")
    assert report.errors[1].startswith(f"{PAX}:8: pax-9001 already given at line 2")

    truce = detail(store, "pax-9001")
    assert truce is not None
    assert (truce["kind"], truce["status"], truce["signed"]) == ("truce", "agreed", "2020-03-02")
    assert truce["effective_from"] is None  # PA-X gives the signature date only: nothing is guessed
    assert [(p["name"], p["actor_id"]) for p in truce["parties"]] == [
        ("Government of National Accord", "ly_gna"), ("Libyan National Army", "ly_lna")]
    assert truce["parties"][0]["side"] == "ly_gna_side"
    assert [(p["name"], p["actor_id"]) for p in truce["third_parties"]] == [("United Nations", "united_nations")]
    assert truce["mediators"] == []  # PA-X does not say in which capacity a third party signed
    assert {p["type"] for p in truce["provisions"]} == {"cessation_of_hostilities", "prisoner_exchange"}
    assert truce["external_ids"] == {"pax": ["9001"], "ucdp": ["9100"]}
    assert truce["scope"]["places"] == [{"name": "Libya", "type": "country_or_entity"}]
    assert truce["status_history"][0]["source"] == "pax pax_sample.csv:2"
    (source,) = truce["sources"]
    assert (source["document_id"], source["dataset"], source["record"]) == (None, "pax", "pax_sample.csv:2")
    assert {"field": "signed", "text": "2020-03-02", "start": None, "end": None} in source["evidence"]

    declaration = detail(store, "pax:9002")  # found by its external id too
    assert declaration is not None
    assert (declaration["id"], declaration["kind"], declaration["status"]) == (
        "pax-9002", "unilateral_declaration", "declared")

    roadmap = detail(store, "pax-9004")
    assert roadmap is not None and roadmap["kind"] == "peace_agreement"
    # one line naming two actors gives two parties; a name that resolves to nothing stays, unresolved
    assert [(p["name"], p["actor_id"]) for p in roadmap["parties"]] == [
        ("Government of National Accord", "ly_gna"), ("House of Representatives", "ly_hor"),
        ("A delegation nobody can name", None)]
    assert [p["name"] for p in roadmap["scope"]["places"]] == ["Libya", "Tunisia"]


def test_ucdp_rows_keep_signatories_third_parties_and_the_end(store) -> None:  # type: ignore[no-untyped-def]
    report = import_table(store, UCDP)
    assert report.counts.new == 2
    assert report.errors == [f"{UCDP}:4: expected {len(read_table(UCDP)[1].__next__().cells)} fields, found 5"]
    accord = detail(store, "ucdp-9100")
    assert accord is not None
    assert accord["kind"] == "ceasefire"  # the name says so; UCDP calls every row a peace agreement
    assert [p["actor_id"] for p in accord["parties"]] == ["ly_gna", "ly_lna"]
    assert [p["actor_id"] for p in accord["third_parties"]] == ["united_nations"]
    assert [(s["status"], s["date"]) for s in accord["status_history"]] == [
        ("agreed", "2020-03-02"), ("ended", "2020-06-01")]
    assert accord["status"] == "ended"
    assert {p["type"] for p in accord["provisions"]} == {"cessation_of_hostilities", "withdrawal"}
    assert accord["external_ids"] == {"ucdp": ["9100"], "ucdp_conflict": ["9900"], "ucdp_dyad": ["9901"]}
    framework = detail(store, "ucdp-9101")
    assert framework is not None and framework["kind"] == "peace_agreement" and framework["status"] == "agreed"
    assert [p["type"] for p in framework["provisions"]] == ["elections"]


def test_ethprio_rows_are_grouped_into_ceasefires_by_country_and_id(store) -> None:  # type: ignore[no-untyped-def]
    report = import_table(store, ETHPRIO)
    assert report.errors == [f"{ETHPRIO}:5: start_date '0199-01-01' is not a plausible date (year 199)"]
    records = {r["id"]: r for r in iter_agreements(store)}
    assert set(records) == {"ethprio-libya-1", "ethprio-libya-2", "ethprio-ruritania-1"}
    mutual = records["ethprio-libya-1"]
    assert mutual["kind"] == "ceasefire"
    assert (mutual["effective_from"], mutual["effective_precision"], mutual["status"]) == (
        "2020-04-05", "day", "in_force")
    assert [p["actor_id"] for p in mutual["parties"]] == ["ly_gna", "ly_lna"]
    assert mutual["external_ids"] == {"ethprio": ["Libya:1"], "ucdp_dyad": ["9901"]}
    assert records["ethprio-libya-2"]["kind"] == "unilateral_declaration"
    assert records["ethprio-ruritania-1"]["parties"][0]["actor_id"] is None
    assert [r["id"] for r in iter_agreements(store, AgreementFilter(actor="ly_lna"))] == [
        "ethprio-libya-1", "ethprio-libya-2"]


def test_importing_again_changes_nothing_and_a_changed_row_replaces_its_record(
        store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for table in (PAX, UCDP, ETHPRIO):
        import_table(store, table)
    before = _dump(store)
    for table in (PAX, UCDP, ETHPRIO):
        again = import_table(store, table)
        assert again.counts.new == again.counts.updated == 0 and again.counts.unchanged > 0
    assert _dump(store) == before

    moved = tmp_path / "ucdp_sample.csv"  # the same name elsewhere: records cite the file name, not the folder
    moved.write_text(UCDP.read_text(encoding="utf-8").replace("2020-06-01", "2020-06-02"), encoding="utf-8")
    changed = import_table(store, moved)
    assert (changed.counts.new, changed.counts.updated, changed.counts.unchanged) == (0, 1, 1)
    accord = detail(store, "ucdp-9100")
    assert accord is not None and accord["status_history"][-1]["date"] == "2020-06-02"
    assert (len(accord["parties"]), len(accord["third_parties"])) == (2, 1)  # replaced, not appended


def test_every_record_has_the_fields_list_json_promises(store) -> None:  # type: ignore[no-untyped-def]
    for table in (PAX, UCDP, ETHPRIO):
        import_table(store, table)
    required = {"id", "name", "kind", "parties", "mediators", "signed", "effective_from", "expires", "scope",
                "status", "external_ids", "sources"}
    records = list(iter_agreements(store))
    assert len(records) == 8
    for record in records:
        assert required <= set(record)
        assert all(set(s) >= {"document_id", "evidence"} and s["evidence"] for s in record["sources"])


def test_a_quote_that_never_closes_is_named_and_the_rows_before_it_stay(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = ETHPRIO.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "cf.csv"
    broken.write_text("\n".join(lines[:3] + ['Libya,1.0,9.0,"never closed,0.0,x,x,2020.0,2020-01-01']) + "\n",
                      encoding="utf-8")
    report = import_table(store, broken)
    assert report.counts.new == 1
    assert len(report.errors) == 1 and report.errors[0].startswith(f"{broken}:4: unreadable CSV")


@pytest.mark.skipif(not (DEV / "cf_4_3.csv").is_file(), reason="dev data not present")
def test_the_dev_ethprio_and_ucdp_tables_import(tmp_path: Path) -> None:
    from trucewatch.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'dev.db'}")
    try:
        eth = import_table(store, DEV / "cf_4_3.csv")
        ucdp = import_table(store, DEV / "ucdp-peace-agreements-221.csv")
        assert eth.records > 1000 and len(eth.errors) <= 5
        assert ucdp.records > 300 and len(ucdp.errors) <= 5
        libya = list(iter_agreements(store, AgreementFilter(country="Libya")))
        assert any(r["external_ids"].get("ethprio") for r in libya)
    finally:
        store.close()


def test_a_long_cell_reads_after_an_ingest_with_a_small_size_limit(tmp_path: Path) -> None:
    """The csv module's field limit belongs to the process: an ingest run with a small
    ``--max-size`` (a watch service ingests and imports tables in one process) must not
    cut an agreement table short, nor a table import loosen the ingest's own limit."""
    import io

    from trucewatch.documents.readers import ReadOptions, Rejection, iter_inputs

    import csv

    rows_in = list(csv.reader(io.StringIO(UCDP.read_text(encoding="utf-8"), newline="")))
    comment = "Made up: " + "a long comment, " * 800  # pa_comment, about 13 KB
    rows_in[1][rows_in[0].index("pa_comment")] = comment
    table = tmp_path / "ucdp_long.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows_in)
    big = '"' + "some words\n" * 1000 + '"'  # an 11 KB field of short lines, over the ingest's limit below
    ingest_input = f"title,text\nfirst,a short text\nsecond,{big}\nthird,another short text\n"
    records = iter_inputs(["-"], ReadOptions(fmt="csv", max_bytes=4096, stdin=io.BytesIO(ingest_input.encode())))
    seen = [next(records)]  # the ingest is under way: its limit is set
    fmt, rows = read_table(table)
    seen.append(next(records))  # the ingest reads a row between the table's rows
    read = list(rows)
    assert fmt == "ucdp" and read[0].cells["pa_comment"] == comment
    assert not any(isinstance(r, tuple) and "unreadable" in r[1] for r in read), read
    seen += list(records)  # ... and its limit still holds for the rest of its file
    assert isinstance(seen[1], Rejection) and "field larger than field limit (4096)" in seen[1].reason, seen[:3]
