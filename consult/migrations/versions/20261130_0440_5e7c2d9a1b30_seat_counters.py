"""seat counters: confirmed seats and the last arrival on the event, confirmed seats per hold

Revision ID: 5e7c2d9a1b30
Revises: c3a1f0e2b7d4
Create Date: 2026-11-30 04:40:00

A registration then decides from the event's row (``taken < capacity``) instead of
counting the registrations: the work under the event's lock no longer grows with the
number of people registered or waiting. The counters start from the registrations.
Plain ALTER TABLE both ways (no batch copy): recreating ``events`` on SQLite would
cascade to its registrations.
"""

import sqlalchemy as sa
from alembic import op

revision = "5e7c2d9a1b30"
down_revision = "c3a1f0e2b7d4"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("events", sa.Column("taken", sa.Integer(), server_default="0", nullable=False))
    op.add_column(
        "events", sa.Column("arrivals", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "event_seat_rules",
        sa.Column("taken", sa.Integer(), server_default="0", nullable=False),
    )
    op.execute(
        """
        UPDATE events SET
          taken = (SELECT count(*) FROM event_registrations r
                   WHERE r.event_id = events.id AND r.status = 'confirmed'),
          arrivals = (SELECT coalesce(max(r.arrival), 0) FROM event_registrations r
                      WHERE r.event_id = events.id)
        """
    )
    op.execute(
        """
        UPDATE event_seat_rules SET taken = (
          SELECT count(*) FROM event_registrations r
          WHERE r.event_id = event_seat_rules.event_id AND r.status = 'confirmed'
            AND (r.constituency_id = event_seat_rules.constituency_id
                 OR r.country_group = event_seat_rules.country_group))
        """
    )


def downgrade():
    op.drop_column("event_seat_rules", "taken")
    op.drop_column("events", "arrivals")
    op.drop_column("events", "taken")
