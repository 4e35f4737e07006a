"""PA-X (Peace Agreements Database, University of Edinburgh) rows as agreement records.

One row is one agreement document. PA-X codes its stage (``Cea`` for ceasefires and
related agreements) and status ("Multiparty signed/agreed", "Unilateral document"...);
both are kept in ``extra`` as PA-X wrote them, and mapped onto our kinds and statuses.
Only the signature date is given: the effective date stays unknown rather than guessed.
"""

from __future__ import annotations

from trucewatch.ceasefire.cells import iso_date, is_set, name_lines, whole_number
from trucewatch.ceasefire.parties import split_parties
from trucewatch.ceasefire.record import AgreementRecord, Evidence, Party, ProvisionItem, StatusStep
from trucewatch.ceasefire.tables import Row
from trucewatch.ceasefire.terms import kind_from_name, provisions

STATUS = {
    "multiparty signed/agreed": "agreed",
    "unilateral document": "declared",
    "status unclear": "unclear",
    "agreement with subsequent status": "proposed",
}


def _kind(name: str, stage: str, status: str) -> str:
    if stage == "Cea" and status == "declared":
        return "unilateral_declaration"
    return kind_from_name(name) or ("ceasefire" if stage == "Cea" else "peace_agreement")


def convert(row: Row, file_name: str) -> AgreementRecord:
    """The agreement a PA-X row describes; ValueError names the column that is wrong."""
    agt_id = whole_number(row.get("AgtId"), "AgtId")
    name = " ".join(row.get("Agt").split())
    if not name:
        raise ValueError("Agt (the agreement's name) is empty")
    signed = iso_date(row.get("Dat"), "Dat")
    pax_status = row.get("Status")
    status = STATUS.get(pax_status.lower())
    if status is None:
        raise ValueError(f"Status {pax_status!r} is not one PA-X uses")
    where = f"{file_name}:{row.line}"
    record = AgreementRecord(id=f"pax-{agt_id}", name=name, kind=_kind(name, row.get("Stage"), status),
                             origin="import", signed=signed)
    entities = [e.strip() for e in row.get("Con").split("/") if e.strip()]
    record.country = entities[0] if entities else None
    iso3 = [c for c in (row.get("Loc1ISO"), row.get("Loc2ISO")) if c]
    record.scope = {"places": [{"name": e, "type": "country_or_entity"} for e in entities], "lines": [],
                    "iso3": iso3}
    record.extra = {key: row.get(column) for key, column in (
        ("pax_stage", "Stage"), ("pax_stage_sub", "StageSub"), ("pax_status", "Status"),
        ("pax_agreement_type", "Agtp"), ("conflict_nature", "Contp"), ("peace_process", "PPName"),
        ("region", "Reg"), ("pax_version", "Ver")) if row.get(column)}
    for role, column in (("party", "Part"), ("third_party", "ThrdPart")):
        for line in name_lines(row.get(column)):
            record.parties += [Party(role, *found) for found in split_parties(line)]
    for provision in provisions():
        for column in provision.columns.get("pax", ()):
            if is_set(row.get(column)):
                record.provisions.append(ProvisionItem(provision.id, f"PA-X {column}={row.get(column)}"))
                break
    record.history.append(StatusStep(status, signed, f"Status: {pax_status}; Dat: {signed}", f"pax {where}"))
    record.external_ids.append(("pax", str(agt_id)))
    for scheme, column in (("ucdp", "UcdpAgr"), ("pam", "PamAgr")):
        if row.get(column):
            record.external_ids.append((scheme, str(whole_number(row.get(column), column))))
    for field, column in (("name", "Agt"), ("signed", "Dat"), ("status", "Status"), ("parties", "Part"),
                          ("third_parties", "ThrdPart"), ("scope", "Con")):
        if row.get(column):
            record.sources.append(Evidence(field, row.get(column), dataset="pax", record=where))
    return record
