"""The agreement vocabulary (resources/ceasefire/terms.yaml) stays consistent, and the
dataset columns it names exist in the tables' headers (checked on the dev copies when present)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from trucewatch.ceasefire.terms import kind_from_name, kinds, load_terms, provisions, roles, statuses

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-data" / "agreements"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


def test_ids_are_snake_case_and_unique() -> None:
    for section in ("kinds", "statuses", "roles", "provisions"):
        ids = [item["id"] for item in load_terms()[section]]
        assert ids and len(ids) == len(set(ids)), section
        assert all(SNAKE.match(i) for i in ids), section
        assert all(item.get("description") for item in load_terms()[section]), section


def test_the_issue_s_vocabulary_is_there() -> None:
    assert {"unilateral_declaration", "ceasefire", "truce", "humanitarian_pause", "cessation_of_hostilities",
            "peace_agreement"} <= set(kinds())
    assert {"proposed", "agreed", "in_force", "violated", "collapsed", "extended", "superseded"} <= set(statuses())
    assert {"party", "mediator", "guarantor", "monitor"} <= set(roles())
    assert {"cessation_of_hostilities", "withdrawal", "heavy_weapons", "foreign_fighters", "prisoner_exchange",
            "monitoring_mechanism", "humanitarian_access", "reopening_routes"} <= {p.id for p in provisions()}


def test_each_cue_belongs_to_one_kind_and_each_column_to_one_provision() -> None:
    cues = [cue.lower() for kind in load_terms()["kinds"] for cue in kind.get("cues") or ()]
    assert len(cues) == len(set(cues))
    for dataset in ("pax", "ucdp"):
        columns = [c for p in provisions() for c in p.columns.get(dataset, ())]
        assert len(columns) == len(set(columns)), dataset


@pytest.mark.parametrize(("name", "kind"), [
    ("Humanitarian Truce for the Eid holiday", "humanitarian_pause"),
    ("Agreement on a Cessation of Hostilities", "cessation_of_hostilities"),
    ("Cease-fire Agreement between the parties", "ceasefire"),
    ("Christmas truce", "truce"),
    ("Unilateral Declaration of a Ceasefire", "unilateral_declaration"),
    ("Comprehensive Peace Agreement", "peace_agreement"),
    ("Protocol on the Structure of Government", None),
    ("Agreement on Ceasefire-monitoring", "ceasefire"),
    ("Memorandum on pauses", None),  # a whole word only
])
def test_kind_from_name(name: str, kind: str | None) -> None:
    assert kind_from_name(name) == kind


@pytest.mark.parametrize(("dataset", "file_name"), [("pax", "pax_all_agreements_data.csv"),
                                                    ("ucdp", "ucdp-peace-agreements-221.csv")])
def test_provision_columns_exist_in_the_tables(dataset: str, file_name: str) -> None:
    path = DEV / file_name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    with path.open(encoding="utf-8", newline="") as handle:
        header = {h.strip() for h in next(csv.reader(handle))}
    assert {c for p in provisions() for c in p.columns.get(dataset, ())} <= header
