"""the index of notifications by deadline dropped: nothing looks a notification up by its deadline, and every email queued paid to keep it

Revision ID: 0023
Revises: 0022
"""
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.drop_index('ix_notification_deadline_id')


def downgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.create_index('ix_notification_deadline_id', ['deadline_id'], unique=False)
