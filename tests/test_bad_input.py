"""Bad input: every problem is one clear rejection naming the file (and line), and the
rest of the batch is still stored. Legacy encodings are not problems: they are decoded.

Tests that take the ``store`` fixture run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.clitools import run
from trucewatch.documents.ingest import IngestSummary, ingest, prepare
from trucewatch.documents.readers import RawRecord, ReadOptions, Rejection
from trucewatch.store import Store, open_store
from trucewatch.store.schema import Document, IngestError, RawBlob

EN = "Observers said the truce along the coastal road held overnight, with no shelling reported near the port."
EN2 = "A new round of military talks is expected to open next week, two diplomats said on Sunday."
EN3 = "Residents of the southern districts began returning home after three quiet days, the mayor said."
EN4 = "The joint commission agreed to exchange maps of minefields before the end of the month."
AR = (
    "قالت لجنة المراقبة إن الهدنة حول الموانئ النفطية صمدت طوال الليل.\n"
    "ولم يسمع أي قصف قرب الطريق الساحلي للمرة الأولى منذ أسبوع، فيما يستعد الطرفان لجولة جديدة من المحادثات."
)
FR = (
    "Les observateurs ont indiqué que la trêve a tenu toute la nuit près du port.\n"
    "Selon un diplomate, la prochaine réunion à Genève est prévue après l'été, si le cessez-le-feu est respecté."
)
ARTICLE_PARAGRAPHS = (
    "The ceasefire monitors reported no new violations in the western districts during the night, a spokesman said.",
    "Talks on the withdrawal of heavy weapons are expected to resume in the coming days, according to two diplomats.",
)

# --- helpers -----------------------------------------------------------------------


def documents(store: Store) -> list[Document]:
    with store.session() as session:
        return list(session.scalars(select(Document).order_by(Document.source_path, Document.source_line)))


def stored_keys(store: Store) -> list[str]:
    return sorted(Path(d.source_path).name + (f":{d.source_line}" if d.source_line else "") for d in documents(store))


def count(store: Store, model: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def rejected(summary: IngestSummary) -> dict[str, str]:
    """Rejections keyed by "name[:line]" (the last part of the path), valued by reason."""
    found: dict[str, str] = {}
    for item in summary.rejected:
        key = Path(item.path).name + (f":{item.line}" if item.line is not None else "")
        assert key not in found, f"{key} rejected twice"
        found[key] = item.reason
    return found


def assert_one_line(item: Rejection) -> None:
    text = str(item)
    assert "\n" not in text and "\r" not in text
    where = f"{item.path}:{item.line}: " if item.line is not None else f"{item.path}: "
    assert text.startswith(where) and len(text) > len(where) + 5


def write(path: Path, data: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def hostile_page(depth: int, attribute_size: int) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return (
        "<!DOCTYPE html><html><head><title>Monitors report calm</title>"
        "<script>var leaked = 'SCRIPT-SECRET-ONE'; document.cookie = 'x';</script>"
        "<style>body { background: url('javascript:alert(1)') }</style></head>"
        "<body onload=\"alert('ONLOAD-SECRET')\">"
        '<iframe src="https://evil.example/frame" onload="steal()"></iframe>'
        + "<div class='wrap'>" * depth
        + f"<article><h1 onclick=\"alert('x')\">Monitors report calm</h1>{paragraphs}"
        + "<script>document.write('SCRIPT-SECRET-TWO')</script></article>"
        + "</div>" * depth
        + f'<img src="x" onerror="alert(\'IMG-SECRET\')" data-blob="{"A" * attribute_size}">'
        + "<noscript>NOSCRIPT-SECRET</noscript><script src='https://evil.example/x.js'></script>"
        + "</body></html>"
    )


SECRETS = ("SCRIPT-SECRET", "ONLOAD-SECRET", "IMG-SECRET", "NOSCRIPT-SECRET", "alert(", "document.", "AAAAAAAAAA", "<")


def nav_only_page() -> str:
    links = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(40))
    return (
        "<!DOCTYPE html><html><head><title>Harbour Post - Home</title></head><body>"
        f"<header><nav><ul>{links}</ul></nav></header>"
        "<div class='cookie'>We use cookies. <button>Accept</button></div>"
        "<footer><a href='/about'>About us</a> | <a href='/contact'>Contact</a> | © 2020 Harbour Post</footer>"
        "</body></html>"
    )


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An input folder apart from tmp_path, where the SQLite variant keeps its database."""
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


