"""work items remember the due date their owner was reminded of

Revision ID: c3e8f1a2b4d6
Revises: 8b31d8531417
Create Date: 2026-11-30 04:00:00

One reminder per item and due date: moving the due date arms it again.
"""

import sqlalchemy as sa
from alembic import op

revision = "c3e8f1a2b4d6"
down_revision = "8b31d8531417"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_for", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_column("reminded_for")
