"""Use cases of the appraisal service: take validated input and a unit of work, return views.

Each writing use case runs inside `with uow:` and commits once: the change and its
outbox event land together or not at all. One module per subject: the projection
(rebuild), the monthly report (reports), the half-year appraisal (appraisals), weights.
"""
from .appraisals import (adjust, compute, create_appraisal, get_appraisal, list_appraisals,
                         publish_appraisal, recompute_appraisal)
from .rebuild import apply_event, projection_status, rebuild_step
from .reports import list_reports, monthly_report, publish_due_reports
from .weights import get_weights, set_weights

__all__ = ["adjust", "compute", "create_appraisal", "get_appraisal", "list_appraisals",
           "publish_appraisal", "recompute_appraisal", "apply_event", "projection_status",
           "rebuild_step", "list_reports", "monthly_report", "publish_due_reports",
           "get_weights", "set_weights"]
