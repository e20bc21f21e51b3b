"""The declarative base every model derives from, and the column types they share."""

from __future__ import annotations

import enum
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.pool import Pool
from sqlalchemy.types import TypeDecorator

#: Stable constraint names, so that Alembic can alter SQLite tables in batch mode.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A moment in time, stored in UTC and always read back as an aware UTC datetime."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC moment is expected")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(kind: type[enum.Enum], name: str | None = None, *, length: int = 20) -> Enum:
    """A portable enum column: a VARCHAR of the members' values, no native database type."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


def utcnow() -> datetime:
    """Return the current moment as an aware UTC datetime."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of all Consult models."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )

    def __repr__(self) -> str:
        ident = getattr(self, "id", None)
        return f"<{type(self).__name__} {ident}>"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Give SQLite real transactions, foreign keys, WAL and a wait on busy locks."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


#: A pooled connection that has been idle longer than this (seconds) is tested before use.
PING_AFTER_IDLE = 30.0


@event.listens_for(Pool, "checkin")
def _note_idle(dbapi_connection: Any, connection_record: Any) -> None:
    """Remember when a connection went back to the pool."""
    connection_record.info["idle_since"] = time.monotonic()


@event.listens_for(Pool, "checkout")
def _ping_if_idle(dbapi_connection: Any, connection_record: Any, proxy: Any) -> None:
    """Test a connection that sat idle for a while; a dead one is replaced (not handed out).

    The database may have restarted, or a firewall dropped the idle connection, since it
    was last used. Unlike ``pool_pre_ping``, a connection in steady use is not pinged:
    a busy server does not pay a round trip to the database on every request.
    """
    since = connection_record.info.get("idle_since")
    if since is None or time.monotonic() - since < PING_AFTER_IDLE:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as error:
        raise DisconnectionError(f"an idle connection was found closed: {error}") from error


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    """Open SQLite transactions ourselves, since the driver's own handling is off.

    A connection given the execution option ``sqlite_immediate=True`` takes the
    write lock at once (``BEGIN IMMEDIATE``), so that a read-then-write
    transaction waits for its turn instead of failing when another writer won.
    """
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
