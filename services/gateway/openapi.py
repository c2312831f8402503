"""The OpenAPI 3 document, generated from the marshmallow schemas of the contracts."""
import functools

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

from shared.contracts import intake as i
from shared.contracts import tracking as t
from shared.contracts import vocabulary as words

from .appraisal_routes import OPERATIONS as APPRAISAL_OPERATIONS
from .notify_routes import OPERATIONS as NOTIFY_OPERATIONS


class ErrorBody(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields_ = fields.Dict(data_key="fields")


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)


class HistoryPage(Schema):
    history = fields.List(fields.Nested(t.HistoryEntryOut))


class OrgUnitList(Schema):
    org_units = fields.List(fields.Nested(t.OrgUnitOut))


class PersonList(Schema):
    people = fields.List(fields.Nested(t.PersonOut))


class Health(Schema):
    status = fields.String()
    services = fields.Dict(keys=fields.String(), values=fields.String())


ITEM = "/api/v1/items/{item_id}"
# (method, path, summary, request schema, query schema, response schema, success status)
OPERATIONS = [
    ("get", "/health", "Reachability of each service", None, None, Health, 200),
    ("post", "/api/v1/auth/token", "Sign in with username and password: a session token "
     "(no Authorization needed)", t.SignIn, None, None, 201),
    ("delete", "/api/v1/auth/token", "Sign out: the calling session ends", None, None, None, 200),
    ("get", "/api/v1/auth/me", "Who the token belongs to: roles, group, organisation, "
     "departments", None, None, None, 200),
    ("post", "/api/v1/auth/password", "Change one's own password (ends every session)",
     t.PasswordChange, None, None, 200),
    ("post", "/api/v1/tokens", "Make an API token for a system (admin; the secret is shown once)",
     t.TokenIn, None, None, 201),
    ("get", "/api/v1/tokens", "API tokens and sessions of the caller's group (admin)", None, None,
     None, 200),
    ("delete", "/api/v1/tokens/{token_id}", "Revoke a token (admin, or one's own session)", None,
     None, None, 200),
    ("patch", "/api/v1/people/{person_id}", "Rename, re-role, (de)activate a person or set their "
     "sign-in (admin; deactivating ends their sessions)", t.PersonPatch, None, t.PersonOut, 200),
    ("get", "/api/v1/directory/changes", "The directory's audit trail (admin)", None, None, None,
     200),
    ("post", "/api/v1/org-units", "Create an org unit (group, subsidiary or department)",
     t.OrgUnitIn, None, t.OrgUnitOut, 201),
    ("get", "/api/v1/org-units", "List the org units", None, None, OrgUnitList, 200),
    ("get", "/api/v1/org-units/{code}", "One org unit by its code (404 if unknown or not yours "
     "to see)", None, None, t.OrgUnitOut, 200),
    ("patch", "/api/v1/org-units/{code}",
     "Rename a unit, maintain its aliases, name its head and supervising leader, set a group's "
     "number format", t.OrgUnitPatch, None, t.OrgUnitOut, 200),
    ("put", "/api/v1/org-units/{code}/contact", "Name a department's contact and substitutes",
     t.ContactIn, None, t.OrgUnitOut, 200),
    ("post", "/api/v1/people", "Create a person", t.PersonIn, None, t.PersonOut, 201),
    ("get", "/api/v1/people", "List people", None, None, PersonList, 200),
    ("post", "/api/v1/items", "Register a supervised item (立项)", t.ItemIn, None, t.ItemOut, 201),
    ("get", "/api/v1/items", "Search items", None, t.ItemQuery, t.ItemPage, 200),
    ("get", ITEM, "One item with its feedback and extension requests", None, None, t.ItemOut, 200),
    ("patch", ITEM, "Correct a registered item (the deadline moves by extension only)",
     t.ItemPatch, None, t.ItemOut, 200),
    ("get", ITEM + "/history", "The item's immutable history", None, None, HistoryPage, 200),
] + [("post", ITEM + "/" + a.path, "{} ({})".format(a.en.capitalize(), a.zh),
       t.ACTION_BODIES[a.code], None, t.ItemOut, 200) for a in words.ACTIONS.values()] + [
    ("post", ITEM + "/feedback", "Report progress (进展反馈)", t.FeedbackIn, None, None, 201),
    ("post", ITEM + "/feedback/{feedback_id}/assessment", "Mark feedback accurate or not",
     t.AccuracyIn, None, None, 200),
    ("post", ITEM + "/extension-requests", "Request an extension (延期申请)", t.ExtensionIn, None,
     None, 201),
    ("post", ITEM + "/extension-requests/{rid}/decision", "Decide an extension request",
     t.DecisionIn, None, None, 200),
    ("get", "/api/v1/events", "The event log, for catching up (cursor = seq)", None, t.EventsQuery,
     t.EventPage, 200),
    ("get", "/api/v1/calendar", "A year of an office calendar (holidays, adjusted working days)",
     None, t.CalendarQuery, t.CalendarOut, 200),
    ("put", "/api/v1/calendar/{year}", "Replace a year of an office calendar", t.CalendarIn, None,
     t.CalendarOut, 200),
    ("post", "/api/v1/intake/minutes",
     "Meeting minutes (会议纪要) to drafts: JSON, or multipart with a .txt/.docx/.pdf (text PDF) `file`",
     i.MinutesIn, None, None, 201),
    ("post", "/api/v1/intake/assignments", "Leader assignments (领导交办) to drafts",
     i.AssignmentsIn, None, None, 201),
    ("post", "/api/v1/intake/goals",
     "Annual goal sheet (年度目标) to drafts: multipart .csv/.xlsx `file` (+ year), or JSON",
     i.DocumentIn, None, None, 201),
    ("post", "/api/v1/intake/sources", "Any registered parser (kind, format), plugins included",
     i.DocumentIn, None, None, 201),
    ("get", "/api/v1/intake/sources", "Recent sources", None, None, None, 200),
    ("get", "/api/v1/intake/sources/{source_id}", "A source with its drafts", None, None, None,
     200),
    ("patch", "/api/v1/intake/sources/{source_id}/drafts/{draft_id}", "Correct a draft",
     i.DraftPatch, None, None, 200),
    ("delete", "/api/v1/intake/sources/{source_id}/drafts/{draft_id}", "Drop a draft", None, None,
     None, 200),
    ("patch", "/api/v1/intake/drafts/{draft_id}", "Correct a draft", i.DraftPatch, None, None,
     200),
    ("delete", "/api/v1/intake/drafts/{draft_id}", "Drop a draft", None, None, None, 200),
    ("post", "/api/v1/intake/sources/{source_id}/confirm",
     "Confirm pending drafts into items (idempotent; all or nothing)", i.ConfirmIn, None, None,
     200),
    ("get", "/api/v1/admin/dead-letters/{service}", "Parked events of a consuming service", None,
     None, None, 200),
    ("post", "/api/v1/admin/dead-letters/{service}/{letter_id}/replay",
     "Replay a parked event after fixing its cause", None, None, None, 200),
    ("patch", "/api/v1/admin/dead-letters/{service}/{letter_id}",
     "Correct a parked event's payload ({payload, reason}; audited)", None, None, None, 200),
    ("post", "/api/v1/admin/dead-letters/{service}/{letter_id}/discard",
     "Discard a parked event for good ({reason}; audited)", None, None, None, 200),
]


