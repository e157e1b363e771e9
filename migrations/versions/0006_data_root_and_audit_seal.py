"""the data root recorded per database, document paths relative to it, and a sealed audit head

Revision ID: 0006
Revises: 0005
"""
from pathlib import Path

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'installation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('database_id', sa.String(length=36), nullable=False),
        sa.Column('data_dir', sa.String(length=1000), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_installation')),
    )
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal', sa.String(length=64), nullable=True))
    # Documents were written under ./var/documents of the working folder: keep them where they
    # are, stored relative to the default data root ./var, or absolute when written elsewhere.
    document = sa.table('document', sa.column('id', sa.Integer()), sa.column('path', sa.String()))
    connection = op.get_bind()
    for row in connection.execute(sa.select(document.c.id, document.c.path)).all():
        path = Path(row.path)
        if path.is_absolute():
            continue
        moved = str(path.relative_to('var')) if path.parts[:1] == ('var',) else str(path.resolve())
        connection.execute(document.update().where(document.c.id == row.id).values(path=moved))


def downgrade() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('seal')
    op.drop_table('installation')
