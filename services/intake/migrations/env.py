"""Alembic environment of the intake service (its own database only)."""
from services.intake.models import Base
from shared.migrate import run_migrations

run_migrations(Base.metadata)
