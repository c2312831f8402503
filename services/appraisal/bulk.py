"""Writing thousands of result rows at once: on PostgreSQL one INSERT ... SELECT from a
single JSON parameter (json_populate_recordset), on SQLite one executemany.

An appraisal writes a row per department and a record per flagged department, each with
JSON (facts, values, evidence). A multi-row INSERT has psycopg2 quote some 30,000
parameters at 2,000 departments; one JSON document is encoded by the json module and
parsed by PostgreSQL, both in C. (COPY would be quicker still, but psycopg2 refuses it
under eventlet's wait callback, which the services run with.)
"""
import datetime as dt
import json

from sqlalchemy import text


def insert(session, table, rows):
    """Insert `rows` (dicts keyed by column name, the same keys in each) into `table`, in
    the session's transaction."""
    if not rows:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), rows)
        return
    session.flush()  # what the ORM holds (the appraisal itself) goes first
    names = ", ".join('"{}"'.format(c.name) for c in table.columns if c.name in rows[0])
    session.execute(text(
        'INSERT INTO "{0}" ({1}) SELECT {1} FROM json_populate_recordset(NULL::"{0}", '
        'CAST(:rows AS json))'.format(table.name, names)),
        {"rows": json.dumps(rows, ensure_ascii=False, default=iso)})


def iso(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError("{!r} cannot be written as JSON".format(value))
