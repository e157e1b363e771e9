"""letters as drafts, then issued: a document's status, its issue, how each copy went

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# Documents made before drafts existed were treated as sent when made: they stay so.
LETTERS = ("category_letter", "causing_concern_notification", "concern_letter", "warning_notice",
           "warning_notice_withdrawal", "notice_of_intention", "statement_of_action", "exit_letter")


def upgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='final'))
        batch.add_column(sa.Column('edits', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('uploaded_by', sa.String(length=320), nullable=True))
        batch.add_column(sa.Column('issued_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('issued_by', sa.String(length=320), nullable=True))
        batch.add_column(sa.Column('reference', sa.String(length=60), nullable=True))
    document = sa.table('document', sa.column('kind', sa.String), sa.column('status', sa.String))
    op.execute(document.update().where(document.c.kind.in_(LETTERS)).values(status='issued'))
    op.create_table(
        'letter_delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=True),
        sa.Column('notification_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_letter_delivery_document_id_document')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_delivery')),
    )
    op.create_index(op.f('ix_letter_delivery_document_id'), 'letter_delivery', ['document_id'], unique=False)
    with op.batch_alter_table('notice_copy') as batch:
        batch.alter_column('sent_on', existing_type=sa.Date(), nullable=True)
        batch.add_column(sa.Column('method', sa.String(length=10), nullable=True))
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('document_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_notification_document_id_document'), 'document', ['document_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.drop_constraint(op.f('fk_notification_document_id_document'), type_='foreignkey')
        batch.drop_column('document_id')
    with op.batch_alter_table('notice_copy') as batch:
        batch.drop_column('method')
        batch.alter_column('sent_on', existing_type=sa.Date(), nullable=False)
    op.drop_index(op.f('ix_letter_delivery_document_id'), table_name='letter_delivery')
    op.drop_table('letter_delivery')
    with op.batch_alter_table('document') as batch:
        for column in ('reference', 'issued_by', 'issued_on', 'uploaded_by', 'edits', 'status'):
            batch.drop_column(column)
