"""The notify service's HTTP routes, mixed into GatewayService: reminders, manual chases
(催办), the delivery log, ladders, templates, channels and webhooks."""
from nameko.web.handlers import http

from shared.contracts import notify as contract
from shared.rpc import TimedRpcProxy

from . import notify_pages
from .http import api, path_id, query_args, read_json


class NotifyRoutes:
    notify = TimedRpcProxy("notify")

    def n(self, method, *args):
        return self.rpc("notify", method, *args)

    @http("GET", "/api/v1/items/<item_id>/reminders")
    @api()
    def item_reminders(self, request, item_id):
        return self.n("item_reminders", item_id)

    @http("POST", "/api/v1/items/<item_id>/chase")
    @api(status=201)
    def chase_item(self, request, item_id):
        return self.n("chase", item_id, read_json(request))

    @http("GET", "/api/v1/notifications")
    @api()
    def notifications(self, request):
        return self.n("list_notifications", query_args(request))

    @http("GET", "/api/v1/notify/channels")
    @api(args=())
    def notify_channels(self, request):
        return self.n("list_channels")

    @http("GET", "/api/v1/notify/ladders/<org_id>/<category>")
    @api()
    def get_ladder(self, request, org_id, category):
        return self.n("get_ladder", org_id, category)

    @http("PUT", "/api/v1/notify/ladders/<org_id>/<category>")
    @api()
    def set_ladder(self, request, org_id, category):
        return self.n("set_ladder", org_id, category, read_json(request))

    @http("GET", "/api/v1/notify/templates/<org_id>")
    @api()
    def list_templates(self, request, org_id):
        return self.n("list_templates", org_id)

    @http("PUT", "/api/v1/notify/templates/<org_id>/<kind>")
    @api()
    def set_template(self, request, org_id, kind):
        return self.n("set_template", org_id, kind, read_json(request))

    @http("POST", "/api/v1/webhooks")
    @api(status=201)
    def create_webhook(self, request):
        return self.n("create_webhook", read_json(request))

    @http("GET", "/api/v1/webhooks")
    @api(args=())
    def list_webhooks(self, request):
        return self.n("list_webhooks")

    @http("DELETE", "/api/v1/webhooks/<webhook_id>")
    @api()
    def delete_webhook(self, request, webhook_id):
        return self.n("delete_webhook", path_id(webhook_id, "webhook"))

    @http("GET", "/api/v1/webhooks/<webhook_id>/deliveries")
    @api(args=())
    def webhook_deliveries(self, request, webhook_id):
        return self.n("webhook_deliveries", path_id(webhook_id, "webhook"))

    @http("POST", "/api/v1/webhooks/<webhook_id>/deliveries/<delivery_id>/redeliver")
    @api()
    def redeliver_webhook(self, request, webhook_id, delivery_id):
        return self.n("redeliver_webhook", path_id(webhook_id, "webhook"),
                      path_id(delivery_id, "delivery"))

    # ---- pages
    @http("GET", "/items/<item_id>/reminders")
    def page_item_reminders(self, request, item_id):
        return notify_pages.render_reminders(self, request, item_id)

    @http("POST", "/items/<item_id>/chase")
    def page_chase(self, request, item_id):
        return notify_pages.submit_chase(self, request, item_id)


# For openapi.OPERATIONS: (method, path, summary, request, query, response, status)
OPERATIONS = [
    ("get", "/api/v1/items/{item_id}/reminders",
     "The item's reminder rungs {rung, due_at, status, channel, recipient (masked)}",
     None, None, None, 200),
    ("post", "/api/v1/items/{item_id}/chase", "Chase now (催办): sent at once, logged, counted",
     contract.ChaseIn, None, None, 201),
    ("get", "/api/v1/notifications", "The delivery log, filtered and paged", None,
     contract.NotificationQuery, None, 200),
    ("get", "/api/v1/notify/channels", "The channels (plugins) this deployment has", None, None,
     None, 200),
    ("get", "/api/v1/notify/ladders/{org_id}/{category}", "The reminder ladder in force", None,
     None, None, 200),
    ("put", "/api/v1/notify/ladders/{org_id}/{category}", "Set an organisation's ladder",
     contract.LadderIn, None, None, 200),
    ("get", "/api/v1/notify/templates/{org_id}", "An organisation's SMS texts", None, None, None,
     200),
    ("put", "/api/v1/notify/templates/{org_id}/{kind}", "Set one SMS text", contract.TemplateIn,
     None, None, 200),
    ("post", "/api/v1/webhooks", "Register a webhook (URL, event types, secret)",
     contract.WebhookIn, None, None, 201),
    ("get", "/api/v1/webhooks", "The registered webhooks", None, None, None, 200),
    ("delete", "/api/v1/webhooks/{webhook_id}", "Remove a webhook", None, None, None, 200),
    ("get", "/api/v1/webhooks/{webhook_id}/deliveries", "A webhook's deliveries and responses",
     None, None, None, 200),
    ("post", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
     "Send a delivery again", None, None, None, 200),
]
