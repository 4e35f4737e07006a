"""The key facts of the two seed articles, as checks on extracted events.

The seeds (``../shared/seeds``) are the first real input trucewatch must get right:
two undated reports on the 2020 Libya talks, each with one or two pieces of news and
much background. Issue 5 lists what must come out of each, with its status and date;
this module holds that list once, for the tests and for ``benchmarks/event_accuracy.py``.
Every event that answers no fact counts as spurious (at most two per seed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Event = dict[str, Any]


@dataclass(frozen=True)
class Fact:
    seed: str
    name: str
    test: Callable[[Event], bool]


def _mentions(e: Event, *needles: str) -> bool:
    """Whether any evidence span or actor field names one of ``needles`` (whole words;
    an all-capitals needle such as "UN" must match in capitals)."""
    fields = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "mediators", "claimant", "location")
    hay = " ".join(str(e.get(k) or "") for k in fields)
    hay += " " + " ".join(str(s.get("text", "")) for s in e.get("evidence") or [] if s.get("field") != "sentence")
    for needle in needles:
        word = needle.strip()
        flags = 0 if word.isupper() else re.IGNORECASE
        if re.search(rf"(?<!\w){re.escape(word)}", hay, flags):
            return True
    return False


def _date(e: Event, prefix: str) -> bool:
    return str(e.get("event_date") or "").startswith(prefix)


FACTS: tuple[Fact, ...] = (
    # Seed 002: the JMC talks in Geneva
    Fact("002", "main: JMC talks began in Geneva on 2020-02-03, UN-led",
         lambda e: e.get("process_type") == "talks" and e.get("status") == "main" and _date(e, "2020-02-03")
         and _mentions(e, "Salam", "United Nations", "UNSMIL", "UN")),
    Fact("002", "background: truce of 2020-01-12 called by Turkey and Russia",
         lambda e: e.get("process_type") == "ceasefire" and e.get("status") == "background" and _date(e, "2020-01-12")
         and _mentions(e, "Turkey", "Russia")),
    Fact("002", "background: truce violated amid mutual accusations",
         lambda e: e.get("process_type") == "violation_alleged" and e.get("status") == "background"),
    Fact("002", "background: LNA offensive on Tripoli since early April 2019",
         lambda e: e.get("event_type") == "Battles" and e.get("status") == "background" and _date(e, "2019-04")),
    Fact("002", "background: more than 150,000 displaced",
         lambda e: e.get("displaced") == 150000 and e.get("status") == "background"),
    Fact("002", "background: Salamé visited Haftar in Benghazi on 2020-02-01",
         lambda e: e.get("status") == "background" and _date(e, "2020-02-01") and _mentions(e, "Benghazi")),
    Fact("002", "planned: talks first due on 2020-01-28, postponed",
         lambda e: e.get("process_type") == "talks" and e.get("status") == "planned" and _date(e, "2020-01-28")),
    Fact("002", "background: weapons and fighters still arriving after Berlin",
         lambda e: e.get("process_type") == "arms_transfer" and e.get("status") == "background"),
    # Seed 000: the virtual talks of June 2020
    Fact("000", "main: virtual talks between UNSMIL and Haftar's delegation began on 2020-06-03",
         lambda e: e.get("process_type") == "talks" and e.get("status") == "main" and _date(e, "2020-06-03")
         and _mentions(e, "UNSMIL", "UN Support Mission", "United Nations Support Mission")
         and _mentions(e, "Libyan National Army", "Haftar")),
    Fact("000", "background: political talks stalled in Geneva in late February 2020",
         lambda e: e.get("process_type") == "talks" and e.get("status") == "background" and _date(e, "2020-02")),
    Fact("000", "background: LNA attack since April 2019, more than 1,000 killed",
         lambda e: e.get("status") == "background" and _date(e, "2019-04")
         and (e.get("fatalities_low") == 1000 or e.get("fatalities") == 1000)),
    Fact("000", "background: GNA's Operation Peace Storm regained Al-Watiya and Tarhuna",
         lambda e: e.get("sub_event_type") == "Government regains territory" and e.get("status") == "background"
         and _mentions(e, "Watiya", "Tarhuna")),
    Fact("000", "background: Berlin conference of January 2020 set up three tracks",
         lambda e: e.get("process_type") == "talks" and e.get("status") == "background" and _date(e, "2020-01")),
)

MAX_SPURIOUS = 2


def seed_files(seeds_dir: Path) -> dict[str, Path]:
    """Seed number ("000", "002") -> file, for the seeds present in ``seeds_dir``."""
    found: dict[str, Path] = {}
    for path in sorted(Path(seeds_dir).glob("*_*.txt")):
        found.setdefault(path.name.split("_", 1)[0], path)
    return found


def score_seed(seed: str, events: list[Event]) -> list[dict[str, Any]]:
    """One row per fact (found or not, and by which event) and one for the spurious events."""
    rows = []
    used: set[int] = set()
    for fact in (f for f in FACTS if f.seed == seed):
        hits = [i for i, e in enumerate(events) if fact.test(e)]
        used.update(hits)
        detail = "; ".join(_describe(events[i]) for i in hits[:2]) or "no event matches"
        rows.append({"seed": seed, "fact": fact.name, "found": bool(hits), "detail": detail})
    spurious = [e for i, e in enumerate(events) if i not in used]
    rows.append({"seed": seed, "fact": "spurious", "found": len(spurious) <= MAX_SPURIOUS,
                 "detail": f"{len(spurious)} spurious" + (": " + "; ".join(_describe(e) for e in spurious) if spurious else "")})
    return rows


def _describe(e: Event) -> str:
    kind = e.get("process_type") or e.get("sub_event_type") or "?"
    return f"{kind}/{e.get('status')}/{e.get('event_date')}"


def check_seeds(seeds_dir: Path, extract: Callable[[str], list[Event]] | None = None) -> list[dict[str, Any]]:
    """Extract each seed present and score it against its facts."""
    if extract is None:
        from trucewatch.documents.clean import clean_text
        from trucewatch.extract.events.extract import extract_events

        def extract(text: str) -> list[Event]:
            return extract_events(clean_text(text).text, lang="en").events

    rows: list[dict[str, Any]] = []
    for seed, path in seed_files(seeds_dir).items():
        if any(f.seed == seed for f in FACTS):
            rows += score_seed(seed, extract(path.read_text(encoding="utf-8")))
    return rows
