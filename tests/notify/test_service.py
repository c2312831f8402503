"""NotifyService wiring with worker_factory on a real SQLite database (no broker)."""
import datetime as dt

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from services.notify.models import Base, LadderConfig, Rung, Template
from shared.errors import NotFound, ServiceUnavailable, ValidationFailed
from tests.notify.fake_sms import FakeSmsGateway
from tests.notify.helpers import envelope, fixed, make_worker, snapshot, utc


@pytest.fixture()
def session(tmp_path):
    engine = create_engine("sqlite:///{}".format(tmp_path / "notify.db"))
    Base.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


@pytest.fixture()
def clock():
    return fixed(2026, 12, 1, 0, 0)   # 08:00 in Shanghai


@pytest.fixture()
def notify(session, clock):
    return make_worker(session, clock)


def sent_rungs(notify):
    return [(e["data"]["rung"], e["data"]["role"]) for e in notify.outbox.of("reminder.sent")]


def test_an_issued_item_gets_its_ladder(notify):
    item = snapshot(status="issued")
    notify.service.on_item_issued(envelope("item.issued", item))
    view = notify.service.item_reminders(item["id"])
    assert [(r["rung"], r["status"], r["recipient"]) for r in view["reminders"]] == [
        ("2026-12-31/before-7", "pending", "139****1111"),
        ("2026-12-31/before-3", "pending", "139****1111"),
        ("2026-12-31/before-1", "pending", "139****1111"),
        ("2026-12-31/overdue-1", "pending", "139****2222"),
    ]
    assert view["reminders"][0]["due_at"] == "2026-12-24T01:00:00Z"


def test_each_rung_is_sent_once_at_its_slot(notify, clock, capsys):
    item = snapshot()
    notify.service.on_item_accepted(envelope("item.accepted", item))
    clock.at = utc(2026, 12, 24, 0, 59)
    assert notify.service.tick()["sent"] == {}
    clock.at = utc(2026, 12, 24, 1, 0)
    assert notify.service.tick()["sent"] == {"sent": 1}
    assert notify.service.tick()["sent"] == {}          # nothing twice
    assert sent_rungs(notify) == [("2026-12-31/before-7", "responsible")]
    out = capsys.readouterr().out
    assert "还剩7天" in out and "139****1111" in out and "13900001111" not in out


def test_a_duplicate_event_is_projected_once(notify):
    item = snapshot()
    event = envelope("item.issued", item)
    assert notify.service.on_item_issued(event) == item["id"]
    assert notify.service.on_item_issued(event) is None


def test_a_live_event_is_claimed_once_under_the_name_the_rebuild_claims(notify, session):
    from services.notify.models import InboxEntry
    from services.notify.service import PROJECTION_CONSUMER
    item = snapshot()
    event = envelope("item.issued", item)
    assert notify.service.on_item_issued(event) == item["id"]
    claims = session.execute(select(InboxEntry.consumer).where(
        InboxEntry.event_id == event["id"])).scalars().all()
    assert claims == [PROJECTION_CONSUMER]       # one claim, not one per path
    assert notify.service.apply_logged(dict(event, seq=1)) is False   # the log's copy: once


def test_an_older_snapshot_does_not_overwrite_a_newer_one(notify):
    item = snapshot(version=3, deadline="2027-01-31")
    notify.service.on_item_deadline_changed(envelope("item.deadline_changed", item))
    notify.service.on_item_issued(envelope("item.issued", dict(item, version=2,
                                                               deadline="2026-12-31")))
    rungs = {r["rung"] for r in notify.service.item_reminders(item["id"])["reminders"]}
    assert "2027-01-31/before-7" in rungs and "2026-12-31/before-7" not in rungs


