"""The one exception the intake domain raises for input it cannot accept."""


class IntakeInputError(Exception):
    """Bad input (empty, binary, oversized, malformed sheet, invalid date...).

    Plain Exception subclass on purpose: the service layer maps it to the
    project's common error shape using ``message`` and ``fields``.
    """

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})

    def __repr__(self):
        return f"IntakeInputError({self.message!r}, fields={self.fields!r})"


class InputTooLarge(IntakeInputError):
    """Input refused for its size: an upload that is, or would inflate to, too much."""


def upload_bytes(payload, ext):
    """An uploaded file's bytes; IntakeInputError for text or an empty upload (`ext`: '.docx')."""
    if isinstance(payload, str):
        raise IntakeInputError(f"a {ext} upload must be bytes, got text", {"payload": "type"})
    raw = bytes(payload or b"")
    if not raw:
        raise IntakeInputError(f"empty {ext} file", {"payload": "empty"})
    return raw
