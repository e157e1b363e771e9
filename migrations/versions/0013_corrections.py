"""corrections: a priority, a meeting or a classification withdrawn with its reason, a document made before a correction

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('priority') as batch:
        batch.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('classification') as batch:
        batch.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('meeting') as batch:
        batch.add_column(sa.Column('withdrawn_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('withdrawn_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('corrected_by', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.drop_column('corrected_by')
    with op.batch_alter_table('classification') as batch:
        batch.drop_column('withdrawn_reason')
        batch.drop_column('withdrawn_on')
    with op.batch_alter_table('meeting') as batch:
        batch.drop_column('withdrawn_reason')
        batch.drop_column('withdrawn_on')
    with op.batch_alter_table('priority') as batch:
        batch.drop_column('withdrawn_reason')
        batch.drop_column('withdrawn_on')
