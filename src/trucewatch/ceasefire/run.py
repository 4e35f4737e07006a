"""The ceasefire steps that follow fuse: agreement records, rounds of talks, then scope, from the news.

``trucewatch process`` and the demo call :func:`build_ceasefire` after fuse, so a user gets
agreements and talks without knowing ``agreements build`` and ``talks build``. Agreements
come first because a round of talks links the agreements it produced. Each step is its own
transaction, rebuilt from the stored events and leaving unchanged records alone, so running
it again changes nothing. A step that fails is rolled back on its own and reported by name;
what fuse committed before stays, and the other step still runs. A store fault (disk full,
connection lost) is not a failed step: it goes up, for the caller's exit status 3.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from trucewatch.ceasefire.news import build_from_news
from trucewatch.ceasefire.save import SaveCounts
from trucewatch.ceasefire.scope import RefreshSummary, refresh
from trucewatch.ceasefire.talks_store import TalksCounts, build_talks
from trucewatch.errors import StoreFault
from trucewatch.store.db import Store, retry_store_write


@dataclass
class CeasefireSummary:
    """What the ceasefire steps did; a step that failed has None counts and a line in ``errors``."""

    agreements: SaveCounts | None = None
    agreements_removed: int = 0
    talks: TalksCounts | None = None
    scope: RefreshSummary | None = None
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for the command line: counts of each step that ran."""
        parts = []
        if self.agreements is not None:
            a = self.agreements
            parts.append(f"{a.new + a.updated + a.unchanged} agreements ({a.new} new, {a.updated} updated, "
                         f"{self.agreements_removed} removed)")
        if self.talks is not None:
            t = self.talks
            parts.append(f"{t.new + t.updated + t.unchanged} rounds of talks ({t.new} new, {t.updated} updated, "
                         f"{t.removed} removed)")
        if self.scope is not None:
            s = self.scope
            parts.append(f"scope of {s.agreements} agreements from the news: {s.checked} incident checks, "
                         f"{s.in_scope} in, {s.undetermined} undetermined")
        return "; ".join(parts) or "no agreements or talks built"


def _step(store: Store, summary: CeasefireSummary, name: str, build: Callable[[Any], Any]) -> Any:
    """Run one build in its own transaction; None (and an error naming the step) when it fails."""
    started = time.perf_counter()

    def write() -> Any:
        with store.session() as session:
            return build(session)

    try:
        return retry_store_write(store.url, write)
    except StoreFault:
        raise
    except Exception as exc:  # a bad record or a bug in one step must not cost the other, nor fuse's work
        reason = str(exc).splitlines()[0] if str(exc) else ""
        summary.errors.append(f"{name} failed ({type(exc).__name__}: {reason}); nothing of it was written, "
                              f"the fused incidents are kept; run `trucewatch {name}` to try it again")
        return None
    finally:
        summary.seconds[name] = time.perf_counter() - started


def build_ceasefire(store: Store) -> CeasefireSummary:
    """Build agreement records, then rounds of talks, from the processed and fused news."""
    summary = CeasefireSummary()
    built = _step(store, summary, "agreements build", build_from_news)
    if built is not None:
        summary.agreements, summary.agreements_removed = built
    summary.talks = _step(store, summary, "talks build", build_talks)
    summary.scope = _scope(store, summary)
    return summary


def _scope(store: Store, summary: CeasefireSummary) -> RefreshSummary | None:
    """Check the incidents against the agreements found in the news, so that incident exports
    carry them. Imported research tables can hold thousands of agreements, most of them about
    other conflicts: their scope is checked on demand (`trucewatch scope`), not on every run."""
    started = time.perf_counter()
    try:
        return refresh(store, origin="news")
    except StoreFault:
        raise
    except Exception as exc:  # as in _step: the agreements and talks already written stay
        reason = str(exc).splitlines()[0] if str(exc) else ""
        summary.errors.append(f"scope failed ({type(exc).__name__}: {reason}); agreements and talks are kept; "
                              "run `trucewatch scope` to try it again")
        return None
    finally:
        summary.seconds["scope"] = time.perf_counter() - started
