"""the register of concerns fed by data: indicator values and the rule that flagged a concern

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'indicator_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('indicator', sa.String(length=80), nullable=False),
        sa.Column('period', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('imported_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_indicator_value_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value')),
        sa.UniqueConstraint('school_id', 'indicator', 'period', name=op.f('uq_indicator_value_school_id')),
    )
    op.create_index(op.f('ix_indicator_value_school_id'), 'indicator_value', ['school_id'], unique=False)
    op.add_column('concern', sa.Column('rule', sa.String(length=80), nullable=True))
    op.add_column('concern', sa.Column('period', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_column('period')
        batch_op.drop_column('rule')
    op.drop_index(op.f('ix_indicator_value_school_id'), table_name='indicator_value')
    op.drop_table('indicator_value')
