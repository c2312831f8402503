"""The ledger's signal (红黄绿) and the dashboard's aggregation, as pure functions."""
import datetime as dt

from services.tracking.domain import dashboard

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def row(number, status, deadline, code="FIN", completed_on=None, due_by=None):
    return {"id": "id-" + number, "number": number, "title": "事项" + number, "status": status,
            "deadline": deadline, "due_by": due_by or deadline, "completed_on": completed_on,
            "code": code, "name": {"FIN": "财务部", "HR": "人力资源部"}[code]}


def days(n):
    return TODAY + dt.timedelta(days=n)


def test_signal_is_red_when_overdue_yellow_within_seven_days_green_otherwise():
    assert dashboard.signal("in_progress", days(-1), TODAY) == "red"
    assert dashboard.signal("in_progress", TODAY, TODAY) == "yellow"   # due today: not late yet
    assert dashboard.signal("issued", days(6), TODAY) == "yellow"
    assert dashboard.signal("issued", days(7), TODAY) == "green"
    assert dashboard.signal("completion_requested", days(30), TODAY) == "green"


def test_signal_of_a_suspended_or_closed_item():
    assert dashboard.signal("suspended", days(-5), TODAY) == "green"  # its clock is stopped
    assert dashboard.signal("suspended", days(2), TODAY) == "green"
    for status in ("completed", "evaluated", "cancelled"):
        assert dashboard.signal(status, days(-5), TODAY) == "none"


def test_departments_count_on_time_late_open_and_overdue():
    rows = [row("1", "completed", days(-10), completed_on=days(-11)),
            row("2", "evaluated", days(-10), completed_on=days(-10)),
            row("3", "completed", days(-10), completed_on=days(-9)),
            row("4", "in_progress", days(-1)),
            row("5", "issued", days(3)),
            row("6", "suspended", days(-3)),
            row("7", "cancelled", days(-3)),
            row("8", "in_progress", days(-2), code="HR"),
            row("9", "in_progress", days(-9), code="HR")]
    table = dashboard.by_department(rows, TODAY, dashboard.window_start(TODAY))
    assert table == [
        {"code": "HR", "name": "人力资源部", "on_time": 0, "late": 0, "open": 0, "overdue": 2,
         "total": 2},
        {"code": "FIN", "name": "财务部", "on_time": 2, "late": 1, "open": 2, "overdue": 1,
         "total": 6}]


def test_on_time_is_measured_against_the_day_it_was_due():
    # due on a Saturday, moved to Monday: completed on Monday is on time
    moved = row("1", "completed", dt.date(2026, 11, 14), completed_on=dt.date(2026, 11, 16),
                due_by=dt.date(2026, 11, 16))
    assert dashboard.on_time(moved)
    assert not dashboard.on_time(dict(moved, completed_on=dt.date(2026, 11, 17)))


def test_completed_items_due_before_the_window_are_left_out_open_ones_stay():
    old = dt.date(2025, 1, 10)
    rows = [row("1", "completed", old, completed_on=old), row("2", "in_progress", old)]
    table = dashboard.by_department(rows, TODAY, dashboard.window_start(TODAY))
    assert table[0]["on_time"] == 0 and table[0]["overdue"] == 1


def test_trend_has_twelve_months_oldest_first_with_due_and_on_time():
    rows = [row("1", "completed", dt.date(2026, 11, 3), completed_on=dt.date(2026, 11, 2)),
            row("2", "completed", dt.date(2026, 11, 5), completed_on=dt.date(2026, 11, 6)),
            row("3", "in_progress", dt.date(2026, 11, 30)),
            row("4", "cancelled", dt.date(2026, 11, 30)),
            row("5", "evaluated", dt.date(2025, 12, 31), completed_on=dt.date(2025, 12, 1)),
            row("6", "completed", dt.date(2025, 11, 30), completed_on=dt.date(2025, 11, 1)),
            row("7", "issued", dt.date(2027, 1, 10))]
    trend = dashboard.trend(rows, TODAY)
    assert [m["month"] for m in trend][:2] == ["2025-12", "2026-01"] and len(trend) == 12
    assert trend[-1] == {"month": "2026-11", "due": 3, "on_time": 1}
    assert trend[0] == {"month": "2025-12", "due": 1, "on_time": 1}
    assert sum(m["due"] for m in trend) == 4  # 2025-11 and 2027-01 fall outside


def test_month_start_crosses_years():
    assert dashboard.month_start(dt.date(2026, 2, 27), 2) == dt.date(2025, 12, 1)
    assert dashboard.window_start(dt.date(2026, 1, 31)) == dt.date(2025, 2, 1)


def test_summary_lists_overdue_and_due_soon_items_most_urgent_first():
    rows = [row("A", "in_progress", days(-1)), row("B", "in_progress", days(-8)),
            row("C", "issued", days(5)), row("D", "issued", days(1)),
            row("E", "issued", days(20)), row("F", "completed", days(-3), completed_on=days(-4))]
    s = dashboard.summary(rows, TODAY)
    assert s["overdue_count"] == 2 and s["due_soon_count"] == 2
    assert [i["number"] for i in s["overdue"]] == ["B", "A"]
    assert [(i["number"], i["days"]) for i in s["due_soon"]] == [("D", 1), ("C", 5)]
    assert s["overdue"][0]["lead_department"] == {"code": "FIN", "name": "财务部"}
    assert s["since"] == "2025-12-01" and s["as_of"] == TODAY.isoformat()
