"""Wire contract of the tracking service: what the API and RPC accept and return.

The tracking service validates with these schemas at its RPC edge; the gateway uses
them to generate the OpenAPI document. One definition, two readers.
"""
from marshmallow import ValidationError, fields, validate, validates_schema

from shared.contracts import vocabulary as words
from shared.schemas import Date, Id, StrictBool, Strict, Text

CODE = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$",
                       error="an org unit code such as FIN: letters, digits, '_', '.', '-'; "
                             "up to 64")
ORG_KINDS = tuple(words.ORG_KINDS)
ROLES = tuple(words.ROLES)
CATEGORIES = tuple(words.CATEGORIES)
SOURCE_KINDS = tuple(words.SOURCE_KINDS)
CADENCES = tuple(words.CADENCES)
STATUSES = tuple(words.STATUSES)
DAY_KINDS = ("holiday", "workday")


# A unit named in an item or a filter: its code (FIN), or its name or an alias (财务部).
UNIT = validate.Length(min=1, max=200, error="a unit's code such as FIN, or its name")


def one_of(choices):
    return validate.OneOf(choices, error="one of: " + ", ".join(choices))

NonEmpty = validate.Length(min=1)


def text(max_len, required=False, **kw):
    checks = [validate.Length(min=1, max=max_len)] if required else [validate.Length(max=max_len)]
    if not required:
        kw.setdefault("load_default", None)
        kw.setdefault("allow_none", True)
    return Text(required=required, validate=checks, **kw)


class OrgUnitIn(Strict):
    code = fields.String(required=True, validate=CODE)
    name = text(200, required=True)
    kind = fields.String(required=True, validate=one_of(ORG_KINDS))
    parent = fields.String(load_default=None, allow_none=True, validate=CODE)
    aliases = fields.List(text(200, required=True), load_default=list,
                          validate=validate.Length(max=20))
    number_format = text(64)


class OrgUnitPatch(Strict):
    """Rename a unit, maintain the aliases intake matches minutes against, name its head
    (部门负责人) and supervising leader (分管领导), set a group's number format."""

    name = Text(validate=validate.Length(min=1, max=200))
    aliases = fields.List(text(200, required=True), validate=validate.Length(max=20))
    head = Id(allow_none=True)
    leader = Id(allow_none=True)
    number_format = Text(allow_none=True, validate=validate.Length(max=64))


USERNAME = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{1,63}$",
                           error="2 to 64 letters, digits, '_', '.', '@', '-'")
PASSWORD = validate.Length(min=10, max=200, error="10 to 200 characters")


class PersonIn(Strict):
    name = text(100, required=True)
    mobile = fields.String(required=True, validate=validate.Regexp(
        r"^(\+?86)?1[3-9]\d{9}$", error="a mainland mobile number, 11 digits"))
    org_unit = fields.String(required=True, validate=CODE)
    roles = fields.List(fields.String(validate=one_of(ROLES)), load_default=list)
    username = fields.String(load_default=None, allow_none=True, validate=USERNAME)
    password = fields.String(load_default=None, allow_none=True, validate=PASSWORD)


class PersonPatch(Strict):
    """An administrator renames, re-roles, (de)activates a person, or sets their sign-in."""

    name = Text(validate=validate.Length(min=1, max=100))
    roles = fields.List(fields.String(validate=one_of(ROLES)))
    active = StrictBool()
    username = fields.String(allow_none=True, validate=USERNAME)
    password = fields.String(validate=PASSWORD)