def test_deadline_change_reschedules_and_completion_cancels(notify, clock):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    moved = dict(item, deadline="2027-01-10", version=2)
    notify.service.on_item_deadline_changed(envelope("item.deadline_changed", moved))
    statuses = {r["rung"]: r["status"] for r in notify.service.item_reminders(item["id"])["reminders"]}
    assert statuses["2026-12-31/before-7"] == "cancelled"
    assert statuses["2027-01-10/before-7"] == "pending"
    notify.service.on_item_completed(envelope("item.completed", dict(moved, status="completed",
                                                                      version=3)))
    statuses = {r["status"] for r in notify.service.item_reminders(item["id"])["reminders"]}
    assert statuses == {"cancelled"}
    clock.at = utc(2027, 1, 20)
    notify.service.tick()
    assert notify.outbox.of("reminder.sent") == []


def test_suspension_cancels_and_resumption_reschedules(notify, clock):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    notify.service.on_item_suspended(envelope("item.suspended", dict(item, status="suspended",
                                                                      version=2)))
    clock.at = utc(2026, 12, 24, 2)
    notify.service.tick()
    assert sent_rungs(notify) == []
    notify.service.on_item_resumed(envelope("item.resumed", dict(item, status="in_progress",
                                                                  version=3)))
    notify.service.tick()
    assert sent_rungs(notify) == [("2026-12-31/before-7", "responsible")]


def test_catch_up_after_downtime_sends_only_the_latest_missed_rung(notify, clock):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    clock.at = utc(2026, 12, 29, 3)   # down from before 12-24 until 12-29 11:00 local
    notify.service.tick()
    assert sent_rungs(notify) == [("2026-12-31/before-3", "responsible")]
    statuses = {r["rung"]: r["status"] for r in notify.service.item_reminders(item["id"])["reminders"]}
    assert statuses["2026-12-31/before-7"] == "superseded"


def test_catch_up_in_quiet_hours_waits_for_the_morning(notify, clock):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    clock.at = utc(2026, 12, 24, 14)   # 22:00 local: quiet
    notify.service.tick()
    assert sent_rungs(notify) == []
    clock.at = utc(2026, 12, 24, 23, 59)  # 07:59 local
    notify.service.tick()
    assert sent_rungs(notify) == []
    clock.at = utc(2026, 12, 25, 0, 0)   # 08:00 local
    notify.service.tick()
    assert sent_rungs(notify) == [("2026-12-31/before-7", "responsible")]


def test_overdue_chase_escalates_and_repeats(notify, clock):
    item = snapshot(category="urgent")
    notify.service.on_item_issued(envelope("item.issued", item))
    for day in range(1, 10):   # 01-01 ... 01-09 at 09:00 local
        clock.at = utc(2026, 12, 31, 1) + dt.timedelta(days=day)
        notify.service.tick()
    overdue = [r for r in sent_rungs(notify) if "overdue" in r[0]]
    assert overdue == [("2026-12-31/overdue-{}".format(d), role) for d, role in
                       [(1, "contact"), (2, "contact"), (3, "contact"), (4, "head"), (5, "head"),
                        (6, "head"), (7, "head"), (8, "leader"), (9, "leader")]]


def test_manual_chase_sends_now_counts_and_is_once_per_request(session, clock):
    notify = make_worker(session, clock, request_key="req-1")
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    first = notify.service.chase(item["id"], {"note": "请今天反馈"})
    assert first["status"] == "sent" and first["count"] == 1
    again = notify.service.chase(item["id"], {"note": "请今天反馈"})   # the same request again
    assert again["count"] == 1
    chases = notify.outbox.of("chase.sent")
    assert len(chases) == 1 and chases[0]["data"]["count"] == 1
    assert chases[0]["data"]["recipient"] == "139****2222"
    other = make_worker(session, clock, request_key="req-2")
    assert other.service.chase(item["id"], {"role": "head"})["count"] == 2


@pytest.mark.parametrize("payload,field", [
    ({"mobile": "12345"}, "mobile"), ({"channel": "pigeon"}, "channel"),
    ({"role": "king"}, "role"), ({"extra": 1}, "extra"),
])
def test_a_bad_chase_is_refused_and_stores_nothing(notify, session, payload, field):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    before = session.scalar(select(func.count()).select_from(Rung))
    with pytest.raises(ValidationFailed) as err:
        notify.service.chase(item["id"], payload)
    assert field in err.value.fields
    assert session.scalar(select(func.count()).select_from(Rung)) == before


