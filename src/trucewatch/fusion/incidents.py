"""Link a document's events to incidents: the matching rules and the status rules.

For each event of a document, the candidate incidents are found by an indexed query on
(family of its type, country, date window), never by a scan, so fusing a new document
costs the same in a small store and a large one. A candidate must be compatible with
every main report it holds (type, dates, place, actors; ``fusion.compatible``); the
closest one wins. Then the status decides:

* ``main`` events join the best incident or found a new one;
* ``background`` mentions join the best incident as corroboration, never found one; with
  no incident yet they wait (``fuse_waiting``) and join the first incident founded later;
* ``negated`` events are never members; a denial that matches an incident is linked to
  it as ``disputes`` (a claim is never merged into its denial), or waits like background;
* ``hypothetical`` and ``planned`` events are left out: they have not happened.

An event with no date is not compared by date: only an undated event of an undated
document may join an incident, and only the one incident of its story it fits, itself
made of such reports (see ``Fuser._best_undated``).

An incident's id is a hash of its founding document and the founding event's signature
(type, date, place, actors), so a re-run, or re-processing the document, gives it back.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.orm import Session

from trucewatch.fusion.compatible import (
    LOOKBACK_DAYS,
    PLACE_RADIUS_KM,
    VENUE_TYPES,
    Facts,
    closeness,
    compatible,
    facts_of,
    named_actors,
    place_level,
    same_side,
)
from trucewatch.fusion.consensus import Member, consensus
from trucewatch.review.fields import CORRECTABLE
from trucewatch.store.schema import Document, FuseState, FuseWaiting, Incident, IncidentEvent, IncidentReview

EVENTS_STAGE = "events"
#: What each status may do: found an incident, join one, and with which role.
FOUNDS = frozenset({"main"})
ROLE_OF_STATUS = {"main": "member", "background": "corroborates", "negated": "disputes"}

#: The box around a point event outside which an incident placed at a point is not a candidate.
BOX_KM = max(PLACE_RADIUS_KM.values()) * 1.2

OriginalOf = Callable[[Session, list[str]], Mapping[str, str]]


#: The event columns fusion reads; events are read as plain rows, not ORM objects, because
#: fusing a document takes dozens of small queries and the ORM's cost per query dominated.
EVENT_COLUMNS = ("id", "document_id", "status", "event_date", "date_end", "time_precision", "event_type",
                 "sub_event_type", "process_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
                 "inter2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "claimant",
                 "fatalities", "fatalities_low", "fatalities_high", "injured", "displaced", "notes")
_EVENT_SELECT = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)


@lru_cache(maxsize=512)
def _sql(statement: str) -> Any:
    """A parsed ``text()`` statement, kept: parsing the same SQL for every event cost more than running it."""
    return text(statement)


def _rows(result: Any) -> list[Any]:
    """The rows as they come (read by attribute, like ORM objects; not copied into objects of
    our own, which cost more than the queries)."""
    return list(result)


def _in(name: str, values: list[str]) -> tuple[str, dict[str, str]]:
    """An ``IN (:name0, :name1...)`` clause and its parameters (portable across backends)."""
    params = {f"{name}{i}": v for i, v in enumerate(values)}
    return "(" + ", ".join(f":{k}" for k in params) + ")", params


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def signature(event: Any) -> str:
    """What identifies an event within its document across re-processing (not its ordinal)."""
    f = facts_of(event)
    place = event.location or event.country or ""
    return "|".join([f.key or "", event.event_date or "", place, ";".join(sorted(f.actors))])


def incident_id(document_id: str, sig: str) -> str:
    return "inc-" + hashlib.sha256(f"{document_id}\n{sig}".encode()).hexdigest()[:20]


def events_digest(events: Iterable[Any]) -> str:
    """A digest of a document's events: re-processing that changes nothing changes no link."""
    from trucewatch.export.schema import STORED_COLUMNS

    rows = sorted([[e.id, *(getattr(e, c) for c in STORED_COLUMNS)] for e in events], key=lambda r: r[0])
    return hashlib.sha256(json.dumps(rows, default=str, sort_keys=True).encode()).hexdigest()


