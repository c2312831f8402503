"""Rows written without ORM objects, with the session's next flush.

A row a use case only writes (an item being registered, a history record, an outbox
event, the answer beside an inbox claim) needs none of the ORM's unit of work. It is held
in the session until the session flushes (before an ORM query, at an explicit flush, at
the commit: when an ORM object added instead would have been written), then each table's
rows go in one multi-row INSERT, after what the ORM flushes (they may refer to it) and in
the order of the tables' foreign keys, then the held UPDATEs. On PostgreSQL a use case's
single rows go in one statement (data-modifying CTEs): a registration's item, history,
outbox row and answer cost one round trip, not four.

Like ORM objects, held rows are not seen by a Core statement run before the flush; no
use case reads back, in its own transaction, what it wrote this way.
"""
from sqlalchemy import and_, bindparam, event, literal, select
from sqlalchemy.orm import Session as OrmSession

HELD = "duban.held_rows"  # session.info key: {table: [row, ...]} and the held updates


def insert_rows(session, table, rows):
    """Insert `rows` (dicts of column values) into `table` with the session's next flush."""
    _held(session)["inserts"].setdefault(table, []).extend(rows)


def update_row(session, table, key, values):
    """`UPDATE table SET values WHERE key` (both dicts of column values) with the
    session's next flush."""
    _held(session)["updates"].append((table, key, values))


def _held(session):
    return session.info.setdefault(HELD, {"inserts": {}, "updates": []})


def write_held(session):
    """Write what is held, in the session's transaction."""
    held = session.info.pop(HELD, None)
    if not held:
        return
    inserts, updates = held["inserts"], held["updates"]
    tables = sorted(inserts, key=_dependency_order)
    connection = session.connection()
    if _one_statement(connection, inserts, updates):
        _write_combined(connection, [(t, inserts[t][0]) for t in tables], updates)
        return
    for table in tables:
        rows = inserts[table]
        connection.execute(table.insert(), rows[0] if len(rows) == 1 else rows)
    for table, key, values in updates:
        connection.execute(_update(table, tuple(key), tuple(values)),
                           {**{"k0_" + c: v for c, v in key.items()},
                            **{"v0_" + c: v for c, v in values.items()}})


def _write_combined(connection, inserts, updates):
    """Single rows and updates in one statement, its parameters named by position."""
    params = {}
    for n, (table, row) in enumerate(inserts):
        params.update(("i{}_{}".format(n, c), v) for c, v in row.items())
    for n, (table, key, values) in enumerate(updates):
        params.update(("k{}_{}".format(n, c), v) for c, v in key.items())
        params.update(("v{}_{}".format(n, c), v) for c, v in values.items())
    connection.execute(_combined(tuple((t, tuple(row)) for t, row in inserts),
                                 tuple((t, tuple(k), tuple(v)) for t, k, v in updates)), params)


def _one_statement(connection, inserts, updates):
    """Whether to write all in one statement: on PostgreSQL, several writes of one row
    each (a single use case's). The statement is built once per shape, with bound
    parameters; a batch's tables go one `executemany` each instead."""
    return (connection.dialect.name == "postgresql" and len(inserts) + len(updates) > 1
            and all(len(rows) == 1 for rows in inserts.values()))


_ORDER = {}      # MetaData -> {table: position in foreign-key order}
_STATEMENTS = {}  # shape -> statement with bound parameters


def _dependency_order(table):
    order = _ORDER.get(table.metadata)
    if order is None or table not in order:
        order = _ORDER[table.metadata] = {t: i for i, t in
                                          enumerate(table.metadata.sorted_tables)}
    return order[table]


def _insert(table, columns, n=0):
    return table.insert().values({c: bindparam("i{}_{}".format(n, c), type_=table.c[c].type)
                                  for c in columns})


def _update(table, key, values, n=0):
    shape = ("update", table, key, values, n)
    if shape not in _STATEMENTS:
        _STATEMENTS[shape] = table.update().where(and_(*[
            table.c[c] == bindparam("k{}_{}".format(n, c), type_=table.c[c].type)
            for c in key])).values({c: bindparam("v{}_{}".format(n, c), type_=table.c[c].type)
                                    for c in values})
    return _STATEMENTS[shape]


def _combined(inserts, updates):
    """`WITH write_0 AS (INSERT …), … SELECT 1`: data-modifying CTEs, all run once."""
    shape = ("combined", inserts, updates)
    if shape not in _STATEMENTS:
        writes = [_insert(t, columns, n) for n, (t, columns) in enumerate(inserts)] + [
            _update(t, key, values, n) for n, (t, key, values) in enumerate(updates)]
        _STATEMENTS[shape] = select(literal(1)).add_cte(
            *[w.cte("write_{}".format(i)) for i, w in enumerate(writes)])
    return _STATEMENTS[shape]


class Session(OrmSession):
    """The session every service uses (shared.db.session_factory): held rows are written
    at each flush, after the ORM's own."""

    def flush(self, objects=None):
        super().flush(objects)
        write_held(self)


@event.listens_for(OrmSession, "before_commit")
def _write_at_commit(session):
    """A commit whose ORM side is clean calls no flush: write what is held (any session,
    also one not made by session_factory, as in tests)."""
    if session.info.get(HELD):
        session.flush()
        write_held(session)


@event.listens_for(OrmSession, "after_rollback")
def _forget(session):
    session.info.pop(HELD, None)
