"""A simulated 10-day run: a few thousand items with mixed deadlines and categories,
extensions, completions, suspensions and resumptions, a holiday in an organisation that
counts working days only, and a notify restart that spans the quiet hours. Every reminder
sent is compared with an oracle written independently of notify's planner, from the
rules as the issue states them. NOTIFY_SIM_ITEMS sets the number of items.
"""
import datetime as dt
import functools
import os
import random
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from services.notify.channels.base import DELIVERED, NOT_FOUND, SENT, Channel, Result
from services.notify.models import Base
from tests.notify.helpers import envelope, make_worker, snapshot, utc
from shared.clock import FixedClock

TZ = ZoneInfo("Asia/Shanghai")
START = utc(2026, 12, 20, 0, 0)           # 08:00 local, Sunday
END = START + dt.timedelta(days=10)
STEP = dt.timedelta(minutes=15)
DOWN_FROM = utc(2026, 12, 23, 12, 7)      # 20:07 local
DOWN_TO = utc(2026, 12, 24, 14, 0)        # 22:00 local: the restart is inside the quiet hours
HOLIDAY = dt.date(2026, 12, 25)           # SUB's office calendar
EVERY = {"urgent": 1, "key": 2, "difficult": 2, "routine": 3}


class RecordingSms(Channel):
    """A quiet channel for the simulation: keeps every message it was given."""

    name = "sim"

    def configure(self, settings):
        super().configure(settings)
        self.sent = []
        return self

    def send(self, message):
        self.sent.append(message)
        return Result(SENT, provider_id="p-" + message.out_id)

    def lookup(self, message):
        return DELIVERED if any(m.out_id == message.out_id for m in self.sent) else NOT_FOUND


# ---- the oracle: the rules, restated without notify's code
def local(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ) \
        .astimezone(dt.timezone.utc)


def working(org, day):
    return org != "SUB" or (day.weekday() < 5 and day != HOLIDAY)


@functools.lru_cache(maxsize=None)  # a pure function of its arguments, asked at every tick
def oracle_slots(org, category, deadline):
    """[(key, slot, release, role)] of the deadline series, as the issue describes them."""
    slots = []
    for n in (7, 3, 1):
        day = deadline - dt.timedelta(days=n)
        while not working(org, day):
            day -= dt.timedelta(days=1)    # a warning moves earlier, never past the deadline
        slots.append(("{}/before-{}".format(deadline, n), local(day, 9), local(day, 9),
                      "responsible"))
    d = 1
    while deadline + dt.timedelta(days=d) <= END.astimezone(TZ).date() + dt.timedelta(days=1):
        day = deadline + dt.timedelta(days=d)
        release = local(day, 9)
        while not working(org, release.astimezone(TZ).date()):
            nxt = release.astimezone(TZ).date() + dt.timedelta(days=1)
            release = local(nxt, 8)        # deferred to the next working morning
        role = "contact" if d < 4 else "head" if d < 8 else "leader"
        slots.append(("{}/overdue-{}".format(deadline, d), local(day, 9), release, role))
        d += EVERY[category]
    return slots


def quiet(moment):
    t = moment.astimezone(TZ).time()
    return t >= dt.time(21) or t < dt.time(8)


def oracle(items, ticks):
    """{(item id, rung key): sent at} expected."""
    expected = {}
    # the moments notify may send at, per organisation: up, not quiet, a working day there
    open_ticks = {org: [t for t in ticks if not DOWN_FROM <= t < DOWN_TO and not quiet(t)
                        and working(org, t.astimezone(TZ).date())]
                  for org in {item["org"] for item in items}}
    for item in items:
        sent = set()
        for t in open_ticks[item["org"]]:
            status, deadline = item["state_at"](t)
            if status not in ("issued", "in_progress"):
                continue
            due = [s for s in oracle_slots(item["org"], item["category"], deadline)
                   if s[2] <= t]
            if not due:
                continue
            latest = max(due, key=lambda s: s[1])
            if latest[0] not in sent:
                sent.add(latest[0])
                expected[(item["id"], latest[0])] = (t, latest[3])
    return expected


