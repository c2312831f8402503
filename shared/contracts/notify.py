"""Wire contract of the notify service: what its RPC (and the gateway's routes) accept."""
from marshmallow import ValidationError, fields, validate, validates_schema

from shared.schemas import Strict, StrictBool, Text

CATEGORIES = ("routine", "urgent", "key", "difficult")
LADDER_CATEGORIES = CATEGORIES + ("*",)
ESCALATION_ROLES = ("contact", "head", "leader")
CHASE_ROLES = ("responsible", "contact", "head", "leader")
TEMPLATE_KINDS = ("before", "overdue", "feedback", "feedback_late", "manual")
RUNG_STATUSES = ("pending", "sending", "checking", "sent", "failed", "uncertain", "cancelled",
                 "superseded")
DELIVERY_STATUSES = ("sent", "retry", "failed", "ambiguous", "confirmed", "not_found",
                     "uncertain")
WEBHOOK_EVENTS = ("reminder.sent", "reminder.failed", "chase.sent", "item.*")
HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="HH:MM, 00:00 to 23:59")
MOBILE = validate.Regexp(r"^(\+?86)?1[3-9]\d{9}$", error="a mainland mobile number, 11 digits")
ORG = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$",
                      error="letters, digits, '_', '.', '-'; up to 64")


class Hhmm(fields.String):
    def __init__(self, **kw):
        super().__init__(validate=HHMM, **kw)


class EscalationStep(Strict):
    after_days = fields.Integer(required=True, strict=True, validate=validate.Range(1, 365))
    role = fields.String(required=True, validate=validate.OneOf(ESCALATION_ROLES))


class QuietHours(Strict):
    start = Hhmm(required=True)
    end = Hhmm(required=True)


class LadderIn(Strict):
    """A ladder for one organisation and category; omitted fields keep the defaults."""

    before_days = fields.List(fields.Integer(strict=True, validate=validate.Range(1, 90)),
                              validate=validate.Length(max=10))
    send_at = Hhmm()
    overdue_every_days = fields.Integer(strict=True, validate=validate.Range(1, 30))
    escalation = fields.List(fields.Nested(EscalationStep), validate=validate.Length(1, 5))
    feedback = StrictBool()
    feedback_late_after_days = fields.Integer(strict=True, validate=validate.Range(1, 30))
    quiet_hours = fields.Nested(QuietHours)
    workdays_only = StrictBool()
    channel = fields.String(allow_none=True, validate=validate.Length(min=1, max=32))


class TemplateIn(Strict):
    text = Text(required=True, validate=validate.Length(min=1, max=500))


class ChaseIn(Strict):
    """A manual chase (催办): to the contact unless another role or a number is named."""

    role = fields.String(load_default="contact", validate=validate.OneOf(CHASE_ROLES))
    mobile = fields.String(load_default=None, allow_none=True, validate=MOBILE)
    note = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    channel = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(min=1, max=32))


class NotificationQuery(Strict):
    item_id = fields.String(validate=validate.Length(max=36))
    department = fields.String(validate=validate.Length(max=64))
    status = fields.String(validate=validate.OneOf(DELIVERY_STATUSES))
    channel = fields.String(validate=validate.Length(max=32))
    since = fields.DateTime()
    until = fields.DateTime()
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))

    @validates_schema
    def range_in_order(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("since must not be after until", "until")


class WebhookIn(Strict):
    url = fields.String(required=True, validate=validate.Length(min=1, max=500))
    events = fields.List(fields.String(validate=validate.Length(min=1, max=64)), required=True,
                         validate=validate.Length(min=1, max=20))
    secret = fields.String(required=True, validate=validate.Length(min=16, max=200))


class EventsQuery(Strict):
    """`list_events`: the page of notify's event log after a cursor (as tracking's)."""
    after = fields.Integer(load_default=0, validate=validate.Range(0, 2 ** 63 - 1))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    type = fields.String(validate=validate.Length(max=64))
    subject_id = fields.String(validate=validate.Length(max=64))