class Fuser:
    """Fuses documents into incidents inside one session (one transaction per batch).

    Links are written with the session's autoflush off and flushed once per document:
    a document's events never join each other's incidents, so nothing it adds needs
    to be visible before its last event is placed.
    """

    def __init__(self, session: Session, original_of: OriginalOf | None = None) -> None:
        self.session = session
        self.original_of = original_of
        self.touched: set[str] = set()
        self._members: dict[str, list[tuple[Any, str]]] = {}
        self._mains_of: dict[str, tuple[list[tuple[Any, str]], int, list[Facts], frozenset[str]]] = {}
        self._facts: dict[str, Facts] = {}
        self._known: dict[str, bool] = {}
        self._new_links: list[dict[str, Any]] = []
        self._waiting: list[dict[str, Any]] = []
        self._adopted: list[str] = []
        self._dated_docs: dict[str, bool] = {}

    # -- reading -----------------------------------------------------------------------
    def facts(self, event: Any) -> Facts:
        found = self._facts.get(event.id)
        if found is None or found.document_id != event.document_id:
            found = self._facts[event.id] = facts_of(event)
        return found

    def _load_links(self, incidents: Iterable[str]) -> None:
        """Read the links of the incidents not cached yet, in one query per 500."""
        missing = sorted({i for i in incidents if i not in self._members})
        for start in range(0, len(missing), 500):
            chunk = missing[start:start + 500]
            for inc in chunk:
                self._members[inc] = []
            clause, params = _in("i", chunk)
            rows = self.session.execute(_sql(
                f"SELECT {_EVENT_SELECT}, l.incident_id AS link_incident, l.role AS link_role FROM incident_events l "
                f"JOIN events e ON e.id = l.event_id WHERE l.incident_id IN {clause} ORDER BY e.id"), params)
            for row in _rows(rows):
                self._members[row.link_incident].append((row, row.link_role))

    def _links(self, incident: str) -> list[tuple[Any, str]]:
        """(event row, role) of an incident's links, cached for this batch."""
        self._load_links([incident])
        return self._members[incident]

    def _main_facts(self, incident: str) -> list[Facts]:
        return self._mains(incident)[0]

    def _mains(self, incident: str) -> tuple[list[Facts], frozenset[str]]:
        """The facts of an incident's main reports and their documents, kept while its links
        are unchanged (an event is checked against every candidate's mains, and a busy
        block's incidents are candidates for many events of a batch). Links are only ever
        appended to their list, or the list replaced, so its identity and length tell."""
        links = self._links(incident)
        held = self._mains_of.get(incident)
        if held is None or held[0] is not links or held[1] != len(links):
            mains = [self.facts(e) for e, role in links if role == "member"]
            held = self._mains_of[incident] = (links, len(links), mains, frozenset(m.document_id for m in mains))
        return held[2], held[3]

    def _best(self, f: Facts, only: Iterable[str] | None = None,
              same_document: bool = False) -> tuple[str | None, float, dict[str, str]]:
        """The closest incident ``f`` is compatible with (with every main report of it).

        An incident that already holds a main report of ``f``'s own document is skipped (one
        article's two mentions of a strike are not two sources), unless ``same_document``: a
        denial that an article quotes beside its report of the attack disputes that attack.
        """
        if f.date_lo is None:
            return self._best_undated(f)
        best: tuple[str | None, float, dict[str, str]] = (None, 0.0, {})
        ids = sorted(only if only is not None else self._candidate_ids(f))
        self._load_links(ids)
        for inc in ids:
            mains, documents = self._mains(inc)
            if not mains or (not same_document and f.document_id in documents):
                continue
            verdicts = [compatible(f, m) for m in mains]
            if not all(ok for ok, _ in verdicts):
                continue
            score = sum(closeness(f, m) for m in mains) / len(mains)
            if score > best[1]:
                best = (inc, score, verdicts[0][1])
        return best

    def _best_undated(self, f: Facts) -> tuple[str | None, float, dict[str, str]]:
        """The one incident an undated event of an undated document may join, if any.

        Nothing bounds such an event in time, so it joins only when all of this holds:
        its document has no publication date either; the incident is in the same story
        (``story_members``) and its main reports are all of this kind too, undated events
        of undated documents (its date stays open, nothing is filled in); the event is
        compatible with every main report of it (type, place, actors); and no other
        incident of the story, dated or not, is compatible with it (an undated report of
        clashes in a town that saw two rounds could be either).
        """
        none: tuple[str | None, float, dict[str, str]] = (None, 0.0, {"date": "no date: not merged"})
        story = self._story_of(f.document_id)
        if story is None or self._published(f.document_id):
            return none
        fits: list[tuple[str, float, dict[str, str], bool]] = []
        ids = self._story_incidents(story, f.document_id)
        self._load_links(ids)
        for inc in ids:
            mains = self._main_facts(inc)
            if not mains or any(m.document_id == f.document_id for m in mains):
                continue
            verdicts = [compatible(f, m, open_date=True) for m in mains]
            if all(ok for ok, _ in verdicts):
                score = sum(closeness(f, m) for m in mains) / len(mains)
                fits.append((inc, score, verdicts[0][1],
                             any(m.date_lo is not None or self._published(m.document_id) for m in mains)))
        if len(fits) != 1 or fits[0][3]:
            return none
        inc, score, reason, _ = fits[0]
        return inc, score, {**reason, "story": "the only compatible incident of its story, both undated"}

    def _story_of(self, document_id: str) -> str | None:
        return self.session.scalar(_sql("SELECT story_id FROM story_members WHERE document_id = :d"),
                                   {"d": document_id})

    def _published(self, document_id: str) -> bool:
        """Whether the document has a publication date (cached for the batch)."""
        if document_id not in self._dated_docs:
            self._dated_docs[document_id] = self.session.scalar(
                _sql("SELECT published FROM documents WHERE id = :d"), {"d": document_id}) is not None
        return self._dated_docs[document_id]

    def _story_incidents(self, story: str, document_id: str) -> list[str]:
        """Incidents with a main report from another document of ``story`` (indexed by story, then link)."""
        return sorted(self.session.scalars(_sql(
            "SELECT DISTINCT l.incident_id FROM story_members s JOIN incident_events l ON l.document_id = s.document_id"
            " WHERE s.story_id = :story AND s.document_id <> :d AND l.role = 'member'"),
            {"story": story, "d": document_id}))

    def _candidate_ids(self, f: Facts) -> list[str]:
        """Incidents in ``f``'s block: same family, a date window that overlaps, and the same
        country, none, or the home country of one of its parties (indexed: ``ix_incidents_block``,
        ``ix_incidents_family_date``).

        An event with no country is looked for in every country. One placed only in its own
        party's home country, and a talks/agreement/ceasefire event (placed at the venue or
        where it applies, see ``fusion.compatible``), also meet the incidents of other
        countries that name a party of theirs."""
        assert f.date_lo is not None and f.date_hi is not None
        params: dict[str, Any] = {"family": f.family, "earliest": _day(f.date_lo - timedelta(days=LOOKBACK_DAYS)),
                                  "lo": _day(f.date_lo), "hi": _day(f.date_hi)}
        where = "family = :family AND date_lo >= :earliest AND date_lo <= :hi AND date_hi >= :lo"
        if (place_level(f) == "point" and f.latitude is not None and f.longitude is not None
                and f.key not in VENUE_TYPES):
            # an incident placed at a point further than any radius allows cannot take a point
            # event (it would have to agree with the report that put the incident there)
            dlat = BOX_KM / 111.0
            dlon = min(180.0, dlat / max(0.05, math.cos(math.radians(f.latitude))))
            where += (" AND (latitude IS NULL OR longitude IS NULL OR (latitude BETWEEN :lat0 AND :lat1"
                      " AND longitude BETWEEN :lon0 AND :lon1))")
            params.update(lat0=f.latitude - dlat, lat1=f.latitude + dlat, lon0=f.longitude - dlon,
                          lon1=f.longitude + dlon)
        if f.country is None:
            return list(self.session.scalars(_sql(f"SELECT id FROM incidents WHERE {where}"), params))
        # one index search per country (country, family, date_lo), not one OR that SQLite answers
        # by family alone; all of them in one statement (UNION ALL), one round trip
        countries = sorted({f.country, *f.homes})
        branches = [f"SELECT id FROM incidents WHERE country = :country{k} AND {where}" for k in range(len(countries))]
        branches.append(f"SELECT id FROM incidents WHERE country IS NULL AND {where}")
        found: list[str] = list(self.session.scalars(
            _sql(" UNION ALL ".join(branches)), {**params, **{f"country{k}": c for k, c in enumerate(countries)}}))
        if f.actors and (f.home_place or f.key in VENUE_TYPES):
            # elsewhere, only a report sharing a party can match (both rules need one): the
            # incident's own actor columns sort them out before any of its links is read (an
            # incident founded in this batch has none until refresh, and is kept)
            seen = set(found)
            for inc, actor1, actor2 in self.session.execute(
                    _sql(f"SELECT id, actor1, actor2 FROM incidents WHERE {where}"), params):
                theirs = named_actors(actor1, actor2)
                if inc not in seen and (actor1 is None and actor2 is None
                                        or any(same_side(x, y) for x in f.actors for y in theirs)):
                    found.append(inc)
        return found

    def _exists(self, inc: str) -> bool:
        if inc not in self._known:
            self._known[inc] = self.session.scalar(_sql("SELECT 1 FROM incidents WHERE id = :id"), {"id": inc}) is not None
        return self._known[inc]

    # -- writing -----------------------------------------------------------------------
    def _link(self, incident: str, event: Any, role: str, score: float | None, reason: dict[str, str]) -> None:
        self._new_links.append({"incident_id": incident, "event_id": event.id, "document_id": event.document_id,
                                "role": role, "score": round(score, 4) if score else None, "reason": reason})
        self._members.setdefault(incident, []).append((event, role))
        self.touched.add(incident)

    def _found(self, event: Any, f: Facts) -> str:
        sig = signature(event)
        inc = incident_id(event.document_id, sig)
        n = 2
        while self._exists(inc) and any(
                e.document_id == event.document_id for e, _ in self._links(inc)):
            inc = incident_id(event.document_id, f"{sig}#{n}")  # two alike happenings in one report
            n += 1
        if not self._exists(inc):
            self.session.execute(insert(Incident.__table__), [{
                "id": inc, "founding_document_id": event.document_id, "signature": sig, "family": f.family,
                "date_lo": _day(f.date_lo), "date_hi": _day(f.date_hi), "country": f.country, "corroboration": 1,
                "updated_at": datetime.now(timezone.utc)}])
            self._known[inc] = True
            self._members[inc] = []
        self._link(inc, event, "member", None, {"founded": "first main report of this happening"})
        return inc

    def _wait(self, event: Any, f: Facts, role: str) -> None:
        if f.date_lo is None:
            return  # undated: it can never be shown to overlap an incident
        # blocked by country like the incidents, except where the country is no place (see _candidate_ids)
        anywhere = f.home_place or f.key in VENUE_TYPES
        self._waiting.append({"event_id": event.id, "document_id": event.document_id, "role": role,
                              "family": f.family, "country": None if anywhere else f.country,
                              "date_lo": _day(f.date_lo), "date_hi": _day(f.date_hi)})

    def _adopt_waiting(self, incident: str) -> None:
        """Attach waiting background mentions and denials that this incident now matches."""
        mains = self._main_facts(incident)
        dated = [m for m in mains if m.date_lo is not None]
        if not dated:
            return
        lo, hi = min(m.date_lo for m in dated), max(m.date_hi for m in dated)  # type: ignore[type-var]
        countries = {m.country for m in mains}
        params: dict[str, Any] = {"family": mains[0].family, "earliest": _day(lo - timedelta(days=LOOKBACK_DAYS)),
                                  "lo": _day(lo), "hi": _day(hi)}
        sql = (f"SELECT {_EVENT_SELECT}, w.role AS wait_role FROM fuse_waiting w JOIN events e ON e.id = w.event_id "
               "WHERE w.family = :family AND w.date_lo >= :earliest AND w.date_lo <= :hi AND w.date_hi >= :lo")
        if None not in countries and len(countries) == 1 and not any(
                m.home_place or m.key in VENUE_TYPES for m in mains):
            params["country"] = next(iter(countries))
            found = [*_rows(self.session.execute(_sql(sql + " AND w.country = :country"), params)),
                     *_rows(self.session.execute(_sql(sql + " AND w.country IS NULL"), params))]
        else:
            found = _rows(self.session.execute(_sql(sql), params))
        member_docs = {m.document_id for m in mains}
        for event in sorted(found, key=lambda row: row.id):
            if (event.document_id in member_docs and event.wait_role != "disputes") or event.id in self._adopted:
                continue  # a background mention of a member's own article is no second source; its denial is
            f = self.facts(event)
            verdicts = [compatible(f, m) for m in mains]
            if all(ok for ok, _ in verdicts):
                self._adopted.append(event.id)
                self._link(incident, event, event.wait_role, sum(closeness(f, m) for m in mains) / len(mains),
                           verdicts[0][1])

    def _write(self) -> None:
        """Store the links and adoptions made since the last write."""
        if self._adopted:
            for start in range(0, len(self._adopted), 500):
                clause, params = _in("w", self._adopted[start:start + 500])
                self.session.execute(_sql(f"DELETE FROM fuse_waiting WHERE event_id IN {clause}"), params)
            self._adopted = []
        if self._new_links:
            self.session.execute(insert(IncidentEvent.__table__), self._new_links)
            self._new_links = []
        if self._waiting:
            self.session.execute(insert(FuseWaiting.__table__), self._waiting)
            self._waiting = []

    def unlink_document(self, document_id: str) -> None:
        """Take a document's events out of every incident and of the waiting list."""
        for (inc,) in self.session.execute(
                select(IncidentEvent.incident_id).where(IncidentEvent.document_id == document_id).distinct()):
            self.touched.add(inc)
            self._members.pop(inc, None)
        self.session.execute(delete(IncidentEvent).where(IncidentEvent.document_id == document_id))
        self.session.execute(delete(FuseWaiting).where(FuseWaiting.document_id == document_id))

    def fuse_events(self, events: list[Any]) -> None:
        """Link one document's events; main reports first, so its background can wait for them."""
        order = {"main": 0, "background": 1, "negated": 2}
        with self.session.no_autoflush:
            for event in sorted(events, key=lambda e: (order.get(e.status, 9), e.id)):
                role = ROLE_OF_STATUS.get(event.status or "main")
                if role is None:
                    continue  # planned, hypothetical: not happenings
                if role == "disputes" and not event.claimant:
                    continue  # a bare negation ("no shelling was reported") denies nothing in particular
                f = self.facts(event)
                best, score, reason = self._best(f, same_document=role == "disputes")
                if best is not None:
                    self._link(best, event, role, score, reason)
                    if role == "member":
                        self._adopt_waiting(best)
                elif event.status in FOUNDS:
                    founded = self._found(event, f)
                    self._adopt_waiting(founded)
                else:
                    self._wait(event, f, role)
        self._write()

    def refresh(self) -> None:
        """Recompute every touched incident from its links; one with no main report left is dissolved
        and its background mentions and denials go back to waiting. Reviewers' splits and merges
        are honoured first (``_honour_decisions``)."""
        self._write()
        _honour_decisions(self)
        touched = sorted(self.touched)
        for inc in touched:
            self._members.pop(inc, None)
        self._load_links(touched)
        docs = sorted({e.document_id for inc in touched for e, _ in self._members[inc]})
        originals = dict(self.original_of(self.session, docs)) if self.original_of is not None and docs else {}
        outlets: dict[str, str | None] = {}
        rows: dict[str, Incident] = {}
        for start in range(0, len(docs), 500):
            outlets.update(self.session.execute(select(Document.id, Document.outlet)
                                                .where(Document.id.in_(docs[start:start + 500]))).all())
        reviewed: dict[str, list[IncidentReview]] = {}
        for start in range(0, len(touched), 500):
            rows.update((r.id, r) for r in self.session.scalars(
                select(Incident).where(Incident.id.in_(touched[start:start + 500]))))
            for review in self.session.scalars(select(IncidentReview).where(
                    IncidentReview.incident_id.in_(touched[start:start + 500]))):
                reviewed.setdefault(review.incident_id, []).append(review)
        dissolved = []
        with self.session.no_autoflush:
            for inc in touched:
                incident = rows.get(inc)
                if incident is None:
                    continue
                links = self._members[inc]
                if not any(role == "member" for _, role in links):
                    for event, role in links:
                        self._wait(event, self.facts(event), role)
                    dissolved.append(inc)
                    continue
                founder = next((e.id for e, role in links
                                if role == "member" and e.document_id == incident.founding_document_id),
                               next(e.id for e, role in links if role == "member"))
                mine = sorted({e.document_id for e, _ in links})
                record = consensus([Member(e, role, outlets.get(e.document_id)) for e, role in links], founder,
                                   {d: originals[d] for d in mine if d in originals}, outlets)
                mains = [self.facts(e) for e, role in links if role == "member"]
                dated = [m for m in mains if m.date_lo is not None]
                incident.family = mains[0].family
                incident.date_lo = _day(min(m.date_lo for m in dated)) if dated else None  # type: ignore[type-var]
                incident.date_hi = _day(max(m.date_hi for m in dated)) if dated else None  # type: ignore[type-var]
                for column, value in record.items():
                    setattr(incident, column, value)
                _keep_reviews(incident, reviewed.get(inc, []))
                incident.updated_at = datetime.now(timezone.utc)
        self.session.flush()
        for inc in dissolved:  # its links go with it (ON DELETE CASCADE, and here for SQLite without it)
            self.session.execute(delete(IncidentEvent).where(IncidentEvent.incident_id == inc))
            self.session.execute(delete(Incident).where(Incident.id == inc))
            self._members.pop(inc, None)
            self._known[inc] = False
        self._write()
        self.touched.clear()


