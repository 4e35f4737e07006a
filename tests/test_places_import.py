"""Importing GeoNames dumps into a gazetteer index (``import_geonames``, ``gazetteer import``).

The library tests import into a tiny index of their own (a new file in ``tmp_path``:
the import creates the schema), never the full bundled one. The places are invented
(``tests/fixtures/places/geonames_ly_sample.txt``): "Qasr Zaytun" and its neighbours
do not exist. Covered: places and their alternate (Latin and Arabic) names become
searchable in any folded spelling, non-Latin/Arabic alternates are not indexed, an
ADM1 row fills the admin1 table, a re-import replaces rather than doubles, bad lines
are reported with file and line number while the good lines around them are kept,
zipped dumps, non-UTF-8 files and missing files. The CLI tests import into a copy of
the shared test index.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.clitools import TRUCEWATCH, run
from trucewatch.extract.places.geonames_dump import GEONAMES_COLUMNS, import_geonames, parse_dump_line
from trucewatch.extract.places.gazetteer import Gazetteer, open_gazetteer

FIXTURE = Path(__file__).parent / "fixtures" / "places" / "geonames_ly_sample.txt"
SAMPLE_IDS = {990100001, 990100002, 990100003, 990100004, 990100005}


def _row(geonameid: str, name: str, lat: str = "31.20000", lon: str = "14.50000", alternates: str = "",
         feature: tuple[str, str] = ("P", "PPL"), country: str = "LY", population: str = "300") -> str:
    fields = [geonameid, name, name, alternates, lat, lon, feature[0], feature[1], country, "", "99", "", "", "",
              population, "", "100", "Africa/Tripoli", "2023-11-02"]
    assert len(fields) == GEONAMES_COLUMNS
    return "\t".join(fields)


def _ids(found: tuple) -> set[int]:  # type: ignore[type-arg]
    return {e.geonameid for e in found}


def _table_counts(index: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(index)) as conn:
        places = conn.execute("SELECT COUNT(*) FROM places").fetchone()[0]
        names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    return places, names


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return tmp_path / "tiny.sqlite"


def test_fixture_is_a_well_formed_dump() -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(SAMPLE_IDS)
    for line in lines:
        entry, names = parse_dump_line(line)
        assert entry.geonameid in SAMPLE_IDS and entry.source == "geonames-dump"
        assert (entry.name, "name") in names


def test_import_creates_the_index_and_places_are_searchable(index: Path) -> None:
    assert not index.exists()
    report = import_geonames(FIXTURE, index)
    assert report.errors == []
    assert report.places == len(SAMPLE_IDS)
    gaz = Gazetteer(index)
    assert gaz.counts()["places"] == len(SAMPLE_IDS)
    assert gaz.counts()["source:geonames-dump"] == len(SAMPLE_IDS)

    for spelling in ("Qasr Zaytun", "qasr zaytun", "Qasr Zeitoun", "Kasr Zaitoun", "Qasr-Zaytoun"):
        assert 990100001 in _ids(gaz.search(spelling)), spelling
    (qasr,) = gaz.search("Qasr Zaytun")
    assert (qasr.country, qasr.feature_code, qasr.population) == ("LY", "PPL", 1240)
    assert qasr.lat == pytest.approx(31.6123) and qasr.lon == pytest.approx(14.0457)
    # the display name keeps its marks; the ascii name and folded variants find it
    for spelling in ("Bi’r al Ghazalah", "Bir al Ghazalah", "Bir el Ghazala", "Bir Ghazalah"):
        assert _ids(gaz.search(spelling)) == {990100002}, spelling
    assert _ids(gaz.search("Wadi Umm Sanad")) == {990100003}
    assert gaz.search("Qasr Zaytun Nord") == ()


def test_arabic_alternate_names_are_searchable(index: Path) -> None:
    import_geonames(FIXTURE, index)
    gaz = Gazetteer(index)
    assert _ids(gaz.search("قصر الزيتون")) == {990100001}
    assert _ids(gaz.search("قصر الزيتونة")) == set()  # a different word, not a variant
    assert _ids(gaz.search("بئر الغزالة")) == {990100002}
    assert _ids(gaz.search("بئر الغزاله")) == {990100002}  # taa marbuta written as haa
    assert _ids(gaz.search("شعبية النخيل")) == {990100004}


def test_alternate_names_in_other_scripts_are_not_indexed(index: Path) -> None:
    import_geonames(FIXTURE, index)
    gaz = Gazetteer(index)
    assert _ids(gaz.search("Karyat Doumna")) == {990100005}
    assert gaz.search("Карьят Думна") == ()


def test_adm1_row_fills_the_admin1_table(index: Path) -> None:
    import_geonames(FIXTURE, index)
    gaz = Gazetteer(index)
    assert gaz.admin1_name("LY", "99") == "Shabiyat an Nakhil"
    division = gaz.admin1_entry("LY", "99")
    assert division is not None and division.geonameid == 990100004 and division.is_admin1


def test_reimport_replaces_and_does_not_duplicate(index: Path, tmp_path: Path) -> None:
    first = import_geonames(FIXTURE, index)
    counts = _table_counts(index)
    again = import_geonames(FIXTURE, index)
    assert (first.places, again.places) == (len(SAMPLE_IDS), len(SAMPLE_IDS))
    assert _table_counts(index) == counts
    assert len(Gazetteer(index).search("Qasr Zaytun")) == 1

    # a newer dump renames a place: the old spelling no longer finds it, the new one does
    renamed = tmp_path / "renamed.txt"
    renamed.write_text(_row("990100001", "Qasr az Zaytun", "31.61230", "14.04570") + "\n", encoding="utf-8")
    assert import_geonames(renamed, index).errors == []
    gaz = Gazetteer(index)
    assert _table_counts(index)[0] == counts[0]
    assert _ids(gaz.search("Qasr az Zaytun")) == {990100001}
    assert gaz.search("Qasr Zeitoun") == ()
    assert gaz.entry(990100001).name == "Qasr az Zaytun"  # type: ignore[union-attr]


def test_bad_lines_are_reported_and_good_lines_kept(index: Path, tmp_path: Path) -> None:
    dump = tmp_path / "LY.txt"
    lines = [
        _row("990200001", "Nakhlat Sharqiya"),                                   # 1 good
        "\t".join(_row("990200002", "Short Row").split("\t")[:18]),             # 2 only 18 columns
        _row("990200003", "Bir Tamra"),                                          # 3 good
        _row("990200004", "Bad Latitude", lat="north"),                          # 4 latitude not a number
        _row("99020x005", "Bad Id"),                                             # 5 id not an integer
        "",                                                                      # 6 blank: skipped silently
        _row("990200006", "Far Away", lat="95.0"),                               # 7 latitude out of range
        _row("990200007", "Ain Zarqa"),                                          # 8 good
    ]
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_geonames(dump, index)
    assert report.places == 3
    assert len(report.errors) == 4, report.errors
    by_line = {int(e.split(", line ", 1)[1].split(":", 1)[0]): e for e in report.errors}
    assert set(by_line) == {2, 4, 5, 7}
    for message in report.errors:
        assert message.startswith(f"{dump}, line ")
    assert "18" in by_line[2] and str(GEONAMES_COLUMNS) in by_line[2]
    assert "north" in by_line[4]
    assert "99020x005" in by_line[5]
    assert "out of range" in by_line[7]
    gaz = Gazetteer(index)
    assert _ids(gaz.search("Nakhlat Sharqiya")) == {990200001}
    assert _ids(gaz.search("Bir Tamra")) == {990200003}
    assert _ids(gaz.search("Ain Zarqa")) == {990200007}
    assert gaz.search("Short Row") == () and gaz.search("Bad Latitude") == () and gaz.search("Far Away") == ()


def test_comments_and_crlf_line_ends(index: Path, tmp_path: Path) -> None:
    dump = tmp_path / "crlf.txt"
    dump.write_bytes(("# exported for a test\r\n" + _row("990300001", "Hamada Saghira") + "\r\n").encode())
    report = import_geonames(dump, index)
    assert (report.places, report.errors) == (1, [])
    (entry,) = Gazetteer(index).search("Hamada Saghira")
    assert entry.name == "Hamada Saghira" and entry.country == "LY"


def test_zip_with_a_country_file_imports(index: Path, tmp_path: Path) -> None:
    archive = tmp_path / "LY.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "This archive holds invented places for a test.\n")
        zf.write(FIXTURE, "LY.txt")
    report = import_geonames(archive, index)
    assert (report.places, report.errors) == (len(SAMPLE_IDS), [])
    assert _ids(Gazetteer(index).search("Qasr Zeitoun")) == {990100001}


def test_zip_errors_name_the_member(index: Path, tmp_path: Path) -> None:
    archive = tmp_path / "LY.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("LY.txt", _row("990400001", "Ras Hilal Saghir") + "\nnot a dump line\n")
    report = import_geonames(archive, index)
    assert report.places == 1
    assert report.errors == [f"{archive}:LY.txt, line 2: expected 19 tab-separated columns, found 1"]


def test_zip_without_a_txt_dump_raises(index: Path, tmp_path: Path) -> None:
    archive = tmp_path / "nothing.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("LY.csv", "990100001,Qasr Zaytun\n")
        zf.writestr("readme.txt", "no dump in here\n")
    with pytest.raises(ValueError, match="no .txt"):
        import_geonames(archive, index)


def test_non_utf8_file_reports_an_error_naming_the_file(index: Path, tmp_path: Path) -> None:
    dump = tmp_path / "latin1.txt"
    dump.write_bytes((_row("990500001", "Qaryat Café", population="50") + "\n").encode("latin-1"))
    report = import_geonames(dump, index)
    assert report.places == 0
    assert len(report.errors) == 1
    assert str(dump) in report.errors[0] and "UTF-8" in report.errors[0]


def test_non_utf8_line_keeps_the_good_lines_before_it(index: Path, tmp_path: Path) -> None:
    dump = tmp_path / "mixed.txt"
    good = [_row(str(990600000 + i), f"Bir Nakhla {i}") for i in range(300)]
    dump.write_bytes(("\n".join(good) + "\n").encode() + (_row("990600999", "Qaryat Café") + "\n").encode("latin-1"))
    report = import_geonames(dump, index)
    assert report.places == 300
    assert len(report.errors) == 1 and "line 301" in report.errors[0]


def test_missing_file_raises(index: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_geonames(tmp_path / "LY-missing.txt", index)


# -- the CLI, into a copy of the shared test index --------------------------------------


def _search_wide(name: str, index: Path) -> subprocess.CompletedProcess[str]:
    """``gazetteer search`` with a terminal wide enough that rich truncates no column."""
    env = {**os.environ, "COLUMNS": "250"}
    return subprocess.run([TRUCEWATCH, "gazetteer", "search", name, "--gazetteer", str(index)],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def index_copy(tmp_path: Path) -> Path:
    shared = open_gazetteer().path  # builds the shared test index on first use
    assert shared == Path(os.environ["TRUCEWATCH_GAZETTEER"])
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(shared, copy)
    return copy


def test_cli_import_clean_file(index_copy: Path) -> None:
    before = _table_counts(index_copy)[0]
    done = run("gazetteer", "import", str(FIXTURE), "--gazetteer", str(index_copy))
    assert done.returncode == 0, done.stderr
    assert "imported 5 places" in done.stdout
    assert "error" not in done.stderr
    assert _table_counts(index_copy)[0] == before + len(SAMPLE_IDS)
    found = _search_wide("Qasr Zeitoun", index_copy)
    assert found.returncode == 0, found.stderr
    assert "990100001" in found.stdout and "Qasr Zaytun" in found.stdout
    # the shared index itself was not touched
    assert Gazetteer(Path(os.environ["TRUCEWATCH_GAZETTEER"])).search("Qasr Zaytun") == ()


def test_cli_import_bad_line_exits_1_and_names_it(index_copy: Path, tmp_path: Path) -> None:
    dump = tmp_path / "LY.txt"
    dump.write_text("\n".join([_row("990700001", "Umm Rimal"), _row("990700002", "Broken", lat="x"),
                               _row("990700003", "Bir Hasna")]) + "\n", encoding="utf-8")
    done = run("gazetteer", "import", str(dump), "--gazetteer", str(index_copy))
    assert done.returncode == 1
    flat = " ".join(done.stderr.split())  # rich may wrap long lines
    assert "line 2" in flat and "LY.txt" in flat
    assert "imported 2 places" in done.stdout and "1 line(s) skipped" in done.stdout
    gaz = Gazetteer(index_copy)
    assert _ids(gaz.search("Umm Rimal")) == {990700001} and _ids(gaz.search("Bir Hasna")) == {990700003}


def test_cli_import_missing_file_exits_1(index_copy: Path, tmp_path: Path) -> None:
    done = run("gazetteer", "import", str(tmp_path / "absent.txt"), "--gazetteer", str(index_copy))
    assert done.returncode == 1
    assert "absent.txt" in " ".join(done.stderr.split())
