"""The item state machine, exhaustively: every action from every state."""
import pytest

from services.tracking.domain.errors import IllegalTransition
from services.tracking.domain.lifecycle import (EVENT_OF, OPEN, TRANSITIONS, Status,
                                                check_allowed, is_open, next_status)

S = Status

HAPPY_PATH = [
    ("issue", S.REGISTERED, S.ISSUED),
    ("accept", S.ISSUED, S.IN_PROGRESS),
    ("request_completion", S.IN_PROGRESS, S.COMPLETION_REQUESTED),
    ("complete", S.COMPLETION_REQUESTED, S.COMPLETED),
    ("evaluate", S.COMPLETED, S.EVALUATED),
]


@pytest.mark.parametrize("action,before,after", HAPPY_PATH)
def test_happy_path_steps(action, before, after):
    assert next_status(before, action) is after


def test_returned_completion_goes_back_to_work():
    assert next_status(S.COMPLETION_REQUESTED, "return") is S.IN_PROGRESS


@pytest.mark.parametrize("state", list(Status))
def test_cancel_only_while_open(state):
    if state in OPEN:
        assert next_status(state, "cancel") is S.CANCELLED
    else:
        with pytest.raises(IllegalTransition):
            next_status(state, "cancel")


@pytest.mark.parametrize("state", [S.REGISTERED, S.ISSUED, S.IN_PROGRESS, S.COMPLETION_REQUESTED])
def test_suspend_and_resume_returns_to_the_same_state(state):
    assert next_status(state, "suspend") is S.SUSPENDED
    assert next_status(S.SUSPENDED, "resume", before_suspend=state.value) is state


def test_resume_without_a_remembered_state_is_refused():
    with pytest.raises(IllegalTransition):
        next_status(S.SUSPENDED, "resume")


def test_every_illegal_pair_is_refused_and_names_the_current_state():
    legal = {(action, frm) for action, table in TRANSITIONS.items() for frm in table}
    refused = 0
    for action in TRANSITIONS:
        for state in Status:
            if (action, state) in legal:
                continue
            with pytest.raises(IllegalTransition) as info:
                next_status(state, action)
            assert info.value.current == state.value
            assert state.value in info.value.message
            refused += 1
    assert refused > 40


def test_cannot_skip_acceptance():
    with pytest.raises(IllegalTransition) as info:
        next_status(S.ISSUED, "request_completion")
    assert "issued" in str(info.value)


def test_evaluated_and_cancelled_are_final():
    for state in (S.EVALUATED, S.CANCELLED):
        assert not is_open(state)
        for action in TRANSITIONS:
            with pytest.raises(IllegalTransition):
                next_status(state, action)


def test_feedback_only_while_working():
    check_allowed(S.IN_PROGRESS, "submit_feedback")
    for state in (S.REGISTERED, S.COMPLETED, S.CANCELLED, S.SUSPENDED):
        with pytest.raises(IllegalTransition):
            check_allowed(state, "submit_feedback")


def test_every_moving_action_has_an_event_type():
    assert set(EVENT_OF) == set(TRANSITIONS)
    assert all(t.startswith("item.") for t in EVENT_OF.values())


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        next_status(S.REGISTERED, "teleport")
