"""Sessions and API tokens over time: expiry, revocation, deactivation (tracking's
identity use cases, on a real SQLite session with a fixed clock)."""
import hashlib

import pytest
from nameko.testing.services import worker_factory

from services.tracking.service import TrackingService
from shared.access import Principal
from shared.errors import Unauthorized
from tests.tracking.test_service import RecordingOutbox, clock, session  # noqa: F401

PASSWORD = "a long enough password"


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


@pytest.fixture()
def tracking(session, clock):  # noqa: F811
    def worker(caller=None):
        return worker_factory(TrackingService, db=session, outbox=RecordingOutbox(), clock=clock,
                              caller=caller.encode() if caller else None,
                              config={"SESSION_HOURS": 12})
    system = worker()
    system.create_org_unit({"code": "HQ", "name": "集团", "kind": "group"})
    system.create_org_unit({"code": "FIN", "name": "财务部", "kind": "department",
                            "parent": "HQ"})
    system.create_person({"name": "李四", "mobile": "13900001111", "org_unit": "FIN",
                          "roles": ["contact"], "username": "lisi", "password": PASSWORD})
    return worker


def test_a_session_ends_when_it_expires(tracking, clock):  # noqa: F811
    t = tracking()
    t.sign_in({"username": "lisi", "password": PASSWORD}, digest("s1"), "10.0.0.1")
    who = Principal.decode(t.resolve_token(digest("s1")))
    assert who.name == "李四" and who.units == ("FIN",) and who.org_id == "HQ"
    clock.advance(hours=11, minutes=59)
    assert Principal.decode(tracking().resolve_token(digest("s1"))).name == "李四"
    clock.advance(minutes=1)
    with pytest.raises(Unauthorized):
        tracking().resolve_token(digest("s1"))


def test_an_api_token_expires_on_its_day_and_is_revoked_at_once(tracking, clock):  # noqa: F811
    admin = Principal(kind="admin", id="admin", name="平台管理员", roles=("admin",))
    made = tracking(admin).create_token({"name": "OA", "roles": ["viewer"], "org": "HQ",
                                         "expires_on": "2026-11-29"}, digest("api"))
    assert made["org"] == "HQ" and "digest" not in made
    assert Principal.decode(tracking().resolve_token(digest("api"))).roles == ("viewer",)
    clock.advance(days=2)  # the clock starts on 2026-11-27
    with pytest.raises(Unauthorized):
        tracking().resolve_token(digest("api"))
    other = tracking(admin).create_token({"name": "BI", "roles": ["viewer"], "org": "HQ"},
                                         digest("api2"))
    tracking(admin).revoke_token(other["id"])
    with pytest.raises(Unauthorized):
        tracking().resolve_token(digest("api2"))
