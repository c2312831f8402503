"""The reminder ladder, hand-computed (Asia/Shanghai is UTC+8: 09:00 local is 01:00 UTC)."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.notify.domain.ladder import (Ladder, default_ladder, escalation_role,
                                           in_quiet_hours, ladder_from_dict)
from services.notify.domain.plan import ItemFacts, plan, recipient, release_time
from shared.calendar import OfficeCalendar

TZ = ZoneInfo("Asia/Shanghai")
PEOPLE = (("responsible", {"id": 1, "name": "张三", "mobile": "13900001111"}),
          ("contact", {"id": 2, "name": "李四", "mobile": "13900002222"}),
          ("head", {"id": 3, "name": "王五", "mobile": "13900003333"}),
          ("leader", {"id": 4, "name": "赵六", "mobile": "13900004444"}))


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def facts(deadline=dt.date(2026, 12, 31), category="routine", status="in_progress", **kw):
    return ItemFacts(id="i1", deadline=deadline, category=category, status=status,
                     people=kw.pop("people", PEOPLE), **kw)


def keys(rungs):
    return [(r.key, r.role, r.due_at) for r in rungs]


def test_default_ladder_well_before_the_deadline():
    rungs = plan(facts(), default_ladder("routine"), utc(2026, 12, 1), TZ)
    assert keys(rungs) == [
        ("2026-12-31/before-7", "responsible", utc(2026, 12, 24, 1)),
        ("2026-12-31/before-3", "responsible", utc(2026, 12, 28, 1)),
        ("2026-12-31/before-1", "responsible", utc(2026, 12, 30, 1)),
        ("2026-12-31/overdue-1", "contact", utc(2027, 1, 1, 1)),
    ]


@pytest.mark.parametrize("status", ["registered", "completion_requested", "completed",
                                    "evaluated", "suspended", "cancelled"])
def test_items_not_being_worked_on_get_no_rungs(status):
    assert plan(facts(status=status), default_ladder("routine"), utc(2026, 12, 1), TZ) == []


def test_catch_up_keeps_only_the_latest_missed_rung_of_a_series():
    # notify was down from 12-20 to 12-29 10:00 local: before-7 and before-3 were missed
    rungs = plan(facts(), default_ladder("routine"), utc(2026, 12, 29, 2), TZ)
    assert [r.key for r in rungs] == ["2026-12-31/before-3", "2026-12-31/before-1",
                                      "2026-12-31/overdue-1"]


@pytest.mark.parametrize("category,now,expected", [
    # urgent: daily. On 01-05 10:00 local, 5 days overdue; due: overdue-5, next overdue-6
    ("urgent", utc(2027, 1, 5, 2), ["2026-12-31/overdue-5", "2026-12-31/overdue-6"]),
    # key: every 2 days -> 1, 3, 5, 7
    ("key", utc(2027, 1, 5, 2), ["2026-12-31/overdue-5", "2026-12-31/overdue-7"]),
    ("difficult", utc(2027, 1, 4, 2), ["2026-12-31/overdue-3", "2026-12-31/overdue-5"]),
    # routine: every 3 days -> 1, 4, 7; on 01-06 08:00 local overdue-7 is not yet due
    ("routine", utc(2027, 1, 7, 0), ["2026-12-31/overdue-4", "2026-12-31/overdue-7"]),
])
def test_overdue_chase_repeats_by_category(category, now, expected):
    assert [r.key for r in plan(facts(category=category), default_ladder(category), now, TZ)] \
        == expected


def test_overdue_chase_escalates_contact_head_leader():
    ladder = default_ladder("urgent")
    assert [escalation_role(ladder, d) for d in (1, 3, 4, 7, 8, 30)] == \
        ["contact", "contact", "head", "head", "leader", "leader"]
    rungs = plan(facts(category="urgent"), ladder, utc(2027, 1, 8, 2), TZ)
    assert [(r.key, r.role) for r in rungs] == [("2026-12-31/overdue-8", "leader"),
                                                ("2026-12-31/overdue-9", "leader")]


def test_missing_head_falls_back_to_the_contact():
    people = tuple(p for p in PEOPLE if p[0] != "head")
    role, person = recipient(facts(people=people), "head")
    assert (role, person["name"]) == ("contact", "李四")


def test_feedback_due_and_late_go_to_the_contact():
    f = facts(feedback_due_on=dt.date(2026, 12, 10))
    rungs = [r for r in plan(f, default_ladder("routine"), utc(2026, 12, 1), TZ)
             if r.series == "feedback"]
    assert keys(rungs) == [("feedback/2026-12-10", "contact", utc(2026, 12, 10, 1)),
                           ("feedback-late/2026-12-10", "contact", utc(2026, 12, 11, 1))]
    # once late, only the late reminder still makes sense
    late = [r.key for r in plan(f, default_ladder("routine"), utc(2026, 12, 12), TZ)
            if r.series == "feedback"]
    assert late == ["feedback-late/2026-12-10"]


def test_a_deadline_change_makes_new_rungs():
    before = {r.key for r in plan(facts(), default_ladder("routine"), utc(2026, 12, 1), TZ)}
    after = {r.key for r in plan(facts(deadline=dt.date(2027, 1, 15)), default_ladder("routine"),
                                 utc(2026, 12, 1), TZ)}
    assert before.isdisjoint(after)
    assert "2027-01-15/before-7" in after


def test_quiet_hours_defer_a_slot_to_their_end():
    ladder = Ladder(send_at=dt.time(22, 30), quiet_start=dt.time(21, 0), quiet_end=dt.time(8, 0))
    rungs = plan(facts(), ladder, utc(2026, 12, 1), TZ)
    # 12-24 22:30 local is quiet: it leaves 12-25 08:00 local = 00:00 UTC
    assert rungs[0].slot == utc(2026, 12, 24, 14, 30)
    assert rungs[0].due_at == utc(2026, 12, 25, 0, 0)


@pytest.mark.parametrize("local,expected_local", [
    ((2026, 12, 24, 23, 0), (2026, 12, 25, 8, 0)),   # before midnight -> next morning
    ((2026, 12, 25, 3, 0), (2026, 12, 25, 8, 0)),    # after midnight -> same morning
    ((2026, 12, 25, 8, 0), (2026, 12, 25, 8, 0)),    # the end of the quiet hours is awake
    ((2026, 12, 25, 20, 59), (2026, 12, 25, 20, 59)),
])
def test_release_time_around_quiet_hours(local, expected_local):
    moment = dt.datetime(*local, tzinfo=TZ)
    assert release_time(moment, Ladder(), TZ) == dt.datetime(*expected_local, tzinfo=TZ)


def test_quiet_hours_inside_one_day():
    ladder = Ladder(quiet_start=dt.time(12, 0), quiet_end=dt.time(14, 0))
    assert in_quiet_hours(ladder, dt.time(12, 30)) and not in_quiet_hours(ladder, dt.time(14, 0))


def test_working_days_only_moves_warnings_earlier_and_chases_later():
    # 2027-01-01 is a holiday in the office table; 01-02/01-03 a weekend
    cal = OfficeCalendar({dt.date(2027, 1, 1): ("holiday", "元旦"),
                          dt.date(2027, 1, 2): ("holiday", None),
                          dt.date(2027, 1, 3): ("holiday", None)})
    ladder = Ladder(workdays_only=True, before_days=(3,), overdue_every_days=1)
    f = facts(deadline=dt.date(2027, 1, 4))  # before-3 falls on 01-01
    rungs = plan(f, ladder, utc(2026, 12, 1), TZ, cal)
    assert keys(rungs)[0] == ("2027-01-04/before-3", "responsible", utc(2026, 12, 31, 1))
    # a chase on a holiday leaves the next working day at the end of the quiet hours
    chase = [r for r in plan(facts(deadline=dt.date(2026, 12, 31)), ladder, utc(2026, 12, 31, 2),
                             TZ, cal) if r.kind == "overdue"]
    assert (chase[0].key, chase[0].due_at) == ("2026-12-31/overdue-1", utc(2027, 1, 4, 0))


def test_ladder_from_api_data_and_its_errors():
    ladder = ladder_from_dict({"before_days": [1, 5, 5], "send_at": dt.time(10, 0),
                               "escalation": [{"after_days": 1, "role": "contact"},
                                              {"after_days": 2, "role": "leader"}]}, "key")
    assert ladder.before_days == (5, 1) and ladder.overdue_every_days == 2
    assert escalation_role(ladder, 2) == "leader"
    with pytest.raises(ValueError) as err:
        ladder_from_dict({"escalation": [{"after_days": 3, "role": "contact"},
                                         {"after_days": 2, "role": "head"}]}, "key")
    assert "escalation" in err.value.args[0]
    with pytest.raises(ValueError) as err:
        ladder_from_dict({"send_at": dt.time(22, 0)}, "routine")
    assert "send_at" in err.value.args[0]
