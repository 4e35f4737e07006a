"""Publication date from what a document carries: metadata, file name or dateline.

Each date keeps its basis and precision, because a relative date ("on Monday") is
only as good as the date it hangs on. A date the text merely implies is left to
the time stage, which records it with basis ``inferred``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

BASES = ("metadata", "filename", "dateline", "inferred", "unknown")

_ISO = re.compile(
    r"^\s*(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$"
)
_FILENAME = re.compile(r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
# "TRIPOLI, Jan 12 (Desert Wire) -", "GENEVA, 23 October 2020 —", "طرابلس - 12 يناير 2020 -",
# "TRÍPOLI, 12 jun (Agencia).-", "МОСКВА, 3 июня. /Агентство/."
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d][^\n,(—–:-]{1,40}?(?:,\s*[^\W\d][^\n,(—–:\d-]{1,30}?)?)\s*[,—–-]\s*(?P<date>[^\n(—–:]{3,40}?)\s*"
    r"(?:(?:\((?P<agency>[^)\n]{2,60})\)\s*\.?\s*)?[—–:-]|\.\s*/(?P<agency2>[^/\n]{2,30})/)"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_DIGIT = re.compile(r"\d")
_AMBIGUOUS = re.compile(r"^(0?[1-9]|1[0-2])[/.-](0?[1-9]|1[0-2])[/.-]\d{2,4}$")


@dataclass(frozen=True)
class PublicationDate:
    """A publication date or datetime (ISO 8601) with how it was found and how precise it is."""

    value: str | None
    basis: str
    precision: str | None
    evidence: str | None = None

    @classmethod
    def unknown(cls) -> PublicationDate:
        return cls(None, "unknown", None)


def parse_iso(value: Any) -> tuple[str, str] | None:
    """Parse an ISO-like value into (normalised value, precision: year|month|day|minute)."""
    if isinstance(value, (int, float)) and 1900 <= value <= 2100:
        return f"{int(value):04d}", "year"
    if not isinstance(value, str):
        return None
    m = _ISO.match(value)
    if not m:
        return None
    try:
        if m["time"]:
            text = value.strip().replace(" ", "T").replace("Z", "+00:00")
            parsed = datetime.fromisoformat(text)
            if parsed.tzinfo is not None:
                # Keep the source's own offset: the local day is what "on Monday" hangs on,
                # and the UTC instant is still exact.
                if parsed.utcoffset() == timedelta(0):
                    return parsed.strftime("%Y-%m-%dT%H:%M:%SZ"), "minute"
                return parsed.isoformat(timespec="seconds"), "minute"
            return parsed.strftime("%Y-%m-%dT%H:%M:%S"), "minute"
        if m["d"]:
            return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat(), "day"
        if m["m"]:
            date(int(m["y"]), int(m["m"]), 1)
            return f"{m['y']}-{m['m']}", "month"
        date(int(m["y"]), 1, 1)  # there is no year 0000
        return m["y"], "year"
    except ValueError:
        return None


def from_metadata(value: Any) -> PublicationDate | None:
    """A date given by the source (JSON field, HTML meta); free-form strings go through dateparser."""
    if value in (None, ""):
        return None
    iso = parse_iso(value)
    if iso:
        return PublicationDate(iso[0], "metadata", iso[1], str(value))
    if isinstance(value, str) and _ISO.match(value):
        return None  # ISO-shaped but impossible ("2020-13-01"): dateparser would swap day and month
    if isinstance(value, str) and _AMBIGUOUS.match(value.strip()):
        return None  # "03/10/2020": 3 October or 10 March? Leave it unparsed rather than guess.
    if isinstance(value, str) and _DIGIT.search(value):
        parsed = _dateparser_parse(value.strip(), require_year=True, any_language=True)
        if parsed:
            return PublicationDate(parsed.isoformat(), "metadata", "day", value)
    return None


def from_filename(name: str) -> PublicationDate | None:
    """A YYYY-MM-DD / YYYYMMDD date in a file name, as archives and scrapers write them."""
    for m in _FILENAME.finditer(name):
        try:
            value = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        return PublicationDate(value.isoformat(), "filename", "day", m[0])
    return None


def find_dateline(text: str) -> dict[str, Any] | None:
    """Find a wire-style dateline opening one of the first two paragraphs of ``text``.

    (The first paragraph is often a headline.) Returns place, agency, the date text and
    its span, and the parsed month/day/year (year None when the dateline leaves it out,
    as wire datelines usually do).
    """
    offset = 0
    for _ in range(2):
        while text.startswith("\n", offset):
            offset += 1
        found = _dateline_at(text, offset)
        if found:
            return found
        nl = text.find("\n", offset)
        if nl < 0:
            return None
        offset = nl
    return None


def _dateline_at(text: str, offset: int) -> dict[str, Any] | None:
    m = _DATELINE.match(text[offset : offset + 160])
    if not m or not _DIGIT.search(m["date"]):
        return None
    date_text = m["date"].strip()
    parsed = _dateparser_parse(date_text, require_year=False)
    if parsed is None:
        return None
    has_year = bool(_YEAR.search(date_text))
    start = offset + m.start("date") + m["date"].index(date_text)
    return {
        "place": m["place"].strip(),
        "agency": m["agency"] or m["agency2"],
        "text": date_text,
        "start": start,
        "end": start + len(date_text),
        "year": parsed.year if has_year else None,
        "month": parsed.month,
        "day": parsed.day,
    }


def from_dateline(text: str) -> PublicationDate | None:
    """A full date from a dateline; a dateline without a year does not make a date."""
    found = find_dateline(text)
    if not found or found["year"] is None:
        return None
    value = date(found["year"], found["month"], found["day"]).isoformat()
    return PublicationDate(value, "dateline", "day", found["text"])


# The languages a dateline or a source's date string is first read in: those we ingest and
# tag. Without a list, dateparser loads and tries all of its ~200 locales on every string
# that is not a date in the first ones, about 3.4 s once per process, which every worker
# paid on its first dateline-shaped headline.
DATE_LANGUAGES = ("en", "fr", "ar", "es", "it", "pt", "ru", "tr", "de", "uk")


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str, require_year: bool, any_language: bool = False) -> date | None:
    """``text`` as a date in one of ``DATE_LANGUAGES``; with ``any_language``, then in any
    language dateparser knows (for a source's own date field, which is rare and may be in
    a language we do not tag)."""
    import dateparser  # slow to import; only needed when a date is not ISO

    parts = ["day", "month", "year"] if require_year else ["day", "month"]
    settings = {"REQUIRE_PARTS": parts, "PREFER_DATES_FROM": "past"}
    for languages in (list(DATE_LANGUAGES), None) if any_language else (list(DATE_LANGUAGES),):
        try:
            parsed = dateparser.parse(text, languages=languages, settings=settings)
        except Exception:  # dateparser raises assorted errors on odd strings; treat as no date
            parsed = None
        if parsed:
            return parsed.date()
    return None
