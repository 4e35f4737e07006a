"""A corpus of real news texts for the speed and scale benchmarks, read from ../shared/dev-data.

The texts are TR-News and GeoVirus articles, TempEval-3 (TimeBank, AQUAINT) documents and
the GVC and ECB+ articles of the fusion set: about 1,090 distinct news articles of typical length (2,000 characters on average).
A larger corpus is made of new texts, each joining the first half of one article's
paragraphs to the second half of another's, so that no two documents are alike (ingest
would keep one of two equal texts) and no per-text cache sees a text twice. Nothing is
copied into the repository: the files are written to a folder the caller names.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from place_accuracy import DATA as GEO
from time_accuracy import load_corpus as load_tempeval

SHARED = Path(__file__).resolve().parents[2] / "shared" / "dev-data"


def real_texts(shared: Path = SHARED) -> list[str]:
    """Every article of the sets that are present (an absent set adds nothing), in a fixed order."""
    texts: list[str] = []
    for name in ("TR-News", "GeoVirus"):
        path = GEO / f"{name}.xml"
        if path.exists():
            texts += [node.findtext("text") or "" for node in ET.parse(path).getroot().findall("article")]
    tempeval = shared / "tempeval3"
    if tempeval.is_dir():
        texts += [doc.text for doc in load_tempeval(tempeval)]
    for name in ("gvc-dev.jsonl", "ecbplus-dev.jsonl"):
        path = shared / "fusion" / name
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return [t.strip() for t in texts if len(t.strip()) >= 200]


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    return parts if len(parts) > 1 else [s.strip() + "." for s in text.split(". ") if s.strip()]


def documents(count: int, shared: Path = SHARED) -> Iterator[str]:
    """``count`` distinct texts: the real ones first, then joined halves of two of them."""
    base = real_texts(shared)
    if not base:
        raise SystemExit(f"no news texts under {shared}: the benchmark needs ../shared/dev-data")
    seen: set[str] = set()
    for text in base:
        if len(seen) == count:
            return
        if text not in seen:
            seen.add(text)
            yield text
    made, n = len(seen), 0
    while made < count:
        first, second = base[n % len(base)], base[(n * 7 + 1 + n // len(base)) % len(base)]
        n += 1
        if first is second:
            continue
        a, b = _paragraphs(first), _paragraphs(second)
        text = "\n\n".join(a[: max(1, len(a) // 2)] + b[len(b) // 2:])
        if text in seen:
            continue
        seen.add(text)
        made += 1
        yield text


def write_corpus(folder: Path, count: int, shared: Path = SHARED) -> int:
    """Write ``count`` documents as ``.txt`` files under ``folder`` (in subfolders of 1,000)."""
    written = 0
    for index, text in enumerate(documents(count, shared)):
        path = folder / f"{index // 1000:04d}" / f"doc-{index:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
        written += 1
    return written
