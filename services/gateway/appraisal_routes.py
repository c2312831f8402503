"""HTTP routes of the appraisal service: monthly reports (月度通报), half-year appraisals
(半年考核), weights per organisation. A mixin of GatewayService (added to its bases)."""
import base64

from nameko.web.handlers import http
from werkzeug.wrappers import Response

from shared.contracts import appraisal as a
from shared.rpc import TimedRpcProxy

from .http import api, query_args, read_json

APPRAISAL = "/api/v1/appraisals/{appraisal_id}"
# For openapi.OPERATIONS: (method, path, summary, request, query, response, status)
OPERATIONS = [
    ("get", "/api/v1/reports/monthly",
     "Monthly report (月度通报) of a month: JSON, or format=docx|xlsx to download",
     None, a.ReportQuery, None, 200),
    ("get", "/api/v1/reports", "Monthly reports published so far", None, None, None, 200),
    ("post", "/api/v1/appraisals", "Make a draft half-year appraisal (半年考核)", a.AppraisalIn,
     None, None, 201),
    ("get", "/api/v1/appraisals", "Appraisals made so far", None, None, None, 200),
    ("get", APPRAISAL, "One appraisal: JSON, or format=docx|xlsx to download", None,
     a.DocumentQuery, None, 200),
    ("post", APPRAISAL + "/recompute", "Recompute a draft from the latest events", None, None,
     None, 200),
    ("post", APPRAISAL + "/publish", "Publish and freeze (the period must have ended)", None,
     None, None, 200),
    ("post", APPRAISAL + "/adjustments", "Adjust a department's score, with a reason (audited)",
     a.AdjustmentIn, None, None, 201),
    ("get", "/api/v1/appraisal-weights/{org}", "The organisation's weights per scoring rule",
     None, None, None, 200),
    ("put", "/api/v1/appraisal-weights/{org}", "Set the weights (whole numbers summing to 100)",
     a.WeightsIn, None, None, 200),
]


def download(answer):
    """A document the service rendered ({filename, content_type, base64}) as a file."""
    if not (isinstance(answer, dict) and "base64" in answer and "filename" in answer):
        return answer
    return Response(base64.b64decode(answer["base64"]), status=200,
                    mimetype=answer["content_type"],
                    headers={"Content-Disposition":
                             'attachment; filename="{}"'.format(answer["filename"])})


class AppraisalRoutes:
    appraisal = TimedRpcProxy("appraisal")

    def ap(self, method, *args):
        return self.rpc("appraisal", method, *args)

    @http("GET", "/api/v1/reports/monthly")
    @api()
    def monthly_report(self, request):
        return download(self.ap("monthly_report", query_args(request)))

    @http("GET", "/api/v1/reports")
    @api(args=("org",))
    def list_reports(self, request):
        return {"reports": self.ap("list_reports", request.args.get("org"))}

    @http("POST", "/api/v1/appraisals")
    @api(status=201)
    def create_appraisal(self, request):
        return self.ap("create_appraisal", read_json(request))

    @http("GET", "/api/v1/appraisals")
    @api(args=("org",))
    def list_appraisals(self, request):
        return {"appraisals": self.ap("list_appraisals", request.args.get("org"))}

    @http("GET", "/api/v1/appraisals/<appraisal_id>")
    @api()
    def get_appraisal(self, request, appraisal_id):
        return download(self.ap("get_appraisal", appraisal_id, query_args(request)))

    @http("POST", "/api/v1/appraisals/<appraisal_id>/recompute")
    @api()
    def recompute_appraisal(self, request, appraisal_id):
        return self.ap("recompute_appraisal", appraisal_id)

    @http("POST", "/api/v1/appraisals/<appraisal_id>/publish")
    @api()
    def publish_appraisal(self, request, appraisal_id):
        return self.ap("publish_appraisal", appraisal_id)

    @http("POST", "/api/v1/appraisals/<appraisal_id>/adjustments")
    @api(status=201)
    def adjust_appraisal(self, request, appraisal_id):
        return self.ap("adjust_appraisal", appraisal_id, read_json(request))

    @http("GET", "/api/v1/appraisal-weights/<org>")
    @api()
    def get_weights(self, request, org):
        return self.ap("get_weights", org)

    @http("PUT", "/api/v1/appraisal-weights/<org>")
    @api()
    def set_weights(self, request, org):
        return self.ap("set_weights", org, read_json(request))
