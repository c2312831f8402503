"""Base schemas and the one way to load wire data into validated values."""
from marshmallow import RAISE, Schema, ValidationError, fields

from shared.errors import ValidationFailed


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


def load(schema, data, message="Invalid input"):
    """Validate `data` with `schema` or raise ValidationFailed listing every field."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValidationFailed("The body must be a JSON object", {"_schema": ["expected an object"]})
    try:
        return schema.load(data)
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        raise ValidationFailed(message, fields=messages)
