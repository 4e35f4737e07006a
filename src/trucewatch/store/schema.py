"""The relational schema: documents, their raw bytes, stage output and events.

The ORM classes here are the single description of the tables; Alembic migrations
under ``migrations/versions`` create them, so a database made by any version of
trucewatch can be brought forward without losing what it holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base for every trucewatch table."""


class RawBlob(Base):
    """Input bytes exactly as read, keyed by their SHA-256, so nothing is ever lost."""

    __tablename__ = "raw_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class Document(Base):
    """One cleaned article or report; its id is the hash of its cleaned text."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    outlet: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    language_confidence: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    published: Mapped[str | None] = mapped_column(String(32))
    published_basis: Mapped[str] = mapped_column(String(16), nullable=False, default="unknown")
    published_precision: Mapped[str | None] = mapped_column(String(16))
    translated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    duplicate_of: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    source_path: Mapped[str | None] = mapped_column(Text)
    source_line: Mapped[int | None] = mapped_column(Integer)
    source_format: Mapped[str] = mapped_column(String(16), nullable=False)
    raw_sha256: Mapped[str] = mapped_column(ForeignKey("raw_blobs.sha256"), nullable=False)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    stage_runs: Mapped[list[StageRun]] = relationship(back_populates="document", cascade="all, delete-orphan")


class StageRun(Base):
    """Which version of which stage last processed a document, and how it went."""

    __tablename__ = "stage_runs"
    __table_args__ = (UniqueConstraint("document_id", "stage", name="uq_stage_runs_doc_stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    stage: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
    ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    document: Mapped[Document] = relationship(back_populates="stage_runs")


class Annotation(Base):
    """A mention-level finding (sentence, time expression, toponym...) with its span."""

    __tablename__ = "annotations"
    __table_args__ = (Index("ix_annotations_doc_stage", "document_id", "stage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    stage: Mapped[str] = mapped_column(String(64), nullable=False)
    stage_version: Mapped[str] = mapped_column(String(32), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    value: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Event(Base):
    """An event reported by one document, in the export schema's terms."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_document", "document_id"),)

    id: Mapped[str] = mapped_column(String(48), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    stage: Mapped[str] = mapped_column(String(64), nullable=False)
    stage_version: Mapped[str] = mapped_column(String(32), nullable=False)
    event_date: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(10))
    time_precision: Mapped[int | None] = mapped_column(Integer)
    event_type: Mapped[str | None] = mapped_column(String(64))
    sub_event_type: Mapped[str | None] = mapped_column(String(64))
    process_type: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="main")
    actor1: Mapped[str | None] = mapped_column(Text)
    assoc_actor_1: Mapped[str | None] = mapped_column(Text)
    inter1: Mapped[int | None] = mapped_column(Integer)
    actor2: Mapped[str | None] = mapped_column(Text)
    assoc_actor_2: Mapped[str | None] = mapped_column(Text)
    inter2: Mapped[int | None] = mapped_column(Integer)
    mediators: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(100))
    admin1: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int | None] = mapped_column(Integer)
    claimant: Mapped[str | None] = mapped_column(Text)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    injured: Mapped[int | None] = mapped_column(Integer)
    displaced: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)

    evidence: Mapped[list[EventEvidence]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventEvidence.id"
    )


class EventEvidence(Base):
    """The span of a document that supports one field of an event."""

    __tablename__ = "event_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True)
    field: Mapped[str | None] = mapped_column(String(32))
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)

    event: Mapped[Event] = relationship(back_populates="evidence")


