"""GatewayService: the HTTP API (v1), the OpenAPI document and the web pages."""
import base64
import uuid

from nameko.dependency_providers import Config
from nameko.web.handlers import http
from werkzeug.wrappers import Response

from shared import broker_safety, masking
from shared.contracts.vocabulary import ACTION_BY_PATH
from shared.rpc import TimedRpcProxy, call

from . import auth, nodelay, openapi, pages
from .appraisal_routes import AppraisalRoutes
from .auth import CallerIdentity
from .item_routes import ItemPages
from .board_routes import BoardRoutes
from .notify_routes import NotifyRoutes
from .sessions import TrackingProxy
from .http import (GOAL_SHEET_FILES, MAX_BASE64_BODY, MINUTES_FILES, api, file_format,
                   idempotency_key, json_response, path_id, query_args, read_json, read_upload)

masking.install()
broker_safety.install()
nodelay.install()

ACTION_RULE = "any({}):action".format(",".join(repr(p) for p in ACTION_BY_PATH))
CONSUMING_SERVICES = "any(tracking,intake,notify,appraisal)"  # services with dead letters


class GatewayService(AppraisalRoutes, NotifyRoutes, ItemPages, BoardRoutes):
    name = "gateway"

    tracking = TrackingProxy("tracking")  # with the session cache (sessions.py)
    intake = TimedRpcProxy("intake")
    caller = CallerIdentity()
    config = Config()

    def rpc(self, service, method, *args):
        timeout = float(self.config.get("RPC_TIMEOUT_SECONDS", 10))
        return call(getattr(self, service), method, *args, timeout=timeout)

    def tracking_rpc(self, method, *args):
        return self.rpc("tracking", method, *args)

    def authenticate(self, request, secret=None):
        """The caller of this request (401 without a valid token); see auth.py."""
        return self.caller.authenticate(request, self.resolve_session, secret)

    def resolve_session(self, digest):
        """Who a token's digest stands for: from the session cache, else tracking."""
        return self.tracking.sessions.resolve(
            digest, lambda d: self.tracking_rpc("resolve_token", d))

    # ---- sign-in and tokens
    @http("POST", "/api/v1/auth/token")
    @api(status=201, public=True)
    def sign_in(self, request):
        secret = auth.new_secret()
        address = auth.client_address(request, bool(self.config.get("TRUST_PROXY")))
        session = self.tracking_rpc("sign_in", read_json(request), auth.digest(secret), address)
        return dict(session, token=secret, token_type="Bearer")

    @http("DELETE", "/api/v1/auth/token")
    @api()
    def sign_out(self, request):
        return self.tracking_rpc("sign_out", auth.digest(self.caller.secret))

    @http("GET", "/api/v1/auth/me")
    @api()
    def me(self, request):
        p = self.caller.principal
        return {"id": p.id, "kind": p.kind, "name": p.name, "roles": list(p.roles),
                "org_id": p.org_id, "organisation": p.organisation, "units": list(p.units)}

    @http("POST", "/api/v1/auth/password")
    @api()
    def change_password(self, request):
        return self.tracking_rpc("change_password", read_json(request))

    @http("POST", "/api/v1/tokens")
    @api(status=201)
    def create_token(self, request):
        secret = auth.new_secret()
        made = self.tracking_rpc("create_token", read_json(request), auth.digest(secret))
        return dict(made, token=secret)

    @http("GET", "/api/v1/tokens")
    @api(args=("all",))
    def list_tokens(self, request):
        return {"tokens": self.tracking_rpc("list_tokens", request.args.get("all") == "true")}

    @http("DELETE", "/api/v1/tokens/<token_id>")
    @api()
    def revoke_token(self, request, token_id):
        return self.tracking_rpc("revoke_token", path_id(token_id, "token"))

    # ---- operations
    @http("GET", "/health")
    @api(public=True)
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
        return self.tracking_rpc("list_events", query_args(request))

    @http("GET", "/api/v1/admin/dead-letters/<" + CONSUMING_SERVICES + ":service>")
    @api(args=("all",))
    def dead_letters(self, request, service):
        return {"dead_letters": self.rpc(service, "list_dead_letters",
                                         request.args.get("all") == "true")}

    @http("POST", "/api/v1/admin/dead-letters/<" + CONSUMING_SERVICES + ":service>/<int:letter_id>"
                  "/replay")
    @api()
    def replay_dead_letter(self, request, service, letter_id):
        return self.rpc(service, "replay_dead_letter", letter_id)

    @http("PATCH", "/api/v1/admin/dead-letters/<" + CONSUMING_SERVICES + ":service>/<int:letter_id>")
    @api()
    def correct_dead_letter(self, request, service, letter_id):
        return self.rpc(service, "correct_dead_letter", letter_id, read_json(request))

    @http("POST", "/api/v1/admin/dead-letters/<" + CONSUMING_SERVICES + ":service>/<int:letter_id>"
                  "/discard")
    @api()
    def discard_dead_letter(self, request, service, letter_id):
        return self.rpc(service, "discard_dead_letter", letter_id, read_json(request))

    # ---- office calendar
    @http("GET", "/api/v1/calendar")
    @api()
    def get_calendar(self, request):
        return self.tracking_rpc("get_calendar", query_args(request))

    @http("PUT", "/api/v1/calendar/<year>")
    @api()
    def set_calendar(self, request, year):
        return self.tracking_rpc("set_calendar", year, read_json(request))

    # ---- directory
    @http("POST", "/api/v1/org-units")
    @api(status=201)
    def create_org_unit(self, request):
        return self.tracking_rpc("create_org_unit", read_json(request))

    @http("GET", "/api/v1/org-units")
    @api(args=())
    def list_org_units(self, request):
        return {"org_units": self.tracking_rpc("list_org_units")}

    @http("GET", "/api/v1/org-units/<code>")
    @api()
    def get_org_unit(self, request, code):
        return self.tracking_rpc("get_org_unit", code)

    @http("PATCH", "/api/v1/org-units/<code>")
    @api()
    def update_org_unit(self, request, code):
        return self.tracking_rpc("update_org_unit", code, read_json(request))

    @http("PUT", "/api/v1/org-units/<code>/contact")
    @api()
    def set_contact(self, request, code):
        return self.tracking_rpc("set_contact", code, read_json(request))

    @http("GET", "/api/v1/directory/changes")
    @api(args=())
    def directory_changes(self, request):
        return {"changes": self.tracking_rpc("directory_changes")}

    @http("POST", "/api/v1/people")
    @api(status=201)
    def create_person(self, request):
        return self.tracking_rpc("create_person", read_json(request),
                                 request_id_for(request, self.caller))

    @http("GET", "/api/v1/people")
    @api(args=("org_unit",))
    def list_people(self, request):
        return {"people": self.tracking_rpc("list_people", request.args.get("org_unit"))}

    @http("PATCH", "/api/v1/people/<person_id>")
    @api()
    def update_person(self, request, person_id):
        return self.tracking_rpc("update_person", path_id(person_id, "person"),
                                 read_json(request))

    # ---- items
    @http("POST", "/api/v1/items")
    @api(status=201)
    def create_item(self, request):
        # The item id is chosen here, once per request (or per Idempotency-Key), so a
        # request redelivered to tracking after a crash, or a client's retry with the
        # same key, cannot register the item twice. The same for people, feedback and
        # extension requests below.
        return self.tracking_rpc("register_item", read_json(request),
                                 request_id_for(request, self.caller))

    @http("GET", "/api/v1/items")
    @api()
    def list_items(self, request):
        return self.tracking_rpc("list_items", query_args(request))

    @http("GET", "/api/v1/items/<item_id>")
    @api()
    def get_item(self, request, item_id):
        return self.tracking_rpc("get_item", item_id)

    @http("PATCH", "/api/v1/items/<item_id>")
    @api()
    def update_item(self, request, item_id):
        return self.tracking_rpc("update_item", item_id, read_json(request))

    @http("GET", "/api/v1/items/<item_id>/history")
    @api()
    def item_history(self, request, item_id):
        return {"history": self.tracking_rpc("item_history", item_id)}

    @http("POST", "/api/v1/items/<item_id>/<" + ACTION_RULE + ">")
    @api()
    def item_action(self, request, item_id, action):
        return self.tracking_rpc("act", item_id, ACTION_BY_PATH[action].code, read_json(request))

    @http("POST", "/api/v1/items/<item_id>/feedback")
    @api(status=201)
    def submit_feedback(self, request, item_id):
        return self.tracking_rpc("submit_feedback", item_id, read_json(request),
                                 request_id_for(request, self.caller))

    @http("POST", "/api/v1/items/<item_id>/feedback/<int:feedback_id>/assessment")
    @api()
    def assess_feedback(self, request, item_id, feedback_id):
        return self.tracking_rpc("assess_feedback", item_id, feedback_id, read_json(request))

    @http("POST", "/api/v1/items/<item_id>/extension-requests")
    @api(status=201)
    def request_extension(self, request, item_id):
        return self.tracking_rpc("request_extension", item_id, read_json(request),
                                 request_id_for(request, self.caller))

    @http("POST", "/api/v1/items/<item_id>/extension-requests/<rid>/decision")
    @api()
    def decide_extension(self, request, item_id, rid):
        return self.tracking_rpc("decide_extension", item_id,
                                 path_id(rid, "extension request"), read_json(request))

    # ---- intake (会议纪要 / 领导交办 / 年度目标)
    @http("POST", "/api/v1/intake/minutes")
    @api(status=201)
    def intake_minutes(self, request):
        upload = read_upload(request)
        if upload is None:
            return self.rpc("intake", "submit_minutes", read_json(request))
        form, filename, data = upload
        # The file goes to intake as it is: intake reads .txt (UTF-8 or GBK), .docx and text PDFs.
        return self.rpc("intake", "submit_source", dict(
            form, kind="minutes", format=file_format(filename, MINUTES_FILES),
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
            year = form["year"].strip()
            form["year"] = int(year) if year.isascii() and year.isdigit() else year
        return self.rpc("intake", "submit_source", dict(
            form, kind="goals", format=file_format(filename, GOAL_SHEET_FILES), encoding="base64",
            content=base64.b64encode(data).decode()))

    @http("POST", "/api/v1/intake/sources")
    @api(status=201)
    def intake_source(self, request):
        return self.rpc("intake", "submit_source", read_json(request, limit=MAX_BASE64_BODY))

    @http("GET", "/api/v1/intake/sources")
    @api(args=())
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
    @http("GET", "/signin")
    def page_sign_in(self, request):
        return pages.render_sign_in(request)

    @http("POST", "/signin")
    def page_sign_in_submit(self, request):
        return pages.sign_in(self, request)

    @http("POST", "/signout")
    @pages.page
    def page_sign_out(self, request):
        return pages.sign_out(self, request)


    @http("GET", "/static/<any(duban.css):name>")
    def static(self, request, name):
        return Response(pages.static(name), mimetype="text/css")

    @http("GET,POST,PUT,PATCH,DELETE", "/api/<path:rest>")
    def api_not_found(self, request, rest):
        return json_response(404, {"error": {"code": "not_found",
                                             "message": "No such endpoint: /api/" + rest,
                                             "fields": {}}})


def request_id_for(request, caller):
    """One id per creating request, or per (caller, Idempotency-Key): see docs/api.md."""
    return idempotency_key(request, caller) or str(uuid.uuid4())
