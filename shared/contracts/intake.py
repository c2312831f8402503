"""Wire contract of the intake service (validated at its RPC edge, documented by the gateway)."""
from marshmallow import fields, validate

from shared.contracts.tracking import CATEGORIES, CODE
from shared.contracts.tracking import text as text_field
from shared.schemas import Date, Id, Strict, Text

MAX_TEXT = 500_000  # characters of pasted minutes


def optional(max_len):
    return Text(allow_none=True, validate=validate.Length(max=max_len))


class MinutesIn(Strict):
    text = Text(required=True, validate=validate.Length(
        min=1, max=MAX_TEXT, error="paste the minutes' text (1 to {max} characters)"))
    meeting_date = Date(required=True)
    title = text_field(200)
    reference = text_field(200)


class AssignmentsIn(Strict):
    assignments = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=500))
    title = text_field(200)
    reference = text_field(200)


class DocumentIn(Strict):
    """Any registered parser, including plugins: content as text, or base64 for files."""

    kind = fields.String(required=True, validate=validate.Length(min=1, max=32))
    format = fields.String(required=True, validate=validate.Length(min=1, max=16))
    content = fields.String(required=True)
    encoding = fields.String(load_default="text", validate=validate.OneOf(("text", "base64")))
    title = text_field(200)
    reference = text_field(200)
    meeting_date = Date(load_default=None, allow_none=True)
    year = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(2000, 2100))


class MilestonePatch(Strict):
    text = text_field(200, required=True)
    date = Date(load_default=None, allow_none=True)


class DraftPatch(Strict):
    """Every draft field an office worker may correct before confirming.

    No defaults: a field absent from the patch is left as it is.
    """

    task = optional(5000)
    title = optional(200)
    lead_department = fields.String(allow_none=True, validate=CODE)
    co_departments = fields.List(fields.String(validate=CODE), validate=validate.Length(max=30))
    deadline = Date(allow_none=True)
    milestones = fields.List(fields.Nested(MilestonePatch), validate=validate.Length(max=50))
    leader = optional(100)
    clause = optional(64)
    cadence = fields.String(allow_none=True, validate=validate.Length(max=32))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    supervising_department = fields.String(allow_none=True, validate=CODE)
    responsible_person = Id(allow_none=True)
    completion_form = optional(200)
    completion_standard = optional(2000)


class ConfirmIn(Strict):
    draft_ids = fields.List(fields.String(validate=validate.Length(max=36)), load_default=None,
                            allow_none=True)
    supervising_department = fields.String(load_default=None, allow_none=True, validate=CODE)
    category = fields.String(load_default=None, allow_none=True,
                             validate=validate.OneOf(CATEGORIES))
