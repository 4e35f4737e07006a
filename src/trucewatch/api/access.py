"""Users, roles and API tokens.

A token is ``tw_<id>_<secret>``: the id finds its row, and the secret is checked against
the argon2 hash stored there (the secret itself is shown once, when made, and never
stored). An argon2 check costs a tenth of a second or more by design, so a token checked
once is remembered (by a SHA-256 of it) for :data:`REMEMBER_SECONDS`; its row is still read
on every request, so a revoked token or a removed user stops working at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from trucewatch.errors import UsageError
from trucewatch.store import Store
from trucewatch.store.schema import ApiToken, User

#: Roles, each allowed what the ones before it are.
ROLES = ("viewer", "analyst", "admin")
REMEMBER_SECONDS = 300.0
_TOKEN = re.compile(r"^tw_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})$")
_NAME = re.compile(r"^[\w.@+-]{1,100}$")
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Principal:
    """Who a request is from: the user's name and role, and the token used."""

    user: str
    role: str
    token_id: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def add_user(store: Store, name: str, role: str) -> None:
    if not _NAME.match(name):
        raise UsageError(f"a user name is 1 to 100 letters, digits or . @ + - _, got {name!r}")
    if role not in ROLES:
        raise UsageError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    with store.session() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise UsageError(f"user {name!r} exists already")
        session.add(User(name=name, role=role, created_at=_now()))


def remove_user(store: Store, name: str) -> None:
    """Remove a user and their tokens (revoked at once)."""
    with store.session() as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise UsageError(f"no user {name!r}")
        for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
            session.delete(token)
        session.delete(user)


def list_users(store: Store) -> list[tuple[str, str, int]]:
    """(name, role, live tokens) of every user, by name."""
    with store.sessions() as session:
        users = session.scalars(select(User).order_by(User.name)).all()
        live = {u: 0 for u in (x.id for x in users)}
        for user_id in session.scalars(select(ApiToken.user_id).where(ApiToken.revoked_at.is_(None))):
            live[user_id] = live.get(user_id, 0) + 1
        return [(u.name, u.role, live.get(u.id, 0)) for u in users]


def create_token(store: Store, name: str, label: str | None = None) -> str:
    """A new token for user ``name``; the returned string is the only copy of its secret."""
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    with store.session() as session:
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise UsageError(f"no user {name!r} (add one with `trucewatch users add`)")
        session.add(ApiToken(id=token_id, user_id=user.id, secret_hash=_hasher.hash(secret), label=label,
                             created_at=_now()))
    return f"tw_{token_id}_{secret}"


def revoke_token(store: Store, token_id: str) -> None:
    """Revoke a token by its id (the part after ``tw_``, or the whole token)."""
    found = _TOKEN.match(token_id)
    ident = found.group(1) if found else token_id
    with store.session() as session:
        token = session.get(ApiToken, ident)
        if token is None:
            raise UsageError(f"no token {ident!r}")
        if token.revoked_at is None:
            token.revoked_at = _now()


class Verifier:
    """Checks tokens for one server, remembering the ones it has checked (see the module)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._checked: dict[str, float] = {}
        self._lock = threading.Lock()

    def principal(self, token: str) -> Principal | None:
        """Who holds ``token``, or None for a malformed, unknown, wrong or revoked one."""
        found = _TOKEN.match(token.strip())
        if not found:
            return None
        token_id, secret = found.groups()
        with self.store.sessions() as session:
            row = session.execute(select(ApiToken.secret_hash, ApiToken.revoked_at, User.name, User.role)
                                  .join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)).first()
        if row is None or row.revoked_at is not None:
            return None
        digest = hashlib.sha256(f"{token_id}:{secret}:{row.secret_hash}".encode()).hexdigest()
        with self._lock:
            seen = self._checked.get(digest)
        if seen is None or time.monotonic() - seen > REMEMBER_SECONDS:
            try:
                _hasher.verify(row.secret_hash, secret)
            except (VerificationError, InvalidHashError):
                return None
            with self._lock:
                if len(self._checked) > 10_000:
                    self._checked.clear()
                self._checked[digest] = time.monotonic()
        return Principal(row.name, row.role, token_id)

    def by_id(self, token_id: str) -> Principal | None:
        """Who holds the token ``token_id`` (already checked: a browser session carries only
        the id), or None when it is revoked or its user is gone."""
        with self.store.sessions() as session:
            row = session.execute(select(ApiToken.revoked_at, User.name, User.role)
                                  .join(User, User.id == ApiToken.user_id).where(ApiToken.id == token_id)).first()
        if row is None or row.revoked_at is not None:
            return None
        return Principal(row.name, row.role, token_id)
