"""items: partial indexes over the unexplained-overdue and silent candidates (evidence walks)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 14:30:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# models.UNEXPLAINED_PREDICATE and SILENT_PREDICATE as they stood at this revision
UNEXPLAINED = ("reason IS NULL AND NOT milestone "
               "AND coalesce(completed_on, '9999-12-31') > deadline")
SILENT = "feedback_cadence <> 'none' AND issued_on IS NOT NULL AND NOT milestone"


def upgrade() -> None:
    """Upgrade schema (PostgreSQL only: SQLite's planner never takes these indexes)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index('ix_items_unexplained', 'items', ['department', 'deadline', 'number'],
                    unique=False, postgresql_where=sa.text(UNEXPLAINED))
    op.create_index('ix_items_silent', 'items',
                    ['department', 'deadline', 'number',
                     sa.text("coalesce(completed_on, '9999-12-31')"),
                     sa.text('coalesce(last_feedback_on, issued_on)')],
                    unique=False, postgresql_where=sa.text(SILENT))


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_items_silent', table_name='items')
    op.drop_index('ix_items_unexplained', table_name='items')
