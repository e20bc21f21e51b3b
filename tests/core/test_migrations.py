"""The migrations build the schema, and agree with the models."""

import os
import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from consult.extensions import db
from tests.live import ROOT


def test_models_and_migrations_agree(app):
    """Does autogenerate find nothing to add after the migrations ran?"""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_db_upgrade_builds_the_schema_from_nothing(live_database_url):
    """Does ``flask db upgrade`` build every table on an empty database (SQLite or PostgreSQL)?"""
    engine = create_engine(live_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_db_upgrade_twice_is_harmless(live_database_url):
    """Can the upgrade run again on an up-to-date database?"""
    env = {**os.environ, "DATABASE_URL": live_database_url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "consult", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
