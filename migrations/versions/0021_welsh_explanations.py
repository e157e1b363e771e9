"""how a planned duty was placed, kept in Welsh beside the English (a count in days or months is said again in Welsh from the row)

Revision ID: 0021
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('deadline', sa.Column('explanation_cy', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deadline') as batch:
        batch.drop_column('explanation_cy')
