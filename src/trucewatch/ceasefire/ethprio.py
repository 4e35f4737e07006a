"""ETH/PRIO Civil Conflict Ceasefire Dataset rows as agreement records.

The table has one row per ceasefire and actor: a ceasefire is the rows sharing
``location`` and ``id`` (ids restart in each country). One actor makes a unilateral
declaration, two or more a ceasefire. ``start_date`` is when it took effect, to the day.
A bad row costs only its actor; the ceasefire keeps the others.
"""

from __future__ import annotations

from collections.abc import Iterable

from trucewatch.ceasefire.cells import iso_date, slug, whole_number
from trucewatch.ceasefire.parties import split_parties
from trucewatch.ceasefire.record import AgreementRecord, Evidence, Party, StatusStep
from trucewatch.ceasefire.tables import Row


def key(row: Row) -> tuple[str, int, str]:
    """``(location, id, start_date)`` of a row; ValueError names the column that is wrong."""
    location = " ".join(row.get("location").split())
    if not location:
        raise ValueError("location is empty")
    number = whole_number(row.get("id"), "id")
    if not row.get("name"):
        raise ValueError("name (the actor) is empty")
    start = iso_date(row.get("start_date"), "start_date") or ""  # required: never empty
    return location, number, start


def _title(location: str, actors: list[str], start: str) -> str:
    if len(actors) == 1:
        return f"{location}: ceasefire declared by {actors[0]}, {start}"
    return f"{location}: ceasefire between {', '.join(actors[:-1])} and {actors[-1]}, {start}"


def convert(location: str, number: int, rows: Iterable[tuple[Row, str]], file_name: str) -> AgreementRecord:
    """One ceasefire from its rows (each with its start date, already checked)."""
    rows = list(rows)
    actors: dict[str, None] = {}
    dyads: dict[str, None] = {}
    starts = sorted({start for _, start in rows})
    for row, _ in rows:
        actors.setdefault(" ".join(row.get("name").split()), None)
        dyad = row.get("ucdp_dyad")
        if dyad:
            try:
                value = whole_number(dyad, "ucdp_dyad")
            except ValueError:
                value = 0
            if value > 0:  # 0 and negative numbers are the dataset's codes for "no UCDP dyad"
                dyads.setdefault(str(value), None)
    names = list(actors)
    start = starts[0]
    record = AgreementRecord(id=f"ethprio-{slug(location)}-{number}", name=_title(location, names, start),
                             kind="unilateral_declaration" if len(names) == 1 else "ceasefire", origin="import",
                             country=location, effective_from=start, effective_precision="day")
    record.scope = {"places": [{"name": location, "type": "country"}], "lines": []}
    if len(starts) > 1:
        record.extra = {"other_start_dates": starts[1:]}
    record.parties = [Party("party", *found) for name in names for found in split_parties(name)]
    first = f"{file_name}:{rows[0][0].line}"
    record.history.append(StatusStep("in_force", start, f"start_date: {start}", f"ethprio {first}"))
    record.external_ids.append(("ethprio", f"{location}:{number}"))
    record.external_ids += [("ucdp_dyad", d) for d in dyads]
    dated: set[str] = set()
    for row, day in rows:
        where = f"{file_name}:{row.line}"
        record.sources.append(Evidence("parties", row.get("name"), dataset="ethprio", record=where))
        if day not in dated:  # each start date once, from the first row that gives it
            dated.add(day)
            record.sources.append(Evidence("effective_from", row.get("start_date"), dataset="ethprio", record=where))
    return record
