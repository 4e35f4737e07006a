"""A fetched feed, sitemap or JSON answer as items: what to fetch or store next.

Nothing here touches the network or the store. A body that cannot be read is a
:class:`ParseError` with a reason a person can act on; a feed that is not well-formed
XML but still yields entries is read (feedparser's loose parser) and says so in
``warnings``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import feedparser

from trucewatch.sources.config import Source
from trucewatch.sources.fetch import clean_url, size_text

MAX_SITEMAP_CHILDREN = 50
MAX_GZIP_SITEMAP = 10 * 1024 * 1024


class ParseError(Exception):
    """The body is not what the source's kind promises."""


@dataclass
class Item:
    """One article or record a source lists; ``key`` is its identity in the fetch log.

    ``how`` says how it becomes a document: ``article`` (fetch ``url``), ``record``
    (``fields`` hold the text already) or ``file`` (a watched folder's file).
    """

    key: str
    how: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    summary: str | None = None  # the feed's own text of the entry (HTML or plain), a fallback
    fields: dict[str, Any] | None = None
    language: str | None = None


@dataclass
class Parsed:
    items: list[Item] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # a sitemap index's sitemaps
    warnings: list[str] = field(default_factory=list)


def item_key(identity: str) -> str:
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def url_key(url: str) -> str:
    """Articles are known by their URL, across sources: one listed by two feeds is fetched once."""
    return item_key("url:" + clean_url(url))


def parse(source: Source, body: bytes, url: str, content_type: str = "", *,
          max_size: int = MAX_GZIP_SITEMAP) -> Parsed:
    if source.kind == "feed":
        return parse_feed(source, body, url, content_type)
    if source.kind == "sitemap":
        return parse_sitemap(body, max_size)
    if source.kind == "json":
        return parse_json(source, body, url)
    raise ValueError(f"no parser for {source.kind}")


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_feed(source: Source, body: bytes, url: str, content_type: str = "") -> Parsed:
    """RSS or Atom with feedparser (given the bytes, never a URL: it must not fetch by itself)."""
    result = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url,
                                                                   "content-type": content_type or "application/xml"})
    parsed = Parsed()
    problem = result.get("bozo_exception") if result.get("bozo") else None
    if not result.entries:
        if problem is not None:
            raise ParseError(f"not a readable feed: {_problem(problem)}")
        if not result.get("version") and not result.feed:
            raise ParseError("not a feed: no RSS or Atom element found")
        return parsed  # a valid feed with no entries
    if problem is not None:
        parsed.warnings.append(f"the feed is not well-formed ({_problem(problem)}); "
                               f"read {len(result.entries)} entries anyway")
    for entry in result.entries:
        link = _text(entry.get("link"))
        if link is not None and not link.lower().startswith(("http://", "https://")):
            link = None
        guid = _text(entry.get("id"))
        if link is None and guid is None:
            parsed.warnings.append(f"an entry has neither a link nor an id and was left out "
                                   f"(title {(_text(entry.get('title')) or '?')[:80]!r})")
            continue
        summary = None
        if entry.get("content"):
            summary = _text(max(entry.content, key=lambda c: len(c.get("value") or "")).get("value"))
        summary = summary or _text(entry.get("summary"))
        how = "article" if link is not None and source.full_article else "record"
        if how == "record" and summary is None:
            parsed.warnings.append(f"entry {(link or guid)!r} has no text and full_article is off; left out")
            continue
        key = url_key(link) if link is not None else item_key(f"guid:{source.name}:{guid}")
        parsed.items.append(Item(key=key, how=how, url=clean_url(link) if link else None,
                                 title=_text(entry.get("title")),
                                 published=_text(entry.get("published")) or _text(entry.get("updated")),
                                 summary=summary, language=_text(entry.get("language"))))
    return parsed


