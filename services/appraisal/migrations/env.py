"""Alembic environment of the appraisal service (its own database only)."""
from services.appraisal.models import Base
from shared.migrate import run_migrations

run_migrations(Base.metadata)
