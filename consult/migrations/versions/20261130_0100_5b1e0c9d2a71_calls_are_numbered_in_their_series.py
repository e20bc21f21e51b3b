"""calls are numbered in their series; two live calls never share a number

Revision ID: 5b1e0c9d2a71
Revises: 84daa713e4bc
Create Date: 2026-11-30 01:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5b1e0c9d2a71"
down_revision = "84daa713e4bc"
branch_labels = None
depends_on = None

LIVE_SQL = "status IN ('confirmed', 'held')"


def upgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))

    calls = sa.table(
        "calls",
        sa.column("id", sa.Integer),
        sa.column("series_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("starts_at", sa.DateTime),
        sa.column("status", sa.String),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(calls.c.id, calls.c.series_id)
        .where(calls.c.status.in_(("confirmed", "held")))
        .order_by(calls.c.series_id, calls.c.starts_at, calls.c.id)
    ).all()
    counters: dict[int, int] = {}
    for call_id, series_id in rows:
        counters[series_id] = counters.get(series_id, 0) + 1
        connection.execute(
            calls.update().where(calls.c.id == call_id).values(number=counters[series_id])
        )

    op.create_index(
        "uq_calls_series_id_number_live",
        "calls",
        ["series_id", "number"],
        unique=True,
        sqlite_where=sa.text(LIVE_SQL),
        postgresql_where=sa.text(LIVE_SQL),
    )


def downgrade():
    op.drop_index("uq_calls_series_id_number_live", table_name="calls")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("number")
