"""The places stage in the pipeline: stored ``place`` annotations, on SQLite and PostgreSQL.

Ingests two small texts of our own (English and Arabic), runs ``process`` with the
``places`` stage, and checks the stored spans, values and stage runs; re-running
replaces annotations instead of doubling them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trucewatch.documents.ingest import ingest
from trucewatch.pipeline.registry import BUILTIN, build_stages
from trucewatch.pipeline.runner import process
from trucewatch.pipeline.stage import DocumentInput
from trucewatch.extract.places.gazetteer import open_gazetteer
from trucewatch.extract.places.stage import PLACE_KEYS, PlacesStage
from trucewatch.store.schema import Annotation as AnnotationRow
from trucewatch.store.schema import Document, StageRun

ENGLISH = (
    "Truce holds around the Libyan capital\n\n"
    "Monitors said on Wednesday that the front south of Tripoli had been quiet for two days. "
    "Officials in Misrata said trucks with aid had reached Sirte, and the Tripoli-based government "
    "welcomed the calm."
)
ARABIC = {
    "title": "هدوء حذر في ترهونة",
    "text": "قال سكان في ترهونة وفي غريان إن الهدوء عاد بعد اشتباكات استمرت يومين.",
    "language": "ar",
}


@pytest.fixture(scope="module", autouse=True)
def built_index() -> None:
    open_gazetteer()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps(ARABIC, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def _docs(store) -> dict[str, Document]:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        docs = list(session.scalars(select(Document)))
        session.expunge_all()
    return {("english" if d.source_path.endswith("english.txt") else "arabic"): d for d in docs}


def _places(store, doc_id: str) -> list[AnnotationRow]:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        rows = list(session.scalars(
            select(AnnotationRow)
            .where(AnnotationRow.document_id == doc_id, AnnotationRow.stage == "places", AnnotationRow.kind == "place")
            .order_by(AnnotationRow.start, AnnotationRow.id)
        ))
        session.expunge_all()
    return rows


def _counts(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        annotations = session.scalar(
            select(func.count()).select_from(AnnotationRow).where(AnnotationRow.stage == "places"))
        runs = session.scalar(select(func.count()).select_from(StageRun).where(StageRun.stage == "places"))
    return annotations, runs


def test_places_stage_is_built_in() -> None:
    assert "places" in [cls.name for cls in BUILTIN]
    assert [s.name for s in build_stages(["places"])] == ["places"]


def test_stage_stores_place_annotations(store, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    ingest(store, [str(corpus)])
    summary = process(store, ["places"])
    assert (summary.documents, summary.errors) == (2, [])
    docs = _docs(store)

    for doc in docs.values():
        rows = _places(store, doc.id)
        assert rows, doc.source_path
        for r in rows:
            assert r.kind == "place"
            assert r.stage_version == PlacesStage().version
            assert doc.text[r.start : r.end] == r.text
            assert set(r.value) == set(PLACE_KEYS)
            assert 0 <= r.value["confidence"] <= 1

    english = _places(store, docs["english"].id)
    tripoli = [r for r in english if r.text == "Tripoli"]
    assert len(tripoli) == 2
    assert {r.value["country"] for r in tripoli} == {"LY"}
    assert len({r.value["geonameid"] for r in tripoli}) == 1 and isinstance(tripoli[0].value["geonameid"], int)
    assert [r.value["role"] for r in tripoli] == ["location", "modifier"]
    assert tripoli[0].value["geo_precision"] == 2 and tripoli[0].value["qualifier"]  # "south of Tripoli"
    by_text = {r.text: r.value for r in english}
    assert by_text["Misrata"]["country"] == "LY" and by_text["Sirte"]["country"] == "LY"
    assert by_text["Sirte"]["geo_precision"] == 1
    assert isinstance(by_text["Sirte"]["alternatives"], list)

    arabic = {r.text: r.value for r in _places(store, docs["arabic"].id)}
    assert arabic["ترهونة"]["country"] == "LY" and arabic["غريان"]["country"] == "LY"

    with store.sessions() as session:
        runs = list(session.scalars(select(StageRun).where(StageRun.stage == "places")))
        assert len(runs) == 2
        assert [(r.status, r.error) for r in runs] == [("ok", None), ("ok", None)]
        assert {r.document_id for r in runs} == {doc.id for doc in docs.values()}
        assert {r.version for r in runs} == {PlacesStage().version}


def test_rerunning_replaces_place_annotations(store, corpus: Path) -> None:  # type: ignore[no-untyped-def]
    ingest(store, [str(corpus)])
    process(store, ["places"])
    first = _counts(store)
    assert first[0] >= 6 and first[1] == 2
    assert process(store, ["places"]).documents == 0  # nothing new
    assert _counts(store) == first
    again = process(store, ["places"], reprocess=True)
    assert (again.documents, again.errors) == (2, [])
    assert _counts(store) == first


def test_stage_process_directly() -> None:
    text = "Aid convoys left Benghazi for the outskirts of Sirte on Monday."
    out = PlacesStage().process(DocumentInput("d", text, "en", None, "unknown"), {})
    places = [a for a in out.annotations if a.kind == "place"]
    assert [(a.kind, a.text) for a in places] == [("place", "Benghazi"), ("place", "Sirte")]
    # any other annotation is an NER entity passed on for the actors stage
    assert all(a.kind == "entity" and a.value["label"] in ("PERSON", "ORG", "NORP")
               for a in out.annotations if a.kind != "place")
    for a in places:
        assert text[a.start : a.end] == a.text and a.value["country"] == "LY"
    assert places[1].value["qualifier"] == "outskirts of"
    assert "NER" in PlacesStage.describe()


def test_a_place_the_model_calls_a_person_is_not_passed_on_as_one() -> None:
    from trucewatch.text.ner import load_ner

    if load_ner()[0] is None:
        pytest.skip("no NER model installed")
    text = "A medical student who fell ill in Nottingham told his doctor about the trip."
    out = PlacesStage().process(DocumentInput("d", text, "en", None, "unknown"), {})
    assert [a.text for a in out.annotations if a.kind == "place"] == ["Nottingham"]
    assert not [a for a in out.annotations if a.kind == "entity" and a.text == "Nottingham"]


def test_an_entity_that_differs_from_a_place_only_by_its_article_is_not_passed_on() -> None:
    from trucewatch.extract.places.stage import _is_place

    text = "Government forces attacked al-Watiyah air base on Monday; the Tripoli Ledger reported it."
    watiya = (text.index("Watiyah"), text.index(" on Monday"))
    tripoli = (text.index("Tripoli"), text.index("Tripoli") + len("Tripoli"))
    assert _is_place(text, text.index("al-Watiyah"), text.index(" air base"), [watiya])
    # an organisation named for a place keeps its other words: it stays an entity
    assert not _is_place(text, tripoli[0], text.index(" reported"), [tripoli])
