"""Wire contract of the appraisal service: what its API and RPC accept.

The appraisal service validates with these schemas at its RPC edge; the gateway uses
them for the OpenAPI document. Periods are checked by the service's rules (YYYY-MM,
YYYY-H1/H2) so the message names the expected form.
"""
from marshmallow import fields, validate

from shared.schemas import Strict, Text

CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$",
                       error="letters, digits, '_', '.', '-'; up to 64")
FORMATS = ("json", "docx", "xlsx")


class ReportQuery(Strict):
    month = fields.String(required=True)
    org = fields.String(load_default=None, allow_none=True, validate=CODE)
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


class AppraisalIn(Strict):
    period = fields.String(required=True)
    org = fields.String(required=True, validate=CODE)


class DocumentQuery(Strict):
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


class AdjustmentIn(Strict):
    """A manual adjustment (人工调整): points added to a department's score, with a reason."""

    department = fields.String(required=True, validate=CODE)
    points = fields.Float(required=True, validate=validate.Range(-100, 100),
                          allow_nan=False)
    reason = Text(required=True, validate=validate.Length(min=2, max=2000))


class WeightsIn(Strict):
    """Weights per scoring rule, whole numbers summing to 100 (checked by the rules)."""

    weights = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=64)),
                          values=fields.Raw(), required=True,
                          validate=validate.Length(min=1, max=20))
