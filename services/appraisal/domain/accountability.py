"""Accountability (问责): who is called to a talk, and inaction flagged from evidence.

- `supervising_leader_talk` (分管领导约谈): the department(s) at the last rank of an
  appraisal (all those sharing it; none when every scored department ties).
- `principal_leader_talk` (主要领导约谈): a department last in this appraisal and in the
  organisation's previous half-year appraisal too (two in a row); this replaces the
  supervising-leader talk for that department.
- `inaction` (无为问责), flagged when any of these holds for the department:
  items due in the period, still open, without any feedback for `silent_days` days or
  more (counted from issue when there is none; items with a feedback cadence only);
  `unexplained_overdue`
  or more overdue items whose feedback never gave a reason; `unanswered_chases` or more
  chases (催办) in the period left unanswered for `chase_answer_days` days (domain/chases.py:
  chases from notify.events `chase.sent`, answered by a progress report or completion).
Every record carries the evidence it was made from.
"""
from dataclasses import dataclass

EVIDENCE_SAMPLE = 10  # sample items a record shows per department and kind of inaction
SUPERVISING = "supervising_leader_talk"
PRINCIPAL = "principal_leader_talk"
INACTION = "inaction"


@dataclass(frozen=True)
class Thresholds:
    silent_days: int = 30
    unexplained_overdue: int = 2
    unanswered_chases: int = 3
    chase_answer_days: int = 5


def talks(last, previous_last, results):
    """Records for the last-placed departments. `results`: {department: {score, rank}}."""
    records = []
    for department in last:
        evidence = {"rank": results[department]["rank"], "score": results[department]["score"],
                    "ranked": sum(1 for r in results.values() if r["rank"] is not None)}
        if department in previous_last:
            evidence["previous"] = previous_last[department]
            records.append({"department": department, "kind": PRINCIPAL, "evidence": evidence})
        else:
            records.append({"department": department, "kind": SUPERVISING, "evidence": evidence})
    return records


def inaction(department, silent, unexplained, unanswered_chases, thresholds):
    """An inaction record for one department, or None.

    `silent`, `unexplained` and `unanswered_chases` are {"count": n, "items": [evidence,
    ...]} (the items may be a sample of the count).
    """
    grounds = {}
    if silent["count"]:
        grounds["silent"] = silent
    if unexplained["count"] >= thresholds.unexplained_overdue:
        grounds["unexplained_overdue"] = unexplained
    if unanswered_chases["count"] >= thresholds.unanswered_chases:
        grounds["unanswered_chases"] = unanswered_chases
    if not grounds:
        return None
    grounds["thresholds"] = {"silent_days": thresholds.silent_days,
                             "unexplained_overdue": thresholds.unexplained_overdue,
                             "unanswered_chases": thresholds.unanswered_chases,
                             "chase_answer_days": thresholds.chase_answer_days}
    return {"department": department, "kind": INACTION, "evidence": grounds}
