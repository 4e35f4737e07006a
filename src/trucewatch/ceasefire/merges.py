"""Reading reviewers' merges of agreement records (``agreement_merges``).

A merge leaves both rows as the builders write them (a rebuild from the news or a new
import replaces them at will) and changes what readers see: the merged record is no
longer listed on its own, and the record it was merged into shows the parties, terms,
status steps, sources and external ids of both. A merge whose chain reaches no record
that exists is not applied, so a rebuild that drops the target never hides the merged one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from trucewatch.store.schema import Agreement, AgreementMerge


def resolved(session: Session) -> dict[str, str]:
    """{merged id: the record it shows inside}, following merges of merges to the last record
    that exists; a merge whose chain reaches no existing record is left out. Merges are
    reviewers' decisions, so there are few: they are read whole."""
    into: dict[str, str] = {m: i for m, i in session.execute(select(AgreementMerge.merged_id, AgreementMerge.into_id))}
    if not into:
        return {}
    names = set(into) | set(into.values())
    existing = set(session.scalars(select(Agreement.id).where(Agreement.id.in_(names))))
    out: dict[str, str] = {}
    for merged in into:
        seen, target, found = {merged}, merged, None
        while target in into and into[target] not in seen:
            target = into[target]
            seen.add(target)
            if target in existing:
                found = target
        if found is not None:
            out[merged] = found
    return out


def merged_into(session: Session, agreement_id: str) -> str | None:
    """The record ``agreement_id`` now shows inside; None when it was not merged, or only
    into records that are gone."""
    return resolved(session).get(agreement_id)


def absorbed(session: Session, ids: Iterable[str]) -> dict[str, list[str]]:
    """{id: every record shown inside it (merged into it, directly or through another)}."""
    wanted = set(ids)
    out: dict[str, list[str]] = {}
    for merged, target in sorted(resolved(session).items()):
        if target in wanted:
            out.setdefault(target, []).append(merged)
    return out
