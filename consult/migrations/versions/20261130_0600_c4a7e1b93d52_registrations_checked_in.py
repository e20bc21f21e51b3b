"""registrations record when the participant was checked in at the door

Revision ID: c4a7e1b93d52
Revises: 5e7d2c9a1b36
Create Date: 2026-11-30 06:00:00

Null until the badge's code is scanned or the name found on the check-in page; set once.
"""

import sqlalchemy as sa
from alembic import op

from consult.database import UTCDateTime

revision = "c4a7e1b93d52"
down_revision = "5e7d2c9a1b36"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_at", UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.drop_column("checked_in_at")
