"""Incidents by week, drawn as a bar chart in SVG on the server (no script)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Bar:
    week: str  # the Monday, YYYY-MM-DD
    count: int
    x: float
    height: float


def weekly(days: list[str | None], width: float = 800.0, height: float = 120.0, most: int = 156) -> list[Bar]:
    """One bar per week from the first to the last dated incident (the latest ``most`` weeks)."""
    mondays: Counter[date] = Counter()
    for day in days:
        if not day:
            continue
        try:
            d = date.fromisoformat(day[:10])
        except ValueError:
            continue
        mondays[d - timedelta(days=d.weekday())] += 1
    if not mondays:
        return []
    first, last = min(mondays), max(mondays)
    weeks = [first + timedelta(weeks=k) for k in range((last - first).days // 7 + 1)][-most:]
    top = max(mondays[w] for w in weeks) or 1
    step = width / len(weeks)
    return [Bar(w.isoformat(), mondays[w], k * step, height * mondays[w] / top) for k, w in enumerate(weeks)]
