"""API keys: create, list, revoke and check them; only a salted hash of each secret is stored.

A key reads ``tocsin_<id>_<secret>``: the id finds the row, the secret is checked against the
row's salted SHA-256 in constant time. The full key is shown once, when it is created.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Table, insert, select, update

from tocsin.store import Database
from tocsin.store.api_tables import ApiKeyRow
from tocsin.store.engine import WRITE_OPTION

PREFIX = "tocsin"
api_keys: Table = ApiKeyRow.__table__  # type: ignore[assignment]


@dataclass
class ApiKeyInfo:
    """What may be shown about a key (never its secret)."""

    id: str
    name: str
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hash(salt: str, secret: str) -> str:
    return hashlib.sha256(bytes.fromhex(salt) + secret.encode("utf-8")).hexdigest()


def _split(key: str) -> tuple[str, str] | None:
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def create_key(database: Database, name: str) -> tuple[ApiKeyInfo, str]:
    """Store a new key labelled ``name``; return its info and the full key (shown only now)."""
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    salt = secrets.token_hex(16)
    created = _now()
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            connection.execute(
                insert(api_keys).values(
                    id=key_id, name=name, salt=salt, secret_hash=_hash(salt, secret),
                    created_at=created,
                )
            )
    info = ApiKeyInfo(key_id, name, created, None, None)
    return info, f"{PREFIX}_{key_id}_{secret}"


def list_keys(database: Database) -> list[ApiKeyInfo]:
    """Every key, oldest first (revoked ones too)."""
    with database.engine.connect() as connection:
        found = connection.execute(
            select(
                api_keys.c.id, api_keys.c.name, api_keys.c.created_at, api_keys.c.revoked_at,
                api_keys.c.last_used_at,
            ).order_by(api_keys.c.created_at, api_keys.c.id)
        )
        return [ApiKeyInfo(*row) for row in found]


def revoke_key(database: Database, key_id: str) -> str | None:
    """Revoke the key with this id (or this full key); return its id, or None when there is no
    such active key."""
    split = _split(key_id)
    wanted = split[0] if split else key_id
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            changed = connection.execute(
                update(api_keys)
                .where(api_keys.c.id == wanted, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            )
    return wanted if changed.rowcount else None


def check_key(database: Database, key: str) -> str | None:
    """The id of the active key ``key`` is, or None. Records when the key was last used."""
    split = _split(key)
    if split is None:
        return None
    key_id, secret = split
    with database.engine.connect() as connection:
        row = connection.execute(
            select(api_keys.c.salt, api_keys.c.secret_hash, api_keys.c.revoked_at).where(
                api_keys.c.id == key_id
            )
        ).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(_hash(row.salt, secret), row.secret_hash):
        return None
    with database.engine.connect().execution_options(**{WRITE_OPTION: True}) as connection:
        with connection.begin():
            connection.execute(
                update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=_now())
            )
    return key_id
