"""Users, roles and tokens: argon2-hashed secrets, revocation that takes effect at once, and
a server that wants a token to read; on SQLite and PostgreSQL, with a real server."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.api_server import served
from trucewatch.api import access
from trucewatch.errors import UsageError
from trucewatch.store.schema import ApiToken

PROBLEM = "application/problem+json"


def test_tokens_are_hashed_checked_and_revoked(store: Any) -> None:
    access.add_user(store, "amira", "analyst")
    token = access.create_token(store, "amira", label="desk laptop")
    token_id = token.split("_")[1]
    with store.sessions() as session:
        row = session.get(ApiToken, token_id)
        assert row is not None and row.secret_hash.startswith("$argon2id$") and token.split("_", 2)[2] not in row.secret_hash
    verifier = access.Verifier(store)
    who = verifier.principal(token)
    assert who == access.Principal("amira", "analyst", token_id) and who.may("viewer") and not who.may("admin")
    assert verifier.principal(token[:-1] + ("A" if token[-1] != "A" else "B")) is None  # a wrong secret
    assert verifier.principal("tw_0123456789abcdef_" + "x" * 43) is None  # an unknown id
    assert verifier.principal("Bearer nonsense") is None
    access.revoke_token(store, token_id)
    assert verifier.principal(token) is None  # at once, though the check was remembered
    second = access.create_token(store, "amira")
    assert verifier.principal(second) is not None
    access.remove_user(store, "amira")
    assert verifier.principal(second) is None
    with pytest.raises(UsageError):
        access.add_user(store, "x", "superuser")
    with pytest.raises(UsageError):
        access.create_token(store, "nobody")


def test_a_token_only_server(store: Any) -> None:
    access.add_user(store, "viewer1", "viewer")
    token = access.create_token(store, "viewer1")
    with served(store, read="token") as api:
        bare = api.get("/api/v1/incidents")
        assert bare.status_code == 401 and bare.headers["content-type"] == PROBLEM
        assert bare.headers["www-authenticate"].startswith("Bearer")
        assert api.get("/api/v1/incidents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert api.get("/api/v1/openapi.json").status_code == 200  # the API's description stays public
        access.revoke_token(store, token)
        assert api.get("/api/v1/incidents", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_public_server_still_refuses_a_bad_token(store: Any) -> None:
    with served(store) as api:
        assert api.get("/api/v1/incidents").status_code == 200
        for header in ("Bearer tw_nothing", "Basic dXNlcjpwYXNz", "Bearer"):
            got = api.get("/api/v1/incidents", headers={"Authorization": header})
            assert got.status_code == 401 and got.headers["content-type"] == PROBLEM
        schemes = api.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
        assert [s["scheme"] for s in schemes.values()] == ["bearer"]  # the document says how to send a token


def test_users_and_tokens_commands(db_url: str) -> None:
    from trucewatch.cli import app
    from trucewatch.store import open_store

    runner = CliRunner()
    base = ["--db", db_url]
    assert runner.invoke(app, ["users", "add", "omar", "--role", "admin", *base, "--create"]).exit_code == 0
    assert runner.invoke(app, ["users", "add", "omar", *base]).exit_code == 2  # exists already
    made = runner.invoke(app, ["tokens", "create", "omar", "--label", "ci", *base])
    assert made.exit_code == 0
    token = made.stdout.strip()
    assert token.startswith("tw_")
    listed = runner.invoke(app, ["users", "list", *base])
    assert "omar" in listed.stdout and "admin" in listed.stdout
    assert runner.invoke(app, ["tokens", "revoke", token.split("_")[1], *base]).exit_code == 0
    store = open_store(db_url)
    try:
        with store.sessions() as session:
            assert session.scalar(select(ApiToken.revoked_at)) is not None
        assert access.Verifier(store).principal(token) is None
    finally:
        store.close()
    assert runner.invoke(app, ["users", "remove", "omar", *base]).exit_code == 0
    assert runner.invoke(app, ["users", "remove", "omar", *base]).exit_code == 2


def test_rate_limit_per_client(store: Any) -> None:
    access.add_user(store, "partner", "viewer")
    token = access.create_token(store, "partner")
    with served(store, per_minute=6, burst=3) as api:
        answers = [api.get("/api/v1/incidents") for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        limited = answers[-1]
        assert limited.headers["content-type"] == PROBLEM and int(limited.headers["retry-after"]) >= 1
        assert "content-security-policy" in limited.headers
        # a token has a bucket of its own
        assert api.get("/api/v1/incidents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
