"""One error vocabulary for HTTP and RPC: `{"error": {"code", "message", "fields"}}`.

Each error class is registered with nameko's exception registry, so an error raised
inside a service arrives at the RPC caller as the same class with the same fields,
not as an opaque RemoteError.
"""
import json

from nameko.exceptions import deserialize_to_instance


class DubanError(Exception):
    """Base of every error a caller is meant to see."""

    status = 400
    code = "bad_request"

    def __init__(self, message, fields=None, code=None):
        if isinstance(fields, str):  # as it crossed RPC (see below)
            fields = json.loads(fields)
        fields = fields or {}
        code = code or self.code
        # The fields travel as JSON text: nameko turns every non-string scalar in an
        # exception's args into a string, and a row number should stay a number.
        super().__init__(message, json.dumps(fields, ensure_ascii=False, default=str), code)
        self.message = message
        self.fields = fields
        if code:
            self.code = code

    def to_dict(self):
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}

    def __str__(self):
        return self.message


@deserialize_to_instance
class BadRequest(DubanError):
    """The request itself is malformed (not JSON, wrong content type)."""

    status = 400
    code = "bad_request"


@deserialize_to_instance
class ValidationFailed(DubanError):
    """Well-formed but invalid: wrong types, missing fields, unknown references."""

    status = 422
    code = "validation_failed"


@deserialize_to_instance
class NotFound(DubanError):
    status = 404
    code = "not_found"


@deserialize_to_instance
class Conflict(DubanError):
    """The request clashes with the current state (an illegal transition, a duplicate)."""

    status = 409
    code = "conflict"


@deserialize_to_instance
class Forbidden(DubanError):
    status = 403
    code = "forbidden"


@deserialize_to_instance
class Unauthorized(DubanError):
    status = 401
    code = "unauthorized"


@deserialize_to_instance
class PayloadTooLarge(DubanError):
    status = 413
    code = "payload_too_large"


@deserialize_to_instance
class TooManyRequests(DubanError):
    """Too many attempts (sign-in): wait and try again."""

    status = 429
    code = "too_many_requests"


@deserialize_to_instance
class ServiceUnavailable(DubanError):
    status = 503
    code = "service_unavailable"


EXPECTED = (DubanError,)

