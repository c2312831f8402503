"""The sample items behind the inaction counts (the evidence of 无为问责), picked in the database.

Which items: for each department and each kind (silent items, unexplained overdue items),
the first EVIDENCE_SAMPLE candidates of the period in (deadline, number) order: the
longest due first (a number is unique within its group, so the order is total and the
sample deterministic). The candidates are the items the aggregate counted (queries.py:
due in the period, no milestone, not cancelled or suspended by its end, and the kind's
condition), so a sample is always among the counted items and as long as the count when
the count is under EVIDENCE_SAMPLE.

How, per department and kind, chosen from the counts the aggregate already made (how
many items of the period the department has, how many candidates of the kind):
- a walk: the department's items of the period in (deadline, number) order through an
  index, stopping at the k-th candidate (LATERAL ... LIMIT on PostgreSQL, a correlated
  LIMIT subquery on SQLite). Through ix_items_department_deadline it reads about
  rows x (k+1)/(candidates+1) items: cheap where candidates are dense. On PostgreSQL the
  walks go through partial indexes instead (ix_items_unexplained, ix_items_silent: the
  static part of each kind's condition as predicate, the silent kind's dynamic part as
  key columns checked inside the index), so a walk reads about one item per sample
  however sparse the candidates, and every department is walked (DENSE_WALKS); and
  since these indexes carry every column a walk reads (models.WALK_INCLUDE), the walk is
  an index-only scan, reading no item from the table on pages the visibility map marks
  all-visible;
- a scan: one pass over the organisation's items of the period for the departments whose
  walk would read more than WALK_READS items (few candidates among many items); only
  their candidates are numbered (a window per department) and sorted: cheap where
  candidates are sparse.
Both paths apply the same conditions in the same order, so which one serves a department
changes nothing in the result (tests/appraisal check each path against hand-picked
samples, on SQLite and PostgreSQL).

`samples` returns the picked rows (their evidence is then built in Python, evidence.py);
`first_candidates` is one department's walk as a query, for a LATERAL join (on PostgreSQL
the records are written with their samples in one INSERT ... SELECT, evidence.py).
"""
import json

from sqlalchemy import ARRAY, String, and_, bindparam, case, func, not_, or_, select, true
from sqlalchemy.orm import aliased

from .models import ItemOutcome
from .domain.accountability import EVIDENCE_SAMPLE
from .queries import FAR, org_filter, silent_condition, stopped

I = ItemOutcome
SILENT, UNEXPLAINED = "silent", "unexplained"
# a walk reading more items than this for one department and kind leaves it to the scan
# (an item read through the index costs as much as some 20-30 rows of a parallel scan
# on PostgreSQL)
WALK_READS = 64
# kinds whose walk goes, per dialect, through a partial index that holds the kind's
# candidates, or rejects the others within the index (models.ix_items_unexplained and
# ix_items_silent: their predicates are the static parts of unexplained_condition and
# queries.silent_condition, which PostgreSQL's planner matches; SQLite does not, their
# constants being bound parameters): such a walk reads about one row of the table per
# sample, however sparse the candidates (none on all-visible pages: an index-only scan)
DENSE_WALKS = {"postgresql": frozenset({SILENT, UNEXPLAINED})}
# what a walk returns of a sample item (all in the evidence indexes: models.WALK_INCLUDE)
COLUMNS = ("department", "number", "title", "deadline", "completed_on", "issued_on",
           "last_feedback_on")


def columns(model):
    return tuple(getattr(model, name) for name in COLUMNS)


def unexplained_condition(as_of):
    """Late or still overdue on as_of, and no feedback ever gave a reason (its first and
    last terms are the predicate of ix_items_unexplained, with NOT milestone)."""
    return and_(I.reason.is_(None), I.deadline < as_of,
                func.coalesce(I.completed_on, FAR) > I.deadline)


def conditions(as_of, silent_days):
    return {SILENT: silent_condition(as_of, silent_days),
            UNEXPLAINED: unexplained_condition(as_of)}


def candidate_filter(org, is_group, period):
    """What every candidate of either kind is: the organisation's, due in the period, no
    milestone, not stopped by its end (the items the aggregate counted)."""
    return [org_filter(I, org, is_group), I.deadline.between(period.start, period.end),
            not_(I.milestone), not_(stopped(period))]


def expected_reads(rows, candidates, k=EVIDENCE_SAMPLE):
    """Items a walk reads to find k candidates among `rows` items (spread evenly), or every
    item when there are k candidates or fewer."""
    if candidates <= k:
        return rows
    return rows * (k + 1) / (candidates + 1)


