"""Base schemas and the one way to load wire data into validated values."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.errors import NotFound, ValidationFailed


class Strict(Schema):
    """Input schemas refuse unknown fields: a misspelt field is an error, not a no-op."""

    class Meta:
        unknown = RAISE


class StrictBool(fields.Boolean):
    """Only JSON true/false; "yes" or 1 are a type error in a JSON body."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Text(fields.String):
    """A string stripped of surrounding blanks; empty after stripping is missing."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return value.strip()


MAX_ID = 2 ** 63 - 1


class Id(fields.Integer):
    """A database id: a JSON integer from 1 to 2^63-1 (larger ones are not ids, not a crash)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strict", True)
        kwargs.setdefault("validate", validate.Range(1, MAX_ID, error="an id from 1 to 2^63-1"))
        super().__init__(**kwargs)


def check_id(value, what):
    """An id the database can hold; anything else names no row (404, not a crash)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise NotFound("No {} {}".format(what, value))
    return value


class Date(fields.Date):
    """An ISO date, with an error that says which format is expected."""

    default_error_messages = {"invalid": "Not a valid date: use YYYY-MM-DD, e.g. 2026-12-31.",
                              "format": "Not a valid date: use YYYY-MM-DD, e.g. 2026-12-31."}


_INSTANCES = {}


def load(schema, data, message="Invalid input"):
    """Validate `data` with `schema` (a Schema, or a Schema class: one instance of it is
    made once and reused, building a schema costs more than loading with it) or raise
    ValidationFailed listing every field."""
    if isinstance(schema, type):
        schema = _INSTANCES.get(schema) or _INSTANCES.setdefault(schema, schema())
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationFailed("The body must be a JSON object", {"_schema": ["expected an object"]})
    try:
        return schema.load(data)
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        raise ValidationFailed(message, fields=messages)