class IngestError(Base):
    """A rejected input, kept so a user can see later what was refused and why."""

    __tablename__ = "ingest_errors"
    __table_args__ = (Index("ix_ingest_errors_path", "path", postgresql_using="hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    path: Mapped[str] = mapped_column(Text, nullable=False)
    line: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class DocumentMinHash(Base):
    """A document's MinHash signature and, when it repeats an earlier one, what it matched.

    ``params`` names the shingling and hashing that made the signature, so a change of
    them is seen as "not yet signed" rather than compared with incompatible signatures.
    The link itself is ``documents.duplicate_of`` (always the earliest-stored original);
    ``matched`` is the document whose signature this one was found similar to.
    """

    __tablename__ = "document_minhash"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    params: Mapped[str] = mapped_column(String(32), nullable=False)
    shingles: Mapped[int] = mapped_column(Integer, nullable=False)
    signature: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    matched: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    similarity: Mapped[float | None] = mapped_column(Float)
    containment: Mapped[float | None] = mapped_column(Float)


class LshBand(Base):
    """One LSH band of a document's signature: documents sharing a (band, hash) are candidates."""

    __tablename__ = "lsh_bands"
    __table_args__ = (Index("ix_lsh_bands_band_hash", "band", "hash"),)

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[int] = mapped_column(BigInteger, nullable=False)


class Story(Base):
    """Documents about one happening or development, in any language; the id comes from
    the document that founded it, so re-running the same input gives the same ids."""

    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_last_date", "last_date"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    founder: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    first_date: Mapped[str | None] = mapped_column(String(10))
    last_date: Mapped[str | None] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class StoryMember(Base):
    """A document's place in a story, the profile later documents are compared with, and
    why it joined (``decision``: the signals and scores that decided)."""

    __tablename__ = "story_members"
    __table_args__ = (Index("ix_story_members_story", "story_id"), Index("ix_story_members_day", "day"),
                      Index("ix_story_members_seq", "seq", unique=True))

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), nullable=False)
    #: order of arrival: undated documents are compared with the latest members
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    day: Mapped[str | None] = mapped_column(String(10))
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class StoryTerm(Base):
    """A member's heaviest terms (by TF-IDF when it was placed), indexed by term and day: in a
    dense date window the members a new document may match are found from its own heaviest
    terms, so only those members' profiles are read, as the LSH bands do for duplicates."""

    __tablename__ = "story_terms"
    __table_args__ = (Index("ix_story_terms_term_day", "term", "day"),)

    document_id: Mapped[str] = mapped_column(ForeignKey("story_members.document_id", ondelete="CASCADE"),
                                             primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str | None] = mapped_column(String(10))


class TermFrequency(Base):
    """How many story-clustered documents contain each term: the IDF of the lexical signal,
    kept up to date one document at a time instead of recomputed over the corpus."""

    __tablename__ = "term_df"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    df: Mapped[int] = mapped_column(Integer, nullable=False)


class Incident(Base):
    """One happening across documents: the consensus of the events linked to it.

    The id is derived from the founding event (its document and signature), never from
    a counter, so re-running or re-processing gives the same ids. The row is a summary
    recomputed from ``incident_events``; the links are the record review works on.
    ``date_lo``/``date_hi`` (the members' date ranges widened by their precision) and
    ``family`` block the candidates a new event is compared with.
    """

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_block", "country", "family", "date_lo"),
        Index("ix_incidents_family_date", "family", "date_lo"),
        # the order lists page in (fusion.query.ORDER), whole and by country (migration 0014)
        Index("ix_incidents_listed", sql_text("(event_date IS NULL)"), "event_date", "id"),
        Index("ix_incidents_country_listed", "country", sql_text("(event_date IS NULL)"), "event_date", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    founding_document_id: Mapped[str] = mapped_column(String(32), nullable=False)
    signature: Mapped[str] = mapped_column(Text, nullable=False)
    family: Mapped[str] = mapped_column(String(16), nullable=False)
    date_lo: Mapped[str | None] = mapped_column(String(10))
    date_hi: Mapped[str | None] = mapped_column(String(10))
    event_date: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(10))
    time_precision: Mapped[int | None] = mapped_column(Integer)
    event_type: Mapped[str | None] = mapped_column(String(64))
    sub_event_type: Mapped[str | None] = mapped_column(String(64))
    process_type: Mapped[str | None] = mapped_column(String(32))
    actor1: Mapped[str | None] = mapped_column(Text)
    actor2: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(100))
    admin1: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int | None] = mapped_column(Integer)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    corroboration: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    sources: Mapped[list[Any] | None] = mapped_column(JSON)
    disputed: Mapped[list[Any] | None] = mapped_column(JSON)
    consensus: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class IncidentEvent(Base):
    """A link from an event to an incident, with its role and why it was made.

    ``role``: ``member`` (a main report), ``corroborates`` (a background mention) or
    ``disputes`` (a denial). The event id is not a foreign key: re-processing a document
    replaces its event rows, and fuse, not a cascade, decides what happens to the links.
    """

    __tablename__ = "incident_events"
    __table_args__ = (
        Index("ix_incident_events_event", "event_id"),
        Index("ix_incident_events_document", "document_id"),
    )

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class FuseState(Base):
    """Which run of a document's events stage fuse has taken in, so a re-run does only the rest."""

    __tablename__ = "fuse_state"

    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    events_run_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # SQLite may give a re-recorded run the id of the one it replaced: the time tells them apart
    events_ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    fused_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class FuseWaiting(Base):
    """An event that may only attach to an incident (a background mention, a denial) and found none yet.

    It waits, blocked like the incidents, so an incident founded later picks it up: the
    result does not depend on which report arrived first.
    """

    __tablename__ = "fuse_waiting"
    __table_args__ = (
        Index("ix_fuse_waiting_block", "country", "family", "date_lo"),
        Index("ix_fuse_waiting_family_date", "family", "date_lo"),
        Index("ix_fuse_waiting_document", "document_id"),
    )

    event_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    family: Mapped[str] = mapped_column(String(16), nullable=False)
    country: Mapped[str | None] = mapped_column(String(100))
    date_lo: Mapped[str | None] = mapped_column(String(10))
    date_hi: Mapped[str | None] = mapped_column(String(10))


