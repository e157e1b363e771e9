"""the language a school corresponds in and a person prefers: English, Welsh or (a school) bilingual

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('school', sa.Column('language', sa.String(length=10), nullable=False, server_default='en'))
    op.add_column('person', sa.Column('language', sa.String(length=10), nullable=False, server_default='en'))


def downgrade() -> None:
    with op.batch_alter_table('person') as batch:
        batch.drop_column('language')
    with op.batch_alter_table('school') as batch:
        batch.drop_column('language')
