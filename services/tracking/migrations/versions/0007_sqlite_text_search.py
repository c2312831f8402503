"""SQLite: a trigram full-text index for the ledger's text search (FTS5), the equivalent of
PostgreSQL's pg_trgm index of revision 0006

`items_fts` (FTS5, tokenize='trigram') holds `number || ' ' || title || ' ' || content`
of every item, under a rowid that `item_search_ids` maps to the item's id (the items
table has no INTEGER PRIMARY KEY, so its own rowids may change on VACUUM; these do not).
Triggers keep both in step with the items table. Not on PostgreSQL; skipped where the
SQLite library lacks FTS5 or its trigram tokenizer (the search then reads the table).

Revision ID: 0007
Revises: 0006
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BODY = "{0}.number || ' ' || {0}.title || ' ' || {0}.content"
ROWID = "(SELECT id FROM item_search_ids WHERE item_id = {0}.id)"
STATEMENTS = [
    "CREATE TABLE item_search_ids (id INTEGER PRIMARY KEY, item_id VARCHAR(36) NOT NULL UNIQUE)",
    "INSERT INTO item_search_ids (item_id) SELECT id FROM items ORDER BY rowid",
    "INSERT INTO items_fts (rowid, body) SELECT s.id, {} FROM items JOIN item_search_ids s "
    "ON s.item_id = items.id".format(BODY.format("items")),
    "CREATE TRIGGER items_search_insert AFTER INSERT ON items BEGIN "
    "INSERT INTO item_search_ids (item_id) VALUES (new.id); "
    "INSERT INTO items_fts (rowid, body) VALUES ({}, {}); END".format(
        ROWID.format("new"), BODY.format("new")),
    "CREATE TRIGGER items_search_update AFTER UPDATE OF number, title, content ON items BEGIN "
    "DELETE FROM items_fts WHERE rowid = {}; "
    "INSERT INTO items_fts (rowid, body) VALUES ({}, {}); END".format(
        ROWID.format("old"), ROWID.format("new"), BODY.format("new")),
    "CREATE TRIGGER items_search_delete AFTER DELETE ON items BEGIN "
    "DELETE FROM items_fts WHERE rowid = {}; "
    "DELETE FROM item_search_ids WHERE item_id = old.id; END".format(ROWID.format("old")),
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE items_fts USING fts5(body, tokenize='trigram')")
    except sa.exc.OperationalError:  # no FTS5, or no trigram tokenizer (SQLite < 3.34)
        return
    for statement in STATEMENTS:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        return
    for name in ('items_search_insert', 'items_search_update', 'items_search_delete'):
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS {}".format(name))
    bind.exec_driver_sql("DROP TABLE IF EXISTS items_fts")
    bind.exec_driver_sql("DROP TABLE IF EXISTS item_search_ids")
