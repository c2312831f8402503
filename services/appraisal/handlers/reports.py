"""The monthly report (月度通报): on demand, and made by the timer on the first working day."""
from sqlalchemy import select

from shared.calendar import OfficeCalendar
from shared.clock import utc_iso

from .. import queries
from ..domain import periods, report
from ..models import CalendarDay, MonthlyReport, OrgUnit
from .common import organisations, resolve_org, rule_errors


def _report_rows(session, org, is_group, period, previous, as_of):
    """The department rows of `period` and of the month before, from one pass."""
    now, before = queries.report_department_facts(session, org, is_group, period, previous,
                                                  as_of)
    return tuple({code: dict(report.row(entry["facts"]), code=code, name=entry["name"],
                             subsidiary=entry["subsidiary"]) for code, entry in facts.items()}
                 for facts in (now, before))


def _unit_name(session, code):
    unit = session.get(OrgUnit, code) if code else None
    return unit.name if unit else code


@rule_errors
def monthly_report(uow, org, month):
    """月度通报 of `month` (YYYY-MM) for `org`, as of today."""
    session = uow.session
    period = periods.parse_month(month)
    org, is_group, org_name = resolve_org(session, org)
    as_of = uow.clock.today()
    periods.check_begun(period, as_of, "month")
    previous = periods.previous_month(period)
    rows, before = _report_rows(session, org, is_group, period, previous, as_of)
    departments = []
    for code in sorted(rows, key=lambda c: (rows[c]["subsidiary"] or "", c)):
        row = rows[code]
        row["previous_on_time_rate"] = before.get(code, {}).get("on_time_rate")
        row["change"] = report.change(row, before.get(code))
        departments.append(row)
    subsidiaries = []
    for sub in sorted({r["subsidiary"] for r in departments if r["subsidiary"]}):
        now = report.total([r for r in departments if r["subsidiary"] == sub])
        was = report.total([r for r in before.values() if r["subsidiary"] == sub])
        subsidiaries.append(dict(now, code=sub, name=_unit_name(session, sub),
                                 previous_on_time_rate=was["on_time_rate"],
                                 change=report.change(now, was)))
    total = report.total(departments)
    was_total = report.total(list(before.values()))
    total.update(previous_on_time_rate=was_total["on_time_rate"],
                 change=report.change(total, was_total))
    content = {"org": org, "org_name": org_name, "month": period.label,
               "previous_month": previous.label, "as_of": as_of.isoformat(),
               "departments": departments, "subsidiaries": subsidiaries, "total": total,
               "overdue": queries.overdue_items(session, org, is_group, period, as_of)}
    content["summary"] = summary(content)
    return content


def summary(content):
    """The report's opening paragraph, in the office's words."""
    t = content["total"]
    year, month = content["month"].split("-")
    text = ("{}年{}月，{}到期督办事项{}项，按期完成{}项，逾期完成{}项，逾期未完成{}项，"
            "按期完成率{}。").format(year, int(month), content["org_name"], t["due"], t["on_time"],
                                t["late"], t["overdue_open"], percent(t["on_time_rate"]))
    if t["change"] is not None:
        direction = "上升" if t["change"] > 0 else "下降" if t["change"] < 0 else "持平"
        text += "较上月{}{}。".format(direction, "" if t["change"] == 0 else
                                   "{}个百分点".format(abs(t["change"])))
    return text


def percent(value):
    return "—" if value is None else "{:.2f}%".format(value)


def calendar_for(session, org):
    rows = session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)
                           .where(CalendarDay.org_id == org)).all()
    return OfficeCalendar.from_rows([{"date": d, "kind": k, "name": n} for d, k, n in rows])


def publish_due_reports(uow):
    """The timer: once this month's first working day has come (office calendar), make and
    publish last month's report for every group that has none yet. Catches up after a
    stop; a report already made is never made again (unique per group and month)."""
    made = []
    today = uow.clock.today()
    for org in organisations(uow.session):
        calendar = calendar_for(uow.session, org)
        period = periods.report_due(today, lambda d: calendar.is_workday(d)[0])
        if period is None:
            continue
        if uow.session.scalar(select(MonthlyReport.id).where(
                MonthlyReport.org_id == org, MonthlyReport.month == period.label)) is not None:
            continue
        with uow:
            made.append(publish_report(uow, org, period.label))
    return made


def publish_report(uow, org, month):
    content = monthly_report(uow, org, month)
    row = MonthlyReport(org_id=content["org"], month=content["month"], made_at=uow.clock.now(),
                        content=content)
    uow.session.add(row)
    uow.session.flush()
    uow.emit("report.published", dict(content, id=row.id, made_at=utc_iso(row.made_at)),
             subject_id="{}:{}".format(content["org"], content["month"]), org_id=content["org"])
    return {"id": row.id, "org": row.org_id, "month": row.month}


def list_reports(uow, org=None):
    q = select(MonthlyReport).order_by(MonthlyReport.month.desc(), MonthlyReport.org_id)
    if org:
        q = q.where(MonthlyReport.org_id == org)
    return [{"id": r.id, "org": r.org_id, "month": r.month, "made_at": utc_iso(r.made_at)}
            for r in uow.session.scalars(q.limit(200))]