def _honour_decisions(fuser: Fuser) -> None:
    """Reviewers' splits and merges win over linking, whatever it decided this run.

    Linking is left as it is (it never reads a decision); its result is corrected before
    the touched incidents are recomputed. A split pins an event, by its document and
    signature, to the incident the reviewer made for it: the link moves there (the row is
    made again if a re-run dissolved it). A merge sends everything linked to the merged
    id into the incident it was merged into, and the merged row, left without reports, is
    dissolved like any other. Pins go first, so an event pinned to an incident that was
    later merged follows the merge. Two cheap queries when no reviewer ever split or merged.
    """
    session = fuser.session
    if not fuser.touched:
        return
    if session.scalar(_sql("SELECT 1 FROM incident_pins LIMIT 1")) is not None:
        _follow_pins(fuser)
    if session.scalar(_sql("SELECT 1 FROM incident_merges LIMIT 1")) is not None:
        _follow_merges(fuser)


def _move_link(fuser: Fuser, event_id: str, source: str, target: str) -> None:
    fuser.session.execute(_sql("UPDATE incident_events SET incident_id = :t WHERE incident_id = :s AND event_id = :e"),
                          {"t": target, "s": source, "e": event_id})
    for inc in (source, target):
        fuser._members.pop(inc, None)
    fuser.touched.update((source, target))


