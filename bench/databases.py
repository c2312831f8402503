"""A fresh database for one bench run (SQLite in a directory, or a new PostgreSQL database),
dropped afterwards, so a bench never writes into a running system's or another bench's data."""
import os
import uuid

from sqlalchemy import create_engine, text

from shared.db import dispose

PG_ADMIN = os.environ.get("DUBAN_BENCH_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def fresh_database(kind, directory, prefix):
    """The URL of a new, empty database of `kind` ("sqlite" or "postgres")."""
    if kind == "sqlite":
        return "sqlite:///{}".format(os.path.join(directory, prefix + ".db"))
    name = "{}_{}".format(prefix, uuid.uuid4().hex[:8])
    _admin('CREATE DATABASE "{}"'.format(name))
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop_database(url):
    """Close the bench's connections to url and drop it (a SQLite file goes with its directory)."""
    dispose(url)
    if url.startswith("postgresql"):
        _admin('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(url.rsplit("/", 1)[1]))


def _admin(statement):
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()
