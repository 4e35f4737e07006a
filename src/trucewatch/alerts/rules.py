"""Alert rules in the store: add (checked before anything is written), list and remove."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from trucewatch.ceasefire.ladder import RANK
from trucewatch.store import Store
from trucewatch.store.schema import AlertRule, AlertSent

CHANNELS = ("json", "webhook", "email")
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+$")


class RuleError(ValueError):
    """A rule that cannot work, named so the user can fix the option."""


@dataclass
class RuleSpec:
    """What ``trucewatch alerts add`` takes; :meth:`check` refuses a rule that could never fire right."""

    name: str
    channel: str
    target: str
    agreement_id: str | None = None
    country: str | None = None
    bbox: list[float] | None = None
    event_types: list[str] | None = None
    min_step: str = "alleged"
    min_confidence: float | None = None
    secret: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def check(self) -> None:
        if not self.name.strip() or len(self.name) > 100:
            raise RuleError("the rule needs a name of 1 to 100 characters")
        if self.channel not in CHANNELS:
            raise RuleError(f"--channel must be one of {', '.join(CHANNELS)}, got {self.channel!r}")
        if self.min_step not in RANK:
            raise RuleError(f"--min-step must be one of {', '.join(RANK)}, got {self.min_step!r}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise RuleError(f"--min-confidence must be between 0 and 1, got {self.min_confidence}")
        if self.bbox is not None:
            if len(self.bbox) != 4:
                raise RuleError("--bbox takes four numbers: min_lon,min_lat,max_lon,max_lat")
            lon0, lat0, lon1, lat1 = self.bbox
            if not (-180 <= lon0 <= 180 and -180 <= lon1 <= 180 and -90 <= lat0 < lat1 <= 90):
                raise RuleError(f"--bbox {self.bbox} is not min_lon,min_lat,max_lon,max_lat in degrees")
        if self.channel == "webhook" and not re.match(r"^https?://[^\s/]+", self.target):
            raise RuleError(f"a webhook target must be an http(s) URL, got {self.target!r}")
        if self.channel == "email":
            addresses = [a.strip() for a in self.target.split(",") if a.strip()]
            bad = [a for a in addresses if not _EMAIL.match(a)]
            if not addresses or bad:
                raise RuleError(f"an e-mail target must be addresses separated by commas, not {bad or self.target!r}")
            if not self.options.get("smtp_host") or not self.options.get("sender"):
                raise RuleError("e-mail alerts need --smtp HOST[:PORT] and --sender ADDRESS")
        if self.channel == "json" and not self.target:
            raise RuleError("a json target is '-' (standard output) or a file path")


def parse_bbox(text: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",")]
    except ValueError:
        raise RuleError(f"--bbox takes four numbers separated by commas, got {text!r}") from None


def add_rule(store: Store, spec: RuleSpec, *, backfill: bool = False) -> AlertRule:
    """Store a rule. It checks incidents fused from now on, or every incident with ``backfill``.

    A webhook rule without a secret gets a random one (shown once by the CLI): every
    webhook body is signed.
    """
    spec.check()
    if spec.channel == "webhook" and not spec.secret:
        spec.secret = secrets.token_hex(32)
    now = datetime.now(timezone.utc)
    rule = AlertRule(name=spec.name.strip(), agreement_id=spec.agreement_id, country=spec.country, bbox=spec.bbox,
                     event_types=spec.event_types or None, min_step=spec.min_step, min_confidence=spec.min_confidence,
                     channel=spec.channel, target=spec.target, secret=spec.secret, options=spec.options or None,
                     created_at=now, checked_through=None if backfill else now)
    try:
        with store.session() as session:
            session.add(rule)
            session.flush()
            session.expunge(rule)
    except IntegrityError:
        raise RuleError(f"a rule named {spec.name.strip()!r} exists already (see trucewatch alerts list)") from None
    return rule


def list_rules(store: Store) -> list[dict[str, Any]]:
    """Every rule with how many alerts it has sent; secrets are not shown."""
    from sqlalchemy import func

    with store.sessions() as session:
        counts = dict(session.execute(select(AlertSent.rule_id, func.count()).where(AlertSent.status == "sent")
                                      .group_by(AlertSent.rule_id)).all())
        rules = session.scalars(select(AlertRule).order_by(AlertRule.id)).all()
        return [{"id": r.id, "name": r.name, "agreement_id": r.agreement_id, "country": r.country, "bbox": r.bbox,
                 "event_types": r.event_types, "min_step": r.min_step, "min_confidence": r.min_confidence,
                 "channel": r.channel, "target": r.target, "options": r.options,
                 "created_at": r.created_at.isoformat(), "sent": counts.get(r.id, 0)} for r in rules]


def remove_rule(store: Store, name_or_id: str) -> bool:
    """Delete a rule (by name, or by id) and its record of sent alerts; False when there is none."""
    with store.session() as session:
        q = select(AlertRule).where(AlertRule.name == name_or_id)
        rule = session.scalars(q).first()
        if rule is None and name_or_id.isdigit():
            rule = session.get(AlertRule, int(name_or_id))
        if rule is None:
            return False
        session.execute(delete(AlertSent).where(AlertSent.rule_id == rule.id))  # SQLite without FK enforcement
        session.delete(rule)
    return True
