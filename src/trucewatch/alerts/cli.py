"""``trucewatch alerts add|list|remove|check``, added to the main ``trucewatch`` app."""

# no "from __future__ import annotations": typer reads the option types at run time

import json
import sys
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table


def register(app: typer.Typer, out: Console, err: Console, db_option: Any, create_option: Any,
             open_store: Any) -> None:
    """Add the ``alerts`` commands to ``app`` (the options and the opener are the main CLI's own)."""
    alerts_app = typer.Typer(help="Rules that send an alert when a fused incident answers them.",
                             no_args_is_help=True)
    app.add_typer(alerts_app, name="alerts")

    @alerts_app.command("add")
    def add(
        name: Annotated[str, typer.Argument(help="A name for the rule (used by list and remove).")],
        db: db_option = None,
        create: create_option = False,
        channel: Annotated[str, typer.Option(help="json (stdout or a file), webhook or email.")] = "json",
        to: Annotated[str, typer.Option("--to", help="'-' or a file for json; a URL for webhook; "
                                        "addresses (comma-separated) for email.")] = "-",
        agreement: Annotated[Optional[str], typer.Option(help="Only incidents in this agreement's scope "
                                                         "(a rule waits while the agreement is not in the store).")] = None,
        country: Annotated[Optional[str], typer.Option(help="Country name, as incidents list it (e.g. Libya).")] = None,
        bbox: Annotated[Optional[str], typer.Option(help="min_lon,min_lat,max_lon,max_lat in degrees.")] = None,
        type_: Annotated[Optional[list[str]], typer.Option("--type", help="Event, sub-event or process type "
                                                           "(repeat for several).")] = None,
        min_step: Annotated[str, typer.Option(help="alleged, reported, corroborated or confirmed.")] = "alleged",
        min_confidence: Annotated[Optional[float], typer.Option(help="Lowest extraction confidence (0-1).")] = None,
        secret: Annotated[Optional[str], typer.Option(help="HMAC key for webhook signatures (default: a new "
                                                      "random one, printed once).")] = None,
        smtp: Annotated[Optional[str], typer.Option(help="SMTP server HOST[:PORT] for email.")] = None,
        sender: Annotated[Optional[str], typer.Option(help="From address for email.")] = None,
        starttls: Annotated[bool, typer.Option(help="Use STARTTLS with the SMTP server.")] = False,
        backfill: Annotated[bool, typer.Option(help="Also check incidents fused before the rule was added.")] = False,
    ) -> None:
        """Add a rule; it is checked after every fuse batch (and by `alerts check`)."""
        from trucewatch.alerts.rules import RuleError, RuleSpec, add_rule, parse_bbox
        from trucewatch.alerts.check import agreement_known

        options: dict[str, Any] = {}
        if smtp:
            host, _, port = smtp.rpartition(":") if ":" in smtp else (smtp, "", "")
            if port and not port.isdigit():
                raise typer.BadParameter(f"--smtp takes HOST[:PORT], got {smtp!r}")
            options.update(smtp_host=host, smtp_port=int(port) if port else 25)
        if sender:
            options["sender"] = sender
        if starttls:
            options["starttls"] = True
        try:
            spec = RuleSpec(name, channel, to, agreement_id=agreement, country=country,
                            bbox=parse_bbox(bbox) if bbox else None, event_types=type_ or None, min_step=min_step,
                            min_confidence=min_confidence, secret=secret, options=options)
            spec.check()
        except RuleError as exc:
            raise typer.BadParameter(str(exc)) from exc
        store = open_store(db, create)
        try:
            rule = add_rule(store, spec, backfill=backfill)
            known = not agreement or agreement_known(store, agreement)
        except RuleError as exc:
            raise typer.BadParameter(str(exc)) from exc
        finally:
            store.close()
        out.print(f"added rule {rule.id} {escape(rule.name)}", highlight=False)
        if channel == "webhook" and not secret:
            out.print(f"webhook secret (shown once): {rule.secret}", highlight=False)
        if not known:
            err.print(f"note: agreement {escape(str(agreement))} is not in the store yet; the filter is applied once "
                      "agreement records exist, and until then this rule sends nothing", highlight=False)

    @alerts_app.command("list")
    def list_(
        db: db_option = None,
        create: create_option = False,
        as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    ) -> None:
        """The rules, what each filters on, where it sends and how many alerts it has sent."""
        from trucewatch.alerts.rules import list_rules

        store = open_store(db, create)
        try:
            rules = list_rules(store)
        finally:
            store.close()
        if as_json:
            for rule in rules:
                sys.stdout.write(json.dumps(rule, ensure_ascii=False) + "\n")
            return
        table = Table("id", "name", "filters", "min step", "channel", "to", "sent")
        for r in rules:
            filters = [f"agreement {r['agreement_id']} (not applied yet)" if r["agreement_id"] else "",
                       r["country"] or "", f"bbox {r['bbox']}" if r["bbox"] else "",
                       ", ".join(r["event_types"] or []),
                       f"confidence >= {r['min_confidence']}" if r["min_confidence"] is not None else ""]
            table.add_row(str(r["id"]), escape(r["name"]), escape("; ".join(f for f in filters if f) or "any"),
                          r["min_step"], r["channel"], escape(r["target"]), str(r["sent"]))
        out.print(table)

    @alerts_app.command("remove")
    def remove(
        rule: Annotated[str, typer.Argument(help="The rule's name or id.")],
        db: db_option = None,
        create: create_option = False,
    ) -> None:
        """Remove a rule and its record of sent alerts."""
        from trucewatch.alerts.rules import remove_rule
        from trucewatch.errors import UsageError

        store = open_store(db, create)
        try:
            removed = remove_rule(store, rule)
        finally:
            store.close()
        if not removed:
            raise UsageError(f"no alert rule {rule!r} (see trucewatch alerts list)")
        out.print(f"removed rule {escape(rule)}", highlight=False)

    @alerts_app.command("check")
    def check(
        db: db_option = None,
        create: create_option = False,
        everything: Annotated[bool, typer.Option("--all", help="Look at every incident, not only those "
                                                 "updated since the last check (nothing is sent twice).")] = False,
    ) -> None:
        """Check the rules now (fuse does this after each batch) and send what is due."""
        from trucewatch.alerts.check import check as run_check

        store = open_store(db, create)
        try:
            summary = run_check(store, everything=everything)
        finally:
            store.close()
        for error in summary.errors:
            err.print(f"[red]error:[/] {escape(error)}", highlight=False)
        if summary.waiting_rules:
            err.print(f"waiting for agreement records: {escape(', '.join(summary.waiting_rules))}", highlight=False)
        err.print(f"checked {summary.incidents} incidents: {summary.new} new alerts, {summary.updates} updates, "
                  f"{summary.retried} retried, {summary.failed} failed", highlight=False)
        if summary.failed:
            raise typer.Exit(1)
