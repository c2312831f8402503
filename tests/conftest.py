"""Suite-wide fixtures. eventlet must patch before anything imports sockets."""
import os

# hypothesis loads its entry-point plugins on import; trio's (a selenium dependency)
# does not survive eventlet's patched socket.
os.environ.setdefault("HYPOTHESIS_NO_PLUGINS", "1")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # noqa: E402

import uuid  # noqa: E402
from urllib.parse import urljoin  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from shared.db import dispose  # noqa: E402

PG_ADMIN_URL = os.environ.get("DUBAN_TEST_PG_URL",
                              "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
# The gateway's bootstrap administrator token in the suite (services get ADMIN_TOKEN).
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"


@pytest.fixture()
def web_session(web_config_port):
    """nameko's fixture imports werkzeug.urls.url_join, gone in Werkzeug 3."""
    from requests import Session

    base = "http://127.0.0.1:%d/" % web_config_port

    class WebSession(Session):
        def request(self, method, url, *args, **kwargs):
            kwargs.setdefault("timeout", 30)
            return Session.request(self, method, urljoin(base, url), *args, **kwargs)

    with WebSession() as session:
        # the suite's requests act as the platform administrator unless a test says who
        session.headers["Authorization"] = "Bearer " + ADMIN_TOKEN
        yield session


@pytest.fixture()
def sqlite_url(tmp_path):
    url = "sqlite:///{}".format(tmp_path / "duban.db")
    yield url
    dispose(url)


def _throwaway_pg():
    name = "duban_t_{}".format(uuid.uuid4().hex[:12])
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "{}"'.format(name)))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    dispose(url)
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "{}" WITH (FORCE)'.format(name)))
    admin.dispose()


@pytest.fixture()
def pg_url():
    """A throwaway PostgreSQL database, dropped afterwards."""
    yield from _throwaway_pg()


@pytest.fixture()
def other_pg_url():
    """A second throwaway database (each service owns its own)."""
    yield from _throwaway_pg()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request):
    """Both databases Duban supports, for the tests that must hold on each."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
