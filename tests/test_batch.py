"""The --jsonl batch contract shared by every stage command."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from tests.clitools import run
from trucewatch.batch import BatchError, parse_line, run_batch


def test_parse_line_accepts_the_contract() -> None:
    item = parse_line('{"id": 7, "text": "Talks resumed.", "published": "2020-02-03"}', 4)
    assert (item.id, item.text, item.published, item.line) == (7, "Talks resumed.", date(2020, 2, 3), 4)
    assert parse_line('{"id": "a", "text": ""}', 1).published is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": "x"}', '"id"'),
        ('{"id": true, "text": "x"}', '"id"'),
        ('{"id": 1}', '"text"'),
        ('{"id": 1, "text": 5}', '"text"'),
        ('{"id": 1, "text": "x", "published": "3 Feb 2020"}', "YYYY-MM-DD"),
        ('{"id": 1, "text": "x", "published": 20200203}', "YYYY-MM-DD"),
    ],
)
def test_parse_line_rejects(raw: str, message: str) -> None:
    with pytest.raises(BatchError, match=message):
        parse_line(raw, 1)


def test_run_batch_keeps_ids_order_and_goes_on_after_errors() -> None:
    lines = "\n".join([
        json.dumps({"id": "first", "text": "one two"}),
        "{broken",
        "",
        json.dumps({"id": 3, "text": "three words here"}),
        json.dumps({"id": "explodes", "text": "x"}),
    ])
    out, err = io.StringIO(), io.StringIO()

    def handler(item):  # type: ignore[no-untyped-def]
        if item.id == "explodes":
            raise RuntimeError("handler failed")
        return {"words": len(item.text.split()), "id": "must not override"}

    result = run_batch(io.StringIO(lines), out, err, handler, name="in.jsonl")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [{"id": "first", "words": 2}, {"id": 3, "words": 3}]
    assert (result.processed, result.errors) == (2, 2)
    assert err.getvalue().splitlines()[0].startswith("in.jsonl:2: invalid JSON")
    assert err.getvalue().splitlines()[1].startswith("in.jsonl:5: RuntimeError: handler failed")


def test_cli_tag_sentences_jsonl() -> None:
    stdin = "\n".join([
        json.dumps({"id": "d1", "text": "The truce held. Talks resume on Monday.", "published": "2020-02-03"}),
        json.dumps({"id": "d2"}),
        json.dumps({"id": "d3", "text": "Une phrase. Deux phrases."}),
    ])
    done = run("tag", "sentences", "--jsonl", stdin=stdin)
    assert done.returncode == 1, done.stderr  # one bad line
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["d1", "d3"]
    assert rows[0]["sentences"] == [
        {"start": 0, "end": 15, "text": "The truce held."},
        {"start": 16, "end": 39, "text": "Talks resume on Monday."},
    ]
    assert "<stdin>:2:" in done.stderr


def test_cli_tag_language_file_and_batch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ar.txt"
    path.write_text("أعلنت الأمم المتحدة أن المحادثات العسكرية بدأت في جنيف يوم الاثنين", encoding="utf-8")
    done = run("tag", "language", str(path))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["language"] == "ar"
    batch = run("tag", "language", "--jsonl", stdin=json.dumps({"id": 1, "text": "Les pourparlers ont repris lundi à Genève."}))
    assert batch.returncode == 0 and json.loads(batch.stdout) == {"id": 1, "language": "fr", "confidence": json.loads(batch.stdout)["confidence"]}
