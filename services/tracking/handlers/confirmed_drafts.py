"""Drafts confirmed in intake become items, or are refused out loud."""
from shared import errors
from shared.schemas import load

from shared.contracts import tracking as contract
from . import items


def register_or_reject(uow, data, prefix="DB"):
    """Register the item a confirmed draft asks for; if the directory changed since
    intake's dry run and tracking must refuse it, publish `item.registration_rejected`
    with the reason instead of parking the event, so intake can show it."""
    with uow:
        try:
            request = load(contract.ItemIn, data["item"])
            resolved = items.resolve(uow, request, check_today=False)
        except (errors.ValidationFailed, errors.Conflict) as refusal:
            uow.emit("item.registration_rejected",
                     {"item_id": data["item_id"], "draft_id": data.get("draft_id"),
                      "source_id": data.get("source_id"), "actor": uow.actor,
                      "reason": refusal.message, "fields": refusal.fields},
                     subject_id=data["item_id"])
            return None
        return items.register_item(uow, request, item_id=data["item_id"], check_today=False,
                                   prefix=prefix, resolved=resolved, answer=False)


def read_known_items(uow, payloads):
    """Which items of a batch of confirmed drafts exist already, in one statement (each
    registration would otherwise ask for its own)."""
    items.note_known_items(uow, [p["data"]["item_id"] for p in payloads
                                 if isinstance(p.get("data"), dict) and p["data"].get("item_id")])
