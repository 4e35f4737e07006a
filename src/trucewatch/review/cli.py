"""``trucewatch review`` and ``trucewatch audit export``, added to the main ``trucewatch`` app."""

# no "from __future__ import annotations": typer reads the option types at run time

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add ``review`` and ``audit`` to ``app`` (the options and the opener are the main CLI's own)."""
    audit_app = typer.Typer(help="The append-only log of reviewers' actions.", no_args_is_help=True)
    app.add_typer(audit_app, name="audit")

    @app.command("review")
    def review_command(
        incident: Annotated[str, typer.Argument(help="The incident's id (the agreement's with --agreement).")],
        action: Annotated[str, typer.Argument(help="confirm, reject, correct, ladder, merge, split or undo.")],
        as_user: Annotated[str, typer.Option("--as", help="The reviewer: a user with the analyst or admin role.")],
        field: Annotated[Optional[str], typer.Option(help="The field a correction sets.")] = None,
        value: Annotated[Optional[str], typer.Option(
            help="Its new value, as JSON or as text (null: not known); with ladder, the step.")] = None,
        reason: Annotated[Optional[str], typer.Option(help="Why (needed for all but confirm and undo).")] = None,
        entry: Annotated[Optional[int], typer.Option(help="With undo: the audit entry to undo.")] = None,
        into: Annotated[Optional[str], typer.Option(
            help="With merge: the incident (or agreement) to merge this one into.")] = None,
        event: Annotated[Optional[list[str]], typer.Option(help="With split: an event to take out (repeatable).")] = None,
        document: Annotated[Optional[list[str]], typer.Option(
            help="With split: take out every report of this document (repeatable).")] = None,
        agreement: Annotated[bool, typer.Option("--agreement", help="The target is an agreement.")] = False,
        db: db_option = None,
    ) -> None:
        """Confirm, reject or correct an incident or an agreement as a reviewer; merge it into
        another or split reports out of it; move an incident on the violation ladder; or undo
        an audit entry."""
        from sqlalchemy import select

        from trucewatch.errors import UsageError
        from trucewatch.review import actions, agreement_structure, agreements, structure
        from trucewatch.store.schema import User

        store = open_store(db)
        try:
            with store.sessions() as session:
                user_role = session.scalar(select(User.role).where(User.name == as_user))
            if user_role not in ("analyst", "admin"):
                raise UsageError(f"{as_user!r} is not a user with the analyst or admin role")
            if action == "undo":
                if entry is None:
                    raise UsageError("undo needs --entry, the audit entry to undo")
                done = actions.undo(store, entry, as_user, reason)
            elif action == "merge":
                if not into:
                    raise UsageError(f"merge needs --into, the {'agreement' if agreement else 'incident'} "
                                     "to merge this one into")
                merge = agreement_structure.merge if agreement else structure.merge
                done = merge(store, incident, into, as_user, reason)
            elif action == "split" and agreement:
                if event:
                    raise UsageError("an agreement is split by --document, the reports of a document")
                done = agreement_structure.split(store, incident, as_user, reason, documents=document or [])
            elif action == "split":
                done = structure.split(store, incident, as_user, reason, events=event or [], documents=document or [])
            else:
                parsed: Any = value
                if value is not None and action != "ladder":
                    try:
                        parsed = json.loads(value)
                    except ValueError:
                        parsed = value  # plain text
                review = agreements.review if agreement else actions.review
                done = review(store, incident, as_user, action, field=field, value=parsed, reason=reason)
        except UsageError as exc:
            err.print(f"error: {escape(str(exc))}", highlight=False)
            raise typer.Exit(2) from None
        finally:
            store.close()
        err.print(f"audit entry {done.audit_id}: {escape(done.incident_id)} {done.field}: "
                  f"{escape(json.dumps(done.before))} -> {escape(json.dumps(done.after))}", highlight=False)

    @audit_app.command("export")
    def audit_export(
        db: db_option = None,
        fmt: Annotated[str, typer.Option("--format", help="jsonl or csv (formula-safe).")] = "jsonl",
        output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    ) -> None:
        """Every audit entry, oldest first: who, when, what, before, after, why."""
        from trucewatch.review.audit import FORMATS, export

        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format takes {' or '.join(FORMATS)}, got {fmt!r}")
        store = open_store(db)
        try:
            if output is None:
                count = export(store, sys.stdout, fmt)
            else:
                with output.open("w", encoding="utf-8", newline="") as fh:
                    count = export(store, fh, fmt)
        finally:
            store.close()
        err.print(f"exported {count} audit entries" + (f" to {output}" if output else ""), highlight=False)