def _follow_pins(fuser: Fuser) -> None:
    """Move each pinned event linked to another incident to its pin's incident."""
    session = fuser.session
    touched = sorted(fuser.touched)
    found: list[Any] = []
    for start in range(0, len(touched), 500):
        clause, params = _in("i", touched[start:start + 500])
        found += _rows(session.execute(_sql(
            f"SELECT {_EVENT_SELECT}, l.incident_id AS link_incident, p.signature AS pin_signature, "
            f"p.incident_id AS pin_incident FROM incident_events l JOIN incident_pins p ON p.document_id = l.document_id "
            f"JOIN events e ON e.id = l.event_id WHERE l.incident_id IN {clause} AND p.incident_id <> l.incident_id "
            f"ORDER BY e.id"), params))
    for row in found:
        if signature(row) != row.pin_signature:
            continue  # another event of the pinned document
        if not fuser._exists(row.pin_incident):
            f = fuser.facts(row)
            session.execute(insert(Incident.__table__), [{
                "id": row.pin_incident, "founding_document_id": row.document_id, "signature": row.pin_signature,
                "family": f.family, "date_lo": _day(f.date_lo), "date_hi": _day(f.date_hi), "country": f.country,
                "corroboration": 1, "updated_at": datetime.now(timezone.utc)}])
            fuser._known[row.pin_incident] = True
        _move_link(fuser, row.id, row.link_incident, row.pin_incident)