# Every file of the mixed batch, and what must become of it.
EXPECTED_STORED = [
    "arabic-cp1256.txt", "french-latin1.txt", "good1.txt", "good2.txt", "hostile.html", "mixed-encodings.txt",
    "records.jsonl:1", "records.jsonl:2", "records.jsonl:4", "records.jsonl:7",
    "rows.csv:2", "rows.csv:4",
]
EXPECTED_REJECTED = {
    "image.png": "not a text file: looks like a PNG image",
    "nul.txt": "not a text file: looks like binary data (NUL bytes)",
    "random.bin": "not a text file",
    "empty.txt": "empty file",
    "blank.txt": "empty file",
    "records.jsonl:3": "invalid JSON",
    "records.jsonl:5": "expected a JSON object, got list",
    "records.jsonl:6": "record has no text",
    "rows.csv:3": "row has 4 fields, header has 3",
    "navigation.html": "no article text found",
    "missing.txt": "no such file or directory",
    "*.nothing": "no file matches this pattern",
}


def make_bad_batch(folder: Path) -> list[str]:
    """Write the mixed batch into ``folder``; return the paths to pass to ingest."""
    rng = random.Random(20200605)
    write(folder / "good1.txt", EN)
    write(folder / "good2.txt", EN2)
    write(folder / "image.png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(4096))
    write(folder / "nul.txt", b"The truce held\x00\x00\x00 overnight\x00 near the port.\n" * 20)
    write(folder / "random.bin", bytes(rng.randrange(0, 32) for _ in range(4096)))
    write(folder / "empty.txt", b"")
    write(folder / "blank.txt", b"   \n\t\t\n \r\n\n   ")
    write(folder / "arabic-cp1256.txt", AR, "cp1256")
    write(folder / "french-latin1.txt", FR, "latin-1")
    write(folder / "mixed-encodings.txt", (EN3 + "\n").encode("utf-8") + AR.encode("cp1256") + b"\n")
    lines = [
        json.dumps({"text": "Record one: " + EN}),
        json.dumps({"text": "Record two: " + EN2}),
        '{"text": "Record three is cut off in the midd',
        json.dumps({"text": "Record four: " + EN3}),
        json.dumps(["a", "list", "is", "not", "a", "record"]),
        json.dumps({"title": "A record without any text field"}),
        json.dumps({"text": "Record seven: " + EN4}),
    ]
    write(folder / "records.jsonl", "\n".join(lines) + "\n")
    write(folder / "rows.csv", f'title,text,url\nFirst,"Row one: {EN}",https://a.example\n'
                               f'Broken,"Row two",https://b.example,extra\nThird,"Row three: {EN2}",https://c.example\n')
    write(folder / "navigation.html", nav_only_page())
    write(folder / "hostile.html", hostile_page(depth=200, attribute_size=100_000))
    return [str(folder), str(folder.parent / "missing.txt"), str(folder / "*.nothing")]


# --- the mixed batch ---------------------------------------------------------------


def test_bad_batch_rejects_each_problem_and_stores_the_rest(store: Store, inbox: Path) -> None:
    summary = ingest(store, make_bad_batch(inbox))
    reasons = rejected(summary)
    assert set(reasons) == set(EXPECTED_REJECTED)
    for key, expected in EXPECTED_REJECTED.items():
        assert expected in reasons[key], (key, reasons[key])
    for item in summary.rejected:
        assert_one_line(item)
    assert summary.ingested == len(EXPECTED_STORED) and summary.unchanged == 0
    assert stored_keys(store) == sorted(EXPECTED_STORED)

    with store.session() as session:
        errors = sorted((e.path, e.line, e.reason) for e in session.scalars(select(IngestError)))
    assert errors == sorted((r.path, r.line, r.reason) for r in summary.rejected)


def test_jsonl_neighbours_of_a_broken_line_are_stored(store: Store, inbox: Path) -> None:
    make_bad_batch(inbox)
    summary = ingest(store, [str(inbox / "records.jsonl")])
    assert [(r.line, r.reason.split(":")[0].split(" (")[0]) for r in summary.rejected] == [
        (3, "invalid JSON"), (5, "expected a JSON object, got list"), (6, "record has no text")
    ]
    texts = {d.source_line: d.text for d in documents(store)}
    assert texts == {1: "Record one: " + EN, 2: "Record two: " + EN2, 4: "Record four: " + EN3, 7: "Record seven: " + EN4}
    assert str(summary.rejected[0]).startswith(f"{inbox / 'records.jsonl'}:3: invalid JSON")


def test_csv_row_with_wrong_field_count(store: Store, inbox: Path) -> None:
    make_bad_batch(inbox)
    summary = ingest(store, [str(inbox / "rows.csv")])
    assert [str(r) for r in summary.rejected] == [f"{inbox / 'rows.csv'}:3: row has 4 fields, header has 3"]
    assert [(d.source_line, d.title, d.url) for d in documents(store)] == [
        (2, "First", "https://a.example"), (4, "Third", "https://c.example")
    ]


def test_stored_documents_survive_a_later_bad_batch_without_duplicates(store: Store, inbox: Path) -> None:
    paths = make_bad_batch(inbox)
    first = ingest(store, [str(inbox / "good1.txt"), str(inbox / "records.jsonl")])
    assert first.ingested == 5 and len(first.rejected) == 3
    before = {d.id: (d.text, d.source_path) for d in documents(store)}

    second = ingest(store, paths)
    assert second.unchanged == 5 and second.ingested == len(EXPECTED_STORED) - 5
    third = ingest(store, paths)
    assert (third.ingested, third.unchanged) == (0, len(EXPECTED_STORED))
    assert set(rejected(third)) == set(EXPECTED_REJECTED)

    after = {d.id: (d.text, d.source_path) for d in documents(store)}
    assert len(after) == len(EXPECTED_STORED) == count(store, Document)
    assert all(after[doc_id] == value for doc_id, value in before.items())
    assert len({text for text, _ in after.values()}) == len(after)
    assert count(store, RawBlob) == len(EXPECTED_STORED)
    assert count(store, IngestError) == len(EXPECTED_REJECTED)  # each rejection recorded once (issue 13)


# --- encodings that must be decoded, not rejected -----------------------------------


def _only_doc(store: Store, summary: IngestSummary) -> Document:
    assert summary.rejected == [], [str(r) for r in summary.rejected]
    [doc] = documents(store)
    return doc


def test_cp1256_arabic_is_decoded(store: Store, inbox: Path) -> None:
    path = write(inbox / "bayan.txt", AR, "cp1256")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = _only_doc(store, ingest(store, [str(path)]))
    assert doc.text == AR
    assert "الهدنة" in doc.text and doc.language == "ar"
    assert doc.extra["encoding"] == "cp1256"


def test_latin1_french_is_decoded(store: Store, inbox: Path) -> None:
    path = write(inbox / "communique.txt", FR, "latin-1")
    doc = _only_doc(store, ingest(store, [str(path)]))
    assert doc.text == FR
    assert "trêve" in doc.text and "réunion à Genève" in doc.text and "é" in doc.text
    assert doc.language == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "Le cessez-le-feu a été violé à Tripoli mardi, selon des témoins.",
        "Réunion à Genève : les délégations se sont retrouvées.",
        "Trêve fragile à Syrte.",
    ],
)
def test_short_latin1_french_keeps_every_accent(text: str) -> None:
    prepared = prepare(RawRecord("court.txt", "txt", text.encode("latin-1")))
    assert not isinstance(prepared, Rejection)
    assert prepared.row["text"] == text


