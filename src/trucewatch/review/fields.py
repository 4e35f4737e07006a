"""Which incident fields a reviewer may correct, and what a valid value of each is."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from trucewatch.errors import UsageError


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(f"expected a YYYY-MM-DD date, got {value!r}") from None


def _whole(low: int, high: int | None = None) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdigit():
            raise UsageError(f"expected a whole number, got {value!r}")
        number = int(value)
        if number < low or (high is not None and number > high):
            raise UsageError(f"expected a number from {low}" + (f" to {high}" if high is not None else " up")
                             + f", got {number}")
        return number
    return check


def _degrees(limit: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UsageError(f"expected degrees, got {value!r}") from None
        if not math.isfinite(number) or abs(number) > limit:
            raise UsageError(f"expected degrees within ±{limit:g}, got {value!r}")
        return number
    return check


def _text(limit: int) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = str(value).strip()
        if not text or len(text) > limit or any(ord(c) < 32 for c in text):
            raise UsageError(f"expected a text of 1 to {limit} characters on one line, got {value!r}")
        return text
    return check


#: Field -> its check (None is always allowed: "not known").
CORRECTABLE: dict[str, Callable[[Any], Any]] = {
    "event_date": _day, "date_end": _day, "time_precision": _whole(1, 3),
    "event_type": _text(64), "sub_event_type": _text(64), "process_type": _text(32),
    "actor1": _text(300), "actor2": _text(300), "country": _text(100), "admin1": _text(200), "location": _text(200),
    "latitude": _degrees(90), "longitude": _degrees(180), "geo_precision": _whole(1, 3),
    "fatalities": _whole(0), "fatalities_low": _whole(0), "fatalities_high": _whole(0),
}


def clean(field: str, value: Any) -> Any:
    """``value`` as stored for ``field``; a UsageError naming the field when it is not valid."""
    check = CORRECTABLE.get(field)
    if check is None:
        raise UsageError(f"{field!r} cannot be corrected; correctable fields: {', '.join(CORRECTABLE)}")
    if value is None:
        return None
    try:
        return check(value)
    except UsageError as exc:
        raise UsageError(f"{field}: {exc}") from None
