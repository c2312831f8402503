"""Use cases of the appraisal service: take validated input and a unit of work, return views.

Each writing use case runs inside `with uow:` and commits once: the change and its
outbox event land together or not at all.
"""
import datetime as dt
import uuid

from sqlalchemy import delete, exists, func, select

from shared import errors
from shared.calendar import OfficeCalendar
from shared.clock import utc_iso

from . import projection, queries
from .domain import accountability, periods, report, scoring
from .domain.errors import RuleViolation
from .domain.outcomes import rate
from .models import (AccountabilityRecord, Adjustment, Appraisal, AppraisalRow, CalendarDay,
                     InboxEntry, ItemOutcome, MonthlyReport, OrgUnit, OrgWeights, ProjectionCursor)


def rule_errors(fn):
    """The rules' refusals become the common 422."""
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RuleViolation as exc:
            raise errors.ValidationFailed(exc.message, exc.fields)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


# ---------------------------------------------------------------- the projection

def apply_event(uow, envelope):
    """Project one tracking event (the inbox claim is the caller's, in the same transaction:
    shared.consumer.reliable_handler)."""
    with uow:
        projection.apply(uow.session, envelope)


def projection_is_empty(session):
    return (session.scalar(select(ItemOutcome.id).limit(1)) is None
            and session.scalar(select(OrgUnit.code).limit(1)) is None)


def rebuild_step(uow, fetch, consumer_of, page=500):
    """One page of the rebuild from tracking's event log; True when the log is read to its end.

    Started only on an empty projection; each event is claimed in the inbox under the
    consumer name its live handler uses (`consumer_of(type)`), so an event read here and
    delivered live is applied once.
    """
    with uow:
        cursor = uow.session.get(ProjectionCursor, "tracking")
        if cursor is None:
            if not projection_is_empty(uow.session):
                uow.session.add(ProjectionCursor(source="tracking", after=0, done=True))
                return True
            cursor = ProjectionCursor(source="tracking", after=0, done=False)
            uow.session.add(cursor)
        if cursor.done:
            return True
        answer = fetch({"after": cursor.after, "limit": page})
        for envelope in answer["events"]:
            if envelope["type"] in projection.HANDLED_TYPES and \
                    uow.claim(envelope["id"], consumer_of(envelope["type"])) is None:
                projection.apply(uow.session, envelope)
        cursor.after = answer["next_after"]
        cursor.done = len(answer["events"]) < page
        return cursor.done


def projection_status(uow, consumer_prefix):
    """How much the projection holds: items, events applied, the rebuild cursor."""
    session = uow.session
    cursor = session.get(ProjectionCursor, "tracking")
    return {"items": session.scalar(select(func.count()).select_from(ItemOutcome)),
            "events": session.scalar(select(func.count()).select_from(InboxEntry)
                                     .where(InboxEntry.consumer.startswith(consumer_prefix))),
            "rebuild": None if cursor is None else {"after": cursor.after, "done": cursor.done}}


# ---------------------------------------------------------------- organisations

def resolve_org(session, code, field="org"):
    """(code, is_group, name) of a known organisation, or a 422 naming the field. Without a
    code, the one group the projection knows (a deployment with several must say which)."""
    if not code:
        groups = organisations(session)
        if len(groups) != 1:
            raise errors.ValidationFailed("Which organisation?",
                                          {field: ["required: one of {}".format(
                                              ", ".join(groups) or "(none known yet)")]})
        code = groups[0]
    unit = session.get(OrgUnit, code)
    if unit is not None and unit.kind in ("group", "subsidiary"):
        return code, unit.kind == "group", unit.name
    if unit is None and session.scalar(select(exists().where(ItemOutcome.org_id == code))):
        return code, True, code
    raise errors.ValidationFailed("Unknown organisation '{}'".format(code),
                                  {field: ["unknown organisation '{}'".format(code)]})


def weights_of(session, org, rules):
    row = session.get(OrgWeights, org)
    weights = scoring.default_weights(rules)
    if row is not None:
        weights = {key: row.weights.get(key, 0) for key in rules}
    return weights