class SignIn(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class PasswordChange(Strict):
    old_password = fields.String(required=True, validate=validate.Length(min=1, max=200))
    new_password = fields.String(required=True, validate=PASSWORD)


class TokenIn(Strict):
    """An API token for a system: its roles and the organisation it may see."""

    name = text(100, required=True)
    roles = fields.List(fields.String(validate=one_of(ROLES)), required=True,
                        validate=validate.Length(min=1))
    org = fields.String(load_default=None, allow_none=True, validate=CODE)
    expires_on = Date(load_default=None, allow_none=True)


class ContactIn(Strict):
    person = Id(required=True)
    substitutes = fields.List(Id(), load_default=list, validate=validate.Length(max=10))


class SourceIn(Strict):
    kind = fields.String(required=True, validate=one_of(SOURCE_KINDS))
    ref = text(200)
    clause = text(64)
    draft_id = text(64)
    goal = text(200)
    year = fields.Integer(load_default=None, allow_none=True, strict=True,
                          validate=validate.Range(2000, 2100))


class MilestoneIn(Strict):
    title = text(200, required=True)
    date = Date(required=True)


class ItemIn(Strict):
    title = text(200, required=True)
    content = text(10000, load_default="")
    source = fields.Nested(SourceIn, load_default=lambda: {"kind": "manual", "ref": None,
                                                            "clause": None, "draft_id": None,
                                                            "goal": None, "year": None})
    lead_department = Text(required=True, validate=UNIT)
    co_departments = fields.List(Text(validate=UNIT), load_default=list,
                                 validate=validate.Length(max=30))
    supervising_department = Text(load_default=None, allow_none=True, validate=UNIT)
    responsible_person = Id(load_default=None, allow_none=True)
    responsible_person_reason = text(500)
    assigning_leader = text(100)
    deadline = Date(required=True)
    category = fields.String(load_default="routine", validate=one_of(CATEGORIES))
    completion_form = text(200)
    completion_standard = text(2000)
    feedback_cadence = fields.String(load_default="none", validate=one_of(CADENCES))
    milestones = fields.List(fields.Nested(MilestoneIn), load_default=list,
                             validate=validate.Length(max=50))
    parent = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=36))


def optional_text(max_len):
    """A text field of a patch: absent means unchanged, null or "" clears it."""
    return Text(allow_none=True, validate=validate.Length(max=max_len))


class ItemPatch(Strict):
    """A correction of a registered item (the deadline moves only through an extension)."""

    title = Text(validate=validate.Length(min=1, max=200))
    content = optional_text(10000)
    lead_department = Text(validate=UNIT)
    co_departments = fields.List(Text(validate=UNIT), validate=validate.Length(max=30))
    supervising_department = Text(allow_none=True, validate=UNIT)
    responsible_person = Id(allow_none=True)
    responsible_person_reason = optional_text(500)
    assigning_leader = optional_text(100)
    category = fields.String(validate=one_of(CATEGORIES))
    completion_form = optional_text(200)
    completion_standard = optional_text(2000)
    feedback_cadence = fields.String(validate=one_of(CADENCES))
    milestones = fields.List(fields.Nested(MilestoneIn), validate=validate.Length(max=50))
    reason = optional_text(2000)


class FeedbackIn(Strict):
    progress = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    content = text(5000, required=True)
    reason = text(2000)
    measures = text(2000)
    new_plan = text(2000)
    at_risk = StrictBool(load_default=False)


class ExtensionIn(Strict):
    new_deadline = Date(required=True)
    reason = text(2000, required=True)
    measures = text(2000, required=True)


class DecisionIn(Strict):
    approved = StrictBool(required=True)
    comment = text(2000)


class CompletionIn(Strict):
    summary = text(5000, required=True)


class ReasonIn(Strict):
    reason = text(2000, required=True)


class OptionalCommentIn(Strict):
    comment = text(2000)


class EvaluationIn(Strict):
    quality = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    comment = text(2000)


class AccuracyIn(Strict):
    accurate = StrictBool(required=True)
    comment = text(2000)


