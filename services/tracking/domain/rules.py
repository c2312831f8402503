"""Rules of feedback, extensions, evaluation and overdue (pure functions)."""
from .errors import RuleViolation, StateConflict
from .lifecycle import WORKING, Status

AT_RISK_DAYS = 3
AT_RISK_PROGRESS = 80
MAX_HORIZON_DAYS = 366 * 10


def check_deadline(deadline, today, field="deadline"):
    """A deadline is a real future-or-today date within ten years."""
    if deadline < today:
        raise RuleViolation("The deadline is in the past",
                            {field: ["{} is before today ({})".format(deadline, today)]})
    if (deadline - today).days > MAX_HORIZON_DAYS:
        raise RuleViolation("The deadline is too far away",
                            {field: ["more than ten years ahead"]})


def check_sub_item(parent_status, parent_deadline, deadline):
    """A decomposed sub-item (分解事项) lives inside its parent: open, and due no later."""
    if Status(parent_status) not in WORKING:
        raise RuleViolation("The parent item is {}".format(Status(parent_status).value),
                            {"parent": ["the parent item is not open"]})
    if deadline > parent_deadline:
        raise RuleViolation("A sub-item cannot be due after its parent",
                            {"deadline": ["after the parent's deadline {}".format(parent_deadline)]})


def is_overdue(status, due_by, today):
    """Open work past the day it was due (its deadline, moved off a non-working day).
    A suspended item's clock is stopped."""
    return Status(status) in WORKING and due_by is not None and today > due_by


def overdue_due(status, deadline, due_by, today, notified_for):
    """True when `item.overdue` must go out: once per deadline, never repeated."""
    return is_overdue(status, due_by, today) and notified_for != deadline


def check_responsible_person(person_unit, lead_unit, reason):
    """The main responsible person belongs to the lead department, or the item says why not.

    `person_unit` and `lead_unit` are org unit codes.
    """
    if person_unit != lead_unit and not (reason and reason.strip()):
        raise RuleViolation(
            "The responsible person is not in the lead department",
            {"responsible_person": ["belongs to {}, not the lead department {}; choose a person "
                                    "of {} or give responsible_person_reason".format(
                                        person_unit, lead_unit, lead_unit)]})


def feedback_assessment(progress, deadline, today, declared_at_risk=False):
    """(at_risk, late) for a progress report."""
    late = today > deadline
    days_left = (deadline - today).days
    at_risk = bool(declared_at_risk) or (
        not late and progress < 100 and days_left <= AT_RISK_DAYS and progress < AT_RISK_PROGRESS)
    return at_risk, late


def check_feedback(progress, deadline, today, reason=None, measures=None, new_plan=None,
                   declared_at_risk=False):
    """An at-risk or late report must say why, what will be done, and the new plan."""
    if not 0 <= progress <= 100:
        raise RuleViolation("Progress must be between 0 and 100", {"progress": ["0..100"]})
    at_risk, late = feedback_assessment(progress, deadline, today, declared_at_risk)
    if at_risk or late:
        missing = {name: ["required when the item is {}".format("late" if late else "at risk")]
                   for name, value in (("reason", reason), ("measures", measures),
                                       ("new_plan", new_plan))
                   if not (value and str(value).strip())}
        if missing:
            raise RuleViolation("{} item's feedback must give the reason, the measures and "
                                "a new plan".format("A late" if late else "An at-risk"), missing)
    return at_risk, late


def check_extension_request(current_deadline, new_deadline, today, has_pending):
    if has_pending:
        raise StateConflict("An extension request is already waiting for a decision",
                            {"extension": ["pending"]})
    if new_deadline <= current_deadline:
        raise RuleViolation("The new deadline must be after the current one",
                            {"new_deadline": ["must be after {}".format(current_deadline)]})
    check_deadline(new_deadline, today, field="new_deadline")


def grade(quality):
    """Quality score to grade: 优秀 excellent ≥90, 良好 good ≥75, 合格 pass ≥60, else fail."""
    if not 0 <= quality <= 100:
        raise RuleViolation("Quality must be between 0 and 100", {"quality": ["0..100"]})
    if quality >= 90:
        return "excellent"
    if quality >= 75:
        return "good"
    if quality >= 60:
        return "pass"
    return "fail"


def on_time(completed_on, deadline):
    """Judged against the deadline in force (the original unless an extension was approved)."""
    return completed_on is not None and completed_on <= deadline