def test_chasing_an_unknown_item_is_404(notify):
    with pytest.raises(NotFound):
        notify.service.chase("nope", {})


def test_ladder_through_the_api_changes_the_schedule(notify):
    item = snapshot(category="key")
    notify.service.on_item_issued(envelope("item.issued", item))
    ladder = notify.service.set_ladder("HQ", "key", {"before_days": [10, 2], "send_at": "10:30"})
    assert ladder["before_days"] == [10, 2] and ladder["overdue_every_days"] == 2
    notify.service.tick()   # replans the flagged items
    rungs = {r["rung"]: r for r in notify.service.item_reminders(item["id"])["reminders"]}
    assert rungs["2026-12-31/before-10"]["due_at"] == "2026-12-21T02:30:00Z"
    assert rungs["2026-12-31/before-7"]["status"] == "cancelled"
    assert notify.service.get_ladder("HQ", "key")["send_at"] == "10:30"


@pytest.mark.parametrize("payload,field", [
    ({"before_days": [0]}, "before_days"), ({"send_at": "25:00"}, "send_at"),
    ({"send_at": "22:00"}, "send_at"), ({"channel": "pigeon"}, "channel"),
    ({"escalation": [{"after_days": 5, "role": "head"}, {"after_days": 2, "role": "leader"}]},
     "escalation"),
    ({"escalation": [{"after_days": 1, "role": "mayor"}]}, "escalation"),
    ({"quiet_hours": {"start": "08:00", "end": "08:00"}}, "quiet_hours"),
    ({"overdue_every_days": "2"}, "overdue_every_days"),
])
def test_a_malformed_ladder_is_refused_and_nothing_stored(notify, payload, field):
    with pytest.raises(ValidationFailed) as err:
        notify.service.set_ladder("HQ", "key", payload)
    assert field in err.value.fields
    assert notify.service.get_ladder("HQ", "key")["before_days"] == [7, 3, 1]


def test_an_unknown_category_or_org_code_is_refused(notify):
    with pytest.raises(ValidationFailed):
        notify.service.set_ladder("HQ", "vip", {})
    with pytest.raises(ValidationFailed):
        notify.service.get_ladder("../etc", "key")


def test_ladders_and_templates_are_only_for_a_group_tracking_knows(notify, session):
    """The platform administrator (here the worker's caller) may name any group, asked of
    tracking; a department or an unknown code is a 404 and nothing is stored."""
    for org in ("FIN", "NOPE"):
        with pytest.raises(NotFound):
            notify.service.set_ladder(org, "key", {"before_days": [5, 2]})
        with pytest.raises(NotFound):
            notify.service.set_template(org, "before", {"text": "{number}即将到期"})
        with pytest.raises(NotFound):
            notify.service.get_ladder(org, "key")
    assert notify.service.tracking.asked == ["FIN", "FIN", "FIN", "NOPE", "NOPE", "NOPE"]
    assert session.scalar(select(func.count()).select_from(LadderConfig)) == 0
    assert session.scalar(select(func.count()).select_from(Template)) == 0
    assert notify.service.set_ladder("G2", "key", {"before_days": [5, 2]})["before_days"] == [5, 2]


