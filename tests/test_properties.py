"""Property-based tests: random bytes and random structures never raise past the boundary.

Why: the unit tests pin behaviours we thought of; these throw what we did not think of
(control characters, bidi marks, lone surrogates, odd nesting, broken encodings) at the
readers, the decoder, the cleaning, the time tagger, the number parser and the
publication-date parser. Each property says what the boundary promises: a value or a
named rejection, never an exception, and spans that point into the text they came from.

The runs are derandomised and keep no example database, so CI sees the same examples
on every run and nothing is written into the repository. For a longer hunt by hand,
``TRUCEWATCH_PROPS_SCALE=50`` multiplies the example counts and draws fresh random examples.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trucewatch.documents import pubdate
from trucewatch.documents.clean import clean_text, normalise
from trucewatch.documents.decode import Decoded, DecodeError, decode_bytes
from trucewatch.documents.ingest import PreparedDocument, prepare
from trucewatch.documents.readers import RawRecord, ReadOptions, Rejection, iter_inputs
from trucewatch.extract.events.counts import KINDS, find_counts, parse_quantity
from trucewatch.extract.time import tag_time


_SCALE = int(os.environ.get("TRUCEWATCH_PROPS_SCALE", "1") or 1)


def _settings(examples: int) -> settings:
    """Deterministic (same examples on every run), no example database, no deadline."""
    return settings(
        max_examples=examples * _SCALE,
        deadline=None,
        derandomize=_SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --------------------------------------------------------------------- strategies

# Characters scraped text really carries and that cleaning treats specially: bidi and
# zero-width controls, soft hyphen, BOM, odd spaces, line breaks of every kind, C0/C1
# controls, Arabic presentation forms (incl. ligatures that NFKC expands to words),
# combining marks, and lone surrogates (a JSON "\ud800" escape decodes to one).
_AWKWARD = (
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200b\u200c\u200d\u2060"
    "\u00ad\ufeff\u00a0\u2009\u202f\u3000\u1680\u180e\u2028\u2029\u0085\r\n\t\x0b\x0c\x1c\x1d\x1e\x1f"
    "\x00\x07\x1b\x7f\x80\x9f\ufb50\ufb8a\ufdf2\ufdfa\ufdfb\ufdfd\ufe70\ufe8d\ufefb\ufefc\ufe8e"
    "\u0301\u0308\u0651\u064b\u0670\u1e9b\u212b\u2126\ufb01\u00c5\u0041\u030a\ud800\udfff\udc00"
    "©()cC0123456789 .:-–—|»›"
)
_ANY_CHAR = st.characters(codec=None, categories=None)  # every code point, surrogates included
_ANY_AWKWARD = st.one_of(st.sampled_from(_AWKWARD), _ANY_CHAR)
# The same without lone surrogates (see _json_strategies for why one test needs that).
_UTF8_AWKWARD = st.one_of(st.sampled_from(_AWKWARD.translate({0xD800: None, 0xDFFF: None, 0xDC00: None})),
                          st.characters(codec="utf-8"))
awkward_text = st.text(_ANY_AWKWARD, max_size=200)

# Words the cleaning rules and the three time grammars react to, so random text reaches
# the rules instead of bouncing off at the first regex.
_WORDS = (
    "Copyright", "©", "(c)", "2020", "All rights reserved", "Read more:", "Share", "Related", "Advertisement",
    "yesterday", "today", "tomorrow", "last", "next", "Monday", "Friday", "week", "month", "year", "ago",
    "January", "Jan.", "March", "12", "31", "29", "Feb", "February", "1999", "10000", "0", "2020-06-05",
    "on", "the", "following", "day", "earlier", "later", "since", "until", "between", "and", "from", "to",
    "mid-", "late", "early", "summer", "night", "morning", "at", "10:30", "GMT", "a.m.", "pm", "decade",
    "1990s", "century", "two", "three", "dozens", "hundreds", "several", "days", "weeks", "hours",
    "hier", "aujourd'hui", "demain", "lundi", "dernier", "prochain", "janvier", "mars", "le", "depuis",
    "semaine", "mois", "an", "il y a", "jours", "1er", "quatre-vingt", "vingt", "et", "un",
    "أمس", "اليوم", "غدا", "الاثنين", "الماضي", "المقبل", "يناير", "كانون", "الثاني", "مارس", "آذار",
    "أسبوع", "شهر", "عام", "منذ", "يوم", "٢٠٢٠", "١٢", "في", "قبل", "بعد", "الجمعة",
    "killed", "wounded", "injured", "dead", "displaced", "arrested", "abducted", "tués", "blessés",
    "at least", "more than", "about", "nearly", "up to", "between", "or", "million", "thousand",
    "1,000", "1.2", "150 000", "-", "+", ",", ".", ";", "\n", "\n\n", "%", "year-old", "No.",
    "9" * 30, "1" * 19, "99999999999999999999", "1e309",
)


def _soup(chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(_WORDS), st.text(chars, max_size=4)), max_size=40).map(" ".join)


word_soup = _soup(_ANY_AWKWARD)


def _publication() -> st.SearchStrategy[Any]:
    """Publication values tag_time documents as valid: None, a date, a datetime, ISO text, YYYY-MM, YYYY."""
    days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
    return st.one_of(
        st.none(),
        days,
        st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                     timezones=st.sampled_from([None, timezone.utc, timezone(timedelta(hours=-11))])),
        days.map(date.isoformat),
        days.map(lambda d: f"{d.isoformat()}T12:00:00Z"),
        days.map(lambda d: d.isoformat()[:7]),
        days.map(lambda d: d.isoformat()[:4]),
    )


# Field names the readers and prepare() look for, plus noise, so structures reach prepare().
_KEYS = ("text", "body", "content", "title", "headline", "url", "published", "date", "outlet", "source",
         "lang", "language", "translated", "documents", "x", "")
_LITERALS = st.sampled_from(["<p>Talks resumed.</p>", "2020-06-05", "2020-13-45", "03/10/2020", "12 janvier 2020",
                             "true", "en", "ar", "fr"])
# Nesting past the readers' limit of 100 levels must be a rejection, never a RecursionError;
# 400 stays below what json.dumps itself can write here.
_MAX_DEPTH = 400


def _json_strategies(surrogates: bool) -> tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]:
    """(leaf, tree) strategies for JSON values; ``surrogates`` lets strings hold lone surrogates.

    Lone surrogates (a "\\ud800" escape) once crashed the .json reader when it re-encoded
    an item; both the .json and the .jsonl tests keep them.
    """
    chars = _ANY_AWKWARD if surrogates else _UTF8_AWKWARD
    text, soup = st.text(chars, max_size=200), _soup(chars)
    leaf = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(),
                     soup, text, _LITERALS)
    keys = st.one_of(st.sampled_from(_KEYS), st.text(chars, max_size=6))
    tree = st.recursive(
        leaf, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
        max_leaves=20,
    )

    @st.composite
    def nested(draw: st.DrawFn) -> Any:
        """A value nested up to _MAX_DEPTH levels, alone or beside a record's text."""
        depth = draw(st.integers(min_value=0, max_value=_MAX_DEPTH))
        value: Any = draw(leaf)
        for _ in range(depth):
            value = [value] if draw(st.booleans()) else {draw(st.sampled_from(_KEYS)): value}
        if draw(st.booleans()):
            return {"text": draw(st.sampled_from(["Talks resumed in Geneva on Monday.", "", "x"])), "extra": value}
        return value

    return leaf, st.one_of(tree, nested())


