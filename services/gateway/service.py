"""GatewayService: the HTTP API (v1), the OpenAPI document and the web pages."""
import base64
import uuid

from nameko.dependency_providers import Config
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from shared import broker_safety, masking
from shared.errors import ValidationFailed
from shared.rpc import TimedRpcProxy, call

from . import openapi, pages
from .http import (MAX_BASE64_BODY, CallerIdentity, api, file_format,
                   json_response, query_args, read_json, read_upload)

masking.install()
broker_safety.install()

ACTIONS = {  # URL segment -> tracking action
    "issue": "issue", "accept": "accept", "completion-request": "request_completion",
    "complete": "complete", "return": "return", "evaluate": "evaluate", "cancel": "cancel",
    "suspend": "suspend", "resume": "resume",
}
ACTION_RULE = "any({}):action".format(",".join(repr(a) for a in ACTIONS))
CONSUMERS = ("tracking",)


class GatewayService:
    name = "gateway"

    tracking = TimedRpcProxy("tracking")
    intake = TimedRpcProxy("intake")
    caller = CallerIdentity()
    config = Config()

    def rpc(self, service, method, *args):
        timeout = float(self.config.get("RPC_TIMEOUT_SECONDS", 10))
        return call(getattr(self, service), method, *args, timeout=timeout)

    def t(self, method, *args):
        return self.rpc("tracking", method, *args)

    # ---- operations
    @http("GET", "/health")
    @api()
    def health(self, request):
        services = {}
        for name in self.config.get("HEALTH_SERVICES", ["tracking"]):
            try:
                call(getattr(self, name), "ping", timeout=2.0)
                services[name] = "up"
            except Exception:
                services[name] = "down"
        ok = all(v == "up" for v in services.values())
        body = {"status": "ok" if ok else "degraded", "services": services}
        if not ok and request.args.get("strict") == "true":
            return json_response(503, body)
        return body

    @http("GET", "/api/v1/openapi.json")
    @api()
    def openapi_document(self, request):
        return openapi.document()

    @http("GET", "/api/v1/events")
    @api()
    def events(self, request):
        return self.t("list_events", query_args(request))

    @http("GET", "/api/v1/admin/dead-letters/<any(tracking):service>")
    @api()
    def dead_letters(self, request, service):
        return {"dead_letters": self.rpc(service, "list_dead_letters",
                                         request.args.get("all") == "true")}

    @http("POST", "/api/v1/admin/dead-letters/<any(tracking):service>/<int:letter_id>/replay")
    @api()
    def replay_dead_letter(self, request, service, letter_id):
        return self.rpc(service, "replay_dead_letter", letter_id)

    # ---- directory
    @http("POST", "/api/v1/org-units")
    @api(status=201)
    def create_org_unit(self, request):
        return self.t("create_org_unit", read_json(request))

    @http("GET", "/api/v1/org-units")
    @api()
    def list_org_units(self, request):
        return {"org_units": self.t("list_org_units")}

    @http("PATCH", "/api/v1/org-units/<code>")
    @api()
    def update_org_unit(self, request, code):
        return self.t("update_org_unit", code, read_json(request))

    @http("PUT", "/api/v1/org-units/<code>/contact")
    @api()
    def set_contact(self, request, code):
        return self.t("set_contact", code, read_json(request))

    @http("GET", "/api/v1/directory/changes")
    @api()
    def directory_changes(self, request):
        return {"changes": self.t("directory_changes")}

    @http("POST", "/api/v1/people")
    @api(status=201)
    def create_person(self, request):
        return self.t("create_person", read_json(request), request_id_for(request, self.caller))

    @http("GET", "/api/v1/people")
    @api()
    def list_people(self, request):
        return {"people": self.t("list_people", request.args.get("org_unit"))}

    # ---- items
    @http("POST", "/api/v1/items")
    @api(status=201)
    def create_item(self, request):
        # The item id is chosen here, once per request (or per Idempotency-Key), so a
        # request redelivered to tracking after a crash, or a client's retry with the
        # same key, cannot register the item twice. The same for people, feedback and
        # extension requests below.
        return self.t("register_item", read_json(request), request_id_for(request, self.caller))

    @http("GET", "/api/v1/items")
    @api()
    def list_items(self, request):
        return self.t("list_items", query_args(request))

    @http("GET", "/api/v1/items/<item_id>")
    @api()
    def get_item(self, request, item_id):
        return self.t("get_item", item_id)

    @http("GET", "/api/v1/items/<item_id>/history")
    @api()
    def item_history(self, request, item_id):
        return {"history": self.t("item_history", item_id)}

    @http("POST", "/api/v1/items/<item_id>/<" + ACTION_RULE + ">")
    @api()
    def item_action(self, request, item_id, action):
        return self.t("act", item_id, ACTIONS[action], read_json(request))

    @http("POST", "/api/v1/items/<item_id>/feedback")
    @api(status=201)
    def submit_feedback(self, request, item_id):
        return self.t("submit_feedback", item_id, read_json(request),
                      request_id_for(request, self.caller))

    @http("POST", "/api/v1/items/<item_id>/feedback/<int:feedback_id>/assessment")
    @api()
    def assess_feedback(self, request, item_id, feedback_id):
        return self.t("assess_feedback", item_id, feedback_id, read_json(request))

    @http("POST", "/api/v1/items/<item_id>/extension-requests")
    @api(status=201)
    def request_extension(self, request, item_id):
        return self.t("request_extension", item_id, read_json(request),
                      request_id_for(request, self.caller))

    @http("POST", "/api/v1/items/<item_id>/extension-requests/<rid>/decision")
    @api()
    def decide_extension(self, request, item_id, rid):
        if not rid.isdigit():
            raise ValidationFailed("Unknown extension request", {"rid": ["not a request id"]})
        return self.t("decide_extension", item_id, int(rid), read_json(request))

    # ---- intake (会议纪要 / 领导交办 / 年度目标)
    @http("POST", "/api/v1/intake/minutes")
    @api(status=201)
    def intake_minutes(self, request):
        upload = read_upload(request)
        if upload is None:
            return self.rpc("intake", "submit_minutes", read_json(request))
        form, filename, data = upload
        # The file goes to intake as it is: intake reads .txt (UTF-8 or GBK) and .docx.
        return self.rpc("intake", "submit_source", dict(
            form, kind="minutes", format=file_format(filename, ("txt", "docx")),
            encoding="base64", content=base64.b64encode(data).decode()))

    @http("POST", "/api/v1/intake/assignments")
    @api(status=201)
    def intake_assignments(self, request):
        return self.rpc("intake", "submit_assignments", read_json(request))

    @http("POST", "/api/v1/intake/goals")
    @api(status=201)
    def intake_goals(self, request):
        upload = read_upload(request)
        if upload is None:
            body = read_json(request, limit=MAX_BASE64_BODY)
            body.setdefault("format", "csv")
            return self.rpc("intake", "submit_source", dict(body, kind="goals"))
        form, filename, data = upload
        if "year" in form:
            form["year"] = int(form["year"]) if form["year"].isdigit() else form["year"]
        return self.rpc("intake", "submit_source", dict(
            form, kind="goals", format=file_format(filename, ("csv", "xlsx")), encoding="base64",
            content=base64.b64encode(data).decode()))

    @http("POST", "/api/v1/intake/sources")
    @api(status=201)
    def intake_source(self, request):
        return self.rpc("intake", "submit_source", read_json(request, limit=MAX_BASE64_BODY))

    @http("GET", "/api/v1/intake/sources")
    @api()
    def intake_sources(self, request):
        return {"sources": self.rpc("intake", "list_sources")}

    @http("GET", "/api/v1/intake/sources/<source_id>")
    @api()
    def intake_get_source(self, request, source_id):
        return self.rpc("intake", "get_source", source_id)

    @http("PATCH", "/api/v1/intake/sources/<source_id>/drafts/<draft_id>")
    @api()
    def intake_patch_draft_of(self, request, source_id, draft_id):
        return self.rpc("intake", "update_draft", draft_id, read_json(request), source_id)

    @http("DELETE", "/api/v1/intake/sources/<source_id>/drafts/<draft_id>")
    @api()
    def intake_drop_draft_of(self, request, source_id, draft_id):
        return self.rpc("intake", "drop_draft", draft_id, source_id)

    @http("PATCH", "/api/v1/intake/drafts/<draft_id>")
    @api()
    def intake_patch_draft(self, request, draft_id):
        return self.rpc("intake", "update_draft", draft_id, read_json(request))

    @http("DELETE", "/api/v1/intake/drafts/<draft_id>")
    @api()
    def intake_drop_draft(self, request, draft_id):
        return self.rpc("intake", "drop_draft", draft_id)

    @http("POST", "/api/v1/intake/sources/<source_id>/confirm")
    @api()
    def intake_confirm(self, request, source_id):
        return self.rpc("intake", "confirm", source_id, read_json(request))

    # ---- web pages
    @http("GET", "/")
    def page_items(self, request):
        return pages.render_items(self, request)

    @http("GET", "/items/<item_id>")
    def page_item(self, request, item_id):
        return pages.render_item(self, request, item_id)

    @http("GET", "/intake")
    def page_intake(self, request):
        return pages.render_intake(self, request)

    @http("POST", "/intake")
    def page_intake_submit(self, request):
        return pages.submit_intake(self, request)

    @http("GET", "/intake/sources/<source_id>")
    def page_source(self, request, source_id):
        return pages.render_source(self, request, source_id)

    @http("POST", "/intake/sources/<source_id>/drafts/<draft_id>")
    def page_edit_draft(self, request, source_id, draft_id):
        return pages.edit_draft(self, request, source_id, draft_id)

    @http("POST", "/intake/sources/<source_id>/confirm")
    def page_confirm(self, request, source_id):
        return pages.confirm_source(self, request, source_id)

    @http("GET", "/static/<any(duban.css):name>")
    def static(self, request, name):
        return Response(pages.static(name), mimetype="text/css")

    @http("GET,POST,PUT,PATCH,DELETE", "/api/<path:rest>")
    def api_not_found(self, request, rest):
        return json_response(404, {"error": {"code": "not_found",
                                             "message": "No such endpoint: /api/" + rest,
                                             "fields": {}}})


IDEMPOTENCY = uuid.UUID("6f1d3a52-8c0e-4b7a-9f57-2d1b7c0e5a11")


def request_id_for(request, caller):
    """One id per creating request, or per (caller, Idempotency-Key): see docs/api.md."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return str(uuid.uuid4())
    if len(key) > 200:
        raise ValidationFailed("Idempotency-Key is too long", {"Idempotency-Key": ["max 200"]})
    return str(uuid.uuid5(IDEMPOTENCY, "{}|{}".format(caller, key)))

