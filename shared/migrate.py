"""Run a service's Alembic migrations: python -m shared.migrate <service> [--url URL].

The URL defaults to the service's config.yaml (DATABASE_URL, which reads the
environment), so `make run`, the tests and the containers migrate the same way.
"""
import argparse
import os
import sys

from alembic import command
from alembic.config import Config

from shared.config import load_config
from shared.db import make_engine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def include_name(metadata):
    """Alembic's `include_name`: leave out the tables a migration made that the models do
    not describe (`metadata.info["unmodelled_tables"]`, e.g. SQLite's FTS5 index and its
    shadow tables `<name>_data`, `<name>_idx`...), so comparing the database with the
    models does not report them."""
    unmodelled = tuple(metadata.info.get("unmodelled_tables", ()))

    def include(name, type_, parent_names):
        return not (type_ == "table" and any(name == t or name.startswith(t + "_")
                                             for t in unmodelled))
    return include


def include_object(dialect_name):
    """Alembic's `include_object`: leave out what the models make on another database only
    (`Index(...).ddl_if(dialect="postgresql")`), so comparing a database with the models
    does not ask for it there."""
    def include(obj, name, type_, reflected, compare_to):
        only = getattr(obj, "_ddl_if", None)
        return reflected or only is None or only.dialect in (None, dialect_name)
    return include


def run_migrations(metadata):
    """The body of every service's migrations/env.py: its own database, its own metadata."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=connection.dialect.name == "sqlite",
                          include_name=include_name(metadata),
                          include_object=include_object(connection.dialect.name))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def service_dir(service):
    return os.path.join(ROOT, "services", service)


def alembic_config(service, url):
    cfg = Config()
    cfg.set_main_option("script_location", os.path.join(service_dir(service), "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def config_url(service):
    return load_config(os.path.join(service_dir(service), "config.yaml"))["DATABASE_URL"]


def upgrade(service, url=None):
    url = url or config_url(service)
    make_engine(url).dispose()  # creates the folder of a SQLite file
    command.upgrade(alembic_config(service, url), "head")
    return url


def main(argv=None):
    parser = argparse.ArgumentParser(description="Migrate a service's database to head")
    parser.add_argument("services", nargs="+")
    parser.add_argument("--url")
    args = parser.parse_args(argv)
    for service in args.services:
        url = upgrade(service, args.url)
        print("migrated {} ({})".format(service, url.split("@")[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
