"""A pooled database connection that died while idle is replaced before a request gets it."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.pool import QueuePool

from consult import database
from consult.extensions import db


def test_a_connection_closed_while_idle_is_replaced(_app, monkeypatch):
    """Does a connection closed behind the pool's back (a restarted database, a firewall)
    come back as a working one on the next checkout?"""
    monkeypatch.setattr(database, "PING_AFTER_IDLE", 0.0)
    with _app.app_context():
        engine = create_engine(db.engine.url, poolclass=QueuePool, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            dead = connection.connection.dbapi_connection
        dead.close()  # back in the pool, then closed as a database restart would
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 2")).scalar() == 2
            assert connection.connection.dbapi_connection is not dead
    finally:
        engine.dispose()
