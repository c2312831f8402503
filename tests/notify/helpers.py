"""Builders for notify's tests: tracking-shaped envelopes and a notify worker on SQLite."""
import datetime as dt
import types
import uuid

from nameko.testing.services import worker_factory

from services.notify.channels import discover_channels
from services.notify.context import Context
from services.notify.service import NotifyService
from shared.clock import FixedClock
from shared.errors import NotFound
from shared.rpc import RequestInfo

PEOPLE = {
    "responsible_person": {"id": 1, "name": "张三", "mobile": "13900001111"},
    "contact": {"id": 2, "name": "李四", "mobile": "13900002222"},
    "head": {"id": 3, "name": "王五", "mobile": "13900003333"},
    "leader": {"id": 4, "name": "赵六", "mobile": "13900004444"},
}


class RecordingOutbox:
    def __init__(self):
        self.events = []

    def add(self, session, envelope):
        self.events.append(envelope)

    def of(self, type_):
        return [e for e in self.events if e["type"] == type_]


def snapshot(item_id=None, status="in_progress", deadline="2026-12-31", category="routine",
             version=1, org_id="HQ", dept="FIN", mobile_offset=0, **over):
    def who(p):
        p = dict(p)
        if mobile_offset:
            p["mobile"] = str(int(p["mobile"]) + mobile_offset * 10)
        return p
    data = {"id": item_id or str(uuid.uuid4()), "number": "DB-2026-0001", "org_id": org_id,
            "title": "编制年度预算", "status": status, "deadline": deadline,
            "category": category, "version": version, "feedback_due_on": None,
            "lead_department": {"code": dept, "name": "财务部",
                                "contact": who(PEOPLE["contact"]), "head": who(PEOPLE["head"]),
                                "leader": who(PEOPLE["leader"])},
            "co_departments": [], "responsible_person": who(PEOPLE["responsible_person"])}
    data.update(over)
    return data


def envelope(type_, data, event_id=None):
    return {"id": event_id or str(uuid.uuid4()), "type": type_, "version": 1,
            "occurred_at": "2026-11-27T00:00:00Z", "producer": "tracking",
            "org_id": data.get("org_id"), "subject_id": data["id"], "data": data}


class DeadLetterRecorder:
    retries, backoff, park_retry = 0, 0, 0

    def __init__(self):
        self.parked = []

    def park(self, *args):
        self.parked.append(args)


class Directory:
    """tracking as notify's worker tests need it (the integration tests use the real
    one): `get_org_unit` knows the codes in `groups` as groups and `departments` as
    departments; `get_item` answers the snapshots in `items` (id -> snapshot); anything
    else is unknown (NotFound)."""

    service_name = "tracking"

    def __init__(self, groups=("HQ", "SUB", "G2"), departments=("FIN", "HR"), items=()):
        self.groups, self.departments, self.items = set(groups), set(departments), dict(items)
        self.asked = []

    def __getattr__(self, method):
        answer = {"get_org_unit": self.unit, "get_item": self.item}.get(method)
        if answer is None:
            raise AttributeError(method)
        return types.SimpleNamespace(call_async=lambda key: types.SimpleNamespace(
            result=lambda: answer(key)))

    def unit(self, code):
        self.asked.append(code)
        if code in self.groups:
            return {"code": code, "kind": "group", "parent": None}
        if code in self.departments:
            return {"code": code, "kind": "department", "parent": "HQ"}
        raise NotFound("No org unit '{}'".format(code))

    def item(self, item_id):
        self.asked.append(item_id)
        if item_id in self.items:
            return dict(self.items[item_id], allowed_actions=["cancel"])  # as get_item: more
        raise NotFound("No item '{}'".format(item_id))


def make_worker(session, clock, settings=None, channels=None, request_key=None, **ctx_over):
    settings = dict(settings or {})
    channels = channels or discover_channels(settings, entry_points=[])
    ctx = Context(channels=channels, default_channel=settings.get("NOTIFY_CHANNEL", "console"),
                  **ctx_over)
    outbox = RecordingOutbox()
    worker = worker_factory(NotifyService, db=session, outbox=outbox, clock=clock, ctx=ctx,
                            tracking=Directory(),
                            caller="token:test", config=dict(settings, NOTIFY_REBUILD="off"),
                            request=RequestInfo(message_id=request_key),
                            dead_letters=DeadLetterRecorder())
    return types.SimpleNamespace(service=worker, outbox=outbox, ctx=ctx, clock=clock)


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def fixed(*args):
    return FixedClock(utc(*args))
