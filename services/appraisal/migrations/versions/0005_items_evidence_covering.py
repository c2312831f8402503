"""items: the evidence indexes carry the columns their walks read (index-only walks)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 22:10:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# models.UNEXPLAINED_PREDICATE, SILENT_PREDICATE and WALK_INCLUDE as they stood at this revision
UNEXPLAINED = ("reason IS NULL AND NOT milestone "
               "AND coalesce(completed_on, '9999-12-31') > deadline")
SILENT = "feedback_cadence <> 'none' AND issued_on IS NOT NULL AND NOT milestone"
INCLUDE = ["org_id", "org_path", "cancelled_on", "suspended_on", "title", "completed_on",
           "issued_on", "last_feedback_on"]
SILENT_KEY = ['department', 'deadline', 'number', sa.text("coalesce(completed_on, '9999-12-31')"),
              sa.text('coalesce(last_feedback_on, issued_on)')]


def _indexes(include):
    op.drop_index('ix_items_silent', table_name='items')
    op.drop_index('ix_items_unexplained', table_name='items')
    op.create_index('ix_items_unexplained', 'items', ['department', 'deadline', 'number'],
                    unique=False, postgresql_where=sa.text(UNEXPLAINED),
                    postgresql_include=include)
    op.create_index('ix_items_silent', 'items', SILENT_KEY, unique=False,
                    postgresql_where=sa.text(SILENT), postgresql_include=include)


def upgrade() -> None:
    """Upgrade schema (PostgreSQL only, like 0004)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    _indexes(INCLUDE)


def downgrade() -> None:
    """Downgrade schema: the indexes of 0004."""
    if op.get_bind().dialect.name != "postgresql":
        return
    _indexes([])
