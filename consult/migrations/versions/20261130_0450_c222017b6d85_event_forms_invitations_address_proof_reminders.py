"""event forms invitations address proof reminders

Revision ID: c222017b6d85
Revises: d7e2a9c4f1b3
Create Date: 2026-11-30 04:24:44.056571

Per-event registration forms (questions and answers), personal invitations,
proof of address before a registration counts, and reminders once each.
"""
from alembic import op
import sqlalchemy as sa

import consult.database


revision = 'c222017b6d85'
down_revision = 'd7e2a9c4f1b3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_form_fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('text', 'choice', 'multiple', 'country', 'date', 'yesno', 'file', 'section', name='form_field_kind', native_enum=False, length=20), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('help', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('shown_if_id', sa.Integer(), nullable=True),
    sa.Column('shown_if_value', sa.String(length=200), nullable=False),
    sa.Column('max_kb', sa.Integer(), nullable=True),
    sa.Column('file_types', sa.String(length=200), nullable=False),
    sa.Column('translations', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_form_fields_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shown_if_id'], ['event_form_fields.id'], name=op.f('fk_event_form_fields_shown_if_id_event_form_fields'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_form_fields'))
    )
    with op.batch_alter_table('event_form_fields', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_form_fields_event_id'), ['event_id'], unique=False)

    op.create_table('event_form_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['field_id'], ['event_form_fields.id'], name=op.f('fk_event_form_answers_field_id_event_form_fields'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registrations.id'], name=op.f('fk_event_form_answers_registration_id_event_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_form_answers')),
    sa.UniqueConstraint('registration_id', 'field_id', name='uq_event_form_answers_registration_field')
    )
    with op.batch_alter_table('event_form_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_form_answers_field_id'), ['field_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_form_answers_registration_id'), ['registration_id'], unique=False)

    op.create_table('event_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('constituency_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('expires_at', consult.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', consult.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', consult.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('used_at', consult.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['constituency_id'], ['constituencies.id'], name=op.f('fk_event_invitations_constituency_id_constituencies')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_invitations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registrations.id'], name=op.f('fk_event_invitations_registration_id_event_registrations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_invitations')),
    sa.UniqueConstraint('event_id', 'email', name='uq_event_invitations_event_email')
    )
    with op.batch_alter_table('event_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_invitations_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_confirmed_at', consult.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', consult.database.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pending_reminded_at', consult.database.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_address', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('invitation_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('remind_days_before', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('remind_days_before')
        batch_op.drop_column('invitation_only')
        batch_op.drop_column('confirm_address')

    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_column('pending_reminded_at')
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('address_confirmed_at')

    with op.batch_alter_table('event_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_invitations_event_id'))

    op.drop_table('event_invitations')
    with op.batch_alter_table('event_form_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_form_answers_registration_id'))
        batch_op.drop_index(batch_op.f('ix_event_form_answers_field_id'))

    op.drop_table('event_form_answers')
    with op.batch_alter_table('event_form_fields', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_form_fields_event_id'))

    op.drop_table('event_form_fields')