def test_file_mixing_utf8_and_cp1256_lines(store: Store, inbox: Path) -> None:
    utf8_part = "Monitors’ report — “calm” in Sirte.\n" + EN3 + "\n"
    path = write(inbox / "mixed.txt", utf8_part.encode("utf-8") + AR.encode("cp1256") + b"\n" + "Fin: trêve tenue.\n".encode("utf-8"))
    doc = _only_doc(store, ingest(store, [str(path)]))
    assert doc.text == utf8_part + AR + "\nFin: trêve tenue."
    assert doc.extra["encoding"].startswith("mixed:utf-8+")


def test_legacy_encodings_in_jsonl_and_csv_lines(store: Store, inbox: Path) -> None:
    jsonl = (json.dumps({"text": AR}, ensure_ascii=False).encode("cp1256") + b"\n"
             + json.dumps({"text": EN}).encode("utf-8") + b"\n")
    write(inbox / "legacy.jsonl", jsonl)
    write(inbox / "legacy.csv", "title,text\n".encode() + f'Trêve,"{FR.replace(chr(10), " ")}"\n'.encode("latin-1"))
    summary = ingest(store, [str(inbox)])
    assert summary.rejected == [] and summary.ingested == 3
    texts = {d.text for d in documents(store)}
    assert texts == {AR, EN, FR.replace("\n", " ")}


