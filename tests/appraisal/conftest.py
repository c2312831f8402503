"""Fixtures shared by the appraisal tests."""
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.appraisal.models import Base


def tables_at(url):
    """A session over the appraisal's tables made at `url`, the engine disposed after."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


@pytest.fixture()
def session(db_url):
    """The appraisal's tables on SQLite and on PostgreSQL (its SQL has dialect paths)."""
    yield from tables_at(db_url)


@pytest.fixture()
def pg_session(pg_url):
    """The same on PostgreSQL only (the paths only it has)."""
    yield from tables_at(pg_url)
