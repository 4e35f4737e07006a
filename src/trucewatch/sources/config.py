"""``sources.yaml``: what a monitor follows, read strictly so a typo is an error, not a silent default.

Every mistake is reported with the file and the line of the key that holds it
(``sources.yaml:12: source 'un-news': interval: expected a duration such as 15m``),
and all the mistakes of a file are reported at once, so one edit fixes them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from trucewatch import __version__
from trucewatch.errors import UsageError

KINDS = ("feed", "sitemap", "json", "folder")
JSON_FIELDS = ("text", "title", "url", "published", "id", "outlet", "language")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LANG = re.compile(r"^[a-z]{2,3}$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.I)
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
_SIZES = {"b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, None: 1}
DEFAULT_USER_AGENT = f"trucewatch/{__version__} (ceasefire monitoring)"


class SourcesError(UsageError):
    """``sources.yaml`` cannot be used; the message lists every problem with its file and line."""


@dataclass(frozen=True)
class FetchSettings:
    """How politely every source is fetched (the ``fetch:`` section)."""

    user_agent: str = DEFAULT_USER_AGENT
    timeout: float = 20.0  # seconds to connect, and between two reads
    deadline: float = 60.0  # seconds for a whole response (a server dripping bytes is cut off)
    max_size: int = 10 * 1024 * 1024  # bytes, after decompression (a gzip bomb stops here)
    retries: int = 3  # tries after the first, for a timeout, a lost connection, a 5xx or a 429
    backoff: float = 1.0  # seconds before the first retry, doubled each time, with jitter
    max_backoff: float = 60.0
    host_delay: float = 1.0  # seconds between two requests to one host (robots.txt Crawl-delay may raise it)
    max_redirects: int = 5
    robots: bool = True
    articles_per_poll: int = 50  # per source: the rest waits for the next poll, already recorded
    item_attempts: int = 5  # an article that keeps failing transiently is given up after this many polls
    settle: float = 5.0  # a watched folder's file must be this old (seconds): it may still be being written


@dataclass(frozen=True)
class Source:
    """One thing to follow."""

    name: str
    kind: str
    url: str | None = None
    path: Path | None = None
    outlet: str | None = None
    language: str | None = None  # a hint: used when language identification is unsure
    interval: float = 900.0
    full_article: bool = True  # feed and JSON items: fetch the page behind the link
    items: str | None = None  # JSON: dotted path to the list of records ("data.articles")
    fields: dict[str, str] = field(default_factory=dict)  # JSON: our field -> theirs (dotted)
    pattern: str = "*"  # folder: which files
    line: int = 0  # where it is defined, for messages

    @property
    def where(self) -> str:
        return self.url or str(self.path)


@dataclass(frozen=True)
class SourcesConfig:
    path: Path
    sources: tuple[Source, ...]
    fetch: FetchSettings

    def by_name(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


class _Loader(yaml.SafeLoader):
    """A safe loader whose mappings remember the line of each key."""


class _Map(dict):  # type: ignore[type-arg]
    line: int
    key_lines: dict[str, int]


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        if isinstance(key, str):
            result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)  # type: ignore[arg-type]


def parse_duration(value: Any) -> float:
    """Seconds from 90, 1.5, "30s", "15m", "2h", "1d"."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_size(value: Any) -> int:
    """Bytes from 1048576, "512KB", "10MB"."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError
    return int(float(match.group(1)) * _SIZES[(match.group(2) or "").lower() or None])


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, message: str) -> None:
        self.items.append(f"{self.path}:{line}: {message}")


def _line(mapping: Any, key: str | None = None) -> int:
    if isinstance(mapping, _Map):
        return mapping.key_lines.get(key, mapping.line) if key else mapping.line
    return 0


_FETCH_KEYS: dict[str, Any] = {
    "user_agent": str, "timeout": parse_duration, "deadline": parse_duration, "max_size": parse_size,
    "retries": int, "backoff": parse_duration, "max_backoff": parse_duration, "host_delay": parse_duration,
    "max_redirects": int, "robots": bool, "articles_per_poll": int, "item_attempts": int, "settle": parse_duration,
}
_EXPECT = {parse_duration: "a duration such as 30s, 15m or 2h", parse_size: "a size such as 512KB or 10MB",
           int: "a whole number", bool: "true or false", str: "text"}
_SOURCE_KEYS = {"name", "kind", "url", "path", "outlet", "language", "interval", "full_article", "items", "fields",
                "pattern"}


def _convert(kind: Any, value: Any) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError
        return value
    if kind is str:
        if not isinstance(value, str) or not value.strip():
            raise ValueError
        return value.strip()
    result = kind(value)
    if result < 0:
        raise ValueError
    return result


def _fetch_settings(raw: Any, problems: _Problems) -> FetchSettings:
    if raw is None:
        return FetchSettings()
    if not isinstance(raw, dict):
        problems.add(_line(raw), "fetch: expected a mapping of settings")
        return FetchSettings()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _FETCH_KEYS:
            problems.add(_line(raw, key), f"fetch: unknown setting {key!r}; known: {', '.join(_FETCH_KEYS)}")
            continue
        try:
            values[key] = _convert(_FETCH_KEYS[key], value)
        except (ValueError, TypeError):
            problems.add(_line(raw, key), f"fetch: {key}: expected {_EXPECT[_FETCH_KEYS[key]]}, got {value!r}")
    settings = FetchSettings(**values)
    if settings.timeout <= 0 or settings.deadline <= 0 or settings.max_size <= 0:
        problems.add(_line(raw), "fetch: timeout, deadline and max_size must be more than 0")
    return settings


def _http_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _source(raw: Any, index: int, base: Path, problems: _Problems) -> Source | None:
    if not isinstance(raw, dict):
        problems.add(_line(raw), f"sources[{index}]: expected a mapping (name, kind, url or path, ...)")
        return None
    name = raw.get("name")
    label = f"source {name!r}" if isinstance(name, str) else f"sources[{index}]"
    before = len(problems.items)

    def bad(key: str | None, message: str) -> None:
        problems.add(_line(raw, key), f"{label}: {message}")

    for key in raw:
        if key not in _SOURCE_KEYS:
            bad(key, f"unknown key {key!r}; known: {', '.join(sorted(_SOURCE_KEYS))}")
    if not isinstance(name, str) or not _NAME.match(name):
        bad("name" if "name" in raw else None, "name: expected letters, digits, '.', '_' or '-' (at most 100), "
            f"got {name!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        bad("kind" if "kind" in raw else None, f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    url = raw.get("url")
    path = raw.get("path")
    if kind == "folder":
        if url is not None:
            bad("url", "a folder source takes path, not url")
        if not isinstance(path, str) or not path.strip():
            bad("path" if "path" in raw else None, "path: a folder source needs the folder to watch")
    elif kind in KINDS:
        if path is not None:
            bad("path", f"a {kind} source takes url, not path")
        if not _http_url(url):
            bad("url" if "url" in raw else None, f"url: expected an http:// or https:// address, got {url!r}")
    outlet = raw.get("outlet")
    if outlet is not None and (not isinstance(outlet, str) or not outlet.strip() or len(outlet) > 200):
        bad("outlet", f"outlet: expected a name of at most 200 characters, got {outlet!r}")
    language = raw.get("language")
    if language is not None and (not isinstance(language, str) or not _LANG.match(language)):
        bad("language", f"language: expected an ISO 639 code such as en, ar or fr, got {language!r}")
    interval = 900.0
    if "interval" in raw:
        try:
            interval = parse_duration(raw["interval"])
            if interval < 1:
                raise ValueError
        except (ValueError, TypeError):
            bad("interval", f"interval: expected a duration of at least 1s such as 30s, 15m or 2h, "
                f"got {raw['interval']!r}")
    full_article = raw.get("full_article", True)
    if not isinstance(full_article, bool):
        bad("full_article", f"full_article: expected true or false, got {full_article!r}")
    items, fields = raw.get("items"), raw.get("fields") or {}
    if kind != "json" and ("items" in raw or "fields" in raw):
        bad("items" if "items" in raw else "fields", "items and fields are for json sources")
    if items is not None and (not isinstance(items, str) or not items.strip()):
        bad("items", f"items: expected a dotted path to the list of records, such as data.articles, got {items!r}")
    if not isinstance(fields, dict):
        bad("fields", "fields: expected a mapping of our field to theirs, such as {text: body}")
        fields = {}
    for ours, theirs in fields.items():
        if ours not in JSON_FIELDS:
            bad("fields", f"fields: unknown field {ours!r}; known: {', '.join(JSON_FIELDS)}")
        elif not isinstance(theirs, str) or not theirs.strip():
            bad("fields", f"fields: {ours}: expected the name of their field, got {theirs!r}")
    pattern = raw.get("pattern", "*")
    if kind != "folder" and "pattern" in raw:
        bad("pattern", "pattern is for folder sources")
    elif not isinstance(pattern, str) or not pattern.strip():
        bad("pattern", f"pattern: expected a file pattern such as *.txt, got {pattern!r}")
    if len(problems.items) > before:
        return None
    folder = None
    if kind == "folder":
        folder = Path(path).expanduser()
        if not folder.is_absolute():
            folder = base / folder
    return Source(name=name, kind=kind, url=url.strip() if isinstance(url, str) else None, path=folder,
                  outlet=outlet.strip() if outlet else None, language=language, interval=interval,
                  full_article=full_article, items=items.strip() if items else None,
                  fields={k: v.strip() for k, v in fields.items()}, pattern=pattern, line=_line(raw))


def parse_sources(text: str, path: Path) -> SourcesConfig:
    """Read and check the text of a sources file; raises SourcesError listing every problem."""
    problems = _Problems(path)
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise SourcesError(f"{path}:{line}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SourcesError(f"{path}:1: expected a mapping with a 'sources' list (and optionally 'fetch')")
    for key in raw:
        if key not in ("sources", "fetch"):
            problems.add(_line(raw, key), f"unknown section {key!r}; known: sources, fetch")
    fetch = _fetch_settings(raw.get("fetch"), problems)
    listed = raw.get("sources")
    if not isinstance(listed, list) or not listed:
        problems.add(_line(raw, "sources"), "sources: expected a list with at least one source")
        listed = []
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(listed):
        name = item.get("name") if isinstance(item, dict) else None
        if isinstance(name, str) and name in seen:
            problems.add(_line(item), f"source {name!r}: the name is already used on line {seen[name]}")
            continue
        if isinstance(name, str):
            seen[name] = _line(item)
        source = _source(item, index, path.parent, problems)
        if source is not None:
            sources.append(source)
    if problems.items:
        raise SourcesError("\n".join(problems.items))
    return SourcesConfig(path=path, sources=tuple(sources), fetch=fetch)


def load_sources(path: str | Path) -> SourcesConfig:
    """Read and check ``path``; a missing or unreadable file is a SourcesError naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"no sources file at {path} (see docs/sources.example.yaml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot read the sources file {path}: {exc}") from None
    return parse_sources(text, path)
