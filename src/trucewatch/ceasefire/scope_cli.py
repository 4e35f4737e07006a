"""What ``trucewatch incidents --agreement ID`` shows beside each incident: its scope and ladder step."""

from __future__ import annotations

from typing import Any

from trucewatch.ceasefire.scope import agreement_id_of, refresh, scope_rows
from trucewatch.errors import UsageError
from trucewatch.store.db import Store


def scoped_rows(store: Store, given: str, undetermined: bool = False) -> dict[str, dict[str, Any]]:
    """{incident id: {agreement, in_scope, rule, step}} after checking the agreement's scope afresh."""
    agreement_id = agreement_id_of(store, given)
    if agreement_id is None:
        raise UsageError(f"no agreement {given!r} in this database (see trucewatch agreements list)")
    refresh(store, agreement_id)
    answer = {True: "in", None: "undetermined"}
    return {incident_id: {"agreement_id": agreement_id, "in_scope": answer[row.in_scope], "rule": row.rule,
                          "step": row.step, "rank": row.rank}
            for incident_id, row in scope_rows(store, agreement_id, include_undetermined=undetermined).items()}