def weights_view(session, org, rules):
    row = session.get(OrgWeights, org)
    return {"org": org, "weights": weights_of(session, org, rules),
            "default": row is None,
            "rules": [{"key": k, "label": r.label, "default_weight": r.default_weight}
                      for k, r in rules.items()],
            "updated_at": utc_iso(row.updated_at) if row else None,
            "updated_by": row.updated_by if row else None}


@rule_errors
def set_weights(uow, org, weights, rules):
    with uow:
        org = resolve_org(uow.session, org)[0]
        weights = scoring.check_weights(weights, rules)
        row = uow.session.get(OrgWeights, org)
        if row is None:
            row = OrgWeights(org_id=org)
            uow.session.add(row)
        row.weights, row.updated_at, row.updated_by = weights, uow.clock.now(), str(uow.actor)
        uow.session.flush()
        return weights_view(uow.session, org, rules)


def get_weights(uow, org, rules):
    org = resolve_org(uow.session, org)[0]
    return weights_view(uow.session, org, rules)


# ---------------------------------------------------------------- monthly report

def _report_rows(session, org, is_group, period, as_of, with_in_progress=True):
    facts = queries.department_facts(session, org, is_group, period, as_of, with_in_progress,
                                     with_feedback=False)  # the report shows no feedback
    return {code: dict(report.row(entry["facts"]), code=code, name=entry["name"],
                       subsidiary=entry["subsidiary"]) for code, entry in facts.items()}


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
    previous = periods.previous_month(period)
    rows = _report_rows(session, org, is_group, period, as_of)
    before = _report_rows(session, org, is_group, previous, as_of, with_in_progress=False)
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


def organisations(session):
    """The groups the projection knows: from the directory, else from the items."""
    groups = set(session.scalars(select(OrgUnit.code).where(OrgUnit.kind == "group")))
    if not groups:
        groups = set(session.scalars(select(ItemOutcome.org_id).distinct()))
    return sorted(groups)


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


# ---------------------------------------------------------------- half-year appraisal

def _appraisal(session, appraisal_id):
    row = session.get(Appraisal, str(appraisal_id)) if appraisal_id else None
    if row is None:
        raise errors.NotFound("No appraisal '{}'".format(appraisal_id))
    return row


@rule_errors
def create_appraisal(uow, data, rules, thresholds):
    """A draft appraisal of `org` for `period` (YYYY-H1/H2), computed now."""
    with uow:
        session = uow.session
        period = periods.parse_half(data["period"])
        org = resolve_org(session, data["org"])[0]
        today = uow.clock.today()
        if today < period.start:
            raise errors.ValidationFailed("The period {} has not started".format(period.label),
                                          {"period": ["starts on {}".format(period.start)]})
        existing = session.scalar(select(Appraisal).where(Appraisal.org_id == org,
                                                          Appraisal.period == period.label))
        if existing is not None:
            raise errors.Conflict("{} already has an appraisal for {}".format(org, period.label),
                                  {"id": [existing.id], "status": [existing.status]})
        appraisal = Appraisal(id=str(uuid.uuid4()), org_id=org, period=period.label,
                              status="draft", weights=weights_of(session, org, rules), as_of=today,
                              created_at=uow.clock.now(), created_by=str(uow.actor),
                              computed_at=uow.clock.now())
        session.add(appraisal)
        session.flush()
        compute(uow, appraisal, rules, thresholds)
        return appraisal_view(session, appraisal, rules)


def _draft(session, appraisal_id):
    appraisal = _appraisal(session, appraisal_id)
    if appraisal.status != "draft":
        raise errors.Conflict("The appraisal is published and frozen",
                              {"status": [appraisal.status]})
    return appraisal


def recompute_appraisal(uow, appraisal_id, rules, thresholds):
    with uow:
        appraisal = _draft(uow.session, appraisal_id)
        appraisal.weights = weights_of(uow.session, appraisal.org_id, rules)
        compute(uow, appraisal, rules, thresholds)
        return appraisal_view(uow.session, appraisal, rules)


