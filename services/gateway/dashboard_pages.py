"""督办看板: the dashboard page; tracking's `dashboard` RPC computes it in the caller's scope."""
from shared.errors import DubanError
from shared.rpc import call

from .pages import _explain, _html


def bar_width(value, largest):
    """A bar's width in percent of the widest (0 for nothing)."""
    return 0 if not largest else round(100.0 * value / largest, 1)


def render_dashboard(service, request):
    try:
        board = call(service.tracking, "dashboard", {})
    except DubanError as exc:
        return _html("error.html", status=exc.status, message=_explain(exc))
    widest = max([d["total"] for d in board["departments"]] or [0])
    busiest = max([m["due"] for m in board["trend"]] or [0])
    return _html("dashboard.html", board=board, widest=widest, busiest=busiest,
                 width=bar_width)
