"""The counting rules of domain/outcomes.py as SQL aggregates, computed in the database.

One pass over the period's items grouped by department gives every item fact; two small
joins give the feedback facts. The bench (bench/appraisal_bench.py) holds this against a
bare GROUP BY over the same rows. The service tests check these figures against the pure
rules on the same items.
"""
import datetime as dt

from sqlalchemy import and_, case, func, literal, not_, or_, select

from .domain.rules import empty_facts
from .models import FeedbackDue, FeedbackRecord, ItemOutcome, OrgUnit

FAR = dt.date(9999, 12, 31)
I = ItemOutcome


def org_filter(org, is_group):
    """Items of an organisation: the group's by org_id (indexed), a subsidiary's by path."""
    if is_group:
        return I.org_id == org
    return I.org_path.like("%/{}/%".format(org.replace("%", "").replace("_", r"\_")),
                           escape="\\")


def conditions(period, as_of):
    """The SQL conditions of each outcome (same rules as domain/outcomes.py)."""
    in_period = I.deadline.between(period.start, period.end)
    stopped = or_(func.coalesce(I.cancelled_on, FAR) <= period.end,
                  func.coalesce(I.suspended_on, FAR) <= period.end)
    done = func.coalesce(I.completed_on, FAR) <= as_of
    live = and_(in_period, not_(stopped))
    return {
        "on_time": and_(live, done, I.completed_on <= I.deadline),
        "late": and_(live, done, I.completed_on > I.deadline),
        "overdue_open": and_(live, not_(done), I.deadline < as_of),
        "in_progress": and_(I.deadline > period.end, not_(stopped),
                            func.coalesce(I.completed_on, FAR) > period.end),
    }


def count_if(condition):
    return func.sum(case((condition, 1), else_=0))


def item_facts(session, org, is_group, period, as_of, with_in_progress=True):
    """{department: facts} with the department's name and subsidiary, from one GROUP BY."""
    c = conditions(period, as_of)
    regular, milestone = not_(I.milestone), I.milestone
    done_any = or_(c["on_time"], c["late"])
    columns = [
        I.department, func.max(I.department_name), func.max(I.subsidiary),
        count_if(and_(regular, c["on_time"])), count_if(and_(regular, c["late"])),
        count_if(and_(regular, c["overdue_open"])),
        count_if(and_(regular, done_any, I.quality.isnot(None))),
        func.sum(case((and_(regular, done_any), I.quality), else_=None)),
        count_if(and_(milestone, c["on_time"])), count_if(and_(milestone, c["late"])),
        count_if(and_(milestone, c["overdue_open"])),
        count_if(c["in_progress"]) if with_in_progress else literal(0),
    ]
    window = I.deadline.between(period.start, period.end)
    if with_in_progress:
        window = I.deadline >= period.start
    q = select(*columns).where(org_filter(org, is_group), window).group_by(I.department)
    out = {}
    for (department, name, subsidiary, on_time, late, overdue, q_n, q_sum, m_on_time, m_late,
         m_overdue, in_progress) in session.execute(q):
        facts = empty_facts()
        facts.update(on_time=int(on_time or 0), late=int(late or 0),
                     overdue_open=int(overdue or 0), quality_n=int(q_n or 0),
                     quality_sum=float(q_sum or 0), milestones_on_time=int(m_on_time or 0),
                     milestones_late=int(m_late or 0), milestones_overdue_open=int(m_overdue or 0),
                     in_progress=int(in_progress or 0))
        facts["due"] = facts["on_time"] + facts["late"] + facts["overdue_open"]
        facts["milestones_due"] = (facts["milestones_on_time"] + facts["milestones_late"]
                                   + facts["milestones_overdue_open"])
        out[department] = {"name": name, "subsidiary": subsidiary, "facts": facts}
    return out


