"""督办看板: the dashboard's figures over the items the caller may see."""
from sqlalchemy import or_, select

from ..domain import dashboard
from ..domain.lifecycle import OPEN
from ..models import Item, OrgUnit
from . import common, scope

COLUMNS = (Item.id, Item.number, Item.title, Item.status, Item.deadline, Item.due_by,
           Item.completed_on, OrgUnit.code, OrgUnit.name)


def dashboard_view(uow, query):
    """The caller's scope only (scope.visible_items): completed items due in the trend
    window, and every open one."""
    session = uow.session
    today = uow.clock.today()
    months = query.get("months") or dashboard.TREND_MONTHS
    since = dashboard.window_start(today, months)
    q = select(*COLUMNS).join(OrgUnit, Item.lead_unit_id == OrgUnit.id).where(
        or_(Item.deadline >= since, Item.status.in_([s.value for s in OPEN])))
    q = scope.visible_items(session, uow.principal, q)
    if query.get("org"):
        q = q.where(Item.org_id == common.unit_by_code(session, query["org"], "org").code)
    rows = [dict(zip(("id", "number", "title", "status", "deadline", "due_by", "completed_on",
                      "code", "name"), r)) for r in session.execute(q)]
    return dashboard.summary(rows, today, months)
