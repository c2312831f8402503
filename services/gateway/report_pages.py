"""通报考核: the monthly report of a month and the half-year appraisals (read only).

The documents are the appraisal service's; the .docx/.xlsx links go through the same
`download` the API routes use."""
import datetime as dt

from shared.clock import Clock
from shared.errors import DubanError, ValidationFailed
from shared.rpc import call

from .appraisal_routes import download
from .ledger_pages import kept_query
from .local_time import local_minute
from .pages import _explain, _html

def last_month(today):
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.strftime("%Y-%m")


def chosen_month(request):
    """The month asked for (appraisal judges it: a month that is not one is its 422), last
    month when none is."""
    return (request.args.get("month") or "").strip() or last_month(Clock().today())


def render_reports(service, request):
    month = chosen_month(request)
    report = appraisals = None
    report_error = appraisals_error = None
    status = 200
    try:
        report = call(service.appraisal, "monthly_report", {"month": month})
    except ValidationFailed as exc:   # not a month, or one not begun: say so, keep the page
        report_error, status = _explain(exc), exc.status
    except DubanError as exc:
        report_error = _explain(exc)
    try:
        appraisals = call(service.appraisal, "list_appraisals")
    except DubanError as exc:
        appraisals_error = _explain(exc)
    if report_error and appraisals_error:
        return _html("error.html", status=403, message=report_error)
    return _html("reports.html", status=status, month=month, report=report,
                 report_error=report_error,
                 appraisals=appraisals or [], appraisals_error=appraisals_error,
                 when=local_minute, keep=kept_query(request))


def report_document(service, request, fmt):
    try:
        return download(call(service.appraisal, "monthly_report",
                             {"month": chosen_month(request), "format": fmt}))
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=_explain(exc))


def render_appraisal(service, request, appraisal_id):
    try:
        view = call(service.appraisal, "get_appraisal", appraisal_id, {})
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=_explain(exc))
    return _html("appraisal.html", appraisal=view, when=local_minute)


def appraisal_document(service, request, appraisal_id, fmt):
    try:
        return download(call(service.appraisal, "get_appraisal", appraisal_id, {"format": fmt}))
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=_explain(exc))
