"""Every RPC that writes happens once: the same request message delivered twice (as nameko
redelivers it after a crash between the commit and the ack) changes nothing more and
gets the same answer. Built on the wire protocol, so nothing in the service is bypassed."""
import datetime as dt
import json
import time
import uuid

import pytest
from kombu import Connection, Exchange, Queue

from services.appraisal.service import AppraisalService
from services.intake.service import IntakeService
from services.tracking.service import TrackingService
from shared.clock import Clock
from tests.helpers import EventTap

pytestmark = pytest.mark.integration

# RPCs that only read; every other RPC of a service must be `exactly_once`.
READS = {
    "tracking": {"ping", "list_org_units", "get_org_unit", "list_people", "directory_changes", "get_calendar",
                 "calendar_days",
                 "validate_item", "validate_items", "get_item", "get_items", "list_items",
                 "item_history", "list_events",
                 "dashboard",
                 "list_dead_letters", "resolve_token", "list_tokens"},
    "intake": {"ping", "parser_kinds", "get_source", "list_sources", "list_dead_letters"},
    "appraisal": {"ping", "projection_status", "monthly_report", "list_reports",
                  "get_appraisal", "list_appraisals", "get_weights", "list_dead_letters"},
}
# Writes that are idempotent by their state instead: a replayed letter is refused (409);
# a sign-in is keyed by its token's digest (the request carries a password, which must not
# be kept even as a digest), a sign-out revokes a session once.
BY_STATE = {"replay_dead_letter", "sign_in", "sign_out"}


def rpc_methods(cls):
    return {name for name in dir(cls)
            if any(type(e).__name__ == "Rpc"
                   for e in getattr(getattr(cls, name), "nameko_entrypoints", ()))}


@pytest.mark.parametrize("cls", [TrackingService, IntakeService, AppraisalService])
def test_every_writing_rpc_is_exactly_once(cls):
    writes = rpc_methods(cls) - READS[cls.name] - BY_STATE
    assert writes, "no writing RPCs found"
    missing = sorted(m for m in writes if not getattr(getattr(cls, m), "exactly_once", False))
    assert missing == []


class Wire:
    """Raw nameko RPC requests: the same message can be delivered twice."""

    def __init__(self, amqp_uri):
        self.conn = Connection(amqp_uri)
        self.channel = self.conn.channel()
        self.exchange = Exchange("nameko-rpc", type="topic", durable=True)
        self.reply_key = "wire-" + uuid.uuid4().hex
        self.replies = Queue(self.reply_key, self.exchange, routing_key=self.reply_key,
                             exclusive=True, auto_delete=True)(self.channel)
        self.replies.declare()
        self.producer = self.conn.Producer(self.channel)

    def deliver(self, service, method, args, correlation_id):
        self.producer.publish({"args": args, "kwargs": {}}, exchange=self.exchange,
                              routing_key="{}.{}".format(service, method), serializer="json",
                              reply_to=self.reply_key, correlation_id=correlation_id,
                              headers={"nameko.duban.caller": "wire-test"})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            message = self.replies.get(no_ack=True)
            if message is not None and message.properties["correlation_id"] == correlation_id:
                body = message.payload
                assert body.get("error") is None, body["error"]
                return body["result"]
            time.sleep(0.02)
        raise AssertionError("no reply to {}.{}".format(service, method))

    def twice(self, service, method, *args):
        """One request, delivered twice; both answers must be the same."""
        correlation_id = str(uuid.uuid4())
        first = self.deliver(service, method, list(args), correlation_id)
        again = self.deliver(service, method, list(args), correlation_id)
        assert json.dumps(again, sort_keys=True) == json.dumps(first, sort_keys=True), method
        return first

    def close(self):
        self.channel.close()
        self.conn.release()


