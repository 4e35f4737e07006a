"""Cleaning: normalise unicode and drop the junk scrapers leave inside articles.

Every later span points into the cleaned text, so cleaning must be deterministic and
conservative: it removes whole lines that are page furniture (video ids, "Share",
"Read more: ...", copyright footers) and never edits words inside a sentence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t ]+")
# Soft hyphens, zero-width and bidi controls (LRM/RLM, embeddings, isolates: common in
# scraped Arabic), and C0 controls other than newline and tab.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]")
_ARABIC_PRESENTATION = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]+")
_BLANK_RUNS = re.compile(r"\n{3,}")

_ID_TOKEN = re.compile(
    r"\d{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}", re.IGNORECASE
)
_FOOTER = re.compile(r"^(?:copyright\b|©|\(c\)\s*\d{4})", re.IGNORECASE)
_FOOTER_MARK = re.compile(r"^(?:©|\(c\)|copyright\s*(?::|©|\(c\)|\d{4}))", re.IGNORECASE)
_SENTENCE = re.compile(r"^(?:\S+\s+){5,}\S+[.!?]$")
_RIGHTS = re.compile(r"\ball rights reserved\b|\btous droits réservés\b|جميع الحقوق محفوظة", re.IGNORECASE)
_PUBLISHER = re.compile(
    r"^(?:copyright|©|\(c\))\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?:by\s+)?(?P<name>[^.;|\d][^.;|]{1,80}?)\s*(?:[.;|,]|all rights|$)",
    re.IGNORECASE,
)
_TRAILING_PUNCT = " .:!|»›>-–—·•"
_LABEL_SEPARATORS = ":|»›-–—"


@dataclass
class Cleaned:
    """Cleaned text and the lines that were dropped, with the rule that dropped each."""

    text: str
    dropped: list[tuple[str, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def _junk_lexicon() -> tuple[frozenset[str], tuple[str, ...]]:
    data = yaml.safe_load(resources.files("trucewatch.resources").joinpath("junk_lines.yaml").read_text("utf-8"))
    exact = frozenset(entry for entries in data["exact"].values() for entry in entries)
    labels = tuple(sorted(data["labels"], key=len, reverse=True))
    return exact, labels


def normalise(text: str) -> str:
    """Unicode NFC, Arabic presentation forms folded, odd spaces and invisibles removed."""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates (a cut emoji) become "?"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _ARABIC_PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def junk_rule(line: str) -> str | None:
    """Name the rule that makes ``line`` page furniture, or None if it is content."""
    exact, labels = _junk_lexicon()
    folded = line.casefold().strip(_TRAILING_PUNCT)
    if not folded:
        return None
    if folded in exact:
        return "furniture"
    tokens = line.split()
    if tokens and all(_ID_TOKEN.fullmatch(tok) for tok in tokens):
        return "media-ids"
    if _FOOTER.match(line) and not _copyright_sentence(line):
        return "copyright"
    for label in labels:
        if folded.startswith(label):
            after = folded[len(label) :]
            rest = after.lstrip()
            # "Related-party talks..." is a hyphenated word, not "Related - ..."
            if rest[:1] and rest[0] in _LABEL_SEPARATORS and not (after[:1] in "-–" and after[1:2].isalnum()):
                return "read-more"
    return None


def _copyright_sentence(line: str) -> bool:
    """A sentence that merely starts with the word ("Copyright claims were filed...") is news."""
    return not _FOOTER_MARK.match(line) and not _RIGHTS.search(line) and bool(_SENTENCE.match(line))


def publisher_from_footer(dropped: list[tuple[str, str]]) -> str | None:
    """The publisher a dropped copyright footer names ("Copyright 2020 X. All rights...")."""
    for line, rule in dropped:
        if rule == "copyright":
            m = _PUBLISHER.match(line)
            if m and not _RIGHTS.match(m["name"]):
                return m["name"].strip()
    return None


def clean_text(text: str) -> Cleaned:
    """Normalise ``text`` and drop junk lines; trailing rights notices go too."""
    lines = normalise(text).split("\n")
    kept: list[str] = []
    dropped: list[tuple[str, str]] = []
    for line in lines:
        rule = junk_rule(line)
        if rule:
            dropped.append((line, rule))
        else:
            kept.append(line)
    # A short "All rights reserved." block at the very end is a footer, not news.
    while kept and (not kept[-1] or (len(kept[-1]) < 300 and _RIGHTS.search(kept[-1]))):
        line = kept.pop()
        if line:
            dropped.append((line, "copyright"))
    return Cleaned(_BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip(), dropped)
