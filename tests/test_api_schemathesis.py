"""Schemathesis over the API's own OpenAPI document, against a real server on 127.0.0.1
holding invented incidents, agreements and an analyst's token: no answer is a 5xx, and
every answer matches the schema the document gives for it (status, content type, body)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from hypothesis import HealthCheck, given, settings

from tests.api_server import served
from tests.test_api_incidents import OTHERS, PORT, _agreements
from tests.test_api_resources import _scope, _talks
from trucewatch.api import access
from trucewatch.fusion.run import fuse
from trucewatch.fusion.synthetic import write_documents



@pytest.fixture
def api_schema(store: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, dict[str, str]]]:
    monkeypatch.setenv("TRUCEWATCH_NO_EMBEDDINGS", "1")
    write_documents(store, PORT + OTHERS)
    fuse(store)
    _agreements(store)
    _scope(store)
    _talks(store)
    access.add_user(store, "schema-analyst", "analyst")
    token = {"Authorization": f"Bearer {access.create_token(store, 'schema-analyst')}"}
    with served(store, per_minute=0) as client:
        yield schemathesis.openapi.from_url(f"{client.base_url}/api/v1/openapi.json"), token


def test_api_conforms_to_its_document(api_schema: tuple[Any, dict[str, str]]) -> None:
    """Each operation of the document, with cases Schemathesis draws from it (the pytest
    plugin's collection does not run on this pytest, so the operations are walked here)."""
    schema, token = api_schema
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 22  # with documents, events, stories, talks and the exports
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            # every check but "schema-valid data is accepted": a bbox whose south lies north
            # of its north, a cursor we did not give or a field that is not correctable are
            # valid by the schema's types and rightly refused (400), which no schema can say
            case.call_and_validate(headers=dict(token), excluded_checks=[positive_data_acceptance])

        check()
