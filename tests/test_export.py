"""Exports: the versioned event schema in JSONL, CSV and GeoJSON, and document exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from trucewatch.documents.ingest import ingest
from trucewatch.export.schema import COLUMN_NAMES, SCHEMA_VERSION, markdown_table, validate_event
from trucewatch.export.writers import export
from trucewatch.pipeline import registry
from trucewatch.pipeline.runner import process
from trucewatch.pipeline.stage import DocumentInput, StageOutput

ACLED = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
         "inter1", "actor2", "assoc_actor_2", "inter2", "country", "admin1", "location", "latitude", "longitude",
         "geo_precision", "source", "notes", "fatalities"]
OURS = ["date_end", "process_type", "status", "claimant", "fatalities_low", "fatalities_high", "injured",
        "displaced", "evidence", "confidence"]


class ShellingStage:
    """Test stage producing one located event with a disputed toll and one without a place."""

    name = "fake_events"
    version = "1"
    requires: tuple[str, ...] = ()

    def process(self, doc: DocumentInput, upstream: Mapping[str, StageOutput]) -> StageOutput:
        start = doc.text.index("Shells")
        end = doc.text.index(".", start) + 1
        span = {"start": start, "end": end, "text": doc.text[start:end], "field": "event"}
        return StageOutput(events=[
            {"event_date": "2020-03-03", "time_precision": 1, "event_type": "Explosions/Remote violence",
             "sub_event_type": "Shelling/artillery/missile attack", "actor1": "Military Forces of Libya (2014-) LNA",
             "inter1": 8, "country": "Libya", "admin1": "Tripoli", "location": "Souq al-Juma", "latitude": 32.89,
             "longitude": 13.24, "geo_precision": 1, "status": "main", "claimant": "Ministry of Health",
             "fatalities": 4, "fatalities_low": 3, "fatalities_high": 5, "injured": 12, "confidence": 0.8,
             "notes": "Shells hit homes.", "evidence": [span]},
            {"event_date": "2020-01-12", "process_type": "ceasefire", "status": "background",
             "event_type": "Strategic developments", "sub_event_type": "Agreement", "evidence": [span]},
        ])


@pytest.fixture
def exported_store(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(registry, "BUILTIN", registry.BUILTIN + (ShellingStage,))
    path = tmp_path / "2020-03-04_report.txt"
    path.write_text("Souq al-Juma shelled\n\nShells hit homes in Souq al-Juma on Tuesday. Three to five died.\n\n"
                    "© 2020 Test Ledger. All rights reserved.", encoding="utf-8")
    ingest(store, [str(path)])
    process(store, ["fake_events"])
    return store


def test_schema_has_acled_columns_then_ours() -> None:
    assert list(COLUMN_NAMES[: len(ACLED)]) == ACLED
    assert set(OURS) <= set(COLUMN_NAMES)
    assert SCHEMA_VERSION in markdown_table()
    assert validate_event({"status": "rumour"}) and validate_event({"process_type": "truce"})
    assert validate_event({"bogus": 1})
    assert validate_event({"status": "main", "process_type": "talks"}) == []


def test_jsonl_export(exported_store) -> None:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    assert export(exported_store, buf, "jsonl") == 2
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert all(list(r) == list(COLUMN_NAMES) for r in rows)
    ceasefire, shelling = rows  # ordered by date
    assert ceasefire["process_type"] == "ceasefire" and ceasefire["status"] == "background"
    assert (shelling["fatalities_low"], shelling["fatalities"], shelling["fatalities_high"]) == (3, 4, 5)
    assert shelling["source"] == "Test Ledger"
    ev = shelling["evidence"][0]
    assert ev["text"] == "Shells hit homes in Souq al-Juma on Tuesday."
    assert ev["document_id"] == shelling["document_id"]
    assert shelling["event_id"] == export_ids(exported_store)[1]  # ids are stable across exports


def export_ids(store) -> list[str]:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    export(store, buf, "jsonl")
    return [json.loads(line)["event_id"] for line in buf.getvalue().splitlines()]


def test_csv_export(exported_store) -> None:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    export(exported_store, buf, "csv")
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert list(rows[0]) == list(COLUMN_NAMES)
    assert rows[1]["location"] == "Souq al-Juma" and rows[1]["latitude"] == "32.89"
    assert json.loads(rows[1]["evidence"])[0]["start"] > 0


def test_geojson_export(exported_store) -> None:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    export(exported_store, buf, "geojson")
    collection = json.loads(buf.getvalue())
    assert collection["type"] == "FeatureCollection" and collection["trucewatch_schema"] == SCHEMA_VERSION
    geometries = [f["geometry"] for f in collection["features"]]
    assert geometries == [None, {"type": "Point", "coordinates": [13.24, 32.89]}]


def test_document_export(exported_store) -> None:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    assert export(exported_store, buf, "jsonl", "documents") == 1
    doc = json.loads(buf.getvalue())
    assert doc["published"] == "2020-03-04" and doc["published_basis"] == "filename"
    assert doc["outlet"] == "Test Ledger" and "All rights reserved" not in doc["text"]
    with pytest.raises(ValueError):
        export(exported_store, io.StringIO(), "geojson", "documents")


def test_empty_exports_are_valid(store) -> None:  # type: ignore[no-untyped-def]
    buf = io.StringIO()
    assert export(store, buf, "geojson") == 0
    assert json.loads(buf.getvalue())["features"] == []
