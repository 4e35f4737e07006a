"""``trucewatch tag time``: one text (JSON or TimeML) or a --jsonl batch."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.clitools import run

REPORT = (
    "Truce monitors meet\n\n"
    "The monitoring committee met on Monday and will meet again next week. "
    "The ceasefire was signed on January 12 after clashes that began in early April 2019."
)


def _json(stdout: str) -> dict:
    return json.loads(stdout)


def _times(result: dict) -> dict[str, dict]:
    return {t["text"]: t for t in result["times"]}


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_single_document_json(report: Path) -> None:
    done = run("tag", "time", str(report))
    assert done.returncode == 0, done.stderr
    result = _json(done.stdout)
    assert result["id"] == str(report)
    assert set(result) == {"id", "published", "published_basis", "anchor", "times"}
    assert result["published_basis"] in ("inferred", "unknown")
    assert result["anchor"]["basis"] in ("inferred", "unknown")
    times = _times(result)
    assert {"Monday", "next week", "January 12", "early April 2019"} <= set(times)
    assert times["early April 2019"]["value"] == "2019-04" and times["early April 2019"]["mod"] == "START"
    for t in result["times"]:
        assert REPORT[t["start"] : t["end"]] == t["text"]
        assert {"start", "end", "text", "type", "value", "granularity"} <= set(t)


def test_published_anchors_relative_expressions(report: Path) -> None:
    done = run("tag", "time", str(report), "--published", "2020-02-05")
    assert done.returncode == 0, done.stderr
    result = _json(done.stdout)
    assert (result["published"], result["published_basis"]) == ("2020-02-05", "given")
    assert result["anchor"]["value"] == "2020-02-05" and result["anchor"]["basis"] == "given"
    times = _times(result)
    assert times["Monday"]["value"] == "2020-02-03" and times["Monday"]["anchor"] == "2020-02-05"
    assert times["next week"]["value"] == "2020-W07"
    assert times["January 12"]["value"] == "2020-01-12"


def test_a_year_only_published_bounds_inference(tmp_path: Path) -> None:
    path = tmp_path / "friday.txt"
    path.write_text("The envoy said on Friday that the talks began on June 3.", encoding="utf-8")
    result = _json(run("tag", "time", str(path), "--published", "2021").stdout)
    # the year bounds the guess, which is still not sure enough to be claimed as the date
    assert (result["published"], result["published_basis"]) == (None, "unknown")
    assert result["anchor"]["basis"] == "inferred" and result["anchor"]["value"].startswith("2021-06-")
    assert result["anchor"]["confidence"] < 0.7
    assert _times(result)["June 3"]["value"] == "2021-06-03"


def test_timeml_parses_and_gives_back_the_text(tmp_path: Path) -> None:
    text = ("Trêve & négociations <Genève>\r\n\n"
            "Delegates said on Monday that \"talks\" would resume next week. The truce was signed on January 12.\n")
    path = tmp_path / "odd.txt"
    path.write_bytes(text.encode("utf-8"))
    done = run("tag", "time", str(path), "--published", "2020-02-05", "--format", "timeml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<?xml")
    root = ET.fromstring(done.stdout.encode("utf-8"))
    assert root.tag == "TimeML"
    dct = root.find("DCT/TIMEX3")
    assert dct is not None and dct.get("value") == "2020-02-05" and dct.get("functionInDocument") == "CREATION_TIME"
    body = root.find("TEXT")
    assert body is not None
    assert "".join(body.itertext()) == text
    timexes = {t.text: t for t in body.iter("TIMEX3")}
    assert timexes["Monday"].get("value") == "2020-02-03" and timexes["Monday"].get("type") == "DATE"
    assert timexes["next week"].get("value") == "2020-W07"
    assert timexes["January 12"].get("value") == "2020-01-12"
    assert len({t.get("tid") for t in root.iter("TIMEX3")}) == len(list(root.iter("TIMEX3")))


def test_timeml_carries_mod_and_works_without_a_date(tmp_path: Path) -> None:
    path = tmp_path / "nodate.txt"
    path.write_text("Clashes began in early April 2019 and the truce held overnight.", encoding="utf-8")
    done = run("tag", "time", str(path), "--format", "timeml")
    assert done.returncode == 0, done.stderr
    root = ET.fromstring(done.stdout.encode("utf-8"))
    (timex,) = root.find("TEXT").iter("TIMEX3")  # type: ignore[union-attr]
    assert (timex.text, timex.get("value"), timex.get("mod")) == ("early April 2019", "2019-04", "START")
    assert "".join(root.find("TEXT").itertext()) == path.read_text(encoding="utf-8")  # type: ignore[union-attr]


def test_jsonl_batch_goes_on_after_a_broken_line() -> None:
    stdin = "\n".join([
        json.dumps({"id": "no-date", "text": "The envoy said on Friday that the talks, delayed since March 2020, began on June 3."}),
        "{this is not json",
        json.dumps({"id": 7, "text": "Shelling resumed on Monday.", "published": "2020-02-05"}),
        json.dumps({"id": "nothing", "text": "Residents said the night was quiet."}),
    ])
    done = run("tag", "time", "--jsonl", stdin=stdin)
    assert done.returncode == 1
    assert "<stdin>:2:" in done.stderr and "invalid JSON" in done.stderr
    assert "<stdin>:1:" not in done.stderr and "<stdin>:3:" not in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["no-date", 7, "nothing"]
    for row in rows:
        assert {"id", "published", "published_basis", "times"} <= set(row)
    first, given, nothing = rows
    assert (first["published"], first["published_basis"]) == (None, "unknown")  # a low-confidence guess
    assert (first["anchor"]["value"], first["anchor"]["basis"]) == ("2020-06-05", "inferred")
    assert _times(first)["Friday"]["value"] == "2020-06-05"
    assert (given["published"], given["published_basis"]) == ("2020-02-05", "given")
    assert _times(given)["Monday"] == {"start": 20, "end": 26, "text": "Monday", "type": "DATE", "value": "2020-02-03",
                                       "granularity": "day", "anchor": "2020-02-05"}
    assert (nothing["published"], nothing["published_basis"], nothing["times"]) == (None, "unknown", [])


def test_jsonl_batch_from_a_file_uses_published_as_default(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "text": "The truce held on Monday."}),
        json.dumps({"id": "b", "text": "The truce held on Monday.", "published": "2020-03-04"}),
    ]) + "\n", encoding="utf-8")
    done = run("tag", "time", str(path), "--jsonl", "--published", "2020-02-05")
    assert done.returncode == 0, done.stderr
    a, b = (json.loads(line) for line in done.stdout.splitlines())
    assert _times(a)["Monday"]["value"] == "2020-02-03"
    assert _times(b)["Monday"]["value"] == "2020-03-02"  # the line's own date wins


@pytest.mark.parametrize("bad", ["2020-02-30", "5 Feb 2020", "2020/02/05", "20-02-05", ""])
def test_bad_published_is_a_usage_error(report: Path, bad: str) -> None:
    done = run("tag", "time", str(report), "--published", bad)
    assert done.returncode == 2
    assert "--published" in done.stderr and "YYYY-MM-DD" in done.stderr
    assert done.stdout == ""


def test_bad_format_is_a_usage_error(report: Path) -> None:
    assert run("tag", "time", str(report), "--format", "xml").returncode == 2
    assert run("tag", "time", str(report), "--jsonl", "--format", "timeml").returncode == 2


def test_missing_file(tmp_path: Path) -> None:
    done = run("tag", "time", str(tmp_path / "absent.txt"))
    assert done.returncode == 1 and "no such file" in done.stderr


def test_stdin_input() -> None:
    done = run("tag", "time", "-", "--published", "2020-02-05", stdin="Fighting stopped last Saturday.")
    assert done.returncode == 0, done.stderr
    result = _json(done.stdout)
    assert result["id"] == "-"
    assert _times(result)["last Saturday"]["value"] == "2020-02-01"


def test_spans_count_characters_not_bytes(tmp_path: Path) -> None:
    text = "طرابلس — Trêve fragile: « cessez-le-feu » 🕊️ signed on January 12, monitors said on Monday."
    path = tmp_path / "mixed.txt"
    path.write_text(text, encoding="utf-8")
    for args in ((str(path),), ("-",)):
        done = run("tag", "time", *args, "--published", "2020-02-05", "--lang", "en",
                   stdin=text if args == ("-",) else None)
        assert done.returncode == 0, done.stderr
        times = _json(done.stdout)["times"]
        assert [t["text"] for t in times] == ["January 12", "Monday"]
        for t in times:
            assert text[t["start"] : t["end"]] == t["text"]
    batch = run("tag", "time", "--jsonl", "--lang", "en",
                stdin=json.dumps({"id": 1, "text": text, "published": "2020-02-05"}, ensure_ascii=False))
    assert batch.returncode == 0, batch.stderr
    for t in json.loads(batch.stdout)["times"]:
        assert text[t["start"] : t["end"]] == t["text"]


def test_a_confident_inference_is_printed_as_published() -> None:
    # a yearless dateline and the weekday named agree in one year after the latest named (2021)
    text = ("MISRATA, March 12 (Coastal Wire) - Rockets hit the port on Friday, harbour officials said, "
            "a year after the truce of June 2020 was signed.")
    done = run("tag", "time", "-", stdin=text)
    assert done.returncode == 0, done.stderr
    result = _json(done.stdout)
    assert (result["published"], result["published_basis"]) == ("2021-03-12", "inferred")
    assert result["anchor"]["confidence"] >= 0.7
