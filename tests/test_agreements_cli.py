"""``trucewatch agreements`` as a user runs it: import, list --json, show, export (and export --what agreements)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clitools import run
from trucewatch.export.schema import AGREEMENT_COLUMN_NAMES, SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "agreements"


def test_import_list_show_export(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    first = run("agreements", "import", str(FIXTURES / "pax_sample.csv"), "--db", db, "--create")
    assert first.returncode == 1  # some rows were rejected; the rest went in
    assert f"rejected {FIXTURES / 'pax_sample.csv'}:5: Dat" in first.stderr
    assert "3 agreements (3 new, 0 updated, 0 unchanged); 2 rows rejected" in first.stdout
    again = run("agreements", "import", str(FIXTURES / "pax_sample.csv"), "--db", db)
    assert "(0 new, 0 updated, 3 unchanged)" in again.stdout
    eth = run("agreements", "import", str(FIXTURES / "ethprio_sample.csv"), "--db", db, "--format", "ethprio")
    assert eth.returncode == 1 and "3 agreements (3 new" in eth.stdout

    listed = run("agreements", "list", "--db", db, "--json")
    assert listed.returncode == 0
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(records) == 6
    for record in records:
        assert {"id", "name", "kind", "parties", "mediators", "signed", "effective_from", "expires", "scope",
                "status", "external_ids", "sources"} <= set(record)
    assert [r["id"] for r in records if r["kind"] == "unilateral_declaration"] == ["pax-9002", "ethprio-libya-2"]
    only = run("agreements", "list", "--db", db, "--json", "--country", "Ruritania")
    assert [json.loads(line)["id"] for line in only.stdout.splitlines()] == ["ethprio-ruritania-1"]
    assert run("agreements", "list", "--db", db, "--kind", "armistice").returncode == 2
    assert run("agreements", "list", "--db", db, "--origin", "news", "--json").stdout == ""  # none built yet
    assert run("agreements", "list", "--db", db, "--origin", "rumour").returncode == 2

    shown = run("agreements", "show", "pax:9001", "--db", db)
    assert shown.returncode == 0
    assert "Invented Truce on the Coastal Road" in shown.stdout and "ly_gna" in shown.stdout
    assert "[pax pax_sample.csv:2]" in shown.stdout  # the status step names its source row
    as_json = json.loads(run("agreements", "show", "ethprio-libya-1", "--db", db, "--json").stdout)
    assert as_json["effective_from"] == "2020-04-05"
    missing = run("agreements", "show", "pax-1", "--db", db)
    assert missing.returncode == 2 and "no agreement 'pax-1'" in missing.stderr

    target = tmp_path / "agreements.jsonl"
    exported = run("agreements", "export", "--db", db, "-o", str(target))
    assert exported.returncode == 0 and "exported 6 agreements" in exported.stderr
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert rows == [r | {"schema_version": SCHEMA_VERSION} for r in records]  # list --json, and the version
    assert list(rows[0]) == list(AGREEMENT_COLUMN_NAMES)  # every field the schema documents, in its order
    same = tmp_path / "export.jsonl"
    through_export = run("export", "--db", db, "--what", "agreements", "-o", str(same))
    assert through_export.returncode == 0 and "exported 6 agreements" in through_export.stderr
    assert same.read_bytes() == target.read_bytes()
    as_csv = run("export", "--db", db, "--what", "agreements", "--format", "csv")
    assert as_csv.returncode == 2 and "export them as jsonl" in as_csv.stderr


def test_a_file_that_is_no_agreement_table_is_one_error(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    other = tmp_path / "notes.csv"
    other.write_text("title,text\nx,y\n", encoding="utf-8")
    done = run("agreements", "import", str(other), "--db", db, "--create")
    assert done.returncode == 1 and "not a PA-X, UCDP or ETH/PRIO table" in done.stderr
    assert "Traceback" not in done.stderr
    assert run("agreements", "import", str(tmp_path / "absent.csv"), "--db", db).returncode == 1
    assert run("agreements", "import", str(other), "--db", db, "--format", "acled").returncode == 2


def test_the_export_schema_documents_every_agreement_field() -> None:
    from trucewatch.export.schema import markdown_table

    table = markdown_table()
    assert "Agreements (`--what agreements`, JSONL)" in table
    assert all(f"| {name} |" in table.split("Agreements (")[1] for name in AGREEMENT_COLUMN_NAMES)
