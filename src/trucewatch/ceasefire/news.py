"""Agreement records from the news: the agreement mentions of many reports, in any
language, become one record per agreement.

Mentions are first grouped by the incident fusion made of their events (one happening
across outlets), then groups of the same conflict are merged when their dates agree
(within a day, or three when either date is only known to the week). A unilateral
declaration is kept apart from mutual agreements, one record per declaring side.

A group founds a record only when one of its reports states the agreement as news (a
``main`` event that is not only about a breach) and names at least one party or mediator. A group that only reports breaches, extensions or a
collapse adds those steps to the latest record of the same conflict before it, with
their evidence, instead of making a new agreement of "the truce".

Records are derived data: building again gives the same ids (hashed from the conflict,
the date, the kind of record and the declaring side), leaves unchanged records alone and
removes news records no longer supported by any report.

A reviewer's split (``agreement_pins``) is applied after grouping: the reports of a
pinned document leave the group that would make the record they were split from and make
the record the split named, so every rebuild keeps the split.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from trucewatch.ceasefire.clock import add_duration
from trucewatch.ceasefire.mentions import Mention, country_name, read_mentions
from trucewatch.ceasefire.record import AgreementRecord, Evidence, Party, ProvisionItem, StatusStep
from trucewatch.ceasefire.save import SaveCounts, save_record
from trucewatch.ceasefire.terms import kinds, statuses
from trucewatch.store.schema import Agreement, AgreementExternalId, AgreementPin

FOUNDING = ("declared", "agreed", "in_force")
LATER = ("violated", "extended", "collapsed")
PRECISION = {1: "day", 2: "week", 3: "month"}
#: The kinds a report of breaches is about ("the truce was violated").
CEASEFIRE_KINDS = ("ceasefire", "truce", "cessation_of_hostilities", "humanitarian_pause")
#: How long after an agreement a report of its breach is still taken to be about it.
ATTACH_DAYS = 400


@dataclass
class Group:
    mentions: list[Mention]
    side: str | None = None  # the declaring side, for a unilateral declaration
    date: str | None = None
    precision: int | None = None
    country: str | None = None
    unilateral: bool = False
    later: list[Mention] = field(default_factory=list)  # breach/extension reports attached to it


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def _dated(mention: Mention) -> bool:
    return mention.date is not None and (mention.precision or 9) <= 2


def _date_of(mentions: list[Mention]) -> tuple[str | None, int | None]:
    """The date most main reports give at the best precision (background ones if none)."""
    for pool in ([m for m in mentions if m.status == "main" and _dated(m)], [m for m in mentions if _dated(m)]):
        if pool:
            best = min(m.precision or 9 for m in pool)
            votes = Counter(m.date for m in pool if (m.precision or 9) == best)
            date = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            return date, best
    return None, None


def _split_unilateral(mentions: list[Mention]) -> list[Group]:
    """A unilateral group becomes one group per declaring side (parties without a side share one)."""
    by_side: dict[str | None, list[Mention]] = {}
    for mention in mentions:
        sides = {side for _, side in mention.parties.values()} or {None}
        for side in sides:
            by_side.setdefault(side, []).append(mention)
    return [Group(members, side=side, unilateral=True) for side, members in sorted(
        by_side.items(), key=lambda kv: kv[0] or "")]


def _close(a: Group, b: Group) -> bool:
    if a.country != b.country or a.unilateral != b.unilateral or a.side != b.side or not a.date or not b.date:
        return False
    tolerance = 1 if (a.precision or 9) <= 1 and (b.precision or 9) <= 1 else 3
    return abs((_day(a.date) - _day(b.date)).days) <= tolerance


def group_mentions(mentions: list[Mention]) -> list[Group]:
    """Founding groups (with the breach reports attached to them), in date order."""
    by_incident: dict[str, list[Mention]] = {}
    singles: list[list[Mention]] = []
    for mention in mentions:
        if mention.incident_id:
            by_incident.setdefault(mention.incident_id, []).append(mention)
        else:
            singles.append([mention])
    raw = list(by_incident.values()) + singles
    groups: list[Group] = []
    for members in raw:
        unilateral = [m for m in members if m.unilateral]
        mutual = [m for m in members if not m.unilateral]
        parts = ([Group(mutual)] if mutual else []) + (_split_unilateral(unilateral) if unilateral else [])
        for group in parts:
            group.date, group.precision = _date_of(group.mentions)
            countries = Counter(m.country for m in group.mentions if m.country)
            group.country = countries.most_common(1)[0][0] if countries else None
            if group.country and (group.date or _founds(group)):
                groups.append(group)  # an undated group stands alone, and only when it states an agreement
    groups.sort(key=lambda g: (g.date or "", g.side or ""))
    merged: list[Group] = []
    for group in groups:
        target = next((g for g in merged if _close(g, group)), None)
        if target is None:
            merged.append(group)
        else:
            target.mentions += group.mentions
            target.date, target.precision = _date_of(target.mentions)
    founders = [g for g in merged if _founds(g)]
    for group in merged:
        if group in founders or not any(s in LATER for m in group.mentions for s, _ in m.steps):
            continue
        earlier = [f for f in founders if f.country == group.country and not f.unilateral and f.date and group.date
                   and 0 <= (_day(group.date) - _day(f.date)).days <= ATTACH_DAYS and _kind(f) in CEASEFIRE_KINDS]
        if earlier:
            earlier[-1].later += group.mentions
    return founders


def _founds(group: Group) -> bool:
    """A report of the agreement itself as news, naming someone: a main agreement (or talks
    that produced a text), or a main ceasefire report that is not only about its breach."""
    main = [m for m in group.mentions if m.status == "main"]
    states = any(m.process_type in ("agreement", "talks") or any(s in FOUNDING for s, _ in m.steps)
                 or not any(s in LATER for s, _ in m.steps) for m in main)
    named = any(m.parties or m.mediators for m in group.mentions)
    return states and named


def _record_id(group: Group, family: str) -> str:
    key = f"{group.country}|{group.date}|{family}|{group.side or ''}"
    if group.date is None:  # an undated agreement is only its own reports'
        key += "|" + min(m.event_id for m in group.mentions)
    return "news-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _kind(group: Group) -> str:
    if group.unilateral:
        return "unilateral_declaration"
    order = kinds()
    votes = Counter(m.kind for m in group.mentions if m.status == "main") or Counter(m.kind for m in group.mentions)
    if "peace_agreement" in votes and any(m.process_type == "talks" for m in group.mentions) and len(votes) > 1 \
            and not any(m.process_type in ("ceasefire", "agreement") and m.status == "main" for m in group.mentions):
        return "peace_agreement"
    return sorted(votes.items(), key=lambda kv: (-kv[1], order.index(kv[0])))[0][0]


def _label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def _family(group: Group) -> str:
    return "unilateral" if group.unilateral else "mutual"


def build_record(group: Group, ident: str | None = None) -> AgreementRecord:
    """The agreement record one group of mentions makes (under ``ident`` when a reviewer's
    split named it)."""
    kind = _kind(group)
    country = country_name(group.country) or group.country
    record = AgreementRecord(id=ident or _record_id(group, _family(group)), name="",
                             kind=kind, origin="news", country=country)
    mentions = group.mentions
    parties: dict[str, Party] = {}
    for mention in mentions:
        for actor_id, (name, side) in mention.parties.items():
            if group.unilateral and side != group.side:
                continue
            parties.setdefault(actor_id, Party("party", name, actor_id, side))
    mediators: dict[str, Party] = {}
    for mention in mentions:
        for name, actor_id in mention.mediators.items():
            if actor_id in parties:
                continue
            mediators.setdefault(actor_id or name, Party("mediator", name, actor_id, None))
    record.parties = list(parties.values()) + list(mediators.values())
    main = [m for m in mentions if m.status == "main" and m.location]
    where = (Counter(m.location for m in main if m.location_country == group.country).most_common(1)
             or Counter(m.location for m in main).most_common(1))  # talks abroad: their venue
    place = where[0][0] if where else country
    if group.unilateral and parties:
        record.name = f"{_label(kind)} by {', '.join(p.name for p in parties.values())} " \
                      f"({', '.join(x for x in (country, group.date) if x)})"
    else:
        record.name = f"{_label(kind)} ({', '.join(x for x in (place, group.date) if x)})"
    record.scope = {"places": [{"name": country, "type": "country"}], "lines": []}
    moments = [(m.effective[0], m.effective[1], m.effective[2]) for m in mentions if m.effective]
    if moments:
        stated = [x for x in moments if x[2]] or moments  # a GMT/UTC hour is unambiguous: it wins
        votes = Counter(x[0] for x in stated)
        chosen = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        record.effective_from, record.effective_precision = chosen, "minute"
        record.sources.append(next(x[1] for x in stated if x[0] == chosen))
        others = sorted({x[0] for x in moments} - {chosen})
        if others:
            record.extra = {"effective_from_alternatives": others}
    else:
        record.effective_from, record.effective_precision = group.date, PRECISION.get(group.precision or 0)
    signed = [m for m in mentions if _dated(m) and (m.process_type == "agreement" or any(
        s == "agreed" for s, _ in m.steps))]
    if signed and not group.unilateral:
        record.signed = _date_of(signed)[0]
    durations = [m.duration for m in mentions if m.duration]
    if durations:
        value, evidence = Counter(d[0] for d in durations).most_common(1)[0][0], durations[0][1]
        record.duration = value
        record.expires = add_duration(record.effective_from or "", value)
        record.sources.append(evidence)
    extensions: dict[tuple[str | None, str], Evidence] = {}
    for mention in mentions + group.later:  # several outlets reporting one extension count once
        if mention.extension:
            extensions.setdefault((mention.date if _dated(mention) else None, mention.extension[0]),
                                  mention.extension[1])
    for (date, value), evidence in sorted(extensions.items(), key=lambda kv: kv[0][0] or "9999"):
        if record.expires:
            record.expires = add_duration(record.expires, value)  # a renewal moves the expiry
        record.extra = {**(record.extra or {}), "extensions": [*(record.extra or {}).get("extensions", []),
                                                               {"date": date, "by": value, "evidence": evidence.text}]}
        record.sources.append(evidence)
    seen: set[tuple[str, str | None]] = set()
    steps: list[StatusStep] = []
    reports = sorted(mentions + group.later, key=lambda m: not _dated(m))  # dated steps first
    for mention in reports:
        date = mention.date if _dated(mention) else None
        for status, evidence in mention.steps:
            if date is None and any(s.status == status for s in steps):
                continue  # an undated report of a step already dated adds nothing
            if group.unilateral and status == "agreed":
                status = "declared"
            if (status, date) in seen or status not in statuses():
                continue
            seen.add((status, date))
            steps.append(StatusStep(status, date, evidence.text, f"document {mention.document_id} "
                                                                 f"[{evidence.start}:{evidence.end}]"))
    if not any(s.status in FOUNDING for s in steps):
        first = "declared" if group.unilateral else "agreed"
        steps.insert(0, StatusStep(first, group.date, None, "date of the reports"))
    order = {s: i for i, s in enumerate(statuses())}
    record.history = sorted(steps, key=lambda s: (s.date or "9999", order[s.status]))
    provided: dict[str, ProvisionItem] = {}
    for mention in (m for m in mentions if m.status == "main"):  # background repeats other agreements' terms
        for provision, due, evidence in mention.provisions:
            deadline = add_duration(record.signed or group.date or "", due) if due else None
            if provision not in provided or (deadline and not provided[provision].due):
                provided[provision] = ProvisionItem(provision, evidence.text, deadline)
    record.provisions = list(provided.values())
    for mention in mentions + group.later:
        record.sources += mention.evidence
    return record


def apply_pins(groups: list[Group], pins: dict[str, dict[str, str]]) -> list[tuple[Group, str]]:
    """Each group with the id of the record it makes, after reviewers' splits.

    ``pins``: {record id: {document: the record its reports make instead}}. A pinned
    document's founding reports (and the breach reports it adds) leave the group for a
    group of their own under the split's id, which may be split again in turn. A document
    that only reports a later step stays where it was: alone it founds nothing.
    """
    out: list[tuple[Group, str]] = []
    todo = [(group, _record_id(group, _family(group))) for group in groups]
    seen: set[str] = set()
    while todo:
        group, ident = todo.pop(0)
        moving = pins.get(ident, {}) if ident not in seen else {}
        seen.add(ident)
        parts: dict[str, Group] = {}
        for mention in group.mentions:
            target = moving.get(mention.document_id)
            if target is not None:
                parts.setdefault(target, Group([], side=group.side, unilateral=group.unilateral,
                                               country=group.country)).mentions.append(mention)
        if not parts:
            out.append((group, ident))
            continue
        rest = Group([m for m in group.mentions if moving.get(m.document_id) not in parts], side=group.side,
                     unilateral=group.unilateral, country=group.country)
        for mention in group.later:
            target = moving.get(mention.document_id)
            (parts[target] if target in parts else rest).later.append(mention)
        for part in ([rest] if rest.mentions else []) + list(parts.values()):
            part.date, part.precision = _date_of(part.mentions)
        if rest.mentions:
            out.append((rest, ident))
        todo += [(part, target) for target, part in parts.items()]
    return out


def link_imports(session: Session, record: AgreementRecord) -> None:
    """Add the external ids of imported agreements of the same country and day (a day either side)."""
    day = (record.effective_from or record.signed or "")[:10]
    if not day or not record.country:
        return
    lo = (_day(day) - dt.timedelta(days=1)).isoformat()
    hi = (_day(day) + dt.timedelta(days=1)).isoformat()
    for other in session.scalars(select(Agreement).where(Agreement.origin == "import",
                                                         Agreement.country == record.country)):
        when = [d[:10] for d in (other.effective_from, other.signed) if d]
        if any(lo <= d <= hi for d in when):
            for ext in session.scalars(select(AgreementExternalId).where(AgreementExternalId.agreement_id == other.id)):
                if ext.scheme in ("pax", "ucdp", "ethprio"):
                    record.external_ids.append((ext.scheme, ext.value))


def build_from_news(session: Session) -> tuple[SaveCounts, int]:
    """Build (or rebuild) every news agreement record from the stored events: the counts
    (``unchanged`` for records the same as before), and how many records nothing supports
    any more were removed."""
    counts = SaveCounts()
    kept: set[str] = set()
    pins: dict[str, dict[str, str]] = {}
    for pin in session.scalars(select(AgreementPin)):
        pins.setdefault(pin.from_id, {})[pin.document_id] = pin.agreement_id
    for group, ident in apply_pins(group_mentions(read_mentions(session)), pins):
        record = build_record(group, ident)
        if record.id in kept:
            continue
        link_imports(session, record)
        record.external_ids.sort()
        save_record(session, record, counts)
        kept.add(record.id)
    stale = [i for i in session.scalars(select(Agreement.id).where(Agreement.origin == "news")) if i not in kept]
    if stale:
        session.execute(delete(Agreement).where(Agreement.id.in_(stale)))
    return counts, len(stale)