def _follow_merges(fuser: Fuser) -> None:
    """Move every link of a touched merged id into the incident it was merged into (following
    a chain of merges); an incident merged into one that no longer exists keeps its links."""
    session = fuser.session
    touched = sorted(fuser.touched)
    merged: dict[str, str] = {}
    for start in range(0, len(touched), 500):
        clause, params = _in("i", touched[start:start + 500])
        merged.update(session.execute(_sql(
            f"SELECT merged_id, into_id FROM incident_merges WHERE merged_id IN {clause}"), params).all())
    for source, target in sorted(merged.items()):
        seen = {source}
        while True:
            onward = session.scalar(_sql("SELECT into_id FROM incident_merges WHERE merged_id = :m"), {"m": target})
            if onward is None or onward in seen:
                break
            seen.add(target)
            target = onward
        if target == source or not fuser._exists(target):
            continue
        for (event_id,) in session.execute(_sql("SELECT event_id FROM incident_events WHERE incident_id = :s "
                                                "ORDER BY event_id"), {"s": source}).all():
            _move_link(fuser, event_id, source, target)


def _keep_reviews(incident: Incident, reviews: list[IncidentReview]) -> None:
    """A reviewer's value wins over the one just computed. When the computed value has moved
    since the machine's last (and is not the reviewer's), the field is flagged for review."""
    for review in reviews:
        if review.field not in CORRECTABLE:
            continue  # a confirmation or rejection: not a column of the incident
        machine = getattr(incident, review.field)
        if machine != review.machine_value:
            review.machine_value = machine
            review.conflict = machine != review.value
        setattr(incident, review.field, review.value)