def test_an_item_tracking_shows_but_notify_has_not_received_is_taken_from_tracking(notify):
    """A chase or the reminders of an item whose events have not reached notify (a new
    item, notify catching up, or its events parked): notify takes tracking's snapshot as
    an event and answers; an item unknown to tracking (or not the caller's) stays a 404."""
    item = snapshot(status="issued", version=3)
    notify.service.tracking.items[item["id"]] = item
    view = notify.service.item_reminders(item["id"])
    assert [r["rung"] for r in view["reminders"]][:3] == [
        "2026-12-31/before-7", "2026-12-31/before-3", "2026-12-31/before-1"]
    # the event that was late changes nothing (an older snapshot), a newer one applies
    notify.service.on_item_issued(envelope("item.issued", dict(item, version=2,
                                                               deadline="2026-12-20")))
    assert notify.service.item_reminders(item["id"])["reminders"][0]["rung"] \
        == "2026-12-31/before-7"
    other = snapshot(status="in_progress")
    notify.service.tracking.items[other["id"]] = other
    chased = notify.service.chase(other["id"], {"note": "请反馈"})
    assert chased["count"] == 1 and chased["recipient"] == "139****2222"
    for call in (lambda i: notify.service.chase(i, {"note": "请反馈"}),
                 lambda i: notify.service.item_reminders(i)):
        with pytest.raises(NotFound):
            call("no-such-item")
    assert notify.service.tracking.asked.count(item["id"]) == 1   # asked once, then known


def test_org_templates_change_the_text_and_bad_ones_are_refused(notify, clock, capsys):
    notify.service.set_template("HQ", "before", {"text": "{number}还有{days}天：{title}"})
    with pytest.raises(ValidationFailed):
        notify.service.set_template("HQ", "before", {"text": "{mobile}"})
    with pytest.raises(ValidationFailed):
        notify.service.set_template("HQ", "greeting", {"text": "hi"})
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    clock.at = utc(2026, 12, 28, 1)
    notify.service.tick()
    assert "DB-2026-0001还有3天：编制年度预算" in capsys.readouterr().out


def test_directory_change_moves_the_chase_to_the_new_contact(notify, clock):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    unit = {"id": 9, "code": "FIN", "name": "财务部",
            "contact": {"id": 7, "name": "钱七", "mobile": "13700007777"}}
    notify.service.on_org_unit_contact_changed(envelope("org_unit.contact_changed",
                                                        dict(unit, org_id="HQ", id="FIN")))
    notify.service.tick()
    reminders = notify.service.item_reminders(item["id"])["reminders"]
    overdue = [r for r in reminders if r["rung"] == "2026-12-31/overdue-1"]
    assert [(r["recipient"], r["status"]) for r in overdue] == [("139****2222", "cancelled"),
                                                                ("137****7777", "pending")]


def test_the_delivery_log_filters_and_pages(notify, clock):
    for n in range(3):
        notify.service.on_item_issued(envelope("item.issued", snapshot(mobile_offset=n + 1)))
    clock.at = utc(2026, 12, 24, 1)
    notify.service.tick()
    page = notify.service.list_notifications({"per_page": 2})
    assert page["total"] == 3 and len(page["notifications"]) == 2
    assert all("****" in n["recipient"] for n in page["notifications"])
    assert notify.service.list_notifications({"status": "failed"})["total"] == 0
    assert notify.service.list_notifications({"since": "2026-12-25T00:00:00Z"})["total"] == 0
    with pytest.raises(ValidationFailed):
        notify.service.list_notifications({"status": "lost"})
    with pytest.raises(ValidationFailed):
        notify.service.list_notifications({"since": "2026-12-25T00:00:00Z",
                                           "until": "2026-12-01T00:00:00Z"})


@pytest.fixture()
def fake():
    gateway = FakeSmsGateway(slow_seconds=0.6)
    yield gateway
    gateway.close()


def sms_worker(session, clock, fake, channel, **over):
    settings = fake.settings(NOTIFY_CHANNEL=channel)
    return make_worker(session, clock, settings, **over)


