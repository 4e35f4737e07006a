"""Bytes to text: encoding detection that survives legacy and mixed encodings.

Field reports arrive as UTF-8, as Windows-1256 Arabic, as Latin-1, and sometimes as a
file that was concatenated from several of them. UTF-8 is tried first (it is strict,
so a false positive is unlikely); otherwise charset-normalizer picks the encoding, and
a file whose lines disagree is decoded line by line.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Leading bytes of common binary formats, named so the error message can say what it saw.
_MAGIC = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "a SQLite database"),
)


class DecodeError(ValueError):
    """The bytes are not text trucewatch can read; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None when it looks like text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:8192]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        return "binary data (control bytes)"
    return None


# The legacy code pages field reports come in. charset-normalizer often scores several
# single-byte code pages equally on short text (cp1250 ties cp1252 on French, turning
# "à" into "ŕ"); among equally good guesses, the one we expect wins.
_PREFERRED = ("cp1252", "cp1256")


def _detect(data: bytes) -> str | None:
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return None
    ties = [m for m in results if m.chaos == best.chaos and m.coherence == best.coherence]
    for encoding in _PREFERRED:
        if any(encoding in m.could_be_from_charset for m in ties):
            return encoding
    return best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` reads as UTF-16 text that lost its byte-order mark.

    UTF-16 text has its NUL bytes (the high byte of Latin letters, digits and spaces) all on
    one side of each byte pair; binary data has them on both. The guess must also decode
    strictly to text with no NUL and few control characters.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:8192]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2
    if odd > even and even <= pairs // 200 and odd >= max(2, pairs // 50):
        encoding = "utf-16-le"
    elif even > odd and odd <= pairs // 200 and even >= max(2, pairs // 50):
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:4096] if (c < " " and c not in "\t\n\r\f") or "\ud800" <= c <= "\udfff")
    return encoding if text and controls <= len(text[:4096]) // 100 else None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` to text or raise DecodeError with a reason a user can act on."""
    wide = None if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else _utf16_without_bom(data)
    if wide:
        return Decoded(data.decode(wide), wide)
    kind = binary_kind(data)
    if kind:
        raise DecodeError(f"not a text file: looks like {kind}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc.reason}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy_or_mixed(data)


def _decode_legacy_or_mixed(data: bytes) -> Decoded:
    lines = data.splitlines(keepends=True)
    legacy = [ln for ln in lines if not _is_utf8(ln)]
    utf8_count = sum(1 for ln in lines if not ln.isascii() and _is_utf8(ln))
    encoding = _detect(b"".join(legacy))
    if encoding is None:
        raise DecodeError("unknown text encoding (not UTF-8, and no legacy encoding fits)")
    if utf8_count == 0:
        try:
            return Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError as exc:  # pragma: no cover - detector chose an encoding that fails
            raise DecodeError(f"cannot decode as {encoding}: {exc.reason}") from exc
    parts = [ln.decode("utf-8") if _is_utf8(ln) else ln.decode(encoding, errors="replace") for ln in lines]
    return Decoded("".join(parts), f"mixed:utf-8+{encoding}")


def _is_utf8(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_line(data: bytes) -> Decoded:
    """Decode one record line (JSONL, CSV); a legacy line gets its own detection."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise DecodeError("line holds NUL bytes (binary data)")
    encoding = _detect(data)
    if encoding is None:
        raise DecodeError("line is not UTF-8 and no legacy encoding fits")
    return Decoded(data.decode(encoding, errors="replace"), encoding)
