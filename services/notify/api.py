"""Use cases behind the notify API: ladders, templates, manual chases and the read side."""
import datetime as dt

from sqlalchemy import func, select

from shared.clock import utc_iso
from shared.errors import NotFound, ValidationFailed
from shared.masking import mask_mobile

from .context import ladder_for, ladder_from_stored, templates_for
from .domain import texts
from .domain.delivery import normal_mobile
from .domain.plan import MANUAL, recipient
from .models import PENDING, Delivery, LadderConfig, OpenItem, Rung, Template
from .schedule import facts_of, lock_item


def org_code(org_id):
    return org_id or ""


# ---- ladders
def get_ladder(uow, org_id, category):
    return dict(ladder_for(uow.session, org_id, category).to_dict(), org_id=org_id,
                category=category)


def set_ladder(uow, ctx, org_id, category, data):
    """Store an organisation's ladder; its items are replanned by the timer."""
    if data.get("channel") and ctx.channel(data["channel"]) is None:
        raise ValidationFailed("Unknown channel '{}'".format(data["channel"]),
                               {"channel": ["one of: " + ", ".join(sorted(ctx.channels))]})
    try:
        ladder = ladder_from_stored(data, category if category != "*" else "routine")
    except ValueError as exc:
        raise ValidationFailed("The ladder is not usable", exc.args[0])
    stored = {k: v for k, v in data.items()}
    session = uow.session
    row = session.get(LadderConfig, (org_code(org_id), category))
    now = uow.clock.now()
    if row is None:
        session.add(LadderConfig(org_id=org_code(org_id), category=category, config=stored,
                                 updated_at=now))
    else:
        row.config, row.updated_at = stored, now
    q = OpenItem.__table__.update().where(OpenItem.org_id == org_id)
    if category != "*":
        q = q.where(OpenItem.category == category)
    session.execute(q.values(needs_plan=True))
    return dict(ladder.to_dict(), org_id=org_id, category=category)


# ---- templates
def list_templates(uow, org_id):
    own = templates_for(uow.session, org_code(org_id))
    return {"org_id": org_id, "templates": [
        {"kind": k, "text": own.get(k, t), "default": k not in own}
        for k, t in texts.DEFAULT_TEMPLATES.items()]}


def set_template(uow, org_id, kind, data):
    problems = texts.template_problems(data["text"])
    if problems:
        raise ValidationFailed("The template cannot be used", {"text": problems})
    session = uow.session
    row = session.get(Template, (org_code(org_id), kind))
    now = uow.clock.now()
    if row is None:
        session.add(Template(org_id=org_code(org_id), kind=kind, body=data["text"], updated_at=now))
    else:
        row.body, row.updated_at = data["text"], now
    return {"org_id": org_id, "kind": kind, "text": data["text"], "default": False}


# ---- manual chase
def request_chase(uow, ctx, item_id, data):
    """Record a manual chase (催办) as a rung due now; the caller sends it right after."""
    channel = data.get("channel") or ctx.default_channel
    if ctx.channel(channel) is None:
        raise ValidationFailed("Unknown channel '{}'".format(channel),
                               {"channel": ["one of: " + ", ".join(sorted(ctx.channels))]})
    session = uow.session
    item = lock_item(session, item_id)
    if item is None:
        raise NotFound("No item {} is known to notify".format(item_id))
    if data.get("mobile"):
        role, who = "custom", {"name": None, "mobile": data["mobile"]}
    else:
        role, who = recipient(facts_of(item), data["role"])
    if who is None:
        raise ValidationFailed("Nobody with a mobile number to chase for this item",
                               {"role": ["no {} with a mobile".format(data["role"])]})
    item.chase_count += 1
    now = uow.clock.now()
    row = Rung(item_id=item.id, rung="{}/{}".format(MANUAL, item.chase_count),
               recipient=normal_mobile(who["mobile"]), channel=channel, series=MANUAL,
               kind=MANUAL, role=role, recipient_name=who.get("name"), org_id=item.org_id,
               department=item.department, note=data.get("note"), due_at=now, next_at=now,
               status=PENDING)
    session.add(row)
    session.flush()
    return {"rung_id": row.id, "item_id": item.id, "count": item.chase_count,
            "recipient": mask_mobile(row.recipient), "channel": channel}


# ---- read side
def rung_view(row):
    return {"rung": row.rung, "kind": row.kind, "role": row.role, "due_at": utc_iso(row.due_at),
            "status": row.status, "channel": row.channel,
            "recipient": mask_mobile(row.recipient), "recipient_name": row.recipient_name,
            "attempts": row.attempts, "sent_at": utc_iso(row.sent_at),
            "error": mask_mobile(row.last_error) if row.last_error else None}


def item_reminders(uow, item_id):
    session = uow.session
    item = session.get(OpenItem, item_id)
    if item is None:
        raise NotFound("No item {} is known to notify".format(item_id))
    rows = session.scalars(select(Rung).where(Rung.item_id == item_id)
                           .order_by(Rung.due_at, Rung.id))
    return {"item_id": item_id, "chase_count": item.chase_count,
            "reminders": [rung_view(r) for r in rows]}


def delivery_view(row):
    return {"id": row.id, "item_id": row.item_id, "department": row.department,
            "rung": row.rung, "kind": row.kind, "channel": row.channel,
            "recipient": row.recipient, "attempt": row.attempt, "status": row.status,
            "provider_id": row.provider_id, "error": row.error, "at": utc_iso(row.at)}


def notifications(uow, query):
    session = uow.session
    q = select(Delivery)
    for key in ("item_id", "department", "status", "channel", "org_id"):
        if query.get(key):
            q = q.where(getattr(Delivery, key) == query[key])
    if query.get("since"):
        q = q.where(Delivery.at >= aware(query["since"]))
    if query.get("until"):
        q = q.where(Delivery.at <= aware(query["until"]))
    total = session.scalar(select(func.count()).select_from(q.subquery()))
    page, per_page = query["page"], query["per_page"]
    rows = session.scalars(q.order_by(Delivery.id.desc()).offset((page - 1) * per_page)
                           .limit(per_page))
    return {"notifications": [delivery_view(r) for r in rows], "total": total, "page": page,
            "per_page": per_page}


def aware(value):
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