@pytest.mark.parametrize("channel", ["http", "aliyun", "tencent"])
def test_retryable_failures_back_off_then_send_once(session, clock, fake, channel):
    notify = sms_worker(session, clock, fake, channel)
    notify.service.on_item_issued(envelope("item.issued", snapshot()))
    fake.script = ["5xx", "throttle"]
    clock.at = utc(2026, 12, 24, 1)
    notify.service.tick()
    clock.at += dt.timedelta(seconds=29)
    notify.service.tick()                 # still backing off (30 s)
    assert fake.attempts == 1
    clock.at += dt.timedelta(seconds=1)
    notify.service.tick()
    assert fake.attempts == 2
    clock.at += dt.timedelta(seconds=60)
    notify.service.tick()
    assert len(fake.messages) == 1 and fake.bad_signatures == 0
    log = notify.service.list_notifications({})["notifications"]
    assert [n["status"] for n in reversed(log)] == ["retry", "retry", "sent"]
    assert len(notify.outbox.of("reminder.sent")) == 1


@pytest.mark.parametrize("channel", ["http", "aliyun", "tencent"])
def test_a_permanent_error_fails_at_once(session, clock, fake, channel):
    notify = sms_worker(session, clock, fake, channel)
    notify.service.on_item_issued(envelope("item.issued", snapshot()))
    fake.script = ["permanent"]
    clock.at = utc(2026, 12, 24, 1)
    notify.service.tick()
    clock.at += dt.timedelta(hours=1)
    notify.service.tick()
    assert fake.attempts == 1
    failed = notify.outbox.of("reminder.failed")
    assert len(failed) == 1 and failed[0]["data"]["error"]


@pytest.mark.parametrize("behaviour,delivered", [("timeout_delivered", 1), ("timeout_lost", 1)])
def test_an_ambiguous_send_is_resolved_by_the_provider_never_blindly(session, clock, fake,
                                                                    behaviour, delivered):
    notify = sms_worker(session, clock, fake, "aliyun")
    notify.service.on_item_issued(envelope("item.issued", snapshot()))
    fake.script = [behaviour]
    clock.at = utc(2026, 12, 24, 1)
    notify.service.tick()
    assert fake.attempts == 1
    clock.at += dt.timedelta(minutes=5)
    notify.service.tick()   # lookup: delivered -> sent; not found -> pending, sent now
    clock.at += dt.timedelta(minutes=1)
    notify.service.tick()
    assert len(fake.messages) == delivered
    assert len(notify.outbox.of("reminder.sent")) == 1
    assert fake.attempts == (1 if behaviour == "timeout_delivered" else 2)


def test_the_daily_cap_defers_to_the_next_day(session, clock, fake):
    notify = sms_worker(session, clock, fake, "http", daily_cap=2)
    for n in range(3):   # three items, the same responsible person
        notify.service.on_item_issued(envelope("item.issued", snapshot()))
    clock.at = utc(2026, 12, 24, 1)
    notify.service.tick()
    assert len(fake.messages) == 2
    clock.at = utc(2026, 12, 25, 1)
    notify.service.tick()
    assert len(fake.messages) == 3


def test_an_item_suspended_while_notify_was_down_gets_its_latest_rung_on_resumption(notify,
                                                                                   clock):
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    # down over the before-7 slot; on restart the item turns out to be suspended
    clock.at = utc(2026, 12, 24, 6)
    notify.service.on_item_suspended(envelope("item.suspended", dict(item, status="suspended",
                                                                      version=2)))
    notify.service.tick()
    assert sent_rungs(notify) == []
    clock.at = utc(2026, 12, 25, 2)
    notify.service.on_item_resumed(envelope("item.resumed", dict(item, version=3)))
    notify.service.tick()
    assert sent_rungs(notify) == [("2026-12-31/before-7", "responsible")]


def test_feedback_reminders_reach_the_contact_and_stop_once_feedback_moves_on(notify, clock):
    item = snapshot(feedback_due_on="2026-12-10")
    notify.service.on_item_issued(envelope("item.issued", item))
    clock.at = utc(2026, 12, 10, 1)
    notify.service.tick()
    assert sent_rungs(notify) == [("feedback/2026-12-10", "contact")]
    # feedback submitted: the next due date is a month later; the late reminder is off
    notify.service.on_item_feedback_submitted(envelope("item.feedback_submitted", dict(
        item, feedback_due_on="2027-01-10", version=2)))
    clock.at = utc(2026, 12, 11, 1)
    notify.service.tick()
    assert sent_rungs(notify) == [("feedback/2026-12-10", "contact")]
    statuses = {r["rung"]: r["status"] for r in notify.service.item_reminders(item["id"])["reminders"]}
    assert statuses["feedback-late/2026-12-10"] == "cancelled"
    assert statuses["feedback/2027-01-10"] == "pending"


