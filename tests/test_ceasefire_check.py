"""``trucewatch check`` over the ceasefire tables, on SQLite and PostgreSQL: a store holding an
agreement and a round of talks is sound, and each rule is reported when a row breaks it.
The report is our own invented one."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import insert, text, update

from trucewatch.ceasefire.record import AgreementRecord, Evidence, Party, StatusStep
from trucewatch.ceasefire.save import SaveCounts, save_record
from trucewatch.store.check import check_store
from trucewatch.store.schema import (
    Agreement,
    AgreementSource,
    AgreementStatusChange,
    Document,
    RawBlob,
    TalksFact,
    TalksRound,
)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
REPORT = ("Invented report. The Government of National Accord and the Libyan National Army agreed a truce on Monday; "
          "it held until Friday, when shelling resumed. Their officers met in Geneva from 3 to 5 March.")
AGREEMENT = "news-check-truce"
ROUND = "talks-check-geneva"


def _span(phrase: str) -> tuple[int, int]:
    start = REPORT.index(phrase)
    return start, start + len(phrase)


def _cite(field: str, phrase: str, doc: str) -> Evidence:
    start, end = _span(phrase)
    return Evidence(field=field, text=phrase, document_id=doc, start=start, end=end)


def sound(store: Any) -> str:
    """One report, the truce it tells of (two steps of history) and the round of talks that made it."""
    digest = hashlib.sha256(REPORT.encode()).hexdigest()
    doc = digest[:32]
    with store.session() as session:
        session.add(RawBlob(sha256=digest, size=len(REPORT), content=REPORT.encode()))
        session.flush()
        session.add(Document(id=doc, text=REPORT, source_format="txt", raw_sha256=digest, ingested_at=NOW,
                             published_basis="metadata", published="2020-03-06"))
        session.flush()
        record = AgreementRecord(
            id=AGREEMENT, name="Truce (Libya, 2020-03-02)", kind="truce", origin="news", country="Libya",
            signed="2020-03-02", effective_from="2020-03-02", effective_precision="day", expires="2020-03-06",
            parties=[Party("party", "Government of National Accord", "ly_gna"),
                     Party("party", "Libyan National Army", "ly_lna")],
            history=[StatusStep("agreed", "2020-03-02", "agreed a truce on Monday", f"document {doc}"),
                     StatusStep("collapsed", "2020-03-06", "shelling resumed", f"document {doc}")],
            sources=[_cite("event", "agreed a truce", doc), _cite("effective_from", "Monday", doc),
                     _cite("expires", "Friday", doc)])
        save_record(session, record, SaveCounts())
        session.add(TalksRound(id=ROUND, name="Talks (Geneva, 2020-03-03)", start="2020-03-03", end="2020-03-05",
                               venue="Geneva", digest="d", updated_at=NOW, extra={"agreements": [AGREEMENT]}))
        session.flush()
        for field, phrase in (("venue", "Geneva"), ("date", "from 3 to 5 March")):
            start, end = _span(phrase)
            session.add(TalksFact(round_id=ROUND, field=field, value=phrase, document_id=doc, start=start, end=end,
                                  text=phrase))
    return doc


def test_a_store_with_agreements_and_talks_is_sound(store: Any) -> None:
    sound(store)
    report = check_store(store)
    assert report.ok, report.problems
    assert "agreement_sources.document_id -> documents" in report.checks
    assert "an agreement takes effect no later than it expires" in report.checks
    assert "a round of talks links only stored agreements" in report.checks


def _without_foreign_keys(store: Any, statements: list[str]) -> None:
    """Write rows whose parent is gone, as a crash with foreign keys off (or a hand edit) leaves them."""
    with store.engine.begin() as conn:
        if store.dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")
        for statement in statements:
            conn.execute(text(statement))


ORPHANS = {
    "orphan party": ("INSERT INTO agreement_parties (agreement_id, role, name) VALUES ('news-gone', 'party', 'X')",
                     "agreement_parties", "agreements"),
    "orphan source": ("INSERT INTO agreement_sources (agreement_id, dataset, record, text) "
                      "VALUES ('news-gone', 'pax', 'f.csv:2', 'x')", "agreement_sources", "agreements"),
    "source of a missing document": ("UPDATE agreement_sources SET document_id = 'doc-gone' WHERE field = 'event'",
                                     "agreement_sources", "documents"),
    "orphan status step": ("INSERT INTO agreement_status_history (agreement_id, status, source) "
                           "VALUES ('news-gone', 'agreed', 'x')", "agreement_status_history", "agreements"),
    "orphan external id": ("INSERT INTO agreement_external_ids (agreement_id, scheme, value) "
                           "VALUES ('news-gone', 'pax', '1')", "agreement_external_ids", "agreements"),
    "orphan provision": ("INSERT INTO agreement_provisions (agreement_id, type) VALUES ('news-gone', 'ceasefire')",
                         "agreement_provisions", "agreements"),
    "orphan talks fact": ("INSERT INTO talks_facts (round_id, field, document_id, start, \"end\", text) "
                          "SELECT 'talks-gone', field, document_id, start, \"end\", text FROM talks_facts "
                          "WHERE field = 'venue'", "talks_facts", "talks_rounds"),
    "talks fact of a missing document": ("UPDATE talks_facts SET document_id = 'doc-gone' WHERE field = 'venue'",
                                         "talks_facts", "documents"),
}


@pytest.mark.parametrize("case", list(ORPHANS))
def test_each_orphan_is_reported(store: Any, case: str) -> None:
    sound(store)
    statement, child, parent = ORPHANS[case]
    _without_foreign_keys(store, [statement])
    report = check_store(store)
    assert any(child in p and parent in p for p in report.problems), report.problems


def _span_outside(session: Any) -> None:
    session.execute(update(AgreementSource).where(AgreementSource.field == "expires").values(start=400, end=406))


def _span_misquoted(session: Any) -> None:
    session.execute(update(AgreementSource).where(AgreementSource.field == "expires").values(text="Sunday"))


def _half_span(session: Any) -> None:
    session.execute(update(AgreementSource).where(AgreementSource.field == "expires").values(end=None))


def _nowhere(session: Any) -> None:
    session.execute(insert(AgreementSource), [{"agreement_id": AGREEMENT, "field": "name", "text": "Truce"}])


def _expires_first(session: Any) -> None:
    session.execute(update(Agreement).values(effective_from="2020-03-09T00:00+02:00"))


def _history_reversed(session: Any) -> None:
    session.execute(update(AgreementStatusChange).where(AgreementStatusChange.status == "collapsed")
                    .values(date="2020-02-28"))


def _status_not_last(session: Any) -> None:
    session.execute(update(Agreement).values(status="in_force"))


def _fact_outside(session: Any) -> None:
    session.execute(update(TalksFact).where(TalksFact.field == "venue").values(end=len(REPORT) + 5))


def _fact_misquoted(session: Any) -> None:
    session.execute(update(TalksFact).where(TalksFact.field == "venue").values(text="Tunis"))


def _round_reversed(session: Any) -> None:
    session.execute(update(TalksRound).values(start="2020-03-07"))


def _round_links_a_lost_agreement(session: Any) -> None:
    session.execute(update(TalksRound).values(extra={"agreements": [AGREEMENT, "news-gone"]}))


BREAKS: dict[str, tuple[Callable[[Any], None], str]] = {
    "span outside its document": (_span_outside, "an agreement's evidence span lies in its document"),
    "span that is not its text": (_span_misquoted, "an agreement's evidence span lies in its document"),
    "span with one end": (_half_span, "an agreement source's span has both ends"),
    "source that is nowhere": (_nowhere, "an agreement source is a document span or a dataset row"),
    "expires before it takes effect": (_expires_first, "an agreement takes effect no later than it expires"),
    "history out of order": (_history_reversed, "status history from the news runs in date order"),
    "status not the last step": (_status_not_last, "an agreement's status is the last step of its history"),
    "talks fact outside its document": (_fact_outside, "a talks fact's span lies in its document"),
    "talks fact that is not its text": (_fact_misquoted, "a talks fact's span lies in its document"),
    "round ends before it starts": (_round_reversed, "a round of talks starts no later than it ends"),
    "round links a lost agreement": (_round_links_a_lost_agreement, "a round of talks links only stored agreements"),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_rule_is_reported_when_broken(store: Any, case: str) -> None:
    sound(store)
    breaker, rule = BREAKS[case]
    with store.session() as session:
        breaker(session)
    report = check_store(store)
    broken = [p for p in report.problems if rule in p]
    assert len(broken) == 1 and broken[0].startswith("ceasefire: 1 row(s)"), report.problems
    assert len(report.problems) == 1, report.problems  # no other rule fires for it


def test_an_imported_history_is_kept_as_its_table_gives_it(store: Any) -> None:
    """A research table's own dates may disagree (an end before the signing); that is the
    table's claim, kept as imported, not damage."""
    sound(store)
    with store.session() as session:
        session.execute(update(Agreement).values(origin="import"))
        _history_reversed(session)
    assert check_store(store).ok
