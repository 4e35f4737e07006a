"""The places stage on bad indexes, damaged dumps, odd text and long documents."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import zipfile
from contextlib import closing
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH
from trucewatch.extract.places.build import _airport_id, _is_user_cache
from trucewatch.extract.places.geonames_dump import import_geonames
from trucewatch.extract.places.gazetteer import BUILD_VERSION, Gazetteer, GazetteerError, forget, open_gazetteer
from trucewatch.extract.places.model import Entry
from trucewatch.extract.places.resolve import _AnchorGrid
from trucewatch.extract.places.tagger import tag_places


def _row(geonameid: int, name: str, code: str, country: str, admin1: str, lat: str, lon: str) -> str:
    fields = [str(geonameid), name, name, "", lat, lon, "A", code, country, "", admin1, "", "", "", "1000",
              "", "0", "", "2020-01-01"]
    return "\t".join(fields)


@pytest.fixture
def index_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "gazetteer.sqlite"
    shutil.copyfile(open_gazetteer().path, copy)
    return copy


def test_import_keeps_our_demonyms_and_short_forms(index_copy: Path, tmp_path: Path) -> None:
    before = Gazetteer(index_copy)
    libya = before.search("Libya")[0]
    kentucky = next(e for e in before.search("Kentucky") if e.feature_code == "ADM1")
    before.close()
    dump = tmp_path / "LY.txt"
    dump.write_text(_row(libya.geonameid, "Libya", "PCLI", "LY", "00", "28.0", "17.0") + "\n"
                    + _row(kentucky.geonameid, "Kentucky", "ADM1", "US", "KY", "37.5", "-85.0") + "\n",
                    encoding="utf-8")
    report = import_geonames(dump, index_copy)
    assert report.places == 2 and report.errors == []
    after = Gazetteer(index_copy)
    assert [e.geonameid for e in after.search("Libyan")] == [libya.geonameid]
    assert after.search("Ky.")[0].geonameid == kentucky.geonameid
    after.close()


@pytest.mark.parametrize("content", [b"", b"this is not a database at all" * 100])
def test_a_broken_index_is_reported_with_its_path(tmp_path: Path, content: bytes) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(content)
    with pytest.raises(GazetteerError, match="broken.sqlite"):
        Gazetteer(broken)
    forget(broken)
    with pytest.raises(GazetteerError):
        open_gazetteer(broken)
    with pytest.raises(GazetteerError):  # remembered: a pipeline does not retry for every document
        open_gazetteer(broken)
    forget(broken)
    result = subprocess.run([TRUCEWATCH, "tag", "places", "-", "--gazetteer", str(broken), "--no-ner"],
                            input="Fighting near Sirte.", capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "broken.sqlite" in result.stderr and "Traceback" not in result.stderr


def test_an_index_from_another_version_is_refused(index_copy: Path) -> None:
    with closing(sqlite3.connect(index_copy)) as conn:
        conn.execute("UPDATE meta SET value = 'old' WHERE key = 'build_version'")
        conn.commit()
    with pytest.raises(GazetteerError, match="another trucewatch version"):
        Gazetteer(index_copy)


def test_a_damaged_zip_stops_cleanly(tmp_path: Path) -> None:
    lines = "".join(_row(990700000 + i, f"Bir Zaytun {i}", "PPL", "LY", "", "31.0", "15.0") + "\n"
                    for i in range(3000))
    archive = tmp_path / "LY.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("LY.txt", lines)
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)  # corrupt the compressed stream
    archive.write_bytes(bytes(data))
    index = tmp_path / "small.sqlite"
    report = import_geonames(archive, index, batch=500)
    assert report.fatal is not None and "LY.zip" in report.fatal
    assert report.places == 0
    with closing(sqlite3.connect(index)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM places").fetchone()[0] == 0


def test_only_our_own_cache_is_cleaned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRUCEWATCH_GAZETTEER", str(tmp_path / "gazetteer-v9-x.sqlite"))
    assert not _is_user_cache(tmp_path / "gazetteer-v9-x.sqlite")


def test_airport_ids_come_from_their_icao_codes() -> None:
    assert _airport_id("EGLL") == _airport_id("egll") != _airport_id("HLLM")
    assert _airport_id("") is None and _airport_id("EGL") is None


def test_nearest_anchor_across_the_date_line() -> None:
    grid = _AnchorGrid()
    fiji = Entry(1, "Suva", -18.14, 178.44, "P", "PPLC", "FJ", "", 80000, "test")
    grid.add("suva", fiji)
    samoa_side = Entry(2, "Somewhere", -18.0, -179.5, "P", "PPL", "FJ", "", 100, "test")
    near = grid.nearest(samoa_side, "somewhere")
    assert near is not None and near < 250
    assert grid.nearest(fiji, "suva") is None  # a name is not its own anchor


def test_odd_text_does_not_crash() -> None:
    for text in ["", "   ", "!!! ??? ...", "Tripoli \ud800 Benghazi", "x" * 5000, "\x00\x01 Sirte \x02",
                 "في طَرابُلُس"]:
        places = tag_places(text)
        for p in places:
            assert text[p.start : p.end] == p.text
    assert [p.country for p in tag_places("في طَرابُلُس")] == ["LY"]


def test_a_long_text_is_read_to_the_end() -> None:
    filler = "Nothing of note happened in the meeting room that day.\n\n" * 2200  # over 100,000 characters
    text = filler + "Later, shelling hit Gharyan, south of Tripoli."
    assert len(text) > 100_000
    places = tag_places(text, lang="en")
    assert {p.text for p in places} >= {"Gharyan", "Tripoli"}
    assert all(text[p.start : p.end] == p.text for p in places)


def test_the_test_index_is_this_version() -> None:
    assert open_gazetteer().meta()["build_version"] == BUILD_VERSION
    assert os.environ["TRUCEWATCH_GAZETTEER"].endswith(".sqlite")


def test_a_qualifier_keeps_its_evidence_span() -> None:
    text = "Clashes broke out on the outskirts of Sirte, and shells fell south of Tripoli."
    by_text = {p.text: p for p in tag_places(text, lang="en")}
    for name, words in (("Sirte", "outskirts of"), ("Tripoli", "south of")):
        place = by_text[name]
        assert place.qualifier == words and place.geo_precision == 2
        start, end = place.qualifier_span
        assert text[start:end] == words


def test_a_container_after_in_decides_the_place() -> None:
    assert [p.country for p in tag_places("Protesters gathered in Tripoli in northern Lebanon.", lang="en")
            if p.text == "Tripoli"] == ["LB"]
    assert [p.country for p in tag_places("Protesters gathered in Tripoli on Friday.", lang="en")
            if p.text == "Tripoli"] == ["LY"]


def test_two_ambiguous_names_settle_each_other() -> None:
    alone = tag_places("The new library opened in Edmonton on Monday.", lang="en")
    assert [p.country for p in alone] == ["CA"]
    together = tag_places("The new library opened in Edmonton on Monday, and a second branch will open "
                          "in Enfield next month.", lang="en")
    assert [(p.text, p.country) for p in together] == [("Edmonton", "GB"), ("Enfield", "GB")]
