"""Ingest as a user runs it: seeds, folders, globs, stdin and every supported format.

Tests that take the ``store`` fixture run twice, on a real SQLite file and on a real
PostgreSQL database. The fixture documents are written here, in our own words.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.clitools import run
from trucewatch.documents.ingest import IngestSummary, document_id, ingest, prepare
from trucewatch.documents.readers import FieldMap, RawRecord, ReadOptions, Rejection
from trucewatch.store import Store
from trucewatch.store.schema import Document, IngestError, RawBlob

# --- helpers -----------------------------------------------------------------------


def documents(store: Store) -> list[Document]:
    with store.session() as session:
        return list(session.scalars(select(Document).order_by(Document.source_path, Document.source_line)))


def by_name(store: Store) -> dict[str, Document]:
    """Documents keyed by the file name they came from (plus ``:line`` for records)."""
    found = {}
    for doc in documents(store):
        key = Path(doc.source_path).name + (f":{doc.source_line}" if doc.source_line is not None else "")
        assert key not in found, f"two documents from {key}"
        found[key] = doc
    return found


def count(store: Store, model: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def raw_of(store: Store, doc: Document) -> bytes:
    with store.session() as session:
        return session.get(RawBlob, doc.raw_sha256).content


def clean_summary(summary: IngestSummary) -> IngestSummary:
    assert summary.rejected == [], [str(r) for r in summary.rejected]
    return summary


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An input folder apart from tmp_path, where the SQLite variant keeps its database."""
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


EN = (
    "Monitors from the joint commission reported that the truce around the oil terminals held through the night, "
    "with no shelling heard near the coastal road for the first time in a week."
)
EN2 = "Negotiators said a second round of talks on the exchange of prisoners would open in the capital next month."
AR = (
    "قالت لجنة المراقبة إن الهدنة حول الموانئ النفطية صمدت طوال الليل، ولم يسمع أي قصف قرب الطريق الساحلي "
    "للمرة الأولى منذ أسبوع، فيما يستعد الطرفان لجولة جديدة من المحادثات."
)
FR = (
    "Les observateurs de la commission conjointe ont indiqué que la trêve autour des terminaux pétroliers "
    "a tenu toute la nuit, sans aucun bombardement près de la route côtière depuis une semaine."
)


# --- seeds ---------------------------------------------------------------------------


def test_seeds_are_stored_clean(store: Store, seeds: Path) -> None:
    summary = clean_summary(ingest(store, [str(seeds)]))
    assert (summary.ingested, summary.unchanged) == (2, 0)
    docs = {Path(d.source_path).name[:3]: d for d in documents(store)}
    assert set(docs) == {"000", "002"}
    first, second = docs["000"], docs["002"]

    assert "Copyright" not in first.text and "All rights reserved" not in first.text
    assert first.text.rstrip().endswith("significant blow to Haftar’s forces.")
    assert first.outlet == "Anadolu Agency"
    assert first.extra["outlet_basis"] == "copyright footer"

    assert "6126630991001" not in second.text
    assert "video" not in second.text.split("\n")
    assert "Persuade Hifter" in second.text.split("\n")
    assert second.outlet is None

    for doc in (first, second):
        assert doc.language == "en"
        assert doc.published is None and doc.published_basis == "unknown" and doc.published_precision is None
        assert doc.source_format == "txt" and doc.source_line is None
        assert doc.id == document_id(doc.text)


def test_seeds_reingest_is_a_no_op_and_raw_bytes_are_exact(store: Store, seeds: Path) -> None:
    clean_summary(ingest(store, [str(seeds)]))
    before = (count(store, Document), count(store, RawBlob))
    assert before == (2, 2)
    again = clean_summary(ingest(store, [str(seeds)]))
    assert (again.ingested, again.unchanged) == (0, 2)
    assert (count(store, Document), count(store, RawBlob)) == before
    for doc in documents(store):
        stored = raw_of(store, doc)
        assert stored == Path(doc.source_path).read_bytes()
        with store.session() as session:
            assert session.get(RawBlob, doc.raw_sha256).size == len(stored)


# --- where input comes from --------------------------------------------------------


def test_folder_recursion_skips_hidden_files_and_folders(store: Store, inbox: Path) -> None:
    root = inbox / "inbox"
    write(root / "top.txt", EN)
    write(root / "region" / "east" / "deep.txt", EN2)
    write(root / "region" / "west.md", "A third report says the ceasefire line near the airbase was quiet on Sunday.")
    write(root / ".draft.txt", "A hidden draft that must not be stored at all, not even once.")
    write(root / ".git" / "notes.txt", "Hidden folder content that must not be stored either.")
    write(root / "region" / ".cache" / "x.txt", "Another hidden folder, deeper down, also skipped.")
    summary = clean_summary(ingest(store, [str(root)]))
    assert summary.ingested == 3
    assert sorted(by_name(store)) == ["deep.txt", "top.txt", "west.md"]
    assert all("hidden" not in d.text.lower() for d in documents(store))


