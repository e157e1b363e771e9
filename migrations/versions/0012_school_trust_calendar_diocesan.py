"""what a school's letters and counts need beyond the register: its trust, its own term dates,
and its diocesan authority's proper name

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('school') as batch:
        batch.add_column(sa.Column('trust', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('trust_address', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('diocesan_authority', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('calendar', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('school') as batch:
        batch.drop_column('calendar')
        batch.drop_column('diocesan_authority')
        batch.drop_column('trust_address')
        batch.drop_column('trust')
