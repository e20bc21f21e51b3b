"""content in several languages; registrants' language; Chinese preferences as zh_Hans

Revision ID: c3a1f0e2b7d4
Revises: c3e8f1a2b4d6
Create Date: 2026-11-30 03:00:00

Events, their agenda sessions, key elements, toolkit sections and documents get a
``translations`` column ({"fr": {"title": ...}, ...}); registrations remember the language
of the page they were made from; a member's preference saved as ``zh`` becomes ``zh_Hans``,
the catalogue's name for the UN's (Simplified) Chinese.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a1f0e2b7d4'
down_revision = 'c3e8f1a2b4d6'
branch_labels = None
depends_on = None

TRANSLATED = ("events", "event_sessions", "key_elements", "toolkit_sections", "documents")


def upgrade():
    for table in TRANSLATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('translations', sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
            )
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
    op.execute("UPDATE users SET language = 'zh_Hans' WHERE language = 'zh'")


def downgrade():
    op.execute("UPDATE users SET language = 'zh' WHERE language = 'zh_Hans'")
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_column('language')
    for table in reversed(TRANSLATED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
