"""authorities as tenants: an installation holds one or more local authorities, each school is one authority's, and people hold roles per authority

An installation that held one authority (named in settings.toml) becomes one row here: every
school is placed in it and everyone on record holds their role in it, so it behaves as before.

Plain ADD COLUMN: rebuilding school on SQLite would fail once cases refer to it. SQLite cannot
add a foreign key or NOT NULL to an existing table's column, so those hold on PostgreSQL only
(the product sets every school's authority itself).

Revision ID: 0019
Revises: 0018
"""
import re

import sqlalchemy as sa
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

FOREIGN_KEY = 'fk_school_authority_id_authority'


def upgrade() -> None:
    op.create_table(
        'authority',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('la_code', sa.String(length=10), nullable=True),
        sa.Column('playbook', sa.String(length=300), nullable=False),
        sa.Column('calendar', sa.String(length=300), nullable=False),
        sa.Column('letterhead', sa.String(length=300), nullable=False),
        sa.Column('sender', sa.String(length=320), nullable=True),
        sa.UniqueConstraint('code', name='uq_authority_code'),
        sa.UniqueConstraint('la_code', name='uq_authority_la_code'),
    )
    op.create_table(
        'person_role',
        sa.Column('person_id', sa.Integer(), sa.ForeignKey('person.id', name='fk_person_role_person_id_person'), primary_key=True),
        sa.Column('authority_id', sa.Integer(), sa.ForeignKey('authority.id', name='fk_person_role_authority_id_authority'),
                  primary_key=True),
        sa.Column('role', sa.String(length=40), nullable=False),
    )
    op.create_index('ix_person_role_authority_id', 'person_role', ['authority_id'])
    op.add_column('school', sa.Column('authority_id', sa.Integer(), nullable=True))
    op.create_index('ix_school_authority_id', 'school', ['authority_id'])
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT count(*) FROM school")).scalar_one() or \
            connection.execute(sa.text("SELECT count(*) FROM person")).scalar_one():
        _fold_into_one_authority(connection)
    if connection.dialect.name != 'sqlite':
        op.alter_column('school', 'authority_id', existing_type=sa.Integer(), nullable=False)
        op.create_foreign_key(FOREIGN_KEY, 'school', 'authority', ['authority_id'], ['id'])


def _fold_into_one_authority(connection: sa.Connection) -> None:
    """The authority settings.toml names, holding every school and everyone on record."""
    from models.settings.environment import load_settings  # the installation's own settings, as at upgrade

    settings = load_settings().get("authority", {})
    name = str(settings.get("name", "Local Authority"))
    code = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "authority"
    connection.execute(sa.text("INSERT INTO authority (code, name, la_code, playbook, calendar, letterhead) "
                               "VALUES (:c, :n, :la, :p, :k, :l)"),
                       {"c": code, "n": name, "la": str(settings.get("la_code") or "") or None,
                        "p": str(settings.get("default_playbook") or "england"),
                        "k": str(settings.get("default_calendar", "default")), "l": "letterhead.toml"})
    authority_id = connection.execute(sa.text("SELECT id FROM authority")).scalar_one()
    connection.execute(sa.text("UPDATE school SET authority_id = :a"), {"a": authority_id})
    connection.execute(sa.text("INSERT INTO person_role (person_id, authority_id, role) SELECT id, :a, role FROM person"),
                       {"a": authority_id})


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(FOREIGN_KEY, 'school', type_='foreignkey')
    op.drop_index('ix_school_authority_id', table_name='school')
    with op.batch_alter_table('school') as batch:
        batch.drop_column('authority_id')
    op.drop_index('ix_person_role_authority_id', table_name='person_role')
    op.drop_table('person_role')
    op.drop_table('authority')
