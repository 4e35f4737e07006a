"""Import a GeoNames dump (``allCountries.txt``, a country file or its zip) into the gazetteer index.

``trucewatch gazetteer import``: every place of the dump is added to the index the
bundled data built (``build``), under the source ``geonames-dump`` so that a rebuilt
index carries it over; re-importing replaces, never doubles. Bad lines are reported
with their file and line and skipped.
"""

from __future__ import annotations

import sqlite3
import time
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from trucewatch.extract.places.build import Place, kept_name
from trucewatch.extract.places.gazetteer import BUILD_VERSION, SCHEMA, forget, write_rows
from trucewatch.extract.places.model import Entry

GEONAMES_COLUMNS = 19


class ImportReport:
    """What an import did: places added or replaced, and the lines it could not read.

    At most ``MAX_ERRORS`` messages are kept (a wrong file would give millions);
    ``error_count`` counts them all. ``fatal`` says why the import stopped early.
    """

    MAX_ERRORS = 100

    def __init__(self) -> None:
        self.places = 0
        self.errors: list[str] = []
        self.error_count = 0
        self.fatal: str | None = None

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.MAX_ERRORS:
            self.errors.append(message)


def _dump_lines(path: Path) -> Iterator[tuple[str, int, str | UnicodeDecodeError]]:
    """``(file label, line number, line)`` of a GeoNames dump, plain or zipped.

    Lines are decoded one by one, so a line that is not UTF-8 comes back as its
    ``UnicodeDecodeError`` (to be reported with its number) and the others still come.
    """
    def decoded(raw_lines: Iterable[bytes], label: str) -> Iterator[tuple[str, int, str | UnicodeDecodeError]]:
        for number, raw in enumerate(raw_lines, 1):
            try:
                yield label, number, raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield label, number, exc

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in _dump_members(archive, path):
                with archive.open(member) as raw:
                    yield from decoded(raw, f"{path}:{member}")
        return
    with open(path, "rb") as fh:
        yield from decoded(fh, str(path))


def _dump_members(archive: zipfile.ZipFile, path: Path) -> list[str]:
    members = [m for m in archive.namelist() if m.endswith(".txt") and not m.lower().startswith("readme")]
    if not members:
        raise ValueError(f"{path}: the zip holds no .txt GeoNames dump")
    return members


def parse_dump_line(line: str) -> Place:
    """One GeoNames dump line (19 tab-separated columns) as an entry and its names."""
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != GEONAMES_COLUMNS:
        raise ValueError(f"expected {GEONAMES_COLUMNS} tab-separated columns, found {len(fields)}")
    geonameid = int(fields[0])
    lat, lon = float(fields[4]), float(fields[5])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    if not fields[1].strip() or not fields[6].strip():
        raise ValueError("empty name or feature class")
    entry = Entry(geonameid, fields[1], lat, lon, fields[6], fields[7] or "", fields[8], fields[10],
                  int(fields[14] or 0), "geonames-dump")
    names = [(fields[1], "name"), (fields[2], "alt")]
    names += [(a, "alt") for a in fields[3].split(",") if a and kept_name(a)]
    return entry, names


def import_geonames(path: Path, target: Path, *, batch: int = 5000) -> ImportReport:
    """Add (or replace) every place of a GeoNames dump in the index at ``target``.

    A line that cannot be read is reported with its file and line number and skipped;
    the places read before and after it are kept. A plain dump commits in batches, so an
    interrupted import keeps what it had committed; a zip is one transaction, undone
    whole if the archive turns out damaged. A re-run replaces, never doubles.
    """
    report = ImportReport()
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if zipfile.is_zipfile(path):  # fail before touching the index
        with zipfile.ZipFile(path) as archive:
            _dump_members(archive, path)
    conn = sqlite3.connect(target)
    try:
        conn.executescript(SCHEMA + "CREATE INDEX IF NOT EXISTS names_by_place ON names (geonameid);")
        pending: list[Place] = []
        archived = zipfile.is_zipfile(path)
        try:
            for label, number, line in _dump_lines(path):
                if isinstance(line, UnicodeDecodeError):
                    report.error(f"{label}, line {number}: not UTF-8 ({line.reason} at byte {line.start})")
                    continue
                if not line.strip() or line.startswith("#"):
                    continue
                try:
                    place = parse_dump_line(line)
                except ValueError as exc:
                    report.error(f"{label}, line {number}: {exc}")
                    continue
                pending.append(place)
                if place[0].feature_code == "ADM1" and place[0].admin1:
                    conn.execute("INSERT OR REPLACE INTO admin1 (country, code, name, geonameid) VALUES (?,?,?,?)",
                                 (place[0].country, place[0].admin1, place[0].name, place[0].geonameid))
                if len(pending) >= batch:
                    report.places += write_rows(conn, pending, replace=True)
                    if not archived:  # a zip is one transaction: its checksum is known only at the end
                        conn.commit()
                    pending = []
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            # a damaged archive: nothing read from it can be trusted, so none of it is kept
            conn.rollback()
            kept = 0 if archived else report.places
            report.fatal = (f"{path}: cannot read the dump ({exc}); "
                            + ("nothing was imported from it" if archived else
                               f"{kept} places before the damage were kept, the rest was not imported"))
            report.places = kept
            pending = []
        report.places += write_rows(conn, pending, replace=True)
        conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('build_version', ?)", (BUILD_VERSION,))
        if report.fatal is None:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (f"imported:{path.name}", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        conn.commit()
    finally:
        conn.close()
        forget(target)
    return report
