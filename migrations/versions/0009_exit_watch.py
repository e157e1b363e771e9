"""the year after exit: a closed case watched until a date, and a case reopened from another

Plain ADD COLUMN: rebuilding case_record on SQLite would fail once deadlines, events and
documents refer to it. SQLite cannot add a foreign key to an existing table, so the link
to the reopened case is constrained on PostgreSQL only (the product writes it itself).

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


FOREIGN_KEY = 'fk_case_record_reopened_from_case_record'


def upgrade() -> None:
    op.add_column('case_record', sa.Column('watch_until', sa.Date(), nullable=True))
    op.add_column('case_record', sa.Column('reopened_from', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != 'sqlite':
        op.create_foreign_key(op.f(FOREIGN_KEY), 'case_record', 'case_record', ['reopened_from'], ['id'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f(FOREIGN_KEY), 'case_record', type_='foreignkey')
    with op.batch_alter_table('case_record', schema=None) as batch_op:
        batch_op.drop_column('reopened_from')
        batch_op.drop_column('watch_until')
