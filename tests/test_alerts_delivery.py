"""Delivering alerts to real servers on 127.0.0.1: a signed webhook retried with backoff (an
HTTP server in a thread) and e-mail over SMTP (aiosmtpd); a failed alert is retried by the
next check and still sent once."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.test_fusion_incidents import doc, ev
from trucewatch.alerts.check import check
from trucewatch.alerts.deliver import SIGNATURE_HEADER, DeliveryError, body_of, to_email, to_webhook, verify
from trucewatch.alerts.rules import RuleSpec, add_rule
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents
from trucewatch.store.schema import AlertSent

SECRET = "a shared secret for the tests"


class Receiver:
    """A webhook receiver: answers each POST with the next status of ``script`` (then 200)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.script: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.script.pop(0) if receiver.script else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def test_the_webhook_is_signed_over_the_exact_body(receiver: Receiver) -> None:
    payload = {"alert": "new", "step": "alleged", "incident": {"location": "Tripoli – port"}}
    assert to_webhook(receiver.url, SECRET, payload, delivery_id="7") == 1
    ((headers, body),) = receiver.requests
    assert body == body_of(payload) and json.loads(body) == payload
    assert verify(SECRET, body, headers[SIGNATURE_HEADER.lower()])
    assert not verify("another secret", body, headers[SIGNATURE_HEADER.lower()])
    assert not verify(SECRET, body + b" ", headers[SIGNATURE_HEADER.lower()])
    assert headers["x-trucewatch-delivery"] == "7" and headers["content-type"] == "application/json"


def test_the_webhook_retries_server_errors_with_backoff_but_not_a_refusal(receiver: Receiver) -> None:
    waits: list[float] = []
    receiver.script = [503, 500, 429]
    assert to_webhook(receiver.url, SECRET, {"n": 1}, backoff=(0.01, 0.02, 0.04), sleep=waits.append) == 4
    assert waits == [0.01, 0.02, 0.04] and len(receiver.requests) == 4
    receiver.script = [502, 502, 502, 502]
    with pytest.raises(DeliveryError, match="after 4 attempts") as failed:
        to_webhook(receiver.url, SECRET, {"n": 2}, backoff=(0.0, 0.0, 0.0), sleep=waits.append)
    assert failed.value.attempts == 4
    receiver.script = [403]
    with pytest.raises(DeliveryError, match="refused") as refused:
        to_webhook(receiver.url, SECRET, {"n": 3}, backoff=(0.0, 0.0, 0.0))
    assert refused.value.attempts == 1  # a 4xx is the receiver's answer: asking again changes nothing


def test_an_unreachable_webhook_fails_after_its_retries() -> None:
    waits: list[float] = []
    with pytest.raises(DeliveryError, match="ConnectError"):
        to_webhook(f"http://127.0.0.1:{closed_port()}/hook", SECRET, {"n": 1}, backoff=(0.1, 0.2), sleep=waits.append)
    assert waits == [0.1, 0.2]


def test_webhook_alerts_from_fuse_are_retried_by_the_next_check_and_sent_once(
        store: Any, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    import trucewatch.alerts.deliver as deliver

    monkeypatch.setattr(deliver, "BACKOFF", (0.0, 0.0, 0.0))
    add_rule(store, RuleSpec("hook", "webhook", receiver.url, secret=SECRET))
    receiver.script = [503] * 4  # down for the whole first delivery (4 attempts)
    write_documents(store, [doc("a" * 32, "Desert Wire", ev(claimant="Government of National Accord"))])
    fuse(store)  # fuse checks the rule after its batch; the failure does not stop fusion
    with store.sessions() as session:
        (row,) = session.scalars(select(AlertSent)).all()
        assert (row.status, row.attempts) == ("failed", 4) and "after 4 attempts" in row.error
    summary = check(store)  # the server is back: the failed alert goes out
    assert (summary.retried, summary.new, summary.failed) == (1, 0, 0)
    assert check(store, everything=True).retried == 0
    assert len(receiver.requests) == 5
    delivered = receiver.payloads()[-1]
    assert (delivered["alert"], delivered["step"]) == ("new", "alleged")
    headers, body = receiver.requests[-1]
    assert verify(SECRET, body, headers[SIGNATURE_HEADER.lower()])
    with store.sessions() as session:
        (row,) = session.scalars(select(AlertSent)).all()
        assert (row.status, row.attempts, row.error) == ("sent", 5, None)
    write_documents(store, [doc("c" * 32, "Harbour Post", ev()), doc("d" * 32, "Coast Herald", ev())])
    fuse(store)
    assert [(p["alert"], p["step"]) for p in receiver.payloads()[-1:]] == [("update", "corroborated")]
    assert len(receiver.requests) == 6


class Mailbox:
    """aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    from aiosmtpd.controller import Controller

    box = Mailbox()
    port = closed_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_email_alerts_over_smtp(store: Any, smtp: tuple[Mailbox, int], tmp_path: Path) -> None:
    box, port = smtp
    options = {"smtp_host": "127.0.0.1", "smtp_port": port, "sender": "trucewatch@example.org"}
    add_rule(store, RuleSpec("mail", "email", "desk@example.org, duty@example.org", options=options))
    write_documents(store, [doc("a" * 32, "Desert Wire", ev(claimant="UNSMIL"))])
    fuse(store)
    ((sender, recipients, content),) = box.messages
    assert sender == "trucewatch@example.org" and recipients == ["desk@example.org", "duty@example.org"]
    message = message_from_bytes(content, policy=policy.default)
    assert "Shelling/artillery/missile attack in Tripoli on 2020-02-18 is confirmed" in message["Subject"]
    sent = json.loads(message.get_content())
    assert sent["step"] == "confirmed" and sent["ladder"]["rungs"][3]["evidence"][0]["claimant_actor"] == "unsmil"
    fuse(store)
    assert check(store, everything=True).new == 0 and len(box.messages) == 1


def test_an_smtp_server_that_is_not_there_is_a_delivery_error() -> None:
    options = {"smtp_host": "127.0.0.1", "smtp_port": closed_port(), "sender": "t@example.org"}
    with pytest.raises(DeliveryError, match="SMTP 127.0.0.1"):
        to_email("desk@example.org", options, {"rule": "r", "step": "alleged", "incident": {}}, timeout=5)


def test_two_checks_at_once_send_each_alert_once(store: Any, receiver: Receiver) -> None:
    """Each alert is written (as being sent) before it goes out: the second check finds it taken."""
    from datetime import date, timedelta

    days = [(date(2020, 2, 1) + timedelta(days=7 * n)).isoformat() for n in range(6)]
    write_documents(store, [doc(str(n) * 32, f"Outlet {n}", ev(event_date=day)) for n, day in enumerate(days)])
    fuse(store)
    add_rule(store, RuleSpec("hook", "webhook", receiver.url, secret=SECRET), backfill=True)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            check(store, everything=True)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(p["incident"]["event_date"] for p in receiver.payloads()) == days
