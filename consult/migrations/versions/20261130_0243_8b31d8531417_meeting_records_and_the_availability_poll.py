"""meeting records and the availability poll

Revision ID: 8b31d8531417
Revises: 9f7339b28290
Create Date: 2026-11-30 02:43:03

Agenda items get a duration, a lead speaker and linked documents; invitations an
attendance register; minutes a state (draft, approved, circulated). Minutes saved
before this revision were shown to members at once: they become circulated, on the
day they were published.
"""

import sqlalchemy as sa
from alembic import op

import consult.database

revision = "8b31d8531417"
down_revision = "9f7339b28290"
branch_labels = None
depends_on = None

OPEN_SQL = "status = 'open'"


def _moment():
    return consult.database.UTCDateTime(timezone=True)


def upgrade():
    op.create_table(
        "call_polls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="pollstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("closes_at", _moment(), nullable=False),
        sa.Column("remind_at", _moment(), nullable=False),
        sa.Column("closed_at", _moment(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_polls_call_id_calls"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_call_polls_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["call_series.id"],
            name=op.f("fk_call_polls_series_id_call_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_polls")),
    )
    op.create_index(
        "uq_call_polls_series_id_open",
        "call_polls",
        ["series_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_SQL),
        postgresql_where=sa.text(OPEN_SQL),
    )
    op.create_table(
        "call_poll_invitees",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", _moment(), nullable=True),
        sa.Column("reminded_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["call_polls.id"],
            name=op.f("fk_call_poll_invitees_poll_id_call_polls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_poll_invitees_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("poll_id", "user_id", name=op.f("pk_call_poll_invitees")),
    )
    op.create_table(
        "call_poll_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", _moment(), nullable=False),
        sa.ForeignKeyConstraint(
            ["poll_id"],
            ["call_polls.id"],
            name=op.f("fk_call_poll_slots_poll_id_call_polls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_poll_slots")),
        sa.UniqueConstraint("poll_id", "starts_at", name=op.f("uq_call_poll_slots_poll_id")),
    )
    op.create_table(
        "call_poll_answers",
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "choice",
            sa.Enum("yes", "if-need-be", "no", name="availability", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("answered_at", _moment(), nullable=False),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["call_poll_slots.id"],
            name=op.f("fk_call_poll_answers_slot_id_call_poll_slots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_call_poll_answers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("slot_id", "user_id", name=op.f("pk_call_poll_answers")),
    )
    op.create_table(
        "agenda_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["agenda_items.id"],
            name=op.f("fk_agenda_documents_item_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_documents")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duration_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lead_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_agenda_items_lead_id_users"),
            "users",
            ["lead_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("call_attendances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "presence",
                sa.Enum(
                    "unknown", "present", "apologies", "absent", native_enum=False, length=20
                ),
                server_default="unknown",
                nullable=False,
            )
        )

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "minutes_status",
                sa.Enum("draft", "approved", "circulated", native_enum=False, length=20),
                server_default="draft",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("minutes_approved_at", _moment(), nullable=True))
        batch_op.add_column(sa.Column("minutes_circulated_at", _moment(), nullable=True))

    calls = sa.table(
        "calls",
        sa.column("minutes_status", sa.String),
        sa.column("minutes_published_at", sa.DateTime),
        sa.column("minutes_approved_at", sa.DateTime),
        sa.column("minutes_circulated_at", sa.DateTime),
    )
    op.execute(
        calls.update()
        .where(calls.c.minutes_published_at.is_not(None))
        .values(
            minutes_status="circulated",
            minutes_approved_at=calls.c.minutes_published_at,
            minutes_circulated_at=calls.c.minutes_published_at,
        )
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("minutes_published_at")


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minutes_published_at", _moment(), nullable=True))
    calls = sa.table(
        "calls",
        sa.column("minutes_published_at", sa.DateTime),
        sa.column("minutes_circulated_at", sa.DateTime),
    )
    op.execute(calls.update().values(minutes_published_at=calls.c.minutes_circulated_at))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_column("minutes_circulated_at")
        batch_op.drop_column("minutes_approved_at")
        batch_op.drop_column("minutes_status")

    with op.batch_alter_table("call_attendances", schema=None) as batch_op:
        batch_op.drop_column("presence")

    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_agenda_items_lead_id_users"), type_="foreignkey")
        batch_op.drop_column("lead_id")
        batch_op.drop_column("duration_minutes")

    op.drop_table("agenda_documents")
    op.drop_table("call_poll_answers")
    op.drop_table("call_poll_slots")
    op.drop_table("call_poll_invitees")
    op.drop_index("uq_call_polls_series_id_open", table_name="call_polls")
    op.drop_table("call_polls")
