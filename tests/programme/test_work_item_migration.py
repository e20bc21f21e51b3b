"""The migration that made action items and programme items one table loses no row.

It runs on a database of the suite's kind (SQLite, or PostgreSQL when ``DATABASE_URL`` names
one), built up to the revision before it, filled through raw SQL as the old code would have.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Flask

from consult import PACKAGE_ROOT, create_app
from consult.database import UTCDateTime
from consult.extensions import db
from tests.conftest import build_test_config, sibling_database

REVISION = "9f7339b28290"

T1 = datetime(2000, 2, 1, 14, 0, tzinfo=UTC)
T2 = datetime(2000, 3, 7, 14, 0, tzinfo=UTC)
T3 = datetime(2000, 3, 9, 9, 30, tzinfo=UTC)


def _rows_of(columns: str, *rows: tuple) -> list[dict]:
    """Rows as dictionaries: column names separated by spaces, then one tuple of values a row."""
    return [dict(zip(columns.split(), row, strict=True)) for row in rows]


#: Rows of the old ``programme_items`` (ids with gaps, every status, every optional column).
PROGRAMME_ROWS = _rows_of(
    "id title description owner_id constituency_id due_date status call_id agreed_at"
    " created_at updated_at",
    (1, "Develop the VIA toolkit", "Scope and content not yet agreed.", 1, 1,
     date(2001, 12, 31), "in-progress", None, "Work programme as reported to CSD-8 (2000)", T1, T2),
    (2, "Identify related processes", "", None, None, None, "planned", None, "", T1, T1),
    (5, "Explore methods to test the key elements", "The assessment matrix is one.", 2, None,
     date(2000, 9, 30), "done", 2, "", T2, T3),
    (7, "A second Toronto-sized consultation", "", None, None, None, "dropped", None,
     "Toronto, March 1999", T1, T2),
)  # fmt: skip

#: Rows of the old ``action_items``: every status, one without owner, one whose call is gone.
ACTION_ROWS = _rows_of(
    "id call_id title owner_id due_on status created_at",
    (1, 1, "Circulate the draft work programme", 1, date(2000, 2, 15), "done", T1),
    (2, 2, "Send the background paper", 2, date(2000, 4, 14), "open", T2),
    (3, 2, "Book a room in Geneva", None, None, "dropped", T2),
    (9, None, "Answer the MIT proposal", 2, date(2000, 5, 1), "open", T3),
)

STATUS_AFTER = {"open": "planned", "done": "done", "dropped": "dropped"}


def _previous_revision() -> str:
    """The revision this migration follows (read from it, so a re-chained history still works)."""
    scripts = ScriptDirectory(str(PACKAGE_ROOT / "migrations"))
    return scripts.get_revision(REVISION).down_revision


@pytest.fixture
def old_app(tmp_path: Path, database_url: str, smtp_server) -> Iterator[Flask]:
    """An application on a fresh database migrated to the revision before the work items."""
    from flask_migrate import upgrade

    url = sibling_database(database_url, "work_items", tmp_path)
    application = create_app(build_test_config(url, tmp_path, smtp_server[0].port))
    with application.app_context():
        upgrade(revision=_previous_revision())
        yield application
        db.session.remove()
        db.engine.dispose()


def _insert(connection: sa.Connection, table: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    statement = sa.text(
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (the test's own names)
        f"VALUES ({', '.join(':' + name for name in columns)})"
    ).bindparams(
        *(
            sa.bindparam(name, type_=UTCDateTime())
            for name in columns
            if name in ("created_at", "updated_at")
        )
    )
    connection.execute(statement, rows)


def _fill_old_tables() -> None:
    """Members, a constituency and two held calls, then both old tables, in raw SQL."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO constituencies (id, slug, name, description, position) "
                "VALUES (1, 'business', 'Business and industry', '', 1)"
            )
        )
        for ident, email in ((1, "secretariat@example.org"), (2, "ngo.nairobi@example.org")):
            connection.execute(
                sa.text(
                    "INSERT INTO users (id, email, display_name, organisation, constituency_id,"
                    " timezone, language, role, active, website, listed_in_directory,"
                    " created_at) VALUES (:id, :email, :email, '', 1, 'UTC', 'en', 'member',"
                    " TRUE, '', FALSE, :created)"
                ).bindparams(sa.bindparam("created", type_=UTCDateTime())),
                {"id": ident, "email": email, "created": T1},
            )
        connection.execute(
            sa.text(
                "INSERT INTO call_series (id, name, cadence_min_days, cadence_max_days,"
                " duration_minutes, acceptable_from, acceptable_to, good_from, good_to,"
                " organiser_id, bridge, created_at)"
                " VALUES (1, 'Steering Group teleconference', 28, 35, 60, 7, 21, 9, 18, 1, '',"
                " :created)"
            ).bindparams(sa.bindparam("created", type_=UTCDateTime())),
            {"created": T1},
        )
        for ident, start in ((1, T1), (2, T2)):
            connection.execute(
                sa.text(
                    "INSERT INTO calls (id, series_id, number, starts_at, duration_minutes,"
                    " status, uid, sequence, minutes, created_at)"
                    " VALUES (:id, 1, :id, :start, 60, 'held', :uid, 0, '', :start)"
                ).bindparams(sa.bindparam("start", type_=UTCDateTime())),
                {"id": ident, "start": start, "uid": f"call-{ident}@consult.test"},
            )
        _insert(connection, "programme_items", PROGRAMME_ROWS)
        _insert(connection, "action_items", ACTION_ROWS)


