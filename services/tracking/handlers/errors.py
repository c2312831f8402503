"""The rules' errors in the common error vocabulary."""
import functools

from shared import errors

from ..domain.errors import IllegalTransition, RuleViolation, StateConflict


def domain_errors(fn):
    """Translate the rules' errors into the common error vocabulary."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IllegalTransition as exc:
            raise errors.Conflict(exc.message, exc.fields, code="illegal_transition")
        except StateConflict as exc:
            raise errors.Conflict(exc.message, exc.fields)
        except RuleViolation as exc:
            raise errors.ValidationFailed(exc.message, exc.fields)
    return wrapper