class Agreement(Base):
    """A ceasefire, truce or peace agreement: its terms, dates and current status.

    Dates are kept as written at their precision: ``signed`` a date, ``effective_from`` and
    ``expires`` an ISO date-time with its UTC offset ("from midnight Sunday local time"
    needs the zone) or a bare date when the source gives no hour. ``digest`` is the hash of
    everything the record says, so importing the same row again changes nothing.
    """

    __tablename__ = "agreements"
    __table_args__ = (Index("ix_agreements_country_signed", "country", "signed"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    country: Mapped[str | None] = mapped_column(String(100))
    signed: Mapped[str | None] = mapped_column(String(10))
    effective_from: Mapped[str | None] = mapped_column(String(40))
    effective_precision: Mapped[str | None] = mapped_column(String(8))
    expires: Mapped[str | None] = mapped_column(String(40))
    duration: Mapped[str | None] = mapped_column(String(16))
    scope: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    origin: Mapped[str] = mapped_column(String(16), nullable=False)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AgreementParty(Base):
    """Who is bound by, brokered, guarantees or monitors an agreement: the name as the source
    gives it, and the knowledge-base actor when the name resolves (None: unresolved, kept visible)."""

    __tablename__ = "agreement_parties"
    __table_args__ = (Index("ix_agreement_parties_agreement", "agreement_id"),
                      Index("ix_agreement_parties_actor", "actor_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    side: Mapped[str | None] = mapped_column(String(64))


class AgreementProvision(Base):
    """One thing an agreement provides for (a withdrawal, a prisoner exchange...), by type,
    with the wording or dataset column it rests on and its deadline when one is set."""

    __tablename__ = "agreement_provisions"
    __table_args__ = (Index("ix_agreement_provisions_agreement", "agreement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    type: Mapped[str] = mapped_column(String(32), nullable=False)
    detail: Mapped[str | None] = mapped_column(Text)
    due: Mapped[str | None] = mapped_column(String(40))


class AgreementStatusChange(Base):
    """A step in an agreement's life (agreed, in force, extended, collapsed...), with its date,
    the evidence that says so and where that evidence came from."""

    __tablename__ = "agreement_status_history"
    __table_args__ = (Index("ix_agreement_status_agreement", "agreement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    date: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, nullable=False)


class AgreementSource(Base):
    """Evidence for one field of an agreement: a span of a stored document, or a cell of an
    imported dataset (``dataset`` and ``record``, the file name and line)."""

    __tablename__ = "agreement_sources"
    __table_args__ = (Index("ix_agreement_sources_agreement", "agreement_id"),
                      Index("ix_agreement_sources_document", "document_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), nullable=False)
    document_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    dataset: Mapped[str | None] = mapped_column(String(16))
    record: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(32))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class AgreementExternalId(Base):
    """An agreement's id in a research dataset (PA-X, UCDP, ETH/PRIO), so records can be joined."""

    __tablename__ = "agreement_external_ids"
    __table_args__ = (Index("ix_agreement_external_ids_value", "scheme", "value"),)

    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), primary_key=True)


class AlertRule(Base):
    """A standing question a monitor asks of every newly fused incident, and where the answer goes.

    ``agreement_id`` is kept as given and applied once agreement records can say which
    incidents are in an agreement's scope; until then such a rule is reported as waiting.
    ``checked_through`` is the latest incident ``updated_at`` already checked, so a check
    after each fuse batch reads only what changed.
    """

    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    agreement_id: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(100))
    #: [min longitude, min latitude, max longitude, max latitude]
    bbox: Mapped[list[float] | None] = mapped_column(JSON)
    event_types: Mapped[list[str] | None] = mapped_column(JSON)
    min_step: Mapped[str] = mapped_column(String(16), nullable=False, default="alleged")
    min_confidence: Mapped[float | None] = mapped_column(Float)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    target: Mapped[str] = mapped_column(Text, nullable=False)
    secret: Mapped[str | None] = mapped_column(Text)
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    checked_through: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AlertSent(Base):
    """One alert for one incident at one ladder step under one rule: at most one row each.

    The row is written (status ``sending``) before delivery, so two checks at once cannot
    both send it; a failed delivery stays ``failed`` and is tried again by the next check.
    ``incident_id`` is no foreign key: what was sent stays on record if fusion later
    dissolves the incident.
    """

    __tablename__ = "alerts_sent"
    __table_args__ = (UniqueConstraint("rule_id", "incident_id", "rank", name="uq_alerts_sent_rule_incident_rank"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"), nullable=False)
    incident_id: Mapped[str] = mapped_column(String(40), nullable=False)
    step: Mapped[str] = mapped_column(String(16), nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)  # new | update
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # sending | sent | failed | superseded
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TalksRound(Base):
    """One round of talks (a meeting of a forum, or a one-off meeting), built from the news.

    Derived data, like news agreements: ``talks build`` makes the same ids again (hashed from
    the conflict, the forum, the first day and the venue) and leaves unchanged rows alone.
    Every value on this row has its evidence in ``talks_facts``; ``round_number`` is the number
    a report states ("the second round"), ``sequence`` the round's place among the rounds of
    its forum found here, by date.
    """

    __tablename__ = "talks_rounds"
    __table_args__ = (Index("ix_talks_rounds_forum_start", "forum", "start"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    forum: Mapped[str | None] = mapped_column(String(32))
    track: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(100))
    round_number: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    date_precision: Mapped[str | None] = mapped_column(String(8))
    venue: Mapped[str | None] = mapped_column(String(200))
    venue_country: Mapped[str | None] = mapped_column(String(8))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class TalksFact(Base):
    """One value of a round with the span of the report that supports it: its forum, track,
    number, dates and venue, a delegation (who sat for whom), a facilitator or an outcome
    (what was agreed, drafted, deferred or suspended)."""

    __tablename__ = "talks_facts"
    __table_args__ = (Index("ix_talks_facts_round", "round_id"), Index("ix_talks_facts_document", "document_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    round_id: Mapped[str] = mapped_column(ForeignKey("talks_rounds.id", ondelete="CASCADE"), nullable=False)
    field: Mapped[str] = mapped_column(String(32), nullable=False)
    value: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[str | None] = mapped_column(String(64))
    side: Mapped[str | None] = mapped_column(String(64))
    event_id: Mapped[str | None] = mapped_column(String(48))
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)


class IncidentScope(Base):
    """Whether an incident falls under an agreement, the rule that decided it and its evidence,
    with the incident's ladder step under that agreement (its monitors confirm) beside it.

    ``in_scope``: True (in), False (out) or None (undetermined: the dates straddle the
    agreement's start, the place or the actors are not known well enough). ``evidence``
    holds each dimension's answer (time, place, actors) and what it looked at; ``ladder``
    the allegations, denials, attribution and source counts. Rows are recomputed from the
    incident and agreement records, so both cascade away with them.
    """

    __tablename__ = "incident_scope"
    __table_args__ = (Index("ix_incident_scope_agreement", "agreement_id", "in_scope"),)

    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    agreement_id: Mapped[str] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True)
    in_scope: Mapped[bool | None] = mapped_column(Boolean)
    rule: Mapped[str] = mapped_column(Text, nullable=False)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    step: Mapped[str | None] = mapped_column(String(16))
    rank: Mapped[int | None] = mapped_column(Integer)
    ladder: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class User(Base):
    """A person (or a partner system) the API and the dashboard know, with one role:
    viewer (reads), analyst (reads and reviews), admin (also manages users and tokens)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ApiToken(Base):
    """An API token: its public id (looked up) and the argon2 hash of its secret (never the
    secret itself, which is shown once, when the token is made). Revoked tokens are kept,
    marked, so the audit trail can still name them."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user", "user_id"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    secret_hash: Mapped[str] = mapped_column(Text, nullable=False)
    label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IncidentReview(Base):
    """A reviewer's standing decision on one field of an incident (``status`` for confirmed
    or rejected). Fusion recomputes incidents from their reports; it keeps these values
    over its own, and when its own value moves away from the reviewer's it records it
    (``machine_value``) and flags the conflict for review. No foreign key: a decision
    outlives an incident that re-processing dissolves and founds again under its id."""

    __tablename__ = "incident_reviews"

    incident_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    machine_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    conflict: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reviewer: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    audit_id: Mapped[int] = mapped_column(Integer, nullable=False)


class AuditEntry(Base):
    """One human action, appended and never changed: who, when, what, the value before and
    after, and why. An undo is an entry of its own that names the entry it undoes."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(100), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    target_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    target_id: Mapped[str] = mapped_column(String(64), nullable=False)
    field: Mapped[str | None] = mapped_column(String(32))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)
    undoes: Mapped[int | None] = mapped_column(Integer)


class IncidentMerge(Base):
    """A reviewer's decision that incident ``merged_id`` is ``into_id``: fusion moves whatever
    it links to the merged id into the other on every run (``fusion.incidents``), so the
    merged id keeps resolving (the API redirects it) and a re-run cannot split them again.
    No foreign keys, like the reviews: re-processing dissolves and founds incidents again
    under the same ids."""

    __tablename__ = "incident_merges"
    __table_args__ = (Index("ix_incident_merges_into", "into_id"),)

    merged_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    into_id: Mapped[str] = mapped_column(String(40), nullable=False)
    reviewer: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    audit_id: Mapped[int] = mapped_column(Integer, nullable=False)


class IncidentPin(Base):
    """A reviewer's split: the event a document reports under ``signature`` (fusion's own
    identity of an event across re-processing) belongs to incident ``incident_id``, whatever
    incident linking puts it in, so a re-run cannot merge a split back."""

    __tablename__ = "incident_pins"
    __table_args__ = (Index("ix_incident_pins_incident", "incident_id"),)

    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    signature: Mapped[str] = mapped_column(Text, primary_key=True)
    incident_id: Mapped[str] = mapped_column(String(40), nullable=False)
    audit_id: Mapped[int] = mapped_column(Integer, nullable=False)


class AgreementMerge(Base):
    """A reviewer's decision that agreement ``merged_id`` is the same agreement as ``into_id``
    (two outlets' dates a few days apart, a news record and a research table's row). Both
    rows stay as the builders write them, so rebuilding or importing again cannot undo it;
    readers show the merged one inside the other (``ceasefire.merges``). No foreign keys,
    like the reviews: a rebuild removes and makes news records again under the same ids."""

    __tablename__ = "agreement_merges"
    __table_args__ = (Index("ix_agreement_merges_into", "into_id"),)

    merged_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    into_id: Mapped[str] = mapped_column(String(64), nullable=False)
    reviewer: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    audit_id: Mapped[int] = mapped_column(Integer, nullable=False)


class AgreementPin(Base):
    """A reviewer's split of a news agreement: the reports of document ``document_id`` that
    the builder groups into agreement ``from_id`` make agreement ``agreement_id`` instead,
    on every rebuild (``ceasefire.news``)."""

    __tablename__ = "agreement_pins"

    from_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    agreement_id: Mapped[str] = mapped_column(String(64), nullable=False)
    audit_id: Mapped[int] = mapped_column(Integer, nullable=False)


class AgreementReview(Base):
    """A reviewer's standing decision on one field of an agreement (``verdict`` for confirmed
    or rejected), kept over the machine's value when the agreement is built or imported
    again, with the conflict flagged when the machine's value moves (as for incidents)."""

    __tablename__ = "agreement_reviews"

    agreement_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    machine_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    conflict: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reviewer: Mapped[str] = mapped_column(String(100), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    audit_id: Mapped[int] = mapped_column(Integer, nullable=False)


class SourcePoll(Base):
    """When a source of ``sources.yaml`` was last polled and is next due (``trucewatch.sources``).

    Kept in the store, not in memory, so a restarted ``watch`` neither polls every source
    at once nor forgets one that was failing."""

    __tablename__ = "source_polls"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    last_poll_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_poll_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    polls: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SourceResource(Base):
    """One URL a source polls (its feed, sitemap or API answer, a sitemap index's sitemaps):
    the ETag and Last-Modified for the next conditional GET, and how its fetches went."""

    __tablename__ = "source_resources"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    url_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the URL
    url: Mapped[str] = mapped_column(Text, nullable=False)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_fetch_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_ok_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_result: Mapped[str | None] = mapped_column(String(16))  # ok, not_modified, error
    http_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    errors_in_a_row: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    fetches: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    errors: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class SourceItem(Base):
    """An article, record or file a source listed, from the moment it is seen until its
    document is stored: a restart finds the pending ones, and a stored one is never
    fetched again. Articles are keyed by URL, so one listed by two feeds is fetched once."""

    __tablename__ = "source_items"
    __table_args__ = (Index("ix_source_items_source_status", "source", "status"),
                      Index("ix_source_items_status_due", "status", "next_attempt_at"))

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(100), nullable=False)
    how: Mapped[str] = mapped_column(String(16), nullable=False)  # article, record, file
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what the listing said (summary, date, fields)
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # pending, stored, unchanged, failed
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    document_id: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
