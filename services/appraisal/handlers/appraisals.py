"""The half-year appraisal (半年考核): drafts, recompute, adjustments, publication, the view."""
import datetime as dt
import uuid

from sqlalchemy import delete, select

from shared import errors
from shared.clock import utc_iso

from .. import bulk, evidence, queries, sampling
from ..domain import accountability, periods, scoring
from ..domain.outcomes import rate
from ..models import AccountabilityRecord, Adjustment, Appraisal, AppraisalRow
from .common import resolve_org, rule_errors, weights_of


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
                                       silent_days=thresholds.silent_days,
                                       chase_answer_days=thresholds.chase_answer_days)
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
    bulk.insert(session, AppraisalRow.__table__, rows)  # thousands of departments
    talks = accountability.talks(scoring.last_placed(ranks),
                                 previous_last(session, appraisal, period), results)
    write_records(session, appraisal.id, talks, org, is_group, period, as_of, entries,
                  thresholds)
    appraisal.as_of, appraisal.computed_at = as_of, uow.clock.now()
    session.flush()


def write_records(session, appraisal_id, talks, org, is_group, period, as_of, entries,
                  thresholds):
    """Replace the appraisal's accountability records: the talks, then inaction (无为问责)
    in department order. On PostgreSQL the inaction records' sample items are picked and
    turned into JSON inside the INSERT (insert_inaction); on SQLite, in Python."""
    session.execute(delete(AccountabilityRecord).where(
        AccountabilityRecord.appraisal_id == appraisal_id))
    table = AccountabilityRecord.__table__
    if sampling.dialect(session) == "postgresql":
        bulk.insert(session, table, [dict(r, appraisal_id=appraisal_id) for r in talks])
        insert_inaction(session, appraisal_id, org, is_group, period, as_of, entries,
                        thresholds)
        return
    records = talks + inaction_records(session, org, is_group, period, as_of, entries,
                                       thresholds)
    bulk.insert(session, table, [dict(r, appraisal_id=appraisal_id) for r in records])


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


def inaction_grounds(entries, thresholds):
    """From the counts the aggregate made: ({department: silent items} for those with
    any, {department: unexplained overdue items} for those at the threshold, {departments
    at the unanswered-chases threshold}): the departments whose record will carry each
    ground (domain/accountability.inaction), so the only ones sampled for it."""
    silent = {code: e["facts"]["silent"] for code, e in entries.items()
              if e["facts"]["silent"]}
    unexplained = {code: e["facts"]["unexplained_overdue"] for code, e in entries.items()
                   if e["facts"]["unexplained_overdue"] >= thresholds.unexplained_overdue}
    chased = {code for code, e in entries.items()
              if e["facts"]["unanswered_chases"] >= thresholds.unanswered_chases}
    return silent, unexplained, chased


def wanted_samples(entries, silent, unexplained):
    """sampling.py's `wanted`: {kind: {department: (items of the period, candidates)}}."""
    return {sampling.SILENT: {c: (entries[c]["rows"], n) for c, n in silent.items()},
            sampling.UNEXPLAINED: {c: (entries[c]["rows"], n) for c, n in unexplained.items()}}


def inaction_records(session, org, is_group, period, as_of, entries, thresholds, sampled=True):
    """无为问责 from the counts the aggregate made, with sample items as evidence (sampled
    only for the grounds a record will carry: sampling.py). With `sampled` false the silent
    and unexplained-overdue grounds carry no items yet (insert_inaction has the database
    fill them in)."""
    silent, unexplained, chased = inaction_grounds(entries, thresholds)
    found = {sampling.SILENT: {}, sampling.UNEXPLAINED: {}}
    if sampled:
        found = sampling.samples(session, org, is_group, period, as_of,
                                 wanted_samples(entries, silent, unexplained),
                                 thresholds.silent_days,
                                 known=_picked_by_the_aggregate(entries, silent))
    chases = queries.chase_evidence(session, org, is_group, period, as_of, chased,
                                    thresholds.chase_answer_days)
    records = []
    for code in sorted(set(silent) | set(unexplained) | chased):
        facts = entries[code]["facts"]
        record = accountability.inaction(
            code, {"count": facts["silent"],
                   "items": [evidence.silent_item(r, as_of)
                             for r in found[sampling.SILENT].get(code, [])]},
            {"count": facts["unexplained_overdue"],
             "items": [evidence.unexplained_item(r, as_of)
                       for r in found[sampling.UNEXPLAINED].get(code, [])]},
            {"count": facts["unanswered_chases"], "items": chases.get(code, [])}, thresholds)
        if record is not None:
            records.append(record)
    return records


def insert_inaction(session, appraisal_id, org, is_group, period, as_of, entries, thresholds):
    """PostgreSQL: the inaction records written in one statement that picks their sample
    items and builds their JSON in the database (evidence.py): the same records as
    inaction_records, without the picked rows coming to Python. Every department is
    walked, as sampling.samples does there (DENSE_WALKS)."""
    records = inaction_records(session, org, is_group, period, as_of, entries, thresholds,
                               sampled=False)
    condition = sampling.conditions(as_of, thresholds.silent_days)

    def walk(kind, department):
        return sampling.first_candidates(department, condition[kind], org, is_group, period)
    evidence.insert_records(session, AccountabilityRecord.__table__, appraisal_id, records,
                            walk, as_of)


def _picked_by_the_aggregate(entries, silent):
    """The silent samples SQLite's aggregate picked (queries.item_facts), if it did."""
    if not any("silent_sample" in entries[code] for code in silent):
        return None
    return {sampling.SILENT: {code: entries[code].get("silent_sample", []) for code in silent}}


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
                         "plan_execution_rate": r.plan_execution_rate,
                         "chases": r.facts.get("chases", 0), "facts": r.facts}
                        for r in rows],
        "accountability": [{"department": r.department, "kind": r.kind, "evidence": r.evidence}
                           for r in records],
        "adjustments": [{"department": a.department, "points": a.points, "reason": a.reason,
                         "actor": a.actor, "at": utc_iso(a.at)} for a in adjustments],
    }
