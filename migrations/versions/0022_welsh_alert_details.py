"""an alert's detail kept in Welsh beside the English, for a case on Welsh term dates (the case page and My work say it)

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('alert', sa.Column('detail_cy', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alert') as batch:
        batch.drop_column('detail_cy')