def test_utf8_bom_is_not_a_problem(store: Store, inbox: Path) -> None:
    bom = b"\xef\xbb\xbf"
    write(inbox / "bom.txt", bom + EN.encode())
    write(inbox / "bom.jsonl", bom + (json.dumps({"text": EN2}) + "\n" + json.dumps({"text": EN3}) + "\n").encode())
    write(inbox / "bom.csv", bom + f'text,title\n"{EN4}",Maps\n'.encode())
    write(inbox / "bom.json", bom + json.dumps([{"text": "Array item: " + EN}]).encode())
    summary = ingest(store, [str(inbox)])
    assert summary.rejected == [], [str(r) for r in summary.rejected]
    assert {d.text for d in documents(store)} == {EN, EN2, EN3, EN4, "Array item: " + EN}


def test_utf16_with_bom_is_decoded() -> None:
    prepared = prepare(RawRecord("wide.txt", "txt", FR.encode("utf-16")))
    assert not isinstance(prepared, Rejection) and prepared.row["text"] == FR


# --- one problem at a time ---------------------------------------------------------


def test_binary_inputs_name_what_they_are(inbox: Path) -> None:
    cases = {
        "scan.pdf": b"%PDF-1.7\n" + bytes(range(256)),
        "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)),
        "bundle.zip": b"PK\x03\x04" + bytes(range(256)),
        "notes.txt.gz": b"\x1f\x8b\x08" + bytes(range(256)),
        "data.db": b"SQLite format 3\x00" + bytes(256),
    }
    for name, data in cases.items():
        result = prepare(RawRecord(name, "txt", data))
        assert isinstance(result, Rejection), name
        assert result.reason.startswith("not a text file: looks like"), result.reason


def test_navigation_only_page_is_rejected(store: Store, inbox: Path) -> None:
    path = write(inbox / "home.html", nav_only_page())
    summary = ingest(store, [str(path)])
    assert [str(r) for r in summary.rejected] == [
        f"{path}: no article text found: the page holds only navigation or boilerplate"
    ]
    assert documents(store) == []


def test_hostile_html_is_stored_without_script(store: Store, inbox: Path) -> None:
    path = write(inbox / "hostile.html", hostile_page(depth=200, attribute_size=1_000_000))
    summary = ingest(store, [str(path)])
    doc = _only_doc(store, summary)
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in doc.text
    for secret in SECRETS:
        assert secret not in doc.text, secret
    assert len(doc.text) < 1000


@pytest.mark.parametrize("depth", [1000, 5000])
def test_absurdly_nested_html_does_not_crash(depth: int) -> None:
    page = hostile_page(depth=depth, attribute_size=2_000_000)
    result = prepare(RawRecord("deep.html", "html", page.encode()))
    if isinstance(result, Rejection):  # lxml stops building the tree past its depth limit, and we say so
        assert result.reason.startswith("HTML nested too deeply")
    else:
        for secret in SECRETS:
            assert secret not in result.row["text"], secret


def test_script_only_page_is_rejected() -> None:
    page = "<html><body><script>" + "var a = 'The ceasefire held overnight, officials said today.';" * 50 + "</script></body></html>"
    result = prepare(RawRecord("js.html", "html", page.encode()))
    assert isinstance(result, Rejection) and "no article" in result.reason


def test_missing_path_and_empty_glob(store: Store, inbox: Path) -> None:
    write(inbox / "ok.txt", EN)
    missing, pattern = str(inbox / "nope" / "gone.txt"), str(inbox / "2031-*.txt")
    summary = ingest(store, [missing, str(inbox / "ok.txt"), pattern])
    assert [str(r) for r in summary.rejected] == [
        f"{missing}: no such file or directory",
        f"{pattern}: no file matches this pattern",
    ]
    assert summary.ingested == 1