def test_redelivered_writes_change_nothing_more(db_url, make_system, rabbit_config):
    make_system(db_url, intake=True)
    tap = EventTap(rabbit_config["AMQP_URI"], "tracking.events", "#")
    intake_tap = EventTap(rabbit_config["AMQP_URI"], "intake.events", "#")
    wire = Wire(rabbit_config["AMQP_URI"])
    try:
        expected = []

        def step(method, *args, events=()):
            result = wire.twice("tracking", method, *args)
            expected.extend(events)
            got = [k for k, _ in tap.wait_for(len(expected))]
            assert [k for k, _ in tap.settle(quiet=0.4)] == expected, method
            return got and result

        step("create_org_unit", {"code": "HQ", "name": "集团", "kind": "group"},
             events=["org_unit.created"])
        step("create_org_unit", {"code": "FIN", "name": "财务部", "kind": "department",
                                 "parent": "HQ"}, events=["org_unit.created"])
        person = step("create_person", {"name": "李四", "mobile": "13900001111",
                                        "org_unit": "FIN"}, events=["person.created"])["id"]
        step("set_contact", "FIN", {"person": person}, events=["org_unit.contact_changed"])
        step("update_org_unit", "FIN", {"aliases": ["财务"]}, events=["org_unit.updated"])
        year = Clock().today().year + 1
        step("set_calendar", year, {"days": [{"date": "{}-05-06".format(year),
                                              "kind": "holiday"}]},
             events=["calendar.updated"])
        deadline = (Clock().today() + dt.timedelta(days=30)).isoformat()
        item = step("register_item", {"title": "预算", "lead_department": "FIN",
                                      "responsible_person": person, "deadline": deadline},
                    events=["item.registered"])
        iid = item["id"]
        step("update_item", iid, {"title": "预算（修订）"}, events=["item.updated"])
        step("act", iid, "issue", {}, events=["item.issued"])
        fb = step("submit_feedback", iid, {"progress": 20, "content": "启动"},
                  events=["item.feedback_submitted"])
        step("assess_feedback", iid, fb["id"], {"accurate": True},
             events=["item.feedback_assessed"])
        later = (Clock().today() + dt.timedelta(days=60)).isoformat()
        ext = step("request_extension", iid, {"new_deadline": later, "reason": "延期",
                                              "measures": "加班"},
                   events=["item.extension_requested"])
        step("decide_extension", iid, ext["id"], {"approved": True},
             events=["item.extension_decided", "item.deadline_changed"])
        history = wire.deliver("tracking", "item_history", [iid], str(uuid.uuid4()))
        assert [h["action"] for h in history] == [
            "register", "update", "issue", "feedback", "feedback_assessed", "extension_requested",
            "extension_decided", "deadline_changed"]

        # intake: a source, a corrected and a dropped draft, one confirmation
        due = dt.date.fromisoformat(deadline)
        chinese = "{}年{}月{}日".format(due.year, due.month, due.day)
        text = ("集团办公会纪要\n一、财务部牵头，于{}前完成预算编制。\n二、财务部负责在{}前完成审计整改。\n"
                .format(chinese, chinese))
        source = wire.twice("intake", "submit_minutes", {"text": text, "title": "办公会纪要",
                                                         "meeting_date": Clock().today()
                                                         .isoformat()})
        sources = wire.deliver("intake", "list_sources", [], str(uuid.uuid4()))
        assert len(sources) == 1
        first, second = source["drafts"][:2]
        wire.twice("intake", "update_draft", first["id"], {"title": "预算编制"})
        wire.twice("intake", "drop_draft", second["id"])
        confirmed = wire.twice("intake", "confirm", source["id"], {})
        assert confirmed["confirmed"] == [first["id"]]
        assert [k for k, _ in intake_tap.wait_for(1)] == ["draft.confirmed"]
        assert [k for k, _ in intake_tap.settle(quiet=0.5)] == ["draft.confirmed"]
    finally:
        wire.close()
        tap.close()
        intake_tap.close()
