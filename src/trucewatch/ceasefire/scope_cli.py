"""The scope on the command line: ``trucewatch scope``, and what ``incidents --agreement ID`` shows
beside each incident (its scope and ladder step).

No ``from __future__ import annotations`` here: typer reads the command's annotations,
which name the main CLI's option types passed in at registration. The scope and the store
are imported when a command runs: every ``trucewatch`` command registers this one, and
importing the store (SQLAlchemy, Alembic, the schema) cost about 1 s of each start-up,
``extract`` on one document included.
"""

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from trucewatch.errors import UsageError

if TYPE_CHECKING:
    from trucewatch.store.db import Store


def scoped_rows(store: "Store", given: str, undetermined: bool = False) -> dict[str, dict[str, Any]]:
    """{incident id: {agreement, in_scope, rule, step}} after checking the agreement's scope afresh."""
    from trucewatch.ceasefire.scope import agreement_id_of, refresh, scope_rows

    agreement_id = agreement_id_of(store, given)
    if agreement_id is None:
        raise UsageError(f"no agreement {given!r} in this database (see trucewatch agreements list)")
    refresh(store, agreement_id)
    answer = {True: "in", None: "undetermined"}
    return {incident_id: {"agreement_id": agreement_id, "in_scope": answer[row.in_scope], "rule": row.rule,
                          "step": row.step, "rank": row.rank}
            for incident_id, row in scope_rows(store, agreement_id, include_undetermined=undetermined).items()}


def register(app: Any, out: Any, err: Any, db_option: Any, create_option: Any, open_store: Any) -> None:
    """Add ``scope`` to ``app`` (the options and the opener are the main CLI's own)."""

    @app.command()
    def scope(
        db: db_option = None,
        create: create_option = False,
        agreement: Annotated[Optional[str], typer.Option(help="Only this agreement (its id or pax:/ucdp:/ethprio: "
                                                         "id); default every one.")] = None,
    ) -> None:
        """Check incidents against the agreements in force at their time and place, and store the
        answer (in, out or undetermined), the rule that decided it and the ladder step, so that
        incident exports carry them. Run it after fuse and agreements build; a re-run replaces."""
        from trucewatch.ceasefire.scope import refresh

        store = open_store(db, create)
        try:
            try:
                summary = refresh(store, agreement)
            except LookupError as exc:
                raise UsageError(str(exc)) from None
        finally:
            store.close()
        out.print(f"{summary.agreements} agreements, {summary.checked} incident checks: {summary.in_scope} in scope, "
                  f"{summary.undetermined} undetermined, {summary.out} out", highlight=False)