def test_invalid_and_non_utf8_json_files(inbox: Path) -> None:
    from trucewatch.documents.readers import iter_inputs

    write(inbox / "broken.json", '[\n  {"text": "fine"},\n  {"text": oops}\n]')
    write(inbox / "legacy.json", json.dumps({"text": FR}, ensure_ascii=False), "latin-1")
    write(inbox / "items.json", json.dumps([{"text": EN}, {"title": "no text"}, "a string"]))
    items = list(iter_inputs([str(inbox)], ReadOptions()))
    problems = [str(i) for i in items if isinstance(i, Rejection)]
    assert problems == [
        f"{inbox / 'broken.json'}:3: invalid JSON: Expecting value (column 12)",
        f"{inbox / 'items.json'}: item 2: record has no text (looked for field text/body/content/article; set another with --field text=NAME)",
        f"{inbox / 'items.json'}: item 3: expected a JSON object, got str",
        f"{inbox / 'legacy.json'}: JSON is not UTF-8 (invalid continuation byte at byte 37)",
    ]
    assert sum(isinstance(i, RawRecord) for i in items) == 1


def test_size_limits_from_options(inbox: Path) -> None:
    from trucewatch.documents.readers import iter_inputs

    options = ReadOptions(max_bytes=1000)
    write(inbox / "long.txt", "The truce held. " * 100)
    write(inbox / "lines.jsonl", json.dumps({"text": EN}) + "\n" + json.dumps({"text": "x " * 2000}) + "\n"
          + json.dumps({"text": EN2}) + "\n")
    items = list(iter_inputs([str(inbox / "long.txt"), str(inbox / "lines.jsonl")], options))
    assert [str(i) for i in items if isinstance(i, Rejection)] == [
        f"{inbox / 'long.txt'}: file too large (0.0 MB > 0.0 MB limit; raise it with --max-size)",
        f"{inbox / 'lines.jsonl'}:2: line too large (> 0.0 MB limit; raise it with --max-size)",
    ]
    assert [i.line for i in items if isinstance(i, RawRecord)] == [1, 3]
    stdin = list(iter_inputs(["-"], ReadOptions(max_bytes=1000, stdin=io.BytesIO(b"x" * 1001))))
    assert [i.reason.split(" (")[0] for i in stdin] == ["input too large"]


def test_binary_stdin_is_rejected(store: Store) -> None:
    options = ReadOptions(stdin=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(range(256))))
    summary = ingest(store, ["-"], options)
    assert [str(r) for r in summary.rejected] == ["<stdin>: not a text file: looks like a PNG image"]


def test_empty_csv_and_jsonl(store: Store, inbox: Path) -> None:
    write(inbox / "empty.csv", b"")
    write(inbox / "header-only.csv", b"title,text\n")
    write(inbox / "blank.jsonl", b"\n\n  \n")
    summary = ingest(store, [str(inbox)])
    assert [Path(r.path).name + ": " + r.reason for r in summary.rejected] == [
        "blank.jsonl: empty file: only blank lines, no records", "empty.csv: empty file",
        "header-only.csv: no records: the file has a header line and no rows",  # issue 13: said, not silent
    ]
    assert summary.ingested == 0


def test_file_of_only_furniture_is_rejected(inbox: Path) -> None:
    result = prepare(RawRecord(str(inbox / "furniture.txt"), "txt", b"Share\nvideo\n6126630991001\nRead more\n"))
    assert isinstance(result, Rejection)
    assert result.reason == "empty document: no text left after cleaning"


# --- a 200 MB file -------------------------------------------------------------------


@pytest.fixture(scope="module")
def huge_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """200 MB of plain ASCII report text, removed again after the module."""
    path = tmp_path_factory.mktemp("huge") / "dump.txt"
    chunk = (b"The ceasefire line near the airport was quiet again, observers said.\n" * 15_421)[: 1024 * 1024]
    with path.open("wb") as handle:
        for _ in range(200):
            handle.write(chunk)
    yield path
    path.unlink(missing_ok=True)