class ItemQuery(Strict):
    org = Text(validate=UNIT)
    number = fields.String(validate=validate.Length(min=1, max=64))
    status = fields.String(validate=one_of(STATUSES))
    department = Text(validate=UNIT)
    category = fields.String(validate=one_of(CATEGORIES))
    overdue = fields.Boolean()
    deadline_from = Date()
    deadline_to = Date()
    q = fields.String(validate=validate.Length(min=1, max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(1, 200))
    # The next page after the one that gave this `next_cursor` (instead of `page`).
    cursor = fields.String(validate=validate.Length(min=1, max=400))
    # "exact": count every match (the default counts up to 1,000: `total_exact`).
    count = fields.String(validate=one_of(("exact",)))

    @validates_schema
    def range_in_order(self, data, **kwargs):
        """An inverted range names no day at all: said, not answered with an empty list
        (as notify's delivery log does for since/until)."""
        if data.get("deadline_from") and data.get("deadline_to") \
                and data["deadline_from"] > data["deadline_to"]:
            raise ValidationError("deadline_from must not be after deadline_to", "deadline_to")


class DashboardQuery(Strict):
    """督办看板: the caller's scope, optionally one group; the trend's length in months."""

    org = Text(validate=UNIT)
    months = fields.Integer(load_default=12, validate=validate.Range(1, 36))


class CalendarDayIn(Strict):
    date = Date(required=True)
    kind = fields.String(required=True, validate=one_of(DAY_KINDS))
    name = text(100)


class CalendarIn(Strict):
    """A year's table of an office calendar: holidays and adjusted working days."""

    org = fields.String(load_default=None, allow_none=True, validate=CODE)
    days = fields.List(fields.Nested(CalendarDayIn), required=True,
                       validate=validate.Length(max=366))


class CalendarQuery(Strict):
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    org = fields.String(validate=CODE)


class EventsQuery(Strict):
    after = fields.Integer(load_default=0, validate=validate.Range(0, 2 ** 63 - 1))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    type = fields.String(validate=validate.Length(max=64))
    subject_id = fields.String(validate=validate.Length(max=64))


# Views (responses), for the OpenAPI document.
class UnitRef(Strict):
    code = fields.String()
    name = fields.String()


class PersonRef(Strict):
    id = fields.Integer()
    name = fields.String()
    mobile = fields.String()


class LeadRef(UnitRef):
    contact = fields.Nested(PersonRef, allow_none=True)
    head = fields.Nested(PersonRef, allow_none=True)
    leader = fields.Nested(PersonRef, allow_none=True)


class OrgUnitOut(Strict):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    parent = fields.String(allow_none=True)
    aliases = fields.List(fields.String())
    contact = fields.Nested(PersonRef, allow_none=True)
    head = fields.Nested(PersonRef, allow_none=True)
    leader = fields.Nested(PersonRef, allow_none=True)
    substitutes = fields.List(fields.Nested(PersonRef))
    number_format = fields.String(allow_none=True)


class PersonOut(Strict):
    id = fields.Integer()
    name = fields.String()
    mobile = fields.String()
    org_unit = fields.Nested(UnitRef)
    roles = fields.List(fields.String())
    active = fields.Boolean()
    username = fields.String(allow_none=True)


class ItemOut(Strict):
    id = fields.String()
    number = fields.String()
    org_id = fields.String()
    org_path = fields.List(fields.String())
    title = fields.String()
    content = fields.String()
    status = fields.String(validate=one_of(STATUSES))
    source = fields.Dict()
    lead_department = fields.Nested(LeadRef)
    co_departments = fields.List(fields.Nested(UnitRef))
    supervising_department = fields.Nested(UnitRef, allow_none=True)
    responsible_person = fields.Nested(PersonRef, allow_none=True)
    responsible_person_reason = fields.String(allow_none=True)
    assigning_leader = fields.String(allow_none=True)
    deadline = fields.Date()
    original_deadline = fields.Date()
    due_by = fields.Date()
    overdue = fields.Boolean()
    signal = fields.String(metadata={"description": "红黄绿: red (overdue), yellow (still worked "
                                     "on and due within 7 days), green (on track), none (closed)",
                                     "enum": ["red", "yellow", "green", "none"]})
    category = fields.String()
    completion_form = fields.String(allow_none=True)
    completion_standard = fields.String(allow_none=True)
    feedback_cadence = fields.String()
    feedback_due_on = fields.Date(allow_none=True)
    feedback_overdue = fields.Boolean()
    last_feedback_on = fields.Date(allow_none=True)
    issued_on = fields.Date(allow_none=True)
    milestones = fields.List(fields.Dict())
    parent_id = fields.String(allow_none=True)
    progress = fields.Integer()
    quality = fields.Integer(allow_none=True)
    grade = fields.String(allow_none=True)
    completion_summary = fields.String(allow_none=True)
    completed_on = fields.Date(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer()


class ItemPage(Strict):
    items = fields.List(fields.Nested(ItemOut))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    total_exact = fields.Boolean()
    next_cursor = fields.String(allow_none=True)


class HistoryEntryOut(Strict):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    changes = fields.Dict()
    reason = fields.String(allow_none=True)


class EventPage(Strict):
    events = fields.List(fields.Dict())
    next_after = fields.Integer()


class CalendarOut(Strict):
    org = fields.String()
    year = fields.Integer()
    known = fields.Boolean()
    days = fields.List(fields.Nested(CalendarDayIn))


# The body each state-moving action takes (shared/contracts/vocabulary.ACTIONS).
ACTION_BODIES = {
    "issue": OptionalCommentIn,
    "accept": OptionalCommentIn,
    "request_completion": CompletionIn,
    "complete": OptionalCommentIn,
    "return": ReasonIn,
    "evaluate": EvaluationIn,
    "cancel": ReasonIn,
    "suspend": ReasonIn,
    "resume": OptionalCommentIn,
}
