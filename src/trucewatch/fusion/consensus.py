"""What an incident says: per field, every value with who gave it, a consensus and the rule used.

Sources are independent outlets: a repost (``original_of``) counts under its original,
and two reports of one outlet are one source. A document without a known outlet is a
source of its own (nothing says it is not independent).

Consensus rules (each named in the record, so a reader can check it):

* fatalities: ``low`` is the lowest figure any source gives (its own low when it gives a
  range), ``high`` the highest. ``best`` follows ACLED's rule as we read its codebook:
  when reports differ, code the most conservative credible figure, which is the lowest
  reported figure unless another is better sourced. We take "better sourced" to mean
  given by more independent sources: the figure most sources give, ties going to the
  lowest. One outlet's 13 against another's 23 gives 13; two outlets' 23 against one
  outlet's 13 gives 23. Sources that disagree put ``fatalities`` in ``disputed``.
* date: the most precise date that agrees with every other report (its range overlaps
  theirs); a report whose day differs from another's at day precision is a dispute.
* place: the most precise place that is consistent with every other report (inside it,
  or within the distance its precision allows).
* actors: the name most sources give, the more specific one (a brigade over its army)
  when one is inside the other; named actors that cannot be the same party are a dispute.
* type: the type most sources give, ties going to the founding report.
* a denial linked to the incident puts ``occurrence`` in ``disputed``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from trucewatch.fusion.compatible import Facts, dates_compatible, facts_of, named, place_level, places_compatible, same_side

_LEVEL_RANK = {"point": 0, "admin1": 1, "country": 2, "none": 3}


@dataclass(frozen=True)
class Member:
    """One event linked to an incident, with how it is linked and where it came from."""

    event: Any  # a store Event row (or an object with its columns)
    role: str  # member | corroborates | disputes
    outlet: str | None


def source_of(document_id: str, outlet: str | None, original_of: Mapping[str, str],
              outlets: Mapping[str, str | None]) -> str:
    """The independent source a document counts as: its original's outlet, else the original itself."""
    original = original_of.get(document_id, document_id)
    name = outlets.get(original, outlet if original == document_id else None)
    return f"outlet:{name.strip().casefold()}" if name and name.strip() else f"document:{original}"


def _values(members: Sequence[Member], sources: Mapping[str, str], field: str) -> list[dict[str, Any]]:
    grouped: dict[Any, dict[str, Any]] = {}
    for m in members:
        value = getattr(m.event, field)
        if value is None:
            continue
        entry = grouped.setdefault(value, {"value": value, "sources": [], "events": [], "claimants": []})
        source = sources[m.event.document_id]
        if source not in entry["sources"]:
            entry["sources"].append(source)
        entry["events"].append(m.event.id)
        if m.event.claimant and m.event.claimant not in entry["claimants"]:
            entry["claimants"].append(m.event.claimant)
    return sorted(grouped.values(), key=lambda e: (-len(e["sources"]), str(e["value"])))


def fatalities(members: Sequence[Member], sources: Mapping[str, str]) -> dict[str, Any]:
    """low / best / high and the rule, from every source's figure (see the module's note)."""
    given = [m.event for m in members if m.event.fatalities is not None or m.event.fatalities_low is not None]
    if not given:
        return {"low": None, "best": None, "high": None, "rule": "no source gives a figure", "disputed": False}
    lows = [e.fatalities_low if e.fatalities_low is not None else e.fatalities for e in given]
    highs = [e.fatalities_high if e.fatalities_high is not None else e.fatalities for e in given]
    by_value: dict[int, set[str]] = {}
    for e in given:
        if e.fatalities is not None:
            by_value.setdefault(e.fatalities, set()).add(sources[e.document_id])
    best = min(by_value, key=lambda v: (-len(by_value[v]), v)) if by_value else None
    rule = ("ACLED: the most conservative credible figure (the lowest, unless another is given by more "
            "independent sources)")
    return {"low": min(v for v in lows if v is not None), "best": best,
            "high": max(v for v in highs if v is not None), "rule": rule, "disputed": len(by_value) > 1}


def _pick_date(facts: Sequence[Facts], events: Mapping[str, Any]) -> tuple[Any, bool]:
    dated = [f for f in facts if f.date_lo is not None]
    if not dated:
        return None, False
    def agreeing(f: Facts) -> int:
        return sum(1 for g in dated if dates_compatible(f, g))
    ranked = sorted(dated, key=lambda f: (f.precision or 3, -agreeing(f), events[f.event_id].event_date or ""))
    day_dates = {events[f.event_id].event_date for f in dated if (f.precision or 3) == 1}
    return events[ranked[0].event_id], len(day_dates) > 1


def _pick_place(facts: Sequence[Facts], events: Mapping[str, Any]) -> tuple[Any, bool]:
    placed = [f for f in facts if place_level(f) != "none"]
    if not placed:
        return None, False
    def consistent(f: Facts) -> int:
        return sum(1 for g in placed if places_compatible(f, g)[0])
    def given(f: Facts) -> int:
        return sum(1 for g in placed if g.location == f.location)
    ranked = sorted(placed, key=lambda f: (-consistent(f), _LEVEL_RANK[place_level(f)], f.geo_precision or 3,
                                           -given(f), f.event_id))
    disputed = any(not places_compatible(a, b)[0] for i, a in enumerate(placed) for b in placed[i + 1:])
    return events[ranked[0].event_id], disputed