def plan(wanted, walk_reads=WALK_READS, dense=frozenset(), k=EVIDENCE_SAMPLE):
    """Split {kind: {department: (rows, candidates)}} into walks and scans:
    ({kind: [departments to walk]}, {kind: [departments to scan]}). A kind in `dense` is
    walked through its partial index (DENSE_WALKS): about one read per sample."""
    walks, scans = {}, {}
    for kind, departments in wanted.items():
        for code, (rows, candidates) in sorted(departments.items()):
            if candidates <= 0:
                continue
            reads = min(candidates, k) if kind in dense else expected_reads(rows, candidates, k)
            target = walks if reads <= walk_reads else scans
            target.setdefault(kind, []).append(code)
    return walks, scans


def dialect(session):
    return session.get_bind().dialect.name


def samples(session, org, is_group, period, as_of, wanted, silent_days, walk_reads=WALK_READS,
            known=None):
    """{kind: {department: [rows]}}: the first EVIDENCE_SAMPLE candidates of each wanted
    department in (deadline, number) order. `wanted`: {kind: {department: (items of the
    period, candidates of the kind)}}, from the aggregate; `walk_reads` (tests: a negative
    number scans every department, a very large one walks every one); `known`: {kind:
    {department: [rows]}} already picked (the silent ones, by SQLite's aggregate:
    first_k.py), neither walked nor scanned."""
    known = known or {}
    dense = DENSE_WALKS.get(dialect(session), frozenset())
    walks, scans = plan({kind: departments for kind, departments in wanted.items()
                         if kind not in known}, walk_reads, dense)
    found = {kind: {code: list(known[kind].get(code, [])) for code in departments}
             if kind in known else {} for kind, departments in wanted.items()}
    cond = conditions(as_of, silent_days)
    for kind, departments in walks.items():
        for row in walk(session, org, is_group, period, cond[kind], departments):
            found[kind].setdefault(row.department, []).append(row)
    if scans:
        for kind, row in scan(session, org, is_group, period, cond, scans):
            found[kind].setdefault(row.department, []).append(row)
    for per_department in found.values():
        for rows in per_department.values():
            rows.sort(key=lambda r: (r.deadline, r.number))
    return found


def walk(session, org, is_group, period, condition, departments, k=EVIDENCE_SAMPLE):
    """The first k candidates of each department, read in index order."""
    return session.execute(walk_query(dialect(session), org, is_group, period, condition,
                                      departments, k)).all()


def walk_query(dialect_name, org, is_group, period, condition, departments, k=EVIDENCE_SAMPLE):
    """The walks of `departments` as one query (rows of COLUMNS)."""
    if dialect_name == "postgresql":
        codes = bindparam("codes", list(departments), type_=ARRAY(String))
        wanted = func.unnest(codes).table_valued("code").render_derived(name="wanted")
        first = first_candidates(wanted.c.code, condition, org, is_group, period,
                                 k).lateral("first")
        return select(first).select_from(wanted.join(first, true()))
    # SQLite has neither LATERAL nor column names for VALUES: the departments come from
    # json_each, and a LIMIT subquery correlated with each gives its items' ids (SQLite
    # runs it once per department, through the same index)
    wanted = func.json_each(json.dumps(departments)).table_valued("value").alias("wanted")
    first = (select(I.id)
             .where(I.department == wanted.c.value, condition,
                    *candidate_filter(org, is_group, period))
             .order_by(I.deadline, I.number).limit(k))
    X = aliased(I, name="sample")
    return (select(*columns(X)).select_from(wanted)
            .join(X, X.id.in_(first.scalar_subquery())))


def first_candidates(department, condition, org, is_group, period, k=EVIDENCE_SAMPLE):
    """One department's walk: its first k candidates (rows of COLUMNS) in index order.
    `department` may be a column of an outer query (a LATERAL join runs it once per row)."""
    return (select(*columns(I))
            .where(I.department == department, condition,
                   *candidate_filter(org, is_group, period))
            .order_by(I.deadline, I.number).limit(k))


def scan(session, org, is_group, period, cond, scans, k=EVIDENCE_SAMPLE):
    """One pass for the departments left to it: [(kind, row)], the first k candidates of
    each (department, kind), numbered per department by a running count of each kind."""
    kinds = sorted(scans)
    flags = {kind: and_(cond[kind], I.department.in_(scans[kind])) for kind in kinds}
    candidates = (select(*columns(I),
                         *[case((flags[kind], 1), else_=0).label(kind) for kind in kinds])
                  .where(*candidate_filter(org, is_group, period), or_(*flags.values()))
                  .subquery())
    c = candidates.c
    window = {"partition_by": c.department, "order_by": (c.deadline, c.number),
              "rows": (None, 0)}
    numbered = select(candidates, *[func.sum(c[kind]).over(**window).label("n_" + kind)
                                    for kind in kinds]).subquery()
    n = numbered.c
    q = select(numbered).where(or_(*[and_(n[kind] == 1, n["n_" + kind] <= k)
                                     for kind in kinds]))
    out = []
    for row in session.execute(q):
        for kind in kinds:
            if row._mapping[kind] == 1 and row._mapping["n_" + kind] <= k:
                out.append((kind, row))
    return out