json_leaf, json_value = _json_strategies(surrogates=True)


def _dump(obj: Any, ascii_only: bool) -> bytes:
    """JSON bytes; with ensure_ascii off, lone surrogates become (invalid) raw bytes, as a broken writer leaves them."""
    return json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------------ helpers

@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example (module-scoped: hypothesis reruns a test many times in one call)."""
    return tmp_path_factory.mktemp("props")


def _read_all(path: Path, data: bytes, max_bytes: int = 4096) -> Iterator[RawRecord | Rejection | PreparedDocument]:
    """Everything the input boundary yields for ``data`` stored at ``path``, prepared as ingest would."""
    path.write_bytes(data)
    for item in iter_inputs([str(path)], ReadOptions(max_bytes=max_bytes)):
        assert isinstance(item, (RawRecord, Rejection)), item
        yield item
        if isinstance(item, RawRecord):
            prepared = prepare(item, outlet="Props Wire")
            assert isinstance(prepared, (PreparedDocument, Rejection)), prepared
            yield prepared


def _assert_boundary(path: Path, data: bytes) -> None:
    items = list(_read_all(path, data))
    for item in items:
        if isinstance(item, PreparedDocument):
            assert item.row["text"], "a prepared document always has text"
            assert item.row["text"] == clean_text(item.row["text"]).text, "stored text is already clean"
        elif isinstance(item, Rejection):
            assert item.reason, "a rejection says why"
            assert not item.internal, f"a reader raised and its guard turned it into a rejection: {item}"


# ------------------------------------------------------------------------ readers

@pytest.mark.parametrize("ext", [".txt", ".json", ".jsonl", ".csv", ".tsv"])
@_settings(120)
@given(data=st.binary(max_size=600))
def test_readers_and_prepare_never_raise_on_random_bytes(scratch: Path, ext: str, data: bytes) -> None:
    _assert_boundary(scratch / f"random{ext}", data)


@_settings(25)
@given(data=st.one_of(st.binary(max_size=400), word_soup.map(lambda s: f"<html><body><p>{s}</p></body></html>"
                                                                      .encode("utf-8", "surrogatepass"))))
def test_html_reader_and_prepare_never_raise_on_random_bytes(scratch: Path, data: bytes) -> None:
    # Fewer examples: every HTML input goes through trafilatura, which is slow.
    _assert_boundary(scratch / "random.html", data)


@_settings(150)
@given(obj=json_value, ascii_only=st.booleans())
def test_json_reader_never_raises_on_random_structures(scratch: Path, obj: Any, ascii_only: bool) -> None:
    _assert_boundary(scratch / "tree.json", _dump(obj, ascii_only))


@_settings(100)
@given(objs=st.lists(json_value, min_size=1, max_size=4), ascii_only=st.booleans())
def test_jsonl_reader_never_raises_on_random_structures(scratch: Path, objs: list[Any], ascii_only: bool) -> None:
    _assert_boundary(scratch / "tree.jsonl", b"\n".join(_dump(o, ascii_only) for o in objs) + b"\n")


@_settings(100)
@given(
    header=st.lists(st.sampled_from(_KEYS), min_size=1, max_size=4),
    rows=st.lists(st.lists(st.one_of(word_soup, awkward_text, st.just('"')), max_size=5), max_size=4),
    tab=st.booleans(),
)
def test_csv_reader_never_raises_on_random_tables(
    scratch: Path, header: list[str], rows: list[list[str]], tab: bool
) -> None:
    sep = "\t" if tab else ","
    body = "\n".join(sep.join(row) for row in [header, *rows])
    _assert_boundary(scratch / ("table.tsv" if tab else "table.csv"), body.encode("utf-8", "surrogatepass"))


# ------------------------------------------------------------------------- decode

@_settings(300)
@given(data=st.one_of(st.binary(max_size=400), awkward_text.map(lambda s: s.encode("utf-16-le", "surrogatepass")),
                      word_soup.map(lambda s: s.encode("cp1256", "replace"))))
def test_decode_bytes_returns_text_or_raises_decode_error(data: bytes) -> None:
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc)
    else:
        assert isinstance(decoded, Decoded) and isinstance(decoded.text, str) and decoded.encoding


# ----------------------------------------------------------------------- cleaning

@_settings(600)
@given(text=st.one_of(awkward_text, word_soup))
def test_clean_text_never_raises_and_is_idempotent(text: str) -> None:
    once = clean_text(text).text
    assert clean_text(once).text == once
    assert normalise(once) == once
    once.encode("utf-8")  # no lone surrogate survives: the text must be storable


# --------------------------------------------------------------------------- time

@_settings(200)
@given(text=st.one_of(word_soup, awkward_text), published=_publication(), lang=st.sampled_from(["en", "fr", "ar"]))
def test_time_tagger_never_raises_and_spans_point_into_the_text(text: str, published: Any, lang: str) -> None:
    tagging = tag_time(text, published=published, lang=lang)
    for t in tagging.timexes:
        assert 0 <= t.start < t.end <= len(text), t
        assert text[t.start : t.end] == t.text, t


@_settings(100)
@given(text=word_soup, lang=st.sampled_from(["en", "fr", "ar", "de", None]))
def test_time_tagger_infers_without_raising(text: str, lang: str | None) -> None:
    tagging = tag_time(text, published=None, lang=lang, infer=True)
    for t in tagging.timexes:
        assert text[t.start : t.end] == t.text


# ------------------------------------------------------------------------ numbers

@_settings(400)
@given(text=st.one_of(word_soup, awkward_text), cut=st.tuples(st.integers(-5, 300), st.one_of(st.none(), st.integers(-5, 300))))
def test_find_counts_never_raises_and_spans_point_into_the_text(text: str, cut: tuple[int, int | None]) -> None:
    start, end = cut
    for c in find_counts(text, start, end):
        assert 0 <= c.start < c.end <= len(text), c
        assert text[c.start : c.end] == c.text, c
        assert c.kind in KINDS
        assert all(v is None or v >= 0 for v in (c.low, c.best, c.high)), c
        assert c.low is None or c.best is None or c.low <= c.best, c


@_settings(300)
@given(phrase=st.one_of(word_soup, awkward_text))
def test_parse_quantity_never_raises(phrase: str) -> None:
    q = parse_quantity(phrase)
    assert q is None or (len(q) == 4 and isinstance(q[3], bool))


# ------------------------------------------------------------------------ pubdate

@_settings(300)
@given(value=st.one_of(word_soup, awkward_text, json_leaf,
                       st.from_regex(r"\s*\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*",
                                     fullmatch=True)))
def test_pubdate_parsers_never_raise(value: Any) -> None:
    iso = pubdate.parse_iso(value)
    assert iso is None or iso[1] in ("year", "month", "day", "minute")
    found = pubdate.from_metadata(value)
    assert found is None or (found.basis == "metadata" and found.value)
    if isinstance(value, str):
        pubdate.from_filename(value)
        pubdate.from_dateline(value)
        line = pubdate.find_dateline(value)
        if line:
            assert value[line["start"] : line["end"]] == line["text"]
