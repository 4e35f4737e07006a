"""Whether an incident answers a rule: area, event types, ladder step and confidence.

The cheap tests (area, types) come first, on the incident row alone, so the ladder, which
reads every linked report, is worked out only for incidents some rule may want.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from trucewatch.ceasefire.ladder import RANK


def in_area(rule: Any, incident: Mapping[str, Any]) -> bool:
    """Country by name (as incidents list it, any case); a box needs the incident's coordinates."""
    if rule.country and (incident.get("country") or "").casefold() != rule.country.casefold():
        return False
    if rule.bbox:
        lat, lon = incident.get("latitude"), incident.get("longitude")
        if lat is None or lon is None:
            return False  # an unlocated incident cannot be shown to be inside the box
        lon0, lat0, lon1, lat1 = rule.bbox
        inside_lon = lon0 <= lon <= lon1 if lon0 <= lon1 else (lon >= lon0 or lon <= lon1)  # across 180°
        if not (inside_lon and lat0 <= lat <= lat1):
            return False
    return True


def of_type(rule: Any, incident: Mapping[str, Any]) -> bool:
    """Any of the rule's types equal to the incident's event type, sub-event type or process type."""
    if not rule.event_types:
        return True
    wanted = {t.casefold() for t in rule.event_types}
    given = {(incident.get(c) or "").casefold() for c in ("event_type", "sub_event_type", "process_type")}
    return bool(wanted & given)


def prefilter(rule: Any, incident: Mapping[str, Any]) -> bool:
    return in_area(rule, incident) and of_type(rule, incident)


def high_enough(rule: Any, step: str, confidence: float | None) -> bool:
    """The ladder step at least the rule's; a confidence threshold needs a known confidence."""
    if RANK[step] < RANK[rule.min_step]:
        return False
    if rule.min_confidence is not None and (confidence is None or confidence < rule.min_confidence):
        return False
    return True
