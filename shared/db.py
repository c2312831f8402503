"""Database access: one engine per URL per process, a session per worker.

SQLite is the embedded default (one writing process per file, WAL mode); PostgreSQL
is the production database. Every service takes its own URL.
"""
import functools
import json
import os
import threading

from nameko.extensions import DependencyProvider
from sqlalchemy import BigInteger, Integer, create_engine, event
from sqlalchemy.orm import sessionmaker

from shared.rows import Session

_engines = {}
_lock = threading.Lock()

# A 64-bit key on PostgreSQL, but SQLite only auto-increments INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer, "sqlite")


def is_sqlite(url_or_engine):
    url = str(getattr(url_or_engine, "url", url_or_engine))
    return url.startswith("sqlite")


def is_postgres(bind):
    return bind.dialect.name == "postgresql"


def _sqlite_pragmas(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# JSON columns store Chinese as UTF-8, not as \uXXXX escapes: a third of the bytes on
# disk and, while a transaction's rows wait to be written, a third of the memory (a
# Python string of ASCII escapes takes 6 bytes per character, of CJK text 2).
_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))


def make_engine(url, pool_size=12):
    if is_sqlite(url):
        path = url.split(":///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # One connection per process: SQLite calls block the event loop, and a single
        # connection serialises writers inside the process instead of busy-waiting.
        engine = create_engine(url, pool_size=1, max_overflow=0, pool_timeout=60,
                               connect_args={"check_same_thread": False}, json_serializer=_json)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                         json_serializer=_json)


def engine_for(url):
    """The process-wide engine for a URL (the relay and the workers share its pool)."""
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose(url):
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def session_factory(engine):
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


class Database(DependencyProvider):
    """Hands each worker its own SQLAlchemy session, closed when the worker ends."""

    def __init__(self, config_key="DATABASE_URL"):
        self.config_key = config_key
        self.sessions = {}

    def setup(self):
        self.url = self.container.config[self.config_key]
        self.engine = engine_for(self.url)
        self.Session = session_factory(self.engine)

    def stop(self):
        dispose(self.url)

    def kill(self):
        dispose(self.url)

    def get_dependency(self, worker_ctx):
        session = self.Session()
        self.sessions[worker_ctx] = session
        return session

    def worker_teardown(self, worker_ctx):
        session = self.sessions.pop(worker_ctx, None)
        if session is not None:
            session.close()  # rolls back whatever the worker did not commit