def publish_appraisal(uow, appraisal_id, rules, thresholds):
    """Recompute once more, then freeze; `appraisal.published` carries every score."""
    with uow:
        session = uow.session
        appraisal = _draft(session, appraisal_id)
        period = periods.parse_half(appraisal.period)
        if not period.has_ended(uow.clock.today()):
            raise errors.ValidationFailed(
                "The period {} has not ended; it can be published from {}".format(
                    period.label, period.end + dt.timedelta(days=1)),
                {"period": ["not ended"]})
        appraisal.weights = weights_of(session, appraisal.org_id, rules)
        compute(uow, appraisal, rules, thresholds)
        appraisal.status = "published"
        appraisal.published_at, appraisal.published_by = uow.clock.now(), str(uow.actor)
        session.flush()
        view = appraisal_view(session, appraisal, rules)
        uow.emit("appraisal.published", view, subject_id=appraisal.id, org_id=appraisal.org_id)
        return view


def adjust(uow, appraisal_id, data, rules, thresholds):
    """A manual adjustment with its reason, audited, applied to a draft's score."""
    with uow:
        session = uow.session
        appraisal = _draft(session, appraisal_id)
        if session.get(AppraisalRow, (appraisal.id, data["department"])) is None:
            raise errors.ValidationFailed(
                "'{}' is not a department of this appraisal".format(data["department"]),
                {"department": ["not in the appraisal"]})
        session.add(Adjustment(appraisal_id=appraisal.id, department=data["department"],
                               points=data["points"], reason=data["reason"],
                               actor=str(uow.actor), at=uow.clock.now()))
        session.flush()
        compute(uow, appraisal, rules, thresholds)
        return appraisal_view(session, appraisal, rules)


def get_appraisal(uow, appraisal_id, rules):
    return appraisal_view(uow.session, _appraisal(uow.session, appraisal_id), rules)


def list_appraisals(uow, org=None):
    q = select(Appraisal).order_by(Appraisal.period.desc(), Appraisal.org_id)
    if org:
        q = q.where(Appraisal.org_id == org)
    return [{"id": a.id, "org": a.org_id, "period": a.period, "status": a.status,
             "published_at": utc_iso(a.published_at)} for a in uow.session.scalars(q.limit(200))]


def compute(uow, appraisal, rules, thresholds):
    """Score every department of the organisation in the database's figures; replace the rows."""
    session = uow.session
    period = periods.parse_half(appraisal.period)
    org, is_group, _ = resolve_org(session, appraisal.org_id)
    as_of = uow.clock.today()
    entries = queries.department_facts(session, org, is_group, period, as_of,
                                       with_in_progress=False,
                                       silent_days=thresholds.silent_days)
    points = {}
    for adjustment in session.scalars(select(Adjustment).where(
            Adjustment.appraisal_id == appraisal.id)):
        points[adjustment.department] = points.get(adjustment.department, 0) + adjustment.points
    results = {}
    for code, entry in entries.items():
        status, values, base, final = scoring.score(entry["facts"], rules, appraisal.weights,
                                                    points.get(code, 0.0))
        results[code] = {"status": status, "values": values, "base": base, "score": final}
    ranks = scoring.rank({c: r["score"] for c, r in results.items()})
    session.execute(delete(AppraisalRow).where(AppraisalRow.appraisal_id == appraisal.id))
    rows = []
    for code, entry in entries.items():
        facts, result = entry["facts"], results[code]
        result["rank"] = ranks[code]
        rows.append({"appraisal_id": appraisal.id, "department": code, "name": entry["name"],
                     "subsidiary": entry["subsidiary"], "status": result["status"],
                     "facts": facts, "values": result["values"], "base_score": result["base"],
                     "adjustment": points.get(code, 0.0), "score": result["score"],
                     "rank": ranks[code],
                     "plan_execution_rate": rate(facts["milestones_on_time"],
                                                 facts["milestones_due"])})
    if rows:  # one bulk insert: thousands of departments
        session.execute(AppraisalRow.__table__.insert(), rows)
    records = accountability.talks(scoring.last_placed(ranks),
                                   previous_last(session, appraisal, period), results)
    records += inaction_records(session, org, is_group, period, as_of, entries, thresholds)
    session.execute(delete(AccountabilityRecord).where(
        AccountabilityRecord.appraisal_id == appraisal.id))
    if records:
        session.execute(AccountabilityRecord.__table__.insert(),
                        [dict(r, appraisal_id=appraisal.id) for r in records])
    appraisal.as_of, appraisal.computed_at = as_of, uow.clock.now()
    session.flush()


