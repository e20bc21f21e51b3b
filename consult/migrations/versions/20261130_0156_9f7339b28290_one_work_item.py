"""one work item: action items of calls and programme items become work_items

Both kinds of row move into ``work_items`` without loss:

- a programme item keeps its id (its edit link and ``#item-<id>`` anchor still work);
- an action item gets the id ``<its id> + <largest programme item id>``, so ids never clash
  and keep their order; nothing else in the schema points at either table;
- statuses: programme items keep theirs (planned, in-progress, done, dropped); an action
  item that was ``open`` becomes ``planned``, ``done`` and ``dropped`` stay;
- an action item's ``due_on`` becomes ``due_date``; it gets no description, constituency or
  words for where it was agreed (it had none), and its ``updated_at`` is its ``created_at``.

The downgrade puts back in ``action_items`` every item agreed on a call that carries nothing
only a programme item could hold (no description, constituency, or words on where it was
agreed), with ``planned`` and ``in-progress`` as ``open``; every other item goes back to
``programme_items``. Both keep the work item's id. Lines of work (``parent_id``) have no
place in the old tables and are left behind.

Revision ID: 9f7339b28290
Revises: a8505aaaa4fd
Create Date: 2026-11-30 01:56:24.565097

"""

import sqlalchemy as sa
from alembic import op

import consult.database

# revision identifiers, used by Alembic.
revision = "9f7339b28290"
down_revision = "a8505aaaa4fd"
branch_labels = None
depends_on = None

COMMON = ("id", "title", "owner_id", "status", "call_id", "created_at")

work_items = sa.table(
    "work_items",
    *(sa.column(name) for name in COMMON),
    sa.column("description"),
    sa.column("parent_id"),
    sa.column("constituency_id"),
    sa.column("due_date"),
    sa.column("agreed_at"),
    sa.column("updated_at"),
)
programme_items = sa.table(
    "programme_items",
    *(sa.column(name) for name in COMMON),
    sa.column("description"),
    sa.column("constituency_id"),
    sa.column("due_date"),
    sa.column("agreed_at"),
    sa.column("updated_at"),
)
action_items = sa.table("action_items", *(sa.column(name) for name in COMMON), sa.column("due_on"))

#: Columns a programme item and a work item share, in both tables' words.
PROGRAMME_COLUMNS = (*COMMON, "description", "constituency_id", "due_date", "agreed_at", "updated_at")


def _status_type(name, values):
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def _reset_sequence(table: str) -> None:
    """After rows were written with their ids, PostgreSQL's next id must come after them."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
            )
        )


def upgrade():
    op.create_table(
        "work_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            _status_type("workstatus", ("planned", "in-progress", "done", "dropped")),
            nullable=False,
        ),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("agreed_at", sa.String(length=300), nullable=False),
        sa.Column("created_at", consult.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", consult.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_work_items_call_id_calls"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_work_items_constituency_id_constituencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_work_items_owner_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["work_items.id"],
            name=op.f("fk_work_items_parent_id_work_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_items")),
    )
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_items_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_items_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_items_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_items_parent_id"), ["parent_id"], unique=False)

    connection = op.get_bind()
    connection.execute(
        work_items.insert().from_select(
            PROGRAMME_COLUMNS,
            sa.select(*(programme_items.c[name] for name in PROGRAMME_COLUMNS)),
        )
    )
    offset = connection.scalar(sa.select(sa.func.coalesce(sa.func.max(programme_items.c.id), 0)))
    a = action_items.c
    connection.execute(
        work_items.insert().from_select(
            (*COMMON, "due_date", "description", "agreed_at", "updated_at"),
            sa.select(
                a.id + offset,
                a.title,
                a.owner_id,
                sa.case((a.status == "open", "planned"), else_=a.status),
                a.call_id,
                a.created_at,
                a.due_on,
                sa.literal(""),
                sa.literal(""),
                a.created_at,
            ),
        )
    )
    _reset_sequence("work_items")

    with op.batch_alter_table("programme_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_items_due_date"))
    op.drop_table("programme_items")
    op.drop_table("action_items")


def downgrade():
    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status", _status_type("actionstatus", ("open", "done", "dropped")), nullable=False
        ),
        sa.Column("created_at", consult.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_action_items_call_id_calls"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_action_items_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    op.create_table(
        "programme_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("constituency_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            _status_type("itemstatus", ("planned", "in-progress", "done", "dropped")),
            nullable=False,
        ),
        sa.Column("agreed_at", sa.String(length=300), nullable=False),
        sa.Column("created_at", consult.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", consult.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_programme_items_call_id_calls"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["constituency_id"],
            ["constituencies.id"],
            name=op.f("fk_programme_items_constituency_id_constituencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_programme_items_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_items")),
    )
    with op.batch_alter_table("programme_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_items_due_date"), ["due_date"], unique=False
        )

    w = work_items.c
    from_a_call = sa.and_(
        w.call_id.is_not(None),
        w.description == "",
        w.constituency_id.is_(None),
        w.agreed_at == "",
    )
    connection = op.get_bind()
    connection.execute(
        action_items.insert().from_select(
            (*COMMON, "due_on"),
            sa.select(
                w.id,
                w.title,
                w.owner_id,
                sa.case((w.status.in_(("planned", "in-progress")), "open"), else_=w.status),
                w.call_id,
                w.created_at,
                w.due_date,
            ).where(from_a_call),
        )
    )
    connection.execute(
        programme_items.insert().from_select(
            PROGRAMME_COLUMNS,
            sa.select(*(w[name] for name in PROGRAMME_COLUMNS)).where(sa.not_(from_a_call)),
        )
    )
    _reset_sequence("action_items")
    _reset_sequence("programme_items")

    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_items_parent_id"))
        batch_op.drop_index(batch_op.f("ix_work_items_owner_id"))
        batch_op.drop_index(batch_op.f("ix_work_items_due_date"))
        batch_op.drop_index(batch_op.f("ix_work_items_call_id"))
    op.drop_table("work_items")
