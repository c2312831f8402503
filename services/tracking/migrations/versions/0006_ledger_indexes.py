"""ledger indexes: the list's order with each filter, co-departments by unit, sub-items by
parent; on PostgreSQL the text search's trigram (pg_trgm) and bigram indexes

Checked with EXPLAIN ANALYZE at 1,000,000 items (docs/performance.md, "Ledger"). Every
ordered index ends with (deadline, org_id, number, id): the list's order and the id the
first step of the list reads, so a page is read from the index in order.

Revision ID: 0006
Revises: 0005
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ORDER = ['deadline', 'org_id', 'number', 'id']
HAS_PARENT = "parent_id IS NOT NULL"
WORKING = "status IN ('registered', 'issued', 'in_progress', 'completion_requested')"
# Must read exactly as services/tracking/handlers/search.py writes it (or no index is used).
SEARCH_TEXT = "(number || ' ' || title || ' ' || content)"
# duban_bigrams('督办系统') = '督办 办系 系统' (kept as this revision wrote it).
BIGRAMS = (
    "CREATE OR REPLACE FUNCTION duban_bigrams(t text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
    "$$ SELECT string_agg(substr(t, i, 2), ' ') "
    "FROM generate_series(1, greatest(length(t) - 1, 1)) AS i $$")


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_status_deadline')
        batch_op.drop_index('ix_items_lead')
    op.create_index('ix_items_order', 'items', ORDER)
    op.create_index('ix_items_status_order', 'items', ['status'] + ORDER)
    op.create_index('ix_items_lead_order', 'items', ['lead_unit_id'] + ORDER)
    op.create_index('ix_items_org_order', 'items', ['org_id', 'deadline', 'number', 'id'])
    op.create_index('ix_items_working_order', 'items', ORDER + ['due_by'],
                    postgresql_where=sa.text(WORKING), sqlite_where=sa.text(WORKING))
    # sub-items by parent: only the rows that have one (statistics over a column that is
    # almost always NULL made SQLite scan the table for an item's children)
    op.create_index('ix_items_parent', 'items', ['parent_id'],
                    postgresql_where=sa.text(HAS_PARENT), sqlite_where=sa.text(HAS_PARENT))
    op.create_index('ix_items_number', 'items', ['number'])  # ?number= without ?org=
    op.create_index('ix_item_co_departments_unit', 'item_co_departments',
                    ['org_unit_id', 'item_id'])
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")
    # Two-character words (most Chinese words): a bigram full-text index (pg_trgm needs
    # three characters). duban_bigrams('督办系统') = '督办 办系 系统'.
    op.execute(BIGRAMS)
    op.execute("CREATE INDEX ix_items_search_bigrams ON items USING gin "
               "(to_tsvector('simple', duban_bigrams({})))".format(SEARCH_TEXT))
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").scalar()
    if available:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_items_search_trgm ON items USING gin "
                   "({} gin_trgm_ops)".format(SEARCH_TEXT))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_items_search_trgm")
        op.execute("DROP INDEX IF EXISTS ix_items_search_bigrams")
        op.execute("DROP FUNCTION IF EXISTS duban_bigrams(text)")
    op.drop_index('ix_item_co_departments_unit', table_name='item_co_departments')
    for name in ('ix_items_number', 'ix_items_parent', 'ix_items_working_order', 'ix_items_org_order',
                 'ix_items_lead_order', 'ix_items_status_order', 'ix_items_order'):
        op.drop_index(name, table_name='items')
    op.create_index('ix_items_status_deadline', 'items', ['status', 'deadline'])
    op.create_index('ix_items_lead', 'items', ['lead_unit_id'])
