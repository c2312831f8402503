"""What notify asks tracking when its own projection cannot answer: whether an
organisation is a group (ladders and templates belong to one), and an item it has not
received yet (taken in from tracking's snapshot as an event would be)."""
import logging

from sqlalchemy.exc import IntegrityError

from shared.errors import Conflict, DubanError, NotFound, ServiceUnavailable

from . import projection

log = logging.getLogger(__name__)


def require_group(org_id, fetch_unit):
    """404 unless tracking knows `org_id` as a group (a ladder stored for another unit
    would never apply to an item)."""
    try:
        unit = fetch_unit(org_id)
    except NotFound:
        unit = None
    if unit is None or unit.get("kind") != "group":
        raise NotFound("No organisation '{}': ladders and templates belong to a "
                       "group".format(org_id))
    return org_id


def with_known_item(uow, ctx, item_id, action, fetch_item):
    """`action()`, for an item notify may not have projected yet (a new item, notify
    catching up after a stop, or its events parked as dead letters): on "unknown", ask
    tracking for the item as the caller sees it, project that snapshot (as an event
    would: an older version never overwrites a newer one) and run `action` again.
    Unknown to tracking too, or not the caller's: the 404 stands."""
    try:
        return action()
    except NotFound as unknown:
        uow.session.rollback()  # no transaction held open while tracking answers
        try:
            snapshot = fetch_item(str(item_id))
        except DubanError:
            raise unknown from None
        _project(uow, ctx, item_id, snapshot)
        return action()


def _project(uow, ctx, item_id, snapshot):
    try:
        with uow:
            projection.on_item_event(uow, ctx, {"data": snapshot})
    except (IntegrityError, Conflict):
        uow.session.rollback()  # its event got there at the same moment: projected
    except Exception:
        log.exception("could not project item %s from tracking's snapshot", item_id)
        raise ServiceUnavailable(
            "Notify could not take in item {} yet; try again in a moment".format(item_id),
            {"item": ["not yet received by notify"]}) from None
