"""UCDP Peace Agreement Dataset rows as agreement records.

One row is one agreement. Its signatories are ``actor_name`` (aligned with ``actor_id``);
a signatory also named in ``pa_3rd`` (third parties) is recorded as a third party, not a
party. ``ended``/``duration`` give the date an agreement stopped being in effect, without
saying why: that is the status ``ended``, not a collapse.
"""

from __future__ import annotations

import re

from trucewatch.ceasefire.cells import iso_date, is_set, whole_number
from trucewatch.ceasefire.parties import split_parties
from trucewatch.ceasefire.record import AgreementRecord, Evidence, Party, ProvisionItem, StatusStep
from trucewatch.ceasefire.tables import Row
from trucewatch.ceasefire.terms import kind_from_name, provisions

PA_TYPE = {"1": "full", "2": "partial", "3": "peace process"}


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r",|\n|;", value) if part.strip()]


def convert(row: Row, file_name: str) -> AgreementRecord:
    """The agreement a UCDP row describes; ValueError names the column that is wrong."""
    paid = whole_number(row.get("paid"), "paid")
    name = " ".join(row.get("pa_name").split())
    if not name:
        raise ValueError("pa_name is empty")
    signed = iso_date(row.get("pa_date"), "pa_date")
    where = f"{file_name}:{row.line}"
    record = AgreementRecord(id=f"ucdp-{paid}", name=name, kind=kind_from_name(name) or "peace_agreement",
                             origin="import", signed=signed)
    country = row.get("conflict_name").split(":", 1)[0].strip() or None
    record.country = country
    record.scope = {"places": [{"name": country, "type": "country"}] if country else [], "lines": []}
    record.extra = {"ucdp_pa_type": PA_TYPE.get(row.get("pa_type"), row.get("pa_type")) or None,
                    "conflict": row.get("conflict_name") or None, "ucdp_version": row.get("version") or None}
    record.extra = {k: v for k, v in record.extra.items() if v}
    third = row.get("pa_3rd")
    third_key = third.lower()
    names = _split(row.get("actor_name"))
    ids = _split(row.get("actor_id"))
    if ids and len(ids) != len(names):  # a name with a comma in it: keep the cell whole rather than guess
        names = [" ".join(row.get("actor_name").split())]
    for party in names:
        role = "third_party" if party.lower() in third_key else "party"
        record.parties += [Party(role, *found) for found in split_parties(party)]
    listed = {p.name.lower() for p in record.parties}
    for party in _split(third):
        if party.lower() not in listed:
            record.parties += [Party("third_party", *found) for found in split_parties(party)]
    for provision in provisions():
        for column in provision.columns.get("ucdp", ()):
            if is_set(row.get(column)):
                record.provisions.append(ProvisionItem(provision.id, f"UCDP {column}={row.get(column)}"))
                break
    record.history.append(StatusStep("agreed", signed, f"pa_date: {signed}", f"ucdp {where}"))
    if row.get("ended").lower() == "true":
        ended = iso_date(row.get("duration"), "duration", required=False)
        comment = " ".join(row.get("c_duration").split())[:500]
        record.history.append(StatusStep("ended", ended, f"ended: True; duration: {row.get('duration') or '?'}"
                                         + (f"; {comment}" if comment else ""), f"ucdp {where}"))
    record.external_ids.append(("ucdp", str(paid)))
    if row.get("conflict_id"):
        record.external_ids.append(("ucdp_conflict", row.get("conflict_id")))
    for dyad in _split(row.get("dyad_id")):
        record.external_ids.append(("ucdp_dyad", dyad))
    for field, column in (("name", "pa_name"), ("signed", "pa_date"), ("parties", "actor_name"),
                          ("third_parties", "pa_3rd"), ("status", "duration"), ("scope", "conflict_name")):
        if row.get(column):
            record.sources.append(Evidence(field, row.get(column), dataset="ucdp", record=where))
    return record