def test_globs_select_files(store: Store, inbox: Path) -> None:
    write(inbox / "a" / "one.txt", EN)
    write(inbox / "a" / "skip.md", "Markdown notes that the txt glob does not match, about the truce.")
    write(inbox / "b" / "c" / "two.txt", EN2)
    summary = clean_summary(ingest(store, [str(inbox / "a" / "*.txt")]))
    assert summary.ingested == 1 and list(by_name(store)) == ["one.txt"]
    summary = clean_summary(ingest(store, [str(inbox / "**" / "*.txt")]))
    assert (summary.ingested, summary.unchanged) == (1, 1)
    assert sorted(by_name(store)) == ["one.txt", "two.txt"]


def test_stdin_text(store: Store) -> None:
    options = ReadOptions(stdin=io.BytesIO((EN + "\n").encode("utf-8")))
    clean_summary(ingest(store, ["-"], options))
    [doc] = documents(store)
    assert doc.source_path == "<stdin>" and doc.source_format == "txt" and doc.text == EN


def test_stdin_jsonl_is_sniffed_and_numbered(store: Store) -> None:
    lines = [json.dumps({"text": EN, "title": "Truce holds"}), json.dumps({"text": EN2, "title": "Talks next month"})]
    options = ReadOptions(stdin=io.BytesIO("\n".join(lines).encode("utf-8")))
    summary = clean_summary(ingest(store, ["-"], options))
    assert summary.ingested == 2
    docs = documents(store)
    assert [(d.source_path, d.source_line, d.title) for d in docs] == [
        ("<stdin>", 1, "Truce holds"),
        ("<stdin>", 2, "Talks next month"),
    ]


def test_stdin_with_forced_csv_format(store: Store) -> None:
    data = "title,text\nTruce holds," + json.dumps(EN) + "\n"
    options = ReadOptions(fmt="csv", stdin=io.BytesIO(data.encode("utf-8")))
    clean_summary(ingest(store, ["-"], options))
    [doc] = documents(store)
    assert (doc.title, doc.text, doc.source_format, doc.source_line) == ("Truce holds", EN, "csv", 2)


# --- formats -----------------------------------------------------------------------


