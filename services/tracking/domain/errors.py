"""Errors the rules raise; the use-case layer maps them to the common error shape."""
from shared.contracts.vocabulary import REFUSALS


class DomainError(Exception):
    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


VERBS = {code: word.en for code, word in REFUSALS.items()}


class IllegalTransition(DomainError):
    """The action is not allowed from the item's current state."""

    def __init__(self, current, action, allowed=()):
        words = action.replace("_", " ")
        message = "The item is {}: it cannot {}".format(current, VERBS.get(action, words))
        if allowed:
            message += " (only when it is {})".format(" or ".join(allowed))
        super().__init__(message, {"status": [current]})
        self.current = current
        self.action = action


class RuleViolation(DomainError):
    """The request breaks a business rule (e.g. an at-risk report without measures)."""


class StateConflict(DomainError):
    """The request clashes with other state (e.g. a second pending extension)."""
