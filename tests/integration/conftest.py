"""Integration fixtures: the real services in nameko containers on a throwaway vhost."""
import types

import pytest
from nameko.testing.services import replace_dependencies

from services.appraisal.service import AppraisalService
from services.gateway.service import GatewayService
from services.intake.service import IntakeService
from services.tracking.service import TrackingService
from shared.broker_setup import declare
from shared.migrate import upgrade
from tests.conftest import ADMIN_TOKEN
from tests.helpers import EventTap

pytestmark = pytest.mark.integration


def service_config(rabbit_config, web_config, db_url, **extra):
    config = dict(rabbit_config)
    config.update(web_config)
    config.update(DATABASE_URL=db_url, OUTBOX_POLL_SECONDS=0.2, OVERDUE_CHECK_SECONDS=3600,
                  HANDLER_RETRIES=1, HANDLER_BACKOFF_SECONDS=0.05, RPC_TIMEOUT_SECONDS=10,
                  HEALTH_SERVICES=["tracking"], REPORT_CHECK_SECONDS=3600,
                  REBUILD_CHECK_SECONDS=0.3, ADMIN_TOKEN=ADMIN_TOKEN)
    config.update(extra)
    return config


@pytest.fixture()
def make_system(rabbit_config, web_config, container_factory, web_session, tmp_path):
    """Start tracking + gateway on `db_url` (migrated), with the broker set up first.

    With `intake=True` the intake service runs too, on its own SQLite file (or
    `intake_url`); with `appraisal=True` the appraisal service, on its own SQLite file (or
    `appraisal_url`). A `clock` (shared.clock.FixedClock) replaces the real one in tracking
    and appraisal.
    """
    taps = []

    def make(db_url, intake=False, intake_url=None, appraisal=False, clock=None,
             appraisal_url=None, **extra):
        upgrade("tracking", db_url)
        declare(rabbit_config["AMQP_URI"])
        config = service_config(rabbit_config, web_config, db_url, **extra)
        tap = EventTap(rabbit_config["AMQP_URI"], "tracking.events", "item.#")
        taps.append(tap)
        tracking = container_factory(TrackingService, config)
        gateway = container_factory(GatewayService, config)
        if clock is not None:
            replace_dependencies(tracking, clock=clock)
        appraisal_container = None
        if appraisal:
            appraisal_url = appraisal_url or "sqlite:///{}".format(tmp_path / "appraisal.db")
            upgrade("appraisal", appraisal_url)
            appraisal_container = container_factory(AppraisalService,
                                                    dict(config, DATABASE_URL=appraisal_url))
            if clock is not None:
                replace_dependencies(appraisal_container, clock=clock)
            appraisal_container.start()
        tracking.start()
        gateway.start()
        intake_container = None
        if intake:
            intake_url = intake_url or "sqlite:///{}".format(tmp_path / "intake.db")
            upgrade("intake", intake_url)
            intake_container = container_factory(IntakeService, dict(config,
                                                                     DATABASE_URL=intake_url))
            intake_container.start()
        return types.SimpleNamespace(http=web_session, tap=tap, tracking=tracking,
                                     gateway=gateway, intake=intake_container,
                                     appraisal=appraisal_container, config=config, db_url=db_url)

    yield make
    for tap in taps:
        tap.close()


def seed_directory(http):
    """A group, three departments and a responsible person, over the API."""
    for body in ({"code": "HQ", "name": "示范集团", "kind": "group"},
                 {"code": "FIN", "name": "财务部", "kind": "department", "parent": "HQ"},
                 {"code": "HR", "name": "人力资源部", "kind": "department", "parent": "HQ"},
                 {"code": "OFFICE", "name": "集团办公室", "kind": "department", "parent": "HQ"}):
        r = http.post("/api/v1/org-units", json=body)
        assert r.status_code == 201, r.text
    r = http.post("/api/v1/people", json={"name": "李四", "mobile": "13900001111",
                                          "org_unit": "FIN", "roles": ["contact"]})
    assert r.status_code == 201, r.text
    return r.json()["id"]
