"""HTML pages: trafilatura finds the article and its metadata; we refuse pages that have none.

trafilatura's precision mode returns nothing for a page that is only navigation; its
recall fallback would hand back the menu as "text". We use the fallback only when what
it returns reads as prose, so a menu never becomes a document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

# libxml2 stops building the tree past this depth (without its "huge" option), so a page
# nested deeper loses its article; we say so instead of calling it boilerplate.
MAX_PARSE_DEPTH = 255
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SENTENCE_END = re.compile(r"[.!?؟。…\"'”»)]\s*$")
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class HtmlArticle:
    text: str
    title: str | None
    outlet: str | None
    url: str | None
    published: str | None
    author: str | None
    description: str | None


def _prose_lines(text: str) -> int:
    return sum(1 for line in text.split("\n") if len(line.split()) >= 8 and _SENTENCE_END.search(line))


def nesting_depth(html: str) -> int:
    """The deepest element nesting of ``html``, counted from its tags in one linear scan."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def extract_article(html: str) -> HtmlArticle | None:
    """The main text and metadata of a page, or None when it holds no article."""
    result = trafilatura.bare_extraction(
        html, with_metadata=True, favor_precision=True, include_comments=False, date_extraction_params=_DATE_PARAMS
    )
    if result is None or not (result.text or "").strip():
        result = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
        )
        if result is None or _prose_lines(result.text or "") < 2:
            return None
    return HtmlArticle(
        text=result.text,
        title=result.title,
        outlet=result.sitename,
        url=result.url,
        published=result.date,
        author=result.author,
        description=result.description,
    )