def document_events(session: Session, document_ids: list[str]) -> dict[str, list[Any]]:
    """The events stage's events of each document (every column), in id order."""
    out: dict[str, list[Any]] = {d: [] for d in document_ids}
    for start in range(0, len(document_ids), 500):
        clause, params = _in("d", document_ids[start:start + 500])
        for event in _rows(session.execute(_sql(
                f"SELECT * FROM events WHERE document_id IN {clause} AND stage = :stage ORDER BY id"),
                {**params, "stage": EVENTS_STAGE})):
            out[event.document_id].append(event)
    return out


def fuse_documents(session: Session, runs: list[tuple[str, tuple[int, datetime]]],
                   original_of: OriginalOf | None = None) -> int:
    """Fuse documents (``(document id, (events run id, its time))``) in this session; returns how many changed.

    A document whose events are unchanged since it was last fused keeps its links; only
    its recorded run moves on.
    """
    fuser = Fuser(session, original_of)
    ids = [d for d, _ in runs]
    events_of = document_events(session, ids)
    states = {s.document_id: s for s in session.scalars(select(FuseState).where(FuseState.document_id.in_(ids)))}
    changed = 0
    fresh: list[dict[str, Any]] = []
    for document_id, (run_id, ran_at) in runs:
        events = events_of[document_id]
        digest = events_digest(events)
        state = states.get(document_id)
        if state is not None and state.digest == digest:
            state.events_run_id, state.events_ran_at = run_id, ran_at
            continue
        if state is not None:  # re-processed: its old links go first
            fuser.unlink_document(document_id)
        fuser.fuse_events(events)
        if state is None:
            fresh.append({"document_id": document_id, "events_run_id": run_id, "events_ran_at": ran_at,
                          "digest": digest, "fused_at": datetime.now(timezone.utc)})
        else:
            state.events_run_id, state.events_ran_at, state.digest = run_id, ran_at, digest
            state.fused_at = datetime.now(timezone.utc)
        changed += 1
    fuser.refresh()
    if fresh:
        session.execute(insert(FuseState), fresh)
    return changed
