"""calendar answers keep their comment and delegate

Revision ID: d7e2a9c4f1b3
Revises: 5e7c2d9a1b30
Create Date: 2026-11-30 04:45:00

A member's iTIP REPLY may carry a COMMENT and delegate the call (PARTSTAT=DELEGATED,
DELEGATED-TO); both are shown on the call page. Partstat is a VARCHAR, so DELEGATED
needs no change of type.
"""

import sqlalchemy as sa
from alembic import op

revision = "d7e2a9c4f1b3"
down_revision = "5e7c2d9a1b30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("call_attendances", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("comment", sa.String(length=1000), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("delegated_to", sa.String(length=320), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("call_attendances", schema=None) as batch_op:
        batch_op.drop_column("delegated_to")
        batch_op.drop_column("comment")
