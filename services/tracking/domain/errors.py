"""Errors the rules raise; the use-case layer maps them to the common error shape."""


class DomainError(Exception):
    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class IllegalTransition(DomainError):
    """The action is not allowed from the item's current state."""

    def __init__(self, current, action):
        super().__init__("Cannot {} an item that is {}".format(action.replace("_", " "), current),
                         {"status": [current]})
        self.current = current
        self.action = action


class RuleViolation(DomainError):
    """The request breaks a business rule (e.g. an at-risk report without measures)."""


class StateConflict(DomainError):
    """The request clashes with other state (e.g. a second pending extension)."""