def test_late_feedback_is_chased_the_next_day(notify, clock):
    item = snapshot(feedback_due_on="2026-12-10")
    notify.service.on_item_issued(envelope("item.issued", item))
    for day in (10, 11, 12):
        clock.at = utc(2026, 12, day, 1)
        notify.service.tick()
    assert sent_rungs(notify) == [("feedback/2026-12-10", "contact"),
                                  ("feedback-late/2026-12-10", "contact")]


def test_the_delivery_log_filters_by_department_and_channel(notify, clock):
    notify.service.on_item_issued(envelope("item.issued", snapshot(dept="FIN")))
    notify.service.on_item_issued(envelope("item.issued", snapshot(dept="HR", mobile_offset=1)))
    clock.at = utc(2026, 12, 24, 1)
    notify.service.tick()
    assert notify.service.list_notifications({"department": "HR"})["total"] == 1
    assert notify.service.list_notifications({"channel": "console"})["total"] == 2
    assert notify.service.list_notifications({"channel": "aliyun"})["total"] == 0


def test_rebuild_reads_the_event_log_before_anything_is_sent(session, clock):
    from services.notify.models import State
    from shared.errors import ServiceUnavailable

    notify = make_worker(session, clock)
    notify.service.config["NOTIFY_REBUILD"] = "on"
    item = snapshot()
    log = [dict(envelope("item.issued", item), seq=1),
           dict(envelope("item.completed", dict(item, status="completed", version=2)), seq=2)]
    pages = {0: {"events": log, "next_after": 2}, 2: {"events": [], "next_after": 2}}
    calls = []

    def fetch(query):
        calls.append(query["after"])
        if len(calls) == 1:
            raise ServiceUnavailable("The tracking service is not running")
        return pages[query["after"]]
    notify.service.fetch_events = fetch
    clock.at = utc(2026, 12, 24, 1)
    assert notify.service.tick() == {"rebuild": "waiting"}      # tracking down: wait
    assert notify.service.tick() == {"rebuilt": 2}
    assert session.get(State, "rebuild_cursor").value == "done"
    view = notify.service.item_reminders(item["id"])
    assert {r["status"] for r in view["reminders"]} == {"cancelled"}
    notify.service.tick()
    assert notify.outbox.of("reminder.sent") == []              # the completed item is quiet
    # a live event already applied during the rebuild counts once
    assert notify.service.on_item_completed(log[1]) is None


def test_the_deployment_calendar_applies_under_a_group_table(notify, clock):
    notify.service.set_ladder("HQ", "*", {"workdays_only": True})
    # tracking's calendar.updated: the deployment's table ("*") and the group's own
    notify.service.on_calendar_updated(envelope("calendar.updated", {
        "id": "*/2026", "org": "*", "year": 2026, "known": True,
        "days": [{"date": "2026-12-24", "kind": "holiday", "name": "全员休假"},
                 {"date": "2026-12-23", "kind": "holiday", "name": "全员休假"}]}))
    notify.service.on_calendar_updated(envelope("calendar.updated", {
        "id": "HQ/2026", "org": "HQ", "year": 2026, "known": True,
        "days": [{"date": "2026-12-23", "kind": "workday", "name": "调休上班"}]}))
    item = snapshot()
    notify.service.on_item_issued(envelope("item.issued", item))
    rungs = {r["rung"]: r for r in notify.service.item_reminders(item["id"])["reminders"]}
    # before-7 falls on 12-24 (a holiday for everyone): it moves to 12-23, which HQ works
    assert rungs["2026-12-31/before-7"]["due_at"] == "2026-12-23T01:00:00Z"
