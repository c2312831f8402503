"""Alembic environment of the tracking service (its own database only)."""
from services.tracking.models import Base
from shared.migrate import run_migrations

run_migrations(Base.metadata)