def _problem(exc: BaseException) -> str:
    """feedparser's complaint, with the line and column of broken XML."""
    if hasattr(exc, "getLineNumber") and hasattr(exc, "getMessage"):
        return f"line {exc.getLineNumber()}, column {exc.getColumnNumber()}: {exc.getMessage()}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def parse_sitemap(body: bytes, max_size: int = MAX_GZIP_SITEMAP) -> Parsed:
    """A urlset (with the news extension's title, date and language when present) or a sitemap index.

    A ``.xml.gz`` file (served as such, not as Content-Encoding) is decompressed here, up to
    ``max_size`` like any fetched body."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.GzipFile(fileobj=io.BytesIO(body)).read(max_size + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise ParseError(f"not a readable gzip sitemap: {exc}") from None
        if len(body) > max_size:
            raise ParseError(f"too large: the gzip sitemap decompresses to more than {size_text(max_size)}")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise ParseError(f"not well-formed XML ({exc})") from None
    parsed = Parsed()
    kind = _local(root.tag)
    if kind == "sitemapindex":
        for child in root:
            loc = next((_text(e.text) for e in child if _local(e.tag) == "loc"), None)
            if loc and loc.lower().startswith(("http://", "https://")):
                parsed.children.append(loc)
        if len(parsed.children) > MAX_SITEMAP_CHILDREN:
            parsed.warnings.append(f"the sitemap index lists {len(parsed.children)} sitemaps; "
                                   f"only the first {MAX_SITEMAP_CHILDREN} are read")
            parsed.children = parsed.children[:MAX_SITEMAP_CHILDREN]
        return parsed
    if kind != "urlset":
        raise ParseError(f"not a sitemap: the root element is <{kind}>, not <urlset> or <sitemapindex>")
    for entry in root:
        if _local(entry.tag) != "url":
            continue
        values: dict[str, str | None] = {}
        for element in entry.iter():
            name = _local(element.tag)
            if name in ("loc", "lastmod", "title", "publication_date", "language") and name not in values:
                values[name] = _text(element.text)
        loc = values.get("loc")
        if not loc or not loc.lower().startswith(("http://", "https://")):
            continue
        parsed.items.append(Item(key=url_key(loc), how="article", url=clean_url(loc), title=values.get("title"),
                                 published=values.get("publication_date") or values.get("lastmod"),
                                 language=values.get("language")))
    return parsed


def _dig(value: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


_DEFAULTS = {"text": ("text", "body", "content", "article"), "title": ("title", "headline"),
             "url": ("url", "link"), "published": ("published", "date", "published_at", "pubdate"),
             "id": ("id", "guid", "uuid"), "outlet": ("outlet", "source", "publisher", "site"),
             "language": ("language", "lang")}


def _pick(record: dict[str, Any], source: Source, name: str) -> Any:
    if name in source.fields:
        return _dig(record, source.fields[name])
    return next((record[k] for k in _DEFAULTS[name] if record.get(k) not in (None, "")), None)


def parse_json(source: Source, body: bytes, url: str) -> Parsed:
    """An API answer: the list at ``items`` (or the answer itself, or its ``items``/``data``/
    ``results``/``articles``), each record mapped with the source's ``fields``."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ParseError(f"not valid JSON{where}: {getattr(exc, 'msg', exc)}") from None
    except RecursionError:
        raise ParseError("JSON nested too deeply to read") from None
    if source.items:
        records = _dig(data, source.items)
        if not isinstance(records, list):
            raise ParseError(f"items: {source.items!r} is not a list in the answer")
    elif isinstance(data, list):
        records = data
    else:
        records = next((data[k] for k in ("items", "data", "results", "articles", "documents")
                        if isinstance(data, dict) and isinstance(data.get(k), list)), None)
        if records is None:
            raise ParseError("no list of records found; name it with items: (a dotted path such as data.articles)")
    parsed = Parsed()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            parsed.warnings.append(f"record {index} is not an object; left out")
            continue
        text, link, ident = _pick(record, source, "text"), _pick(record, source, "url"), _pick(record, source, "id")
        link = link if isinstance(link, str) and link.lower().startswith(("http://", "https://")) else None
        fields = {"title": _pick(record, source, "title"), "text": text, "url": link,
                  "published": _pick(record, source, "published"), "outlet": _pick(record, source, "outlet"),
                  "language": _pick(record, source, "language")}
        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        if isinstance(text, str) and text.strip():
            how = "record"
        elif link is not None and source.full_article:
            how = "article"
        else:
            parsed.warnings.append(f"record {index} has no text" + (" and no link" if link is None else
                                                                     " and full_article is off") + "; left out")
            continue
        if how == "article":  # known by its URL, like a feed's article: fetched once whoever lists it
            key = url_key(link)  # type: ignore[arg-type]
        elif ident not in (None, ""):
            key = item_key(f"json:{source.name}:{ident}")
        elif link is not None:
            key = url_key(link)
        else:
            key = item_key(f"json:{source.name}:" + json.dumps(record, sort_keys=True, ensure_ascii=False,
                                                                default=str))
        parsed.items.append(Item(key=key, how=how, url=clean_url(link) if link else None,
                                 title=_text(fields.get("title")), published=_text(str(fields.get("published") or "")),
                                 fields=fields, language=_text(fields.get("language"))))
    return parsed