def feedback_facts(session, org, is_group, period, as_of):
    """{department: (due, on_time, assessed, accurate)} for feedback in the period."""
    met = and_(FeedbackDue.submitted_on.isnot(None), FeedbackDue.submitted_on <= FeedbackDue.due_on)
    judged = or_(met, FeedbackDue.due_on < as_of)
    due_q = (select(I.department, count_if(judged), count_if(met))
             .join(FeedbackDue, FeedbackDue.item_id == I.id)
             .where(org_filter(org, is_group), not_(I.milestone),
                    FeedbackDue.due_on.between(period.start, period.end))
             .group_by(I.department))
    acc_q = (select(I.department, count_if(FeedbackRecord.accurate.isnot(None)),
                    count_if(FeedbackRecord.accurate.is_(True)))
             .join(FeedbackRecord, FeedbackRecord.item_id == I.id)
             .where(org_filter(org, is_group), not_(I.milestone),
                    FeedbackRecord.submitted_on.between(period.start, period.end))
             .group_by(I.department))
    out = {}
    for department, due, on_time in session.execute(due_q):
        out.setdefault(department, [0, 0, 0, 0])[0:2] = [int(due or 0), int(on_time or 0)]
    for department, assessed, accurate in session.execute(acc_q):
        out.setdefault(department, [0, 0, 0, 0])[2:4] = [int(assessed or 0), int(accurate or 0)]
    return out


def departments(session, org):
    """Departments the directory places under the organisation: {code: (name, subsidiary)}."""
    rows = session.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.path)
                           .where(OrgUnit.kind == "department",
                                  OrgUnit.path.like("%/{}/%".format(org)))).all()
    out = {}
    for code, name, path in rows:
        parts = [p for p in path.split("/") if p]
        out[code] = (name, parts[1] if len(parts) >= 3 else None)
    return out


def department_facts(session, org, is_group, period, as_of, with_in_progress=True):
    """Every department of the organisation with its facts (directory departments with
    nothing due appear too, with zero facts)."""
    result = item_facts(session, org, is_group, period, as_of, with_in_progress)
    for department, (due, on_time, assessed, accurate) in feedback_facts(
            session, org, is_group, period, as_of).items():
        entry = result.setdefault(department, {"name": department, "subsidiary": None,
                                               "facts": empty_facts()})
        entry["facts"].update(feedback_due=due, feedback_on_time=on_time, assessed=assessed,
                              accurate=accurate)
    for code, (name, subsidiary) in departments(session, org).items():
        entry = result.setdefault(code, {"name": name, "subsidiary": subsidiary,
                                         "facts": empty_facts()})
        entry["name"] = name
        entry["subsidiary"] = entry["subsidiary"] or subsidiary
    return result


def overdue_items(session, org, is_group, period, as_of, limit=500):
    """Items late or still overdue in the period, with their stated reasons and new plans."""
    c = conditions(period, as_of)
    q = (select(I).where(org_filter(org, is_group), or_(c["late"], c["overdue_open"]))
         .order_by(I.department, I.deadline, I.number).limit(limit))
    return [{"id": i.id, "number": i.number, "title": i.title, "department": i.department,
             "department_name": i.department_name, "deadline": i.deadline.isoformat(),
             "original_deadline": i.original_deadline.isoformat(),
             "completed_on": i.completed_on.isoformat() if i.completed_on and
             i.completed_on <= as_of else None,
             "days_late": ((min(i.completed_on, as_of) if i.completed_on else as_of)
                           - i.deadline).days,
             "reason": i.reason, "new_plan": i.new_plan}
            for i in session.scalars(q)]


def silent_items(session, org, is_group, as_of, days, limit=200):
    """Open, issued items with a feedback cadence and no report for `days` days: {dept: [..]}."""
    last = func.coalesce(I.last_feedback_on, I.issued_on)
    cutoff = as_of - dt.timedelta(days=days)
    q = (select(I).where(org_filter(org, is_group), I.issued_on.isnot(None),
                         I.feedback_cadence != "none", I.cancelled_on.is_(None),
                         I.suspended_on.is_(None),
                         or_(I.completed_on.is_(None), I.completed_on > as_of), last <= cutoff)
         .order_by(I.department, I.number).limit(limit))
    out = {}
    for i in session.scalars(q):
        since = i.last_feedback_on or i.issued_on
        out.setdefault(i.department, []).append(
            {"number": i.number, "title": i.title, "since": since.isoformat(),
             "days_silent": (as_of - since).days})
    return out


def chases(session, org, is_group):
    q = (select(I.department, func.sum(I.chases_unanswered))
         .where(org_filter(org, is_group), I.chases_unanswered > 0).group_by(I.department))
    return {d: int(n) for d, n in session.execute(q)}
