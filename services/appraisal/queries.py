"""The counting rules of domain/outcomes.py as SQL aggregates, computed in the database.

One pass over the period's items gives every item fact: each row gets one integer (a
single CASE: the outcome code, plus 10 for a milestone), and the rows are grouped by
(department, that integer); Python folds those few groups into each department's facts.
The monthly report reads its month and the one before in one such pass. The feedback and
chase facts are GROUP BYs over their tables, which carry the item's department (no join
with the items). The bench (bench/appraisal_bench.py) holds this against a bare GROUP BY
over the same rows; the service tests check these figures against the pure rules
(domain/outcomes.py, domain/chases.py) on the same rows, on SQLite and PostgreSQL.
"""
import datetime as dt

from sqlalchemy import and_, case, func, literal, not_, or_, select, text

from . import first_k
from .domain.accountability import EVIDENCE_SAMPLE
from .domain.rules import empty_facts
from .models import Chase, FeedbackDue, FeedbackRecord, ItemOutcome, OrgUnit

FAR = dt.date(9999, 12, 31)
I = ItemOutcome
# outcome codes of the CASE below
NONE, EXCLUDED, ON_TIME, LATE, OVERDUE, PENDING, IN_PROGRESS = range(7)
FACT_OF = {ON_TIME: "on_time", LATE: "late", OVERDUE: "overdue_open"}
# PostgreSQL, for the transaction that aggregates: memory enough to hash (department,
# outcome) groups in memory (the default 4MB made the planner sort the aggregate's rows
# to disk), and no JIT (compiling the CASE cost more
# than it saved). Both are SET LOCAL: they end with the transaction.
PG_SETTINGS = ("SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off")


