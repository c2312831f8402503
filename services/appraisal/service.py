"""AppraisalService: monthly reports (月度通报) and half-year appraisals (半年考核) of departments,
from a projection of item outcomes on tracking.events (and chases on notify.events);
publishes appraisal.events."""
import base64


from shared import access
from shared.consumer import DeadLetterAdmin, DeadLetters, reliable_handler
from shared.contracts import appraisal as contract
from shared.outbox import Outbox
from shared.plugins import Discovered
from shared.providers import config_timer
from shared.rpc import TimedRpcProxy, call, exactly_once, rpc
from shared.schemas import load
from shared.service import ServiceBase

from . import access as guard
from . import handlers, projection
from .domain.accountability import Thresholds
from .models import DeadLetter, InboxEntry, OutboxEvent
from .plugins import discover_rules

SOURCE = "tracking"
CONSUMER_PREFIX = SOURCE + ".on_"


class AppraisalService(ServiceBase, DeadLetterAdmin):
    name = "appraisal"
    inbox_model = InboxEntry
    outbox = Outbox(OutboxEvent)
    dead_letters = DeadLetters(DeadLetter)
    rules = Discovered(discover_rules)  # the scoring-rule plugins: {key: rule}
    tracking = TimedRpcProxy("tracking")
    notify = TimedRpcProxy("notify")

    def thresholds(self):
        c = self.config
        return Thresholds(silent_days=int(c.get("INACTION_SILENT_DAYS", 30)),
                          unexplained_overdue=int(c.get("INACTION_UNEXPLAINED_OVERDUE", 2)),
                          unanswered_chases=int(c.get("INACTION_UNANSWERED_CHASES", 3)),
                          chase_answer_days=int(c.get("INACTION_CHASE_ANSWER_DAYS", 5)))

    # ---- the projection
    def project(self, payload):
        """Apply an event (reliable_handler has claimed it in the inbox, in this unit of
        work: a redelivery changes nothing; a race with a concurrent delivery or the
        rebuild, a Conflict, is retried there, and bad data is parked at once)."""
        handlers.apply_event(self.uow(), payload)

    @reliable_handler("notify", "chase.sent")
    def on_chase_sent(self, payload):
        """Count a manual chase (催办) for the item and its lead department."""
        self.project(payload)

    @config_timer("REBUILD_CHECK_SECONDS", 5)
    def rebuild(self):
        """On an empty database, read tracking's event log from the start (page by page),
        then notify's `chase.sent` (its log keeps every chase; the chases arrive after
        their items); a producer that is down is simply tried again on the next tick."""
        timeout = float(self.config.get("RPC_TIMEOUT_SECONDS", 10))
        for source, proxy, types in (("tracking", self.tracking, None),
                                     ("notify", self.notify, projection.NOTIFY_TYPES)):
            def fetch(query, proxy=proxy, types=types):
                if types:
                    query = dict(query, type=types[0])
                return call(proxy, "list_events", query, timeout=timeout)
            done = False
            while not done:
                done = handlers.rebuild_step(self.uow(), fetch, consumer_for(source),
                                             source=source)
        return True

    @rpc
    def projection_status(self):
        return handlers.projection_status(self.uow(), CONSUMER_PREFIX)

    # ---- monthly reports
    @config_timer("REPORT_CHECK_SECONDS", 600)
    def monthly_timer(self):
        return handlers.publish_due_reports(self.uow())

    @rpc
    @exactly_once
    def publish_due_reports(self):
        access.require_platform(self.uow().principal)
        return handlers.publish_due_reports(self.uow())

    @rpc
    def monthly_report(self, query):
        q = load(contract.ReportQuery, query)
        q["org"] = guard.org(self.uow(), q["org"], *guard.READERS)
        content = handlers.monthly_report(self.uow(), q["org"], q["month"])
        return render(content, q["format"], "report",
                      "monthly-report-{}-{}".format(content["org"], content["month"]))

    @rpc
    def list_reports(self, org=None):
        return handlers.list_reports(self.uow(), guard.org(self.uow(), org, *guard.READERS))

    # ---- half-year appraisals
    @rpc
    @exactly_once
    def create_appraisal(self, payload):
        data = load(contract.AppraisalIn, payload)
        data["org"] = guard.org(self.uow(), data.get("org"), *access.SUPERVISING)
        return handlers.create_appraisal(self.uow(), data, self.rules, self.thresholds())

    @rpc
    def get_appraisal(self, appraisal_id, query=None):
        q = load(contract.DocumentQuery, query or {})
        guard.appraisal(self.uow(), appraisal_id, *guard.READERS)
        view = handlers.get_appraisal(self.uow(), appraisal_id, self.rules)
        return render(view, q["format"], "appraisal",
                      "appraisal-{}-{}".format(view["org"], view["period"]))

    @rpc
    def list_appraisals(self, org=None):
        return handlers.list_appraisals(self.uow(), guard.org(self.uow(), org, *guard.READERS))

    @rpc
    @exactly_once
    def recompute_appraisal(self, appraisal_id):
        guard.appraisal(self.uow(), appraisal_id, *access.SUPERVISING)
        return handlers.recompute_appraisal(self.uow(), appraisal_id, self.rules,
                                            self.thresholds())

    @rpc
    @exactly_once
    def publish_appraisal(self, appraisal_id):
        guard.appraisal(self.uow(), appraisal_id, *access.SUPERVISING)
        return handlers.publish_appraisal(self.uow(), appraisal_id, self.rules,
                                          self.thresholds())

    @rpc
    @exactly_once
    def adjust_appraisal(self, appraisal_id, payload):
        guard.appraisal(self.uow(), appraisal_id, *access.SUPERVISING)
        return handlers.adjust(self.uow(), appraisal_id, load(contract.AdjustmentIn, payload),
                               self.rules, self.thresholds())

    # ---- weights per organisation
    @rpc
    def get_weights(self, org):
        return handlers.get_weights(self.uow(), guard.org(self.uow(), org, *guard.READERS),
                                    self.rules)

    @rpc
    @exactly_once
    def set_weights(self, org, payload):
        data = load(contract.WeightsIn, payload)
        org = guard.org(self.uow(), org, *access.SUPERVISING)
        return handlers.set_weights(self.uow(), org, data["weights"], self.rules)


