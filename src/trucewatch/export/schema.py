"""The export schema for events: ACLED-compatible flat columns plus trucewatch's own.

This module is the single, versioned definition of what an exported event looks like;
the writers (JSONL, CSV, GeoJSON), the pipeline and the docs all read it. Change a
column and ``SCHEMA_VERSION`` changes with it (minor: added column; major: renamed or
removed), so consumers can tell what they are reading.

Versions: 1.1 added ``mediators``. 1.2 added incidents (``--what incidents``): one row
per incident with the ACLED columns (its consensus values), plus ``incident_id``,
``sources`` (independent outlets, reposts grouped under their original),
``corroboration`` (how many), ``disputed`` (fields where sources disagree),
``fatalities_low``/``fatalities_high`` and ``schema_version``. From 1.2 on every
incident row carries ``schema_version`` (JSONL and CSV) and the GeoJSON collection
carries ``trucewatch_schema``. 1.3 added to incidents ``agreements`` (the agreements whose
scope the incident is in, or may be in, as ``trucewatch incidents --agreement`` or a report
last checked it) and ``ladder_step`` (its violation ladder step under them).
1.4 added agreements (``--what agreements``, JSONL only, the records ``trucewatch
agreements export`` writes): one object per agreement with its parties by role, dates as
written at their precision, scope, status and status history, provisions, external ids
and the evidence of every source, plus ``schema_version`` (see :data:`AGREEMENT_COLUMNS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = "1.4"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Lengths of the string columns of the events table (see store/schema.py).
_LIMITS = {"event_type": 64, "sub_event_type": 64, "process_type": 32, "status": 16, "country": 100,
           "admin1": 200, "location": 200}

PROCESS_TYPES = ("talks", "ceasefire", "agreement", "violation_alleged", "withdrawal", "arms_transfer", "statistic")
STATUSES = ("main", "background", "planned", "negated", "hypothetical")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    acled: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("event_id", "string", "Stable id of the event: document id, stage and ordinal.", True),
    Column("event_date", "date", "Date of the event (YYYY-MM-DD), the start when it spans days.", True),
    Column("time_precision", "integer", "ACLED time precision: 1 day, 2 week or a few days, 3 month or longer.", True),
    Column("event_type", "string", "ACLED event type.", True),
    Column("sub_event_type", "string", "ACLED sub-event type.", True),
    Column("actor1", "string", "Main actor who did it (canonical name).", True),
    Column("assoc_actor_1", "string", "Actors associated with actor1, separated by '; '.", True),
    Column("inter1", "integer", "ACLED inter code of actor1 (1 state forces ... 8 external/other).", True),
    Column("actor2", "string", "Actor it was done to (canonical name).", True),
    Column("assoc_actor_2", "string", "Actors associated with actor2, separated by '; '.", True),
    Column("inter2", "integer", "ACLED inter code of actor2.", True),
    Column("country", "string", "Country of the event location.", True),
    Column("admin1", "string", "First-level administrative division.", True),
    Column("location", "string", "Name of the event location.", True),
    Column("latitude", "number", "Latitude (WGS84).", True),
    Column("longitude", "number", "Longitude (WGS84).", True),
    Column("geo_precision", "integer", "ACLED geo precision: 1 town, 2 near a town or part of a region, 3 larger region.", True),
    Column("source", "string", "Outlet(s) that reported the event.", True),
    Column("notes", "string", "Short description of the event.", True),
    Column("fatalities", "integer", "Best estimate of people killed.", True),
    Column("date_end", "date", "Last date of the event when it spans days."),
    Column("mediators", "string", "Mediators, monitors or guarantors named for the event, separated by '; '."),
    Column("process_type", "string", "Ceasefire-process type: " + " | ".join(PROCESS_TYPES) + ", or null."),
    Column("status", "string", "How the document reports it: " + " | ".join(STATUSES) + "."),
    Column("claimant", "string", "Who says so, when the event is reported as someone's claim."),
    Column("fatalities_low", "integer", "Lowest figure for people killed given by the source."),
    Column("fatalities_high", "integer", "Highest figure for people killed given by the source."),
    Column("injured", "integer", "People injured."),
    Column("displaced", "integer", "People displaced."),
    Column("evidence", "array", "Spans supporting the event: [{document_id, start, end, text}]."),
    Column("confidence", "number", "Extractor confidence in [0, 1]."),
    Column("document_id", "string", "Document the event was extracted from."),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
# Columns stored on the events table under the same name.
STORED_COLUMNS: tuple[str, ...] = tuple(n for n in COLUMN_NAMES if n not in ("event_id", "source", "evidence"))

INCIDENT_COLUMNS: tuple[Column, ...] = (
    Column("incident_id", "string", "Stable id of the incident (its founding report's document and signature)."),
    *(c for c in COLUMNS if c.acled and c.name not in ("event_id", "source")),
    Column("source", "string", "Independent outlets that reported the incident, separated by '; '.", True),
    Column("date_end", "date", "Last date of the incident when it spans days."),
    Column("process_type", "string", "Ceasefire-process type, or null."),
    Column("fatalities_low", "integer", "Lowest figure for people killed any source gives."),
    Column("fatalities_high", "integer", "Highest figure for people killed any source gives."),
    Column("sources", "array", "Independent sources: [{source, outlet, documents, reposts}]."),
    Column("corroboration", "integer", "Number of independent sources."),
    Column("disputed", "array", "Fields where sources disagree (actor1, actor2, date, location, fatalities, "
           "event_type, occurrence)."),
    Column("agreements", "array", "Agreements whose scope the incident is in (in_scope true) or may be in (null: "
           "undetermined), as last checked: [{agreement_id, in_scope, rule, step}]."),
    Column("ladder_step", "string", "Highest violation ladder step under those agreements: alleged | reported | "
           "corroborated | confirmed; null when no agreement was checked."),
    Column("schema_version", "string", "Version of this export schema."),
)
INCIDENT_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in INCIDENT_COLUMNS)

_PARTY = "[{name, actor_id, side}]: the name as the source gives it, the knowledge-base actor or null"
AGREEMENT_COLUMNS: tuple[Column, ...] = (
    Column("id", "string", "Stable id of the agreement: news-... built from the reports, or the research table's."),
    Column("name", "string", "Name of the agreement, as a table gives it or made from its kind, place and date."),
    Column("kind", "string", "unilateral_declaration | humanitarian_pause | truce | cessation_of_hostilities | "
           "ceasefire | peace_agreement."),
    Column("parties", "array", "Those bound by it, " + _PARTY + "."),
    Column("mediators", "array", "Those who brokered or facilitated it, " + _PARTY + "."),
    Column("guarantors", "array", "Those who guarantee it, " + _PARTY + "."),
    Column("monitors", "array", "Those who watch compliance, " + _PARTY + "."),
    Column("third_parties", "array", "Signatories or witnesses in no stated capacity, " + _PARTY + "."),
    Column("signed", "date", "Day it was signed (YYYY-MM-DD), or null."),
    Column("effective_from", "string", "When it takes effect: ISO date-time with its UTC offset, or a date."),
    Column("effective_precision", "string", "Precision of effective_from: minute, day, week or month."),
    Column("expires", "string", "When it ends, as effective_from, or null (open-ended)."),
    Column("duration", "string", "Its term as stated (ISO 8601 duration, e.g. P3M), or null."),
    Column("country", "string", "Country of the conflict."),
    Column("scope", "object", "Where and what it covers: {places: [{name, geonameid, ...}], lines: [...]}."),
    Column("status", "string", "Latest step of its status history: proposed | declared | agreed | in_force | "
           "violated | extended | collapsed | superseded | ended | unclear."),
    Column("status_history", "array", "Steps in date order: [{status, date, evidence, source}]."),
    Column("provisions", "array", "What it provides for: [{type, detail, due}]."),
    Column("external_ids", "object", "Ids in research datasets: {pax|ucdp|ethprio: [id, ...]}."),
    Column("sources", "array", "Evidence by source: [{document_id, dataset, record, evidence: [{field, text, "
           "start, end}]}]; start/end are character offsets in the document's text."),
    Column("origin", "string", "import (a research table) or news (built from the reports)."),
    Column("extra", "object", "Further values the source gives, by name."),
    Column("schema_version", "string", "Version of this export schema."),
)
AGREEMENT_COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in AGREEMENT_COLUMNS)

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "id", "url", "outlet", "title", "language", "published", "published_basis", "published_precision", "text",
)


def validate_event(event: dict[str, Any]) -> list[str]:
    """Problems with an event dict a stage produced (empty when it is fine)."""
    problems = []
    unknown = set(event) - set(COLUMN_NAMES)
    if unknown:
        problems.append(f"unknown columns: {sorted(unknown)}")
    if event.get("status", "main") not in STATUSES:
        problems.append(f"status must be one of {STATUSES}")
    if event.get("process_type") not in (None, *PROCESS_TYPES):
        problems.append(f"process_type must be one of {PROCESS_TYPES} or null")
    for name in ("event_date", "date_end"):
        value = event.get(name)
        if value is not None and not (isinstance(value, str) and _DATE.match(value)):
            problems.append(f"{name} must be YYYY-MM-DD, got {value!r}")
    for name, limit in _LIMITS.items():
        value = event.get(name)
        if isinstance(value, str) and len(value) > limit:
            problems.append(f"{name} longer than {limit} characters")
    for span in event.get("evidence") or []:
        if not {"start", "end", "text"} <= set(span):
            problems.append("evidence spans need start, end and text")
            break
    return problems


def markdown_table() -> str:
    """The schema as a Markdown table, for the docs and ``trucewatch export --schema``."""
    rows = [f"Schema version {SCHEMA_VERSION}.", "", "| column | type | ACLED | meaning |", "|---|---|---|---|"]
    rows += [f"| {c.name} | {c.type} | {'yes' if c.acled else ''} | {c.description} |" for c in COLUMNS]
    rows += ["", "Incidents (`--what incidents`): one row per incident, its consensus values.", "",
             "| column | type | ACLED | meaning |", "|---|---|---|---|"]
    rows += [f"| {c.name} | {c.type} | {'yes' if c.acled else ''} | {c.description} |" for c in INCIDENT_COLUMNS]
    rows += ["", "Agreements (`--what agreements`, JSONL): one object per agreement.", "",
             "| field | type | meaning |", "|---|---|---|"]
    rows += [f"| {c.name} | {c.type} | {c.description} |" for c in AGREEMENT_COLUMNS]
    return "\n".join(rows)