def tune(session):
    """The PostgreSQL settings above, for this transaction (nothing on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        for statement in PG_SETTINGS:
            session.execute(text(statement))


def org_filter(model, org, is_group):
    """Rows of an organisation: the group's by org_id (indexed), a subsidiary's by path."""
    if is_group:
        return model.org_id == org
    return model.org_path.like("%/{}/%".format(org.replace("%", "").replace("_", r"\_")),
                               escape="\\")


def stopped(period):
    return or_(func.coalesce(I.cancelled_on, FAR) <= period.end,
               func.coalesce(I.suspended_on, FAR) <= period.end)


def outcome_code(period, as_of):
    """One CASE per row: the outcome code (domain/outcomes.py's rules, in the same order).

    A comparison with a missing date is NULL, which a CASE branch takes as false: no
    COALESCE needed (cheaper per row)."""
    stopped_by_end = or_(I.cancelled_on <= period.end, I.suspended_on <= period.end)
    return case(
        (I.deadline > period.end,
         case((or_(stopped_by_end, I.completed_on <= period.end), NONE), else_=IN_PROGRESS)),
        (stopped_by_end, EXCLUDED),
        (I.completed_on <= as_of, case((I.completed_on <= I.deadline, ON_TIME), else_=LATE)),
        (I.deadline < as_of, OVERDUE),
        else_=PENDING)


def silent_condition(as_of, silent_days):
    """Open on as_of, issued, with a cadence, and no report for `silent_days` days."""
    cutoff = as_of - dt.timedelta(days=silent_days)
    return and_(I.issued_on.isnot(None), I.feedback_cadence != "none",
                func.coalesce(I.completed_on, FAR) > as_of,
                func.coalesce(I.last_feedback_on, I.issued_on) <= cutoff)


def silent_flag(as_of, silent_days):
    return case((silent_condition(as_of, silent_days), 1), else_=0)


def item_facts(session, org, is_group, period, as_of, with_in_progress=True, silent_days=None,
               rows=None, silent_samples=None):
    """{department: facts} from one GROUP BY over the period's items (and, with
    `with_in_progress`, the items due after it). `rows`, when given, receives how many
    items each department has in that window ({department: n}: what a walk through all
    its items would read, sampling.py). `silent_samples`, when given on SQLite (with
    `silent_days`), receives each department's first silent candidates
    ({department: [first_k.Sample]}, first_k.py), picked in the same pass."""
    # one integer per row: 10 for a milestone + the outcome code; grouped with the
    # department, no subquery (PostgreSQL then aggregates in parallel, like a bare GROUP BY)
    key = (case((I.milestone, 10), else_=0) + outcome_code(period, as_of)).label("k")
    silent = func.sum(silent_flag(as_of, silent_days)) if silent_days is not None \
        else literal(0)
    fold = (silent_samples is not None and silent_days is not None
            and session.get_bind().dialect.name == "sqlite")
    sample = literal(None)
    if fold:
        first_k.register(session)
        sample = first_k.column(I, silent_condition(as_of, silent_days))
    window = (I.deadline >= period.start if with_in_progress
              else I.deadline.between(period.start, period.end))
    q = (select(I.department, key, func.count(), func.count(I.quality), func.sum(I.quality),
                func.count(I.reason), silent, sample)
         .where(org_filter(I, org, is_group), window)
         .group_by(I.department, key))
    out, found = {}, {}
    # through the Core connection: the ORM's per-row processing cost as much as the folding
    for department, combined, n, q_n, q_sum, explained, silent_n, picked in core(session, q):
        milestone, outcome = divmod(int(combined), 10)
        if fold and not milestone and outcome in (PENDING, *FACT_OF):
            first_k.add(found, department, picked)  # the groups whose silent items count
        facts = out.get(department)
        if facts is None:
            facts = out[department] = empty_facts()
        if rows is not None:
            rows[department] = rows.get(department, 0) + n
        count_outcome(facts, milestone, outcome, n)
        if outcome == PENDING and not milestone:
            facts["silent"] += int(silent_n or 0)
        if outcome not in FACT_OF or milestone:
            continue
        facts["quality_n"] += int(q_n or 0)
        facts["quality_sum"] += float(q_sum or 0)
        if outcome in (LATE, OVERDUE):
            facts["unexplained_overdue"] += n - int(explained or 0)
        facts["silent"] += int(silent_n or 0)
    if fold:
        silent_samples.update(first_k.first(found))
    return with_totals(out)


def core(session, q):
    """The rows of `q` read through the session's connection (plain tuples, none of the
    ORM's per-row work: 15,000 rows in an appraisal's aggregate)."""
    return session.connection().execute(q)


def count_outcome(facts, milestone, outcome, n):
    """Add `n` items of one outcome (a milestone's apart) to a department's facts."""
    if outcome == IN_PROGRESS:
        facts["in_progress"] += n
    elif outcome in FACT_OF:
        facts[("milestones_" if milestone else "") + FACT_OF[outcome]] += n


def with_totals(out):
    for facts in out.values():
        facts["due"] = facts["on_time"] + facts["late"] + facts["overdue_open"]
        facts["milestones_due"] = (facts["milestones_on_time"] + facts["milestones_late"]
                                   + facts["milestones_overdue_open"])
    return out


PREVIOUS = 100  # added to the outcome code of an item due in the month before


def report_facts(session, org, is_group, period, previous, as_of):
    """The monthly report's counts in one pass over the items due from the previous
    month's start: ({department: facts} of `period`, with the items in progress at its
    end, {department: facts} of `previous`, the month before it). Each row's integer
    says which month it counts in (PREVIOUS + code for the month before). Milestones are
    not told apart: the report counts them with the rest (domain/report.py), so the facts
    hold every item under the plain keys."""
    key = case((I.deadline <= previous.end, PREVIOUS + outcome_code(previous, as_of)),
               else_=outcome_code(period, as_of)).label("k")
    q = (select(I.department, key, func.count())
         .where(org_filter(I, org, is_group), I.deadline >= previous.start)
         .group_by(I.department, key))
    now, before = {}, {}
    for department, combined, n in core(session, q):
        month, outcome = divmod(int(combined), PREVIOUS)
        out = before if month else now
        facts = out.get(department)
        if facts is None:
            facts = out[department] = empty_facts()
        count_outcome(facts, 0, outcome, n)
    return with_totals(now), with_totals(before)


def feedback_facts(session, org, is_group, period, as_of):
    """{department: (due, on_time, assessed, accurate)} for feedback in the period."""
    D, R = FeedbackDue, FeedbackRecord
    met = func.coalesce(D.submitted_on, FAR) <= D.due_on
    judged = or_(met, D.due_on < as_of)
    due_q = (select(D.department, func.sum(case((judged, 1), else_=0)),
                    func.sum(case((met, 1), else_=0)))
             .where(org_filter(D, org, is_group), not_(D.milestone),
                    D.due_on.between(period.start, period.end))
             .group_by(D.department))
    acc_q = (select(R.department, func.count(R.accurate),
                    func.sum(case((R.accurate.is_(True), 1), else_=0)))
             .where(org_filter(R, org, is_group), not_(R.milestone),
                    R.submitted_on.between(period.start, period.end))
             .group_by(R.department))
    out = {}
    for department, due, on_time in session.execute(due_q):
        out.setdefault(department, [0, 0, 0, 0])[0:2] = [int(due or 0), int(on_time or 0)]
    for department, assessed, accurate in session.execute(acc_q):
        out.setdefault(department, [0, 0, 0, 0])[2:4] = [int(assessed or 0), int(accurate or 0)]
    return out


def chase_window(period, as_of):
    return Chase.chased_on.between(period.start, min(period.end, as_of))


def unanswered_chase(as_of, answer_days):
    """domain/chases.py's `unanswered` as a condition: the window is over and no answer
    came within it."""
    return and_(Chase.chased_on < as_of - dt.timedelta(days=answer_days),
                func.coalesce(Chase.answer_days, answer_days + 1) > answer_days)


def chase_facts(session, org, is_group, period, as_of, answer_days=None):
    """{department: (chases, unanswered)} for chases sent in the period by as_of
    (unanswered: 0 without `answer_days`)."""
    unanswered = (func.sum(case((unanswered_chase(as_of, answer_days), 1), else_=0))
                  if answer_days is not None else literal(0))
    q = (select(Chase.department, func.count(), unanswered)
         .where(org_filter(Chase, org, is_group), chase_window(period, as_of))
         .group_by(Chase.department))
    return {d: (int(n), int(u or 0)) for d, n, u in session.execute(q)}


def directory(session, org):
    """Departments the directory places under the organisation: {code: (name, subsidiary)}."""
    rows = session.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.path)
                           .where(OrgUnit.kind == "department",
                                  OrgUnit.path.like("%/{}/%".format(org)))).all()
    out = {}
    for code, name, path in rows:
        parts = [p for p in path.split("/") if p]
        out[code] = (name, parts[1] if len(parts) >= 3 else None)
    return out


def names_from_items(session, departments):
    """(name, subsidiary) of departments the directory does not know, from their items."""
    if not departments:
        return {}
    q = (select(I.department, func.max(I.department_name), func.max(I.subsidiary))
         .where(I.department.in_(sorted(departments))).group_by(I.department))
    return {d: (n, s) for d, n, s in session.execute(q)}


def department_facts(session, org, is_group, period, as_of, with_in_progress=True,
                     silent_days=None, with_feedback=True, chase_answer_days=None):
    """Every department of the organisation with its facts, name, subsidiary and `rows`
    (its items in the window read; directory departments with nothing due appear too,
    with zero facts)."""
    tune(session)
    rows, silent_samples = {}, {}
    facts = item_facts(session, org, is_group, period, as_of, with_in_progress, silent_days,
                       rows, silent_samples)
    feedback = feedback_facts(session, org, is_group, period, as_of) if with_feedback else {}
    for department, (due, on_time, assessed, accurate) in feedback.items():
        facts.setdefault(department, empty_facts()).update(
            feedback_due=due, feedback_on_time=on_time, assessed=assessed, accurate=accurate)
    add_chases(session, org, is_group, period, as_of, facts, chase_answer_days)
    entries = named(session, org, facts)
    for code, entry in entries.items():
        entry["rows"] = rows.get(code, 0)
        if silent_samples:  # picked by the aggregate (SQLite): no walk or scan needed
            entry["silent_sample"] = silent_samples.get(code, [])
    return entries


def add_chases(session, org, is_group, period, as_of, facts, answer_days=None):
    chases = chase_facts(session, org, is_group, period, as_of, answer_days)
    for department, (sent, unanswered) in chases.items():
        facts.setdefault(department, empty_facts()).update(chases=sent,
                                                           unanswered_chases=unanswered)


def named(session, org, facts):
    """{code: {name, subsidiary, facts}} for the departments with facts and every
    department the directory places under the organisation (zero facts)."""
    known = directory(session, org)
    for code in known:
        facts.setdefault(code, empty_facts())
    known.update(names_from_items(session, set(facts) - set(known)))
    return {code: {"name": known.get(code, (code, None))[0],
                   "subsidiary": known.get(code, (code, None))[1], "facts": f}
            for code, f in facts.items()}


def report_department_facts(session, org, is_group, period, previous, as_of):
    """The monthly report's departments: ({code: {name, subsidiary, facts}} of `period`
    with its chases, the same of `previous`), the items read once."""
    tune(session)
    now, before = report_facts(session, org, is_group, period, previous, as_of)
    add_chases(session, org, is_group, period, as_of, now)
    entries = named(session, org, now)
    names = {code: (e["name"], e["subsidiary"]) for code, e in entries.items()}
    missing = set(before) - set(names)
    if missing:
        names.update(names_from_items(session, missing))
    return entries, {code: {"name": names.get(code, (code, None))[0],
                            "subsidiary": names.get(code, (code, None))[1], "facts": f}
                     for code, f in before.items()}


def late_or_overdue(period, as_of):
    """Completed late or still overdue (domain/outcomes.py) without the whole CASE: due in
    the period before as_of, not stopped, and not completed by the deadline."""
    return and_(I.deadline.between(period.start, period.end), not_(stopped(period)),
                I.deadline < as_of, func.coalesce(I.completed_on, FAR) > I.deadline)


def overdue_items(session, org, is_group, period, as_of, limit=500):
    """Items late or still overdue in the period, with their stated reasons and new plans."""
    q = (select(I.id, I.number, I.title, I.department, I.department_name, I.deadline,
                I.original_deadline, I.completed_on, I.reason, I.new_plan)
         .where(org_filter(I, org, is_group), late_or_overdue(period, as_of))
         .order_by(I.department, I.deadline, I.number).limit(limit))
    rows = session.execute(q).all()
    chased = chases_per_item(session, [row.id for row in rows], as_of)
    out = []
    for row in rows:
        done = row.completed_on if row.completed_on and row.completed_on <= as_of else None
        out.append({"id": row.id, "number": row.number, "title": row.title,
                    "department": row.department, "department_name": row.department_name,
                    "deadline": row.deadline.isoformat(),
                    "original_deadline": row.original_deadline.isoformat(),
                    "completed_on": done.isoformat() if done else None,
                    "days_late": ((done or as_of) - row.deadline).days,
                    "reason": row.reason, "new_plan": row.new_plan,
                    "chases": chased.get(row.id, 0)})
    return out


def chases_per_item(session, item_ids, as_of):
    """{item id: chases sent by as_of} for the given items, in one GROUP BY (counted from
    the chase rows, so two chases projected at once cannot lose one)."""
    if not item_ids:
        return {}
    q = (select(Chase.item_id, func.count())
         .where(Chase.item_id.in_(sorted(set(item_ids))), Chase.chased_on <= as_of)
         .group_by(Chase.item_id))
    return {item_id: int(n) for item_id, n in session.execute(q)}


def chase_evidence(session, org, is_group, period, as_of, departments, answer_days):
    """{department: [unanswered chases]}, the first EVIDENCE_SAMPLE of each by day."""
    if not departments:
        return {}
    C = Chase
    numbered = (select(C.department, C.item_id, C.number, C.chased_on, C.answer_days,
                       func.row_number().over(partition_by=C.department,
                                              order_by=(C.chased_on, C.item_id, C.number))
                       .label("n"))
                .where(org_filter(C, org, is_group), chase_window(period, as_of),
                       C.department.in_(sorted(departments)),
                       unanswered_chase(as_of, answer_days))
                .subquery())
    q = (select(numbered, I.number.label("item_number"), I.title)
         .select_from(numbered.outerjoin(I, I.id == numbered.c.item_id))
         .where(numbered.c.n <= EVIDENCE_SAMPLE)
         .order_by(numbered.c.department, numbered.c.n))
    out = {}
    for row in session.execute(q):
        out.setdefault(row.department, []).append(
            {"number": row.item_number, "title": row.title, "item_id": row.item_id,
             "chase": row.number, "chased_on": row.chased_on.isoformat(),
             "answered_after_days": row.answer_days})
    return out
