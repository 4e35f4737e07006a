"""The issue's seed articles: inferred publication dates and the values of their expressions.

The seeds are two undated wire reports about the 2020 Libya ceasefire talks, kept in
``../shared/seeds`` (these tests skip when it is absent). Checked once through the
library API on the files as they are, and once through ``trucewatch ingest`` and
``trucewatch process`` (which drop the copyright footer before the time stage runs).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.clitools import run
from trucewatch.extract.time import tag_time
from trucewatch.extract.time.infer import CONFIDENT_DAY


def _seed(seeds: Path, number: str) -> Path:
    found = sorted(seeds.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip(f"seed {number} not found in {seeds}")
    return found[0]


def _by_text(times: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for t in times:
        grouped[t["text"]].append(t)
    return grouped


NOT_TIMES = {"000": ("5+5", "2510"), "002": ("6126630991001",)}


def _no_timex_on(text: str, times: list[dict[str, Any]], needle: str) -> None:
    """No expression overlaps ``needle`` (ingest may have cleaned it away: then nothing to check)."""
    if needle not in text:
        return
    start = text.index(needle)
    end = start + len(needle)
    hits = [t for t in times if t["start"] < end and start < t["end"]]
    assert hits == [], f"the tagger fired on {needle!r}: {hits}"


def check_seed_000(text: str, published: str | None, times: list[dict[str, Any]]) -> None:
    assert published is not None and "2020-06-03" <= published <= "2020-06-07", published
    assert published == "2020-06-05"  # "The UN said Friday", two days after "began on June 3"
    found = _by_text(times)
    assert [t["value"] for t in found["June 3"]] == ["2020-06-03", "2020-06-03"]
    assert [t["value"] for t in found["April 2019"]] == ["2019-04"]
    (weekly,) = found["twice-weekly"]
    assert weekly["type"] == "SET"
    for needle in NOT_TIMES["000"]:
        _no_timex_on(text, times, needle)


def check_seed_002(text: str, published: str | None, times: list[dict[str, Any]]) -> None:
    assert published in ("2020-02-03", "2020-02-04"), published
    found = _by_text(times)

    def one(expression: str) -> dict[str, Any]:
        assert len(found[expression]) == 1, (expression, found[expression])
        return found[expression][0]

    assert one("Monday")["value"] == "2020-02-03"
    assert one("last Saturday")["value"] == "2020-02-01"
    assert one("last Tuesday")["value"] == "2020-01-28"
    assert one("January 12")["value"] == "2020-01-12"
    assert (one("two weeks ago")["value"], one("two weeks ago")["granularity"]) == ("2020-W04", "week")
    assert (one("10 months")["type"], one("10 months")["value"]) == ("DURATION", "P10M")
    early = one("early April 2019")
    assert (early["value"], early.get("mod")) == ("2019-04", "START")
    for needle in NOT_TIMES["002"]:
        _no_timex_on(text, times, needle)


CHECKS = {"000": check_seed_000, "002": check_seed_002}


@pytest.mark.parametrize("number", sorted(CHECKS))
def test_seed_through_the_library(seeds: Path, number: str) -> None:
    text = _seed(seeds, number).read_text(encoding="utf-8")
    assert all(needle in text for needle in NOT_TIMES[number])
    tagging = tag_time(text, lang="en")
    assert tagging.anchor.basis == "inferred"
    times = [t.to_dict() for t in tagging.timexes]
    for t in times:
        assert text[t["start"] : t["end"]] == t["text"]
    CHECKS[number](text, tagging.anchor.value, times)


def test_seed_confidence_says_what_bounds_the_year(seeds: Path) -> None:
    # 000 names 2020 only as a floor: a best guess, said to be one (open range, low confidence).
    unbounded = tag_time(_seed(seeds, "000").read_text(encoding="utf-8")).anchor
    assert unbounded.high is None and unbounded.confidence <= 0.15
    assert unbounded.low == "2020-06-05"
    # 002's "since early April 2019 ... after 10 months" bounds it: a closed range around the day.
    bounded = tag_time(_seed(seeds, "002").read_text(encoding="utf-8")).anchor
    assert bounded.low is not None and bounded.high is not None
    assert bounded.low <= "2020-02-03" <= bounded.high
    assert bounded.confidence > unbounded.confidence


def test_seeds_through_ingest_and_process(seeds: Path, tmp_path: Path) -> None:
    from trucewatch.store import open_store
    from trucewatch.store.schema import Annotation, Document

    db = str(tmp_path / "seeds.db")
    ingested = run("ingest", str(seeds), "--db", db, "--create")
    assert ingested.returncode == 0, ingested.stderr
    processed = run("process", "--db", db)
    assert processed.returncode == 0, processed.stdout + processed.stderr

    store = open_store(db)
    try:
        with store.sessions() as session:
            docs = {Path(d.source_path).name[:3]: d for d in session.scalars(select(Document))}
            for number, check in CHECKS.items():
                if number not in docs:
                    continue
                doc = docs[number]
                assert "Copyright" not in doc.text and "All rights reserved" not in doc.text
                rows = list(session.scalars(
                    select(Annotation).where(Annotation.document_id == doc.id, Annotation.stage == "time")
                    .order_by(Annotation.start, Annotation.id)
                ))
                for row in rows:
                    assert doc.text[row.start : row.end] == row.text
                times = [{"start": r.start, "end": r.end, "text": r.text, **r.value} for r in rows if r.kind == "time"]
                (pub,) = [r for r in rows if r.kind == "publication_date"]
                assert pub.value["basis"] == "inferred"
                check(doc.text, pub.value["value"], times)
                # the document claims the inferred day only when the inference is confident
                claimed = (pub.value["value"], "inferred", "day") if pub.value["confidence"] >= CONFIDENT_DAY \
                    else (None, "unknown", None)
                assert (doc.published, doc.published_basis, doc.published_precision) == claimed
            assert set(CHECKS) <= set(docs), f"seeds not ingested: {sorted(set(CHECKS) - set(docs))}"
    finally:
        store.close()
