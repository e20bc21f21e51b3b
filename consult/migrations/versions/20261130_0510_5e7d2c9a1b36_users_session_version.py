"""users carry a session version: signing out or deactivation ends every session and cookie

Revision ID: 5e7d2c9a1b36
Revises: f865aaab7f3d
Create Date: 2026-11-30 04:45:00

Sessions and remember-me cookies name the user and a fingerprint of the password and of
this number; raising it makes every copy of them worthless. Existing rows start at 0, whose
fingerprint is the one sessions carried before, so nobody is signed out by the upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "5e7d2c9a1b36"
down_revision = "f865aaab7f3d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
