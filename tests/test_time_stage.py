"""The time stage in the pipeline: stored expressions, inferred dates, metadata dates kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from trucewatch.documents.ingest import ingest
from trucewatch.pipeline.registry import BUILTIN, build_stages
from trucewatch.pipeline.runner import process
from trucewatch.pipeline.stage import DocumentInput
from trucewatch.store.schema import Annotation as AnnotationRow
from trucewatch.store.schema import Document, StageRun
from trucewatch.extract.time.infer import CONFIDENT_DAY, claimed_day
from trucewatch.extract.time.model import Anchor
from trucewatch.extract.time.stage import TIME_KEYS, TimeStage

UNDATED = (
    "Envoy reports progress in ceasefire talks\n\n"
    "GENEVA — The envoy said on Friday that the talks began on June 3 and will continue next week. "
    "Fighting around the capital has gone on since April 2019, and the council backed the process "
    "in Resolution 2510 (2020)."
)
DATED = {
    "title": "Monitors report calm",
    "text": "Talks resumed on Monday after a pause, and the monitors will report next week. "
            "The truce was agreed on January 12 in Moscow.",
    "published": "2020-02-05",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "undated.txt").write_text(UNDATED, encoding="utf-8")
    (folder / "feed.jsonl").write_text(json.dumps(DATED) + "\n", encoding="utf-8")
    return folder


def _docs(store) -> dict[str, Document]:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        docs = list(session.scalars(select(Document)))
        session.expunge_all()
    return {("undated" if d.source_path.endswith("undated.txt") else "dated"): d for d in docs}


def _annotations(store, doc_id: str, kind: str | None = None) -> list[AnnotationRow]:  # type: ignore[no-untyped-def]
    with store.sessions() as session:
        query = select(AnnotationRow).where(AnnotationRow.document_id == doc_id, AnnotationRow.stage == "time")
        if kind:
            query = query.where(AnnotationRow.kind == kind)
        rows = list(session.scalars(query.order_by(AnnotationRow.start, AnnotationRow.id)))
        session.expunge_all()
    return rows


def _by_text(rows: list[AnnotationRow]) -> dict[str, dict]:
    return {r.text: r.value for r in rows}


def test_time_stage_is_built_in_after_sentences() -> None:
    names = [cls.name for cls in BUILTIN]
    assert names.index("time") == names.index("sentences") + 1
    assert [s.name for s in build_stages(["time"])] == ["time"]


def test_stage_infers_dates_and_keeps_metadata(store, corpus: Path) -> None:
    ingest(store, [str(corpus)])
    before = _docs(store)
    assert before["undated"].published_basis == "unknown"
    assert (before["dated"].published, before["dated"].published_basis) == ("2020-02-05", "metadata")

    summary = process(store, ["time"])
    assert (summary.documents, summary.errors) == (2, [])
    docs = _docs(store)

    undated = docs["undated"]
    # its day is only a guess (a weekday after "June 3", the year a floor): kept in the
    # annotation with its confidence, never on the document as if the source had given it
    assert (undated.published, undated.published_basis, undated.published_precision) == (None, "unknown", None)
    dated = docs["dated"]
    assert (dated.published, dated.published_basis, dated.published_precision) == ("2020-02-05", "metadata", "day")

    for doc in docs.values():
        rows = _annotations(store, doc.id)
        times = [r for r in rows if r.kind == "time"]
        assert times, doc.source_path
        for r in rows:
            assert doc.text[r.start : r.end] == r.text
        for r in times:
            assert set(r.value) == set(TIME_KEYS)

    found = _by_text(_annotations(store, undated.id, "time"))
    assert found["Friday"]["value"] == "2020-06-05"
    assert found["June 3"]["value"] == "2020-06-03"
    assert found["April 2019"]["value"] == "2019-04"
    assert found["next week"]["value"] == "2020-W24"
    assert "2510" not in found and "Resolution 2510" not in found

    found = _by_text(_annotations(store, dated.id, "time"))
    assert found["Monday"] == {"type": "DATE", "value": "2020-02-03", "granularity": "day", "mod": None,
                               "anchor": "2020-02-05", "freq": None, "quant": None, "alternatives": None}
    assert found["next week"]["value"] == "2020-W07"
    assert found["January 12"]["value"] == "2020-01-12"

    (pub,) = _annotations(store, undated.id, "publication_date")
    assert pub.value["value"] == "2020-06-05" and pub.value["basis"] == "inferred"
    assert pub.value["confidence"] < CONFIDENT_DAY and pub.value["high"] is None  # the year is only a floor
    assert pub.text in pub.value["evidence"] and pub.end > pub.start
    (pub,) = _annotations(store, dated.id, "publication_date")
    assert (pub.start, pub.end, pub.text) == (0, 0, "")
    assert pub.value["value"] == "2020-02-05" and pub.value["basis"] == "metadata"


def test_rerunning_replaces_annotations(store, corpus: Path) -> None:
    ingest(store, [str(corpus)])
    process(store)

    def counts() -> tuple[int, int]:
        with store.sessions() as session:
            time = session.scalar(select(func.count()).select_from(AnnotationRow).where(AnnotationRow.stage == "time"))
            runs = session.scalar(select(func.count()).select_from(StageRun).where(StageRun.stage == "time"))
        return time, runs

    first = counts()
    assert first[0] > 2 and first[1] == 2
    assert process(store).documents == 0  # nothing new
    again = process(store, ["time"], reprocess=True)
    assert (again.documents, again.errors) == (2, [])
    assert counts() == first
    docs = _docs(store)
    assert (docs["undated"].published, docs["undated"].published_basis) == (None, "unknown")
    assert (docs["dated"].published, docs["dated"].published_basis) == ("2020-02-05", "metadata")


# a yearless dateline and the weekday the report names agree in one year only after the
# latest year named (12 March fell on a Friday in 2021): an inference made with confidence
CONFIDENT = ("MISRATA, March 12 (Coastal Wire) - Rockets hit the port on Friday, harbour officials said, "
             "a year after the truce of June 2020 was signed.")


def test_a_confident_inference_is_written_on_the_document(store, tmp_path: Path) -> None:
    (tmp_path / "confident.txt").write_text(CONFIDENT, encoding="utf-8")
    ingest(store, [str(tmp_path / "confident.txt")])
    assert process(store, ["time"]).errors == []
    with store.sessions() as session:
        (doc,) = session.scalars(select(Document))
        assert (doc.published, doc.published_basis, doc.published_precision) == ("2021-03-12", "inferred", "day")
        (pub,) = session.scalars(select(AnnotationRow).where(AnnotationRow.kind == "publication_date"))
        assert pub.value["confidence"] >= CONFIDENT_DAY and pub.value["evidence"] == ["March 12", "Friday"]


def _run(text: str, published: str | None, basis: str, language: str | None = "en"):  # type: ignore[no-untyped-def]
    return TimeStage().process(DocumentInput("d", text, language, published, basis), {})


SHORT = "The monitors said on Friday that the truce agreed on June 3 had held. Clashes began in April 2019."


@pytest.mark.parametrize("basis", ["metadata", "filename", "dateline"])
def test_a_given_day_is_the_anchor_and_is_never_rewritten(basis: str) -> None:
    out = _run(SHORT, "2021-06-09", basis)
    assert out.document == {}
    times = {a.text: a.value for a in out.annotations if a.kind == "time"}
    assert times["Friday"]["value"] == "2021-06-04"
    assert times["June 3"]["value"] == "2021-06-03"
    (pub,) = [a for a in out.annotations if a.kind == "publication_date"]
    assert pub.value["value"] == "2021-06-09" and pub.value["basis"] == basis


def test_a_datetime_anchors_on_its_local_day() -> None:
    out = _run(SHORT, "2021-06-09T23:30:00+02:00", "metadata")
    assert out.document == {}
    times = {a.text: a.value for a in out.annotations if a.kind == "time"}
    assert times["Friday"]["value"] == "2021-06-04"


def test_a_year_only_date_bounds_inference_and_is_kept() -> None:
    out = _run(SHORT, "2021", "metadata")
    assert out.document == {}  # a metadata date, even a coarse one, is the source's word
    (pub,) = [a for a in out.annotations if a.kind == "publication_date"]
    assert pub.value["basis"] == "inferred" and pub.value["value"].startswith("2021-06-")


def test_a_low_confidence_guess_is_kept_in_the_annotation_only() -> None:
    out = _run(SHORT, None, "unknown")  # the latest year named is 2019: its Friday after June 3
    assert out.document == {}
    (pub,) = [a for a in out.annotations if a.kind == "publication_date"]
    assert (pub.value["value"], pub.value["basis"]) == ("2019-06-07", "inferred")
    assert pub.value["confidence"] < CONFIDENT_DAY
    assert SHORT[pub.start : pub.end] == pub.text and pub.text in pub.value["evidence"]


def test_a_confident_inference_is_written() -> None:
    out = _run(CONFIDENT, None, "unknown")
    assert out.document == {"published": "2021-03-12", "published_basis": "inferred", "published_precision": "day"}
    (pub,) = [a for a in out.annotations if a.kind == "publication_date"]
    assert (pub.value["low"], pub.value["high"]) == ("2021-03-12", "2021-03-13")


def test_a_dateline_with_its_year_is_written_as_dateline() -> None:
    out = _run("TRIPOLI, June 5, 2020 (Coastal Wire) - The truce held overnight.", None, "unknown")
    assert out.document == {"published": "2020-06-05", "published_basis": "dateline", "published_precision": "day"}


@pytest.mark.parametrize(("anchor", "claimed"), [
    (Anchor("2020-06-05", "inferred", CONFIDENT_DAY), ("2020-06-05", "inferred")),
    (Anchor("2020-06-05", "inferred", 0.69), (None, "unknown")),
    (Anchor("2020-06-05", "inferred", 0.9), ("2020-06-05", "inferred")),
    (Anchor(None, "inferred", 0.2, "2019-04-01"), (None, "unknown")),  # a floor, not a day
    (Anchor("2020-06-05", "metadata", 1.0), ("2020-06-05", "metadata")),
    (Anchor("2020-06-05", "dateline", 0.95), ("2020-06-05", "dateline")),
    (Anchor("2020-06", "given", 1.0), (None, "unknown")),  # a month is not a day
    (Anchor(None, "unknown", 0.0), (None, "unknown")),
])
def test_claimed_day(anchor: Anchor, claimed: tuple[str | None, str]) -> None:
    assert claimed_day(anchor) == claimed


def test_an_earlier_inference_is_redone() -> None:
    out = _run(CONFIDENT, "2018-01-01", "inferred")
    assert out.document["published"] == "2021-03-12"
    # an earlier inference the current rules make only with low confidence is taken off the document
    out = _run(SHORT, "2018-01-01", "inferred")
    assert out.document == {"published": None, "published_basis": "unknown", "published_precision": None}
    # a text that no longer tells its date loses the stale inferred one
    out = _run("The truce held overnight, residents said.", "2018-01-01", "inferred")
    assert out.document == {"published": None, "published_basis": "unknown", "published_precision": None}


def test_no_date_anywhere() -> None:
    out = _run("The truce held overnight, residents said.", None, "unknown")
    assert out.document == {}
    assert [(a.kind, a.start, a.end, a.text) for a in out.annotations] == [("publication_date", 0, 0, "")]
    assert out.annotations[0].value["basis"] == "unknown"


@pytest.mark.parametrize("language", ["fr", "ar", "de", None])
def test_other_languages_do_not_fail(language: str | None) -> None:
    text = "Le cessez-le-feu du 2020-06-03 tient toujours. الهدنة صامدة منذ 2020-06-03."
    out = _run(text, None, "unknown", language)
    for a in out.annotations:
        assert text[a.start : a.end] == a.text