def render(view, fmt, kind, stem):
    """JSON as it is; a document (`documents.<kind>_docx` or `_xlsx`) as {filename,
    content_type, base64} (RPC carries JSON only)."""
    if fmt == "json":
        return view
    # Imported when a document is first asked for: python-docx, openpyxl and matplotlib
    # are 50 MB of the service's memory that most instances never need.
    from . import documents
    body = getattr(documents, "{}_{}".format(kind, fmt))(view)
    return {"filename": "{}.{}".format(stem, fmt), "content_type": documents.CONTENT_TYPES[fmt],
            "base64": base64.b64encode(body).decode("ascii")}


def handler_name(event_type):
    return "on_" + event_type.replace(".", "_")


def consumer_of(event_type, source=SOURCE):
    """The inbox consumer name reliable_handler claims an event under (source.method): the
    rebuild claims under the same name, so an event is applied once either way."""
    return "{}.{}".format(source, handler_name(event_type))


def consumer_for(source):
    """consumer_of for the events of one producer."""
    return lambda event_type: consumer_of(event_type, source)


def projector(event_type):
    """A reliable handler for one tracking event type (nameko binds one type per handler)."""
    def handler(self, payload):
        return self.project(payload)
    handler.__name__ = handler.__qualname__ = handler_name(event_type)
    handler.__doc__ = "Project `{}` into the item outcomes.".format(event_type)
    return reliable_handler(SOURCE, event_type, batch=BATCHED.get(event_type),
                            batch_autoflush=False,
                            batch_prepare=lambda uow, payloads: projection.read_batch(
                                uow.session, payloads))(handler)


# A bulk registration sends thousands of item.registered at once: applied up to 100 per
# transaction (shared/batching.py), each still claimed once in the inbox.
BATCHED = {"item.registered": 100}


for _type in projection.HANDLED_TYPES:
    setattr(AppraisalService, handler_name(_type), projector(_type))
