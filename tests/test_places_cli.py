"""``trucewatch tag places`` (one text or a --jsonl batch) and ``gazetteer search|info``.

Runs the real console script against the shared test index (TRUCEWATCH_GAZETTEER,
set by conftest). Each call loads the NER model once (about a second).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH, run
from trucewatch.extract.places.gazetteer import open_gazetteer

REPORT = (
    "Ceasefire monitors visit western Libya\n\n"
    "The monitors travelled from Tripoli to Gharyan on Tuesday and said the front line near "
    "Tarhuna had been quiet since the weekend."
)
PLACE_KEYS = {"start", "end", "text", "name", "geonameid", "country", "admin1", "lat", "lon", "geo_precision",
              "confidence"}


@pytest.fixture(scope="module", autouse=True)
def built_index() -> None:
    open_gazetteer()  # build the shared index here, not inside a subprocess with a timeout


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def _wide(*args: str) -> subprocess.CompletedProcess[str]:
    """The console script with a terminal wide enough that rich truncates no table column."""
    return subprocess.run([TRUCEWATCH, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "COLUMNS": "250"})


def _by_text(result: dict) -> dict[str, dict]:
    return {p["text"]: p for p in result["places"]}


def test_tag_places_single_file(report: Path) -> None:
    done = run("tag", "places", str(report))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"id", "places"}
    assert result["id"] == str(report)
    for p in result["places"]:
        assert PLACE_KEYS <= set(p)
        assert REPORT[p["start"] : p["end"]] == p["text"]
        assert 0 <= p["confidence"] <= 1
    places = _by_text(result)
    assert {"Libya", "Tripoli", "Gharyan", "Tarhuna"} <= set(places)
    assert {p["country"] for p in result["places"]} == {"LY"}
    tripoli = places["Tripoli"]
    assert isinstance(tripoli["geonameid"], int) and tripoli["geo_precision"] == 1
    assert abs(tripoli["lat"] - 32.89) < 0.3 and abs(tripoli["lon"] - 13.19) < 0.3
    assert places["Tarhuna"]["geo_precision"] == 2  # "near Tarhuna"
    assert places["Libya"]["geo_precision"] == 3
    assert "warning" not in done.stderr  # the NER model is installed and verified here


def test_tag_places_from_stdin_with_no_ner() -> None:
    text = "Talks on the truce were held in Geneva, far from the front near Sirte in Libya."
    done = run("tag", "places", "-", "--no-ner", stdin=text)
    assert done.returncode == 0, done.stderr
    assert "NER model not used" not in done.stderr  # asked for: no warning
    result = json.loads(done.stdout)
    assert result["id"] == "-"
    places = _by_text(result)
    assert places["Geneva"]["country"] == "CH"
    assert places["Sirte"]["country"] == "LY"
    assert places["Libya"]["country"] == "LY"


def test_tag_places_country_option() -> None:
    done = run("tag", "places", "-", "--country", "lb", stdin="Gunmen clashed in Tripoli overnight.")
    assert done.returncode == 0, done.stderr
    assert _by_text(json.loads(done.stdout))["Tripoli"]["country"] == "LB"


def test_tag_places_jsonl_batch_with_a_bad_line() -> None:
    lines = [
        json.dumps({"id": "a1", "text": "Rockets hit a district of Benghazi on Sunday."}),
        '{"id": "broken", "text": "Shelling near Sirte',
        json.dumps({"id": "a3", "text": "قصفت مدفعية مواقع قرب مصراتة يوم الاثنين."}),
    ]
    done = run("tag", "places", "--jsonl", stdin="\n".join(lines) + "\n")
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a1", "a3"]
    assert "Benghazi" in _by_text(out[0]) and _by_text(out[0])["Benghazi"]["country"] == "LY"
    assert _by_text(out[1])["مصراتة"]["country"] == "LY"
    assert "<stdin>:2:" in done.stderr
    assert "<stdin>:1:" not in done.stderr and "<stdin>:3:" not in done.stderr


def test_tag_places_jsonl_file_no_ner(tmp_path: Path) -> None:
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"id": "x", "text": "Talks resumed in Tripoli, Libya."}) + "\n"
                     + json.dumps({"id": "y", "text": "Nothing was reported."}) + "\n", encoding="utf-8")
    done = run("tag", "places", str(batch), "--jsonl", "--no-ner")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["x", "y"]
    assert _by_text(out[0])["Tripoli"]["country"] == "LY"
    assert out[1]["places"] == []


def test_tag_places_missing_file(tmp_path: Path) -> None:
    done = run("tag", "places", str(tmp_path / "absent.txt"))
    assert done.returncode == 1
    assert "absent.txt" in done.stderr


def test_gazetteer_search_folds_spelling() -> None:
    done = _wide("gazetteer", "search", "Tarhouna")
    assert done.returncode == 0, done.stderr
    assert "Tarhuna" in done.stdout and "LY" in done.stdout
    arabic = _wide("gazetteer", "search", "تـرهونه")
    assert arabic.returncode == 0, arabic.stderr
    assert "Tarhuna" in arabic.stdout


def test_gazetteer_search_limit() -> None:
    done = _wide("gazetteer", "search", "Tripoli", "--limit", "2")
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 2
    assert all("│ LY " in row for row in rows)  # the most populous first: Libya's capital and district
    assert any("Tripoli" in row for row in rows)
    everything = _wide("gazetteer", "search", "Tripoli", "--limit", "50")
    assert "│ LB " in everything.stdout  # Lebanon's Tripoli is there further down


def test_gazetteer_info() -> None:
    done = run("gazetteer", "info")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["path"] == os.environ["TRUCEWATCH_GAZETTEER"]
    assert info["places"] > 200_000
    assert info["names"] > info["places"]
    assert info["size_bytes"] > 0
    assert info["ner"]["available"] is True
    assert info["meta"]["build_version"]


def test_gazetteer_unopenable_index_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder\n", encoding="utf-8")
    done = run("gazetteer", "info", "--gazetteer", str(blocker / "index.sqlite"))
    assert done.returncode == 2
    assert "cannot open the gazetteer" in " ".join(done.stderr.split())


def test_tag_places_jsonl_says_when_a_container_located_the_place() -> None:
    # "Abbasiya" is in the gazetteer only as another name of a town in Israel, far from Cairo
    line = json.dumps({"id": "c1", "text": "A church was attacked in Cairo's Abbasiya neighbourhood."})
    done = run("tag", "places", "--jsonl", "--no-ner", stdin=line + "\n")
    assert done.returncode == 0, done.stderr
    places = _by_text(json.loads(done.stdout.splitlines()[0]))
    assert places["Abbasiya"]["located_by"] == "container" and places["Abbasiya"]["country"] == "EG"
    assert places["Cairo"]["located_by"] is None