# ---- the world: items and what happens to them
def make_items(count, rng):
    items = []
    for n in range(count):
        org = "SUB" if n % 4 == 0 else "HQ"
        category = ("routine", "urgent", "key", "difficult")[n % 4 if n % 3 else (n // 3) % 4]
        deadline = START.date() + dt.timedelta(days=rng.randint(-6, 16))
        timeline = [(START - dt.timedelta(days=30), "in_progress", deadline)]
        fate = rng.random()
        when = START + dt.timedelta(minutes=rng.randrange(0, 10 * 24 * 60, 5))
        if fate < 0.15:
            timeline.append((when, "in_progress", deadline + dt.timedelta(days=rng.randint(3, 20))))
        elif fate < 0.30:
            timeline.append((when, "completed", deadline))
        elif fate < 0.40:
            timeline.append((when, "suspended", deadline))
            back = when + dt.timedelta(hours=rng.randint(6, 96))
            if rng.random() < 0.6:
                timeline.append((back, "in_progress", deadline))
        elif fate < 0.45:
            timeline.append((when, "cancelled", deadline))

        def state_at(t, timeline=timeline):
            current = timeline[0]
            for change in timeline:
                if change[0] <= t:
                    current = change
            return current[1], current[2]

        items.append({"id": "item-{:05d}".format(n), "org": org, "category": category,
                      "timeline": timeline, "state_at": state_at,
                      "mobile_offset": n % 500 + 1})
    return items


def item_event(item, index, version):
    _, status, deadline = item["timeline"][index]
    types = {"in_progress": "item.accepted" if index == 0 else "item.resumed",
             "completed": "item.completed", "suspended": "item.suspended",
             "cancelled": "item.cancelled"}
    kind = types[status]
    if index > 0 and status == "in_progress" and item["timeline"][index - 1][1] == "in_progress":
        kind = "item.deadline_changed"
    data = snapshot(item_id=item["id"], status=status, deadline=deadline.isoformat(),
                    category=item["category"], version=version, org_id=item["org"],
                    mobile_offset=item["mobile_offset"])
    return envelope(kind, data)


@pytest.fixture()
def db(tmp_path):
    engine = create_engine("sqlite:///{}".format(tmp_path / "sim.db"))
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def start_notify(engine, clock):
    channel = RecordingSms().configure({})
    session = Session(engine, expire_on_commit=False)
    worker = make_worker(session, clock, {"NOTIFY_CHANNEL": "sim"}, channels={"sim": channel},
                         daily_cap=0)
    return worker, channel, session


def test_ten_days_of_reminders_are_exactly_the_expected_ones(db):
    rng = random.Random(20261220)
    items = make_items(int(os.environ.get("NOTIFY_SIM_ITEMS", 2000)), rng)
    ticks = []
    t = START
    while t < END:
        ticks.append(t)
        t += STEP
    clock = FixedClock(START)
    notify, channel, session = start_notify(db, clock)
    notify.service.set_ladder("SUB", "*", {"workdays_only": True})
    notify.service.on_calendar_updated(envelope("calendar.updated", {
        "id": "cal-SUB-2026", "org": "SUB", "year": 2026, "known": True,
        "days": [{"date": HOLIDAY.isoformat(), "kind": "holiday", "name": "公司纪念日"}]}))
    # events in time order (a few delivered twice, as a broker may)
    events = []
    for item in items:
        for index, change in enumerate(item["timeline"]):
            events.append((max(change[0], START - dt.timedelta(days=1)), index, item))
    events.sort(key=lambda e: (e[0], e[2]["id"], e[1]))
    pending = list(events)
    sent_log = []
    for t in ticks:
        if DOWN_FROM <= t < DOWN_TO:
            continue
        clock.at = t
        while pending and pending[0][0] <= t:
            _, index, item = pending.pop(0)
            event = item_event(item, index, version=index + 1)
            handler = getattr(notify.service, "on_" + event["type"].replace(".", "_"))
            handler(event)
            if rng.random() < 0.02:
                handler(event)   # redelivered
        notify.service.tick()
        if t + STEP >= DOWN_FROM and t < DOWN_FROM:
            # notify goes down; it comes back as a new process on the same database
            sent_log += [e for e in notify.outbox.of("reminder.sent")]
            session.close()
            clock = FixedClock(DOWN_TO)
            notify, channel, session = start_notify(db, clock)
    sent_log += notify.outbox.of("reminder.sent")
    session.close()

    expected = oracle(items, ticks)
    got = {}
    for e in sent_log:
        key = (e["data"]["item_id"], e["data"]["rung"])
        assert key not in got, "sent twice: {}".format(key)
        got[key] = (dt.datetime.fromisoformat(e["data"]["sent_at"]), e["data"]["role"])
    missing = sorted(set(expected) - set(got))[:5]
    extra = sorted(set(got) - set(expected))[:5]
    assert not missing and not extra, (missing, extra)
    wrong = [(k, got[k], expected[k]) for k in expected if got[k] != expected[k]][:5]
    assert not wrong
    # the run exercised what it claims to
    kinds = {k[1].split("/")[1].split("-")[0] for k in got}
    assert kinds == {"before", "overdue"}
    roles = {v[1] for v in got.values()}
    assert roles == {"responsible", "contact", "head", "leader"}
    at_restart = [k for k, v in got.items() if v[0] == utc(2026, 12, 25, 0, 0)]
    assert at_restart, "the restart in quiet hours deferred its catch-up to 08:00"
    assert len(got) > len(items)
