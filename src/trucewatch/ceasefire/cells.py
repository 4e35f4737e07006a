"""Reading single cells of the research tables: dates, ids, name lists.

Every reader raises ValueError with a message that names the column, which the
importer prefixes with the file and line.
"""

from __future__ import annotations

import datetime as dt
import re

#: Years outside this range are typing slips in the tables (ETH/PRIO has a "0215").
PLAUSIBLE_YEARS = range(1900, 2101)


def iso_date(value: str, column: str, *, required: bool = True) -> str | None:
    """``YYYY-MM-DD`` (a trailing time of day is dropped); None for an empty optional cell."""
    text = value.strip()
    if not text:
        if required:
            raise ValueError(f"{column} is empty")
        return None
    head = re.split(r"[T ]", text, maxsplit=1)[0]
    try:
        day = dt.date.fromisoformat(head)
    except ValueError:
        raise ValueError(f"{column} {text!r} is not a date (YYYY-MM-DD)") from None
    if day.year not in PLAUSIBLE_YEARS:
        raise ValueError(f"{column} {text!r} is not a plausible date (year {day.year})")
    return day.isoformat()


def whole_number(value: str, column: str) -> int:
    """An id written as ``42`` or ``42.0``."""
    try:
        number = float(value.strip())
    except ValueError:
        raise ValueError(f"{column} {value.strip()!r} is not a number") from None
    if not number.is_integer():
        raise ValueError(f"{column} {value.strip()!r} is not a whole number")
    return int(number)


def is_set(value: str) -> bool:
    """A coded provision column: anything but empty, 0 or a negative missing-value code."""
    text = value.strip()
    if not text:
        return False
    try:
        return float(text) > 0
    except ValueError:
        return text.lower() in {"true", "yes"}


def name_lines(value: str, *, limit: int = 60, longest: int = 300) -> list[str]:
    """The names of a free-text party cell, one a line, in order, without repeats or blanks."""
    names: dict[str, None] = {}
    for line in value.splitlines():
        name = " ".join(line.split()).strip(" ;,")
        if name and any(ch.isalpha() for ch in name):
            names.setdefault(name[:longest], None)
    return list(names)[:limit]


def slug(text: str) -> str:
    """A lower-case ASCII id part ("Côte d'Ivoire" -> "cote-d-ivoire")."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "x"
