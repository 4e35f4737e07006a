"""The input boundary under hostile and careless input (issue 13): bytes in, records or
rejections out, and no input ever stops the batch.

Each test reproduces one defect the issue lists. Tests that take the ``store`` fixture
run on a real SQLite file and on the real PostgreSQL server from the fixtures; the
command-line tests run the real console script in a subprocess.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.clitools import TRUCEWATCH, run
from trucewatch.documents import readers
from trucewatch.documents.ingest import IngestSummary, ingest, prepare
from trucewatch.documents.readers import RawRecord, ReadOptions, Rejection, iter_inputs
from trucewatch.store import Store
from trucewatch.store.schema import Document

EN = "Observers said the truce along the coastal road held overnight, with no shelling reported near the port."
EN2 = "A new round of military talks is expected to open next week, two diplomats said on Sunday."
EN3 = "Residents of the southern districts began returning home after three quiet days, the mayor said."
FR = (
    "Les observateurs ont indiqué que la trêve a tenu toute la nuit près du port.\n"
    "Selon un diplomate, la prochaine réunion à Genève est prévue après l'été, si le cessez-le-feu est respecté."
)
AR = "قالت لجنة المراقبة إن الهدنة حول الموانئ النفطية صمدت طوال الليل، ولم يسمع أي قصف قرب الطريق الساحلي."


# --- helpers -----------------------------------------------------------------------


def write(path: Path | bytes, data: str | bytes) -> None:
    """Write ``data`` to ``path``; a bytes path may hold any file name the system allows."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(raw)


def documents(store: Store) -> list[Document]:
    with store.session() as session:
        return list(session.scalars(select(Document).order_by(Document.source_path, Document.source_line)))


def reasons(summary: IngestSummary) -> dict[str, str]:
    """Rejections keyed by "name[:line]" (the last part of the path), valued by reason."""
    found = {}
    for item in summary.rejected:
        assert "\n" not in str(item) and "\r" not in str(item), str(item)
        key = Path(item.path).name + (f":{item.line}" if item.line is not None else "")
        assert key not in found, f"{key} rejected twice"
        found[key] = item.reason
    return found


def nested(depth: int) -> str:
    """A JSON array nested ``depth`` levels deep."""
    return "[" * depth + "]" * depth


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


# --- 1. nesting depth ---------------------------------------------------------------


def test_deeply_nested_jsonl_line_is_rejected_and_the_batch_goes_on(store: Store, inbox: Path) -> None:
    lines = [
        json.dumps({"text": "Line one: " + EN}),
        '{"text": "deep", "extra": ' + nested(1000) + "}",
        '{"text": "deep but parseable", "extra": ' + nested(150) + "}",
        json.dumps({"text": "Line four: " + EN2}),
    ]
    write(inbox / "a.jsonl", "\n".join(lines) + "\n")
    write(inbox / "b.json", nested(1000))
    write(inbox / "c.json", json.dumps([{"text": "Item one: " + EN3}, {"text": "deep", "x": json.loads(nested(200))}]))
    write(inbox / "z.txt", EN)
    summary = ingest(store, [str(inbox)])
    assert reasons(summary) == {
        "a.jsonl:2": "JSON nested deeper than 100 levels",
        "a.jsonl:3": "JSON nested deeper than 100 levels",
        "b.json": "JSON nested deeper than 100 levels",
        "c.json": "item 2: JSON nested deeper than 100 levels",
    }
    assert sorted(d.text for d in documents(store)) == sorted(
        ["Line one: " + EN, "Line four: " + EN2, "Item one: " + EN3, EN]
    )


@pytest.mark.parametrize("fmt", [None, "json", "jsonl"])
def test_deeply_nested_stdin_is_rejected(store: Store, fmt: str | None) -> None:
    data = ('{"text": "deep", "extra": ' + nested(5000) + "}\n").encode()
    summary = ingest(store, ["-"], ReadOptions(fmt=fmt, stdin=io.BytesIO(data)))
    assert [r.reason for r in summary.rejected] == ["JSON nested deeper than 100 levels"]
    assert summary.rejected[0].path == "<stdin>"


