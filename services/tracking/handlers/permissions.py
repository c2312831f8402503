"""What the caller may do on an item now (`allowed_actions` of get_item): the access policy
(shared.access) and the lifecycle (domain.lifecycle) read together, so the pages show
exactly the forms the service would accept. Pure: no database, no clock.
"""
from shared import access

from ..domain.lifecycle import ALLOWED_IN, TRANSITIONS, Status

# In the order a page shows them.
ACTIONS = ("issue", "accept", "submit_feedback", "request_extension", "request_completion",
           "complete", "return", "evaluate", "decide_extension", "assess_feedback", "update",
           "suspend", "resume", "cancel")
# What a department (its contact) may do on its own items (handlers.actions); every
# action is the supervising side's (office, admin) on the items of its organisation.
DEPARTMENT_ACTIONS = ("accept", "submit_feedback", "request_extension", "request_completion")


def allowed_actions(principal, item, before_suspend=None, pending_extension=False,
                    has_feedback=False):
    """The actions `principal` may take on `item` (access_view keys and `status`) now."""
    supervises = principal.has(*access.SUPERVISING) and principal.sees_path(item.get("org_path"))
    department = principal.has(*access.DEPARTMENT) and principal.on_item_as_department(item)
    state = Status(item["status"])
    return [action for action in ACTIONS
            if (supervises or (department and action in DEPARTMENT_ACTIONS))
            and state_allows(state, action, before_suspend, pending_extension, has_feedback)]


def state_allows(state, action, before_suspend, pending_extension, has_feedback):
    if action in TRANSITIONS:
        return state in TRANSITIONS[action] and (action != "resume" or before_suspend is not None)
    if state not in ALLOWED_IN[action]:
        return False
    if action == "decide_extension":
        return pending_extension
    if action == "request_extension":
        return not pending_extension   # one request waits at a time
    if action == "assess_feedback":
        return has_feedback
    return True
