"""directory version: one row whose number changes with every write to the directory and the
office calendars, so each process may cache them (handlers/directory_cache.py)

`directory_version` holds one number; triggers give it a new random one in the same
transaction as every INSERT, UPDATE or DELETE of `org_units` and `calendar_days`, and every
change of a person's name or mobile (what a unit's contact, head and leader show). On
PostgreSQL once per statement, on SQLite once per row. Random, not counted: a number a
rolled-back transaction saw, or a restored database had, never comes back.

Revision ID: 0008
Revises: 0007
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Kept as this revision wrote them (models.py makes the same for create_all).
NEW_PG = "floor(random() * 9007199254740991)::bigint"
POSTGRESQL = [
    "INSERT INTO directory_version (id, version) VALUES (1, {})".format(NEW_PG),
    "CREATE OR REPLACE FUNCTION duban_directory_changed() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN UPDATE directory_version SET version = {}; RETURN NULL; END $$".format(NEW_PG),
    "CREATE TRIGGER org_units_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON org_units FOR EACH STATEMENT EXECUTE FUNCTION duban_directory_changed()",
    "CREATE TRIGGER calendar_days_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    "ON calendar_days FOR EACH STATEMENT EXECUTE FUNCTION duban_directory_changed()",
    "CREATE TRIGGER people_version AFTER UPDATE OF name, mobile ON people "
    "FOR EACH STATEMENT EXECUTE FUNCTION duban_directory_changed()",
]
SQLITE_TRIGGERS = [("org_units", "insert", "INSERT"), ("org_units", "update", "UPDATE"),
                   ("org_units", "delete", "DELETE"), ("calendar_days", "insert", "INSERT"),
                   ("calendar_days", "update", "UPDATE"), ("calendar_days", "delete", "DELETE"),
                   ("people", "update", "UPDATE OF name, mobile")]
SQLITE = ["INSERT INTO directory_version (id, version) VALUES (1, random())"] + [
    "CREATE TRIGGER {0}_version_{1} AFTER {2} ON {0} BEGIN "
    "UPDATE directory_version SET version = random(); END".format(table, name, event)
    for table, name, event in SQLITE_TRIGGERS]


def upgrade() -> None:
    op.create_table(
        'directory_version',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    bind = op.get_bind()
    for statement in POSTGRESQL if bind.dialect.name == 'postgresql' else SQLITE:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        for table in ('org_units', 'calendar_days', 'people'):
            bind.exec_driver_sql("DROP TRIGGER IF EXISTS {0}_version ON {0}".format(table))
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS duban_directory_changed()")
    else:
        for table, name, _ in SQLITE_TRIGGERS:
            bind.exec_driver_sql("DROP TRIGGER IF EXISTS {}_version_{}".format(table, name))
    op.drop_table('directory_version')
