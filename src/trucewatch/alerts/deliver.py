"""Delivering an alert: a JSON line (stdout or a file), a signed webhook POST, an e-mail.

Every channel takes the same payload. The webhook body is signed with HMAC-SHA256 over
its exact bytes (header ``X-Trucewatch-Signature: sha256=<hex>``), so a receiver can
check it came from the holder of the rule's secret; a refused or failed POST (network
error, 5xx, 429) is retried with exponential backoff, other 4xx answers are not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

SIGNATURE_HEADER = "X-Trucewatch-Signature"
#: Seconds to wait before each retry of a webhook (so at most len + 1 attempts).
BACKOFF: tuple[float, ...] = (0.5, 1.0, 2.0)


class DeliveryError(RuntimeError):
    """A delivery that did not go through, with how many attempts were made."""

    def __init__(self, message: str, attempts: int = 1) -> None:
        super().__init__(message)
        self.attempts = attempts


def body_of(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes sent (and signed): compact, sorted keys, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header)


def to_json(target: str, payload: Mapping[str, Any]) -> int:
    """One JSON object a line, to standard output (``-``) or appended to a file."""
    line = body_of(payload).decode() + "\n"
    if target == "-":
        sys.stdout.write(line)
        sys.stdout.flush()
    else:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(line)
    return 1


def to_webhook(url: str, secret: str, payload: Mapping[str, Any], *, delivery_id: str = "",
               backoff: Sequence[float] = BACKOFF, timeout: float = 10.0,
               sleep: Callable[[float], None] = time.sleep) -> int:
    """POST the payload; returns the attempts it took, or raises DeliveryError after the last."""
    body = body_of(payload)
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
               "X-Trucewatch-Delivery": delivery_id, "User-Agent": "trucewatch-alerts"}
    problem = ""
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for attempt, delay in enumerate((*backoff, None), start=1):
            try:
                response = client.post(url, content=body, headers=headers)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.is_success:
                    return attempt
                problem = f"HTTP {response.status_code}"
                if response.status_code < 500 and response.status_code != 429:
                    raise DeliveryError(f"{url} refused the alert ({problem})", attempt)
            if delay is None:
                raise DeliveryError(f"{url} failed after {attempt} attempts ({problem})", attempt)
            sleep(delay)
    raise AssertionError("unreachable")


def subject_of(payload: Mapping[str, Any]) -> str:
    incident = payload.get("incident") or {}
    kind = incident.get("sub_event_type") or incident.get("event_type") or incident.get("process_type") or "incident"
    where = incident.get("location") or incident.get("country") or "unknown place"
    verb = "climbed to" if payload.get("alert") == "update" else "is"
    return (f"[trucewatch] {payload.get('rule')}: {kind} in {where} on {incident.get('event_date') or 'an unknown date'}"
            f" {verb} {payload.get('step')}")


def to_email(addresses: str, options: Mapping[str, Any], payload: Mapping[str, Any], timeout: float = 30.0) -> int:
    """Send the alert to comma-separated addresses over SMTP (plain; STARTTLS when asked)."""
    message = EmailMessage()
    message["From"] = options["sender"]
    message["To"] = ", ".join(a.strip() for a in addresses.split(",") if a.strip())
    message["Subject"] = subject_of(payload)
    message.set_content(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True, default=str))
    try:
        with smtplib.SMTP(options["smtp_host"], int(options.get("smtp_port") or 25), timeout=timeout) as smtp:
            if options.get("starttls"):
                smtp.starttls()
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {options['smtp_host']}: {exc}") from exc
    return 1


def deliver(rule: Any, payload: Mapping[str, Any], delivery_id: str = "",
            backoff: Sequence[float] = BACKOFF, sleep: Callable[[float], None] = time.sleep) -> int:
    """Send one alert through the rule's channel; returns the attempts it took."""
    if rule.channel == "json":
        try:
            return to_json(rule.target, payload)
        except OSError as exc:
            raise DeliveryError(f"cannot write {rule.target}: {exc.strerror or exc}") from exc
    if rule.channel == "webhook":
        return to_webhook(rule.target, rule.secret or "", payload, delivery_id=delivery_id, backoff=backoff,
                          sleep=sleep)
    if rule.channel == "email":
        return to_email(rule.target, rule.options or {}, payload)
    raise DeliveryError(f"unknown channel {rule.channel!r}")
