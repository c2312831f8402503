"""The supervised item's lifecycle (督办事项流程) as a pure state machine.

registered 立项 → issued 下达 → in_progress 组织实施 (accepted by the lead department)
→ completion_requested 申请办结 → completed 办结 → evaluated 评价; a returned
completion request goes back to in_progress. Any open item can be cancelled, or
suspended and later resumed into the state it was in. Overdue is derived, not a state.
"""
from enum import Enum

from shared.contracts.vocabulary import ACTIONS

from .errors import IllegalTransition


class Status(str, Enum):
    REGISTERED = "registered"
    ISSUED = "issued"
    IN_PROGRESS = "in_progress"
    COMPLETION_REQUESTED = "completion_requested"
    COMPLETED = "completed"
    EVALUATED = "evaluated"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


S = Status
WORKING = (S.REGISTERED, S.ISSUED, S.IN_PROGRESS, S.COMPLETION_REQUESTED)
OPEN = WORKING + (S.SUSPENDED,)
# States in which the lead department reports progress on the item's cadence.
REPORTING = (S.ISSUED, S.IN_PROGRESS)

# action -> {from: to}; "resume" is resolved from the state before suspension.
TRANSITIONS = {
    "issue": {S.REGISTERED: S.ISSUED},
    "accept": {S.ISSUED: S.IN_PROGRESS},
    "request_completion": {S.IN_PROGRESS: S.COMPLETION_REQUESTED},
    "complete": {S.COMPLETION_REQUESTED: S.COMPLETED},
    "return": {S.COMPLETION_REQUESTED: S.IN_PROGRESS},
    "evaluate": {S.COMPLETED: S.EVALUATED},
    "cancel": {s: S.CANCELLED for s in OPEN},
    "suspend": {s: S.SUSPENDED for s in WORKING},
    "resume": {S.SUSPENDED: None},
}

# Actions that do not move the state but are allowed only in some states.
ALLOWED_IN = {
    "submit_feedback": (S.ISSUED, S.IN_PROGRESS),
    "request_extension": (S.ISSUED, S.IN_PROGRESS),
    "decide_extension": (S.ISSUED, S.IN_PROGRESS, S.COMPLETION_REQUESTED, S.SUSPENDED),
    "assess_feedback": tuple(Status),
    "update": OPEN,
}

# The event each state-moving action publishes (shared/contracts/vocabulary.py).
EVENT_OF = {code: action.event for code, action in ACTIONS.items()}


def next_status(current, action, before_suspend=None):
    """The state after `action`, or IllegalTransition naming the current state."""
    current = Status(current)
    table = TRANSITIONS.get(action)
    if table is None:
        raise ValueError("unknown action {!r}".format(action))
    if current not in table:
        raise IllegalTransition(current.value, action, [s.value for s in table])
    target = table[current]
    if action == "resume":
        if before_suspend is None:
            raise IllegalTransition(current.value, action)
        target = Status(before_suspend)
    return target


def check_allowed(current, action):
    """For actions that keep the state: refuse them outside their states."""
    current = Status(current)
    if current not in ALLOWED_IN[action]:
        raise IllegalTransition(current.value, action, [s.value for s in ALLOWED_IN[action]])


def is_open(status):
    return Status(status) in OPEN