#: How to read back the columns that are not plain text or numbers.
TYPES = {
    "created_at": UTCDateTime(),
    "updated_at": UTCDateTime(),
    "due_date": sa.Date(),
    "due_on": sa.Date(),
}


def _rows(table: str, *columns: str) -> dict[int, dict]:
    """Every row of ``table`` by id, dates and moments read back as Python values."""
    typed = [sa.column(name, TYPES.get(name)) for name in ("id", *columns)]
    with db.engine.connect() as connection:
        result = connection.execute(sa.select(*typed).select_from(sa.table(table)))
        return {row.id: dict(row._mapping) for row in result}


WORK_COLUMNS = (
    "title",
    "description",
    "parent_id",
    "owner_id",
    "constituency_id",
    "due_date",
    "status",
    "call_id",
    "agreed_at",
    "created_at",
    "updated_at",
)


def _expected_work_items() -> dict[int, dict]:
    offset = max(row["id"] for row in PROGRAMME_ROWS)
    expected = {row["id"]: {**row, "parent_id": None} for row in PROGRAMME_ROWS}
    for row in ACTION_ROWS:
        expected[row["id"] + offset] = {
            "id": row["id"] + offset,
            "title": row["title"],
            "description": "",
            "parent_id": None,
            "owner_id": row["owner_id"],
            "constituency_id": None,
            "due_date": row["due_on"],
            "status": STATUS_AFTER[row["status"]],
            "call_id": row["call_id"],
            "agreed_at": "",
            "created_at": row["created_at"],
            "updated_at": row["created_at"],
        }
    return expected


def test_every_old_row_arrives_in_work_items_and_goes_back(old_app):
    """Do all programme and action items reach work_items intact, and does the downgrade split them again?"""
    from flask_migrate import downgrade, upgrade

    previous = _previous_revision()
    _fill_old_tables()
    upgrade(revision=REVISION)

    tables = set(sa.inspect(db.engine).get_table_names())
    assert "work_items" in tables
    assert not {"programme_items", "action_items"} & tables
    arrived = _rows("work_items", *WORK_COLUMNS)
    assert arrived == _expected_work_items()

    # The next item gets a new id after every moved one (PostgreSQL's sequence was moved on).
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO work_items (title, description, status, agreed_at, created_at,"
                " updated_at) VALUES ('New', '', 'planned', '', :now, :now)"
            ).bindparams(sa.bindparam("now", type_=UTCDateTime())),
            {"now": T3},
        )
    assert max(_rows("work_items")) == max(arrived) + 1

    downgrade(revision=previous)
    back = _rows("programme_items", "title", "status", "call_id", "agreed_at", "updated_at")
    offset = max(row["id"] for row in PROGRAMME_ROWS)
    orphan = next(row for row in ACTION_ROWS if row["call_id"] is None)
    assert {ident: row["title"] for ident, row in back.items()} == {
        **{row["id"]: row["title"] for row in PROGRAMME_ROWS},
        orphan["id"] + offset: orphan["title"],  # no call to go back to: a programme item
        max(arrived) + 1: "New",
    }
    assert [back[row["id"]]["status"] for row in PROGRAMME_ROWS] == [
        row["status"] for row in PROGRAMME_ROWS
    ]
    actions = _rows("action_items", "title", "owner_id", "due_on", "status", "call_id")
    assert {
        ident: (row["title"], row["owner_id"], row["due_on"], row["status"])
        for ident, row in actions.items()
    } == {
        row["id"] + offset: (row["title"], row["owner_id"], row["due_on"], row["status"])
        for row in ACTION_ROWS
        if row is not orphan
    }
