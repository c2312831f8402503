"""Fixtures shared by the appraisal tests."""
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.appraisal.models import Base


@pytest.fixture()
def session(db_url):
    """The appraisal's tables on SQLite and on PostgreSQL (its SQL has dialect paths)."""
    engine = create_engine(db_url)
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()