def test_deep_but_allowed_structure_in_a_field_is_stored(store: Store, inbox: Path) -> None:
    """A record 100 levels deep is allowed; its extra fields must survive storing and reading back."""
    extra = json.loads(nested(98))
    write(inbox / "ok.jsonl", json.dumps({"text": EN, "nested": extra}) + "\n")
    summary = ingest(store, [str(inbox)])
    assert summary.rejected == [] and summary.ingested == 1
    [doc] = documents(store)
    assert doc.extra["fields"]["nested"] == extra


# --- 2. file names that are not UTF-8 ------------------------------------------------


def test_non_utf8_file_names_are_stored_under_an_escaped_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    base = os.fsencode(folder)
    for i in range(300):
        name = b"f%03d\xffbad.txt" % i if i == 150 else b"f%03d.txt" % i
        write(base + b"/" + name, f"Report {i}: the line near checkpoint {i} held overnight, monitors said.")
    write(base + b"/z\xfe\nbin.txt", b"\x00\x01\x02\x03" * 100)  # rejected: its name must print safely too
    db = tmp_path / "names.db"
    done = run("ingest", str(folder), "--db", str(db), "--create")
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ingested 300, unchanged 0, rejected 1"
    assert f"rejected {folder}/z\\xfe\\nbin.txt: not a text file" in done.stderr
    with sqlite3.connect(db) as conn:
        paths = [row[0] for row in conn.execute("select source_path from documents order by source_path")]
        texts = dict(conn.execute("select source_path, text from documents"))
    assert len(paths) == 300
    assert f"{folder}/f150\\xffbad.txt" in paths
    assert texts[f"{folder}/f150\\xffbad.txt"].startswith("Report 150:")
    again = run("ingest", str(folder), "--db", str(db), "--create")
    assert "Traceback" not in again.stderr, again.stderr
    assert again.stdout.strip().splitlines()[-1] == "ingested 0, unchanged 300, rejected 1"


def test_non_utf8_file_name_on_every_backend(store: Store, inbox: Path) -> None:
    base = os.fsencode(inbox)
    write(base + b"/caf\xe9.txt", EN)
    write(base + b"/good.txt", EN2)
    summary = ingest(store, [str(inbox)])
    assert summary.rejected == [] and summary.ingested == 2
    assert sorted(Path(d.source_path).name for d in documents(store)) == ["caf\\xe9.txt", "good.txt"]
    again = ingest(store, [str(inbox)])
    assert (again.ingested, again.unchanged, again.rejected) == (0, 2, [])


# --- 3. FIFOs, devices and sockets ----------------------------------------------------


def test_fifo_socket_and_device_in_a_folder_are_rejected_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "a.txt", EN)
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    write(tmp_path / "target.txt", EN2)
    os.symlink(tmp_path / "target.txt", folder / "link.txt")
    write(folder / "z.txt", EN3)
    try:
        done = run("ingest", str(folder), "--db", str(tmp_path / "t.db"), "--create", timeout=60)
    finally:
        sock.close()
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ingested 3, unchanged 0, rejected 3"
    assert f"{folder}/pipe.txt: not a regular file (a FIFO)" in done.stderr
    assert f"{folder}/sock.txt: not a regular file (a socket)" in done.stderr
    assert f"{folder}/zero.txt: not a regular file (a character device)" in done.stderr


def _hang(signum: int, frame: object) -> None:
    raise TimeoutError("ingest hung on a FIFO")


def test_fifo_named_on_the_command_line_is_rejected(store: Store, inbox: Path) -> None:
    os.mkfifo(inbox / "pipe.jsonl")
    write(inbox / "ok.txt", EN)
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(20)  # a hang fails the test instead of stopping the suite
    try:
        summary = ingest(store, [str(inbox / "pipe.jsonl"), str(inbox / "ok.txt")])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert reasons(summary) == {"pipe.jsonl": "not a regular file (a FIFO)"}
    assert summary.ingested == 1


# --- 4. symlink loops and broken symlinks ---------------------------------------------


