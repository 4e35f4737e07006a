"""The bundled demo corpus stays what the README and the demo promise."""

from __future__ import annotations

import json

from trucewatch.demo import DEMO_PARTS, demo_corpus
from trucewatch.documents.readers import ReadOptions, RawRecord, iter_inputs

FOOTER_MARK = "Written for the trucewatch demo; the outlet is fictional."


def _records() -> list[RawRecord]:
    items = list(iter_inputs([str(demo_corpus() / part) for part in DEMO_PARTS], ReadOptions()))
    assert all(isinstance(i, RawRecord) for i in items), [str(i) for i in items if not isinstance(i, RawRecord)]
    return items  # type: ignore[return-value]


def test_demo_corpus_size_and_mix() -> None:
    records = _records()
    assert 30 <= len(records) <= 40
    formats = [r.fmt for r in records]
    assert formats.count("html") >= 1 and formats.count("jsonl") >= 5


def test_every_demo_document_is_marked() -> None:
    for record in _records():
        if record.fmt == "txt":
            raw = record.raw.decode("cp1256" if "cp1256" in record.path else "utf-8")
            assert raw.rstrip().splitlines()[-1].endswith(FOOTER_MARK), record.path
        elif record.fmt == "jsonl":
            assert "trucewatch demo" in record.fields["demo_note"]
        elif record.fmt == "html":
            assert b"trucewatch demo" in record.raw
    assert (demo_corpus() / "README.md").is_file()


def test_demo_languages_and_encodings() -> None:
    paths = [r.path for r in _records()]
    assert sum("/arabic/" in p for p in paths) >= 3 and sum("/french/" in p for p in paths) >= 1
    cp1256 = [r for r in _records() if "arabic-cp1256" in r.path]
    assert len(cp1256) == 1
    try:
        cp1256[0].raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        raise AssertionError("the cp1256 demo file must not be valid UTF-8")


def test_demo_jsonl_has_the_batch_fields() -> None:
    for line in (demo_corpus() / "batch" / "reports.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert {"title", "text", "url", "published", "outlet"} <= set(record)
        assert ".example" in record["url"] or "example." in record["url"]
