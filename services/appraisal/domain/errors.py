"""Errors of the appraisal rules; the service maps them onto the common vocabulary."""


class RuleViolation(Exception):
    """Input the rules refuse (a malformed period, weights that do not sum to 100)."""

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