def _pick_actor(values: list[dict[str, Any]]) -> tuple[str | None, bool]:
    names = [v for v in values if named(v["value"])]
    if not names:
        return (values[0]["value"] if values else None), False
    top = names[0]
    # prefer the more specific of two names for one party ("Haftar's 106 Brigade" over the LNA)
    for other in names[1:]:
        if len(other["sources"]) == len(top["sources"]) and same_side(other["value"], top["value"]) \
                and other["value"] != top["value"]:
            from trucewatch.fusion.compatible import actor_key, lineage
            if actor_key(top["value"]) in lineage(other["value"]):
                top = other
    disputed = any(not same_side(a["value"], b["value"]) for i, a in enumerate(names) for b in names[i + 1:])
    return top["value"], disputed


def _acled_extras(members: Sequence[Member], founder: Any, record: Mapping[str, Any]) -> dict[str, Any]:
    """ACLED columns the incident takes from its reports: inter codes of the chosen actors,
    their associated actors, and the founding report's note."""
    def first(column: str, side: str) -> Any:
        return next((getattr(m.event, column) for m in members
                     if getattr(m.event, side) == record[side] and getattr(m.event, column) is not None), None)

    return {"inter1": first("inter1", "actor1"), "inter2": first("inter2", "actor2"),
            "assoc_actor_1": first("assoc_actor_1", "actor1"), "assoc_actor_2": first("assoc_actor_2", "actor2"),
            "notes": founder.notes}


def consensus(members: Sequence[Member], founder_event_id: str, original_of: Mapping[str, str],
              outlets: Mapping[str, str | None]) -> dict[str, Any]:
    """The incident's columns, ``sources``, ``corroboration``, ``disputed`` and ``consensus`` record."""
    supporting = [m for m in members if m.role != "disputes"]
    doc_outlet = {m.event.document_id: m.outlet for m in members}
    sources = {doc: source_of(doc, outlet, original_of, outlets) for doc, outlet in doc_outlet.items()}
    events = {m.event.id: m.event for m in supporting}
    facts = [facts_of(m.event) for m in supporting]
    record: dict[str, Any] = {}
    disputed: list[str] = []

    type_votes = Counter()
    for m in supporting:
        type_votes[(m.event.event_type, m.event.sub_event_type, m.event.process_type)] += 1
    founder = events.get(founder_event_id) or supporting[0].event
    founder_type = (founder.event_type, founder.sub_event_type, founder.process_type)
    chosen_type = max(type_votes, key=lambda t: (type_votes[t], t == founder_type))
    record["event_type"], record["sub_event_type"], record["process_type"] = chosen_type
    if len({m.event.event_type for m in supporting if m.event.event_type}) > 1:
        disputed.append("event_type")

    dated, date_dispute = _pick_date(facts, events)
    record["event_date"] = dated.event_date if dated is not None else None
    record["date_end"] = dated.date_end if dated is not None else None
    record["time_precision"] = dated.time_precision if dated is not None else None
    if date_dispute:
        disputed.append("date")

    placed, place_dispute = _pick_place(facts, events)
    for column in ("country", "admin1", "location", "latitude", "longitude", "geo_precision"):
        record[column] = getattr(placed, column) if placed is not None else None
    if place_dispute:
        disputed.append("location")

    field_values = {name: _values(supporting, sources, name)
                    for name in ("event_date", "location", "actor1", "actor2", "fatalities", "injured", "displaced",
                                 "sub_event_type", "process_type")}
    for side in ("actor1", "actor2"):
        record[side], dispute = _pick_actor(field_values[side])
        if dispute:
            disputed.append(side)

    figures = fatalities(supporting, sources)
    record["fatalities"], record["fatalities_low"], record["fatalities_high"] = (
        figures["best"], figures["low"], figures["high"])
    if figures["disputed"]:
        disputed.append("fatalities")

    denials = [m for m in members if m.role == "disputes"]
    if denials:
        disputed.append("occurrence")

    grouped: dict[str, dict[str, Any]] = {}
    for m in supporting:
        doc = m.event.document_id
        entry = grouped.setdefault(sources[doc], {"source": sources[doc], "outlet": None, "documents": [],
                                                  "reposts": []})
        original = original_of.get(doc, doc)
        entry["outlet"] = entry["outlet"] or outlets.get(original) or m.outlet
        if original != doc:
            if doc not in entry["reposts"]:
                entry["reposts"].append(doc)
            if original not in entry["documents"]:
                entry["documents"].append(original)
        elif doc not in entry["documents"]:
            entry["documents"].append(doc)
    source_list = sorted(grouped.values(), key=lambda s: s["source"])

    record["sources"] = source_list
    record["corroboration"] = len(source_list)
    record["disputed"] = disputed
    record["consensus"] = {
        "values": field_values,
        "rules": {
            "fatalities": figures["rule"],
            "date": "the most precise date that agrees with every other report",
            "place": "the most precise place consistent with every other report",
            "actors": "the name most sources give; the more specific of two names for one party",
            "type": "the type most sources give; ties to the founding report",
        },
        "acled": _acled_extras(supporting, founder, record),
        "date_from": dated.id if dated is not None else None,
        "place_from": placed.id if placed is not None else None,
        "denials": [{"event": m.event.id, "document": m.event.document_id, "claimant": m.event.claimant,
                     "source": sources[m.event.document_id]} for m in denials],
    }
    return record