def previous_last(session, appraisal, period):
    """{department: evidence} of the last places in the previous half-year's published one."""
    before = session.scalar(select(Appraisal).where(
        Appraisal.org_id == appraisal.org_id, Appraisal.status == "published",
        Appraisal.period == periods.previous_half(period).label))
    if before is None:
        return {}
    rows = session.scalars(select(AppraisalRow).where(AppraisalRow.appraisal_id == before.id))
    ranks = {r.department: r.rank for r in rows}
    return {d: {"appraisal": before.id, "period": before.period, "rank": ranks[d]}
            for d in scoring.last_placed(ranks)}


def inaction_records(session, org, is_group, period, as_of, entries, thresholds):
    """无为问责 from the counts the aggregate made, with sample items as evidence."""
    flagged = {code for code, e in entries.items()
               if e["facts"]["silent"] or e["facts"]["unanswered_chases"]
               >= thresholds.unanswered_chases
               or e["facts"]["unexplained_overdue"] >= thresholds.unexplained_overdue}
    silent, unexplained = queries.evidence(session, org, is_group, period, as_of, flagged,
                                           thresholds.silent_days, len(entries))
    records = []
    for code in sorted(flagged):
        facts = entries[code]["facts"]
        record = accountability.inaction(
            code, {"count": facts["silent"], "items": silent.get(code, [])},
            {"count": facts["unexplained_overdue"], "items": unexplained.get(code, [])},
            facts["unanswered_chases"], thresholds)
        if record is not None:
            records.append(record)
    return records


def appraisal_view(session, appraisal, rules):
    rows = session.scalars(select(AppraisalRow).where(AppraisalRow.appraisal_id == appraisal.id)
                           .order_by(AppraisalRow.rank.is_(None), AppraisalRow.rank,
                                     AppraisalRow.department)).all()
    records = session.scalars(select(AccountabilityRecord).where(
        AccountabilityRecord.appraisal_id == appraisal.id).order_by(AccountabilityRecord.id))
    adjustments = session.scalars(select(Adjustment).where(
        Adjustment.appraisal_id == appraisal.id).order_by(Adjustment.id))
    labels = {key: rule.label for key, rule in rules.items()}
    return {
        "id": appraisal.id, "org": appraisal.org_id, "period": appraisal.period,
        "status": appraisal.status, "as_of": appraisal.as_of.isoformat(),
        "weights": appraisal.weights,
        "rules": [{"key": k, "label": labels.get(k, k), "weight": w}
                  for k, w in appraisal.weights.items()],
        "computed_at": utc_iso(appraisal.computed_at),
        "published_at": utc_iso(appraisal.published_at),
        "departments": [{"code": r.department, "name": r.name, "subsidiary": r.subsidiary,
                         "status": r.status, "values": r.values, "base_score": r.base_score,
                         "adjustment": r.adjustment, "score": r.score, "rank": r.rank,
                         "on_time_rate": r.values.get("on_time"),
                         "plan_execution_rate": r.plan_execution_rate, "facts": r.facts}
                        for r in rows],
        "accountability": [{"department": r.department, "kind": r.kind, "evidence": r.evidence}
                           for r in records],
        "adjustments": [{"department": a.department, "points": a.points, "reason": a.reason,
                         "actor": a.actor, "at": utc_iso(a.at)} for a in adjustments],
    }
