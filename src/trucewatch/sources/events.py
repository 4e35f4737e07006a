"""Structured logs: one JSON object a line, so a service's journal can be searched and counted.

Every line has ``ts`` (UTC, ISO 8601), ``level``, ``event`` (a stable dotted name such as
``fetch.failed``), ``msg`` (a sentence a person can read) and the fields of the event
(``source``, ``url``, ``reason``...). ``--log-format text`` prints the sentence alone.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import IO, Any

LOGGER = logging.getLogger("trucewatch.sources")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


def emit(level: int, event: str, msg: str, **fields: Any) -> None:
    """Log one event; ``fields`` become keys of the JSON line (None values are left out)."""
    LOGGER.log(level, msg, extra={"event": event, "fields": {k: v for k, v in fields.items() if v is not None}})


def info(event: str, msg: str, **fields: Any) -> None:
    emit(logging.INFO, event, msg, **fields)


def warning(event: str, msg: str, **fields: Any) -> None:
    emit(logging.WARNING, event, msg, **fields)


def error(event: str, msg: str, **fields: Any) -> None:
    emit(logging.ERROR, event, msg, **fields)


class JsonFormatter(logging.Formatter):
    """A record as one JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", record.name),
            "msg": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        for key, value in record.__dict__.items():  # anything else a caller passed in ``extra``
            if key not in _STANDARD and key not in ("event", "fields") and key not in line:
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A record as a sentence, with the source in front when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        prefix = f"[{fields['source']}] " if "source" in fields else ""
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return f"{level}{prefix}{record.getMessage()}"


def configure(fmt: str = "json", stream: IO[str] | None = None, level: int = logging.INFO) -> logging.Handler:
    """Send the sources' events (and the watch loop's) to ``stream`` (stderr) as JSON or text."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    for existing in list(LOGGER.handlers):
        LOGGER.removeHandler(existing)
    LOGGER.addHandler(handler)
    LOGGER.setLevel(level)
    LOGGER.propagate = False
    return handler