def test_symlink_loop_and_broken_symlink_are_named(store: Store, inbox: Path) -> None:
    os.symlink("loop.txt", inbox / "loop.txt")
    os.symlink("nowhere.txt", inbox / "dangling.txt")
    write(inbox / "ok.txt", EN)
    in_folder = ingest(store, [str(inbox)])
    assert reasons(in_folder) == {"loop.txt": "symlink loop", "dangling.txt": "broken symlink"}
    by_name = ingest(store, [str(inbox / "loop.txt"), str(inbox / "dangling.txt")])
    assert reasons(by_name) == {"loop.txt": "symlink loop", "dangling.txt": "broken symlink"}


# --- 5. a folder that cannot be listed ------------------------------------------------


def test_unlistable_folder_is_a_rejection(store: Store, inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The walk's error path, exercised as root too: listing the folder raises EACCES."""
    (inbox / "locked").mkdir()
    write(inbox / "locked" / "secret.txt", EN2)
    write(inbox / "ok.txt", EN)
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if os.fsdecode(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = ingest(store, [str(inbox)])
    assert [str(r) for r in summary.rejected] == [f"{inbox / 'locked'}: cannot list folder: permission denied"]
    assert summary.ingested == 1


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can enter (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="trucewatch-perm-"))
    folder.chmod(0o777)
    yield folder
    for dirpath, dirnames, _ in os.walk(folder):
        for name in dirnames:
            os.chmod(os.path.join(dirpath, name), 0o755)
    shutil.rmtree(folder)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to run the CLI as an unprivileged user")
def test_cli_unreadable_folder_as_an_unprivileged_user(shared_tmp: Path) -> None:
    """chmod 000 does not stop root, so the real CLI runs as nobody (uid 65534) here."""
    folder = shared_tmp / "in"
    (folder / "locked").mkdir(parents=True)
    write(folder / "ok.txt", EN)
    write(folder / "locked" / "secret.txt", EN2)
    for path in (folder, folder / "ok.txt", folder / "locked" / "secret.txt"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (folder / "locked").chmod(0o000)
    env = {**os.environ, "HOME": str(shared_tmp)}
    done = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", TRUCEWATCH,
         "ingest", str(folder), "--db", str(shared_tmp / "t.db"), "--create"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert f"rejected {folder / 'locked'}: cannot list folder: permission denied" in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ingested 1, unchanged 0, rejected 1"


# --- 6. empty structured files --------------------------------------------------------


def test_empty_structured_files_are_rejected(store: Store, inbox: Path) -> None:
    for name in ("empty.jsonl", "empty.json", "empty.csv", "empty.tsv"):
        write(inbox / name, b"")
    write(inbox / "ok.txt", EN)
    summary = ingest(store, [str(inbox)])
    assert reasons(summary) == {name: "empty file" for name in ("empty.jsonl", "empty.json", "empty.csv", "empty.tsv")}
    assert summary.ingested == 1
    stdin = ingest(store, ["-"], ReadOptions(fmt="jsonl", stdin=io.BytesIO(b"")))
    assert [str(r) for r in stdin.rejected] == ["<stdin>: empty file"]


def test_files_with_no_records_are_rejected(store: Store, inbox: Path) -> None:
    write(inbox / "list.json", "[]")
    write(inbox / "wrapped.json", '{"documents": []}')
    write(inbox / "header.csv", "title,text\n")
    write(inbox / "header.tsv", "title\ttext\n\n")
    write(inbox / "ok.csv", f"title,text\nOne,\"{EN}\"\n")
    summary = ingest(store, [str(inbox)])
    found = reasons(summary)
    assert found["list.json"] == found["wrapped.json"] == "no records: the JSON holds an empty list"
    assert found["header.csv"] == found["header.tsv"] == "no records: the file has a header line and no rows"
    assert len(found) == 4 and summary.ingested == 1


# --- 7. a CSV quote that never closes --------------------------------------------------


def test_csv_unterminated_quote_is_rejected_where_it_opens(store: Store, inbox: Path) -> None:
    """The quote runs to the end of the file: the rows after it are not merged into one text."""
    path = inbox / "rows.csv"
    write(path, f'title,text\nFirst,"Row one: {EN}"\nSecond,"Row two opens a quote and never closes it\n'
                f'Third,Row three: {EN2}\nFourth,Row four: {EN3}\n')
    summary = ingest(store, [str(path)])
    assert [str(r) for r in summary.rejected] == [
        f"{path}:3: unterminated quote: the quoted field opened on line 3 runs to the end of the file"
        " (lines 3-5 not read); close the quote and ingest the file again"
    ]
    assert [(d.source_line, d.title) for d in documents(store)] == [(2, "First")]


def test_csv_quote_that_closes_on_a_later_row_is_rejected(store: Store, inbox: Path) -> None:
    """Without a closing quote, the next row's opening quote ends the field: the rows between
    were merged into one document's text, with exit 0."""
    path = inbox / "rows.csv"
    write(path, f'title,text\nFirst,"Row one: {EN}"\nSecond,"Row two opens a quote and never closes it\n'
                f'Third,"Row three: {EN2}"\nFourth,"Row four: {EN3}"\n')
    summary = ingest(store, [str(path)])
    assert [(r.line, r.reason.split(" (")[0]) for r in summary.rejected] == [
        (3, "malformed CSV: the row that starts on line 3 breaks on line 4")
    ]
    assert "lines 3-4 not read" in summary.rejected[0].reason
    assert [(d.source_line, d.title) for d in documents(store)] == [(2, "First"), (5, "Fourth")]


def test_csv_with_a_legal_multiline_field_is_still_read(store: Store, inbox: Path) -> None:
    write(inbox / "rows.csv", f'title,text\nFirst,"Row one:\n{EN}"\nSecond,"{EN2}"')
    summary = ingest(store, [str(inbox)])
    assert summary.rejected == [] and summary.ingested == 2


# --- 8. standard input closed ---------------------------------------------------------


def test_cli_ingest_with_stdin_closed(tmp_path: Path) -> None:
    done = subprocess.run(["sh", "-c", f'exec "{TRUCEWATCH}" ingest - --db "{tmp_path / "t.db"}" --create <&-'],
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert "rejected <stdin>: standard input is closed" in done.stderr


# --- 9. UTF-16 without a byte-order mark ----------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [FR, AR, EN])
def test_utf16_without_bom_is_decoded(text: str, encoding: str) -> None:
    prepared = prepare(RawRecord("wide.txt", "txt", text.encode(encoding)))
    assert not isinstance(prepared, Rejection), prepared
    assert prepared.row["text"] == text
    assert prepared.row["extra"]["encoding"] == encoding


def test_binary_with_nul_bytes_is_still_binary() -> None:
    data = bytes(range(256)) * 8
    result = prepare(RawRecord("blob.txt", "txt", data))
    assert isinstance(result, Rejection) and result.reason.startswith("not a text file")


# --- 10. HTML nested too deeply to parse ----------------------------------------------


@pytest.mark.parametrize("depth", [1000, 5000])
def test_deeply_nested_html_says_so(depth: int) -> None:
    paragraph = "<p>" + EN + "</p><p>" + EN2 + "</p>"
    page = "<html><head><title>Calm</title></head><body>" + "<div>" * depth + paragraph + "</div>" * depth + "</body></html>"
    result = prepare(RawRecord("deep.html", "html", page.encode()))
    assert isinstance(result, Rejection)
    found = re.fullmatch(r"HTML nested too deeply \((\d+) levels\) to parse; the limit is 255", result.reason)
    assert found, result.reason
    assert depth <= int(found.group(1)) <= depth + 5


# --- 11. one size limit for every input -----------------------------------------------


def test_json_file_has_the_same_size_limit(inbox: Path) -> None:
    write(inbox / "items.json", json.dumps([{"text": EN}] * 30))
    items = list(iter_inputs([str(inbox / "items.json")], ReadOptions(max_bytes=1000)))
    assert [str(i) for i in items] == [
        f"{inbox / 'items.json'}: file too large (0.0 MB > 0.0 MB limit; raise it with --max-size,"
        " or write one record per line as JSONL, which is read line by line)"
    ]


# --- 12. nothing a reader raises escapes ----------------------------------------------


def test_a_reader_failure_costs_only_its_file(store: Store, inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = readers._read_json

    def failing(name: str, data: bytes, options: ReadOptions):  # type: ignore[no-untyped-def]
        if name.endswith("b.json"):
            yield from real(name, json.dumps([{"text": EN}]).encode(), options)
            raise RuntimeError("reader bug\nsecond line")
        yield from real(name, data, options)

    monkeypatch.setattr(readers, "_read_json", failing)
    write(inbox / "a.json", json.dumps([{"text": EN2}]))
    write(inbox / "b.json", json.dumps([{"text": "ignored"}]))
    write(inbox / "c.txt", EN3)
    summary = ingest(store, [str(inbox), str(inbox / "c.txt")])
    assert reasons(summary) == {
        "b.json": "internal error while reading (RuntimeError: reader bug second line); the rest of this file was not read"
    }
    assert [r.internal for r in summary.rejected] == [True]  # what tests and the fuzzer count as a crash
    assert sorted(d.text for d in documents(store)) == sorted([EN, EN2, EN3])


def test_a_record_failure_costs_only_its_line(store: Store, inbox: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = readers._record

    def failing(name, fmt, raw, line, obj, options):  # type: ignore[no-untyped-def]
        if isinstance(obj, dict) and obj.get("text") == "boom":
            raise ValueError("record bug")
        return real(name, fmt, raw, line, obj, options)

    monkeypatch.setattr(readers, "_record", failing)
    write(inbox / "a.jsonl", "\n".join(json.dumps({"text": t}) for t in (EN, "boom", EN2)) + "\n")
    summary = ingest(store, [str(inbox)])
    assert reasons(summary) == {"a.jsonl:2": "internal error while reading (ValueError: record bug)"}
    assert [r.internal for r in summary.rejected] == [True]
    assert sorted(d.text for d in documents(store)) == sorted([EN, EN2])


def test_random_bytes_in_every_format_never_raise(inbox: Path) -> None:
    """A smoke check of the contract (the property tests go further)."""
    import random

    rng = random.Random(13)
    samples = [b"", b"\x00", b"\xff\xfe", b'{"text": "\xff"}', b'"', b"[" * 3000, b"{" * 3000, b"<" * 3000,
               b"<div>" * 3000, b'a,"b\n' * 5, bytes(rng.randrange(256) for _ in range(5000))]
    for fmt in readers.FORMATS:
        for i, data in enumerate(samples):
            path = inbox / f"{fmt}-{i}.{fmt}"
            write(path, data)
            for item in iter_inputs([str(path)], ReadOptions()):
                if isinstance(item, RawRecord):
                    prepared = prepare(item)
                    if isinstance(prepared, Rejection):
                        assert "\n" not in str(prepared)
                else:
                    assert "\n" not in str(item)
                    assert not item.internal, f"a reader raised and its guard turned it into a rejection: {item}"


def test_lone_surrogate_escape_in_a_json_file_is_stored_not_a_crash(store: Store, inbox: Path) -> None:
    # A "\ud800" escape decodes to a lone surrogate, which UTF-8 cannot encode; the .json
    # reader re-serialises each item, and that once raised UnicodeEncodeError out of ingest.
    write(inbox / "a.json", '{"text": "Talks resumed \\ud800 in the capital today, the mediators said."}')
    write(inbox / "b.txt", "The second file is still read after the first one.")
    summary = ingest(store, [str(inbox)])
    assert summary.ingested == 2 and not summary.rejected
    texts = sorted(d.text for d in documents(store))
    assert any(t.startswith("Talks resumed") for t in texts)
    assert all("\ud800" not in t for t in texts)


def test_utf16_with_a_bom_keeps_the_bom_out_of_the_text() -> None:
    # The no-BOM heuristic ran first and kept U+FEFF as the text's first character.
    from trucewatch.documents.decode import decode_bytes

    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        data = ("\ufeff" if encoding != "utf-16" else "") + "Talks resumed in Geneva on Monday, the mediators said."
        decoded = decode_bytes(data.encode(encoding))
        assert decoded.text == "Talks resumed in Geneva on Monday, the mediators said.", encoding
