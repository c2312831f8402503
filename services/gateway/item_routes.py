"""The item, "my items" and intake page routes, mixed into GatewayService (pages of P2)."""
from nameko.web.handlers import http

from . import intake_pages, item_forms, item_labels, item_pages, my_pages  # noqa: F401
from .pages import page

ACTION_RULE = "any(issue,accept,request_completion,complete,return,evaluate,cancel,suspend," \
              "resume,submit_feedback,request_extension,decide_extension,assess_feedback):action"


class ItemPages:
    @http("GET", "/items/<item_id>")
    @page
    def page_item(self, request, item_id):
        if item_id == "new":
            return item_forms.render_new(self, request)
        return item_pages.render_item(self, request, item_id)

    @http("POST", "/items/new")
    @page
    def page_item_create(self, request):
        return item_forms.create(self, request)

    @http("GET", "/items/<item_id>/edit")
    @page
    def page_item_edit(self, request, item_id):
        return item_forms.render_edit(self, request, item_id)

    @http("POST", "/items/<item_id>/edit")
    @page
    def page_item_save(self, request, item_id):
        return item_forms.save(self, request, item_id)

    @http("POST", "/items/<item_id>/act/<" + ACTION_RULE + ">")
    @page
    def page_item_act(self, request, item_id, action):
        return item_pages.act(self, request, item_id, action)

    @http("GET", "/my")
    @page
    def page_my(self, request):
        return my_pages.render_my(self, request)

    # ---- intake
    @http("GET", "/intake")
    @page
    def page_intake(self, request):
        return intake_pages.render_intake(self, request)

    @http("POST", "/intake")
    @page
    def page_intake_submit(self, request):
        return intake_pages.submit_minutes(self, request)

    @http("POST", "/intake/goals")
    @page
    def page_intake_goals(self, request):
        return intake_pages.submit_goals(self, request)

    @http("POST", "/intake/assignments")
    @page
    def page_intake_assignments(self, request):
        return intake_pages.submit_assignments(self, request)

    @http("GET", "/intake/sources/<source_id>")
    @page
    def page_source(self, request, source_id):
        return intake_pages.render_source(self, request, source_id)

    @http("POST", "/intake/sources/<source_id>/drafts/<draft_id>")
    @page
    def page_edit_draft(self, request, source_id, draft_id):
        return intake_pages.edit_draft(self, request, source_id, draft_id)

    @http("POST", "/intake/sources/<source_id>/confirm")
    @page
    def page_confirm(self, request, source_id):
        return intake_pages.confirm_source(self, request, source_id)