def test_plain_text_headline_becomes_the_title(store: Store, inbox: Path) -> None:
    write(inbox / "report.txt", "Truce holds around the oil ports\n\n" + EN + "\n\n" + EN2 + "\n")
    write(inbox / "single.txt", EN2)
    clean_summary(ingest(store, [str(inbox)]))
    docs = by_name(store)
    assert docs["report.txt"].title == "Truce holds around the oil ports"
    assert docs["report.txt"].text == "Truce holds around the oil ports\n\n" + EN + "\n\n" + EN2
    assert docs["single.txt"].title is None  # one sentence with a full stop is not a headline
    assert docs["report.txt"].extra["encoding"] == "utf-8"


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Truce holds in Misrata as monitors deploy | Sahel Courier</title>
<meta property="og:site_name" content="Sahel Courier">
<meta property="og:title" content="Truce holds in Misrata as monitors deploy">
<meta property="og:url" content="https://sahel-courier.example/2020/09/truce-misrata">
<meta property="article:published_time" content="2020-09-14T08:30:00+02:00">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience on this site.
<button>Accept all cookies</button></div>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/africa">Africa</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Truce holds in Misrata as monitors deploy</h1>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<p>A fragile truce around Misrata held for a third straight day on Monday as a small team of observers
arrived in the city, local officials said.</p>
<p>The observers, drawn from several neighbouring countries, are expected to patrol the coastal road and
report any breach to a joint committee within twenty-four hours.</p>
<p>Residents who fled the fighting in August said they would wait for more guarantees before returning
to their homes in the eastern districts.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Football results from the weekend league</a></li></ul></aside>
<footer><p>© 2020 Sahel Courier. All rights reserved.</p><a href="/privacy">Privacy policy</a>
<a href="/terms">Terms of use</a></footer>
</body></html>
"""


def test_html_article_without_boilerplate_and_with_metadata(store: Store, inbox: Path) -> None:
    page = write(inbox / "misrata.html", HTML_PAGE)
    clean_summary(ingest(store, [str(page)]))
    [doc] = documents(store)
    assert doc.source_format == "html"
    assert "A fragile truce around Misrata held for a third straight day" in doc.text
    assert "report any breach to a joint committee within twenty-four hours." in doc.text
    assert "wait for more guarantees" in doc.text
    for junk in ("cookies", "Accept all", "Home", "Africa", "Share on", "Most read", "Football",
                 "Privacy", "Terms of use", "All rights reserved", "©"):
        assert junk not in doc.text, junk
    assert doc.outlet == "Sahel Courier"
    assert doc.title == "Truce holds in Misrata as monitors deploy"
    assert doc.url == "https://sahel-courier.example/2020/09/truce-misrata"
    assert (doc.published, doc.published_basis, doc.published_precision) == ("2020-09-14", "metadata", "day")
    assert doc.language == "en"
    assert raw_of(store, doc) == page.read_bytes()


def test_outlet_option_is_only_a_fallback() -> None:
    """What the input names (page site name, copyright footer) wins over --outlet."""
    prepared = prepare(RawRecord("p.html", "html", HTML_PAGE.encode()), outlet="Given Outlet")
    assert not isinstance(prepared, Rejection)
    assert prepared.row["outlet"] == "Sahel Courier"
    footer = prepare(RawRecord("f.txt", "txt", "A report.\n\n© 2020 Named Wire.".encode()), outlet="Given Outlet")
    assert footer.row["outlet"] == "Named Wire"  # type: ignore[union-attr]
    bare = prepare(RawRecord("b.txt", "txt", b"A report with no footer."), outlet="Given Outlet")
    assert bare.row["outlet"] == "Given Outlet"  # type: ignore[union-attr]


def test_json_object_array_and_documents_key(store: Store, inbox: Path) -> None:
    write(inbox / "one.json", json.dumps({"title": "Single", "text": EN, "published": "2020-06-05"}))
    write(inbox / "many.json", json.dumps([{"text": EN2, "outlet": "Harbour Post"}, {"body": FR}], ensure_ascii=False))
    write(inbox / "wrapped.json", json.dumps({"documents": [{"content": AR}]}, ensure_ascii=False))
    summary = clean_summary(ingest(store, [str(inbox)]))
    assert summary.ingested == 4
    docs = {d.text: d for d in documents(store)}
    assert docs[EN].title == "Single" and docs[EN].published == "2020-06-05"
    assert docs[EN].published_basis == "metadata" and docs[EN].source_format == "json"
    assert docs[EN2].outlet == "Harbour Post"
    assert docs[FR].language == "fr" and docs[AR].language == "ar"
    assert json.loads(raw_of(store, docs[EN2])) == {"text": EN2, "outlet": "Harbour Post"}


RECORDS = [
    {"title": "Truce holds", "text": EN, "url": "https://harbour.example/1", "published": "2020-06-05T09:00:00Z",
     "outlet": "Harbour Post", "desk": "north"},
    {"title": "Prisoner talks", "text": EN2, "url": "https://harbour.example/2", "published": "June 7, 2020",
     "outlet": "Oasis Ledger"},
    {"title": "Hudna", "text": AR, "url": "https://harbour.example/3", "published": "2020-06", "outlet": "Harbour Post"},
    {"title": "Trêve", "text": FR, "url": "https://harbour.example/4", "published": "", "outlet": "Oasis Ledger"},
]


def _check_records(store: Store, fmt: str) -> None:
    docs = documents(store)
    assert [d.source_line for d in docs] == ([2, 3, 4, 5] if fmt == "csv" else [1, 2, 3, 4])
    for doc, record in zip(docs, RECORDS):
        assert (doc.title, doc.text, doc.url, doc.outlet) == (record["title"], record["text"], record["url"], record["outlet"])
        assert doc.source_format == fmt
    assert (docs[0].published, docs[0].published_precision) == ("2020-06-05T09:00:00Z", "minute")
    assert (docs[1].published, docs[1].published_precision) == ("2020-06-07", "day")
    assert (docs[2].published, docs[2].published_precision) == ("2020-06", "month")
    assert [d.published_basis for d in docs] == ["metadata", "metadata", "metadata", "unknown"]
    assert [d.language for d in docs] == ["en", "en", "ar", "fr"]
    assert docs[0].extra["fields"] == {"desk": "north"}


def test_jsonl_records(store: Store, inbox: Path) -> None:
    path = write(inbox / "batch.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS))
    summary = clean_summary(ingest(store, [str(path)]))
    assert summary.ingested == 4
    _check_records(store, "jsonl")
    first_line = path.read_bytes().split(b"\n")[0]
    assert raw_of(store, documents(store)[0]) == first_line


def test_csv_records(store: Store, inbox: Path) -> None:
    path = inbox / "batch.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["title", "text", "url", "published", "outlet", "desk"])
        writer.writeheader()
        for record in RECORDS:
            writer.writerow({"desk": "", **record})
    summary = clean_summary(ingest(store, [str(path)]))
    assert summary.ingested == 4
    _check_records(store, "csv")


def test_tsv_with_multiline_cell(store: Store, inbox: Path) -> None:
    path = inbox / "batch.tsv"
    path.write_text('title\ttext\nTwo paragraphs\t"' + EN + "\n\n" + EN2 + '"\nNext\t' + FR + "\n", encoding="utf-8")
    clean_summary(ingest(store, [str(path)]))
    docs = documents(store)
    assert [(d.source_line, d.text) for d in docs] == [(2, EN + "\n\n" + EN2), (5, FR)]


RENAMED = {"story": EN, "heading": "Truce holds", "permalink": "https://harbour.example/r", "issued": "2020-06-05",
           "paper": "Harbour Post"}
OVERRIDES = {"text": "story", "title": "heading", "url": "permalink", "published": "issued", "outlet": "paper"}


def _check_renamed(store: Store, fmt: str) -> None:
    [doc] = documents(store)
    assert (doc.text, doc.title, doc.url, doc.published, doc.outlet, doc.source_format) == (
        EN, "Truce holds", "https://harbour.example/r", "2020-06-05", "Harbour Post", fmt)
    assert doc.published_basis == "metadata"
    assert "fields" not in (doc.extra or {})  # every field was used


def test_renamed_fields_jsonl(store: Store, inbox: Path) -> None:
    path = write(inbox / "renamed.jsonl", json.dumps(RENAMED) + "\n")
    plain = ingest(store, [str(path)])
    assert plain.ingested == 0 and len(plain.rejected) == 1
    assert "record has no text" in plain.rejected[0].reason and "--field text=NAME" in plain.rejected[0].reason
    options = ReadOptions(fields=FieldMap().with_overrides(OVERRIDES))
    clean_summary(ingest(store, [str(path)], options))
    _check_renamed(store, "jsonl")


def test_renamed_fields_csv(store: Store, inbox: Path) -> None:
    path = inbox / "renamed.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(RENAMED))
        writer.writeheader()
        writer.writerow(RENAMED)
    options = ReadOptions(fields=FieldMap().with_overrides(OVERRIDES))
    clean_summary(ingest(store, [str(path)], options))
    _check_renamed(store, "csv")


def test_field_override_comes_first_and_unknown_names_fail() -> None:
    fields = FieldMap().with_overrides({"text": "body"})
    assert fields.text[0] == "body" and "text" in fields.text
    assert fields.pick({"text": "a", "body": "b"}, "text") == "b"
    assert fields.pick({"text": "a", "body": ""}, "text") == "a"
    with pytest.raises(ValueError, match="unknown field"):
        FieldMap().with_overrides({"nonsense": "x"})


# --- publication dates and languages -----------------------------------------------


def test_publication_date_from_filename_and_dateline(store: Store, inbox: Path) -> None:
    write(inbox / "2020-06-05_truce.txt", EN)
    write(inbox / "geneva.txt", "GENEVA, 23 October 2020 — " + EN2)
    write(inbox / "wire.txt", "TRIPOLI, Jun 12 (Harbour Wire) - " + EN)
    write(inbox / "2021-01-31_geneva.txt", "GENEVA, 23 October 2020 — The filename date wins over the dateline.")
    write(inbox / "plain.txt", FR)
    clean_summary(ingest(store, [str(inbox)]))
    docs = by_name(store)
    got = {name: (d.published, d.published_basis, d.published_precision) for name, d in docs.items()}
    assert got == {
        "2020-06-05_truce.txt": ("2020-06-05", "filename", "day"),
        "geneva.txt": ("2020-10-23", "dateline", "day"),
        "wire.txt": (None, "unknown", None),
        "2021-01-31_geneva.txt": ("2021-01-31", "filename", "day"),
        "plain.txt": (None, "unknown", None),
    }
    partial = docs["wire.txt"].extra["dateline"]  # the yearless dateline is kept for the time stage
    assert (partial["text"], partial["year"], partial["month"], partial["day"]) == ("Jun 12", None, 6, 12)
    assert docs["wire.txt"].text[partial["start"] : partial["end"]] == "Jun 12"


def test_record_metadata_date_wins_and_bad_metadata_is_kept() -> None:
    good = prepare(RawRecord("2019-01-01_x.jsonl", "jsonl", b"{}", 1, {"text": EN, "date": "2020-06-05"}))
    assert not isinstance(good, Rejection)
    assert (good.row["published"], good.row["published_basis"]) == ("2020-06-05", "metadata")
    bad = prepare(RawRecord("x.jsonl", "jsonl", b"{}", 1, {"text": "GENEVA, 23 October 2020 — " + EN, "date": "soon"}))
    assert not isinstance(bad, Rejection)
    assert (bad.row["published"], bad.row["published_basis"]) == ("2020-10-23", "dateline")
    assert bad.row["extra"]["unparsed_published"] == "soon"


def test_arabic_and_french_language(store: Store, inbox: Path) -> None:
    write(inbox / "ar.txt", AR)
    write(inbox / "fr.txt", FR)
    write(inbox / "en.txt", EN)
    write(inbox / "tiny.txt", "OK 12")
    clean_summary(ingest(store, [str(inbox)]))
    docs = by_name(store)
    assert {name: d.language for name, d in docs.items()} == {"ar.txt": "ar", "fr.txt": "fr", "en.txt": "en", "tiny.txt": None}
    assert docs["ar.txt"].text == AR and docs["fr.txt"].text == FR
    assert docs["ar.txt"].language_confidence > 0.5


def test_language_given_by_the_record_is_trusted() -> None:
    prepared = prepare(RawRecord("x.jsonl", "jsonl", b"{}", 1, {"text": EN, "lang": "FR "}))
    assert not isinstance(prepared, Rejection)
    assert prepared.row["language"] == "fr" and prepared.row["extra"]["language_basis"] == "metadata"
    guessed = prepare(RawRecord("x.jsonl", "jsonl", b"{}", 1, {"text": EN, "lang": "English please"}))
    assert not isinstance(guessed, Rejection) and guessed.row["language"] == "en"


# --- identity and idempotence ------------------------------------------------------


def test_same_text_in_two_files_is_stored_once(store: Store, inbox: Path) -> None:
    write(inbox / "a.txt", EN + "\n")
    write(inbox / "b.txt", "\r\n" + EN.replace(" ", "\u00a0", 3) + "\r\nShare\r\n")
    summary = clean_summary(ingest(store, [str(inbox)]))
    assert (summary.ingested, summary.unchanged) == (1, 1)
    assert count(store, Document) == 1 and count(store, RawBlob) == 1


def test_small_batches_commit_everything_and_report_progress(store: Store, inbox: Path) -> None:
    for i in range(7):
        write(inbox / f"r{i}.txt", f"Report {i}: observers counted {i * 3} breaches of the truce near the port.")
    write(inbox / "empty.txt", "")
    seen: list[str] = []
    summary = ingest(store, [str(inbox)], batch_size=3, on_item=lambda kind, _: seen.append(kind))
    assert summary.ingested == 7 and len(summary.rejected) == 1
    assert sorted(seen) == ["document"] * 7 + ["rejected"]
    assert count(store, Document) == 7 and count(store, IngestError) == 1


def test_document_id_is_a_content_hash() -> None:
    assert document_id(EN) == document_id(EN) and len(document_id(EN)) == 32
    assert document_id(EN) != document_id(EN2)


# --- the command line --------------------------------------------------------------


def test_cli_ingest_folder_twice(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write(folder / "2020-06-05_en.txt", "A text report of its own: the truce in the south held again on Friday.")
    write(folder / "records.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS))
    write(folder / "page.html", HTML_PAGE)
    db = str(tmp_path / "cli.db")
    first = run("ingest", str(folder), "--db", db, "--create")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1] == "ingested 6, unchanged 0, rejected 0"
    assert "rejected " not in first.stderr
    again = run("ingest", str(folder), "--db", db, "-q")
    assert again.returncode == 0
    assert again.stdout == "" and "ingested 0, unchanged 6, rejected 0" in again.stderr


def test_cli_stdin_field_and_outlet_options(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    line = json.dumps({"story": EN, "heading": "Truce holds"}) + "\n"
    done = run("ingest", "-", "--db", db, "--create", "--format", "jsonl", "--field", "text=story", "--field", "title=heading",
               "--outlet", "Given Outlet", stdin=line)
    assert done.returncode == 0, done.stderr
    assert "ingested 1, unchanged 0, rejected 0" in done.stdout
    from trucewatch.store import open_store

    opened = open_store(db)
    try:
        [doc] = documents(opened)
        assert (doc.text, doc.title, doc.outlet, doc.source_path, doc.source_line) == (
            EN, "Truce holds", "Given Outlet", "<stdin>", 1)
    finally:
        opened.close()