OPERATIONS += NOTIFY_OPERATIONS + APPRAISAL_OPERATIONS
PUBLIC = {("get", "/health"), ("post", "/api/v1/auth/token")}  # need no token


def _path_params(path):
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [{"in": "path", "name": n, "required": True, "schema": {"type": "string"}}
            for n in names]


@functools.lru_cache(maxsize=1)
def document():
    spec = APISpec(title="Duban API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "督办 supervision platform: items, directory, events."})
    spec.components.schema("Error", schema=Error)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    paths = {}
    for method, path, summary, body, query, response, status in OPERATIONS:
        op = {"summary": summary, "parameters": _path_params(path),
              "responses": {str(status): {"description": "OK"}}}
        if response is not None:
            op["responses"][str(status)]["content"] = {"application/json": {"schema": response}}
        if query is not None:
            op["parameters"].append({"in": "query", "schema": query})
        if body is not None:
            op["requestBody"] = {"required": True,
                                 "content": {"application/json": {"schema": body}}}
        if (method, path) in PUBLIC:
            op["security"] = []
        for code, why in (("400", "Malformed request"), ("401", "No valid token"),
                          ("403", "Your role may not do this"), ("404", "Not found"),
                          ("409", "Conflicts with the current state"),
                          ("422", "Invalid input")):
            op["responses"][code] = {"description": why, "content": {
                "application/json": {"schema": "Error"}}}
        paths.setdefault(path, {})[method] = op
    for path, ops in paths.items():
        spec.path(path=path, operations=ops)
    spec.options["security"] = [{"bearer": []}]
    return spec.to_dict()
