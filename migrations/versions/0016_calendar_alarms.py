"""a person's calendar reminder: days before each deadline

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.add_column(sa.Column('alarm_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.drop_column('alarm_days')
