"""documents carry a UN document symbol (E/CN.17/1999/12), empty when they have none

Revision ID: 3c9d1e7a4b52
Revises: d57eb6b25cad
Create Date: 2026-11-30 06:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "3c9d1e7a4b52"
down_revision = "d57eb6b25cad"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("symbol", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_documents_symbol"), ["symbol"], unique=False)


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_symbol"))
        batch_op.drop_column("symbol")