@pytest.mark.slow
def test_200mb_file_is_rejected_as_too_large(huge_file: Path, tmp_path: Path) -> None:
    assert huge_file.stat().st_size == 200 * 1024 * 1024
    write(tmp_path / "in" / "small.txt", EN)
    opened = open_store(f"sqlite:///{tmp_path / 'big.db'}")
    try:
        started = time.monotonic()
        summary = ingest(opened, [str(huge_file), str(tmp_path / "in")])
        assert time.monotonic() - started < 10
        assert [str(r) for r in summary.rejected] == [
            f"{huge_file}: file too large (200.0 MB > 20.0 MB limit; raise it with --max-size)"
        ]
        assert summary.ingested == 1 and count(opened, RawBlob) == 1
    finally:
        opened.close()


# --- the command line ----------------------------------------------------------------


@pytest.mark.slow
def test_cli_reports_each_rejection_and_exits_1(huge_file: Path, inbox: Path, tmp_path: Path) -> None:
    paths = make_bad_batch(inbox)
    db = str(tmp_path / "cli.db")
    done = run("ingest", *paths, str(huge_file), "--db", db, "--create")
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        f"ingested {len(EXPECTED_STORED)}, unchanged 0, rejected {len(EXPECTED_REJECTED) + 1}"
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert all(line.startswith("rejected ") for line in lines), lines
    assert len(lines) == len(EXPECTED_REJECTED) + 1
    reasons = {}
    for line in lines:
        where, _, reason = line[len("rejected ") :].partition(": ")
        reasons[Path(where).name] = reason  # "records.jsonl:3", "missing.txt", "*.nothing"
    assert set(reasons) == set(EXPECTED_REJECTED) | {huge_file.name}
    for key, expected in EXPECTED_REJECTED.items():
        assert expected in reasons[key], (key, reasons[key])
    assert f"rejected {huge_file}: file too large (200.0 MB > 20.0 MB limit" in done.stderr

    again = run("ingest", *paths, "--db", db)
    assert again.returncode == 1
    assert f"ingested 0, unchanged {len(EXPECTED_STORED)}, rejected {len(EXPECTED_REJECTED)}" in again.stdout


def test_a_document_the_database_refuses_costs_only_itself(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If one row of a batch cannot be stored, the batch is retried row by row."""
    from trucewatch.documents import ingest as ingest_module

    real_prepare = ingest_module.prepare

    def poisoning_prepare(record, **kwargs):  # type: ignore[no-untyped-def]
        prepared = real_prepare(record, **kwargs)
        if record.path.endswith("poison.txt"):
            prepared.row["text"] = None  # NOT NULL on every backend
        return prepared

    monkeypatch.setattr(ingest_module, "prepare", poisoning_prepare)
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(5):
        (folder / f"ok{i}.txt").write_text(f"Report number {i} says the line held overnight.", encoding="utf-8")
    (folder / "poison.txt").write_text("This one will not store.", encoding="utf-8")
    seen: list[str] = []
    summary = ingest_module.ingest(store, [str(folder)], on_item=lambda kind, p: seen.append(kind))
    assert summary.ingested == 5
    assert [r.path.endswith("poison.txt") and r.reason.startswith("cannot store:") for r in summary.rejected] == [True]
    assert seen.count("rejected") == 1
    with store.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 5
        errors = session.scalars(select(IngestError)).all()
        assert len(errors) == 1 and errors[0].path.endswith("poison.txt")


def test_nul_bytes_in_metadata_are_stored_cleanly(store, tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps({"title": "Bad\u0000title", "outlet": "Out\u0000let", "url": "https://example.org/a\u0000",
                                "text": "Talks resumed in Geneva on Monday."}) + "\n", encoding="utf-8")
    summary = ingest(store, [str(path)])
    assert summary.ingested == 1 and not summary.rejected
    with store.sessions() as session:
        doc = session.scalars(select(Document)).one()
        assert (doc.title, doc.outlet, doc.url) == ("Badtitle", "Outlet", "https://example.org/a")


def test_lone_surrogates_do_not_stop_the_batch(store, tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl"
    lines = [json.dumps({"title": "ok one", "text": "The first report is fine."}),
             json.dumps({"title": "cut \ud83d emoji", "text": "A scraped emoji was cut in half \ud83d here."}),
             json.dumps({"title": "ok two", "text": "The third report is fine too."})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest(store, [str(path)])
    assert summary.ingested == 3 and not summary.rejected
