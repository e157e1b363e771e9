"""a report, minutes or note of visit names the meeting it is of

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_document_meeting_id_meeting', 'meeting', ['meeting_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.drop_constraint('fk_document_meeting_id_meeting', type_='foreignkey')
        batch.drop_column('meeting_id')
